// Headless Debian Chromium for the browser tier, launched exactly as docs/contracts/webrtc-testing.md §1.2 says.
// Shared by every e2e test (sandbox SIP, dialpad). Never downloads a browser: Playwright drives the system one.
import { existsSync } from 'node:fs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type LaunchOptions,
} from 'playwright-core';

/** Flags verified offline with JsSIP + fake microphone; the loopback flag is what makes ICE work in a lo-only netns. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection',
];

export interface LaunchChromiumOptions {
  /** Defaults to $CHROMIUM_PATH, then /usr/bin/chromium. */
  executablePath?: string;
  /** Extra flags appended after CHROMIUM_FLAGS. */
  extraArgs?: string[];
  /** CHROMIUM_FLAGS to leave out (e.g. the fake microphone, to see a machine without one). */
  withoutFlags?: string[];
  /** Playwright launch timeout in ms (default 30 000: two shared cores are slow to start a browser). */
  timeout?: number;
}

export function chromiumPath(explicit?: string): string {
  const path = explicit ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`Chromium not found at ${path}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  }
  return path;
}

export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const launchOptions: LaunchOptions = {
    executablePath: chromiumPath(options.executablePath),
    headless: true,
    args: [...CHROMIUM_FLAGS.filter((flag) => !options.withoutFlags?.includes(flag)), ...(options.extraArgs ?? [])],
    timeout: options.timeout ?? 30_000,
  };
  return chromium.launch(launchOptions);
}

/**
 * A browser context whose pages accept functions from tsx-compiled tests in page.evaluate: tsx (esbuild keepNames)
 * wraps functions in `__name(...)`, which does not exist in the page ("ReferenceError: __name is not defined").
 */
export async function newTestContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addInitScript('globalThis.__name = globalThis.__name || ((fn) => fn);');
  return context;
}

export interface WaitForOptions {
  timeoutMs?: number; // default 10 000
  intervalMs?: number; // default 50
  /** Shown in the timeout error so a failing test says what it was waiting for. */
  description?: string;
}

/**
 * Polls `probe` until it returns a truthy value and returns that value. Awaits promises, unlike Playwright's
 * waitForFunction with an async predicate (docs/contracts/webrtc-testing.md §5.2), so it is safe around
 * page.evaluate(getStats).
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error; // the page may be mid-navigation; keep polling until the deadline
    }
    if (Date.now() >= deadline) {
      const what = options.description ?? 'condition';
      const cause = lastError instanceof Error ? `: last error ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
