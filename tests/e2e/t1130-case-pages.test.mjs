// t1130: the case pages over plain HTTP (SPEC 2.4-2.7, 2.13, R §5.1.2; issue 9
// items 2-5 and 7), on the store under test (SQLite, or PostgreSQL with
// KEIKAI_TEST_PG): a coordinator opens a case from an accepted report through
// the prefilled form, adds two vendors and notifies both in one POST, adds a
// vulnerability; the dashboard lists the case with day 0; a notified vendor sees
// the summary only, asks for the detail, sees it and reports "affected" with a
// fixed version; the other vendor answers "not applicable" with its reason;
// messages go both ways; every form with bad input is shown again with the
// faults next to their fields, in the reader's language, and stores nothing; a
// vendor not on the case gets the 404 page of a missing case, and no vendor sees
// another's name (the case does not share them). Pages in Japanese and English.
// Page contract: templates/case_*.html (ids and data- attributes).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, browse, csrfField, login, fieldErrors, productReport, rid, CookieJar, USERS, PASSWORD,
} from './lib/server.mjs';
import * as cases from './lib/cases.mjs';

const JAPANESE_RE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const SUMMARY = '管理画面に認証回避の脆弱性があります。';
const DETAIL = '細部: /admin/login に細工した Cookie を送ると認証を回避できる。';
const POC = Buffer.from('PoC: curl -b "admin=1" http://camera/admin\n概念実証\n', 'utf8');

let srv;
let coord; /* the coordinator's cookie jar */
let tid;   /* the accepted report */
let ref;   /* the case, "VU#123456" */
const vendors = {}; /* key -> {id, name_ja, name_en, email} */

/* One SQL statement on the server's database, for what no page shows (counts). */
const sql = (statement) => cases.sql(srv, statement);
const count = (table) => Number(sql(`SELECT count(*) FROM ${table}`));

async function addVendor(key, nameJa, nameEn, lang) {
  const email = `psirt@${key}.example`;
  const { vendor } = await cases.vendorWithUser(srv, {
    name_ja: nameJa, name_en: nameEn, country: 'JP', preferred_lang: lang,
    contacts: [{ channel: 'email', value: email, is_primary: true, is_valid: true }],
  }, email, { name: `${nameEn} PSIRT`, token: false });
  vendors[key] = { id: vendor.id, name_ja: nameJa, name_en: nameEn, email };
}

const casePath = (suffix = '') => `/cases/${encodeURIComponent(ref)}${suffix}`;

/* GET a page, then POST form (with the page's CSRF token) to action. */
const postForm = (jar, page, action, form, lang = 'ja') => cases.postForm(srv.url, jar, page, action, form, lang);

before(async () => {
  srv = await startServer();
  await addVendor('sample-denki', 'サンプル電機', 'Sample Denki', 'ja');
  await addVendor('example-net', 'イグザンプル網', 'Example Networks', 'en');
  await addVendor('outsider', '部外者工業', 'Outsider Industries', 'ja');
  const body = productReport();
  body.product.vendor = 'サンプル電機';
  body.product.name = 'SDカメラ';
  body.attachments = [{ filename: 'poc.txt', content_type: 'text/plain', data_base64: POC.toString('base64') }];
  ({ tid } = await cases.acceptedReport(srv, body));
  ({ jar: coord } = await login(srv.url, USERS.coordinator.email, PASSWORD, { lang: 'ja' }));
});
after(async () => { await srv?.stop(); });

// SPEC 2.4: the case is opened from the accepted report through the prefilled form
test('a coordinator opens a case from the accepted report; bad input is shown again and stores nothing', async () => {
  const report = await browse(srv.url, `/intake/reports/${rid(tid)}`, coord, { lang: 'ja' });
  assert.equal(report.status, 200);
  assert.ok(report.text.includes(`<a href="/cases/new?report=${rid(tid)}" id="open-case">ケースを作成</a>`), 'the link on the report page');

  const empty = await browse(srv.url, '/cases', coord, { lang: 'ja' });
  assert.equal(empty.status, 200);
  assert.match(empty.text, /id="cases-empty"/);
  assert.match(empty.text, /<a href="\/cases">ケース<\/a>/, 'the Cases link in the menu');

  const form = await browse(srv.url, `/cases/new?report=${rid(tid)}`, coord, { lang: 'ja' });
  assert.equal(form.status, 200, form.text);
  assert.match(form.text, new RegExp(`<textarea id="c-reports" name="reports"[^>]*>${tid}</textarea>`));
  assert.match(form.text, /SDカメラ/, 'the title comes from the report');
  assert.match(form.text, /再現手順/, 'the detail holds what the finder wrote, labelled');
  const csrf = csrfField(form.text);

  const before = count('cases');
  const bad = await browse(srv.url, '/cases', coord, { method: 'POST', lang: 'ja',
    form: { csrf, reports: tid, title: '', summary: SUMMARY, detail: DETAIL } });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fieldErrors(bad.text), ['title']);
  assert.match(bad.text, /id="error-summary"/);
  assert.match(bad.text.slice(bad.text.indexOf('data-field="title"')), JAPANESE_RE);
  assert.ok(bad.text.includes(SUMMARY), 'what was typed stays');
  const noReport = await browse(srv.url, '/cases', coord, { method: 'POST', lang: 'en',
    form: { csrf, reports: 'IPA#99999999', title: 'T', summary: 'S', detail: 'D' } });
  assert.equal(noReport.status, 400, noReport.text);
  assert.deepEqual(fieldErrors(noReport.text), ['reports[0]']);
  assert.match(noReport.text, /There is no report IPA#99999999\./);
  assert.equal(count('cases'), before);

  const ok = await browse(srv.url, '/cases', coord, { method: 'POST', lang: 'ja',
    form: { csrf, reports: tid, title: 'SDカメラの認証回避', summary: SUMMARY, detail: DETAIL } });
  assert.equal(ok.status, 303, ok.text);
  const m = /^\/cases\/([A-Z]+%23\d{6})$/.exec(ok.headers.get('location'));
  assert.ok(m, ok.headers.get('location'));
  ref = decodeURIComponent(m[1]);
  assert.equal(count('cases'), before + 1);
  /* R §5.1.2: the report's attachment passed on with the detail (the API's; the page has no chooser yet) */
  const aid = Number(sql(`SELECT a.id FROM attachments a JOIN reports r ON r.id = a.report_id WHERE r.tracking_id = '${tid}'`));
  const pass = await api(srv.url, `/api/v1/cases/${encodeURIComponent(ref)}`, { method: 'PATCH', token: srv.tokens.coordinator,
    body: { attachments: [aid] } });
  assert.equal(pass.status, 200, pass.text);
  /* the report's page links to its case now, and offers no second one */
  const inCase = await browse(srv.url, `/intake/reports/${rid(tid)}`, coord, { lang: 'ja' });
  assert.ok(inCase.text.includes(`<a href="/cases/${encodeURIComponent(ref)}" id="report-case">${ref}</a>`), 'the report links to its case');
  assert.ok(!inCase.text.includes('id="open-case"'));

  const page = await browse(srv.url, casePath(), coord, { lang: 'ja' });
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, new RegExp(`<span id="case-ref">${ref}</span>`));
  assert.match(page.text, /id="case-day0">\s*まだありません/);
  assert.ok(page.text.includes(SUMMARY) && page.text.includes(DETAIL));
  assert.match(page.text, /<li data-label="[^"]*A"><strong>/, 'the finder by its letter');
  assert.ok(!page.text.includes('山田') && !page.text.includes('taro@example.jp'), 'no identity without consent (SPEC 1)');
});

// SPEC 2.6: vendors added, then notified in one action; day 0 is fixed
test('the coordinator adds two vendors and notifies both in one POST; bad input stores nothing', async () => {
  const page = casePath();
  const before = count('case_vendors');
  const notNumber = await postForm(coord, page, casePath('/vendors'), { vendor_id: 'abc' });
  assert.equal(notNumber.status, 400, notNumber.text);
  assert.deepEqual(fieldErrors(notNumber.text), ['vendor_id']);
  assert.match(notNumber.text, /id="va-vendor_id" name="vendor_id" size="8" inputmode="numeric" value="abc"/, 'what was typed stays');
  const missing = await postForm(coord, page, casePath('/vendors'), { vendor_id: '999999' });
  assert.equal(missing.status, 404, missing.text);
  assert.deepEqual(fieldErrors(missing.text), ['vendor_id']);
  assert.equal(count('case_vendors'), before);

  for (const key of ['sample-denki', 'example-net']) {
    const r = await postForm(coord, page, casePath('/vendors'), { vendor_id: String(vendors[key].id) });
    assert.equal(r.status, 303, r.text);
    assert.equal(r.headers.get('location'), `${casePath()}?saved=vendor#sec-vendors`);
  }
  assert.equal(count('case_vendors'), before + 2);
  const twice = await postForm(coord, page, casePath('/vendors'), { vendor_id: String(vendors['sample-denki'].id) }, 'en');
  assert.equal(twice.status, 409, twice.text);
  assert.match(twice.text, /id="error-summary"/);

  const none = await postForm(coord, page, casePath('/notify'), {});
  assert.equal(none.status, 400, none.text);
  assert.deepEqual(fieldErrors(none.text), ['vendor_ids']);
  assert.equal(count('contact_attempts'), 0);

  const notify = await postForm(coord, page, casePath('/notify'), {
    [`notify.${vendors['sample-denki'].id}`]: '1', [`notify.${vendors['example-net'].id}`]: '1' });
  assert.equal(notify.status, 303, notify.text);
  assert.equal(count('contact_attempts'), 2);

  const shown = await browse(srv.url, `${page}?saved=notify`, coord, { lang: 'en' });
  assert.equal(shown.status, 200);
  assert.match(shown.text, /id="saved"/);
  assert.match(shown.text, /id="case-day0">\s*<time datetime="\d{4}-\d\d-\d\dT/);
  const grid = shown.text.slice(shown.text.indexOf('id="status-grid"'));
  for (const key of ['sample-denki', 'example-net']) {
    assert.match(grid, new RegExp(`<tr data-vendor-id="${vendors[key].id}">[\\s\\S]*?data-status="notified"`));
  }
  assert.ok(!grid.includes(`data-vendor-id="${vendors.outsider.id}"`));
});

test('a vulnerability is added; a bad vector is shown next to its field', async () => {
  const before = count('vulnerabilities');
  const bad = await postForm(coord, casePath(), casePath('/vulnerabilities'), { title: '2つ目', cvss3: 'CVSS:3.1/AV:X' });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fieldErrors(bad.text), ['cvss3']);
  assert.match(bad.text, /id="vn-title"[^>]*value="2つ目"/);
  assert.equal(count('vulnerabilities'), before);
  const ok = await postForm(coord, casePath(), casePath('/vulnerabilities'), { title: 'ログの情報漏えい', cwe: 'CWE-532',
    cvss3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' });
  assert.equal(ok.status, 303, ok.text);
  assert.equal(count('vulnerabilities'), before + 1);
});

test('the dashboard lists the case with day 0, for the coordinator in both languages', async () => {
  for (const [lang, heading] of [['ja', 'ケース'], ['en', 'Cases']]) {
    const page = await browse(srv.url, '/cases?filter=all', coord, { lang });
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, new RegExp(`<h1>${heading}</h1>`));
    const row = new RegExp(`<tr data-case="${ref}" data-state="[a-z_]+">[\\s\\S]*?<td class="days">0</td>\\s*<td class="waiting-on">2</td>`);
    assert.match(page.text, row);
  }
  const mine = await browse(srv.url, '/cases', coord, { lang: 'en' });
  assert.match(mine.text, new RegExp(`data-case="${ref}"`), 'the coordinator who opened it is its coordinator');
  const bad = await browse(srv.url, '/cases?filter=nonsense', coord, { lang: 'en' });
  assert.equal(bad.status, 400);
  const audit = await browse(srv.url, casePath('/audit'), coord, { lang: 'ja' });
  assert.equal(audit.status, 200);
  assert.match(audit.text, /<table class="history" id="audit">/);
});

// R §5.1.2: the summary first, the detail only after asking; SPEC 2.7: the vendor's own status
test('a notified vendor sees the summary only, asks for the detail, and reports "affected" with a fixed version, in Japanese', async () => {
  const v = vendors['sample-denki'];
  const { jar } = await login(srv.url, v.email, PASSWORD, { lang: 'ja' });
  const list = await browse(srv.url, '/cases', jar, { lang: 'ja' });
  assert.equal(list.status, 200);
  assert.match(list.text, new RegExp(`data-case="${ref}"`));

  const first = await browse(srv.url, casePath(), jar, { lang: 'ja' });
  assert.equal(first.status, 200, first.text);
  assert.ok(first.text.includes(SUMMARY));
  assert.ok(!first.text.includes(DETAIL), 'no detail before asking');
  assert.match(first.text, /id="form-answer"/);
  assert.ok(!first.text.includes('poc.txt'), 'no attachment before asking');
  const early = await browse(srv.url, casePath('/attachments/1'), jar, { lang: 'ja' });
  assert.equal(early.status, 403, 'the case is the vendor\'s to read, the detail not yet');
  assert.ok(!early.text.includes('概念実証'));
  assert.match(first.text, /他に 1 社の製品開発者が関わっています/);
  for (const other of [vendors['example-net'], vendors.outsider]) {
    assert.ok(!first.text.includes(other.name_ja) && !first.text.includes(other.name_en), 'no other vendor\'s name');
  }
  assert.ok(!first.text.includes('山田') && !first.text.includes('taro@example.jp'), 'no finder identity');

  const noReason = await postForm(jar, casePath(), casePath('/answer'), { answer: 'not_applicable', reason: '' });
  assert.equal(noReason.status, 400, noReason.text);
  assert.deepEqual(fieldErrors(noReason.text), ['reason']);
  assert.ok(!noReason.text.includes(DETAIL));

  const ask = await postForm(jar, casePath(), casePath('/answer'), { answer: 'send_detail', reason: 'ignored' });
  assert.equal(ask.status, 303, ask.text);
  const detail = await browse(srv.url, casePath(), jar, { lang: 'ja' });
  assert.ok(detail.text.includes(DETAIL), 'the detail after asking');
  assert.ok(!detail.text.includes('id="form-answer"'));
  assert.match(detail.text, /data-status="detail_requested" id="status-1"/);
  const link = /<a href="(\/cases\/[^"]+\/attachments\/\d+)">poc\.txt<\/a>/.exec(detail.text);
  assert.ok(link, 'the passed-on attachment after asking');
  const file = await fetch(srv.url + link[1], { headers: { cookie: jar.header() } });
  assert.equal(file.status, 200);
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), POC, 'byte-identical');
  assert.equal(Number(sql(`SELECT count(*) FROM audit WHERE action = 'detail.download'`)), 1, 'the download is audited');

  const wrong = await postForm(jar, casePath(), casePath('/status'), { vulnerability: '1', status: 'fixed' });
  assert.equal(wrong.status, 409, wrong.text);
  assert.match(wrong.text, /id="error-summary"/);
  const badVuln = await postForm(jar, casePath(), casePath('/status'), { vulnerability: '99', status: 'affected' });
  assert.equal(badVuln.status, 400, badVuln.text);
  assert.match(badVuln.text, /<li data-path="vulnerability">[^<]*99/, 'a fault no form shows is in the summary');

  const affected = await postForm(jar, casePath(), casePath('/status'), { vulnerability: '1', status: 'affected',
    fixed_versions: '2.1.0', note: '2.0 以前が影響を受けます' });
  assert.equal(affected.status, 303, affected.text);
  const after = await browse(srv.url, casePath(), jar, { lang: 'ja' });
  assert.match(after.text, /data-status="affected" id="status-1"/);
  assert.match(after.text, /<span class="fixed-version">2\.1\.0<\/span>/);
  assert.match(after.text, /id="form-status-1"/, 'affected -> fixed is still open to it');
});

test('the other vendor answers "not applicable" in English; it never sees the first vendor', async () => {
  const v = vendors['example-net'];
  const { jar } = await login(srv.url, v.email, PASSWORD, { lang: 'en' });
  const page = await browse(srv.url, casePath(), jar, { lang: 'en' });
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /1 other vendor is involved\./);
  assert.ok(!page.text.includes('サンプル電機') && !page.text.includes('Sample Denki'));
  assert.ok(!page.text.includes(DETAIL));
  const na = await postForm(jar, casePath(), casePath('/answer'), { answer: 'not_applicable', reason: 'We do not ship this component.' }, 'en');
  assert.equal(na.status, 303, na.text);
  const again = await postForm(jar, casePath(), casePath('/answer'), { answer: 'send_detail' }, 'en');
  assert.equal(again.status, 409, 'answering twice');
  const shown = await browse(srv.url, casePath(), jar, { lang: 'en' });
  assert.match(shown.text, /id="answered-not-applicable"/);
  assert.ok(!shown.text.includes(DETAIL), 'no detail after "not applicable"');

  const staff = await browse(srv.url, casePath(), coord, { lang: 'en' });
  assert.match(staff.text, /We do not ship this component\./);
  assert.match(staff.text, new RegExp(`<tr data-vendor-id="${v.id}">[\\s\\S]*?data-status="not_affected"`));
});

// SPEC 2.13: the vendor's own thread
test('a vendor writes to the coordinator; an empty message is refused; the coordinator sees and answers it', async () => {
  const v = vendors['sample-denki'];
  const { jar } = await login(srv.url, v.email, PASSWORD, { lang: 'ja' });
  const before = count('case_messages');
  const empty = await postForm(jar, casePath(), casePath('/messages'), { thread: 'vendor', kind: 'environment_request', body: '' });
  assert.equal(empty.status, 400, empty.text);
  assert.deepEqual(fieldErrors(empty.text), ['body']);
  assert.equal(count('case_messages'), before);
  const sent = await postForm(jar, casePath(), casePath('/messages'), { thread: 'vendor', kind: 'environment_request', body: '再現環境を教えてください。' });
  assert.equal(sent.status, 303, sent.text);
  const staff = await browse(srv.url, casePath(), coord, { lang: 'ja' });
  assert.match(staff.text, /再現環境を教えてください。/);
  const m = /<article class="thread" id="thread-(\d+)" data-kind="vendor">/.exec(staff.text);
  assert.ok(m, 'the thread is on the staff page');
  const reply = await postForm(coord, casePath(), casePath('/messages'), { reply_to: m[1], thread: 'vendor',
    vendor_id: String(v.id), body: 'ファームウェア 2.0 の初期設定です。' });
  assert.equal(reply.status, 303, reply.text);
  const seen = await browse(srv.url, casePath(), jar, { lang: 'ja' });
  assert.match(seen.text, /ファームウェア 2\.0 の初期設定です。/);
  const other = await login(srv.url, vendors['example-net'].email, PASSWORD, { lang: 'en' });
  const otherPage = await browse(srv.url, casePath(), other.jar, { lang: 'en' });
  assert.ok(!otherPage.text.includes('再現環境を教えてください'), 'another vendor\'s thread is not shown');
});

// SPEC 1: a denied read looks the same as a missing case
test('a vendor not on the case gets the 404 page of a missing case, and no form of it works', async () => {
  const { jar } = await login(srv.url, vendors.outsider.email, PASSWORD, { lang: 'ja' });
  const list = await browse(srv.url, '/cases', jar, { lang: 'ja' });
  assert.equal(list.status, 200);
  assert.ok(!list.text.includes(ref));
  const page = await browse(srv.url, casePath(), jar, { lang: 'ja' });
  const missing = await browse(srv.url, `/cases/${encodeURIComponent(ref.replace(/\d{6}$/, '999999'))}`, jar, { lang: 'ja' });
  assert.equal(page.status, 404);
  assert.equal(missing.status, 404);
  assert.ok(!page.text.includes(SUMMARY) && !page.text.includes('SDカメラの認証回避'));
  const same = (text, r) => text.replaceAll(r, 'REF').replaceAll(encodeURIComponent(r), 'REF')
    .replace(/name="csrf" value="[^"]*"/g, '');
  assert.equal(same(page.text, ref), same(missing.text, ref.replace(/\d{6}$/, '999999')),
    'the same page as for a case that does not exist');
  const csrf = csrfField(list.text);
  const answer = await browse(srv.url, casePath('/answer'), jar, { method: 'POST', lang: 'ja', form: { csrf, answer: 'send_detail' } });
  assert.equal(answer.status, 404);
  const attachment = await browse(srv.url, casePath('/attachments/1'), jar, { lang: 'ja' });
  assert.equal(attachment.status, 404);
  const audit = await browse(srv.url, casePath('/audit'), jar, { lang: 'ja' });
  assert.equal(audit.status, 403, 'no vendor reads the audit trail');
  const anon = await browse(srv.url, casePath(), new CookieJar(), { lang: 'ja' });
  assert.equal(anon.status, 303, 'anonymous: to the sign-in page');
  const newForm = await browse(srv.url, '/cases/new', jar, { lang: 'ja' });
  assert.equal(newForm.status, 403, 'only a coordinator opens cases');
});

// SPEC 2.7, 2.11: countermeasures, the statement, a suggestion of another vendor
test('the vendor keeps its countermeasure and statement and suggests a vendor; bad input stores nothing', async () => {
  const v = vendors['sample-denki'];
  const { jar } = await login(srv.url, v.email, PASSWORD, { lang: 'ja' });
  const cms = count('countermeasures');
  const badUrl = await postForm(jar, casePath(), casePath('/countermeasures'), { vulnerability: '1', product_name: 'SDカメラ',
    urls: 'javascript:alert(1)' });
  assert.equal(badUrl.status, 400, badUrl.text);
  assert.deepEqual(fieldErrors(badUrl.text), ['urls[0]']);
  assert.match(badUrl.text, /<details class="edit" open>\s*<summary>対策を追加・変更/, 'the form is shown open');
  assert.equal(count('countermeasures'), cms);
  const cm = await postForm(jar, casePath(), casePath('/countermeasures'), { vulnerability: '1', product_name: 'SDカメラ',
    fixed_versions: '2.1.0', urls: 'https://sample-denki.example/advisory/1', workaround_ja: '管理画面を外部に公開しない。',
    workaround_en: 'Do not expose the admin page.' });
  assert.equal(cm.status, 303, cm.text);
  const st = await postForm(jar, casePath(), casePath('/statement'), { ja: '修正版 2.1.0 を公開しました。', en: 'Version 2.1.0 fixes it.' });
  assert.equal(st.status, 303, st.text);
  const sugg = count('vendor_suggestions');
  const noName = await postForm(jar, casePath(), casePath('/suggestions'), { name: '', note: '同じ部品' });
  assert.equal(noName.status, 400, noName.text);
  assert.equal(count('vendor_suggestions'), sugg);
  const ok = await postForm(jar, casePath(), casePath('/suggestions'), { name: 'カメラ部品工業', note: '同じ画像処理部品を使っています。' });
  assert.equal(ok.status, 303, ok.text);

  const page = await browse(srv.url, casePath(), jar, { lang: 'ja' });
  assert.match(page.text, /<a href="https:\/\/sample-denki\.example\/advisory\/1" rel="noopener noreferrer">/);
  assert.match(page.text, /管理画面を外部に公開しない。/);
  assert.match(page.text, /<textarea id="st-ja" name="ja" rows="3" lang="ja">修正版 2\.1\.0 を公開しました。<\/textarea>/);
  const staff = await browse(srv.url, casePath(), coord, { lang: 'en' });
  assert.match(staff.text, /<strong>カメラ部品工業<\/strong>/, 'the coordinator sees the suggestion');
  assert.match(staff.text, /Version 2\.1\.0 fixes it\./);
});

// issue 9 item 4: the coordinator decides whether vendors see each other's names
test('the coordinator changes the case and lets the vendors see each other\'s names; an empty title is refused', async () => {
  const title = sql(`SELECT title FROM cases WHERE ref = '${ref}'`);
  const bad = await postForm(coord, casePath(), casePath('/update'), { title: '', summary: SUMMARY, detail: DETAIL });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fieldErrors(bad.text), ['title']);
  assert.match(bad.text, /<details class="edit" open>\s*<summary>件名・概要情報・詳細情報を変更/);
  assert.equal(sql(`SELECT title FROM cases WHERE ref = '${ref}'`), title);

  const share = await postForm(coord, casePath(), casePath('/update'), { vendors_see_names: '1' });
  assert.equal(share.status, 303, share.text);
  const { jar } = await login(srv.url, vendors['sample-denki'].email, PASSWORD, { lang: 'ja' });
  const shared = await browse(srv.url, casePath(), jar, { lang: 'ja' });
  assert.match(shared.text, /<span class="other-vendor">イグザンプル網<\/span>/);
  assert.ok(!shared.text.includes(vendors.outsider.name_ja));
  const hide = await postForm(coord, casePath(), casePath('/update'), { vendors_see_names: '0' });
  assert.equal(hide.status, 303, hide.text);
  const hidden = await browse(srv.url, casePath(), jar, { lang: 'ja' });
  assert.ok(!hidden.text.includes('イグザンプル網') && !hidden.text.includes('Example Networks'));
});

// SPEC 2.7: the coordinator records what it hears, as the table allows
test('the coordinator sets a vendor\'s status on its behalf; a move the table lacks is refused', async () => {
  const v = vendors['sample-denki'];
  const wrong = await postForm(coord, casePath(), casePath('/status'), { vendor_id: String(vendors['example-net'].id),
    vulnerability: '1', status: 'fixed' });
  assert.equal(wrong.status, 409, wrong.text);
  assert.match(wrong.text, /<details class="edit" open>\s*<summary>製品開発者に代わって状況を記録/);
  const ok = await postForm(coord, casePath(), casePath('/status'), { vendor_id: String(v.id), vulnerability: '1',
    status: 'fixed', note: '電話で確認' });
  assert.equal(ok.status, 303, ok.text);
  const page = await browse(srv.url, casePath(), coord, { lang: 'en' });
  assert.match(page.text, new RegExp(`<tr data-vendor-id="${v.id}">[\\s\\S]*?<td class="cell" data-vulnerability="1"><span class="status status-fixed" data-status="fixed">`));
});

test('every case page answers in Japanese and in English, for the coordinator and for a vendor on the case', async () => {
  const { jar } = await login(srv.url, vendors['sample-denki'].email, PASSWORD, { lang: 'en' });
  const pages = [
    [coord, '/cases', '<h1>ケース</h1>', '<h1>Cases</h1>'],
    [coord, '/cases?filter=all', '<h1>ケース</h1>', '<h1>Cases</h1>'],
    [coord, `/cases/new?report=${rid(tid)}`, '<h1>ケースを作成</h1>', '<h1>Open a case</h1>'],
    [coord, casePath(), '>概要情報と詳細情報</h2>', '>Summary and detail</h2>'],
    [coord, casePath('/audit'), '<h1>ケースの監査記録 ', '<h1>Audit trail of the case '],
    [jar, '/cases', '>貴社の状況</th>', '>Your status</th>'],
    [jar, casePath(), '>脆弱性と貴社の状況</h2>', '>Vulnerabilities and your status</h2>'],
  ];
  for (const [who, p, ja, en] of pages) {
    for (const [lang, marker] of [['ja', ja], ['en', en]]) {
      const r = await browse(srv.url, p, who, { lang });
      assert.equal(r.status, 200, `${p} in ${lang}: ${r.text.slice(0, 200)}`);
      assert.match(r.text, new RegExp(`<html lang="${lang}">`));
      assert.ok(r.text.includes(marker), `${p} in ${lang} shows ${marker}`);
    }
  }
});

test('the coordinator closes the case with a reason; without one it stays open', async () => {
  const bad = await postForm(coord, casePath(), casePath('/close'), { reason: '' });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fieldErrors(bad.text), ['reason']);
  assert.equal(sql(`SELECT state FROM cases WHERE ref = '${ref}'`), 'open');
  const ok = await postForm(coord, casePath(), casePath('/close'), { reason: '全製品開発者の対応が完了した。' });
  assert.equal(ok.status, 303, ok.text);
  assert.equal(sql(`SELECT state FROM cases WHERE ref = '${ref}'`), 'closed');
  const closed = await browse(srv.url, '/cases?filter=closed', coord, { lang: 'ja' });
  assert.match(closed.text, new RegExp(`<tr data-case="${ref}" data-state="closed">`));
  const open = await browse(srv.url, '/cases?filter=open', coord, { lang: 'ja' });
  assert.ok(!open.text.includes(`data-case="${ref}"`));
});

// SPEC 1, 2.13: intake talks with the finder; a coordinator only with one that consented
test('intake writes to the finder from the case page; the coordinator is not offered it without consent', async () => {
  assert.ok(!(await browse(srv.url, casePath(), coord, { lang: 'ja' })).text.includes('id="form-message-finder"'));
  const { jar } = await login(srv.url, USERS.intake.email, PASSWORD, { lang: 'ja' });
  const page = await browse(srv.url, casePath(), jar, { lang: 'ja' });
  assert.equal(page.status, 200);
  assert.match(page.text, /id="form-message-finder"/);
  assert.ok(!page.text.includes('id="form-update"'), 'intake does not change the case');
  const before = count('case_messages');
  const empty = await postForm(jar, casePath(), casePath('/messages'), { reply_to: 'finder', thread: 'finder', finder: 'A', body: '' });
  assert.equal(empty.status, 400, empty.text);
  assert.deepEqual(fieldErrors(empty.text), ['body']);
  assert.match(empty.text, /<details class="edit" open>\s*<summary>発見者にメッセージを送る/);
  assert.equal(count('case_messages'), before);
  const ok = await postForm(jar, casePath(), casePath('/messages'), { reply_to: 'finder', thread: 'finder', finder: 'A',
    body: '製品開発者への連絡を始めました。' });
  assert.equal(ok.status, 303, ok.text);
  const shown = await browse(srv.url, casePath(), jar, { lang: 'ja' });
  assert.match(shown.text, /<article class="thread" id="thread-\d+" data-kind="finder">[\s\S]*?製品開発者への連絡を始めました。/);
  const vendor = await login(srv.url, vendors['sample-denki'].email, PASSWORD, { lang: 'ja' });
  assert.ok(!(await browse(srv.url, casePath(), vendor.jar, { lang: 'ja' })).text.includes('製品開発者への連絡を始めました'),
    'no vendor sees the finder thread');
});
