// t0400 (browser): a coordinator, in Japanese, opens an accepted product
// report in real Chromium, finds its vendor among the candidates, confirms
// it, and sees it among the confirmed vendors (SPEC 2.5, G IV.4.2; issue 8,
// capability 5). The registry and the report are made over the JSON API.
// Page contract: the intake report page's section #vendors
// (templates/report_vendors.html). Screenshots go to build/screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchChromium, SHOTS } from './lib.mjs';
import { startServer, api, postReport, productReport, rid, PASSWORD, USERS } from '../e2e/lib/server.mjs';

let srv;
let browser;
let sd;
let tid;

before(async () => {
  srv = await startServer();
  browser = await launchChromium();
  const v = await api(srv.url, '/api/v1/vendors', { token: srv.tokens.coordinator,
    body: { name_ja: 'サンプル電機', name_en: 'Sample Denki' } });
  assert.equal(v.status, 201, v.text);
  sd = v.json;
  const p = await api(srv.url, `/api/v1/vendors/${sd.id}/products`, { token: srv.tokens.coordinator,
    body: { name_ja: 'SDカメラ', name_en: 'SD-Camera' } });
  assert.equal(p.status, 201, p.text);
  const o = await api(srv.url, '/api/v1/vendors', { token: srv.tokens.coordinator, body: { name_en: 'Other Corp' } });
  assert.equal(o.status, 201, o.text);
  const body = productReport();
  body.product.vendor = 'サンプル電機株式会社';
  body.product.name = 'SDカメラ';
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
  tid = r.json.tracking_id;
  const d = await api(srv.url, `/api/v1/reports/${rid(tid)}/decision`, { token: srv.tokens.intake,
    body: { decision: 'accept' } });
  assert.equal(d.status, 200, d.text);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// SPEC 2.5: the coordinator identifies the vendor and confirms it
test('a coordinator finds the vendor of a report in Japanese and confirms it', { timeout: 120_000 }, async () => {
  const errors = [];
  const ctx = await browser.newContext({ locale: 'ja-JP' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(srv.url + '/login?lang=ja');
  await page.locator('form [name="email"]').fill(USERS.coordinator.email);
  await page.locator('form [name="password"]').fill(PASSWORD);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('form:has([name="password"]) button[type=submit]').click()]);

  const res = await page.goto(`${srv.url}/intake/reports/${rid(tid)}`);
  assert.equal(res.status(), 200);
  assert.match(await page.locator('html').getAttribute('lang') ?? '', /^ja/);
  const section = page.locator('section#vendors');
  assert.match(await section.locator('h2').textContent(), /連絡する製品開発者/);
  const first = section.locator('#candidate-vendors tr.candidate').first();
  assert.equal((await first.locator('.vendor-name').textContent()).trim(), 'サンプル電機', 'the vendor comes first');
  assert.match(await first.textContent(), /製品開発者名/, 'the basis is shown in Japanese');
  await page.screenshot({ path: path.join(SHOTS, 't0400-candidates.png'), fullPage: true });

  await first.locator('input[type=checkbox]').check();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
    section.locator('form#confirm-vendors button[type=submit]').click()]);
  const confirmed = page.locator('#confirmed-vendors .vendor-name');
  assert.deepEqual(await confirmed.allTextContents(), ['サンプル電機']);
  assert.ok(await page.locator('#candidate-vendors tr.candidate').first().locator('input[type=checkbox]').isChecked(),
    'a confirmed vendor stays checked');
  await page.screenshot({ path: path.join(SHOTS, 't0400-confirmed.png'), fullPage: true });

  const l = await api(srv.url, `/api/v1/reports/${rid(tid)}/vendors`, { token: srv.tokens.intake });
  assert.deepEqual(l.json.vendors.map((v) => v.vendor_id), [sd.id]);
  assert.deepEqual(errors, []);
  await ctx.close();
});

// SPEC 2.5: intake sees the candidates but has no form to confirm
test('intake sees the candidates without the confirmation form', { timeout: 60_000 }, async () => {
  const ctx = await browser.newContext({ locale: 'en-US' });
  const page = await ctx.newPage();
  await page.goto(srv.url + '/login?lang=en');
  await page.locator('form [name="email"]').fill(USERS.intake.email);
  await page.locator('form [name="password"]').fill(PASSWORD);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('form:has([name="password"]) button[type=submit]').click()]);
  await page.goto(`${srv.url}/intake/reports/${rid(tid)}`);
  const section = page.locator('section#vendors');
  assert.match(await section.locator('h2').textContent(), /Vendors to notify/);
  assert.equal(await section.locator('form#confirm-vendors').count(), 0);
  assert.equal((await section.locator('#candidate-vendors .vendor-name').first().textContent()).trim(), 'Sample Denki');
  await ctx.close();
});
