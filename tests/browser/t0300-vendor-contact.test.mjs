// t0300 (browser): a vendor user signs in, in Japanese, opens its own
// vendor's record from the "My vendor" link, changes its contact through the
// form (a wrong address first: the fault is shown next to the field, in
// Japanese, and what was typed stays), and sees it saved. SPEC 2.5 (a vendor
// keeps its own contacts current); G IV.4.2. Screenshots go to build/screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchChromium, SHOTS, submitAndWait } from './lib.mjs';
import { startServer, api, keikai, PASSWORD } from '../e2e/lib/server.mjs';

const JAPANESE_RE = /[\u3040-\u30ff\u4e00-\u9fff]/;

let srv;
let browser;
let vendorId;
before(async () => {
  srv = await startServer();
  browser = await launchChromium();
  const add = await api(srv.url, '/api/v1/vendors', { token: srv.tokens.coordinator, body: {
    name_ja: 'サンプル電機株式会社', name_en: 'Sample Denki',
    contacts: [{ channel: 'email', value: 'old@sample-denki.example.jp', department: '品質保証部', is_primary: true, is_valid: true }],
  } });
  assert.equal(add.status, 201, add.text);
  vendorId = add.json.id;
  await keikai(['user', 'add', '--db', srv.db, '--org', 'サンプル電機', '--role', 'vendor', '--email', 'psirt@sample-denki.example.jp',
    '--name', 'PSIRT 担当', '--vendor-id', String(vendorId), '--password-stdin'], { input: PASSWORD + '\n' });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('a vendor user changes its contact in Japanese and sees it saved', async () => {
  const errors = [];
  const ctx = await browser.newContext({ locale: 'ja-JP' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(srv.url + '/login');
  await page.locator('form [name="email"]').fill('psirt@sample-denki.example.jp');
  await page.locator('form [name="password"]').fill(PASSWORD);
  await submitAndWait(page, 'form:has([name="password"]) button[type=submit]');

  // "My vendor" in the menu leads to the vendor's own record
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('nav.site-nav a[href="/vendor"]').click()]);
  assert.equal(new URL(page.url()).pathname, `/vendors/${vendorId}`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  assert.equal((await page.locator('#vendor-name').textContent()).trim(), 'サンプル電機株式会社');

  const contact = page.locator('li.contact').first();
  assert.ok((await contact.textContent()).includes('old@sample-denki.example.jp'));
  await contact.locator('summary').click();
  const form = contact.locator('form.contact-form');
  await form.locator('[name="value"]').fill('セキュリティ窓口');
  await submitAndWait(page, 'li.contact form.contact-form button[type=submit]');

  const fault = page.locator('.field-error[data-field="value"]');
  assert.equal(await fault.count(), 1, 'the fault is next to the field');
  assert.match(await fault.textContent(), JAPANESE_RE, 'in Japanese');
  assert.equal(await page.locator('li.contact form.contact-form [name="value"]').inputValue(), 'セキュリティ窓口');
  await page.screenshot({ path: path.join(SHOTS, 't0300-contact-error.png'), fullPage: true });

  await page.locator('li.contact form.contact-form [name="value"]').fill('psirt@sample-denki.example.jp');
  await page.locator('li.contact form.contact-form [name="department"]').fill('製品セキュリティ室');
  await submitAndWait(page, 'li.contact form.contact-form button[type=submit]');
  assert.match(await page.locator('#saved').textContent(), JAPANESE_RE);
  const shown = await page.locator('li.contact').first().textContent();
  assert.ok(shown.includes('psirt@sample-denki.example.jp'), shown);
  assert.ok(shown.includes('製品セキュリティ室'), shown);
  await page.screenshot({ path: path.join(SHOTS, 't0300-contact-saved.png'), fullPage: true });

  // saved in the registry, as the coordinator sees it
  const v = await api(srv.url, `/api/v1/vendors/${vendorId}`, { token: srv.tokens.coordinator });
  assert.equal(v.json.contacts[0].value, 'psirt@sample-denki.example.jp');
  assert.deepEqual(errors, []);
  await ctx.close();
});
