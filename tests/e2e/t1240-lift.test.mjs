// t1240: lifting the non-disclosure request (issue 10 capability 6; SPEC 2.12,
// G IV.2.4, IV.3(1)11; docs/api/lift.md): before day 0 + 1 year the finder's
// status page offers nothing and asking is 409; a server whose clock
// (KEIKAI_NOW) is a year on offers it; the finder asks, staff answer "not_yet"
// explaining the vendor's justified delay, the finder sees it and asks
// again, staff answer "lifted"; bad input 400 naming the fields in English
// and Japanese; the pages (the status page's form, the staff's answer page).
// Runs on the engine of the run (SQLite, or PostgreSQL with KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, serveOn, api, browse, login, outbox, productReport, CookieJar, csrfField, USERS,
} from './lib/server.mjs';
import { acceptedReport, openCase, vendorWithUser } from './lib/cases.mjs';

const YEAR = 366 * 86400;
let srv; /* real time */
let later; /* the same database, a year after day 0 */
let ref; let day0; let secret; let secret2; let vendorTok;

const cp = (suffix = '') => `/api/v1/cases/${encodeURIComponent(ref)}${suffix}`;
const status = (url, s = secret, lang = 'en') => api(url, `/api/v1/status/${s}`, { lang });
const ask = (url, body, s = secret, lang = 'en') => api(url, `/api/v1/status/${s}/lift`, { body, lang });

before(async () => {
  srv = await startServer();
  const { vendor, token } = await vendorWithUser(srv, { name_en: 'Lift Vendor', preferred_lang: 'en',
    contacts: [{ channel: 'email', value: 'psirt@lift-vendor.example', is_primary: true }] },
  'psirt@lift-vendor.example');
  vendorTok = token;
  const a = await acceptedReport(srv);
  const b = await acceptedReport(srv);
  secret = a.secret;
  secret2 = b.secret;
  ref = (await openCase(srv, [a.tid, b.tid], { title: 'Lift case', summary: 'S.', detail: 'D.' })).id;
  const n = await api(srv.url, cp('/notify'), { token: srv.tokens.coordinator, body: { vendor_ids: [vendor.id] },
    lang: 'en' });
  assert.equal(n.status, 200, n.text);
  day0 = n.json.day0;
  const at = new Date((n.json.day0 + YEAR) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  later = await serveOn(srv.db, { env: { KEIKAI_NOW: at } });
});
after(async () => { await later?.stop(); await srv?.stop(); });

test('SPEC 2.12: before day 0 + 1 year the status page offers nothing and asking is 409', async () => {
  const s = await status(srv.url);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.lift.available, false, s.text);
  assert.equal(s.json.lift.may_ask, false);
  assert.equal(s.json.lift.latest, null);
  assert.equal(s.json.lift.from, day0 + 365 * 86400, 'day 0 + clock_lift_days (365)');
  const r = await ask(srv.url, {});
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.error, /from/, r.text);
  const page = await browse(srv.url, `/r/${secret}`, new CookieJar(), { lang: 'en' });
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('id="lift-from"'), 'the page says from when');
  assert.ok(!page.text.includes('id="form-lift"'), 'no form before the year');
});

test('SPEC 2.12: bad input is 400 naming the field, in English and Japanese; nothing stored', async () => {
  for (const [lang, re] of [['en', /Not a member|not/i], ['ja', /[ぁ-んァ-ン一-龯]/]]) {
    const r = await ask(later.url, { reason: 12, extra: true }, secret, lang);
    assert.equal(r.status, 400, r.text);
    assert.ok(r.json.fields.reason, r.text);
    assert.ok(r.json.fields.extra, r.text);
    assert.match(r.json.fields.extra, re, r.text);
  }
  const s = await status(later.url);
  assert.equal(s.json.lift.latest, null, 'nothing stored');
  const answer = await api(later.url, cp('/lift/1'), { token: srv.tokens.coordinator, body: { decision: 'maybe' },
    lang: 'ja' });
  assert.equal(answer.status, 400, answer.text);
  assert.ok(answer.json.fields.decision && answer.json.fields.explanation, answer.text);
  assert.match(answer.json.fields.explanation, /[ぁ-んァ-ン一-龯]/, answer.text);
});

test('SPEC 2.12: a year on, the finder asks; staff answer not_yet with the delay; the finder asks again; lifted', async () => {
  let s = await status(later.url);
  assert.equal(s.json.lift.available, true, s.text);
  assert.equal(s.json.lift.may_ask, true);
  const first = await ask(later.url, { reason: 'A year has passed; I want to present it.' });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.state, 'requested');
  const again = await ask(later.url, {});
  assert.equal(again.status, 409, 'one open request at a time');

  /* staff see it on the case; a vendor does not (404: SPEC 1) */
  const list = await api(later.url, cp('/lift'), { token: srv.tokens.intake, lang: 'en' });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.open.length, 1);
  assert.equal(list.json.open[0].finder, 'Finder A');
  assert.equal(list.json.open[0].reason, 'A year has passed; I want to present it.');
  const byVendor = await api(later.url, cp('/lift'), { token: vendorTok, lang: 'en' });
  assert.equal(byVendor.status, 403, 'a vendor never answers: the route refuses its role');
  const vendorAnswer = await api(later.url, cp(`/lift/${first.json.id}`), { token: vendorTok,
    body: { decision: 'lifted', explanation: 'x' }, lang: 'en' });
  assert.equal(vendorAnswer.status, 403, 'a vendor may not answer');

  /* G IV.3(1)11: not yet, with the vendor's justified delay */
  const why = 'The vendor ships the fix to embedded devices in March; publishing earlier leaves users exposed.';
  const notYet = await api(later.url, cp(`/lift/${first.json.id}`), { token: srv.tokens.coordinator,
    body: { decision: 'not_yet', explanation: why }, lang: 'en' });
  assert.equal(notYet.status, 200, notYet.text);
  assert.equal(notYet.json.decision, 'not_yet');
  assert.equal(notYet.json.answered_by, USERS.coordinator.name);
  const twice = await api(later.url, cp(`/lift/${first.json.id}`), { token: srv.tokens.coordinator,
    body: { decision: 'lifted', explanation: 'again' }, lang: 'en' });
  assert.equal(twice.status, 409, 'answered once');

  s = await status(later.url);
  assert.equal(s.json.lift.latest.decision, 'not_yet');
  assert.equal(s.json.lift.latest.explanation, why);
  assert.equal(s.json.lift.may_ask, true, 'may ask again after not_yet');
  /* the other finder of the case sees none of it */
  const other = await status(later.url, secret2);
  assert.equal(other.json.lift.latest, null);

  const second = await ask(later.url, { reason: 'March has passed.' });
  assert.equal(second.status, 201, second.text);
  const lifted = await api(later.url, cp(`/lift/${second.json.id}`), { token: srv.tokens.intake,
    body: { decision: 'lifted', explanation: 'The fix is out; you may disclose.' }, lang: 'en' });
  assert.equal(lifted.status, 200, lifted.text);
  s = await status(later.url);
  assert.equal(s.json.lift.latest.decision, 'lifted');
  assert.equal(s.json.lift.may_ask, false, 'nothing more to ask after lifted');
  assert.equal((await ask(later.url, {})).status, 409);

  /* the finder is told by mail, in its language, the decision only (SPEC 1: mail is not encrypted) */
  const mail = (await outbox(srv.db)).filter((m) => m.kind === 'lift_answer');
  assert.equal(mail.length, 2, JSON.stringify(mail));
  assert.ok(mail.every((m) => m.recipient === productReport().finder.email && m.report), JSON.stringify(mail));
  assert.ok(mail.every((m) => !m.body.includes(why)), 'no explanation in mail');

  /* recorded: both requests, both answers; audited */
  const all = await api(later.url, cp('/lift'), { token: srv.tokens.coordinator, lang: 'en' });
  assert.deepEqual(all.json.requests.map((q) => [q.state, q.decision]), [['answered', 'not_yet'], ['answered', 'lifted']]);
  assert.equal(all.json.open.length, 0);
  const audit = await api(later.url, cp('/audit'), { token: srv.tokens.coordinator, lang: 'en' });
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.json.audit.filter((x) => x.action === 'lift.request').length, 2, audit.text);
});

test('the pages: the finder asks by the status page form; staff answer on /cases/{ref}/lift (Japanese)', async () => {
  const jar = new CookieJar();
  let page = await browse(later.url, `/r/${secret2}`, jar, { lang: 'ja' });
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('id="form-lift"'), 'the offer is on the status page');
  const posted = await browse(later.url, `/r/${secret2}/lift`, jar, { method: 'POST', lang: 'ja',
    form: { reason: '公表したい', csrf: csrfField(page.text) } });
  assert.equal(posted.status, 303, posted.text);
  page = await browse(later.url, `/r/${secret2}`, jar, { lang: 'ja' });
  assert.ok(page.text.includes('id="lift-latest" data-state="requested"'), page.text);

  const staff = (await login(later.url, USERS.coordinator.email, undefined, { lang: 'ja' })).jar;
  const casePage = await browse(later.url, `/cases/${encodeURIComponent(ref)}`, staff, { lang: 'ja' });
  assert.ok(casePage.text.includes('id="lift-link"'), 'the case page links the lift page');
  const lp = await browse(later.url, `/cases/${encodeURIComponent(ref)}/lift`, staff, { lang: 'ja' });
  assert.equal(lp.status, 200, lp.text);
  const open = (await api(later.url, cp('/lift'), { token: srv.tokens.coordinator, lang: 'en' })).json.open[0];
  assert.ok(lp.text.includes(`id="form-lift-${open.id}"`), 'an answer form for the open request');
  const bad = await browse(later.url, `/cases/${encodeURIComponent(ref)}/lift/${open.id}`, staff, { method: 'POST',
    lang: 'ja', form: { decision: 'not_yet', explanation: '', csrf: csrfField(lp.text) } });
  assert.equal(bad.status, 400, 'an answer without an explanation is refused');
  assert.ok(bad.text.includes('error-summary'), bad.text);
  const good = await browse(later.url, `/cases/${encodeURIComponent(ref)}/lift/${open.id}`, staff, { method: 'POST',
    lang: 'ja', form: { decision: 'not_yet', explanation: 'ベンダーの修正待ちです。', csrf: csrfField(lp.text) } });
  assert.equal(good.status, 303, good.text);
  page = await browse(later.url, `/r/${secret2}`, jar, { lang: 'ja' });
  assert.ok(page.text.includes('ベンダーの修正待ちです。'), 'the finder sees the explanation');
});
