// t1120: a case's threads and messages and the finder's status page (SPEC 1,
// 2.13, G IV.2.7, IV.5.5; issue 9 items 5-6) over HTTP, on the store under
// test (SQLite, or PostgreSQL with KEIKAI_TEST_PG): the coordinator writes to
// one vendor with a file, which that vendor reads and downloads and the other
// vendor of the case cannot; the finder asks for progress through the API and
// through the status page's form (without JavaScript, CSRF-protected, in
// English and Japanese), intake answers, and the finder's stages follow the
// case without any vendor's name; finder <-> vendor only once the vendor
// consents too; every notice by mail says only that a message is there.
// Contract: docs/api/cases.md ("Threads and messages", "The finder's status page").

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, productReport, outbox, CookieJar, browse, csrfField, fieldErrors, keikai,
} from './lib/server.mjs';
import { previewMail, body } from './lib/mail.mjs';
import { acceptedReport, openCase, vendorWithUser } from './lib/cases.mjs';

let srv;
const v = {}; /* a, b: {id, token, email} */
let report; /* {tid, secret} */
let ref;

function ref_(r = ref) { return encodeURIComponent(r); }

async function vendor(key, name, email) {
  const { vendor: added, token } = await vendorWithUser(srv,
    { name_en: name, contacts: [{ channel: 'email', value: email, is_primary: true }] }, email, { name: `${name} PSIRT` });
  v[key] = { id: added.id, token, email, name };
}

before(async () => {
  srv = await startServer();
  /* the mail as it would go (outbox preview) needs the address it goes from */
  await keikai(['config', 'set', '--db', srv.db, 'smtp.from', 'CSIRT <cert@org.example>']);
  await vendor('a', 'Example Networks', 'psirt@example-networks.example');
  await vendor('b', 'Other Corp', 'psirt@other-corp.example');
  const body = productReport();
  body.consent.direct_contact = true; /* SPEC 2.1 エ */
  report = await acceptedReport(srv, body);
  ref = (await openCase(srv, [report.tid], { title: 'XSS in the router', summary: 'A summary', detail: 'DETAIL-TEXT-42' })).id;
  const n = await api(srv.url, `/api/v1/cases/${ref_()}/notify`, { token: srv.tokens.coordinator,
    body: { vendor_ids: [v.a.id, v.b.id] } });
  assert.equal(n.status, 200, n.text);
});
after(async () => { await srv?.stop(); });

function threads(token, lang = 'en') {
  return api(srv.url, `/api/v1/cases/${ref_()}/threads`, { token, lang });
}
function post(token, body, lang = 'en') {
  return api(srv.url, `/api/v1/cases/${ref_()}/messages`, { token, body, lang });
}
function status(lang = 'en') {
  return api(srv.url, `/api/v1/status/${report.secret}`, { lang });
}

// SPEC 2.13, SPEC 1: the coordinator <-> vendor thread is that vendor's alone
test('the coordinator writes to one vendor with a file; only that vendor reads and downloads it', async () => {
  const file = Buffer.from('PoC: FILE-BYTES-77');
  const r = await post(srv.tokens.coordinator, { thread: 'vendor', vendor_id: v.a.id, body: 'BODY-TO-A-1: please check.',
    attachments: [{ filename: 'poc.txt', content_type: 'text/plain', data_base64: file.toString('base64') }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.author, 'coordinator');
  assert.equal(r.json.attachments[0].filename, 'poc.txt');
  const mid = r.json.id;

  const a = await threads(v.a.token);
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.threads.length, 1);
  assert.equal(a.json.threads[0].kind, 'vendor');
  assert.equal(a.json.threads[0].messages[0].body, 'BODY-TO-A-1: please check.');
  const dl = await api(srv.url, `/api/v1/cases/${ref_()}/messages/${mid}/attachments/0`, { token: v.a.token });
  assert.equal(dl.status, 200);
  assert.deepEqual(dl.buf, file);

  // the other vendor of the case: no thread, no file, nothing of either in the answer
  const b = await threads(v.b.token);
  assert.equal(b.status, 200, b.text);
  assert.deepEqual(b.json.threads, []);
  const bdl = await api(srv.url, `/api/v1/cases/${ref_()}/messages/${mid}/attachments/0`, { token: v.b.token });
  assert.equal(bdl.status, 404);
  for (const x of [b.text, bdl.text]) {
    assert.ok(!x.includes('FILE-BYTES-77') && !x.includes('BODY-TO-A-1') && !x.includes('Example Networks'), x);
  }
  // a vendor cannot write in another vendor's thread
  const sneaky = await post(v.b.token, { thread: 'vendor', vendor_id: v.a.id, body: 'x' });
  assert.equal(sneaky.status, 400, sneaky.text);
  assert.ok(sneaky.json.fields.vendor_id);
  // a vendor asks for the environment (G IV.5.5); it waits for staff
  const env = await post(v.b.token, { thread: 'vendor', kind: 'environment_request', body: 'Which firmware?' });
  assert.equal(env.status, 201, env.text);
  assert.equal(env.json.author, 'Other Corp');
  const staff = await threads(srv.tokens.coordinator);
  assert.equal(staff.json.threads[0].vendor_id, v.b.id, 'what waits for staff comes first');
  assert.equal(staff.json.threads[0].unanswered, 1);
  assert.equal(staff.json.threads[0].vendor_name, 'Other Corp');

  // SPEC 1: the mail to the vendor (no key on record) says only that there is a message
  const mail = (await outbox(srv.db)).filter((m) => m.kind === 'case_message' && m.recipient === v.a.email);
  assert.equal(mail.length, 1, JSON.stringify(mail));
  assert.ok(mail[0].subject.includes(ref), mail[0].subject);
  const sent = await previewMail(srv.db, mail[0].id);
  assert.equal(sent.encrypted, false);
  for (const text of [sent.data, body(sent.data)]) {
    assert.ok(!text.includes('BODY-TO-A-1') && !text.includes('FILE-BYTES'), text);
  }
});

// SPEC 2.13, G IV.2.7: the finder asks for progress through the API; intake answers
test('the finder asks for progress by the status API, intake answers, and the question is answered', async () => {
  const s0 = await status();
  assert.equal(s0.status, 200, s0.text);
  assert.equal(s0.json.stage, 'contacting');
  assert.deepEqual(s0.json.stages.map((x) => x.stage),
    ['accepted', 'contacting', 'investigating', 'date_set', 'published', 'ended']);

  const q = await api(srv.url, `/api/v1/status/${report.secret}/messages`,
    { body: { body: 'QUESTION-1: how is it going?', question: true } });
  assert.equal(q.status, 201, q.text);
  assert.equal(q.json.kind, 'question');
  assert.equal(q.json.answered_at, null);

  // intake sees it first; the coordinator does not (the finder did not consent to share identity)
  const it = await threads(srv.tokens.intake);
  const ft = it.json.threads.find((t) => t.kind === 'finder');
  assert.equal(ft.finder, 'Finder A');
  assert.equal(ft.unanswered, 1);
  assert.ok(!it.text.includes('taro@example.jp'), 'no finder address');
  const co = await threads(srv.tokens.coordinator);
  assert.ok(!co.json.threads.some((t) => t.kind === 'finder'));
  assert.ok(!co.text.includes('QUESTION-1'));
  const denied = await post(srv.tokens.coordinator, { thread: 'finder', body: 'x' });
  assert.equal(denied.status, 403, denied.text);

  const ans = await post(srv.tokens.intake, { thread: 'finder', finder: 'Finder A', body: 'ANSWER-1: vendors are on it.',
    attachments: [{ filename: 'note.txt', content_type: 'text/plain', data_base64: Buffer.from('FINDER-FILE').toString('base64') }] });
  assert.equal(ans.status, 201, ans.text);
  assert.equal(ans.json.author, 'intake');
  // in Japanese the finder is 発見者A
  const ja = await threads(srv.tokens.intake, 'ja');
  assert.equal(ja.json.threads.find((t) => t.kind === 'finder').finder, '発見者A');
  // the finder downloads the file from its status page; another secret gets nothing
  const file = await api(srv.url, `/r/${report.secret}/messages/${ans.json.id}/attachments/0`);
  assert.equal(file.status, 200);
  assert.equal(file.text, 'FINDER-FILE');
  const other = await api(srv.url, `/r/x${report.secret}/messages/${ans.json.id}/attachments/0`);
  assert.equal(other.status, 404);
  assert.ok(!other.text.includes('FINDER-FILE'));
  const s1 = await status();
  assert.equal(s1.json.thread.length, 2);
  assert.equal(s1.json.thread[0].author, 'finder');
  assert.notEqual(s1.json.thread[0].answered_at, null);
  assert.equal(s1.json.thread[1].author, 'staff');
  for (const x of [s1.text]) {
    assert.ok(!x.includes('Example Networks') && !x.includes('Other Corp') && !x.includes('DETAIL-TEXT-42')
      && !x.includes(ref), 'no vendor name, detail or case id for the finder');
  }
  // SPEC 1: the finder's notice names its report, not the message
  const mail = (await outbox(srv.db)).filter((m) => m.kind === 'case_message' && m.recipient === 'taro@example.jp');
  assert.equal(mail.length, 1, JSON.stringify(mail));
  assert.equal(mail[0].report, report.tid);
  const sent = await previewMail(srv.db, mail[0].id);
  assert.equal(sent.encrypted, false);
  assert.ok(!sent.data.includes('ANSWER-1') && !body(sent.data).includes('ANSWER-1'), sent.data);
  // bad input: field errors, nothing stored
  const bad = await api(srv.url, `/api/v1/status/${report.secret}/messages`, { body: { body: ' ', question: 'yes' } });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(Object.keys(bad.json.fields).sort(), ['body', 'question']);
  assert.equal((await status()).json.thread.length, 2);
  // a wrong secret opens nothing
  assert.equal((await api(srv.url, '/api/v1/status/not-a-secret')).status, 404);
});

// SPEC 2.13, issue 9 item 6: the status page, without JavaScript, in both languages
for (const lang of ['en', 'ja']) {
  test(`the status page shows the stages and takes a message by its form (${lang})`, async () => {
    const jar = new CookieJar();
    const page = await browse(srv.url, `/r/${report.secret}`, jar, { lang });
    assert.equal(page.status, 200);
    assert.match(page.text, /<li class="stage current" data-stage="contacting"/);
    assert.match(page.text, /id="finder-thread"/);
    assert.ok(page.text.includes(lang === 'ja' ? '取り扱いの進み具合' : 'Progress of the handling'), page.text);
    assert.ok(!page.text.includes('Example Networks') && !page.text.includes('DETAIL-TEXT-42'));
    const csrf = csrfField(page.text);
    assert.ok(csrf);

    // empty: 400 with the field's error, in the reader's language
    const empty = await browse(srv.url, `/r/${report.secret}/messages`, jar,
      { method: 'POST', form: { csrf, body: '' }, lang });
    assert.equal(empty.status, 400);
    assert.deepEqual(fieldErrors(empty.text), ['body']);
    // without the CSRF token: refused
    const forged = await browse(srv.url, `/r/${report.secret}/messages`, new CookieJar(),
      { method: 'POST', form: { body: 'forged' }, lang });
    assert.equal(forged.status, 403);

    const text = `FORM-MESSAGE-${lang}`;
    const sent = await browse(srv.url, `/r/${report.secret}/messages`, jar,
      { method: 'POST', form: { csrf, body: text, question: 'yes' }, lang });
    assert.equal(sent.status, 303, sent.text);
    assert.match(sent.headers.get('location'), new RegExp(`^/r/${report.secret}#message-\\d+$`));
    const again = await browse(srv.url, `/r/${report.secret}`, jar, { lang });
    assert.ok(again.text.includes(text));
    assert.ok(again.text.includes(lang === 'ja' ? '質問（未回答）' : 'Question, not answered yet'));
    assert.equal(forged.text.includes('forged'), false);
  });
}

// SPEC 2.13: finder <-> vendor only when both consented, through keikai
test('the finder and a vendor talk directly once the vendor consents too', async () => {
  const early = await post(v.a.token, { thread: 'finder_vendor', body: 'DIRECT-0' });
  assert.equal(early.status, 409, early.text);
  const staff = await api(srv.url, `/api/v1/cases/${ref_()}/direct-contact`, { token: srv.tokens.coordinator,
    body: { consent: true } });
  assert.equal(staff.status, 403, staff.text);
  const c = await api(srv.url, `/api/v1/cases/${ref_()}/direct-contact`,
    { token: v.a.token, body: { consent: true }, lang: 'en' });
  assert.equal(c.status, 200, c.text);
  assert.deepEqual(c.json, { finder_contact: true, direct_finders: ['Finder A'] });

  const m = await post(v.a.token, { thread: 'finder_vendor', body: 'DIRECT-1: can you share your firmware version?' });
  assert.equal(m.status, 201, m.text);
  const s = await status();
  assert.equal(s.json.direct.length, 1);
  assert.equal(s.json.direct[0].vendor, 'Example Networks');
  assert.equal(s.json.direct[0].messages[0].body, 'DIRECT-1: can you share your firmware version?');
  const reply = await api(srv.url, `/api/v1/status/${report.secret}/messages`,
    { body: { body: 'DIRECT-2: 1.2.3', thread: s.json.direct[0].id } });
  assert.equal(reply.status, 201, reply.text);
  const a = await threads(v.a.token);
  const d = a.json.threads.find((t) => t.kind === 'finder_vendor');
  assert.equal(d.messages.length, 2);
  assert.equal(d.messages[1].author, 'Finder A');
  assert.ok(!a.text.includes('taro@example.jp') && !a.text.includes('山田'), 'the finder stays hidden');
  // the other vendor sees none of it
  const b = await threads(v.b.token);
  assert.ok(!b.text.includes('DIRECT-'), b.text);
  // the status page shows the thread with its own form
  const page = await browse(srv.url, `/r/${report.secret}`, new CookieJar(), { lang: 'en' });
  assert.match(page.text, new RegExp(`id="form-thread-${s.json.direct[0].id}"`));
  assert.ok(page.text.includes('DIRECT-1'));
});

test('the status page JSON of a report is unchanged for old clients', async () => {
  const r = await api(srv.url, `/r/${report.secret}`, { accept: 'application/json' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.tracking_id, report.tid);
});
