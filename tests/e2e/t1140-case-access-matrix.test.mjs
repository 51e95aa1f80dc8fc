// t1140: the case access matrix (issue 9; SPEC 1, 2.4-2.7, 2.13, R §5.1.2),
// generated from the table in docs/internals/access.md ("The case access
// matrix"). The test reads that table, sets up the case it describes (an
// accepted report whose finder consented to direct contact but not to passing
// on their identity; vendor A asked for the detail, vendor B was only notified,
// vendor C is not on the case; a message in each thread; an attachment passed on
// with the detail) and tries every cell against the real server:
//   - an allowed cell answers the status the table says and shows what it says;
//   - a denied one answers 401 / 403 / 404 (or the sign-in redirect);
//   - no answer, allowed or not, holds a value its column must never see (unique
//     marker strings are planted for the finder's name and e-mail, the detail,
//     other vendors' names and statuses, the attachment's bytes, every thread);
//   - a 404 is exactly the answer for a case (or a thing of the case, or a status
//     secret) that does not exist, in English and in Japanese: no existence oracle.
// Allowed changes run on a fresh case set up the same way; every other cell runs
// on the one case, which must be unchanged at the end. A case route of
// server/routes.c without a row (or a row without a route) fails. The same file
// runs on SQLite and, with KEIKAI_TEST_PG, on PostgreSQL.
// Issue 10 adds the routes of the date, lifting non-disclosure, vendor-found
// cases, priority provision and pre-notification, and a column: a recipient of
// priority provision (SPEC 2.10), to which the case's provision was given and
// which sees that provision only, never the case.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  startServer, api, productReport, rid, addUser, createToken, REPO_ROOT, login, browse, csrfField, keikai, PASSWORD,
} from './lib/server.mjs';
import * as cases from './lib/cases.mjs';

/* ---- the table ------------------------------------------------------------------ */

const COLUMNS = ['intake', 'coordinator', 'vendor before asking', 'vendor after asking', 'vendor not on the case',
  'operator', 'committee', 'finder by status URL', 'anonymous', 'recipient'];

/* The rows of the matrix: [{method, pattern, cells: {column: {status, login, shows: [words]}}}]. */
function matrix() {
  const doc = readFileSync(path.join(REPO_ROOT, 'docs/internals/access.md'), 'utf8');
  const at = doc.indexOf('<!-- case-matrix -->');
  if (at < 0) throw new Error('docs/internals/access.md has no <!-- case-matrix --> table');
  const lines = doc.slice(at).split('\n').slice(1);
  const header = lines[0].split('|').slice(1, -1).map((s) => s.trim());
  assert.deepEqual(header, ['method', 'path', ...COLUMNS], 'the columns of the case access matrix');
  const rows = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    const f = line.split('|').slice(1, -1).map((s) => s.trim());
    assert.equal(f.length, header.length, `a row of the case access matrix has ${f.length} cells: ${line}`);
    const cells = {};
    COLUMNS.forEach((col, i) => { cells[col] = parseCell(f[i + 2], `${f[0]} ${f[1]} / ${col}`); });
    rows.push({ method: f[0], pattern: f[1], cells });
  }
  return rows;
}

const WORDS = ['title', 'summary', 'detail', 'description', 'vendors', 'own', 'finder', 'thread A', 'thread B', 'finder thread',
  'direct thread', 'attachment', 'message file', 'finder file', 'suggestion', 'stage', 'provision title', 'provision',
  'prenotify', 'none'];

function parseCell(text, where) {
  const m = /^(login|\d{3})(?::\s*(.+))?$/.exec(text);
  if (!m) throw new Error(`case access matrix, ${where}: cannot read the cell "${text}"`);
  const shows = m[2] ? m[2].split(',').map((s) => s.trim()) : [];
  for (const w of shows) if (!WORDS.includes(w)) throw new Error(`case access matrix, ${where}: unknown word "${w}"`);
  return m[1] === 'login' ? { login: true, shows } : { status: Number(m[1]), shows };
}

/* {method, pattern} of every route of server/routes.c about cases or the finder's status page. */
function caseRoutes() {
  const src = readFileSync(path.join(REPO_ROOT, 'server/routes.c'), 'utf8');
  const table = src.slice(src.indexOf('kk_routes[] = {'));
  const rows = [];
  for (const m of table.matchAll(/\{\s*"([A-Z]+)",\s*"([^"]+)",\s*(\w+),\s*(\w+)/g)) {
    if (/case|provision/.test(m[2]) || m[2].startsWith('/api/v1/status/') || m[2].startsWith('/r/')) {
      rows.push({ method: m[1], pattern: m[2] });
    }
  }
  return rows;
}

/* ---- the planted values ------------------------------------------------------------ */

const M = {
  title: 'Matrix case title TQ4w',
  summary: 'SUMMARYMARK-q7Zt summary of the case',
  detail: 'DETAILMARK-h3Kp the technical detail',
  desc: 'DESCRIPTIONMARK-w9Rf of vulnerability 1',
  finderName: 'Zelda Markfinder',
  finderEmail: 'zelda.markfinder@finder-secret.example',
  vendorA: 'Alpha Matrix Vendor KX1',
  vendorB: 'Bravo Matrix Vendor KX2',
  vendorC: 'Charlie Matrix Vendor KX3',
  vendorD: 'Delta Matrix Vendor KX4',
  noteA: 'NOTEAMARK-p4Vb reproduced on our side',
  fixA: '9.8.7-fixmark',
  attName: 'poc-attmark-x2.txt',
  attBytes: 'ATTACHMENTBYTESMARK-c5Nd',
  suggestion: 'Suggested Vendor MARK-g8Ty',
  msgA: 'MSGAMARK-r1Ue vendor A to the coordinator',
  msgB: 'MSGBMARK-s2Wi coordinator to vendor B',
  msgF: 'MSGFMARK-t3Yo the finder asks for progress',
  msgD: 'MSGDMARK-u4Pa vendor A to the finder',
  msgFile: 'MESSAGEFILEBYTESMARK-v5Sd',
  msgF2: 'MSGF2MARK-w6Dq intake answers the finder',
  finderFile: 'FINDERFILEBYTESMARK-x7Gh',
  /* issue 10: the priority provision given to the recipient, A's pre-notification request */
  provTitle: 'PROVTITLEMARK-y8Jk early warning',
  provision: 'PROVISIONMARK-z9Lm the flaw and its fix',
  prenotify: 'PRENOTIFYMARK-a1Qr our utility customers',
};
const ALL = Object.entries(M).filter(([k]) => k !== 'vendorC').map(([, v]) => v);

/* What each column must never see, in any answer (access.md "What a column never sees"). */
const NEVER = {
  intake: [],
  coordinator: [M.finderName, M.finderEmail, M.msgF, M.msgF2, M.finderFile],
  'vendor before asking': [M.detail, M.desc, M.attName, M.attBytes, M.finderName, M.finderEmail, M.vendorA, M.vendorD,
    M.noteA, M.fixA, M.suggestion, M.msgA, M.msgF, M.msgF2, M.msgD, M.msgFile, M.finderFile, M.provTitle, M.provision,
    M.prenotify],
  'vendor after asking': [M.finderName, M.finderEmail, M.vendorB, M.vendorD, M.msgB, M.msgF, M.msgF2, M.finderFile,
    M.provTitle, M.provision],
  /* A agreed to talk with the finder directly: its name is the finder's to know (SPEC 2.13); the
   * finder is told that a provision was made, never what (G IV.3(1)12) */
  'finder by status URL': [M.detail, M.desc, M.vendorB, M.vendorD, M.noteA, M.fixA, M.suggestion, M.msgA, M.msgB,
    M.msgFile, M.provTitle, M.provision, M.prenotify],
  /* SPEC 1, 2.10: only what was provided to it */
  recipient: ALL.filter((v) => v !== M.provTitle && v !== M.provision),
  'vendor not on the case': ALL,
  operator: ALL,
  committee: ALL,
  anonymous: ALL,
};

/* The values a word of a cell stands for, for a column. */
function shown(word, column) {
  switch (word) {
    case 'title': return [M.title];
    case 'summary': return [M.summary];
    case 'detail': return [M.detail];
    case 'description': return [M.desc];
    case 'vendors': return [M.vendorA, M.vendorB, M.noteA];
    case 'own': return column === 'vendor after asking' ? [M.fixA] : [];
    case 'finder': return [M.finderName, M.finderEmail];
    case 'thread A': return [M.msgA];
    case 'thread B': return [M.msgB];
    case 'finder thread': return [M.msgF, M.msgF2];
    case 'direct thread': return [M.msgD];
    case 'attachment': return [M.attBytes];
    case 'message file': return [M.msgFile];
    case 'finder file': return [M.finderFile];
    case 'suggestion': return [M.suggestion];
    case 'provision title': return [M.provTitle];
    case 'provision': return [M.provision];
    case 'prenotify': return [M.prenotify];
    default: return []; /* stage (checked apart), none */
  }
}

/* ---- the server, its parties and the case ------------------------------------------ */

let srv;
const who = {}; /* column -> {token} or {secret: true} or {} */
const vendors = {}; /* A, B, C, D -> vendor id */
let main; /* the case every read and every refused change is tried on */
let csrf; /* a double-submit token for forms (kk_csrf cookie and csrf field) */
let recipientId; /* the recipient of priority provision of the recipient column */
let futureDay; /* a business day ahead, for setting the date (keikai calendar publication-date) */

const b64 = (s) => Buffer.from(s).toString('base64');

function ok(res, what, statuses = [200, 201]) {
  assert.ok(statuses.includes(res.status), `setting up the case: ${what}: ${res.status} ${res.text.slice(0, 500)}`);
  return res.json;
}

async function vendorUser(key, vendorId) {
  const email = `psirt-${key.toLowerCase()}@matrix-vendor.example`;
  const token = await cases.addVendorUser(srv, vendorId, email, { org: `Matrix Org ${key}`, name: `PSIRT ${key}` });
  return { token, email };
}

/* A signed-in column's session for the pages: forms take a session's CSRF token. */
async function signIn(cred) {
  const { res, jar } = await login(srv.url, cred.email);
  assert.equal(res.status, 303, `signing in as ${cred.email}: ${res.status}`);
  const home = await browse(srv.url, '/', jar);
  cred.jar = jar;
  cred.csrf = csrfField(home.text);
  assert.ok(cred.csrf, `the home page of ${cred.email} has a CSRF field`);
}

/* An accepted product report of the matrix's finder: {tid, secret}. */
async function acceptedReport() {
  const body = productReport();
  body.finder = { name: M.finderName, email: M.finderEmail, organization: '', phone: '', pgp_key: '' };
  /* SPEC 2.1 ウ, エ: identity not passed on; direct contact allowed; no credit (it would name the finder) */
  body.consent = { share_identity: false, direct_contact: true, credit: false, credit_name: '' };
  body.attachments = [{ filename: M.attName, content_type: 'text/plain', data_base64: b64(M.attBytes) }];
  return cases.acceptedReport(srv, body);
}

/* One SQL query on the server's database, for what no API shows. */
const sql = (statement) => cases.sql(srv, statement);

/* The id of the report's attachment, as the case takes it for passing on
 * (kk_case_update "attachments"): the report's attachment "id" when the report
 * shows one; until it does, the row's id, from the database. */
async function attachmentIdOf(tid) {
  const g = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.coordinator });
  const shown = g.json?.attachments?.[0]?.id;
  if (shown !== undefined) return shown;
  assert.match(tid, /^[A-Z]+#\d+$/);
  return Number(sql(`SELECT a.id FROM attachments a JOIN reports r ON r.id = a.report_id WHERE r.tracking_id = '${tid}'`));
}

/*
 * Sets up a case as access.md describes it, through the API. Returns {ref, tid,
 * secret, attachmentId (passed on), messageId (A's, with its file), answerId
 * (intake's to the finder, with its file), free}: free is another accepted report
 * of the finder's that is in no case (for opening one).
 */
async function makeCase() {
  const coord = srv.tokens.coordinator;
  const c = (p) => `/api/v1/cases/${rid(ref)}${p}`;
  const rep = await acceptedReport();
  const opened = await ok(await api(srv.url, '/api/v1/cases', {
    token: coord, body: { reports: [rep.tid], title: M.title, summary: M.summary, detail: M.detail },
  }), 'POST /api/v1/cases');
  const ref = opened.id;
  await ok(await api(srv.url, c('/vulnerabilities/1'), { method: 'PATCH', token: coord, body: { description: M.desc } }),
    'the description of vulnerability 1');
  const attId = await attachmentIdOf(rep.tid);
  await ok(await api(srv.url, c(''), { method: 'PATCH', token: coord, body: { attachments: [attId] } }),
    'passing the attachment on with the detail');
  for (const v of ['A', 'B', 'D']) {
    await ok(await api(srv.url, c('/vendors'), { token: coord, body: { vendor_id: vendors[v] } }), `adding vendor ${v}`);
  }
  await ok(await api(srv.url, c('/notify'), { token: coord, body: { vendor_ids: [vendors.A, vendors.B] } }), 'notify A and B');
  await ok(await api(srv.url, c(''), { token: who['vendor before asking'].token }), 'B reads the summary');
  const A = who['vendor after asking'].token;
  await ok(await api(srv.url, c('/answer'), { token: A, body: { answer: 'send_detail' } }), 'A asks for the detail');
  await ok(await api(srv.url, c('/status'), { token: A, body: { vulnerability: 1, status: 'investigating' } }),
    'A investigates');
  await ok(await api(srv.url, c('/status'), {
    token: A, body: { vulnerability: 1, status: 'affected', note: M.noteA, fixed_versions: [M.fixA] },
  }), 'A is affected');
  await ok(await api(srv.url, c('/suggestions'), { token: A, body: { name: M.suggestion, note: 'embeds the same library' } }),
    'A suggests a vendor');
  await ok(await api(srv.url, c('/direct-contact'), { token: A, body: { consent: true } }), 'A agrees to direct contact');
  const msg = await ok(await api(srv.url, c('/messages'), {
    token: A,
    body: { thread: 'vendor', body: M.msgA,
      attachments: [{ filename: 'log.txt', content_type: 'text/plain', data_base64: b64(M.msgFile) }] },
  }), 'A writes to the coordinator');
  await ok(await api(srv.url, c('/messages'), { token: coord, body: { thread: 'vendor', vendor_id: vendors.B, body: M.msgB } }),
    'the coordinator writes to B');
  await ok(await api(srv.url, c('/messages'), { token: A, body: { thread: 'finder_vendor', body: M.msgD } }),
    'A writes to the finder');
  await ok(await api(srv.url, `/api/v1/status/${encodeURIComponent(rep.secret)}/messages`,
    { body: { body: M.msgF, question: true } }), 'the finder asks for progress');
  const answer = await ok(await api(srv.url, c('/messages'), { token: srv.tokens.intake, body: {
    thread: 'finder', finder: 'Finder A', body: M.msgF2,
    attachments: [{ filename: 'answer.txt', content_type: 'text/plain', data_base64: b64(M.finderFile) }],
  } }), 'intake answers the finder');
  /* issue 10: A has a fix (its fixed version), so the coordinator provides with priority (SPEC 2.10),
   * and A asks to pre-notify its customers (G IV.4.9) */
  const prov = await ok(await api(srv.url, c('/provisions'), { token: coord, body: {
    recipient_id: recipientId, title: M.provTitle, body: M.provision, consulted_intake: true, consulted_vendor: true,
  } }), 'the coordinator provides with priority');
  const pre = await ok(await api(srv.url, c('/prenotify'), { token: A, body: { customers: M.prenotify, nda: true } }),
    'A asks to pre-notify its customers');
  const view = await ok(await api(srv.url, c(''), { token: coord }), 'the coordinator reads the case');
  const passed = view.attachments?.[0]?.id;
  assert.ok(passed !== undefined, `the case shows no passed-on attachment: ${JSON.stringify(view.attachments)}`);
  const free = await acceptedReport();
  return { ref, tid: rep.tid, secret: rep.secret, attachmentId: passed, messageId: msg.id, answerId: answer.id, free,
    provisionId: prov.id, prenotifyId: pre.id };
}

before(async () => {
  srv = await startServer();
  await addUser(srv.db, { email: 'committee@ipa.example', org: 'Committee', role: 'committee', name: 'Committee Member' });
  for (const role of ['intake', 'coordinator', 'operator']) who[role] = { token: srv.tokens[role], email: srv.users[role].email };
  who.committee = { token: await createToken(srv.db, 'committee@ipa.example'), email: 'committee@ipa.example' };
  for (const [k, name] of [['A', M.vendorA], ['B', M.vendorB], ['C', M.vendorC], ['D', M.vendorD]]) {
    const v = await api(srv.url, '/api/v1/vendors', { token: srv.tokens.coordinator, body: {
      name_en: name, contacts: [{ channel: 'email', address: `psirt@${k.toLowerCase()}.matrix-vendor.example` }],
    } });
    assert.equal(v.status, 201, v.text);
    vendors[k] = v.json.id;
  }
  who['vendor after asking'] = await vendorUser('A', vendors.A);
  who['vendor before asking'] = await vendorUser('B', vendors.B);
  who['vendor not on the case'] = await vendorUser('C', vendors.C);
  /* SPEC 2.10: a recipient of priority provision (G IV.4.8) and a user of it */
  const rcp = await api(srv.url, '/api/v1/recipients', { token: srv.tokens.coordinator, body: {
    name_en: 'Matrix Power Grid', kind: 'critical_infrastructure', conditions_accepted: true, accepted_by: 'Its CISO' } });
  assert.equal(rcp.status, 201, rcp.text);
  recipientId = rcp.json.id;
  await keikai(['user', 'add', '--db', srv.db, '--org', 'Matrix Power Grid', '--role', 'recipient', '--recipient-id',
    String(recipientId), '--email', 'soc@matrix-grid.example', '--name', 'Grid SOC', '--password-stdin'],
  { input: `${PASSWORD}\n` });
  who.recipient = { token: await createToken(srv.db, 'soc@matrix-grid.example'), email: 'soc@matrix-grid.example' };
  for (const cred of Object.values(who)) await signIn(cred);
  /* a day the date may be set to: day 0 + 45 days from today, on a business day */
  const pd = await keikai(['calendar', 'publication-date', '--db', srv.db, new Date().toISOString().slice(0, 10)]);
  futureDay = pd.stdout.trim().slice(0, 10);
  assert.match(futureDay, /^\d{4}-\d{2}-\d{2}$/, pd.stdout);
  who['finder by status URL'] = { finder: true };
  who.anonymous = {};
  const first = await api(srv.url, '/login');
  csrf = /kk_csrf=([A-Za-z0-9_-]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1];
  assert.ok(csrf, 'GET /login sets a kk_csrf cookie');
  main = await makeCase();
});
after(async () => { await srv?.stop(); });

/* ---- how each row is asked --------------------------------------------------------- */

const MISSING_REF = 'VU#000000';
const otherSecret = () => randomBytes(24).toString('base64url');

/* staff say whose vendor entry a change is about (case.h: "vendor_id (a coordinator)") */
const staff = (col) => col === 'intake' || col === 'coordinator';
const forA = (col, body) => (staff(col) ? { ...body, vendor_id: vendors.A } : body);

/*
 * For each row: (fixture, column) -> {params: [values of the {} in order], body
 * (JSON for /api/, form fields for pages), query}. A param given as {ref} is the
 * case, {secret} the status page's secret; the others are ids of things of the case.
 */
const RECIPES = {
  'GET /api/v1/cases': () => ({}),
  'POST /api/v1/cases': (f) => ({ body: { reports: [f.free.tid], title: M.title, summary: M.summary, detail: M.detail } }),
  'GET /api/v1/cases/{}': (f) => ({ params: [{ ref: f.ref }] }),
  'PATCH /api/v1/cases/{}': (f) => ({ params: [{ ref: f.ref }], body: { title: `${M.title} (renamed)` } }),
  'POST /api/v1/cases/{}/close': (f) => ({ params: [{ ref: f.ref }], body: { reason: 'Fixed everywhere.' } }),
  'POST /api/v1/cases/{}/reopen': (f) => ({
    params: [{ ref: f.ref }], body: { reason: 'A vendor found more.' },
    /* an allowed reopen needs a closed case */
    prepare: () => api(srv.url, `/api/v1/cases/${rid(f.ref)}/close`,
      { token: srv.tokens.coordinator, body: { reason: 'Fixed everywhere.' } }),
  }),
  'POST /api/v1/cases/{}/vulnerabilities': (f) => ({ params: [{ ref: f.ref }], body: { title: 'A second flaw' } }),
  'PATCH /api/v1/cases/{}/vulnerabilities/{}': (f) => ({ params: [{ ref: f.ref }, 1], body: { title: 'Renamed flaw' } }),
  'POST /api/v1/cases/{}/vendors': (f) => ({ params: [{ ref: f.ref }], body: { vendor_id: vendors.C } }),
  'DELETE /api/v1/cases/{}/vendors/{}': (f) => ({ params: [{ ref: f.ref }, vendors.D], body: {} }),
  'GET /api/v1/cases/{}/audit': (f) => ({ params: [{ ref: f.ref }] }),
  'POST /api/v1/cases/{}/notify': (f) => ({ params: [{ ref: f.ref }], body: { vendor_ids: [vendors.D] } }),
  /* "not applicable": B stays a vendor that never asked for the detail */
  'POST /api/v1/cases/{}/answer': (f) => ({
    params: [{ ref: f.ref }], body: { answer: 'not_applicable', reason: 'We do not ship that component.' },
  }),
  'POST /api/v1/cases/{}/status': (f, col) => ({
    params: [{ ref: f.ref }], body: forA(col, { vulnerability: 1, status: 'fixed', note: 'Released.' }),
  }),
  'POST /api/v1/cases/{}/countermeasures': (f, col) => ({
    params: [{ ref: f.ref }],
    body: forA(col, { vulnerability: 1, product_name: 'Widget', fixed_versions: ['2.0.1'], workaround_en: 'Turn it off.' }),
  }),
  'POST /api/v1/cases/{}/statement': (f, col) => ({
    params: [{ ref: f.ref }], body: forA(col, { ja: '修正版を公開しました。', en: 'A fix is out.' }),
  }),
  'GET /api/v1/cases/{}/suggestions': (f) => ({ params: [{ ref: f.ref }] }),
  'POST /api/v1/cases/{}/suggestions': (f) => ({ params: [{ ref: f.ref }], body: { name: 'Another Vendor', note: 'same chip' } }),
  'GET /api/v1/cases/{}/attachments/{}': (f) => ({ params: [{ ref: f.ref }, f.attachmentId] }),
  'GET /api/v1/cases/{}/threads': (f) => ({ params: [{ ref: f.ref }] }),
  'POST /api/v1/cases/{}/messages': (f, col) => ({
    params: [{ ref: f.ref }],
    body: staff(col) ? { thread: 'vendor', vendor_id: vendors.A, body: 'Any news?' } : { thread: 'vendor', body: 'Any news?' },
  }),
  'GET /api/v1/cases/{}/messages/{}/attachments/{}': (f) => ({ params: [{ ref: f.ref }, f.messageId, 0] }),
  'POST /api/v1/cases/{}/direct-contact': (f) => ({ params: [{ ref: f.ref }], body: { consent: true } }),
  'GET /api/v1/status/{}': (f) => ({ params: [{ secret: f.secret }] }),
  'POST /api/v1/status/{}/messages': (f) => ({ params: [{ secret: f.secret }], body: { body: 'Is there news?', question: true } }),
  'GET /r/{}': (f) => ({ params: [{ secret: f.secret }] }),
  'POST /r/{}/messages': (f) => ({ params: [{ secret: f.secret }], body: { body: 'Is there news?', question: 'on' } }),
  'GET /r/{}/messages/{}/attachments/{}': (f) => ({ params: [{ secret: f.secret }, f.answerId, 0] }),
  'GET /cases': () => ({}),
  'GET /cases/new': (f) => ({ query: `?report=${rid(f.free.tid)}` }),
  'POST /cases': (f) => ({ body: { reports: f.free.tid, title: M.title, summary: M.summary, detail: M.detail } }),
  'GET /cases/{}': (f) => ({ params: [{ ref: f.ref }] }),
  'GET /cases/{}/audit': (f) => ({ params: [{ ref: f.ref }] }),
  'GET /cases/{}/attachments/{}': (f) => ({ params: [{ ref: f.ref }, f.attachmentId] }),
  'GET /cases/{}/messages/{}/attachments/{}': (f) => ({ params: [{ ref: f.ref }, f.messageId, 0] }),
  /* the page forms: the same changes as the API's, as form fields */
  'POST /cases/{}/update': (f) => ({ params: [{ ref: f.ref }],
    body: { title: `${M.title} (renamed)`, summary: M.summary, detail: M.detail } }),
  'POST /cases/{}/vulnerabilities': (f) => ({ params: [{ ref: f.ref }], body: { title: 'A second flaw' } }),
  'POST /cases/{}/vendors': (f) => ({ params: [{ ref: f.ref }], body: { vendor_id: String(vendors.C) } }),
  'POST /cases/{}/notify': (f) => ({ params: [{ ref: f.ref }], body: { [`notify.${vendors.D}`]: 'on' } }),
  'POST /cases/{}/close': (f) => ({ params: [{ ref: f.ref }], body: { reason: 'Fixed everywhere.' } }),
  'POST /cases/{}/answer': (f) => ({ params: [{ ref: f.ref }],
    body: { answer: 'not_applicable', reason: 'We do not ship that component.' } }),
  'POST /cases/{}/status': (f, col) => ({ params: [{ ref: f.ref }],
    body: forA(col, { vulnerability: '1', status: 'fixed', note: 'Released.' }) }),
  'POST /cases/{}/countermeasures': (f, col) => ({ params: [{ ref: f.ref }],
    body: forA(col, { vulnerability: '1', product_name: 'Widget', fixed_versions: '2.0.1', workaround_en: 'Turn it off.' }) }),
  'POST /cases/{}/statement': (f, col) => ({ params: [{ ref: f.ref }],
    body: forA(col, { ja: '修正版を公開しました。', en: 'A fix is out.' }) }),
  'POST /cases/{}/suggestions': (f) => ({ params: [{ ref: f.ref }], body: { name: 'Another Vendor', note: 'same chip' } }),
  'POST /cases/{}/messages': (f, col) => ({ params: [{ ref: f.ref }],
    body: staff(col) ? { thread: 'vendor', vendor_id: String(vendors.A), body: 'Any news?' } : { thread: 'vendor', body: 'Any news?' } }),
  /* issue 10: the publication date (SPEC 2.8, 2.9; docs/api/dates.md) */
  'GET /api/v1/cases/{}/date': (f) => ({ params: [{ ref: f.ref }] }),
  'POST /api/v1/cases/{}/date': (f) => ({ params: [{ ref: f.ref }], body: { date: futureDay, reason: 'Agreed with the vendors.' } }),
  'POST /api/v1/cases/{}/date/answer': (f) => ({ params: [{ ref: f.ref }], body: { answer: 'agree' } }),
  'POST /api/v1/cases/{}/date/call-off': (f) => ({ params: [{ ref: f.ref }], body: { reason: 'b', note: 'No impact after all.' } }),
  'POST /api/v1/cases/{}/date/resume': (f) => ({ params: [{ ref: f.ref }], body: {}, prepare: () => callOff(f) }),
  'GET /cases/{}/date': (f) => ({ params: [{ ref: f.ref }] }),
  'POST /cases/{}/date': (f) => ({ params: [{ ref: f.ref }], body: { date: futureDay, reason: 'Agreed with the vendors.' } }),
  'POST /cases/{}/date/answer': (f) => ({ params: [{ ref: f.ref }], body: { answer: 'agree' } }),
  'POST /cases/{}/date/call-off': (f) => ({ params: [{ ref: f.ref }], body: { reason: 'b', note: 'No impact after all.' } }),
  'POST /cases/{}/date/resume': (f) => ({ params: [{ ref: f.ref }], body: {}, prepare: () => callOff(f) }),
  /* issue 10: lifting non-disclosure (SPEC 2.12): the case is younger than a year, so the finder may not ask yet
   * and there is no request to answer (1 names none) */
  'POST /api/v1/status/{}/lift': (f) => ({ params: [{ secret: f.secret }], body: { reason: 'A year has passed.' } }),
  'POST /r/{}/lift': (f) => ({ params: [{ secret: f.secret }], body: { reason: 'A year has passed.' } }),
  'GET /api/v1/cases/{}/lift': (f) => ({ params: [{ ref: f.ref }] }),
  'POST /api/v1/cases/{}/lift/{}': (f) => ({ params: [{ ref: f.ref }, 1], body: { decision: 'lifted', explanation: 'Fixed.' } }),
  'GET /cases/{}/lift': (f) => ({ params: [{ ref: f.ref }] }),
  'POST /cases/{}/lift/{}': (f) => ({ params: [{ ref: f.ref }, 1], body: { decision: 'lifted', explanation: 'Fixed.' } }),
  /* issue 10: a vendor's own finding (SPEC 2.14): a case of its own, nothing of this one */
  'POST /api/v1/vendor-cases': () => ({ body: { title: 'Own finding', summary: 'Found in-house.', detail: 'The parser overflows.',
    product_name: 'Own Router', fixed_versions: ['3.0.1'] } }),
  'GET /cases/register': () => ({}),
  'POST /cases/register': () => ({ body: { title: 'Own finding', summary: 'Found in-house.', detail: 'The parser overflows.',
    product_name: 'Own Router', fixed_versions: '3.0.1' } }),
  /* issue 10: priority provision and pre-notification (SPEC 2.10; docs/api/provisions.md) */
  'GET /api/v1/cases/{}/provisions': (f) => ({ params: [{ ref: f.ref }] }),
  'POST /api/v1/cases/{}/provisions': (f) => ({ params: [{ ref: f.ref }], body: { recipient_id: recipientId,
    title: M.provTitle, body: M.provision, consulted_intake: true, consulted_vendor: true } }),
  'GET /api/v1/cases/{}/prenotify': (f) => ({ params: [{ ref: f.ref }] }),
  'POST /api/v1/cases/{}/prenotify': (f) => ({ params: [{ ref: f.ref }], body: { customers: 'Our OEM partners', nda: true } }),
  'POST /api/v1/cases/{}/prenotify/{}': (f) => ({ params: [{ ref: f.ref }, f.prenotifyId], body: { decision: 'consent' } }),
  'GET /api/v1/provisions': () => ({}),
  'GET /api/v1/provisions/{}': (f) => ({ params: [f.provisionId] }),
  'GET /provisions': () => ({}),
  'GET /provisions/{}': (f) => ({ params: [f.provisionId] }),
  'GET /cases/{}/provisions': (f) => ({ params: [{ ref: f.ref }] }),
  'POST /cases/{}/provisions': (f) => ({ params: [{ ref: f.ref }], body: { recipient_id: String(recipientId),
    title: M.provTitle, body: M.provision, consulted_intake: '1', consulted_vendor: '1' } }),
  'POST /cases/{}/prenotify/{}': (f) => ({ params: [{ ref: f.ref }, f.prenotifyId], body: { decision: 'consent' } }),
  'GET /cases/{}/prenotify': (f) => ({ params: [{ ref: f.ref }] }),
  /* issue 12: the advisory's draft (SPEC 6; docs/api/advisories.md) */
  'GET /api/v1/cases/{}/advisory': (f) => ({ params: [{ ref: f.ref }] }),
  'PUT /api/v1/cases/{}/advisory': (f) => ({ params: [{ ref: f.ref }], body: ADVISORY }),
  'POST /api/v1/cases/{}/advisory/approve': (f) => ({ params: [{ ref: f.ref }], body: {}, prepare: () => draft(f) }),
  'POST /api/v1/cases/{}/advisory/withdraw': (f) => ({ params: [{ ref: f.ref }], body: { note: 'One more change.' },
    prepare: () => draft(f, true) }),
  'POST /api/v1/cases/{}/advisory/revise': (f) => ({ params: [{ ref: f.ref }],
    body: { ...ADVISORY, note_en: 'Matrix revision.' } }),
  'POST /api/v1/cases/{}/advisory/comments': (f) => ({ params: [{ ref: f.ref }], body: { body: 'Please say 2.0.1.' },
    prepare: () => draft(f) }),
  /* issue 12: the draft's page and its forms (docs/api/portal.md "The draft's page") */
  'GET /cases/{}/advisory': (f) => ({ params: [{ ref: f.ref }] }),
  'POST /cases/{}/advisory': (f) => ({ params: [{ ref: f.ref }], body: advisoryForm() }),
  'POST /cases/{}/advisory/revise': (f) => ({ params: [{ ref: f.ref }],
    body: { ...advisoryForm(), note_en: 'Matrix revision.' } }),
  'POST /cases/{}/advisory/approve': (f) => ({ params: [{ ref: f.ref }], body: {}, prepare: () => draft(f) }),
  'POST /cases/{}/advisory/withdraw': (f) => ({ params: [{ ref: f.ref }], body: { note: 'One more change.' },
    prepare: () => draft(f, true) }),
  'POST /cases/{}/advisory/comments': (f) => ({ params: [{ ref: f.ref }], body: { body: 'Please say 2.0.1.' },
    prepare: () => draft(f) }),
  'POST /cases/{}/prenotify': (f) => ({ params: [{ ref: f.ref }], body: { customers: 'Our OEM partners', nda: '1' } }),
};

/* issue 12: a complete advisory of no planted value (SPEC 6: every item in both languages) */
const ADVISORY = {
  texts: Object.fromEntries(['ja', 'en'].map((l) => [l, Object.fromEntries(['title', 'overview', 'affected', 'description',
    'impact', 'countermeasures', 'workarounds', 'contact'].map((m) => [m, `Matrix advisory ${m} (${l})`]))])),
  cvss3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
};
/* The same advisory as the page's form takes it: the fields are the JSON paths. */
function advisoryForm() {
  const form = { cvss3: ADVISORY.cvss3 };
  for (const [l, t] of Object.entries(ADVISORY.texts)) for (const [m, v] of Object.entries(t)) form[`texts.${l}.${m}`] = v;
  return form;
}
/* What an allowed approval or comment needs: the coordinator's draft; a withdrawal, its approval too. */
async function draft(f, approve = false) {
  const put = await api(srv.url, `/api/v1/cases/${rid(f.ref)}/advisory`, { method: 'PUT', token: srv.tokens.coordinator,
    body: ADVISORY });
  if (!approve || put.status >= 300) return put;
  return api(srv.url, `/api/v1/cases/${rid(f.ref)}/advisory/approve`, { token: srv.tokens.coordinator, body: {} });
}

/* What an allowed resume needs: publication called off first. */
function callOff(f) {
  return api(srv.url, `/api/v1/cases/${rid(f.ref)}/date/call-off`,
    { token: srv.tokens.coordinator, body: { reason: 'b', note: 'No impact after all.' } });
}

/*
 * The request of one cell: the column's credentials, the recipe's path and body.
 * missing: 'case' (another ref, or another secret) or 'thing' (the same case, and
 * ids 999999): the same request for something that does not exist. lang: the
 * Accept-Language.
 */
async function ask(row, column, fixture, missing, lang = 'en') {
  const recipe = RECIPES[`${row.method} ${row.pattern}`];
  const r = recipe(fixture, column);
  if (r.prepare && fixture !== main) {
    const pre = await r.prepare();
    assert.ok(pre.status < 300, `preparing ${row.method} ${row.pattern}: ${pre.status} ${pre.text.slice(0, 300)}`);
  }
  const params = (r.params ?? []).map((p) => {
    if (typeof p === 'object' && 'ref' in p) return missing === 'case' ? MISSING_REF : p.ref;
    if (typeof p === 'object' && 'secret' in p) {
      const theirs = who[column].finder && missing !== 'case';
      return theirs ? p.secret : (missing === 'case' ? otherSecret() : fixture.wrongSecret ??= otherSecret());
    }
    return missing === 'thing' ? 999999 : p;
  });
  let i = 0;
  const p = row.pattern.replace(/\{\}/g, () => encodeURIComponent(String(params[i++]))) + (r.query ?? '');
  const isApi = p.startsWith('/api/');
  const headers = { 'accept-language': lang };
  const cred = who[column];
  /* the API with the bearer token; pages in the browser's way, with the session */
  if (cred.token && isApi) headers.authorization = `Bearer ${cred.token}`;
  let body;
  if (!isApi) headers.cookie = cred.jar ? cred.jar.header() : `kk_csrf=${csrf}`;
  if (row.method !== 'GET') {
    if (isApi) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(r.body ?? {});
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({ ...(r.body ?? {}), csrf: cred.csrf ?? csrf }).toString();
    }
  }
  const res = await fetch(srv.url + p, { method: row.method, headers, body, redirect: 'manual' });
  const buf = Buffer.from(await res.arrayBuffer());
  if (process.env.T1140_DUMP && !missing && lang === 'en') {
    /* for looking into a failure: every answer, by row and column */
    const name = `${row.method} ${row.pattern.replace(/\{\}/g, 'X')} ${column}`.replace(/[^A-Za-z0-9]+/g, '_');
    writeFileSync(path.join(process.env.T1140_DUMP, name), `${res.status} ${p}\n${buf.toString('utf8')}`);
  }
  return { status: res.status, location: res.headers.get('location'), text: buf.toString('utf8'), path: p, params };
}

/*
 * A body with the case's ref or the status secret taken out (a 404 may name what
 * it did not find), and for the comparison with a missing thing of the case
 * ('thing') every number too (the ids asked for are numbers).
 */
function normalized(res, missing) {
  let t = res.text;
  for (const v of res.params) {
    if (typeof v !== 'string' || v.length < 8) continue;
    for (const form of new Set([v, encodeURIComponent(v)])) t = t.split(form).join('<ref>');
  }
  return missing === 'thing' ? t.replace(/\d+/g, '#') : t;
}

/* ---- the cells ---------------------------------------------------------------------- */

/* Checks one cell's answer; returns the faults found (strings). */
async function check(row, column, cell, res, fixture) {
  const where = `${row.method} ${res.path} as ${column}`;
  const faults = [];
  if (cell.login) {
    if (!(res.status === 303 && /^\/login\?next=/.test(res.location ?? ''))) {
      faults.push(`${where}: expected the sign-in redirect, got ${res.status} ${res.location ?? ''}`);
    }
  } else if (res.status !== cell.status) {
    faults.push(`${where}: expected ${cell.status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  } else if (res.status === 303 && /^\/login/.test(res.location ?? '')) {
    faults.push(`${where}: a form that should be taken sent the caller to sign in (${res.location})`);
  }
  for (const v of NEVER[column]) {
    const at = res.text.indexOf(v);
    if (at >= 0) {
      faults.push(`${where}: the answer (${res.status}) holds "${v}", which ${column} must never see: ` +
        `…${res.text.slice(Math.max(0, at - 150), at + v.length + 50)}…`);
    }
  }
  if (faults.length) return faults;
  for (const word of cell.shows) {
    for (const v of shown(word, column)) {
      if (!res.text.includes(v)) faults.push(`${where}: the answer does not show ${word} ("${v}")`);
    }
    if (word === 'stage' && !/investigating/i.test(res.text)) {
      faults.push(`${where}: the answer does not show the stage (investigating)`);
    }
  }
  if (cell.status === 404) {
    /* SPEC 1: a denied read looks like a missing one, in either language */
    for (const lang of ['en', 'ja']) {
      const denied = lang === 'en' ? res : await ask(row, column, fixture, undefined, lang);
      const like = [];
      for (const missing of ['case', 'thing']) {
        if (missing === 'thing' && (denied.params.length < 2)) continue;
        const m = await ask(row, column, fixture, missing, lang);
        if (m.status === denied.status && normalized(m, missing) === normalized(denied, missing)) break;
        like.push(`${m.status} ${normalized(m, missing).slice(0, 200)}`);
      }
      if (like.length === (denied.params.length < 2 ? 1 : 2)) {
        faults.push(`${where} (${lang}): the 404 differs from what a missing case gets: ` +
          `${denied.status} ${normalized(denied).slice(0, 200)} / ${like.join(' / ')}`);
      }
    }
  }
  return faults;
}

/* What must not change on the case the refused changes were tried on. */
async function snapshot(f) {
  const g = await api(srv.url, `/api/v1/cases/${rid(f.ref)}`, { token: srv.tokens.intake });
  const t = await api(srv.url, `/api/v1/cases/${rid(f.ref)}/threads`, { token: srv.tokens.intake });
  assert.equal(g.status, 200, g.text);
  const c = g.json;
  return {
    title: c.title, state: c.state, summary: c.summary, detail: c.detail, day0: c.day0,
    vendors_see_names: c.vendors_see_names,
    vulnerabilities: (c.vulnerabilities ?? []).map((v) => [v.number, v.title, v.description]),
    vendors: (c.vendors ?? []).map((v) => [v.vendor_id, v.notified_at, v.answer, v.detail_requested_at,
      (v.statuses ?? []).map((s) => [s.vulnerability, s.status, s.note]), (v.countermeasures ?? []).length,
      v.statement]),
    attachments: (c.attachments ?? []).map((a) => a.id),
    messages: (t.json?.threads ?? []).map((th) => [th.kind, th.vendor_id, (th.messages ?? []).map((m) => m.body)]),
  };
}

const ROWS = matrix();
let before0;

test('the matrix has a row for every case route of server/routes.c, and a route for every row', () => {
  const have = new Set(ROWS.map((r) => `${r.method} ${r.pattern}`));
  const routes = caseRoutes().map((r) => `${r.method} ${r.pattern}`);
  const missing = routes.filter((r) => !have.has(r));
  assert.deepEqual(missing, [], 'case routes without a row in docs/internals/access.md ("The case access matrix")');
  const gone = [...have].filter((r) => !routes.includes(r));
  assert.deepEqual(gone, [], 'rows of the case access matrix without a route in server/routes.c');
  const noRecipe = [...have].filter((r) => !RECIPES[r]);
  assert.deepEqual(noRecipe, [], 'rows t1140 does not know how to ask (add them to RECIPES)');
});

for (const row of ROWS) {
  const key = `${row.method} ${row.pattern}`;
  test(`${key}: every party gets what the matrix says`, async () => {
    assert.ok(RECIPES[key], `t1140 does not know how to ask ${key}`);
    before0 ??= await snapshot(main);
    const faults = [];
    for (const column of COLUMNS) {
      const cell = row.cells[column];
      const changes = row.method !== 'GET' && !cell.login && cell.status >= 200 && cell.status < 400;
      /* an allowed change gets a case of its own, set up the same way */
      const fixture = changes ? await makeCase() : main;
      const res = await ask(row, column, fixture);
      faults.push(...await check(row, column, cell, res, fixture));
    }
    assert.deepEqual(faults, []);
  });
}

test('no refused change and no read changed the case', async () => {
  assert.ok(before0, 'the cells ran');
  assert.deepEqual(await snapshot(main), before0);
});
