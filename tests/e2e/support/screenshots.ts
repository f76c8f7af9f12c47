// Screenshots of every screen the browser tests visit, for review and for the gallery in docs/screenshots/.
// They go OUTSIDE the repository, so a test run never touches the working tree: to $VRA_SCREENSHOT_DIR when
// set (`npm test` sets it to a fresh temporary folder per run and prints it), else to
// <os temp dir>/voice-reference-app-screenshots. Copy the ones worth keeping into docs/screenshots/ by hand.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const SCREENSHOT_DIR = process.env.VRA_SCREENSHOT_DIR || path.join(tmpdir(), 'voice-reference-app-screenshots');

let announced = false;

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  if (!announced) {
    announced = true;
    console.log(`screenshots: ${SCREENSHOT_DIR}`);
  }
  // Let CSS transitions and the call timer settle so the picture matches what a person sees.
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
