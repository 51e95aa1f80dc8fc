// t1230: priority provision and pre-notification (issue 10; SPEC 1, 2.10,
// G IV.3(1)12, IV.4.8, IV.4.9; docs/api/provisions.md): recipients that
// accepted the three conditions (API and `keikai recipient`), their users
// (`keikai user add --role recipient --recipient-id`); a provision refused
// before a fix exists and without both consultations, given once a fix exists,
// seen by its recipient only (another recipient and a vendor get the 404 of a
// missing one, and no recipient reads the case), the finder told in its thread,
// the recipient's notice without the content; a vendor's pre-notification asked,
// consented and refused, each vendor seeing only its own; bad input 400 in
// Japanese and English with nothing stored. Runs on the engine of the run
// (SQLite, or PostgreSQL with KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, keikai, createToken, outbox, login, browse, PASSWORD, USERS } from './lib/server.mjs';
import { acceptedReport, openCase, vendorWithUser, sql, postForm } from './lib/cases.mjs';

let srv;
let ref; /* the case */
let report; /* its report: {tid, secret} */
let a; let b; /* two vendors on the case: {vendor, token} */
let r1; let r2; /* two recipients: {id, token, email} */
let provisionId;

const FIX_BODY = 'PROVIDED-9c1e: Widget before 1.2.4 lets anyone run code; update to 1.2.4.';
const cp = (suffix = '') => `/api/v1/cases/${encodeURIComponent(ref)}${suffix}`;
const send = (p, token, body, lang = 'en') => api(srv.url, p, { token, body, lang });
const get = (p, token, lang = 'en') => api(srv.url, p, { token, lang });
const count = (table) => Number(sql(srv, `SELECT COUNT(*) FROM ${table}`));

/* A recipient through the API, and a user of it through the CLI with its token. */
async function recipient(body, email) {
  const r = await send('/api/v1/recipients', srv.tokens.coordinator, body);
  assert.equal(r.status, 201, r.text);
  await keikai(['user', 'add', '--db', srv.db, '--org', body.name_en ?? body.name_ja, '--role', 'recipient',
    '--recipient-id', String(r.json.id), '--email', email, '--name', 'Security Officer', '--password-stdin'],
  { input: PASSWORD + '\n' });
  return { id: r.json.id, token: await createToken(srv.db, email), email, json: r.json };
}

function giveBody(over = {}) {
  return { recipient_id: r1.id, title: 'Widget RCE', body: FIX_BODY, consulted_intake: true,
    consulted_vendor: true, note: 'NOTE-STAFF-ONLY', ...over };
}

before(async () => {
  srv = await startServer();
  a = await vendorWithUser(srv, { name_en: 'Alpha Widgets', preferred_lang: 'en',
    contacts: [{ channel: 'email', value: 'psirt@alpha.example', is_primary: true }] }, 'psirt@alpha.example');
  b = await vendorWithUser(srv, { name_en: 'Beta Parts', preferred_lang: 'en',
    contacts: [{ channel: 'email', value: 'psirt@beta.example', is_primary: true }] }, 'psirt@beta.example');
  report = await acceptedReport(srv);
  ref = (await openCase(srv, [report.tid], { title: 'RCE in Widget', summary: 'A summary.',
    detail: 'DETAIL-44: the upload endpoint runs what it gets.' })).id;
  for (const v of [a, b]) {
    assert.equal((await send(cp('/vendors'), srv.tokens.coordinator, { vendor_id: v.vendor.id })).status, 201);
  }
  const n = await send(cp('/notify'), srv.tokens.coordinator, { vendor_ids: [a.vendor.id, b.vendor.id] });
  assert.equal(n.status, 200, n.text);
  for (const v of [a, b]) {
    const ans = await send(cp('/answer'), v.token, { answer: 'send_detail' });
    assert.equal(ans.status, 200, ans.text);
  }
});
after(async () => { await srv?.stop(); });

// G IV.4.8: recipients are registered with their acceptance of the three conditions
test('recipients: registered by the coordinator with the conditions accepted; bad input 400 in both languages', async () => {
  const messages = {};
  for (const lang of ['en', 'ja']) {
    const bad = await send('/api/v1/recipients', srv.tokens.coordinator,
      { kind: 'utility', conditions_accepted: false, extra: 1 }, lang);
    assert.equal(bad.status, 400, bad.text);
    assert.deepEqual(Object.keys(bad.json.fields).sort(),
      ['accepted_by', 'conditions_accepted', 'extra', 'kind', 'name_ja'].sort(), bad.text);
    messages[lang] = bad.json.fields.conditions_accepted;
  }
  assert.equal(count('recipients'), 0, 'nothing stored');
  assert.equal((await send('/api/v1/recipients', a.token, { name_en: 'X', kind: 'government',
    conditions_accepted: true, accepted_by: 'Y' })).status, 403, 'a vendor registers no recipient');

  r1 = await recipient({ name_ja: '電力会社A', name_en: 'Power Company A', kind: 'critical_infrastructure',
    conditions_accepted: true, accepted_by: 'CISO of Power Company A', note: 'NISC sector: electricity' },
  'soc@power-a.example');
  assert.equal(r1.json.kind, 'critical_infrastructure');
  assert.equal(r1.json.conditions_accepted_by, 'CISO of Power Company A');
  assert.ok(Number.isInteger(r1.json.conditions_accepted_at));
  r2 = await recipient({ name_en: 'Ministry B', kind: 'government', conditions_accepted: true,
    accepted_by: 'Director of Ministry B' }, 'csirt@ministry-b.example');

  // the CLI registers and lists them too
  const added = await keikai(['recipient', 'add', '--db', srv.db, '--name-en', 'Rail C', '--kind',
    'critical_infrastructure', '--conditions-accepted', '--accepted-by', 'Rail C CISO', '--json']);
  assert.equal(JSON.parse(added.stdout).name, 'Rail C');
  const refused = await keikai(['recipient', 'add', '--db', srv.db, '--name-en', 'Rail D', '--kind', 'rail',
    '--conditions-accepted', '--accepted-by', 'X'], { allowFail: true });
  assert.equal(refused.code, 1, refused.stderr);
  const list = await keikai(['recipient', 'list', '--db', srv.db]);
  assert.match(list.stdout, /Power Company A|電力会社A/);
  assert.match(list.stdout, /Rail C/);
  assert.doesNotMatch(list.stdout, /Rail D/);
  const staff = await get('/api/v1/recipients', srv.tokens.admin);
  assert.equal(staff.status, 200);
  assert.equal(staff.json.recipients.length, 3);
  assert.equal((await get('/api/v1/recipients', r1.token)).status, 403, 'a recipient does not list recipients');
  // the faults in the caller's language (last, so that the recipients above exist for the other tests)
  assert.match(messages.en, /three conditions/);
  assert.match(messages.ja, /条件/);
});

// SPEC 2.10, G IV.4.8: once a fix exists, with both consultations confirmed
test('a provision is refused before a fix exists and without both consultations, with nothing stored', async () => {
  const early = await send(cp('/provisions'), srv.tokens.coordinator, giveBody());
  assert.equal(early.status, 409, early.text);
  assert.match(early.json.error, /fix/);
  const earlyJa = await send(cp('/provisions'), srv.tokens.coordinator, giveBody(), 'ja');
  assert.equal(earlyJa.status, 409);
  const faults = { ja: earlyJa.json.error };

  const cm = await send(cp('/countermeasures'), a.token, { vulnerability: 1, product_name: 'Widget',
    fixed_versions: ['1.2.4'] });
  assert.equal(cm.status, 200, cm.text);

  for (const lang of ['en', 'ja']) {
    const bad = await send(cp('/provisions'), srv.tokens.coordinator,
      { recipient_id: 'one', title: '', consulted_intake: false, secret: true }, lang);
    assert.equal(bad.status, 400, bad.text);
    assert.deepEqual(Object.keys(bad.json.fields).sort(),
      ['body', 'consulted_intake', 'consulted_vendor', 'recipient_id', 'secret', 'title'], bad.text);
    faults[`${lang} consulted_vendor`] = bad.json.fields.consulted_vendor;
  }
  const nobody = await send(cp('/provisions'), srv.tokens.coordinator, giveBody({ recipient_id: 999999 }));
  assert.equal(nobody.status, 400, nobody.text);
  assert.ok(nobody.json.fields.recipient_id);
  assert.equal(count('provisions'), 0, 'nothing stored');
  // only the coordinator gives (G IV.4.8: JPCERT/CC)
  for (const token of [srv.tokens.intake, a.token, srv.tokens.admin]) {
    assert.equal((await send(cp('/provisions'), token, giveBody())).status, 403);
  }
  assert.equal((await send(cp('/provisions'), r1.token, giveBody())).status, 403);
  // the faults in the caller's language (last: the countermeasure above is what the next tests need)
  assert.match(faults.ja, /対策/);
  assert.match(faults['en consulted_vendor'], /vendor/);
  assert.match(faults['ja consulted_vendor'], /製品開発者/);
});

test('given once a fix exists: audited, the finder told, the recipient noticed without the content', async () => {
  const before = (await outbox(srv.db)).length;
  const g = await send(cp('/provisions'), srv.tokens.coordinator, giveBody());
  assert.equal(g.status, 201, g.text);
  provisionId = g.json.id;
  assert.equal(g.json.case, ref);
  assert.equal(g.json.recipient.id, r1.id);
  assert.equal(g.json.body, FIX_BODY);
  assert.equal(g.json.provided_by, 'Coordinator Staff');

  const audit = await get(cp('/audit'), srv.tokens.coordinator);
  assert.ok(audit.json.audit.some((e) => e.action === 'provision.give'), audit.text);

  // G IV.3(1)12: the finder is told, in its thread (status page) and by the notice of it
  const st = await api(srv.url, `/api/v1/status/${report.secret}`, { lang: 'en' });
  assert.equal(st.status, 200, st.text);
  /* written in the finder's language (its report's) */
  assert.ok(st.json.thread.some((m) => /provided before publication|公表前に.*優先的に提供/.test(m.body)), st.text);
  assert.ok(!st.text.includes('Power Company'), 'the finder is not told who');
  const mail = (await outbox(srv.db)).slice(before);
  assert.ok(mail.some((m) => m.report === report.tid), JSON.stringify(mail));
  // SPEC 1: the recipient's notice says there is something, and nothing of it
  const notice = mail.filter((m) => m.recipient === r1.email);
  assert.equal(notice.length, 1, JSON.stringify(mail));
  assert.equal(notice[0].kind, 'provision_notice');
  assert.match(notice[0].body, /\/provisions/);
  for (const secret of ['PROVIDED-9c1e', '1.2.4', 'Widget', 'DETAIL-44', ref]) {
    assert.ok(!notice[0].subject.includes(secret) && !notice[0].body.includes(secret), secret);
  }
  assert.ok(!mail.some((m) => m.recipient === r2.email), 'the other recipient is told nothing');
});

// SPEC 1, 2.10: a recipient sees only what was provided to it; a denied read looks missing
test('seen by its recipient only: another recipient and a vendor get 404; no recipient reads the case', async () => {
  const own = await get('/api/v1/provisions', r1.token);
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.provisions.length, 1);
  assert.equal(own.json.provisions[0].body, FIX_BODY);
  assert.equal(own.json.provisions[0].case, ref);
  assert.ok(!own.text.includes('NOTE-STAFF-ONLY'), 'the note is the staff\'s');
  const one = await get(`/api/v1/provisions/${provisionId}`, r1.token);
  assert.equal(one.status, 200, one.text);

  const missing = await get('/api/v1/provisions/999999', r2.token);
  assert.equal(missing.status, 404);
  const other = await get(`/api/v1/provisions/${provisionId}`, r2.token);
  assert.equal(other.status, 404);
  assert.equal(other.text.replace(String(provisionId), 'N'), missing.text.replace('999999', 'N'),
    'a denied read looks like a missing one');
  assert.deepEqual((await get('/api/v1/provisions', r2.token)).json.provisions, []);
  assert.equal((await get(`/api/v1/provisions/${provisionId}`, a.token)).status, 403,
    'a vendor is refused at the gate (no row lets it read provisions)');
  assert.equal((await get('/api/v1/provisions', a.token)).status, 403);

  // staff see every one, with the note
  for (const token of [srv.tokens.intake, srv.tokens.coordinator, srv.tokens.admin]) {
    const all = await get('/api/v1/provisions', token);
    assert.equal(all.status, 200);
    assert.equal(all.json.provisions[0].note, 'NOTE-STAFF-ONLY');
  }
  assert.equal((await get(cp('/provisions'), srv.tokens.coordinator)).json.provisions.length, 1);

  // a recipient never sees the case: every route of it answers as for a missing case
  const none = await get('/api/v1/cases/VU%23000000', r1.token);
  for (const p of ['', '/provisions', '/prenotify', '/threads']) {
    const r = await get(cp(p), r1.token);
    const m = await get(`/api/v1/cases/VU%23000000${p}`, r1.token);
    assert.equal(r.status, m.status, p);
    assert.equal(r.text.replace(ref, 'REF'), m.text.replace('VU#000000', 'REF'), p);
    assert.ok(!r.text.includes(FIX_BODY));
  }
  assert.ok([403, 404].includes(none.status));
  const cases = await get('/api/v1/cases', r1.token);
  assert.ok(!cases.text.includes(ref), cases.text);
});

// G IV.4.9: a vendor asks to pre-notify its customers under NDA; the coordinator decides
test('pre-notification: asked, consented, refused; each vendor sees only its own; bad input 400', async () => {
  const ndaFault = {};
  for (const lang of ['en', 'ja']) {
    const bad = await send(cp('/prenotify'), a.token, { customers: '', nda: false, other: 1 }, lang);
    assert.equal(bad.status, 400, bad.text);
    assert.deepEqual(Object.keys(bad.json.fields).sort(), ['customers', 'nda', 'other']);
    ndaFault[lang] = bad.json.fields.nda;
  }
  assert.equal(count('prenotify_requests'), 0, 'nothing stored');
  assert.equal((await send(cp('/prenotify'), srv.tokens.coordinator,
    { customers: 'X', nda: true })).status, 403, 'only a vendor asks');

  const askA = await send(cp('/prenotify'), a.token, { customers: 'Alpha\'s utility customers', nda: true,
    reason: 'They run Widget in substations.' });
  assert.equal(askA.status, 201, askA.text);
  assert.equal(askA.json.state, 'requested');
  const askB = await send(cp('/prenotify'), b.token, { customers: 'Beta OEMs', nda: true });
  assert.equal(askB.status, 201, askB.text);

  // each vendor sees its own only; staff every one
  const seenA = await get(cp('/prenotify'), a.token);
  assert.deepEqual(seenA.json.requests.map((q) => q.id), [askA.json.id]);
  assert.ok(!seenA.text.includes('Beta OEMs'));
  assert.equal((await get(cp('/prenotify'), srv.tokens.intake)).json.requests.length, 2);

  // only the coordinator decides; a note is needed to refuse
  assert.equal((await send(cp(`/prenotify/${askA.json.id}`), a.token, { decision: 'consent' })).status, 403);
  assert.equal((await send(cp(`/prenotify/${askA.json.id}`), srv.tokens.intake, { decision: 'consent' })).status, 403);
  for (const lang of ['en', 'ja']) {
    const bad = await send(cp(`/prenotify/${askB.json.id}`), srv.tokens.coordinator, { decision: 'refuse' }, lang);
    assert.equal(bad.status, 400, bad.text);
    assert.ok(bad.json.fields.note, bad.text);
    const odd = await send(cp(`/prenotify/${askB.json.id}`), srv.tokens.coordinator, { decision: 'maybe' }, lang);
    assert.equal(odd.status, 400, odd.text);
  }
  assert.equal((await send(cp('/prenotify/999999'), srv.tokens.coordinator, { decision: 'consent' })).status, 404);

  const yes = await send(cp(`/prenotify/${askA.json.id}`), srv.tokens.coordinator,
    { decision: 'consent', note: 'CONSENT-NOTE: only the named customers.' });
  assert.equal(yes.status, 200, yes.text);
  assert.equal(yes.json.state, 'consented');
  const no = await send(cp(`/prenotify/${askB.json.id}`), srv.tokens.coordinator,
    { decision: 'refuse', note: 'REFUSE-NOTE: too wide a circle.' });
  assert.equal(no.status, 200, no.text);
  assert.equal(no.json.state, 'refused');
  const again = await send(cp(`/prenotify/${askB.json.id}`), srv.tokens.coordinator, { decision: 'consent' });
  assert.equal(again.status, 409, 'a decision is final');

  // each vendor is told in its own thread, and only its own decision
  const tA = await get(cp('/threads'), a.token);
  assert.ok(tA.text.includes('CONSENT-NOTE'), tA.text);
  assert.ok(!tA.text.includes('REFUSE-NOTE'));
  const tB = await get(cp('/threads'), b.token);
  assert.ok(tB.text.includes('REFUSE-NOTE'), tB.text);
  assert.ok(!tB.text.includes('CONSENT-NOTE'));
  const audit = await get(cp('/audit'), srv.tokens.coordinator);
  assert.equal(audit.json.audit.filter((e) => e.action === 'prenotify.decide').length, 2, audit.text);
  assert.equal(audit.json.audit.filter((e) => e.action === 'prenotify.ask').length, 2, audit.text);
  assert.match(ndaFault.en, /non-disclosure/);
  assert.match(ndaFault.ja, /秘密保持/);
});

// the pages: the recipient's inbox, one provision, the staff's page of a case, the vendor's form
test('pages: a recipient\'s inbox shows its provision only; staff and vendor forms refuse bad input in place', async () => {
  const caseEnc = encodeURIComponent(ref);
  for (const lang of ['en', 'ja']) {
    const { jar } = await login(srv.url, r1.email, PASSWORD, { lang });
    const inbox = await browse(srv.url, '/provisions', jar, { lang });
    assert.equal(inbox.status, 200, inbox.text.slice(0, 300));
    assert.ok(inbox.text.includes(`/provisions/${provisionId}`));
    const one = await browse(srv.url, `/provisions/${provisionId}`, jar, { lang });
    assert.equal(one.status, 200);
    assert.ok(one.text.includes('PROVIDED-9c1e'));
    assert.ok(!one.text.includes('NOTE-STAFF-ONLY'));
    const casePage = await browse(srv.url, `/cases/${caseEnc}`, jar, { lang });
    const missing = await browse(srv.url, '/cases/VU%23000000', jar, { lang });
    assert.equal(casePage.status, missing.status, 'a recipient never sees the case');
    assert.ok(!casePage.text.includes('DETAIL-44'));
    const other = await login(srv.url, r2.email, PASSWORD, { lang });
    const denied = await browse(srv.url, `/provisions/${provisionId}`, other.jar, { lang });
    assert.equal(denied.status, 404);
    assert.ok(!denied.text.includes('PROVIDED-9c1e'));
  }
  // staff: the case's page lists it, and a refused give shows each fault with nothing stored
  const staff = await login(srv.url, USERS.coordinator.email);
  const page = `/cases/${caseEnc}/provisions`;
  const before = count('provisions');
  const bad = await postForm(srv.url, staff.jar, page, page, { recipient_id: String(r2.id), title: 'X', body: 'Y' }, 'en');
  assert.equal(bad.status, 400, bad.text.slice(0, 500));
  assert.match(bad.text, /data-field="consulted_intake"/);
  assert.match(bad.text, /data-field="consulted_vendor"/);
  assert.equal(count('provisions'), before);
  const good = await postForm(srv.url, staff.jar, page, page, { recipient_id: String(r2.id), title: 'For B',
    body: 'FOR-B: the fix.', consulted_intake: '1', consulted_vendor: '1' }, 'en');
  assert.equal(good.status, 303, good.text.slice(0, 500));
  const listed = await browse(srv.url, page, staff.jar);
  assert.ok(listed.text.includes('For B') && listed.text.includes('Widget RCE'));
  const rB = await get('/api/v1/provisions', r2.token);
  assert.deepEqual(rB.json.provisions.map((p) => p.title), ['For B']);
  // a vendor's page of its requests: the form refuses no NDA, in place
  const vendor = await login(srv.url, 'psirt@alpha.example');
  const vpage = `/cases/${caseEnc}/prenotify`;
  const shown = await browse(srv.url, vpage, vendor.jar);
  assert.equal(shown.status, 200);
  assert.ok(shown.text.includes('CONSENT-NOTE'), 'its decided request with the note');
  assert.ok(!shown.text.includes('Beta OEMs'), 'never another vendor\'s');
  const refused = await postForm(srv.url, vendor.jar, vpage, vpage, { customers: 'Some', reason: 'r' }, 'en');
  assert.equal(refused.status, 400);
  assert.match(refused.text, /data-field="nda"/);
  assert.equal((await browse(srv.url, page, vendor.jar)).status, 403, 'a vendor has no staff page');
});
