// t0600: one store, two engines (issue 6). Several servers on one database
// answer for each other: a session made on one works on the other, sign-in
// throttling counts across them, and tracking numbers stay unique. The
// database address comes from --db or KEIKAI_DB, and a password in it is
// never printed. Runs on whichever engine the suite runs on (KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  startServer, serveOn, postReport, api, productReport, rid, login, browse, csrfField, keikai,
  KEIKAI_BIN, PASSWORD, DB_ENGINE,
} from './lib/server.mjs';

let a; /* the first server, which made the database */
let b; /* a second server on the same database */
before(async () => {
  a = await startServer();
  b = await serveOn(a.db);
});
after(async () => {
  await b?.stop();
  await a?.stop();
});

test(`two servers share one ${DB_ENGINE} database: a report sent to one is seen on the other`, async () => {
  const r = await postReport(a.url, productReport());
  assert.equal(r.status, 201, r.text);
  const g = await api(b.url, `/api/v1/reports/${rid(r.json.tracking_id)}`, { token: a.tokens.intake });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.status, 'received');
  const s = await api(b.url, r.json.status_url, { accept: 'application/json' });
  assert.equal(s.status, 200, 'the finder\'s status link works on either server');
});

// SPEC 1: sessions and CSRF live in the database, not in one server's memory.
test('a session made on one server works on the other, with its CSRF token', async () => {
  const { jar } = await login(a.url, 'intake@ipa.example');
  assert.ok(jar.get('kk_session'), 'signed in on server A');
  const queue = await browse(b.url, '/intake', jar);
  assert.equal(queue.status, 200, 'server B knows the session');
  const csrf = csrfField(queue.text);
  assert.ok(csrf, 'server B shows the session\'s CSRF token');

  const r = await postReport(a.url, productReport());
  const path = `/api/v1/reports/${rid(r.json.tracking_id)}/decision`;
  const send = (url, token) => fetch(url + path, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/json', 'x-csrf-token': token },
    body: JSON.stringify({ decision: 'accept' }),
  });
  assert.equal((await send(b.url, 'forged')).status, 403, 'a wrong token is refused on B');
  const ok = await send(b.url, csrf);
  assert.equal(ok.status, 200, await ok.text());
  const again = await send(a.url, csrf);
  assert.equal(again.status, 409, 'server A sees the decision B made');

  const out = await browse(a.url, '/logout', jar, { method: 'POST', form: { csrf } });
  assert.equal(out.status, 303, `logout on A: ${out.text}`);
  assert.equal(out.headers.get('location'), '/');
  const after = await browse(b.url, '/intake', jar);
  assert.equal(after.status, 303, 'signed out on A is signed out on B');
  assert.equal(after.headers.get('location'), '/login?next=%2Fintake');
});

// SPEC 1: throttling is kept in the database, so spreading guesses over
// servers does not help (issue 7: delays, t0320).
test('login throttling counts failures on every server', async () => {
  /* both servers' clocks stand still at one instant, so the delay cannot pass */
  const frozen = { KEIKAI_NOW: '2030-01-07T09:00:00Z', KEIKAI_NOW_FROZEN: '1' };
  const one = await startServer({
    serveEnv: frozen,
    extraUsers: [{ email: 'throttle-6@ipa.example', org: 'IPA', role: 'intake', name: 'Throttle Target' }],
  });
  const two = await serveOn(one.db, { env: frozen });
  try {
    for (let i = 0; i < 3; i++) {
      const { jar, res } = await login(i % 2 ? one.url : two.url, 'throttle-6@ipa.example', 'wrong password');
      assert.ok(!jar.get('kk_session'));
      assert.equal(res.status, 401, `failure ${i + 1} is checked`);
    }
    const { jar, res } = await login(two.url, 'throttle-6@ipa.example', PASSWORD);
    assert.ok(!jar.get('kk_session'), 'the right password waits for the delay after 3 failures on both servers');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '1');
  } finally {
    await two.stop();
    await one.stop();
  }
});

test('tracking numbers stay unique when both servers take reports at once', async () => {
  const sends = [];
  for (let i = 0; i < 60; i++) sends.push(postReport(i % 2 ? a.url : b.url, productReport()));
  const answers = await Promise.all(sends);
  for (const r of answers) assert.equal(r.status, 201, r.text);
  const ids = answers.map((r) => r.json.tracking_id);
  assert.equal(new Set(ids).size, ids.length, 'no tracking number given twice');
  for (const id of ids) assert.match(id, /^IPA#\d{8}$/);
  // more than the default page of 50: one page of 200 holds them all
  const q = await api(b.url, '/api/v1/reports?limit=200', { token: a.tokens.intake });
  assert.ok(q.json.paging.total <= 200, `one page holds the queue: ${q.json.paging.total}`);
  const listed = new Set(q.json.reports.map((x) => x.tracking_id));
  for (const id of ids) assert.ok(listed.has(id), `${id} is stored`);
});

// A client that always sends every field sends "" or null for "no reason".
test('an acceptance with reason "" or null is an acceptance', async () => {
  for (const reason of ['', null]) {
    const r = await postReport(a.url, productReport());
    const d = await api(a.url, `/api/v1/reports/${rid(r.json.tracking_id)}/decision`, {
      method: 'POST', token: a.tokens.intake, body: { decision: 'accept', reason, note: 'ok' },
    });
    assert.equal(d.status, 200, `reason ${JSON.stringify(reason)}: ${d.text}`);
    assert.equal(d.json.status, 'accepted');
  }
  const r = await postReport(a.url, productReport());
  const d = await api(a.url, `/api/v1/reports/${rid(r.json.tracking_id)}/decision`, {
    method: 'POST', token: a.tokens.intake, body: { decision: 'reject', reason: '', note: 'no' },
  });
  assert.equal(d.status, 400, 'a rejection still needs a reason');
  assert.ok(d.json.fields.reason, d.text);
});

test('KEIKAI_DB gives the address when --db is not there', async () => {
  const env = { ...process.env, KEIKAI_DB: a.db, KEIKAI_PWHASH: 'fast' };
  const r = spawnSync(KEIKAI_BIN, ['outbox', 'list', '--json'], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Array.isArray(JSON.parse(r.stdout)));
  const none = spawnSync(KEIKAI_BIN, ['outbox', 'list'], { env: { ...env, KEIKAI_DB: '' }, encoding: 'utf8' });
  assert.equal(none.status, 2, 'no address at all is wrong usage');
  assert.match(none.stderr, /^keikai outbox list: --db ADDRESS \(or KEIKAI_DB\) is required$/m);
});

test('a password in a postgresql:// address is never printed', async () => {
  const { code, stderr } = await keikai(
    ['init', '--db', 'postgresql://keikai:hunter2-secret@127.0.0.1:1/keikai?connect_timeout=2', '--keys', 'keys'],
    { allowFail: true });
  assert.equal(code, 1);
  assert.match(stderr, /postgresql:\/\/keikai:\*\*\*@127\.0\.0\.1:1\/keikai/);
  assert.ok(!stderr.includes('hunter2-secret'), stderr);
});

test('issue 11: a PostgreSQL store without a keys directory is refused before anything is made', async () => {
  const { code, stderr } = await keikai(['init', '--db', 'postgresql://127.0.0.1:1/keikai?connect_timeout=2'],
    { allowFail: true, env: { KEIKAI_KEYS: undefined } });
  assert.equal(code, 2, stderr);
  assert.match(stderr, /a PostgreSQL store needs a keys directory: give --keys DIR \(or set KEIKAI_KEYS\)/);
  assert.doesNotMatch(stderr, /Cannot open the database/, 'refused before connecting');
});

test('an unreachable database is refused at start-up with the reason', async () => {
  const r = spawnSync(KEIKAI_BIN, ['serve', '--db', 'postgresql://127.0.0.1:1/keikai?connect_timeout=2',
    '--listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /Cannot open the database/);
});
