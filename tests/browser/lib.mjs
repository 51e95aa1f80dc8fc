// What the browser tests share: Debian's Chromium, headless and with no
// background network traffic, and the folder screenshots go to.

import path from 'node:path';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { REPO_ROOT, freshStore, keikai, serveOn } from '../e2e/lib/server.mjs';

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

/* The password of every demo user (`keikai demo`). */
export const DEMO_PASSWORD = 'keikai-demo';

/* `keikai demo`'s data in a fresh database, served: {url, db, stop()};
 * stop() stops the server and removes the database. */
export async function startDemo() {
  const dir = await mkdtemp(path.join(tmpdir(), 'keikai-browser-'));
  const store = await freshStore(dir);
  let server;
  const stop = async () => {
    await server?.stop();
    await store.drop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    /* issue 11: the store's keys go with its temp dir */
    await keikai(['init', '--db', store.db, '--keys', path.join(dir, 'keys')]);
    await keikai(['demo', '--db', store.db], { env: { LANG: 'C', LC_ALL: 'C' } });
    server = await serveOn(store.db);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: server.url, db: store.db, stop };
}
