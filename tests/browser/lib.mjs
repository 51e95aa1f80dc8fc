// What the browser tests share: Debian's Chromium, headless and with no
// background network traffic, and the folder screenshots go to.

import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../e2e/lib/server.mjs';

export const SHOTS = path.join(REPO_ROOT, 'build/screenshots');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

/* Launches Chromium and makes sure the screenshot folder exists. */
export async function launchChromium() {
  await mkdir(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/* Clicks the element at locator and waits for the page it leads to. */
export async function submitAndWait(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator(locator).click()]);
}

/* A new page of browser context ctx signed in to the server at url as email,
 * through the Japanese sign-in form. */
export async function signIn(ctx, url, email, password) {
  const page = await ctx.newPage();
  await page.goto(url + '/login?lang=ja');
  await page.locator('form [name="email"]').fill(email);
  await page.locator('form [name="password"]').fill(password);
  await submitAndWait(page, 'form:has([name="password"]) button[type=submit]');
  return page;
}
