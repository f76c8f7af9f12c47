// Screenshots of every screen the browser tests visit, for review and for docs/screenshots/.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'screenshots');

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // Let CSS transitions and the call timer settle so the picture matches what a person sees.
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
