// t1420-delivery: issue 11, item 1 — the outbox delivered over SMTP by
// `keikai outbox send` to a real SMTP server (Debian's aiosmtpd on loopback,
// tests/e2e/lib/smtp.mjs): plain, STARTTLS required (a certificate made here
// with openssl and trusted through smtp.ca_file), implicit TLS (smtps://) and
// AUTH; a 451 tried again later (the clock moved with KEIKAI_NOW); a 550 that
// marks the message, its contact attempt and the vendor's contact failed
// (SPEC 2.6, 8); exit statuses 0, 75 and 1; `keikai outbox list` with state,
// tries and the last error. The server's own delivery thread is off here
// (KEIKAI_DELIVERY_SECONDS=0); t1421 tests it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { acceptedReport, openCase, sql, vendorWithUser } from './lib/cases.mjs';
import { api, keikai, outbox, postReport, productReport } from './lib/server.mjs';
import { startServer } from './lib/server.mjs';
import { startSmtp } from './lib/smtp.mjs';

let srv;
const relays = [];
const FROM = 'Keikai PSIRT <psirt@ipa.example>';
const TOKEN_RE = /^[a-z2-7]{20}$/;

before(async () => {
  srv = await startServer({ serveEnv: { KEIKAI_DELIVERY_SECONDS: '0' } });
  await keikai(['config', 'set', '--db', srv.db, 'smtp.from', FROM]);
});
after(async () => {
  for (const r of relays) await r.stop();
  await srv?.stop();
});

async function relay(opts) {
  const r = await startSmtp(opts);
  relays.push(r);
  return r;
}

const config = (key, value) => keikai(['config', 'set', '--db', srv.db, key, value]);
const send = (env = {}) => keikai(['outbox', 'send', '--db', srv.db], { allowFail: true, env });
const later = (hours) => new Date(Date.now() + hours * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

/* A report from finder email: its acknowledgement is queued for email. */
async function reportFrom(email) {
  const body = productReport();
  body.finder.email = email;
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
  return r.json.tracking_id;
}

const rowsTo = async (email) => (await outbox(srv.db)).filter((m) => m.recipient === email);

test('outbox send with no relay set exits 1 naming smtp.url, and sends nothing', async () => {
  await config('smtp.url', '');
  await reportFrom('nobody-yet@finder.example');
  const r = await send();
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /smtp\.url/);
  const [row] = await rowsTo('nobody-yet@finder.example');
  assert.equal(row.status, 'queued');
  assert.equal(row.tries, 0);
});

test('plain SMTP: every due message sent once, envelope from the reply address, Message-ID from the token', async () => {
  const r = await relay();
  await config('smtp.url', r.url());
  await config('smtp.starttls', 'off');
  await reportFrom('plain@finder.example');
  const res = await send();
  assert.equal(res.code, 0, res.stdout + res.stderr);
  const [row] = await rowsTo('plain@finder.example');
  assert.equal(row.status, 'sent');
  assert.equal(row.tries, 1);
  assert.equal(row.last_error, null);
  assert.ok(row.sent_at);
  assert.match(row.reply_token, TOKEN_RE);
  assert.equal(row.message_id, `<kk.${row.reply_token}@ipa.example>`);
  assert.match(res.stdout, new RegExp(`^${row.id} plain@finder\\.example sent`, 'm'));

  const got = (await r.messages()).filter((m) => m.envelope.rcpt_tos.includes('plain@finder.example'));
  assert.equal(got.length, 1);
  assert.equal(got[0].envelope.mail_from, `psirt+${row.reply_token}@ipa.example`);
  assert.equal(got[0].headers['message-id'], row.message_id);
  assert.equal(got[0].envelope.tls, false);

  /* the earlier message (queued while no relay was set) went in the same run */
  const [earlier] = await rowsTo('nobody-yet@finder.example');
  assert.equal(earlier.status, 'sent');

  /* nothing is due any more: a second run sends nothing again */
  const again = await send();
  assert.equal(again.code, 0);
  assert.equal((await r.messages()).filter((m) => m.envelope.rcpt_tos.includes('plain@finder.example')).length, 1);
  assert.equal((await rowsTo('plain@finder.example'))[0].tries, 1);
});

test('STARTTLS required: a certificate keikai cannot check is a transient failure; with smtp.ca_file it goes over TLS', async () => {
  const r = await relay({ tls: 'require-starttls' });
  await config('smtp.url', r.url());
  await config('smtp.starttls', 'required');
  await config('smtp.ca_file', '');
  await reportFrom('tls@finder.example');
  const bad = await send();
  assert.equal(bad.code, 75, bad.stdout + bad.stderr);
  let [row] = await rowsTo('tls@finder.example');
  assert.equal(row.status, 'queued');
  assert.equal(row.tries, 1);
  assert.match(row.last_error, /certificate|SSL|TLS/i);
  assert.ok(Date.parse(row.next_at) > Date.now());

  await config('smtp.ca_file', r.cert.cert);
  const good = await send({ KEIKAI_NOW: later(1) });
  assert.equal(good.code, 0, good.stdout + good.stderr);
  [row] = await rowsTo('tls@finder.example');
  assert.equal(row.status, 'sent');
  assert.equal(row.tries, 2);
  const got = (await r.messages()).filter((m) => m.envelope.rcpt_tos.includes('tls@finder.example'));
  assert.equal(got.length, 1);
  assert.equal(got[0].envelope.tls, true);
});

test('smtps:// (implicit TLS) with a private CA', async () => {
  const r = await relay({ tls: 'implicit' });
  await config('smtp.url', r.url());
  await config('smtp.starttls', 'try');
  await config('smtp.ca_file', r.cert.cert);
  await reportFrom('smtps@finder.example');
  const res = await send({ KEIKAI_NOW: later(2) });
  assert.equal(res.code, 0, res.stdout + res.stderr);
  const got = (await r.messages()).filter((m) => m.envelope.rcpt_tos.includes('smtps@finder.example'));
  assert.equal(got.length, 1);
  assert.equal(got[0].envelope.tls, true);
});

test('AUTH with user:password in smtp.url; the password never shown by settings list', async () => {
  const r = await relay({ auth: 'kk-relay:s3cret-pw' });
  await config('smtp.starttls', 'off');
  await config('smtp.ca_file', '');
  const set = await keikai(['config', 'set', '--db', srv.db, 'smtp.url', r.url('kk-relay:s3cret-pw')]);
  assert.doesNotMatch(set.stdout, /s3cret-pw/);
  const list = await keikai(['settings', 'list', '--db', srv.db]);
  assert.match(list.stdout, /^smtp\.url=smtp:\/\/kk-relay:\*\*\*@127\.0\.0\.1:\d+$/m);
  assert.doesNotMatch(list.stdout, /s3cret-pw/);
  const got = await keikai(['config', 'get', '--db', srv.db, 'smtp.url']);
  assert.equal(got.stdout.trim(), r.url('kk-relay:s3cret-pw'));

  await reportFrom('auth@finder.example');
  const res = await send({ KEIKAI_NOW: later(3) });
  assert.equal(res.code, 0, res.stdout + res.stderr);
  const msgs = (await r.messages()).filter((m) => m.envelope.rcpt_tos.includes('auth@finder.example'));
  assert.equal(msgs.length, 1);
  assert.equal(msgs[0].envelope.auth, true);
});

test('config set refuses a relay address and a starttls keikai cannot use, naming them', async () => {
  for (const [key, value] of [['smtp.url', 'http://127.0.0.1:25'], ['smtp.starttls', 'sometimes'],
    ['smtp.from', 'not an address'], ['smtp.max_tries', '0']]) {
    const r = await keikai(['config', 'set', '--db', srv.db, key, value], { allowFail: true });
    assert.equal(r.code, 1, `${key}=${value}`);
    assert.match(r.stderr, new RegExp(key.replace('.', '\\.')));
  }
});

test('451 then success: exit 75, tries and the last error listed, sent at a later time', async () => {
  const r = await relay();
  await config('smtp.url', r.url());
  await r.setPlan({ rcpt: [{ address: 'busy@finder.example', code: 451, times: 1, message: 'try again later' }] });
  await reportFrom('busy@finder.example');
  const now = later(4);
  const first = await send({ KEIKAI_NOW: now });
  assert.equal(first.code, 75, first.stdout + first.stderr);
  let [row] = await rowsTo('busy@finder.example');
  assert.equal(row.status, 'queued');
  assert.equal(row.tries, 1);
  assert.match(row.last_error, /451/);
  /* issue 11: 60 s backoff, ±20 % jitter */
  const wait = (Date.parse(row.next_at) - Date.parse(now)) / 1000;
  assert.ok(wait >= 48 && wait <= 72, `next try ${wait} s later`);
  const listed = await keikai(['outbox', 'list', '--db', srv.db]);
  assert.match(listed.stdout, new RegExp(`^${row.id} .* queued +1 +busy@finder\\.example`, 'm'));
  assert.match(listed.stdout, /last error: 451/);

  /* not due yet at the same time: nothing happens */
  const early = await send({ KEIKAI_NOW: now });
  assert.equal(early.code, 0);
  assert.equal((await rowsTo('busy@finder.example'))[0].tries, 1);

  const second = await send({ KEIKAI_NOW: later(5) });
  assert.equal(second.code, 0, second.stdout + second.stderr);
  [row] = await rowsTo('busy@finder.example');
  assert.equal(row.status, 'sent');
  assert.equal(row.tries, 2);
  assert.equal(row.last_error, null);
  assert.equal((await r.messages()).filter((m) => m.envelope.rcpt_tos.includes('busy@finder.example')).length, 1);
});

test('a vendor notified through the case flow gets its notice; a 550 marks the message, the contact attempt and the contact failed (SPEC 2.6, 8)', async () => {
  const r = await relay();
  await config('smtp.url', r.url());
  const good = await vendorWithUser(srv, { name_en: 'Reachable Corp', preferred_lang: 'en',
    contacts: [{ channel: 'email', value: 'psirt@reachable.example', is_primary: true }] }, 'user@reachable.example');
  const gone = await vendorWithUser(srv, { name_en: 'Gone Corp', preferred_lang: 'en',
    contacts: [{ channel: 'email', value: 'psirt@gone.example', is_primary: true }] }, 'user@gone.example');
  await r.setPlan({ rcpt: [{ address: 'psirt@gone.example', code: 550, times: 5, message: 'no such mailbox' }] });
  const { tid } = await acceptedReport(srv);
  const ref = (await openCase(srv, [tid], { title: 'Delivery case', summary: 'S', detail: 'D' })).id;
  const n = await api(srv.url, `/api/v1/cases/${encodeURIComponent(ref)}/notify`, { token: srv.tokens.coordinator,
    method: 'POST', lang: 'en', body: { vendor_ids: [good.vendor.id, gone.vendor.id] } });
  assert.equal(n.status, 200, n.text);

  const res = await send({ KEIKAI_NOW: later(6) });
  /* a message failed for good needs no other run: 0 unless some must be retried */
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /psirt@gone\.example failed after 1 tries: 550/);

  const got = (await r.messages()).filter((m) => m.envelope.rcpt_tos.includes('psirt@reachable.example'));
  assert.equal(got.length, 1);
  assert.ok(got[0].headers.subject.includes(ref), got[0].headers.subject);

  const [failed] = await rowsTo('psirt@gone.example');
  assert.equal(failed.status, 'failed');
  assert.equal(failed.tries, 1);
  assert.match(failed.last_error, /550/);
  const [sent] = await rowsTo('psirt@reachable.example');
  assert.equal(sent.status, 'sent');

  assert.match(sql(srv, `SELECT failure FROM contact_attempts WHERE outbox_id = ${failed.id}`), /550/);
  assert.equal(sql(srv, `SELECT count(*) FROM contact_attempts WHERE outbox_id = ${sent.id} AND failed_at IS NULL`), '1');
  const v = await api(srv.url, `/api/v1/vendors/${gone.vendor.id}`, { token: srv.tokens.coordinator, lang: 'en' });
  assert.equal(v.status, 200, v.text);
  const contact = v.json.contacts.find((c) => c.value === 'psirt@gone.example');
  assert.equal(contact.is_valid, false);
  const w = await api(srv.url, `/api/v1/vendors/${good.vendor.id}`, { token: srv.tokens.coordinator, lang: 'en' });
  assert.equal(w.json.contacts.find((c) => c.value === 'psirt@reachable.example').is_valid, true);
});

test('smtp.max_tries: a message still failing on its last try ends failed', async () => {
  const r = await relay();
  await config('smtp.url', r.url());
  await config('smtp.max_tries', '2');
  await r.setPlan({ rcpt: [{ address: 'always-busy@finder.example', code: 421, times: 10 }] });
  await reportFrom('always-busy@finder.example');
  assert.equal((await send({ KEIKAI_NOW: later(7) })).code, 75);
  const last = await send({ KEIKAI_NOW: later(8) });
  assert.equal(last.code, 0, last.stdout + last.stderr);
  const [row] = await rowsTo('always-busy@finder.example');
  assert.equal(row.status, 'failed');
  assert.equal(row.tries, 2);
  assert.match(row.last_error, /421/);
  await config('smtp.max_tries', '10');
});

test('an unreachable relay is transient: exit 75, the message queued with the connection error', async () => {
  const r = await relay();
  const port = r.port;
  await r.stop();
  relays.splice(relays.indexOf(r), 1);
  await config('smtp.url', `smtp://127.0.0.1:${port}`);
  await reportFrom('refused@finder.example');
  const res = await send({ KEIKAI_NOW: later(9) });
  assert.equal(res.code, 75, res.stdout + res.stderr);
  const [row] = await rowsTo('refused@finder.example');
  assert.equal(row.status, 'queued');
  assert.ok(row.last_error.length > 0);
});
