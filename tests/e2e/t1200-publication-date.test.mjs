// t1200: one publication date per case over the API and the date page (issue
// 10; SPEC 2.8, 2.9, G IV.4.3-4.4; docs/api/dates.md), the core clock driven
// across months by restarting the server with KEIKAI_NOW on the same
// database: day 0 proposes day 0 + 45 days on a business day; three vendors
// (one agrees, one asks for a later date, one silent) and what each party
// sees; the coordinator sets the date from those answers and moves it, every
// vendor, intake and the finder told each time; no vendor sets a date; bad
// input 400 in English and Japanese with nothing stored; a second case called
// off with reason (オ), the finder told that handling ends; the date page in
// Japanese for the coordinator and a vendor. Runs on the engine of the run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serveOn, api, outbox, login, browse, PASSWORD, productReport } from './lib/server.mjs';
import { acceptedReport, openCase, vendorWithUser, postForm } from './lib/cases.mjs';

let srv; /* the first server; later ones serve the same database */
let server; /* the server of the current moment: {url, stop} */
let vendors; /* a, b, c: {vendor, token, email} */
let ref; let ref2;

const DAY0 = '2027-01-05T01:00:00Z'; /* 10:00 JST, a Tuesday */
const at = (iso) => Date.parse(iso) / 1000;
const cp = (r, suffix = '') => `/api/v1/cases/${encodeURIComponent(r)}${suffix}`;
const call = (p, token, body, lang = 'en') => api(server.url, p, { token, body, lang, method: body ? 'POST' : 'GET' });

/* The server at instant iso (the core clock runs on from there). */
async function moveTo(iso) {
  if (server !== srv) await server.stop();
  server = await serveOn(srv.db, { env: { KEIKAI_NOW: iso } });
}

const kinds = async (kind) => (await outbox(srv.db)).filter((m) => m.kind === kind);

before(async () => {
  srv = await startServer({ serveEnv: { KEIKAI_NOW: '2027-01-04T01:00:00Z' } });
  server = srv;
  vendors = {};
  for (const [key, name, lang] of [['a', 'Alpha Networks', 'en'], ['b', 'ベータ電機', 'ja'], ['c', 'Gamma Soft', 'en']]) {
    const email = `psirt@${key}.example.jp`;
    const body = lang === 'ja' ? { name_ja: name, preferred_lang: 'ja' } : { name_en: name, preferred_lang: 'en' };
    const { vendor, token } = await vendorWithUser(srv, { ...body, contacts: [{ channel: 'email', value: email, is_primary: true }] },
      `user@${key}.example.jp`, { org: name });
    vendors[key] = { vendor, token, email };
  }
  const r1 = await acceptedReport(srv);
  const r2 = await acceptedReport(srv, productReport());
  ref = (await openCase(srv, [r1.tid], { title: 'Auth bypass in Widget', summary: 'S.', detail: 'D.' })).id;
  ref2 = (await openCase(srv, [r2.tid], { title: 'XSS in Gadget', summary: 'S2.', detail: 'D2.' })).id;
  await moveTo(DAY0);
  const ids = Object.values(vendors).map((v) => v.vendor.id);
  for (const r of [ref, ref2]) {
    const n = await call(cp(r, '/notify'), srv.tokens.coordinator, { vendor_ids: ids });
    assert.equal(n.status, 200, n.text);
  }
});

after(async () => {
  if (server && server !== srv) await server.stop();
  await srv?.stop();
});

// SPEC 2.8: day 0 + 45 days, moved to a business day, at 11:00 Asia/Tokyo
test('day 0 proposes day 0 + 45 days at 11:00 in Japan', async () => {
  const d = await call(cp(ref, '/date'), srv.tokens.coordinator);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.state, 'proposed');
  /* day 0 is the moment of the notice: the server's clock started at DAY0 and runs on */
  assert.ok(d.json.day0 >= at(DAY0) && d.json.day0 < at(DAY0) + 600, d.text);
  assert.equal(d.json.proposed_at, at('2027-02-19T02:00:00Z'));
  assert.equal(d.json.date, d.json.proposed_at);
  assert.match(d.json.date_text, /19 February 2027 11:00/);
  assert.deepEqual(d.json.summary, { agreed: 0, other: 0, silent: 3 });
  assert.deepEqual(d.json.may, { set: true, answer: false });
  // every vendor sees the date
  for (const v of Object.values(vendors)) {
    const seen = await call(cp(ref, '/date'), v.token);
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.date, at('2027-02-19T02:00:00Z'));
    assert.equal(seen.json.may.answer, true);
  }
});

// SPEC 2.8: one agrees, one asks for a later date, one is silent; the
// coordinator sees each, a vendor only its own (SPEC 1)
test('three vendors: agree, another date, silent', async () => {
  await moveTo('2027-01-12T01:00:00Z');
  let r = await call(cp(ref, '/date/answer'), vendors.a.token, { answer: 'agree' });
  assert.equal(r.status, 200, r.text);
  r = await call(cp(ref, '/date/answer'), vendors.b.token, { answer: 'other', date: '2027-03-05', reason: 'Firmware QA takes two more weeks.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.answers.length, 1, 'a vendor sees its own answer only');
  assert.equal(r.json.answers[0].answer, 'other');
  assert.equal(r.json.summary, undefined);
  assert.ok(!r.text.includes('Alpha Networks') && !r.text.includes('Gamma Soft'), 'no other vendor named');

  const d = await call(cp(ref, '/date'), srv.tokens.coordinator);
  assert.deepEqual(d.json.summary, { agreed: 1, other: 1, silent: 1 });
  assert.equal(d.json.suggested_at, at('2027-03-05T02:00:00Z'));
  const byName = Object.fromEntries(d.json.answers.map((a) => [a.name, a]));
  assert.equal(byName['Alpha Networks'].answer, 'agree');
  assert.equal(byName['ベータ電機'].reason, 'Firmware QA takes two more weeks.');
  assert.equal(byName['Gamma Soft'].answer, null);

  // no vendor sets a date of its own; intake neither
  r = await call(cp(ref, '/date'), vendors.b.token, { date: '2027-03-05', reason: 'ours' });
  assert.equal(r.status, 403, r.text);
  r = await call(cp(ref, '/date'), srv.tokens.intake, { date: '2027-03-05', reason: 'ours' });
  assert.equal(r.status, 403, r.text);
  // a vendor not notified of the case sees no date: 404 like a missing case
  const { token: outsider } = await vendorWithUser(srv, { name_en: 'Outsider Ltd' }, 'user@outsider.example.jp');
  const missing = await call(cp('VU#000001', '/date'), outsider);
  r = await call(cp(ref, '/date'), outsider);
  assert.equal(r.status, 404);
  assert.equal(r.status, missing.status);
});

// bad input names every fault, in the caller's language, and stores nothing
test('bad dates are refused, in English and Japanese', async () => {
  const before = (await call(cp(ref, '/date'), srv.tokens.coordinator)).json;
  const cases = [
    [{ date: '2027-03-06', reason: 'x' }, 'date', /business day/, /営業日/], // a Saturday
    [{ date: '2027-02-11', reason: 'x' }, 'date', /business day/, /営業日/], // 建国記念の日
    [{ date: '2027-01-04', reason: 'x' }, 'date', /future/, /未来/],
    [{ date: '2027-02-30', reason: 'x' }, 'date', /2027-02-18/, /2027-02-18/],
    [{ date: '2027-03-05' }, 'reason', /./, /./],
  ];
  for (const [body, field, en, ja] of cases) {
    for (const [lang, re] of [['en', en], ['ja', ja]]) {
      const r = await call(cp(ref, '/date'), srv.tokens.coordinator, body, lang);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.match(r.json.fields[field], re, `${lang} ${JSON.stringify(body)}: ${r.text}`);
    }
  }
  const r = await call(cp(ref, '/date/answer'), vendors.c.token, { answer: 'maybe' }, 'ja');
  assert.equal(r.status, 400);
  assert.match(r.json.fields.answer, /agree/);
  const after = (await call(cp(ref, '/date'), srv.tokens.coordinator)).json;
  assert.deepEqual(after, before, 'nothing stored');
});

// SPEC 2.8, G IV.4.4: set from the answers, then moved; every change recorded
// and told to every vendor, the receiving organisation and the finder
test('the date set and moved, everyone told', async () => {
  await moveTo('2027-02-01T01:00:00Z');
  const before = { notice: (await kinds('date_notice')).length, finder: (await kinds('date_finder')).length };
  let r = await call(cp(ref, '/date'), srv.tokens.coordinator,
    { date: '2027-03-05', reason: 'ベータ電機 needs two more weeks.', factors: { fix_time: 'firmware QA', leak_risk: 'low' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'set');
  assert.equal(r.json.publication_at, at('2027-03-05T02:00:00Z'));
  assert.deepEqual(r.json.summary, { agreed: 0, other: 0, silent: 3 }, 'everyone is asked again');
  assert.equal(r.json.history.length, 1);
  assert.equal(r.json.history[0].old_at, at('2027-02-19T02:00:00Z'));
  assert.equal(r.json.history[0].by, 'Coordinator Staff');

  const notices = (await kinds('date_notice')).slice(before.notice);
  const to = notices.map((m) => m.recipient).sort();
  assert.deepEqual(to, [srv.users.intake.email, vendors.a.email, vendors.b.email, vendors.c.email].sort());
  const beta = notices.find((m) => m.recipient === vendors.b.email);
  assert.equal(beta.lang, 'ja');
  assert.match(beta.subject, /公表日/);
  assert.match(beta.body, /2027年3月5日 11:00/);
  const alpha = notices.find((m) => m.recipient === vendors.a.email);
  assert.match(alpha.body, /5 March 2027 11:00/);
  for (const m of notices) assert.ok(!m.body.includes('D.') || !m.body.includes('Auth bypass'), 'no detail by mail');
  const finder = (await kinds('date_finder')).slice(before.finder);
  assert.equal(finder.length, 1);
  assert.equal(finder[0].recipient, productReport().finder.email);
  assert.ok(!finder[0].body.includes(ref), 'the finder is not told the case ref');

  // moved: recorded again and told again
  await moveTo('2027-02-20T01:00:00Z');
  r = await call(cp(ref, '/date/answer'), vendors.a.token, { answer: 'agree' });
  assert.equal(r.status, 200, r.text);
  r = await call(cp(ref, '/date'), srv.tokens.coordinator, { date: '2027-03-12', reason: 'Gamma Soft came back late.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.history.length, 2);
  assert.equal((await kinds('date_notice')).length - before.notice, 8);
  const moved = (await kinds('date_notice')).find((m) => m.recipient === vendors.a.email && /12 March/.test(m.body));
  assert.match(moved.body, /from 5 March 2027 11:00 \(JST\) to 12 March 2027 11:00/);
  // a vendor sees when the date changed, not who or why
  const seen = await call(cp(ref, '/date'), vendors.c.token);
  assert.equal(seen.json.history.length, 2);
  assert.equal(seen.json.history[0].by, undefined);
  assert.equal(seen.json.history[0].reason, undefined);
  assert.equal(seen.json.factors, undefined);
});

// SPEC 2.9, G IV.4.4 (オ): called off, the finder told that handling ends
test('publication called off with (オ), then resumed', async () => {
  const before = (await kinds('date_finder')).length;
  let r = await call(cp(ref2, '/date/call-off'), srv.tokens.coordinator, { reason: 'x' }, 'ja');
  assert.equal(r.status, 400);
  assert.ok(r.json.fields.reason);
  r = await call(cp(ref2, '/date/call-off'), vendors.a.token, { reason: 'e' });
  assert.equal(r.status, 403);
  r = await call(cp(ref2, '/date/call-off'), srv.tokens.coordinator, { reason: 'e', note: 'Alpha mails every customer.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'called_off');
  assert.equal(r.json.called_off.reason, 'e');
  assert.match(r.json.called_off.label, /notifies every user/);
  const finder = (await kinds('date_finder')).slice(before);
  assert.equal(finder.length, 1);
  assert.match(finder[0].subject, /Handling of your report ends|取扱いを終了/);
  r = await call(cp(ref2, '/date/answer'), vendors.a.token, { answer: 'agree' });
  assert.equal(r.status, 409, r.text);
  r = await call(cp(ref2, '/date/call-off'), srv.tokens.coordinator, { reason: 'e' });
  assert.equal(r.status, 409, 'already called off');
  r = await call(cp(ref2, '/date/resume'), srv.tokens.coordinator, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'proposed');
  assert.equal(r.json.called_off, null);
});

// the date page in Japanese: the coordinator's view and forms, a vendor's own answer only
test('the date page in Japanese', async () => {
  const { jar: coord } = await login(server.url, srv.users.coordinator.email, PASSWORD, { lang: 'ja' });
  const page = `/cases/${encodeURIComponent(ref)}/date`;
  let p = await browse(server.url, page, coord, { lang: 'ja' });
  assert.equal(p.status, 200);
  assert.match(p.text, /公表日決定/);
  assert.match(p.text, /2027-03-12 11:00/);
  assert.match(p.text, /ベータ電機/);
  assert.match(p.text, /Gamma Soft came back late\./);
  // a bad form shown again with its fault, in Japanese, nothing stored
  p = await postForm(server.url, coord, page, page, { date: '2027-03-13', reason: '土曜日' }, 'ja');
  assert.equal(p.status, 400);
  assert.match(p.text, /営業日ではありません/);
  p = await postForm(server.url, coord, page, page, { date: '2027-03-15', reason: '再調整', 'factors.fix_time': '2週間' }, 'ja');
  assert.equal(p.status, 303, p.text.slice(0, 300));
  p = await browse(server.url, page + '?saved=set', coord, { lang: 'ja' });
  assert.match(p.text, /2027-03-15 11:00/);
  assert.match(p.text, /2週間/);
  // everyone told of that change, the finder without its address (SPEC 1)
  for (const v of Object.values(vendors)) assert.ok(p.text.includes(v.email), `${v.email} told`);
  assert.ok(!p.text.includes(productReport().finder.email), 'no finder address on the page');

  const { jar: beta } = await login(server.url, 'user@b.example.jp', PASSWORD, { lang: 'ja' });
  p = await browse(server.url, page, beta, { lang: 'ja' });
  assert.equal(p.status, 200);
  assert.match(p.text, /この日付に同意する/);
  assert.ok(!p.text.includes('Alpha Networks') && !p.text.includes('Gamma Soft'), 'no other vendor on a vendor\'s page');
  assert.ok(!p.text.includes('再調整'), 'no reason of a change on a vendor\'s page');
  p = await postForm(server.url, beta, page, `${page}/answer`, { answer: 'agree' }, 'ja');
  assert.equal(p.status, 303);
  const d = await call(cp(ref, '/date'), vendors.b.token);
  assert.equal(d.json.answers[0].answer, 'agree');
});
