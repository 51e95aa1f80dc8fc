// t0700 (browser): an advisory from the coordinator's page to the public portal, in
// real Chromium, in Japanese (issue 12; SPEC 6, 2.11; docs/api/portal.md). A case of
// two vendors (one affected with a fix, one silent) gets its date; the coordinator
// follows the case page's link to the advisory page, writes both languages in the
// form, sees a fault next to its field, saves, reads the preview and approves;
// `keikai tick` one minute after the agreed minute publishes it; a reader with a
// Japanese browser opens /advisories/, follows the advisory, reads its items, the
// vendor table with "no response" and the times in Japan's time, without a script
// on the page, finds it again with /search by Japanese keywords (a long one and a
// two-kanji one), then follows the link to the English page. Screenshots go to
// build/screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchChromium, signIn, submitAndWait, SHOTS } from './lib.mjs';
import { startServer, api, keikai, productReport, PASSWORD, USERS } from '../e2e/lib/server.mjs';
import { acceptedReport, openCase, vendorWithUser } from '../e2e/lib/cases.mjs';

const NOW0 = '2027-03-01T01:00:00Z'; /* day 0: Monday 10:00 in Japan */
const DATE = '2027-03-10'; /* the agreed date: 11:00 in Japan */
const AFTER = '2027-03-10T02:01:00Z';
const JAPANESE_RE = /[\u3040-\u30ff\u4e00-\u9fff]/;

let srv; let browser; let ref;

before(async () => {
  srv = await startServer({ serveEnv: { KEIKAI_NOW: NOW0, KEIKAI_TICK_SECONDS: '86400' } });
  const a = await vendorWithUser(srv, { name_ja: '東亜ルーター株式会社', name_en: 'Toa Router', preferred_lang: 'ja',
    contacts: [{ channel: 'email', value: 'psirt@toa.example.jp', is_primary: true }] }, 'user@toa.example.jp');
  const b = await vendorWithUser(srv, { name_ja: '沈黙ソフト', preferred_lang: 'ja',
    contacts: [{ channel: 'email', value: 'psirt@silent.example.jp', is_primary: true }] }, 'user@silent.example.jp');
  const report = productReport();
  report.consent.credit_name = '山田 太郎';
  const { tid } = await acceptedReport(srv, report);
  ref = (await openCase(srv, [tid], { title: 'ルーター管理画面の XSS', summary: '概要', detail: '詳細' })).id;
  const c = (p) => `/api/v1/cases/${encodeURIComponent(ref)}${p}`;
  let r = await api(srv.url, c('/notify'), { token: srv.tokens.coordinator, body: { vendor_ids: [a.vendor.id, b.vendor.id] } });
  assert.equal(r.status, 200, r.text);
  r = await api(srv.url, c('/answer'), { token: a.token, body: { answer: 'send_detail' } });
  assert.equal(r.status, 200, r.text);
  r = await api(srv.url, c('/countermeasures'), { token: a.token, body: { vulnerability: 1, product_name: 'TR-100',
    fixed_versions: ['2.0.1'], workaround_ja: '管理画面を無効にする。', workaround_en: 'Turn off the admin page.' } });
  assert.equal(r.status, 200, r.text);
  r = await api(srv.url, c('/date'), { token: srv.tokens.coordinator, body: { date: DATE, reason: '合意' } });
  assert.equal(r.status, 200, r.text);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const TEXTS = {
  ja: {
    title: 'TR-100 におけるクロスサイトスクリプティングの脆弱性',
    overview: '東亜ルーター株式会社が提供する TR-100 には、クロスサイトスクリプティングの脆弱性が存在します。',
    affected: '- TR-100 ファームウェア 2.0.0 およびそれ以前\n\n管理画面の「バージョン情報」で確認できます。',
    description: '管理画面の検索機能に、**クロスサイトスクリプティング**の脆弱性 (CWE-79) が存在します。',
    impact: '管理画面にログインした状態で細工されたページを開くと、任意のスクリプトが実行される可能性があります。',
    countermeasures: '開発者が提供する最新版 2.0.1 にアップデートしてください。',
    workarounds: '管理画面を無効にしてください。',
    contact: '[東亜ルーター株式会社](https://toa.example.jp/support)',
  },
  en: {
    title: 'Cross-site scripting vulnerability in TR-100',
    overview: 'TR-100 provided by Toa Router contains a cross-site scripting vulnerability.',
    affected: '- TR-100 firmware 2.0.0 and earlier',
    description: 'The search of the admin page is vulnerable to cross-site scripting (CWE-79).',
    impact: 'An arbitrary script may be executed in the browser of a signed-in administrator.',
    countermeasures: 'Update to version 2.0.1.',
    workarounds: 'Turn off the admin page.',
    contact: '[Toa Router](https://toa.example.jp/support)',
  },
};

test('the coordinator writes and approves the advisory, and a Japanese reader reads it on the portal', { timeout: 180_000 }, async () => {
  const errors = [];
  const coordCtx = await browser.newContext({ locale: 'ja-JP' });
  const page = await signIn(coordCtx, srv.url, USERS.coordinator.email, PASSWORD);
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${srv.url}/cases/${encodeURIComponent(ref)}`);
  await submitAndWait(page, '#advisory-link');
  assert.equal(new URL(page.url()).pathname, `/cases/${encodeURIComponent(ref)}/advisory`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  /* SPEC 6 (6): the solution's draft starts from the vendor's countermeasure */
  assert.match(await page.locator('textarea[name="texts.ja.countermeasures"]').inputValue(), /2\.0\.1/);
  for (const [l, t] of Object.entries(TEXTS)) {
    for (const [m, v] of Object.entries(t)) await page.locator(`[name="texts.${l}.${m}"]`).fill(v);
  }
  await page.locator('#cvss3').fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N');
  await page.locator('#references').fill('https://toa.example.jp/security/2027-01 東亜ルーターのお知らせ');
  await page.locator('#cves').fill('CVE-2027-20001');
  await page.locator('#cwes').fill('79');
  /* a fault is shown next to its field, in Japanese, with what was typed */
  await page.locator('#cvss4').fill('CVSS:4.0/AV:Q');
  await submitAndWait(page, '#advisory-submit');
  assert.match(await page.locator('#error-summary').textContent(), JAPANESE_RE);
  assert.equal(await page.locator('#cvss4').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#cvss4-error').count(), 1);
  assert.equal(await page.locator('[name="texts.ja.title"]').inputValue(), TEXTS.ja.title);
  await page.locator('#cvss4').fill('');
  await submitAndWait(page, '#advisory-submit');
  assert.match(await page.locator('#saved').textContent(), JAPANESE_RE);
  /* the preview is what the public will read, in both languages */
  assert.equal((await page.locator('#preview-ja-title').textContent()).trim(), TEXTS.ja.title);
  assert.equal(await page.locator('#preview-ja-description-text strong').textContent(), 'クロスサイトスクリプティング');
  assert.match(await page.locator('#preview-en').textContent(), /Update to version 2\.0\.1\./);
  await page.screenshot({ path: path.join(SHOTS, 't0700-advisory-draft.png'), fullPage: true });
  await submitAndWait(page, '#approve');
  assert.equal(await page.locator('#advisory-state').getAttribute('data-state'), 'approved');

  /* the agreed minute passes: keikai publishes it */
  const tick = await keikai(['tick', '--db', srv.db, '--json'], { env: { KEIKAI_NOW: AFTER } });
  assert.equal(JSON.parse(tick.stdout).fired.publish, 1, tick.stdout);

  /* a reader with a Japanese browser, signed in nowhere */
  const readerCtx = await browser.newContext({ locale: 'ja-JP', javaScriptEnabled: false });
  const reader = await readerCtx.newPage();
  reader.on('pageerror', (e) => errors.push(String(e)));
  await reader.goto(`${srv.url}/advisories/`);
  assert.equal(await reader.locator('html').getAttribute('lang'), 'ja');
  assert.equal((await reader.locator('h1').textContent()).trim(), '脆弱性情報');
  assert.equal(await reader.locator('#advisories tbody tr').count(), 1);
  await Promise.all([reader.waitForNavigation(), reader.locator('#advisories tbody tr td:nth-child(2) a').click()]);
  const slug = new URL(reader.url()).pathname.split('/').pop();
  assert.match(slug, /^JVN\d{8}$|^JVNVU\d{8}$/);
  assert.match(await reader.locator('h1').textContent(), new RegExp(`JVN(VU)?#\\d{8} ${TEXTS.ja.title}`));
  assert.equal((await reader.locator('#advisory-overview').textContent()).trim(), '概要');
  assert.equal((await reader.locator('#advisory-vendors').textContent()).trim(), 'ベンダ情報');
  assert.match(await reader.locator('#advisory-overview-text').textContent(), /東亜ルーター株式会社が提供する/);
  assert.match(await reader.locator('#advisory-affected-text li').textContent(), /2\.0\.0 およびそれ以前/);
  assert.equal(await reader.locator('#advisory-cvss-table .score').textContent(), '6.1');
  /* SPEC 2.11: both vendors, the silent one "no response" */
  assert.equal(await reader.locator('#advisory-vendor-table tbody tr').count(), 2);
  assert.match(await reader.locator('#advisory-vendor-table tr.no-response').textContent(), /沈黙ソフト/);
  assert.match(await reader.locator('#advisory-vendor-table tr.no-response').textContent(), /未回答/);
  assert.match(await reader.locator('#advisory-vendor-table').textContent(), /東亜ルーター株式会社[\s\S]*2\.0\.1/);
  assert.match(await reader.locator('#advisory-credits').textContent(), /山田 太郎/);
  assert.equal((await reader.locator('#advisory-published').textContent()).trim(), '2027年3月10日 11:01');
  assert.equal(await reader.locator('#advisory-published time').getAttribute('datetime'), AFTER);
  assert.equal(await reader.locator('#advisory-contact-text a').getAttribute('href'), 'https://toa.example.jp/support');
  assert.equal(await reader.locator('script').count(), 0, 'no script on the portal');
  assert.equal(await reader.locator('link[rel="alternate"][type="application/rss+xml"]').count(), 1);
  await reader.screenshot({ path: path.join(SHOTS, 't0700-advisory-ja.png'), fullPage: true });

  /* issue 12: the reader finds it again by Japanese keywords: a long one and a two-kanji one */
  for (const q of ['クロスサイトスクリプティング', '東亜']) {
    await reader.goto(`${srv.url}/search`);
    assert.equal(await reader.locator('html').getAttribute('lang'), 'ja');
    await reader.locator('#q').fill(q);
    await Promise.all([reader.waitForNavigation(), reader.locator('#search-form button[type="submit"]').click()]);
    assert.equal(new URL(reader.url()).searchParams.get('q'), q);
    assert.equal(await reader.locator('#results-table tr.result').count(), 1, q);
    assert.equal(new URL(await reader.locator('#results-table tr.result td a').first().getAttribute('href'), srv.url).pathname,
      `/advisories/${slug}`, q);
  }
  await reader.screenshot({ path: path.join(SHOTS, 't0700-search-ja.png'), fullPage: true });
  await Promise.all([reader.waitForNavigation(), reader.locator('#results-table tr.result td a').first().click()]);
  assert.equal(new URL(reader.url()).pathname, `/advisories/${slug}`);

  /* the other language, one link away */
  await Promise.all([reader.waitForNavigation(), reader.locator('#other-language').click()]);
  assert.equal(await reader.locator('html').getAttribute('lang'), 'en');
  assert.match(await reader.locator('h1').textContent(), /Cross-site scripting vulnerability in TR-100/);
  assert.equal((await reader.locator('#advisory-published').textContent()).trim(), '10 March 2027 11:01 (JST)');
  assert.match(await reader.locator('#advisory-vendor-table').textContent(), /Toa Router/);
  await reader.screenshot({ path: path.join(SHOTS, 't0700-advisory-en.png'), fullPage: true });

  assert.deepEqual(errors, []);
  await coordCtx.close();
  await readerCtx.close();
});
