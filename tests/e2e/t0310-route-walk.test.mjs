// t0310: the route walk against the running server (SPEC 1; issue 7). Every
// route of server/routes.c is requested as every role (anonymous and a bearer
// token of each signed-in role) and the front must answer exactly as the policy
// table (docs/internals/access.md, lib/authz/policy.c) says:
//   - a role no row lets perform the route's action is stopped at the gate:
//     anonymous with 401 (API) or a redirect to /login (pages), signed-in with 403;
//   - every other role passes the gate (what the handler then answers is the
//     business of the other tests; nothing here changes any data).
// The routes and the policy are read from the sources, so a new route or a new
// row is walked without editing this file, and a route that declares no action
// fails here.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, postReport, productReport, rid, addUser, createToken, keikai, REPO_ROOT, PASSWORD,
} from './lib/server.mjs';

const ROLES = ['anonymous', 'intake', 'coordinator', 'vendor', 'operator', 'committee', 'admin', 'recipient'];

/* {method, pattern, action} for every row of the route table. */
function routes() {
  const src = readFileSync(path.join(REPO_ROOT, 'server/routes.c'), 'utf8');
  const table = src.slice(src.indexOf('kk_routes[] = {'));
  const rows = [];
  const re = /\{\s*"([A-Z]+)",\s*"([^"]+)",\s*(\w+),\s*(\w+)/g;
  for (let m; (m = re.exec(table));) rows.push({ method: m[1], pattern: m[2], handler: m[3], action: m[4] });
  return rows;
}

/* action constant -> the set of roles some row of the policy names. */
function policy() {
  const src = readFileSync(path.join(REPO_ROOT, 'lib/authz/policy.c'), 'utf8');
  const names = {};
  for (const m of src.matchAll(/\[(KK_ACT_\w+)\] = "([^"]*)"/g)) names[m[1]] = m[2];
  const doc = readFileSync(path.join(REPO_ROOT, 'docs/internals/access.md'), 'utf8');
  const table = doc.slice(doc.indexOf('<!-- policy -->'));
  const allowed = {};
  for (const m of table.matchAll(/^\| ([a-z_.]+) \| ([^|]+) \| [^|]+ \| [^|]+ \|$/gm)) {
    const who = m[2].trim();
    const roles = who === 'everyone' ? ROLES : who === 'signed in' ? ROLES.slice(1) : who.split(', ');
    for (const r of roles) (allowed[m[1]] ??= new Set()).add(r);
  }
  return { names, allowed };
}

let srv;
let report;
const tokens = {};

before(async () => {
  srv = await startServer();
  Object.assign(tokens, srv.tokens);
  await addUser(srv.db, { email: 'committee@ipa.example', org: 'Committee', role: 'committee', name: 'Committee Member' });
  tokens.committee = await createToken(srv.db, 'committee@ipa.example');
  /* a priority-provision recipient's user (issue 10, G IV.4.8) */
  const rec = await keikai(['recipient', 'add', '--db', srv.db, '--name-en', 'Walk Ministry', '--kind', 'government',
    '--conditions-accepted', '--accepted-by', 'Walk Officer', '--json']);
  await keikai(['user', 'add', '--db', srv.db, '--org', 'Walk Ministry', '--role', 'recipient', '--email',
    'recipient@walk.example', '--name', 'Officer', '--password-stdin', '--recipient-id', String(JSON.parse(rec.stdout).id)],
  { input: PASSWORD + '\n' });
  tokens.recipient = await createToken(srv.db, 'recipient@walk.example');
  const body = productReport();
  body.attachments = [{ filename: 'poc.txt', content_type: 'text/plain', data_base64: Buffer.from('PoC').toString('base64') }];
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
  report = { tid: r.json.tracking_id, secret: r.json.status_url.split('/').pop() };
});
after(async () => { await srv?.stop(); });

/* A real path for a pattern: the report, its first file, the product form, … */
function pathFor(pattern) {
  const values = {
    '/api/v1/reports/{}': [rid(report.tid)],
    '/api/v1/reports/{}/attachments/{}': [rid(report.tid), '0'],
    '/api/v1/reports/{}/decision': [rid(report.tid)],
    '/api/v1/reports/{}/impact': [rid(report.tid)],
    '/api/v1/cwe/{}': ['CWE-79'],
    '/report/{}': ['product'],
    '/r/{}': [report.secret],
    '/static/{}': ['style.css'],
    '/intake/reports/{}': [rid(report.tid)],
    '/intake/reports/{}/attachments/{}': [rid(report.tid), '0'],
    '/intake/reports/{}/decision': [rid(report.tid)],
    '/intake/reports/{}/impact': [rid(report.tid)],
    /* the vendor registry: a vendor that does not exist (the core answers 404 past the gate) */
    '/api/v1/vendors/{}': ['999999'],
    '/api/v1/vendors/{}/contacts': ['999999'],
    '/api/v1/vendors/{}/contacts/{}': ['999999', '1'],
    '/api/v1/vendors/{}/products': ['999999'],
    '/api/v1/vendors/{}/products/{}': ['999999', '1'],
    /* composition and the vendors of a report (SPEC 2.5): none that exists, or the report */
    '/api/v1/vendors/{}/sbom': ['999999'],
    '/api/v1/vendors/{}/products/{}/components': ['999999', '1'],
    '/api/v1/vendors/{}/products/{}/components/{}': ['999999', '1', '1'],
    '/api/v1/vendors/{}/products/{}/distributors': ['999999', '1'],
    '/api/v1/reports/{}/vendor-candidates': [rid(report.tid)],
    '/api/v1/reports/{}/vendors': [rid(report.tid)],
    '/api/v1/reports/{}/sbom': [rid(report.tid)],
    '/intake/reports/{}/vendors': [rid(report.tid)],
    '/api/v1/reports/{}/vendors/{}': [rid(report.tid), '999999'],
    '/intake/reports/{}/vendors/{}/remove': [rid(report.tid), '999999'],
    /* registration requests and a vendor's record pages: none that exists */
    '/api/v1/vendor-requests/{}': ['999999'],
    '/api/v1/vendor-requests/{}/decision': ['999999'],
    '/vendors/requests/{}/decision': ['999999'],
    '/vendors/{}': ['999999'],
    '/vendors/{}/profile': ['999999'],
    '/vendors/{}/contacts': ['999999'],
    '/vendors/{}/contacts/{}': ['999999', '1'],
    '/vendors/{}/products': ['999999'],
    '/vendors/{}/products/{}': ['999999', '1'],
    '/vendors/{}/products/{}/components': ['999999', '1'],
    '/vendors/{}/products/{}/components/{}/delete': ['999999', '1', '1'],
    '/vendors/{}/products/{}/sbom': ['999999', '1'],
    '/vendors/{}/products/{}/distributors': ['999999', '1'],
    /* a case's threads and messages (SPEC 2.13): a case that does not exist; the finder's
     * status and thread by the report's secret (a form without its fields changes nothing) */
    '/api/v1/cases/{}/threads': ['VU%23999999'],
    '/api/v1/cases/{}/messages': ['VU%23999999'],
    '/api/v1/cases/{}/messages/{}/attachments/{}': ['VU%23999999', '1', '0'],
    '/api/v1/cases/{}/direct-contact': ['VU%23999999'],
    '/api/v1/status/{}': [report.secret],
    '/api/v1/status/{}/messages': [report.secret],
    '/r/{}/messages': [report.secret],
    '/r/{}/messages/{}/attachments/{}': [report.secret, '1', '0'],
    /* the cases API (issue 9, docs/api/cases.md): a case that does not exist (404 past the gate) */
    '/api/v1/cases/{}': ['VU%23999999'],
    '/api/v1/cases/{}/close': ['VU%23999999'],
    '/api/v1/cases/{}/reopen': ['VU%23999999'],
    '/api/v1/cases/{}/vulnerabilities': ['VU%23999999'],
    '/api/v1/cases/{}/vulnerabilities/{}': ['VU%23999999', '1'],
    '/api/v1/cases/{}/vendors': ['VU%23999999'],
    '/api/v1/cases/{}/vendors/{}': ['VU%23999999', '999999'],
    '/api/v1/cases/{}/audit': ['VU%23999999'],
    '/api/v1/cases/{}/notify': ['VU%23999999'],
    '/api/v1/cases/{}/answer': ['VU%23999999'],
    '/api/v1/cases/{}/status': ['VU%23999999'],
    '/api/v1/cases/{}/countermeasures': ['VU%23999999'],
    '/api/v1/cases/{}/statement': ['VU%23999999'],
    '/api/v1/cases/{}/suggestions': ['VU%23999999'],
    '/api/v1/cases/{}/attachments/{}': ['VU%23999999', '1'],
    /* the case pages (issue 9): a case that does not exist (the core answers 404 past the gate) */
    '/cases/{}': ['VU%23999999'],
    '/cases/{}/audit': ['VU%23999999'],
    '/cases/{}/attachments/{}': ['VU%23999999', '1'],
    '/cases/{}/messages/{}/attachments/{}': ['VU%23999999', '1', '0'],
    '/cases/{}/update': ['VU%23999999'],
    '/cases/{}/vulnerabilities': ['VU%23999999'],
    '/cases/{}/vendors': ['VU%23999999'],
    '/cases/{}/notify': ['VU%23999999'],
    '/cases/{}/close': ['VU%23999999'],
    '/cases/{}/answer': ['VU%23999999'],
    '/cases/{}/status': ['VU%23999999'],
    '/cases/{}/countermeasures': ['VU%23999999'],
    '/cases/{}/statement': ['VU%23999999'],
    '/cases/{}/suggestions': ['VU%23999999'],
    '/cases/{}/messages': ['VU%23999999'],
    /* lifting non-disclosure (issue 10, SPEC 2.12): the report is in no case (409 past the
     * gate), a case that does not exist (404) */
    '/api/v1/status/{}/lift': [report.secret],
    '/r/{}/lift': [report.secret],
    '/api/v1/cases/{}/date': ['VU%23999999'],
    '/api/v1/cases/{}/date/answer': ['VU%23999999'],
    '/api/v1/cases/{}/date/call-off': ['VU%23999999'],
    '/api/v1/cases/{}/date/resume': ['VU%23999999'],
    '/cases/{}/date': ['VU%23999999'],
    '/cases/{}/date/answer': ['VU%23999999'],
    '/cases/{}/date/call-off': ['VU%23999999'],
    '/cases/{}/date/resume': ['VU%23999999'],
    /* priority provision and pre-notification (issue 10): none that exists */
    '/api/v1/cases/{}/provisions': ['VU%23999999'],
    '/api/v1/cases/{}/prenotify': ['VU%23999999'],
    '/api/v1/cases/{}/prenotify/{}': ['VU%23999999', '999999'],
    '/api/v1/provisions/{}': ['999999'],
    '/cases/{}/provisions': ['VU%23999999'],
    '/cases/{}/prenotify': ['VU%23999999'],
    '/cases/{}/prenotify/{}': ['VU%23999999', '999999'],
    '/provisions/{}': ['999999'],
    '/api/v1/reminders/{}/done': ['999999'],
    '/dashboard/reminders/{}/done': ['999999'],
    /* advisories (issue 12): a case that does not exist (404 past the gate), an ID never given */
    '/api/v1/cases/{}/advisory': ['VU%23999999'],
    '/api/v1/cases/{}/advisory/approve': ['VU%23999999'],
    '/api/v1/cases/{}/advisory/withdraw': ['VU%23999999'],
    '/api/v1/cases/{}/advisory/revise': ['VU%23999999'],
    '/api/v1/cases/{}/advisory/comments': ['VU%23999999'],
    '/api/v1/advisories/{}': ['JVNVU99999999'],
    /* the portal and the draft's page (issue 12, docs/api/portal.md) */
    '/advisories/{}': ['JVNVU99999999'],
    '/advisories/vendors/{}': ['999999'],
    '/cases/{}/advisory': ['VU%23999999'],
    '/cases/{}/advisory/revise': ['VU%23999999'],
    '/cases/{}/advisory/approve': ['VU%23999999'],
    '/cases/{}/advisory/withdraw': ['VU%23999999'],
    '/cases/{}/advisory/comments': ['VU%23999999'],
    '/api/v1/cases/{}/lift': ['VU%23999999'],
    '/api/v1/cases/{}/lift/{}': ['VU%23999999', '1'],
    '/cases/{}/lift': ['VU%23999999'],
    '/cases/{}/lift/{}': ['VU%23999999', '1'],
    /* mail in (issue 11): an inbound message that does not exist; the report (an empty
     * completion never passes validation, so nothing changes) */
    '/api/v1/inbound/{}': ['999999'],
    '/api/v1/inbound/{}/dismiss': ['999999'],
    '/inbound/{}': ['999999'],
    '/inbound/{}/dismiss': ['999999'],
    '/api/v1/reports/{}/complete': [rid(report.tid)],
    /* its form (t1465): the report never came by mail, so the page answers 409 past the gate */
    '/intake/reports/{}/complete': [rid(report.tid)],
  }[pattern];
  const holes = pattern.split('{}').length - 1;
  if (holes && !values) throw new Error(`t0310 does not know how to fill ${pattern}; add it to pathFor`);
  let i = 0;
  return pattern.replace(/\{\}/g, () => values[i++]);
}

async function request(method, p, role) {
  const headers = { 'accept-language': 'en' };
  if (role !== 'anonymous') headers.authorization = `Bearer ${tokens[role]}`;
  let body;
  if (method !== 'GET') {
    /* an empty body: it never passes validation, so nothing changes */
    headers['content-type'] = p.startsWith('/api/') ? 'application/json' : 'application/x-www-form-urlencoded';
    body = p.startsWith('/api/') ? '{}' : '';
  }
  const res = await fetch(srv.url + p, { method, headers, body, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

const GATE_403 = 'Your role does not allow this.';

test('every route declares an action the policy names', () => {
  const { names, allowed } = policy();
  const rows = routes();
  assert.ok(rows.length >= 20, `only ${rows.length} routes parsed from server/routes.c`);
  for (const r of rows) {
    assert.ok(names[r.action], `${r.method} ${r.pattern}: ${r.action} is not an action`);
    assert.ok(allowed[names[r.action]], `${r.method} ${r.pattern}: no row of the policy names ${names[r.action]}`);
  }
});

test('every route, every role: the gate answers what the policy says', async () => {
  const { names, allowed } = policy();
  let walked = 0;
  for (const r of routes()) {
    const p = pathFor(r.pattern);
    const api = p.startsWith('/api/');
    for (const role of ROLES) {
      const may = allowed[names[r.action]].has(role);
      const res = await request(r.method, p, role);
      const where = `${r.method} ${p} as ${role} (${names[r.action]})`;
      const signIn = api ? res.status === 401 : res.status === 303 && /^\/login\?next=/.test(res.location ?? '');
      const forbidden = res.status === 403 && res.text.includes(GATE_403);
      if (may) {
        assert.ok(!signIn && !forbidden, `${where}: stopped at the gate (${res.status}) though the policy allows it`);
      } else if (role === 'anonymous') {
        assert.ok(signIn, `${where}: expected ${api ? '401' : 'a redirect to /login'}, got ${res.status}`);
      } else {
        assert.equal(res.status, 403, `${where}: ${res.text.slice(0, 200)}`);
        assert.ok(forbidden, `${where}: 403 without the gate's message`);
      }
      walked++;
    }
  }
  assert.equal(walked, routes().length * ROLES.length);
});
