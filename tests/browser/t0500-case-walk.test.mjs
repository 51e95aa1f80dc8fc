// t0500 (browser): the issue 9 walk in real Chromium, in Japanese, on the demo's
// data (`keikai demo`): a coordinator opens a case from the demo's accepted
// report through the "Open a case" link of its intake page (SPEC 2.4), adds the
// demo's two vendors with users (Example Corp, サンプル電機) and notifies both in one action (SPEC 2.6); the vendor
// サンプル電機 signs in, finds the case under "Cases", sees the summary only,
// asks for the detail (R §5.1.2), sees it, and reports "affected" with a fixed
// version (SPEC 2.7, G IV.5); the coordinator sees that status in the grid.
// Page contract: templates/case_*.html. Screenshots go to build/screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchChromium, signIn as signInAt, startDemo, submitAndWait, DEMO_PASSWORD, SHOTS } from './lib.mjs';
import { api, createToken, rid } from '../e2e/lib/server.mjs';

const COORDINATOR = 'coordinator@jpcert.example';
const VENDOR = 'psirt@sample-denki.example';
const JAPANESE_RE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const SUMMARY = 'SDカメラのファームウェアに固定の認証情報があります。影響の有無をご確認ください。';
const DETAIL = 'ファームウェア 2.0 の /etc/shadow に全機共通の root パスワードがある。';

const signIn = (ctx, email) => signInAt(ctx, url, email, DEMO_PASSWORD);

let demo; /* the demo's server */
let url;
let browser;
let accepted; /* the tracking ids of the demo's accepted product reports */
let vendorIds; /* the demo's two vendors */

before(async () => {
  demo = await startDemo();
  url = demo.url;
  const token = await createToken(demo.db, COORDINATOR);
  const reports = await api(url, '/api/v1/reports?status=accepted', { token });
  assert.equal(reports.status, 200, reports.text);
  accepted = reports.json.reports.filter((r) => r.kind === 'product').map((r) => r.tracking_id);
  assert.ok(accepted.length >= 1, reports.text);
  const list = await api(url, '/api/v1/vendors?limit=100', { token });
  assert.equal(list.status, 200, list.text);
  /* the demo's two vendors with users of their own */
  vendorIds = ['Example Corp', 'Sample Denki'].map((n) => list.json.vendors.find((v) => v.name_en === n)?.id);
  assert.ok(vendorIds.every(Number.isInteger), list.text);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

test('a coordinator opens a case from the demo report, notifies two vendors, and a vendor reports "affected" in Japanese', { timeout: 180_000 }, async () => {
  const errors = [];
  const coordCtx = await browser.newContext({ locale: 'ja-JP' });
  const page = await signIn(coordCtx, COORDINATOR);
  page.on('pageerror', (e) => errors.push(String(e)));

  // SPEC 2.4: from the report's intake page; a report already in a case (the demo's own) links to it instead
  let ref;
  for (const tid of accepted) {
    await page.goto(`${url}/intake/reports/${rid(tid)}`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
    if (!(await page.locator('#open-case').count())) {
      assert.equal(await page.locator('#report-case').count(), 1, `${tid}: neither a case nor the link to open one`);
      continue;
    }
    await submitAndWait(page, '#open-case');
    assert.equal(new URL(page.url()).pathname, '/cases/new');
    assert.ok((await page.locator('#c-title').inputValue()).length > 0, 'the title comes from the report');
    await page.locator('#c-summary').fill(SUMMARY);
    await page.locator('#c-detail').fill(DETAIL);
    await submitAndWait(page, '#form-case-new button[type=submit]');
    if (new URL(page.url()).pathname.startsWith('/cases/') && (await page.locator('#case-ref').count())) {
      ref = (await page.locator('#case-ref').textContent()).trim();
      break;
    }
  }
  assert.match(ref ?? '', /^[A-Z]+#\d{6}$/, 'a case was opened from one of the demo reports');
  await page.screenshot({ path: path.join(SHOTS, 't0500-case-opened.png'), fullPage: true });

  // SPEC 2.6: both demo vendors on the case, notified in one action
  for (const id of vendorIds) {
    if (await page.locator(`#status-grid tr[data-vendor-id="${id}"]`).count()) continue;
    await page.locator('#va-vendor_id').fill(String(id));
    await submitAndWait(page, '#form-vendor-add button[type=submit]');
    assert.equal(await page.locator('#saved').count(), 1);
  }
  for (const id of vendorIds) await page.locator(`#form-notify input[name="notify.${id}"]`).check();
  await submitAndWait(page, '#notify-button');
  assert.match(await page.locator('#saved').textContent(), JAPANESE_RE);
  assert.match(await page.locator('#case-day0 time').getAttribute('datetime'), /^\d{4}-\d\d-\d\dT/);
  for (const id of vendorIds) {
    assert.equal(await page.locator(`#status-grid tr[data-vendor-id="${id}"] td.cell [data-status="notified"]`).count(), 1);
  }
  await page.screenshot({ path: path.join(SHOTS, 't0500-case-notified.png'), fullPage: true });

  // R §5.1.2: the vendor sees the summary only, asks, then sees the detail
  const vendorCtx = await browser.newContext({ locale: 'ja-JP' });
  const vp = await signIn(vendorCtx, VENDOR);
  vp.on('pageerror', (e) => errors.push(String(e)));
  await submitAndWait(vp, 'nav.site-nav a[href="/cases"]');
  await submitAndWait(vp, `tr[data-case="${ref}"] a.case-link`);
  assert.equal(await vp.locator('html').getAttribute('lang'), 'ja');
  assert.equal((await vp.locator('#case-summary').textContent()).trim(), SUMMARY);
  assert.equal(await vp.locator('#case-detail').count(), 0, 'no detail before asking');
  assert.ok(!(await vp.content()).includes(DETAIL));
  assert.match(await vp.locator('#other-vendors').textContent(), /1 社/, 'that one other vendor is involved, not who');
  await vp.screenshot({ path: path.join(SHOTS, 't0500-vendor-summary.png'), fullPage: true });
  await submitAndWait(vp, '#ask-detail');
  assert.equal((await vp.locator('#case-detail').textContent()).trim(), DETAIL);

  // SPEC 2.7: "affected" with the fixed version
  const form = vp.locator('#form-status-1');
  await form.locator('select[name="status"]').selectOption('affected');
  await form.locator('[name="fixed_versions"]').fill('2.1.0');
  await form.locator('[name="note"]').fill('ファームウェア 2.0 以前が該当します。');
  await submitAndWait(vp, '#form-status-1 button[type=submit]');
  assert.match(await vp.locator('#saved').textContent(), JAPANESE_RE);
  assert.equal(await vp.locator('#status-1').getAttribute('data-status'), 'affected');
  assert.match(await vp.locator('#status-1').textContent(), JAPANESE_RE, 'the status in Japanese');
  assert.ok((await vp.locator('.fixed-version').allTextContents()).includes('2.1.0'));
  await vp.screenshot({ path: path.join(SHOTS, 't0500-vendor-affected.png'), fullPage: true });

  // the coordinator's grid shows it
  await page.reload();
  const vendorRow = page.locator('#status-grid tr', { hasText: 'サンプル電機' });
  assert.equal(await vendorRow.locator('td.cell[data-vulnerability="1"] [data-status="affected"]').count(), 1);
  assert.deepEqual(errors, []);
  await vendorCtx.close();
  await coordCtx.close();
});
