// t1460: mail in (issue 11 item 4; SPEC 2.1, 2.6, 2.13; docs/internals/mail-in.md):
// messages piped to `keikai mail-in` as an MTA would, against the real server's
// database. A vendor notified through the real case flow answers by mail with the
// reply token of its notice (`keikai outbox list --json`): the answer lands in the
// case thread (API), also when encrypted to the organisation's key with the real
// gpg; a bounce marks the contact failed (vendor API); a report by mail, encrypted
// inline and as PGP/MIME (both made with gpg), is a report "mail" that intake
// completes to "received"; junk waits on /inbound; the exit codes are sysexits.
// Runs on the engine of the run (SQLite, or PostgreSQL with KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, api, keikai, outbox, productReport, rid, login, browse, USERS } from './lib/server.mjs';
import { acceptedReport, openCase, vendorWithUser } from './lib/cases.mjs';

const VENDOR = 'psirt@vendor1460.example';
let srv;
let ref;
let vendorId;
let token;
let orgFpr;
let gpgHome;
const dirs = [];

/* `keikai mail-in` with the message (\n made CRLF): {code, stdout, stderr}. */
function mailIn(message, { db = srv.db, args = [] } = {}) {
  const input = typeof message === 'string' ? message.replace(/\r?\n/g, '\r\n') : message;
  return keikai(['mail-in', ...(db ? ['--db', db] : []), ...args], { input, allowFail: true });
}

/* text encrypted (armored) to the organisation's key with gpg. */
function encrypt(text) {
  const r = spawnSync('gpg', ['--batch', '--quiet', '--homedir', gpgHome, '--trust-model', 'always', '--armor',
    '--encrypt', '-r', orgFpr], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /BEGIN PGP MESSAGE/);
  return r.stdout;
}

async function threadBodies() {
  const r = await api(srv.url, `/api/v1/cases/${encodeURIComponent(ref)}/threads`,
    { token: srv.tokens.coordinator, lang: 'en' });
  assert.equal(r.status, 200, r.text);
  return r.json.threads.filter((t) => t.kind === 'vendor').flatMap((t) => t.messages.map((m) => m.body));
}

before(async () => {
  srv = await startServer();
  /* the keys directory (evidence key, GnuPG home) is the one keikai init made (startServer) */
  await keikai(['config', 'set', '--db', srv.db, 'smtp.from', 'CSIRT <cert@org.example>']);
  const init = await keikai(['pgp', 'init', '--db', srv.db]);
  orgFpr = /[0-9A-F]{40}/.exec(init.stdout)[0];
  const show = await keikai(['pgp', 'show', '--db', srv.db]);
  const armored = /-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/.exec(show.stdout)[0];
  gpgHome = mkdtempSync(path.join(tmpdir(), 'kk-g-'));
  chmodSync(gpgHome, 0o700);
  dirs.push(gpgHome);
  const imp = spawnSync('gpg', ['--batch', '--homedir', gpgHome, '--import'], { input: armored, encoding: 'utf8' });
  assert.equal(imp.status, 0, imp.stderr);

  const v = await vendorWithUser(srv, { name_en: 'Vendor 1460', preferred_lang: 'en',
    contacts: [{ channel: 'email', value: VENDOR, is_primary: true }] }, 'user@vendor1460.example');
  vendorId = v.vendor.id;
  const { tid } = await acceptedReport(srv);
  ref = (await openCase(srv, [tid], { title: 'T1460', summary: 'S1460', detail: 'D1460' })).id;
  const n = await api(srv.url, `/api/v1/cases/${encodeURIComponent(ref)}/notify`,
    { token: srv.tokens.coordinator, body: { vendor_ids: [vendorId] }, lang: 'en' });
  assert.equal(n.status, 200, n.text);
  const notice = (await outbox(srv.db)).find((m) => m.recipient === VENDOR && m.reply_token);
  assert.ok(notice, 'the vendor notice has a reply token');
  token = notice.reply_token;
  assert.match(token, /^[a-z2-7]{20}$/);
});

after(async () => {
  await srv?.stop();
  for (const d of dirs) {
    spawnSync('gpgconf', ['--homedir', d, '--kill', 'all']);
    rmSync(d, { recursive: true, force: true });
  }
});

test('a vendor reply by mail lands in its case thread (SPEC 2.13)', async () => {
  const r = await mailIn(`From: PSIRT <${VENDOR}>\nTo: cert+${token}@org.example\nSubject: Re: [${ref}]\n`
    + `In-Reply-To: <kk.${token}@org.example>\n\nREPLY-1460: we reproduced it.\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^reply:/);
  assert.ok((await threadBodies()).some((b) => b.includes('REPLY-1460: we reproduced it.')));
});

test('an encrypted reply (gpg --encrypt --armor -r ORG) lands decrypted', async () => {
  const r = await mailIn(`From: ${VENDOR}\nTo: cert+${token}@org.example\nSubject: Re\n\n`
    + encrypt('SECRET-REPLY-1460: the fix is in 2.0.\n'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^reply:/);
  const bodies = await threadBodies();
  assert.ok(bodies.some((b) => b.includes('SECRET-REPLY-1460: the fix is in 2.0.')), JSON.stringify(bodies));
  assert.ok(!bodies.some((b) => b.includes('BEGIN PGP MESSAGE')));
});

test('a reply from a stranger waits for review, not in the thread', async () => {
  const r = await mailIn(`From: mallory@evil.example\nTo: cert+${token}@org.example\nSubject: Re\n\nSTRANGER-1460\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^review:/);
  assert.ok(!(await threadBodies()).some((b) => b.includes('STRANGER-1460')));
});

test('a report by mail, encrypted inline and as PGP/MIME, becomes "mail", then received (SPEC 2.1)', async () => {
  const inline = await mailIn(`From: Finder <finder1460@example.net>\nTo: cert@org.example\nSubject: INLINE-1460 XSS\n\n`
    + encrypt('INLINE-STEPS-1460: open the search page.\n'));
  assert.equal(inline.code, 0, inline.stderr);
  const inner = 'Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nMIME-STEPS-1460: 管理画面で再現します。\r\n';
  const pgpmime = await mailIn('From: finder1460@example.net\nTo: cert@org.example\nSubject: MIME-1460\n'
    + 'MIME-Version: 1.0\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="bb"\n\n'
    + '--bb\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n'
    + '--bb\nContent-Type: application/octet-stream; name="encrypted.asc"\n\n' + encrypt(inner) + '\n--bb--\n');
  assert.equal(pgpmime.code, 0, pgpmime.stderr);
  for (const [out, steps] of [[inline.stdout, 'INLINE-STEPS-1460'], [pgpmime.stdout, 'MIME-STEPS-1460']]) {
    const m = /^report: (\S+), received by mail, encrypted/.exec(out);
    assert.ok(m, out);
    const tid = m[1];
    let g = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake, lang: 'en' });
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.status, 'mail');
    assert.ok(JSON.stringify(g.json).includes(steps), g.text);
    assert.ok(!g.text.includes('BEGIN PGP MESSAGE'));
    /* the intake queue lists it in the state "mail" */
    const q = await api(srv.url, '/api/v1/reports?status=mail', { token: srv.tokens.intake, lang: 'en' });
    assert.equal(q.status, 200, q.text);
    assert.ok(q.json.reports.some((x) => x.tracking_id === tid && x.status === 'mail'), q.text);
    /* triage waits for completion; a coordinator may not complete */
    const early = await api(srv.url, `/api/v1/reports/${rid(tid)}/decision`,
      { token: srv.tokens.intake, body: { decision: 'accept' }, lang: 'en' });
    assert.equal(early.status, 409, early.text);
    const body = productReport();
    delete body.finder.email; /* the sender is the finder's address */
    const denied = await api(srv.url, `/api/v1/reports/${rid(tid)}/complete`, { token: srv.tokens.coordinator, body, lang: 'en' });
    assert.equal(denied.status, 403, denied.text);
    const bad = await api(srv.url, `/api/v1/reports/${rid(tid)}/complete`,
      { token: srv.tokens.intake, body: { ...body, kind: 'nonsense' }, lang: 'en' });
    assert.equal(bad.status, 400, bad.text);
    assert.ok(bad.json.fields.kind, bad.text);
    const done = await api(srv.url, `/api/v1/reports/${rid(tid)}/complete`, { token: srv.tokens.intake, body, lang: 'en' });
    assert.equal(done.status, 200, done.text);
    g = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake, lang: 'en' });
    assert.equal(g.json.status, 'received');
    assert.ok(JSON.stringify(g.json).includes('finder1460@example.net'), 'the sender stays the finder');
  }
});

test('junk waits on the review queue, for staff only', async () => {
  const r = await mailIn('\u0001\u0002 JUNK-1460 not a message');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^review:/);
  const spam = await mailIn('From: spam@spam.example\nTo: sales@elsewhere.example\nSubject: SPAM-1460\n\nBuy.\n');
  assert.match(spam.stdout, /^review:/);
  const list = await api(srv.url, '/api/v1/inbound', { token: srv.tokens.intake, lang: 'en' });
  assert.equal(list.status, 200, list.text);
  const entry = list.json.inbound.find((e) => e.subject === 'SPAM-1460');
  assert.ok(entry, list.text);
  assert.ok(entry.reason);
  const one = await api(srv.url, `/api/v1/inbound/${entry.id}`, { token: srv.tokens.coordinator, lang: 'en' });
  assert.equal(one.status, 200, one.text);
  assert.ok(one.json.text.includes('Buy.'));
  for (const who of ['operator', 'admin']) {
    const denied = await api(srv.url, `/api/v1/inbound/${entry.id}`, { token: srv.tokens[who], lang: 'en' });
    const missing = await api(srv.url, '/api/v1/inbound/999999', { token: srv.tokens.intake, lang: 'en' });
    assert.equal(missing.status, 404);
    assert.ok([403, 404].includes(denied.status), `${who}: ${denied.status}`);
  }
  /* the page, as intake signs in; the text of the message escaped, never HTML */
  const { jar } = await login(srv.url, USERS.intake.email);
  const page = await browse(srv.url, '/inbound', jar, { lang: 'en' });
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.ok(page.text.includes('SPAM-1460'));
  const view = await browse(srv.url, `/inbound/${entry.id}`, jar, { lang: 'ja' });
  assert.equal(view.status, 200);
  assert.ok(view.text.includes('Buy.'));
  const d = await api(srv.url, `/api/v1/inbound/${entry.id}/dismiss`, { token: srv.tokens.intake, body: {}, lang: 'en' });
  assert.equal(d.status, 200, d.text);
  const after = await api(srv.url, '/api/v1/inbound', { token: srv.tokens.intake, lang: 'en' });
  assert.ok(!after.json.inbound.some((e) => e.id === entry.id));
});

test('a bounce marks the contact failed (SPEC 2.6, 8)', async () => {
  const r = await mailIn(`From: MAILER-DAEMON@relay.example\nTo: cert+${token}@org.example\nSubject: Undelivered\n`
    + 'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="d1"\n\n'
    + '--d1\nContent-Type: text/plain\n\nNot delivered.\n'
    + '--d1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.example\n\n'
    + `Final-Recipient: rfc822; ${VENDOR}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 no such user\n\n--d1--\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^bounce: .*failed.*5\.1\.1/);
  const v = await api(srv.url, `/api/v1/vendors/${vendorId}`, { token: srv.tokens.coordinator, lang: 'en' });
  assert.equal(v.status, 200, v.text);
  const c = v.json.contacts.find((x) => x.value === VENDOR);
  assert.equal(c.is_valid, false, JSON.stringify(c));
  const m = (await outbox(srv.db)).find((x) => x.reply_token === token);
  assert.equal(m.status, 'failed');
});

test('exit codes are sysexits: 64 usage, 65 too big, 75 store unavailable, 78 no store', async () => {
  assert.equal((await mailIn('x', { db: null, args: [] })).code, 64);
  assert.equal((await mailIn('x', { args: ['--no-such-option'] })).code, 64);
  assert.equal((await mailIn('From: a@b.example\n\nx\n', { db: 'postgresql://nobody@127.0.0.1:1/none' })).code, 75);
  assert.equal((await mailIn('From: a@b.example\n\nx\n', { db: path.join(tmpdir(), 'no-such-keikai-1460.db') })).code, 78);
  const big = Buffer.alloc(25 * 1024 * 1024 + 10, 'a');
  const r = await mailIn(big);
  assert.equal(r.code, 65, r.stderr);
});
