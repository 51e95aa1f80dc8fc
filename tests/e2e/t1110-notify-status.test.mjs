// t1110: the two-stage notification and the vendors' statuses over the JSON API
// (issue 9; SPEC 2.6, 2.7, R §5.1.2, G IV.5; docs/api/cases.md "Notification,
// answers and statuses"): the whole path with two vendors, one of which
// answers "not applicable": the exact shapes (POST .../notify
// {"vendor_ids"} -> 200, POST .../answer, POST .../status {"vulnerability",
// "status", "fixed_versions", "note"}), day 0, the summary notice in the
// outbox (in each vendor's language, with the link, never the detail: SPEC 1),
// the detail only after asking, the order the status table imposes, no
// vendor touching another's, countermeasures, the statement, suggestions, the
// detail's attachments, the audit trail, and 400s in English and Japanese.
// Runs on the engine of the run (SQLite, or PostgreSQL with KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, outbox } from './lib/server.mjs';
import { acceptedReport, openCase, vendorWithUser } from './lib/cases.mjs';

let srv;
let ex; let sd; /* two vendors of the registry: English, Japanese */
let exTok; let sdTok; /* their users' tokens */
let ref; /* the case */
let day0;

const SUMMARY = 'A stored XSS in the admin page of Widget.';
const DETAIL = 'DETAIL-7f3a: log in, open /admin, paste the PoC into the title field.';

const send = (method, p, token, body, opts = {}) => api(srv.url, p, { token, method, body, lang: 'en', ...opts });
const get = (p, token, opts = {}) => api(srv.url, p, { token, lang: 'en', ...opts });
const cp = (suffix = '') => `/api/v1/cases/${encodeURIComponent(ref)}${suffix}`;

async function vendor(body, email) {
  const { vendor: v, token } = await vendorWithUser(srv, body, email);
  return [v, token];
}

const statusOf = (view, vendorId) => view.vendors.find((v) => v.vendor_id === vendorId).statuses[0].status;

before(async () => {
  srv = await startServer();
  [ex, exTok] = await vendor({ name_en: 'Example Networks', preferred_lang: 'en',
    contacts: [{ channel: 'email', value: 'psirt@example-networks.example', is_primary: true }] },
  'psirt@example-networks.example');
  [sd, sdTok] = await vendor({ name_ja: 'サンプル電機', name_en: 'Sample Denki', preferred_lang: 'ja',
    contacts: [{ channel: 'email', value: 'psirt@sample-denki.example', is_primary: true }] },
  'psirt@sample-denki.example');
  const { tid } = await acceptedReport(srv);
  ref = (await openCase(srv, [tid], { title: 'XSS in Widget', summary: SUMMARY, detail: DETAIL })).id;
});
after(async () => { await srv?.stop(); });

test('POST .../notify {"vendor_ids"} -> 200: both vendors notified, day 0 set (SPEC 2.6)', async () => {
  const bad = await send('POST', cp('/notify'), srv.tokens.coordinator, { vendor_ids: [ex.id, 999999] });
  assert.equal(bad.status, 400, bad.text);
  assert.ok(bad.json.fields['vendor_ids[1]'], bad.text);
  const vendorTry = await send('POST', cp('/notify'), exTok, { vendor_ids: [ex.id] });
  assert.equal(vendorTry.status, 403, 'only a coordinator notifies');

  const n = await send('POST', cp('/notify'), srv.tokens.coordinator, { vendor_ids: [ex.id, sd.id] });
  assert.equal(n.status, 200, n.text);
  assert.deepEqual(n.json.notified, [ex.id, sd.id]);
  assert.ok(Number.isInteger(n.json.day0), n.text);
  day0 = n.json.day0;
  const view = await get(cp(), srv.tokens.coordinator);
  assert.equal(view.json.day0, day0);
  assert.equal(statusOf(view.json, ex.id), 'notified');
  assert.equal(statusOf(view.json, sd.id), 'notified');
  const attempt = view.json.vendors.find((v) => v.vendor_id === ex.id).contact_attempts[0];
  assert.equal(attempt.channel, 'email');
  assert.equal(attempt.address, 'psirt@example-networks.example');
  assert.equal(attempt.stage, 'summary');
});

test('the outbox holds one summary notice per vendor, in its language, without the detail (SPEC 1)', async () => {
  const mail = (await outbox(srv.db)).filter((m) => m.case === ref);
  assert.deepEqual(mail.map((m) => [m.kind, m.recipient, m.lang]), [
    ['case_summary', 'psirt@example-networks.example', 'en'],
    ['case_summary', 'psirt@sample-denki.example', 'ja'],
  ]);
  for (const m of mail) {
    assert.ok(m.subject.includes(ref), m.subject);
    assert.ok(m.body.includes(SUMMARY), m.body);
    assert.ok(m.body.includes(`/cases/${encodeURIComponent(ref)}`), m.body);
    assert.ok(!m.body.includes('DETAIL-7f3a') && !m.subject.includes('DETAIL-7f3a'), 'no detail in mail');
  }
  assert.ok(mail[0].body.includes('Dear Example Networks,'), mail[0].body);
  assert.ok(mail[0].subject.startsWith(`[${ref}] Vulnerability notice: XSS in Widget`), mail[0].subject);
  assert.notEqual(mail[1].subject, mail[0].subject.replace('Example Networks', 'サンプル電機'));
});

test('a vendor sees the summary, asks for the detail, and sees it then (R 5.1.2)', async () => {
  const before = await get(cp(), exTok);
  assert.equal(before.status, 200, before.text);
  assert.equal(before.json.summary, SUMMARY);
  assert.equal(before.json.detail, undefined);
  assert.ok(!before.text.includes('DETAIL-7f3a'));
  assert.equal(statusOf(before.json, ex.id), 'summary_read');
  const early = await send('POST', cp('/status'), exTok, { vulnerability: 1, status: 'affected' });
  assert.equal(early.status, 409, 'the table: only an answer moves a vendor before the detail');

  const a = await send('POST', cp('/answer'), exTok, { answer: 'send_detail' });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.detail, DETAIL);
  assert.equal(statusOf(a.json, ex.id), 'detail_requested');
  const again = await send('POST', cp('/answer'), exTok, { answer: 'not_applicable', reason: 'changed my mind' });
  assert.equal(again.status, 409, again.text);
});

test('the other vendor answers "not applicable" with a reason; 400 without one, in English and Japanese', async () => {
  const en = await send('POST', cp('/answer'), sdTok, { answer: 'not_applicable' });
  assert.equal(en.status, 400, en.text);
  assert.deepEqual(Object.keys(en.json.fields), ['reason']);
  const ja = await send('POST', cp('/answer'), sdTok, { answer: 'not_applicable' }, { lang: 'ja' });
  assert.equal(ja.status, 400, ja.text);
  assert.notEqual(ja.json.fields.reason, en.json.fields.reason, 'the Japanese message');
  assert.match(ja.json.fields.reason, /[\u3040-\u30ff\u4e00-\u9fff]/, ja.text);

  const r = await send('POST', cp('/answer'), sdTok,
    { answer: 'not_applicable', reason: 'Widget is not in our products.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.detail, undefined, 'not applicable: the detail stays closed');
  assert.equal(statusOf(r.json, sd.id), 'not_affected');
  assert.equal(r.json.vendors[0].answer, 'not_applicable');
  assert.equal(r.json.vendors[0].answer_reason, 'Widget is not in our products.');
  const att = await get(cp('/attachments/1'), sdTok);
  assert.equal(att.status, 403, 'no detail, no attachment');
});

test('POST .../status with the issue\'s shape: affected with a fixed version, then fixed (SPEC 2.7)', async () => {
  const fixedFirst = await send('POST', cp('/status'), exTok, { vulnerability: 1, status: 'fixed' });
  assert.equal(fixedFirst.status, 409, 'fixed only after affected');
  const bad = await send('POST', cp('/status'), exTok, { vulnerability: 9, status: 'finished', extra: 1 });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(Object.keys(bad.json.fields).sort(), ['extra', 'status']);

  const r = await send('POST', cp('/status'), exTok,
    { vulnerability: 1, status: 'affected', fixed_versions: ['1.2.4'], note: 'Reproduced on 1.2.3.' });
  assert.equal(r.status, 200, r.text);
  const mine = r.json.vendors.find((v) => v.vendor_id === ex.id);
  assert.equal(mine.statuses[0].status, 'affected');
  assert.equal(mine.statuses[0].status_label, 'Affected');
  assert.deepEqual(mine.countermeasures[0].fixed_versions, ['1.2.4']);
  const f = await send('POST', cp('/status'), exTok, { vulnerability: 1, status: 'fixed', note: '1.2.4 is out.' });
  assert.equal(f.status, 200, f.text);
  assert.equal(statusOf(f.json, ex.id), 'fixed');
});

test('no vendor changes another vendor\'s status, nor sees it (SPEC 1)', async () => {
  const other = await send('POST', cp('/status'), exTok, { vulnerability: 1, status: 'affected', vendor_id: sd.id });
  assert.equal(other.status, 403, other.text);
  const sdView = await get(cp(), sdTok);
  assert.equal(sdView.status, 200, sdView.text);
  assert.deepEqual(sdView.json.vendors.map((v) => v.vendor_id), [sd.id]);
  for (const secret of ['Example Networks', 'Reproduced on 1.2.3.', '1.2.4', 'DETAIL-7f3a']) {
    assert.ok(!sdView.text.includes(secret), `the other vendor's view holds no ${secret}`);
  }
  const staff = await get(cp(), srv.tokens.coordinator);
  assert.equal(statusOf(staff.json, ex.id), 'fixed');
  assert.equal(statusOf(staff.json, sd.id), 'not_affected');
});

test('a reminder is another contact attempt; day 0 stays (SPEC 2.6)', async () => {
  const n = await send('POST', cp('/notify'), srv.tokens.coordinator, { vendor_ids: [sd.id] });
  assert.equal(n.status, 200, n.text);
  assert.equal(n.json.day0, day0);
  const staff = await get(cp(), srv.tokens.coordinator);
  const attempts = staff.json.vendors.find((v) => v.vendor_id === sd.id).contact_attempts;
  assert.deepEqual(attempts.map((a) => a.stage), ['summary', 'reminder']);
  assert.equal(statusOf(staff.json, sd.id), 'not_affected', 'a reminder leaves the status');
  const mail = (await outbox(srv.db)).filter((m) => m.case === ref);
  assert.deepEqual(mail.map((m) => m.kind), ['case_summary', 'case_summary', 'case_reminder']);
});

test('countermeasures, the statement and suggestions (SPEC 2.7, 2.11, G IV.5.2)', async () => {
  const cm = await send('POST', cp('/countermeasures'), exTok, {
    vulnerability: 1, product_name: 'Widget', fixed_versions: ['1.2.4'], urls: ['https://example-networks.example/adv/1'],
    workaround_en: 'Turn off the admin page.', workaround_ja: '管理画面を無効にする。',
  });
  assert.equal(cm.status, 200, cm.text);
  assert.deepEqual(cm.json, {
    vulnerability: 1, product_id: null, product_name: 'Widget', fixed_versions: ['1.2.4'],
    urls: ['https://example-networks.example/adv/1'], workaround_ja: '管理画面を無効にする。',
    workaround_en: 'Turn off the admin page.', updated_at: cm.json.updated_at,
  });
  const none = await send('POST', cp('/countermeasures'), sdTok, { vulnerability: 1, workaround_en: 'x' });
  assert.equal(none.status, 403, 'a vendor that did not ask for the detail reports nothing');
  const st = await send('POST', cp('/statement'), exTok, { en: 'Update to 1.2.4.', ja: '1.2.4 に更新してください。' });
  assert.equal(st.status, 200, st.text);
  assert.equal(st.json.en, 'Update to 1.2.4.');
  const sg = await send('POST', cp('/suggestions'), exTok, { name: 'Other Widgets Inc.', note: 'Same library.' });
  assert.equal(sg.status, 201, sg.text);
  assert.equal(sg.json.by_vendor_id, ex.id);
  assert.equal(sg.json.on_case, undefined, 'names are not shared on this case');
  const list = await get(cp('/suggestions'), srv.tokens.coordinator);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.suggestions.map((s) => s.name), ['Other Widgets Inc.']);
  const sdList = await get(cp('/suggestions'), sdTok);
  assert.deepEqual(sdList.json.suggestions, [], 'another vendor\'s suggestions are not its');
  const missing = await get(cp('/attachments/999999'), exTok);
  assert.equal(missing.status, 404, missing.text);
});

test('the audit trail holds every status change with who and why', async () => {
  const a = await get(cp('/audit'), srv.tokens.coordinator);
  assert.equal(a.status, 200, a.text);
  const affected = a.json.audit.find((r) => r.object_type === 'vendor_status' && r.action === 'affected');
  assert.ok(affected, a.text);
  assert.equal(affected.actor, 'psirt@example-networks.example');
  assert.equal(affected.from, 'detail_requested');
  assert.equal(affected.to, 'affected');
  assert.equal(affected.detail.note, 'Reproduced on 1.2.3.');
  const actions = a.json.audit.filter((r) => r.object_type === 'case').map((r) => r.action);
  for (const want of ['notify', 'answer', 'countermeasure.put', 'statement.put', 'suggestion.add', 'detail.view']) {
    assert.ok(actions.includes(want), `${want} in ${actions}`);
  }
});
