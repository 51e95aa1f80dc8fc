// t0700: keikai db copy moves a whole deployment to another database (issue 6,
// capability 5; docs/cli/db.md). A server takes and decides reports, stops,
// its database is copied into a new one (a SQLite file, or a new PostgreSQL
// database when KEIKAI_TEST_PG is set), and a server on the copy goes on as
// if nothing had happened: the same reports and evidence, the finder's status
// link, passwords, sessions, API tokens, the tracking prefix, and new reports
// get ids of their own. A target that holds data is refused and left as it was.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  freshStore, serveOn, keikai, addUser, createToken, createPgDatabase, dropPgDatabase, postReport, api,
  productReport, websiteReport, rid, login, browse, testOn, USERS, PASSWORD, PG_BASE_URI,
} from './lib/server.mjs';

/* Every table, in the order the copy goes (lib/store/schema.c). */
const TABLES = ['settings', 'vendors', 'recipients', 'orgs', 'users', 'login_throttle', 'report_sources', 'sessions', 'api_tokens',
  'reports', 'idempotency_keys', 'attachments', 'audit', 'cwe', 'cwe_catalog',
  'vendor_aliases', 'vendor_contacts', 'products', 'registry_version', 'vendor_sboms', 'product_components',
  'product_distributors', 'vendor_requests', 'report_vendors', 'cases', 'outbox', 'case_reports', 'vulnerabilities',
  'vulnerability_products', 'case_vendors', 'vendor_statuses', 'countermeasures', 'vendor_suggestions',
  'contact_attempts', 'case_attachments', 'case_threads',
  /* issue 11: what came in by mail, sealed, before the messages that name it */
  'evidence', 'inbound_mail',
  'case_messages', 'message_attachments',
  /* issue 10: the calendar's list, the publication date, the exceptions and the clocks */
  'holidays', 'date_changes', 'date_answers', 'provisions', 'prenotify_requests', 'lift_requests', 'reminders',
  /* issue 12: advisories, their revisions, history, comments and every public ID ever given */
  'advisories', 'advisory_revisions', 'advisory_history', 'advisory_comments', 'advisory_ids',
  'portal_version'];

let dir;
const cleanups = [];
before(async () => { dir = await mkdtemp(path.join(tmpdir(), 'keikai-e2e-copy-')); });
after(async () => {
  for (const f of cleanups.reverse()) await f().catch((e) => process.stderr.write(`t0700 cleanup: ${e}\n`));
  if (!process.env.KEIKAI_KEEP_TMP) await rm(dir, { recursive: true, force: true });
});

/* A new database on the engine under test, made with keikai init and the
 * standard users, each with a token: {db, tokens}. */
async function deployment(initArgs = []) {
  const store = await freshStore(await mkdtemp(path.join(dir, 'store-')));
  cleanups.push(store.drop);
  await keikai(['init', '--db', store.db, ...initArgs]);
  const tokens = {};
  for (const [key, u] of Object.entries(USERS)) {
    await addUser(store.db, u);
    tokens[key] = await createToken(store.db, u.email);
  }
  return { db: store.db, tokens };
}

/* A new PostgreSQL database, empty: its URI. */
async function newPgDatabase() {
  const { name, uri } = await createPgDatabase();
  cleanups.push(async () => {
    if (process.env.KEIKAI_KEEP_TMP) process.stderr.write(`keikai e2e: kept database ${uri}\n`);
    else await dropPgDatabase(name);
  });
  return uri;
}

/* Where a copy goes on the engine under test: a SQLite file not made yet, or
 * a new, empty PostgreSQL database (docs/cli/db.md: made first, no init). */
async function newTarget() {
  if (PG_BASE_URI) return newPgDatabase();
  return path.join(await mkdtemp(path.join(dir, 'target-')), 'copy.db');
}

/* Runs keikai db copy; resolves {rows: {table: n}, summary, stdout}. */
async function copy(from, to) {
  const { stdout } = await keikai(['db', 'copy', '--from', from, '--to', to]);
  const lines = stdout.trimEnd().split('\n');
  /* issue 11: a last line when the copy must be told where the source's keys are */
  const keys = /^keikai: the copy reads its sealed files with the keys in (.*)$/.exec(lines.at(-1))?.[1];
  if (keys) lines.pop();
  const rows = {};
  for (const line of lines.slice(0, -1)) {
    const m = /^(\w+) +(\d+)$/.exec(line);
    assert.ok(m, `a table and its rows: ${JSON.stringify(line)}`);
    rows[m[1]] = Number(m[2]);
  }
  return { rows, summary: lines.at(-1), stdout, keys };
}

const evidence = Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a, 0]), randomBytes(50_000)]);

/* Takes a report with a binary attachment and decides it, and one more that
 * waits; resolves what the intake staff and the finder see of the first. */
async function takeReports(url, tokens) {
  const body = productReport();
  body.attachments = [{ filename: 'capture.pcap', content_type: 'application/octet-stream',
    data_base64: evidence.toString('base64') }];
  const r = await postReport(url, body);
  assert.equal(r.status, 201, r.text);
  const tid = r.json.tracking_id;
  const d = await api(url, `/api/v1/reports/${rid(tid)}/decision`,
    { method: 'POST', token: tokens.intake, body: { decision: 'accept', note: '受理しました' } });
  assert.equal(d.status, 200, d.text);
  const waiting = await postReport(url, websiteReport());
  assert.equal(waiting.status, 201, waiting.text);
  const report = await api(url, `/api/v1/reports/${rid(tid)}`, { token: tokens.intake });
  assert.equal(report.status, 200, report.text);
  const status = await api(url, r.json.status_url, { accept: 'application/json' });
  assert.equal(status.status, 200, status.text);
  return { tid, statusUrl: r.json.status_url, report: report.json, status: status.json, waiting: waiting.json.tracking_id };
}

/* What the server at url answers each role's token for the report tid:
 * {role: {status, json}}. */
async function answersByToken(url, tokens, tid) {
  const answers = {};
  for (const [role, token] of Object.entries(tokens)) {
    const r = await api(url, `/api/v1/reports/${rid(tid)}`, { token });
    answers[role] = { status: r.status, json: r.json };
  }
  return answers;
}

/* The report, its evidence and its status page are on the server at url as
 * they were. */
async function assertSameReport(url, tokens, before) {
  const g = await api(url, `/api/v1/reports/${rid(before.tid)}`, { token: tokens.intake });
  assert.equal(g.status, 200, g.text);
  assert.deepEqual(g.json, before.report);
  assert.equal(g.json.status, 'accepted');
  const d = await api(url, `/api/v1/reports/${rid(before.tid)}/attachments/0`, { token: tokens.intake });
  assert.equal(d.status, 200);
  assert.ok(d.buf.equals(evidence), 'the evidence is byte-identical');
  const s = await api(url, before.statusUrl, { accept: 'application/json' });
  assert.equal(s.status, 200, 'the finder\'s status link works on the copy');
  assert.deepEqual(s.json, before.status);
  const w = await api(url, `/api/v1/reports/${rid(before.waiting)}`, { token: tokens.intake });
  assert.equal(w.json?.status, 'received', w.text);
}

/* New reports on the copy get ids of their own (PostgreSQL's sequences were
 * moved past the copied ids) and the copied tracking prefix. */
async function assertTakesNewReports(url, tokens, prefix) {
  const r = await postReport(url, productReport());
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.tracking_id.startsWith(`${prefix}#`), r.json.tracking_id);
  const q = await api(url, '/api/v1/reports', { token: tokens.intake });
  assert.equal(q.status, 200, q.text);
  assert.equal(q.json.reports.length, 3, 'two copied reports and the new one');
}

// Issue 6, capability 5: SQLite to PostgreSQL and back; here on the engine under test.
test('a deployment copied into a new database serves on as before', async () => {
  const src = await deployment(['--tracking-prefix', 'JVN']);
  const a = await serveOn(src.db);
  let before;
  let session;
  let tokenAnswers;
  try {
    before = await takeReports(a.url, src.tokens);
    ({ jar: session } = await login(a.url, USERS.intake.email));
    assert.ok(session.get('kk_session'), 'signed in before the copy');
    tokenAnswers = await answersByToken(a.url, src.tokens, before.tid);
    assert.equal(tokenAnswers.intake.status, 200);
    assert.deepEqual(tokenAnswers.intake.json, before.report);
  } finally {
    await a.stop();
  }

  /* a password in the address is never printed (docs/cli/db.md) */
  const to = PG_BASE_URI ? `${await newTarget()}&password=s3cret` : await newTarget();
  const { rows, summary, stdout, keys } = await copy(src.db, to);
  /* the sealed attachment is read on the copy with the source's keys (keys.h) */
  if (!PG_BASE_URI) assert.equal(keys, `${src.db}.keys`);
  assert.deepEqual(Object.keys(rows), TABLES, 'one line per table, in order');
  assert.equal(rows.settings, 3, "tracking_prefix, case_prefix, base_url");
  assert.equal(rows.users, Object.keys(USERS).length);
  assert.equal(rows.api_tokens, Object.keys(USERS).length);
  assert.equal(rows.sessions, 1);
  assert.equal(rows.reports, 2);
  assert.equal(rows.attachments, 1);
  assert.ok(rows.outbox >= 3, 'two acknowledgements and the acceptance notice');
  assert.ok(rows.audit >= 3);
  const total = Object.values(rows).reduce((x, y) => x + y, 0);
  const engine = PG_BASE_URI ? 'postgresql' : 'sqlite';
  const shown = PG_BASE_URI ? to.replace('password=s3cret', 'password=***') : to;
  assert.equal(summary, `keikai: copied ${src.db} (${engine}) to ${shown} (${engine}): ${TABLES.length} tables, ${total} rows`);
  assert.ok(!stdout.includes('s3cret'), stdout);

  const b = await serveOn(to);
  try {
    await assertSameReport(b.url, src.tokens, before);
    // SPEC 1: sessions, passwords and tokens carry over.
    const queue = await browse(b.url, '/intake', session);
    assert.equal(queue.status, 200, 'the session made before the copy still works');
    const { jar } = await login(b.url, USERS.coordinator.email, PASSWORD);
    assert.ok(jar.get('kk_session'), 'the password still works');
    assert.deepEqual(await answersByToken(b.url, src.tokens, before.tid), tokenAnswers,
      'every token is answered on the copy exactly as on the source');
    await assertTakesNewReports(b.url, src.tokens, 'JVN');
  } finally {
    await b.stop();
  }
});

test('a target that holds data is refused and left as it was', async () => {
  const src = await deployment();
  const a = await serveOn(src.db);
  let theirs;
  try {
    theirs = await postReport(a.url, productReport());
    assert.equal(theirs.status, 201, theirs.text);
  } finally {
    await a.stop();
  }
  /* what keikai init writes is data: the settings */
  const own = { email: 'own@other.example', org: 'Other', role: 'intake', name: 'Own Intake' };
  const dst = await freshStore(await mkdtemp(path.join(dir, 'store-')));
  cleanups.push(dst.drop);
  await keikai(['init', '--db', dst.db, '--tracking-prefix', 'ZZZ']);
  await addUser(dst.db, own);
  const ownToken = await createToken(dst.db, own.email);

  const r = await keikai(['db', 'copy', '--from', src.db, '--to', dst.db], { allowFail: true });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^keikai db copy: .* already holds data \(table settings\); refusing to copy into it\.$/m);
  assert.equal(r.stdout, '', 'no table is reported copied');

  const b = await serveOn(dst.db);
  try {
    const n = await postReport(b.url, productReport());
    assert.ok(n.json?.tracking_id?.startsWith('ZZZ#'), `the target's settings are kept: ${n.text}`);
    const q = await api(b.url, '/api/v1/reports', { token: ownToken });
    assert.equal(q.status, 200, 'the target\'s own user and token are there');
    assert.deepEqual(q.json.reports.map((x) => x.tracking_id), [n.json.tracking_id], 'no report was copied');
    const g = await api(b.url, `/api/v1/reports/${rid(theirs.json.tracking_id)}`, { token: ownToken });
    assert.equal(g.status, 404, g.text);
    const token = await api(b.url, '/api/v1/reports', { token: src.tokens.intake });
    assert.equal(token.status, 401, 'no token was copied');
  } finally {
    await b.stop();
  }
});

test('copying onto itself, a missing source and wrong usage are refused', async () => {
  const src = await deployment();
  const self = await keikai(['db', 'copy', '--from', src.db, '--to', src.db], { allowFail: true });
  assert.equal(self.code, 1);
  assert.match(self.stderr, /the same database/);

  const missing = path.join(dir, 'no-such.db');
  const target = path.join(dir, 'not-made.db');
  const m = await keikai(['db', 'copy', '--from', missing, '--to', target], { allowFail: true });
  assert.equal(m.code, 1);
  assert.match(m.stderr, /no-such\.db/);
  assert.ok(!existsSync(target), 'no target is made for a source that is not there');

  const usage = await keikai(['db', 'copy', '--from', src.db], { allowFail: true });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^usage: keikai db copy --from SRC --to DST/);
  assert.equal((await keikai(['db', 'move'], { allowFail: true })).code, 2);
  const help = await keikai(['db', 'copy', '--help']);
  assert.match(help.stdout, /^usage: keikai db copy --from SRC --to DST/);
});

// Issue 6, capability 5: both ways across the engines, through the command line.
testOn('postgresql', 'PostgreSQL to a SQLite file and back to PostgreSQL', async () => {
  const src = await deployment();
  const a = await serveOn(src.db);
  let before;
  try {
    before = await takeReports(a.url, src.tokens);
  } finally {
    await a.stop();
  }
  const lite = path.join(await mkdtemp(path.join(dir, 'lite-')), 'keikai.db');
  const toLite = await copy(src.db, lite);
  assert.match(toLite.summary, new RegExp(`\\(postgresql\\) to .*keikai\\.db \\(sqlite\\): ${TABLES.length} tables`));
  const pg = await newPgDatabase();
  const toPg = await copy(lite, pg);
  assert.match(toPg.summary, new RegExp(`\\(sqlite\\) to .* \\(postgresql\\): ${TABLES.length} tables`));
  assert.deepEqual(toPg.rows, toLite.rows);

  for (const db of [lite, pg]) {
    const b = await serveOn(db);
    try {
      await assertSameReport(b.url, src.tokens, before);
      await assertTakesNewReports(b.url, src.tokens, 'IPA');
    } finally {
      await b.stop();
    }
  }
});
