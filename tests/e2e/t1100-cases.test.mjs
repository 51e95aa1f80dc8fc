// t1100: cases over the JSON API (issue 9; SPEC 2.4-2.7; docs/api/cases.md):
// the exact request shapes (POST /api/v1/cases, POST
// /api/v1/cases/{id}/vendors, GET /api/v1/cases/{id}, GET /api/v1/cases), a
// case as each reader sees it (a vendor nothing before it is notified, and
// then the summary without the detail; a denied read the same 404 as a
// missing case, SPEC 1), vulnerabilities with CVSS, CWE and CVE, vendors
// added and taken off, changes, closing, the audit trail, and bad input: 400
// naming every field in English and in Japanese, nothing stored. `keikai case
// show --json` prints what the API gives an administrator. Runs on the engine
// of the run (SQLite, or PostgreSQL with KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, keikai } from './lib/server.mjs';
import { acceptedReport, vendorWithUser } from './lib/cases.mjs';

let srv;
let ex; let sd; /* two vendors of the registry */
let psirt; let sdPsirt; /* tokens of their users */
let tid; let tid2; /* accepted product reports */
let ref; /* the case */

/* English unless a test asks for Japanese (the server's default language is Japanese) */
const send = (method, p, token, body, opts = {}) => api(srv.url, p, { token, method, body, lang: 'en', ...opts });
const get = (p, token, opts = {}) => api(srv.url, p, { token, lang: 'en', ...opts });
const cid = (r) => encodeURIComponent(r);

async function vendor(body, email) {
  const { vendor: v, token } = await vendorWithUser(srv, body, email);
  return [v, token];
}

const accepted = async () => (await acceptedReport(srv)).tid;

before(async () => {
  srv = await startServer();
  [ex, psirt] = await vendor({ name_en: 'Example Networks',
    contacts: [{ channel: 'email', value: 'psirt@example-networks.example', is_primary: true }] },
  'psirt@example-networks.example');
  [sd, sdPsirt] = await vendor({ name_ja: 'サンプル電機', name_en: 'Sample Denki',
    contacts: [{ channel: 'email', value: 'psirt@sample-denki.example', is_primary: true }] },
  'psirt@sample-denki.example');
  tid = await accepted();
  tid2 = await accepted();
});
after(async () => { await srv?.stop(); });

test('POST /api/v1/cases with the issue\'s shape opens a case with one vulnerability (SPEC 2.4)', async () => {
  const r = await send('POST', '/api/v1/cases', srv.tokens.coordinator, {
    reports: [tid], title: 'XSS in the admin page', summary: 'A stored XSS in the admin page.',
    detail: 'Steps: log in, open /admin, paste the PoC.',
  });
  assert.equal(r.status, 201, r.text);
  ref = r.json.id;
  assert.match(ref, /^VU#\d{6}$/);
  assert.equal(r.json.state, 'open');
  assert.equal(r.json.day0, null, 'no contact attempt yet');
  assert.equal(r.json.title, 'XSS in the admin page');
  assert.deepEqual(r.json.vulnerabilities.map((v) => [v.number, v.title]), [[1, 'XSS in the admin page']]);
  assert.deepEqual(r.json.finders.map((f) => [f.label, f.tracking_id]), [['Finder A', tid]]);
  assert.equal(r.json.finders[0].identity, undefined, 'G IV.3(1)6: the finder did not consent');
  assert.ok(!r.text.includes('@example.jp'), 'no finder address in the coordinator\'s view');
});

test('POST /api/v1/cases/{id}/vendors adds a vendor, not yet notified (201); twice is 409, none 404', async () => {
  const r = await send('POST', `/api/v1/cases/${cid(ref)}/vendors`, srv.tokens.coordinator, { vendor_id: ex.id });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.vendor_id, ex.id);
  assert.equal(r.json.name, 'Example Networks');
  assert.equal(r.json.notified_at, null);
  assert.deepEqual(r.json.statuses.map((s) => [s.vulnerability, s.status]), [[1, 'not_notified']]);
  const sdAdd = await send('POST', `/api/v1/cases/${cid(ref)}/vendors`, srv.tokens.coordinator, { vendor_id: sd.id });
  assert.equal(sdAdd.status, 201, sdAdd.text);
  const again = await send('POST', `/api/v1/cases/${cid(ref)}/vendors`, srv.tokens.coordinator, { vendor_id: ex.id });
  assert.equal(again.status, 409, again.text);
  const none = await send('POST', `/api/v1/cases/${cid(ref)}/vendors`, srv.tokens.coordinator, { vendor_id: 999999 });
  assert.equal(none.status, 404, none.text);
  assert.ok(none.json.fields.vendor_id, none.text);
  const intake = await send('POST', `/api/v1/cases/${cid(ref)}/vendors`, srv.tokens.intake, { vendor_id: ex.id });
  assert.equal(intake.status, 403, 'only a coordinator changes a case');
});

test('GET /api/v1/cases/{id}: a vendor sees nothing before it is notified, the same 404 as a missing case (SPEC 1)', async () => {
  const missingRef = ref === 'VU#000000' ? 'VU#000001' : 'VU#000000';
  const mine = await get(`/api/v1/cases/${cid(ref)}`, psirt);
  const missing = await get(`/api/v1/cases/${cid(missingRef)}`, psirt);
  assert.equal(mine.status, 404);
  assert.equal(missing.status, 404);
  assert.equal(mine.json.error, `There is no case ${ref}.`);
  assert.equal(missing.json.error, `There is no case ${missingRef}.`);
  assert.deepEqual(Object.keys(mine.json).sort(), Object.keys(missing.json).sort());
  const list = await get('/api/v1/cases', psirt);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.cases, []);
  const op = await get(`/api/v1/cases/${cid(ref)}`, srv.tokens.operator);
  assert.equal(op.status, 403, 'the gate: an operator never reads cases');
});

test('GET /api/v1/cases/{id} after the notice: the summary and day 0, the detail only after asking (R 5.1.2)', async () => {
  const n = await send('POST', `/api/v1/cases/${cid(ref)}/notify`, srv.tokens.coordinator, { vendor_ids: [ex.id] });
  assert.equal(n.status, 200, n.text);
  const v = await get(`/api/v1/cases/${cid(ref)}`, psirt);
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.summary, 'A stored XSS in the admin page.');
  assert.ok(Number.isInteger(v.json.day0), 'SPEC 2.6: the first contact attempt is day 0');
  assert.equal(v.json.detail, undefined);
  assert.equal(v.json.finders, undefined);
  assert.deepEqual(v.json.vendors.map((x) => x.vendor_id), [ex.id], 'its own entry only');
  assert.equal(v.json.vendors[0].statuses[0].status, 'summary_read', 'the first read marks the summary read');
  assert.equal(v.json.other_vendors, 0, 'Sample Denki is not notified');
  assert.equal(v.json.vulnerabilities[0].description, undefined);
  for (const secret of ['Steps: log in', tid, 'Sample Denki', 'サンプル電機']) {
    assert.ok(!v.text.includes(secret), `the vendor's view holds no ${secret}`);
  }
  const other = await get(`/api/v1/cases/${cid(ref)}`, sdPsirt);
  assert.equal(other.status, 404, 'a vendor not notified');

  const a = await send('POST', `/api/v1/cases/${cid(ref)}/answer`, psirt, { answer: 'send_detail' });
  assert.equal(a.status, 200, a.text);
  const d = await get(`/api/v1/cases/${cid(ref)}`, psirt);
  assert.equal(d.json.detail, 'Steps: log in, open /admin, paste the PoC.');
  assert.ok(Array.isArray(d.json.attachments));
});

test('GET /api/v1/cases lists the caller\'s cases with the dashboard\'s counts', async () => {
  const c = await get('/api/v1/cases', srv.tokens.coordinator);
  assert.equal(c.status, 200, c.text);
  const [mine] = c.json.cases;
  assert.equal(mine.id, ref);
  assert.equal(mine.vulnerabilities, 1);
  assert.equal(mine.vendors, 2);
  assert.equal(mine.waiting_on, 0, 'the one notified vendor answered');
  assert.equal(mine.unanswered, 0);
  assert.deepEqual((await get('/api/v1/cases?filter=mine', srv.tokens.coordinator)).json.cases.map((x) => x.id), [ref]);
  assert.deepEqual((await get('/api/v1/cases?filter=closed', srv.tokens.coordinator)).json.cases, []);
  const bad = await get('/api/v1/cases?filter=pending', srv.tokens.coordinator);
  assert.equal(bad.status, 400);
  assert.ok(bad.json.fields.filter, bad.text);
  const v = await get('/api/v1/cases', psirt);
  assert.deepEqual(v.json.cases.map((x) => [x.id, x.stage]), [[ref, 'detail_requested']]);
  assert.equal(v.json.cases[0].vendors, undefined, 'staff only');
});

test('vulnerabilities: CVSS scored, CWE and CVE checked, products by CPE; every fault named, nothing stored', async () => {
  const add = await send('POST', `/api/v1/cases/${cid(ref)}/vulnerabilities`, srv.tokens.coordinator, {
    title: 'SQL injection in the search', cwe: 89, cvss3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    cve: 'CVE-2026-12345', products: [{ name: 'Example Router', cpe: 'cpe:/h:example:router', versions: '<= 1.2.3' }],
  });
  assert.equal(add.status, 201, add.text);
  assert.equal(add.json.number, 2);
  assert.deepEqual(add.json.cvss3, { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8,
    severity: 'Critical', severity_label: 'Critical' });
  assert.equal(add.json.cwe.id, 'CWE-89');
  assert.equal(add.json.products[0].cpe, 'cpe:2.3:h:example:router:*:*:*:*:*:*:*:*');
  const v = await get(`/api/v1/cases/${cid(ref)}`, psirt);
  assert.deepEqual(v.json.vendors[0].statuses.map((s) => [s.vulnerability, s.status]),
    [[1, 'detail_requested'], [2, 'detail_requested']], 'SPEC 2.7: the new one at the vendor\'s stage');

  const bad = { title: '', cwe: 'CWE-0', cvss3: 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    cvss4: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', cve: 'CVE-26-1', products: [{}], colour: 'red' };
  const en = await send('POST', `/api/v1/cases/${cid(ref)}/vulnerabilities`, srv.tokens.coordinator, bad);
  assert.equal(en.status, 400, en.text);
  assert.deepEqual(Object.keys(en.json.fields).sort(),
    ['colour', 'cve', 'cvss3', 'cvss4', 'cwe', 'products[0]', 'title']);
  assert.match(en.json.fields.cvss3, /AV/);
  const ja = await send('POST', `/api/v1/cases/${cid(ref)}/vulnerabilities`, srv.tokens.coordinator, bad, { lang: 'ja' });
  assert.equal(ja.status, 400);
  assert.deepEqual(Object.keys(ja.json.fields).sort(), Object.keys(en.json.fields).sort());
  for (const k of ['title', 'cve', 'cvss4', 'products[0]', 'colour']) {
    assert.match(ja.json.fields[k], /[\u3040-\u30ff\u4e00-\u9fff]/, `${k} in Japanese: ${ja.json.fields[k]}`);
  }
  const after = await get(`/api/v1/cases/${cid(ref)}`, srv.tokens.coordinator);
  assert.equal(after.json.vulnerabilities.length, 2, 'nothing stored');

  const up = await send('PATCH', `/api/v1/cases/${cid(ref)}/vulnerabilities/2`, srv.tokens.coordinator,
    { cvss3: null, cvss4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.cvss3, null);
  assert.equal(up.json.cvss4.score, 9.3);
  const none = await send('PATCH', `/api/v1/cases/${cid(ref)}/vulnerabilities/9`, srv.tokens.coordinator, { title: 'x' });
  assert.equal(none.status, 404);
});

test('POST /api/v1/cases: bad input is 400 naming every field, in English and in Japanese; nothing stored', async () => {
  const before = (await get('/api/v1/cases', srv.tokens.coordinator)).json.cases.length;
  const body = { reports: [tid, 'IPA#00000000', 5], title: '', summary: 7 };
  const en = await send('POST', '/api/v1/cases', srv.tokens.coordinator, body);
  assert.equal(en.status, 400, en.text);
  /* the reports too: the first is in a case already, the second does not exist */
  assert.deepEqual(Object.keys(en.json.fields).sort(),
    ['detail', 'reports[0]', 'reports[1]', 'reports[2]', 'summary', 'title']);
  const colour = await send('POST', '/api/v1/cases', srv.tokens.coordinator, { ...body, colour: 'red' });
  assert.equal(colour.status, 400);
  assert.ok(colour.json.fields.colour, colour.text);
  const ja = await send('POST', '/api/v1/cases', srv.tokens.coordinator, body, { lang: 'ja' });
  assert.equal(ja.status, 400);
  for (const [k, m] of Object.entries(ja.json.fields)) {
    assert.match(m, /[\u3040-\u30ff\u4e00-\u9fff]/, `${k} in Japanese: ${m}`);
  }
  /* the reports are checked against the store once the body is well formed */
  const taken = await send('POST', '/api/v1/cases', srv.tokens.coordinator,
    { reports: [tid, 'IPA#00000000'], title: 'T', summary: 'S', detail: 'D' });
  assert.equal(taken.status, 400, taken.text);
  assert.deepEqual(Object.keys(taken.json.fields).sort(), ['reports[0]', 'reports[1]']);
  assert.equal((await get('/api/v1/cases', srv.tokens.coordinator)).json.cases.length, before);
  const notJson = await send('POST', '/api/v1/cases', srv.tokens.coordinator, '{', { contentType: 'application/json' });
  assert.equal(notJson.status, 400);
  const vendorOpens = await send('POST', '/api/v1/cases', psirt, { reports: [tid2], title: 'T', summary: 'S', detail: 'D' });
  assert.equal(vendorOpens.status, 403);
});

test('PATCH /api/v1/cases/{id}: changes and a second finder; any fault changes nothing', async () => {
  const r = await send('PATCH', `/api/v1/cases/${cid(ref)}`, srv.tokens.coordinator,
    { title: 'Stored XSS in the admin page', reports: [tid2], vendors_see_names: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.title, 'Stored XSS in the admin page');
  assert.deepEqual(r.json.finders.map((f) => [f.label, f.tracking_id]), [['Finder A', tid], ['Finder B', tid2]]);
  assert.equal(r.json.vendors_see_names, true);
  const bad = await send('PATCH', `/api/v1/cases/${cid(ref)}`, srv.tokens.coordinator,
    { title: 'Changed', coordinator_id: 1, vendors_see_names: 'yes' }, { lang: 'ja' });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(Object.keys(bad.json.fields).sort(), ['coordinator_id', 'vendors_see_names']);
  assert.equal((await get(`/api/v1/cases/${cid(ref)}`, srv.tokens.coordinator)).json.title,
    'Stored XSS in the admin page');
  const vendor = await send('PATCH', `/api/v1/cases/${cid(ref)}`, psirt, { title: 'mine' });
  assert.equal(vendor.status, 403);
});

test('DELETE a vendor not yet notified; a notified one stays (409)', async () => {
  const nope = await send('DELETE', `/api/v1/cases/${cid(ref)}/vendors/${ex.id}`, srv.tokens.coordinator, {});
  assert.equal(nope.status, 409, nope.text);
  const r = await send('DELETE', `/api/v1/cases/${cid(ref)}/vendors/${sd.id}`, srv.tokens.coordinator, {});
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { id: ref, vendor_id: sd.id, removed: true });
  const again = await send('DELETE', `/api/v1/cases/${cid(ref)}/vendors/${sd.id}`, srv.tokens.coordinator, {});
  assert.equal(again.status, 404);
});

test('keikai case show --json prints what the API gives an administrator', async () => {
  const cli = await keikai(['case', 'show', '--db', srv.db, '--json', ref], { env: { LANG: 'C.UTF-8' } });
  const viaApi = await get(`/api/v1/cases/${cid(ref)}`, srv.tokens.admin, { lang: 'en' });
  assert.equal(viaApi.status, 200, viaApi.text);
  assert.deepEqual(JSON.parse(cli.stdout), viaApi.json);
  assert.ok(viaApi.json.finders[0].identity.email, 'SPEC 1: the system sees who the finder is');
});

test('close with a reason (G IV.4.4), and the audit trail of the case and its statuses', async () => {
  const none = await send('POST', `/api/v1/cases/${cid(ref)}/close`, srv.tokens.coordinator, {});
  assert.equal(none.status, 400);
  assert.ok(none.json.fields.reason);
  const r = await send('POST', `/api/v1/cases/${cid(ref)}/close`, srv.tokens.coordinator,
    { reason: 'The vendor notifies every user itself' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'closed');
  assert.deepEqual(r.json.events, ['reopen']);
  const twice = await send('POST', `/api/v1/cases/${cid(ref)}/close`, srv.tokens.coordinator, { reason: 'again' });
  assert.equal(twice.status, 409);
  const a = await get(`/api/v1/cases/${cid(ref)}/audit`, srv.tokens.coordinator);
  assert.equal(a.status, 200, a.text);
  const actions = a.json.audit.map((e) => `${e.object_type}:${e.action}`);
  for (const want of ['case:open', 'case:vendor.add', 'case:vendor.remove', 'case:vulnerability.add',
    'case:vulnerability.update', 'case:update', 'case:close', 'vendor_status:notified', 'case:detail.view']) {
    assert.ok(actions.includes(want), `${want} in ${actions.join(' ')}`);
  }
  assert.ok(a.json.audit.every((e, i, all) => i === 0 || all[i - 1].at <= e.at), 'oldest first');
  const closed = a.json.audit.find((e) => e.action === 'close');
  assert.deepEqual([closed.from, closed.to, closed.detail.reason], ['open', 'closed', 'The vendor notifies every user itself']);
  assert.equal((await get(`/api/v1/cases/${cid(ref)}/audit`, psirt)).status, 403, 'staff only');
  const reopen = await send('POST', `/api/v1/cases/${cid(ref)}/reopen`, srv.tokens.coordinator, {});
  assert.equal(reopen.status, 200, reopen.text);
  assert.equal(reopen.json.state, 'open');
});
