// tests/e2e/lib/cases.mjs: what the case tests (t1100-t1150) set up again and
// again, through the real server of server.mjs (srv: what startServer returns):
// a vendor of the registry with a user of its own, an accepted report, a case
// opened from reports, one SQL statement on the server's database, and a form
// posted with the CSRF token of the page it is on. Every step asserts its
// status, so a test fails where its setting up fails.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  api, browse, csrfField, keikai, createToken, postReport, productReport, rid, DB_ENGINE, PASSWORD,
} from './server.mjs';

/* A user of role vendor of the registry's vendor vendorId (`keikai user add
 * --vendor-id`), with PASSWORD; its API token, unless token is false. */
export async function addVendorUser(srv, vendorId, email, { org, name = 'PSIRT', token = true } = {}) {
  await keikai(['user', 'add', '--db', srv.db, '--org', org, '--role', 'vendor', '--email', email,
    '--name', name, '--password-stdin', '--vendor-id', String(vendorId)], { input: PASSWORD + '\n' });
  return token ? createToken(srv.db, email) : undefined;
}

/* A vendor added to the registry by the coordinator (POST /api/v1/vendors, body
 * as docs/api/vendors.md) and a user of it (addVendorUser; its org is the
 * vendor's English name unless opts say otherwise): {vendor, token}. */
export async function vendorWithUser(srv, body, email, opts = {}) {
  const r = await api(srv.url, '/api/v1/vendors', { token: srv.tokens.coordinator, body, lang: 'en' });
  assert.equal(r.status, 201, r.text);
  const token = await addVendorUser(srv, r.json.id, email, { org: body.name_en, ...opts });
  return { vendor: r.json, token };
}

/* A report (a valid product report unless body is given) submitted and accepted
 * by intake (SPEC 2.3): {tid, secret} (secret: of its status page). */
export async function acceptedReport(srv, body = productReport()) {
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
  const tid = r.json.tracking_id;
  const d = await api(srv.url, `/api/v1/reports/${rid(tid)}/decision`,
    { token: srv.tokens.intake, body: { decision: 'accept' }, lang: 'en' });
  assert.equal(d.status, 200, d.text);
  return { tid, secret: r.json.status_url.split('/').pop() };
}

/* A case opened by the coordinator from the accepted reports tids (SPEC 2.4,
 * POST /api/v1/cases): what the API answers (its "id" is the ref). */
export async function openCase(srv, tids, { title, summary, detail }) {
  const c = await api(srv.url, '/api/v1/cases', { token: srv.tokens.coordinator, lang: 'en',
    body: { reports: tids, title, summary, detail } });
  assert.equal(c.status, 201, c.text);
  return c.json;
}

/* One SQL statement on the server's database (SQLite or PostgreSQL), for what
 * no page or API shows: its output, trimmed. */
export function sql(srv, statement) {
  const r = DB_ENGINE === 'postgresql'
    ? spawnSync(process.env.KEIKAI_PSQL || 'psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', srv.db, '-c', statement], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${statement}: ${r.stderr}`);
  return r.stdout.trim();
}

/* GET page with the cookie jar, then POST form to action with the page's CSRF
 * token, in lang: the answer to the POST. */
export async function postForm(url, jar, page, action, form, lang) {
  const got = await browse(url, page, jar, { lang });
  assert.equal(got.status, 200, `GET ${page}: ${got.status} ${got.text.slice(0, 300)}`);
  const csrf = csrfField(got.text);
  assert.ok(csrf, `${page} has a CSRF field`);
  return browse(url, action, jar, { method: 'POST', form: { ...form, csrf }, lang });
}
