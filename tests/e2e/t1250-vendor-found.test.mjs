// t1250: vulnerabilities a vendor found in its own product (issue 10
// capability 7; SPEC 2.14, G IV.6; docs/api/vendor-cases.md): a vendor
// registers one with its fix; it becomes a case of that vendor alone, with no
// reports, day 0 set, the vendor notified, its status "fixed" with the
// countermeasure, and the date proposed at day 0 + 45 days on a business day
// (what `keikai calendar publication-date` prints), the vendor's wished date
// recorded as its answer; another vendor gets 404; staff see it; bad input
// is 400 naming every field in English and Japanese with nothing stored; the
// form page. Runs on the engine of the run (SQLite, or PostgreSQL with
// KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, browse, keikai, login, csrfField, USERS } from './lib/server.mjs';
import { vendorWithUser, sql } from './lib/cases.mjs';

let srv;
let own; let ownTok; let otherTok; let product; let ref;

const cp = (r, suffix = '') => `/api/v1/cases/${encodeURIComponent(r)}${suffix}`;
const register = (body, token = ownTok, lang = 'en') => api(srv.url, '/api/v1/vendor-cases', { token, body, lang });

/* A business day about 60 days on (a Wednesday, not in the year-end closing). */
function wishedDate() {
  const d = new Date(Date.now() + 60 * 86400 * 1000);
  while (d.getUTCDay() !== 3) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const VALID = () => ({
  title: 'Path traversal in SD-Camera firmware', summary: 'A path traversal in the web UI.',
  detail: 'GET /../../etc/passwd on port 80.', product_id: product.id, cwe: 'CWE-22',
  cvss3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', fixed_versions: ['2.0.1'],
  urls: ['https://sd.example/advisory/2027-01'], workaround_en: 'Turn off the web UI.',
  date: wishedDate(), reason: 'Our customers need time to update.',
});

before(async () => {
  srv = await startServer();
  ({ vendor: own, token: ownTok } = await vendorWithUser(srv, { name_en: 'Own Finder Corp', preferred_lang: 'en',
    contacts: [{ channel: 'email', value: 'psirt@own.example', is_primary: true }] }, 'psirt@own.example'));
  ({ token: otherTok } = await vendorWithUser(srv, { name_en: 'Other Corp', preferred_lang: 'en',
    contacts: [{ channel: 'email', value: 'psirt@other.example', is_primary: true }] }, 'psirt@other.example'));
  const p = await api(srv.url, `/api/v1/vendors/${own.id}/products`, { token: ownTok, lang: 'en',
    body: { name_en: 'SD-Camera', product_type: 'iot_device' } });
  assert.equal(p.status, 201, p.text);
  product = p.json;
});
after(async () => { await srv?.stop(); });

test('SPEC 2.14: bad input is 400 naming every field, in English and Japanese; nothing stored', async () => {
  const before = sql(srv, 'SELECT COUNT(*) FROM cases');
  for (const lang of ['en', 'ja']) {
    const r = await register({ title: '', summary: 3, product_id: 999999, cwe: 'CWE-x', cvss3: 'CVSS:2.0/AV:N',
      date: '2027-02-30', extra: 1 }, ownTok, lang);
    assert.equal(r.status, 400, r.text);
    for (const f of ['title', 'summary', 'detail', 'cwe', 'cvss3', 'fixed_versions', 'date', 'reason', 'extra'])
      assert.ok(r.json.fields[f], `${lang}: ${f} named: ${r.text}`);
    if (lang === 'ja') assert.match(r.json.fields.title, /[ぁ-んァ-ン一-龯]/, r.text);
  }
  /* a product of another vendor is not its own */
  const r = await register({ ...VALID(), product_id: 999999 });
  assert.equal(r.status, 400, r.text);
  assert.ok(r.json.fields.product_id, r.text);
  /* with the fix (G IV.6): neither fixed versions nor URLs is refused */
  const nofix = await register({ ...VALID(), fixed_versions: undefined, urls: undefined });
  assert.equal(nofix.status, 400, nofix.text);
  assert.ok(nofix.json.fields.fixed_versions, nofix.text);
  assert.equal(sql(srv, 'SELECT COUNT(*) FROM cases'), before, 'nothing stored');
});

test('SPEC 2.14: only a vendor registers its own finding', async () => {
  const r = await register(VALID(), srv.tokens.coordinator);
  assert.equal(r.status, 403, r.text);
});

test('SPEC 2.14: the case of that vendor alone: no reports, day 0, notified, fixed, countermeasure', async () => {
  const body = VALID();
  const r = await register(body);
  assert.equal(r.status, 201, r.text);
  ref = r.json.id;
  assert.ok(Number.isInteger(r.json.day0), r.text);
  const c = await api(srv.url, cp(ref), { token: srv.tokens.coordinator, lang: 'en' });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.vendors.length, 1);
  assert.equal(c.json.vendors[0].vendor_id, own.id);
  assert.ok(c.json.vendors[0].notified_at, c.text);
  assert.equal(c.json.vendors[0].statuses[0].status, 'fixed');
  assert.deepEqual(c.json.finders ?? [], [], 'no reports, no finders');
  assert.equal(c.json.vulnerabilities[0].cwe?.number, 22, c.text);
  assert.equal(sql(srv, `SELECT vendor_found FROM cases WHERE ref = '${ref}'`), '1');
  assert.equal(sql(srv, `SELECT COUNT(*) FROM case_reports cr JOIN cases c ON c.id = cr.case_id WHERE c.ref = '${ref}'`), '0');
  const cm = c.json.vendors[0].countermeasures[0];
  assert.deepEqual(cm.fixed_versions, ['2.0.1']);
  assert.deepEqual(cm.urls, ['https://sd.example/advisory/2027-01']);
  assert.equal(cm.product_id, product.id);
  /* the vendor sees it as its case; another vendor gets 404 (SPEC 1) */
  assert.equal((await api(srv.url, cp(ref), { token: ownTok, lang: 'en' })).status, 200);
  const other = await api(srv.url, cp(ref), { token: otherTok, lang: 'en' });
  assert.equal(other.status, 404, other.text);
  /* audited */
  const audit = await api(srv.url, cp(ref, '/audit'), { token: srv.tokens.coordinator, lang: 'en' });
  assert.ok(audit.json.audit.some((a) => a.action === 'register_own'), audit.text);
});

test('SPEC 2.8, 2.14: the date is proposed at day 0 + 45 days on a business day; the wish is the vendor\'s answer', async () => {
  const c = await api(srv.url, cp(ref), { token: srv.tokens.coordinator, lang: 'en' });
  const day0 = new Date(c.json.day0 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const want = (await keikai(['calendar', 'publication-date', '--db', srv.db, day0])).stdout.trim();
  const d = await api(srv.url, cp(ref, '/date'), { token: srv.tokens.coordinator, lang: 'en' });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.state, 'proposed', d.text);
  const got = new Date((d.json.proposed_at + 9 * 3600) * 1000).toISOString().slice(0, 16) + '+09:00';
  assert.equal(got, want, 'day 0 + 45 days on a business day');
  const answer = d.json.answers.find((a) => a.vendor_id === own.id);
  assert.equal(answer.answer, 'other', d.text);
  assert.equal(new Date((answer.wanted_at + 9 * 3600) * 1000).toISOString().slice(0, 10), VALID().date);
  assert.equal(answer.reason, 'Our customers need time to update.');
});

test('the form: a vendor registers on /cases/register (linked from its cases), faults shown', async () => {
  const jar = (await login(srv.url, 'psirt@own.example', undefined, { lang: 'ja' })).jar;
  const list = await browse(srv.url, '/cases', jar, { lang: 'ja' });
  assert.ok(list.text.includes('href="/cases/register"'), 'linked from the vendor\'s cases');
  const page = await browse(srv.url, '/cases/register', jar, { lang: 'ja' });
  assert.equal(page.status, 200, page.text);
  const bad = await browse(srv.url, '/cases/register', jar, { method: 'POST', lang: 'ja',
    form: { title: 'x', csrf: csrfField(page.text) } });
  assert.equal(bad.status, 400, bad.text);
  assert.ok(bad.text.includes('error-summary'), bad.text);
  const good = await browse(srv.url, '/cases/register', jar, { method: 'POST', lang: 'ja', form: {
    title: 'フォームからの登録', summary: '概要', detail: '詳細', product_name: 'SD-Camera',
    fixed_versions: '2.0.2', csrf: csrfField(page.text) } });
  assert.equal(good.status, 303, good.text);
  assert.match(good.headers.get('location'), /^\/cases\/[A-Z]+%23\d{6}$/);
  const coord = (await login(srv.url, USERS.coordinator.email)).jar;
  assert.equal((await browse(srv.url, good.headers.get('location'), coord)).status, 200);
});
