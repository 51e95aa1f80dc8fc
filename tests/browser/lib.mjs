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
