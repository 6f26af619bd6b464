import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Debian's Chromium: the browser test drives the system browser, it downloads none. */
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots of each page; CI keeps test-results/. */
export const SHOTS = fileURLToPath(new URL('../../test-results/console/', import.meta.url));

/** A full-page screenshot under test-results/console/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Waits for the console's notice line to say something matching `re`, bounded. */
export async function noticeSays(page: Page, re: RegExp): Promise<string> {
  const notice = page.locator('#notice');
  await notice.filter({ hasText: re }).waitFor({ timeout: 10_000 });
  return (await notice.textContent()) ?? '';
}

/** Logs the page in with the console token through the header's form. */
export async function logIn(page: Page, token: string): Promise<void> {
  await page.selectOption('#login-kind', 'token');
  await page.fill('#login-secret', token);
  await page.click('#login button[type=submit]');
  await page.locator('#who').waitFor({ timeout: 10_000 });
}
