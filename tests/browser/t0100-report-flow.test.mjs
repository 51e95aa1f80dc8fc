// t0100 (browser): a finder reports a product vulnerability through the HTML
// form in real Chromium, in Japanese; the intake staff accept it through the
// staff pages; the finder sees the acceptance on the status page.
// SPEC 2.1 (report), SPEC 2.2 (acceptance, the finder is told).
// Form contract: the product form at /report/product, field names are the
// JSON paths of docs/api/reports.md; errors in `.field-error[data-field]`.
// Screenshots for humans go to build/screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchChromium, SHOTS, submitAndWait } from './lib.mjs';
import { startServer, api, rid, PASSWORD, USERS } from '../e2e/lib/server.mjs';

const JAPANESE_RE = /[\u3040-\u30ff\u4e00-\u9fff]/;

let srv;
let browser;
before(async () => {
  srv = await startServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

/* A page that records script errors, so a broken page fails the test. */
async function newPage(ctx, errors) {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  return page;
}

/* Clicks a submit button and waits for the page it leads to. */
const REPORT = {
  'finder.name': '山田 太郎',
  'finder.organization': '山田セキュリティ研究所',
  'finder.phone': '03-0000-0000',
  'consent.credit_name': 'やまだ',
  'product.vendor': 'サンプル電機株式会社',
  'product.name': '無線LANルーター「はやぶさ」',
  'product.version': '2.0.1',
  'details.summary': '管理画面にクロスサイト・スクリプティングの脆弱性があります。',
  'details.environment': 'ファームウェア 2.0.1、Chromium 120',
  'details.steps': '1. 管理画面にログインする\n2. 検索欄にスクリプトを入力する',
  'details.result': '入力したスクリプトが実行される。',
  'details.impact': '管理者のセッションが奪われる。',
};
const RADIOS = {
  'consent.share_identity': 'false',
  'consent.direct_contact': 'false',
  'consent.credit': 'true',
  'other_reports.reported_elsewhere': 'false',
  'other_reports.vendor_told_directly': 'false',
  'wants_final_result': 'true',
  'encrypted_contact': 'false',
};
const POC = { name: 'poc.txt', mimeType: 'text/plain', buffer: Buffer.from('PoC: <script>alert(1)</script>\n') };

const field = (name) => `form [name="${name}"]`;
const radio = (name, value) => `form input[type=radio][name="${name}"][value="${value}"]`;
const REPORT_FORM = 'form:has([name="finder.email"])';

// SPEC 2.1, SPEC 2.2
test('a finder reports in Japanese, intake accepts, the finder sees 受理', { timeout: 180_000 }, async () => {
  const errors = [];

  // ---- the finder fills the form, with a malformed e-mail address ----
  const finderCtx = await browser.newContext({ locale: 'ja-JP' });
  const page = await newPage(finderCtx, errors);
  const formPage = await page.goto(srv.url + '/report/product');
  assert.equal(formPage.status(), 200);
  assert.match(await page.locator('html').getAttribute('lang') ?? '', /^ja/, 'the page is in Japanese');

  // Radios start unchecked: the finder must choose each consent.
  for (const name of Object.keys(RADIOS)) {
    assert.equal(await page.locator(`form input[type=radio][name="${name}"]:checked`).count(), 0, `${name} starts unchecked`);
  }
  for (const [name, value] of Object.entries(REPORT)) await page.locator(field(name)).fill(value);
  await page.locator(field('finder.email')).fill('taro-at-example.jp');
  for (const [name, value] of Object.entries(RADIOS)) await page.locator(radio(name, value)).check();
  await page.locator(field('attachments')).setInputFiles(POC);
  await page.screenshot({ path: path.join(SHOTS, 't0100-report-form.png'), fullPage: true });

  // Test the server's check, not the browser's own type=email check.
  await page.locator(REPORT_FORM).evaluate((f) => { f.noValidate = true; });
  await submitAndWait(page, `${REPORT_FORM} button[type=submit]`);

  // ---- the error is shown next to the e-mail field, in Japanese ----
  const emailError = page.locator('.field-error[data-field="finder.email"]');
  await emailError.waitFor({ state: 'visible' });
  const emailErrorText = (await emailError.textContent()).trim();
  assert.ok(emailErrorText.length > 0, 'the e-mail error has a message');
  assert.match(emailErrorText, JAPANESE_RE, `the message is Japanese: ${emailErrorText}`);
  const summary = page.locator('[role=alert]').first();
  assert.ok(await summary.isVisible(), 'an error summary at the top');
  assert.ok((await summary.textContent()).trim().length > 0);
  assert.equal(await page.locator('.field-error[data-field="finder.name"]').count(), 0, 'no error for a good field');
  await page.screenshot({ path: path.join(SHOTS, 't0100-report-form-error.png'), fullPage: true });

  // What the finder typed is still there, so only the e-mail needs fixing.
  for (const [name, value] of Object.entries(REPORT)) {
    assert.equal((await page.locator(field(name)).inputValue()).replace(/\r\n/g, '\n'), value, `${name} kept`);
  }
  for (const [name, value] of Object.entries(RADIOS)) {
    assert.ok(await page.locator(radio(name, value)).isChecked(), `${name}=${value} kept`);
  }

  // ---- correct it and submit ----
  await page.locator(field('finder.email')).fill('taro@example.jp');
  await page.locator(field('attachments')).setInputFiles(POC); /* file inputs cannot be refilled by the server */
  await submitAndWait(page, `${REPORT_FORM} button[type=submit]`);

  const statusUrl = page.url();
  assert.match(new URL(statusUrl).pathname, /^\/r\/[A-Za-z0-9_-]{22,}$/, `redirected to the status page: ${statusUrl}`);
  const tid = (await page.locator('#tracking-id').textContent()).trim();
  assert.match(tid, /IPA#\d{8}/);
  const trackingId = /IPA#\d{8}/.exec(tid)[0];
  assert.equal(await page.locator('#report-status').getAttribute('data-status'), 'received');
  await page.screenshot({ path: path.join(SHOTS, 't0100-status-received.png'), fullPage: true });

  // The report arrived whole (through the API, as the intake staff).
  const stored = await api(srv.url, `/api/v1/reports/${rid(trackingId)}`, { token: srv.tokens.intake });
  assert.equal(stored.status, 200, stored.text);
  assert.equal(stored.json.kind, 'product');
  assert.equal(stored.json.finder.name, REPORT['finder.name']);
  assert.equal(stored.json.finder.email, 'taro@example.jp');
  assert.equal(stored.json.product.name, REPORT['product.name']);
  assert.equal(stored.json.details.steps.replace(/\r\n/g, '\n'), REPORT['details.steps']);
  assert.equal(stored.json.consent.share_identity, false);
  assert.equal(stored.json.consent.credit, true);
  assert.equal(stored.json.attachments.length, 1);
  assert.equal(stored.json.attachments[0].filename, 'poc.txt');
  assert.equal(stored.json.attachments[0].size, POC.buffer.length);

  // ---- the intake staff log in, open the queue and accept ----
  const staffCtx = await browser.newContext({ locale: 'ja-JP' });
  const staff = await newPage(staffCtx, errors);
  await staff.goto(srv.url + '/login');
  await staff.locator('form [name="email"]').fill(USERS.intake.email);
  await staff.locator('form [name="password"]').fill(PASSWORD);
  await submitAndWait(staff, 'form:has([name="password"]) button[type=submit]');
  assert.ok((await staffCtx.cookies()).some((c) => c.name === 'kk_session'), 'logged in');

  await staff.goto(srv.url + '/intake');
  const link = staff.locator('a', { hasText: trackingId });
  assert.ok(await link.count() >= 1, `the queue links ${trackingId}`);
  await Promise.all([staff.waitForNavigation({ waitUntil: 'load' }), link.first().click()]);
  assert.ok((await staff.locator('body').textContent()).includes(REPORT['details.summary']), 'the report page shows the report');

  const decision = staff.locator('form#decision [name="decision"]');
  if ((await decision.first().evaluate((e) => e.tagName)) === 'SELECT') {
    await decision.selectOption('accept');
  } else {
    await staff.locator('form#decision [name="decision"][value="accept"]').check();
  }
  await submitAndWait(staff, 'form#decision button[type=submit]');

  const decided = await api(srv.url, `/api/v1/reports/${rid(trackingId)}`, { token: srv.tokens.intake });
  assert.equal(decided.json.status, 'accepted', 'the staff page accepted the report');

  // ---- the finder sees 受理 ----
  await page.goto(statusUrl);
  const status = page.locator('#report-status[data-status="accepted"]');
  await status.waitFor({ state: 'visible' });
  const statusText = (await status.textContent()).trim();
  assert.ok(statusText.includes('受理') && !statusText.includes('不受理'), `the status says 受理: ${statusText}`);
  assert.match((await page.locator('#tracking-id').textContent()), new RegExp(trackingId));
  await page.screenshot({ path: path.join(SHOTS, 't0100-status-accepted.png'), fullPage: true });

  assert.deepEqual(errors, [], 'no script errors on any page');
  await finderCtx.close();
  await staffCtx.close();
});

// Language selection: ?lang= on any page, remembered in the kk_lang cookie.
test('?lang=en switches the form to English and is remembered', { timeout: 60_000 }, async () => {
  const ctx = await browser.newContext({ locale: 'ja-JP' });
  const page = await ctx.newPage();
  await page.goto(srv.url + '/report/website?lang=en');
  assert.match(await page.locator('html').getAttribute('lang') ?? '', /^en/);
  assert.ok((await ctx.cookies()).some((c) => c.name === 'kk_lang' && c.value.startsWith('en')), 'kk_lang cookie set');
  assert.equal(await page.locator('form [name="website.url"]').count(), 1, 'the web-site form has website.url');
  assert.equal(await page.locator('form [name="product.name"]').count(), 0);

  // The cookie carries the choice to the next page, even with a Japanese browser.
  await page.goto(srv.url + '/report/product');
  assert.match(await page.locator('html').getAttribute('lang') ?? '', /^en/);
  await page.goto(srv.url + '/report/product?lang=ja');
  assert.match(await page.locator('html').getAttribute('lang') ?? '', /^ja/);
  await ctx.close();
});
