// t1210: the scheduler (issue 10, SPEC 8; docs/internals/schedule.md,
// docs/cli/tick.md, docs/api/clocks.md): `keikai tick` run twice at a later
// KEIKAI_NOW sends each reminder once (counted in `keikai outbox list
// --json`): a report not acknowledged in 7 days (intake alerted) and a vendor
// silent after the summary (the notice again at its next address, a contact
// attempt); what it prints, in English and Japanese; the thread inside
// `keikai serve` fires by itself (KEIKAI_TICK_SECONDS=1); the dashboard API
// and page for staff, 403 for a vendor and sign-in for the anonymous, in
// Japanese and English, and a reminder marked done. Runs on the engine of the
// run (SQLite, or PostgreSQL with KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, serveOn, api, browse, login, keikai, outbox, postReport, productReport, CookieJar, USERS,
} from './lib/server.mjs';
import { acceptedReport, openCase, postForm, sql, vendorWithUser } from './lib/cases.mjs';

const EN = { LANG: 'C.UTF-8', LANGUAGE: undefined, LC_ALL: undefined, LC_MESSAGES: undefined };
const JA = { ...EN, LANG: 'ja_JP.UTF-8' };

let srv;
let ref;
let vendor;
let vendorToken;
let unacked; /* a report left 'received' */

/* ISO time `days` days from now (the server's clock runs in real time). */
const later = (days) => new Date(Date.now() + days * 86400 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
/* 30 days on: more than 10 business days whatever the holidays and the year-end closing */
const MONTH_ON = later(30);

const tick = (env, args = []) => keikai(['tick', '--db', srv.db, ...args], { env });
const kinds = (list, kind) => list.filter((m) => m.kind === kind);

before(async () => {
  /* the server's own clocks tick once at its start, then not within the test */
  srv = await startServer({ serveEnv: { KEIKAI_TICK_SECONDS: '86400' } });
  ({ vendor, token: vendorToken } = await vendorWithUser(srv, {
    name_en: 'Quiet Corp', preferred_lang: 'en',
    contacts: [
      { channel: 'email', value: 'psirt@quiet.example', is_primary: true },
      { channel: 'email', value: 'security@quiet.example' },
    ],
  }, 'psirt@quiet.example'));
  const { tid } = await acceptedReport(srv);
  ref = (await openCase(srv, [tid], {
    title: 'Overflow in Gadget', summary: 'A buffer overflow in Gadget.', detail: 'DETAIL-9c1e: send 5000 bytes.',
  })).id;
  const n = await api(srv.url, `/api/v1/cases/${encodeURIComponent(ref)}/notify`,
    { token: srv.tokens.coordinator, body: { vendor_ids: [vendor.id] }, lang: 'en' });
  assert.equal(n.status, 200, n.text);
  const r = await postReport(srv.url, productReport());
  assert.equal(r.status, 201, r.text);
  unacked = r.json.tracking_id;
});
after(async () => { await srv?.stop(); });

test('keikai tick run twice sends each reminder once (SPEC 8)', async () => {
  const before0 = await outbox(srv.db);
  const first = await tick({ ...EN, KEIKAI_NOW: MONTH_ON }, ['--json']);
  const out = JSON.parse(first.stdout);
  assert.equal(out.fired.ack, 1, first.stdout);
  assert.equal(out.fired.vendor_silent, 1, first.stdout);
  assert.equal(out.total, out.reminders.length);
  assert.deepEqual(out.errors, []);
  const afterFirst = await outbox(srv.db);
  const fresh = afterFirst.slice(before0.length);
  /* SPEC 8: intake is alerted of the report, in Japanese and English */
  const alerts = kinds(fresh, 'staff_alert').filter((m) => m.report === unacked);
  assert.deepEqual(alerts.map((m) => m.recipient), [USERS.intake.email]);
  assert.match(alerts[0].body, /Acknowledge or decide the report/);
  assert.match(alerts[0].subject, new RegExp(` / \\[${unacked}\\] Reminder: Acknowledge a report$`));
  /* SPEC 2.6, 4.1: the summary notice again, at the vendor's next address, never the detail */
  const again = kinds(fresh, 'case_reminder');
  assert.deepEqual(again.map((m) => m.recipient), ['security@quiet.example']);
  assert.equal(again[0].case, ref);
  assert.ok(!fresh.some((m) => m.body.includes('DETAIL-9c1e')), 'SPEC 1: no message carries the detail');
  const attempts = sql(srv, "SELECT address || ':' || stage FROM contact_attempts ORDER BY id");
  assert.deepEqual(attempts.split('\n'), ['psirt@quiet.example:summary', 'security@quiet.example:reminder']);

  const second = await tick({ ...EN, KEIKAI_NOW: MONTH_ON }, ['--json']);
  assert.equal(JSON.parse(second.stdout).total, 0, second.stdout);
  assert.equal((await outbox(srv.db)).length, afterFirst.length, 'nothing is sent twice');
});

test('keikai tick prints what fired, in English and Japanese', async () => {
  const en1 = await postReport(srv.url, productReport());
  const en = await tick({ ...EN, KEIKAI_NOW: later(8) });
  const line = en.stdout.split('\n').find((l) => l.includes(en1.json.tracking_id));
  assert.ok(line, en.stdout);
  assert.match(line, /^ack +\S+ +Acknowledge or decide the report \(received .+\)\.$/);
  assert.match(en.stdout, /^1 reminder fired$/m);
  const none = await tick({ ...EN, KEIKAI_NOW: later(8) });
  assert.equal(none.stdout, '0 reminders fired\n');

  const ja1 = await postReport(srv.url, productReport());
  const ja = await tick({ ...JA, KEIKAI_NOW: later(8) });
  const jline = ja.stdout.split('\n').find((l) => l.includes(ja1.json.tracking_id));
  assert.ok(jline, ja.stdout);
  assert.match(jline, /届出/);
  assert.match(ja.stdout, /リマインダー/);

  const bad = await keikai(['tick', '--db', srv.db, '--bogus'], { env: EN, allowFail: true });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^usage: keikai tick --db ADDRESS \[--json\]/);
});

test('GET /api/v1/clocks: what each clock waits for, staff only', async () => {
  const anon = await api(srv.url, '/api/v1/clocks');
  assert.equal(anon.status, 401);
  const v = await api(srv.url, '/api/v1/clocks', { token: vendorToken, lang: 'en' });
  assert.equal(v.status, 403, 'a vendor never sees the clocks');
  for (const role of ['intake', 'admin']) {
    const r = await api(srv.url, '/api/v1/clocks', { token: srv.tokens[role], lang: 'en' });
    assert.equal(r.status, 200, `${role}: ${r.text}`);
  }
  const r = await api(srv.url, '/api/v1/clocks', { token: srv.tokens.coordinator, lang: 'en' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.clocks.map((c) => c.clock),
    ['ack', 'vendor_silent', 'date_approach', 'date_reached', 'publish', 'finder_question', 'lift', 'unreachable', 'pgp_key']);
  const silent = r.json.clocks.find((c) => c.clock === 'vendor_silent');
  assert.equal(silent.setting, 'clock_silent_business_days');
  assert.equal(silent.value, '10');
  /* the next step for the silent vendor: no untried address is left, so "no response" */
  const w = silent.waiting.find((x) => x.case === ref);
  assert.ok(w, JSON.stringify(silent));
  assert.equal(w.vendor, 'Quiet Corp');
  assert.equal(w.overdue, false);
  assert.match(w.what, /no response/);
  assert.equal(w.title, 'Overflow in Gadget');
  /* the reminder fired, newest first */
  assert.equal(silent.fired.length, 1);
  assert.match(silent.fired[0].what, /security@quiet\.example/);
  const ack = r.json.clocks.find((c) => c.clock === 'ack');
  const mine = ack.waiting.find((x) => x.report === unacked);
  assert.ok(mine && typeof mine.due_at === 'number', JSON.stringify(ack.waiting));

  const ja = await api(srv.url, '/api/v1/clocks', { token: srv.tokens.coordinator, lang: 'ja' });
  assert.equal(ja.status, 200);
  assert.notEqual(ja.json.clocks[0].label, r.json.clocks[0].label, 'the labels in Japanese');

  /* a reminder marked done leaves the list; twice is a conflict */
  const id = silent.fired[0].id;
  const byVendor = await api(srv.url, `/api/v1/reminders/${id}/done`, { token: vendorToken, method: 'POST', body: {} });
  assert.equal(byVendor.status, 403);
  const done = await api(srv.url, `/api/v1/reminders/${id}/done`, { token: srv.tokens.coordinator, method: 'POST', body: {} });
  assert.equal(done.status, 200, done.text);
  assert.deepEqual(done.json, { id, done: true });
  const twice = await api(srv.url, `/api/v1/reminders/${id}/done`, { token: srv.tokens.coordinator, method: 'POST', body: {}, lang: 'en' });
  assert.equal(twice.status, 409, twice.text);
  const none = await api(srv.url, '/api/v1/reminders/999999/done', { token: srv.tokens.coordinator, method: 'POST', body: {} });
  assert.equal(none.status, 404);
  const after1 = await api(srv.url, '/api/v1/clocks', { token: srv.tokens.coordinator });
  assert.equal(after1.json.clocks.find((c) => c.clock === 'vendor_silent').fired.length, 0);
});

test('the dashboard page, in Japanese and English; a vendor gets 403', async () => {
  const anon = await browse(srv.url, '/dashboard', new CookieJar());
  assert.equal(anon.status, 303);
  /* the report left unacknowledged is eight days old now: overdue, waiting on intake */
  sql(srv, `UPDATE reports SET received_at = received_at - 8 * 86400 WHERE tracking_id = '${unacked}'`);
  const { jar } = await login(srv.url, USERS.intake.email);
  const en = await browse(srv.url, '/dashboard', jar, { lang: 'en' });
  assert.equal(en.status, 200, en.text.slice(0, 300));
  assert.match(en.text, /<h1>Clocks<\/h1>/);
  assert.match(en.text, /id="clock-vendor_silent"/);
  assert.match(en.text, /href="\/dashboard"/, 'the navigation links to it');
  assert.match(en.text, /Overdue/, 'the report not acknowledged waits on intake');
  const ja = await browse(srv.url, '/dashboard', jar, { lang: 'ja' });
  assert.equal(ja.status, 200);
  assert.doesNotMatch(ja.text, /<h1>Clocks<\/h1>/);
  assert.match(ja.text, /id="clock-ack"/);

  /* mark the ack reminder done with the page's button */
  const fired = en.text.match(/action="\/dashboard\/reminders\/(\d+)\/done"/);
  assert.ok(fired, 'a reminder with its button');
  const post = await postForm(srv.url, jar, '/dashboard', `/dashboard/reminders/${fired[1]}/done`, {}, 'en');
  assert.equal(post.status, 303, post.text.slice(0, 300));
  assert.equal(post.headers.get('location'), '/dashboard?done=1');
  const after1 = await browse(srv.url, '/dashboard?done=1', jar, { lang: 'en' });
  assert.match(after1.text, /id="reminder-done"/);
  assert.doesNotMatch(after1.text, new RegExp(`/dashboard/reminders/${fired[1]}/done`));

  const { jar: vjar } = await login(srv.url, 'psirt@quiet.example');
  const v = await browse(srv.url, '/dashboard', vjar, { lang: 'en' });
  assert.equal(v.status, 403);
  assert.doesNotMatch((await browse(srv.url, '/cases', vjar, { lang: 'en' })).text, /href="\/dashboard"/,
    'a vendor is not offered the dashboard');
});

test('the scheduler inside keikai serve fires by itself (KEIKAI_TICK_SECONDS=1)', async () => {
  const r = await postReport(srv.url, productReport());
  const tid = r.json.tracking_id;
  const ticking = await serveOn(srv.db, { env: { KEIKAI_TICK_SECONDS: '1' } });
  try {
    /* the report becomes eight days old while the server runs */
    sql(srv, `UPDATE reports SET received_at = received_at - 8 * 86400 WHERE tracking_id = '${tid}'`);
    let alerts = [];
    for (let i = 0; i < 60 && alerts.length === 0; i++) {
      await new Promise((res) => { setTimeout(res, 500); });
      alerts = (await outbox(srv.db)).filter((m) => m.kind === 'staff_alert' && m.report === tid);
    }
    assert.equal(alerts.length, 1, 'intake alerted once by the server thread');
    await new Promise((res) => { setTimeout(res, 2500); });
    const still = (await outbox(srv.db)).filter((m) => m.kind === 'staff_alert' && m.report === tid);
    assert.equal(still.length, 1, 'and only once, however many ticks');
  } finally {
    await ticking.stop();
  }
  assert.doesNotMatch(ticking.stderr(), /the clocks/, 'no tick failed');
});
