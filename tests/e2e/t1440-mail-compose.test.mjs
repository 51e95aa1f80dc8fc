// t1440: messages as they go out (issue 11 items 2 and 3; SPEC 1, 2.1, 2.6;
// docs/internals/mail-out.md), seen through `keikai outbox preview` and
// through a real SMTP delivery (tests/e2e/lib/smtp.mjs, aiosmtpd): a vendor
// with a key notified through the real case flow gets multipart/encrypted,
// which `gpg --decrypt` in the vendor's own GNUPGHOME opens to the summary,
// signed by the organisation's key (`keikai pgp init`); the clear subject has
// the case's ref and not the title; a vendor without a key gets none of the
// summary, title or detail, in its language; a finder with finder.pgp_key
// gets the acknowledgement encrypted, one without only the tracking number
// and the link; an expired key on record gives the content-free notice, a
// staff alert, and a reminder on /api/v1/clocks. Runs on the engine of the
// run (SQLite, or PostgreSQL with KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, api, keikai, outbox, postReport, productReport } from './lib/server.mjs';
import { acceptedReport, openCase, vendorWithUser, sql } from './lib/cases.mjs';
import { startSmtp } from './lib/smtp.mjs';
import { previewMail, header, decodeWords, body } from './lib/mail.mjs';

const TITLE = 'Widget admin XSS T1440';
const SUMMARY = 'SUMMARY-t1440: a stored XSS in the admin page of Widget.';
const DETAIL = 'DETAIL-t1440: log in, open /admin, paste the PoC into the title field.';
const FINDER_SUMMARY = 'FINDER-SUMMARY-t1440 reflected XSS in the search box';

let srv;
let homes = [];
let orgFpr;
let ref;

const preview = (id) => previewMail(srv.db, id);

/* A GnuPG home with one key for uid, made at faked (a gpg time) when given:
 * {home, armored}. */
function gpgKey(uid, { faked, expire = 'never' } = {}) {
  const home = mkdtempSync(path.join(tmpdir(), 'kk-g-'));
  chmodSync(home, 0o700);
  homes.push(home);
  const extra = faked ? ['--faked-system-time', faked] : [];
  let r = spawnSync('gpg', ['--batch', '--quiet', '--no-tty', '--homedir', home, '--passphrase', '',
    '--pinentry-mode', 'loopback', ...extra, '--quick-gen-key', uid, 'future-default', 'default', expire],
  { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  r = spawnSync('gpg', ['--batch', '--homedir', home, '--armor', '--export', uid], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /BEGIN PGP PUBLIC KEY BLOCK/);
  return { home, armored: r.stdout };
}

/* Decrypts the PGP/MIME raw message in home (the organisation's key
 * imported): {inner, signer}. */
function decrypt(home, raw) {
  const m = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/.exec(raw);
  assert.ok(m, 'an armored message inside');
  const r = spawnSync('gpg', ['--batch', '--no-tty', '--homedir', home, '--status-fd', '1', '--decrypt'],
    { input: m[0], encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.equal(r.status, 0, r.stderr);
  const valid = /\[GNUPG:\] VALIDSIG ([0-9A-F]{40})/.exec(r.stdout);
  assert.ok(valid, `a good signature: ${r.stdout}`);
  /* with --status-fd 1 the plaintext and the status lines share stdout */
  const inner = r.stdout.split('\n').filter((l) => !l.startsWith('[GNUPG:]')).join('\n');
  return { inner, signer: valid[1] };
}

function importOrgKey(home) {
  const r = spawnSync('gpg', ['--batch', '--homedir', home, '--import'], { input: orgArmored, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

let orgArmored;
let keyed; let plain; let expiring; /* three vendors */

before(async () => {
  srv = await startServer();
  /* a keys directory of the test's own (PostgreSQL stores have none by default; keys.h) */
  const keys = mkdtempSync(path.join(tmpdir(), 'kk-keys-'));
  homes.push(keys);
  await keikai(['config', 'set', '--db', srv.db, 'keys_dir', keys]);
  await keikai(['config', 'set', '--db', srv.db, 'smtp.from', 'CSIRT <cert@org.example>']);
  await keikai(['config', 'set', '--db', srv.db, 'base_url', 'https://keikai.example']);
  const init = await keikai(['pgp', 'init', '--db', srv.db]);
  orgFpr = /[0-9A-F]{40}/.exec(init.stdout)[0];
  const show = await keikai(['pgp', 'show', '--db', srv.db]);
  orgArmored = /-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/.exec(show.stdout)[0];

  keyed = gpgKey('PSIRT <psirt@keyed.example>');
  importOrgKey(keyed.home);
  await vendorWithUser(srv, { name_en: 'Keyed Networks', preferred_lang: 'en', pgp_key: keyed.armored,
    contacts: [{ channel: 'email', value: 'psirt@keyed.example', is_primary: true }] }, 'psirt@keyed.example');
  await vendorWithUser(srv, { name_ja: 'プレーン電機', name_en: 'Plain Denki', preferred_lang: 'ja',
    contacts: [{ channel: 'email', value: 'psirt@plain.example', is_primary: true }] }, 'psirt@plain.example');
  expiring = gpgKey('Old <psirt@expired.example>');
  await vendorWithUser(srv, { name_en: 'Expired Corp', preferred_lang: 'en', pgp_key: expiring.armored,
    contacts: [{ channel: 'email', value: 'psirt@expired.example', is_primary: true }] }, 'psirt@expired.example');
  /* the key on record expires later (made in 2020 for a day): as if time had passed */
  const old = gpgKey('Old <psirt@expired.example>', { faked: '20200101T000000', expire: '1d' });
  sql(srv, `UPDATE vendors SET pgp_key = '${old.armored}' WHERE name_en = 'Expired Corp'`);

  const { tid } = await acceptedReport(srv);
  ref = (await openCase(srv, [tid], { title: TITLE, summary: SUMMARY, detail: DETAIL })).id;
  const ids = sql(srv, "SELECT id FROM vendors WHERE name_en IN ('Keyed Networks', 'Plain Denki', 'Expired Corp')")
    .split('\n').map(Number);
  const n = await api(srv.url, `/api/v1/cases/${encodeURIComponent(ref)}/notify`,
    { token: srv.tokens.coordinator, body: { vendor_ids: ids }, lang: 'en' });
  assert.equal(n.status, 200, n.text);
});

after(async () => {
  await srv?.stop();
  for (const h of homes) {
    spawnSync('gpgconf', ['--homedir', h, '--kill', 'all']);
    rmSync(h, { recursive: true, force: true });
  }
});

const summaryTo = async (address) => (await outbox(srv.db)).find((m) => m.kind === 'case_summary' && m.recipient === address);

test('a vendor with a key gets PGP/MIME, signed by the organisation, the summary inside (issue 11 item 3)', async () => {
  const m = await summaryTo('psirt@keyed.example');
  assert.ok(m, 'the summary notice is queued');
  const p = await preview(m.id);
  assert.equal(p.encrypted, true);
  assert.equal(p.rcpt, 'psirt@keyed.example');
  assert.match(p.from, /^cert\+[a-z2-7]{20}@org\.example$/, 'the envelope sender is the reply address');
  assert.match(p.message_id, /^<kk\.[a-z2-7]{20}@org\.example>$/);
  assert.match(header(p.data, 'Content-Type'), /^multipart\/encrypted; protocol="application\/pgp-encrypted"/);
  const subject = decodeWords(header(p.data, 'Subject'));
  assert.ok(subject.startsWith(`[${ref}] `), subject);
  assert.ok(!subject.includes(TITLE), 'the title is not in clear');
  for (const secret of [TITLE, SUMMARY, DETAIL]) assert.ok(!p.data.includes(secret), `${secret} not in clear`);
  assert.equal(header(p.data, 'Content-Language'), 'en');
  const { inner, signer } = decrypt(keyed.home, p.data);
  assert.equal(signer, orgFpr, 'signed with the organisation key');
  assert.match(inner, /protected-headers="v1"/);
  const text = body(inner.replace(/\r?\n/g, '\r\n'));
  assert.ok(text.includes(SUMMARY), text);
  assert.ok(text.includes(TITLE), text);
  assert.ok(!text.includes(DETAIL), 'the detail is never in the notice (SPEC 2.6)');
});

test('a vendor without a key gets no summary, title or detail, in its language (SPEC 1)', async () => {
  const m = await summaryTo('psirt@plain.example');
  const p = await preview(m.id);
  assert.equal(p.encrypted, false);
  assert.equal(header(p.data, 'Content-Language'), 'ja');
  assert.equal(header(p.data, 'Content-Type'), 'text/plain; charset=UTF-8');
  const subject = decodeWords(header(p.data, 'Subject'));
  assert.ok(subject.startsWith(`[${ref}] `), subject);
  assert.ok(!/Vulnerability notice/.test(subject), `in Japanese: ${subject}`);
  const text = body(p.data);
  for (const secret of [TITLE, SUMMARY, DETAIL]) {
    assert.ok(!p.data.includes(secret), `${secret} not in the raw mail`);
    assert.ok(!text.includes(secret), `${secret} not in the body`);
  }
  assert.ok(text.includes(`https://keikai.example/cases/${encodeURIComponent(ref)}`), text);
});

test('a finder with finder.pgp_key gets the acknowledgement encrypted; without, the number and link only (SPEC 2.1)', async () => {
  const finder = gpgKey('Finder <finder-t1440@example.jp>');
  importOrgKey(finder.home);
  const body0 = productReport();
  body0.finder.email = 'finder-t1440@example.jp';
  body0.finder.pgp_key = finder.armored;
  body0.details.summary = FINDER_SUMMARY;
  const r = await postReport(srv.url, body0);
  assert.equal(r.status, 201, r.text);
  const ack = (await outbox(srv.db)).find((m) => m.kind === 'acknowledgement' && m.report === r.json.tracking_id);
  const p = await preview(ack.id);
  assert.equal(p.encrypted, true);
  assert.ok(!p.data.includes(FINDER_SUMMARY));
  const { inner, signer } = decrypt(finder.home, p.data);
  assert.equal(signer, orgFpr);
  assert.ok(body(inner.replace(/\r?\n/g, '\r\n')).includes(FINDER_SUMMARY));

  const body1 = productReport();
  body1.details.summary = FINDER_SUMMARY;
  const r1 = await postReport(srv.url, body1);
  assert.equal(r1.status, 201, r1.text);
  const ack1 = (await outbox(srv.db)).find((m) => m.kind === 'acknowledgement' && m.report === r1.json.tracking_id);
  assert.ok(ack1.body.includes(FINDER_SUMMARY), 'the stored acknowledgement is the whole one');
  const p1 = await preview(ack1.id);
  assert.equal(p1.encrypted, false);
  const text = body(p1.data);
  assert.ok(!p1.data.includes(FINDER_SUMMARY) && !text.includes(FINDER_SUMMARY), text);
  assert.ok(text.includes(r1.json.tracking_id), text);
  assert.ok(text.includes(r1.json.status_url.split('/').pop()), 'the status link');
  assert.ok(decodeWords(header(p1.data, 'Subject')).startsWith(`[${r1.json.tracking_id}] `));
});

test('an expired key: content-free, a staff alert and a reminder on the clocks, through real SMTP', async () => {
  const m = await summaryTo('psirt@expired.example');
  const p = await preview(m.id);
  assert.equal(p.encrypted, false);
  assert.ok(!p.data.includes(SUMMARY) && !body(p.data).includes(SUMMARY));
  assert.equal(sql(srv, "SELECT count(*) FROM reminders WHERE clock = 'pgp_key'"), '0', 'a preview stores nothing');

  const smtp = await startSmtp();
  try {
    await keikai(['config', 'set', '--db', srv.db, 'smtp.url', smtp.url()]);
    const before = (await outbox(srv.db)).filter((x) => x.kind === 'staff_alert').length;
    await keikai(['outbox', 'send', '--db', srv.db], { allowFail: true });
    const got = await smtp.waitFor(1);
    const toExpired = got.find((g) => g.envelope.rcpt_tos?.includes('psirt@expired.example')
      || JSON.stringify(g.envelope).includes('psirt@expired.example'));
    assert.ok(toExpired, 'the message went');
    assert.ok(!toExpired.raw.includes(SUMMARY) && !body(toExpired.raw).includes(SUMMARY));
    /* the keyed vendor's notice, through the relay, opens in its own home */
    const toKeyed = got.find((g) => JSON.stringify(g.envelope).includes('psirt@keyed.example'));
    assert.ok(toKeyed, 'the keyed vendor got its message');
    assert.match(toKeyed.raw, /multipart\/encrypted/);
    assert.ok(!toKeyed.raw.includes(SUMMARY));
    const opened = decrypt(keyed.home, toKeyed.raw);
    assert.equal(opened.signer, orgFpr);
    assert.ok(body(opened.inner.replace(/\r?\n/g, '\r\n')).includes(SUMMARY));
    const alerts = (await outbox(srv.db)).filter((x) => x.kind === 'staff_alert');
    assert.ok(alerts.length > before, 'staff are alerted');
    const c = await api(srv.url, '/api/v1/clocks', { token: srv.tokens.coordinator, lang: 'en' });
    assert.equal(c.status, 200, c.text);
    const clock = c.json.clocks.find((x) => x.clock === 'pgp_key');
    assert.ok(clock, 'the pgp_key clock is listed');
    assert.equal(clock.fired.length, 1, JSON.stringify(clock));
    assert.ok(clock.fired[0].what.includes('psirt@expired.example'), clock.fired[0].what);
  } finally {
    await smtp.stop();
  }
});

test('a message in a vendor thread goes with its text encrypted to a vendor with a key, and without it in clear (SPEC 1, 2.13)', async () => {
  const MESSAGE = 'MESSAGE-t1440: please confirm which firmware versions are affected.';
  const ids = Object.fromEntries(sql(srv, "SELECT name_en, id FROM vendors WHERE name_en IN ('Keyed Networks', 'Plain Denki')")
    .split('\n').map((l) => l.split('|')).map(([n, id]) => [n, Number(id)]));
  for (const name of ['Keyed Networks', 'Plain Denki']) {
    const r = await api(srv.url, `/api/v1/cases/${encodeURIComponent(ref)}/messages`,
      { token: srv.tokens.coordinator, body: { thread: 'vendor', vendor_id: ids[name], body: MESSAGE }, lang: 'en' });
    assert.equal(r.status, 201, r.text);
  }
  const to = async (address) => (await outbox(srv.db)).filter((m) => m.kind === 'case_message' && m.recipient === address).at(-1);
  const keyedMail = await preview((await to('psirt@keyed.example')).id);
  assert.equal(keyedMail.encrypted, true);
  assert.ok(!keyedMail.data.includes(MESSAGE), 'not in clear');
  const { inner, signer } = decrypt(keyed.home, keyedMail.data);
  assert.equal(signer, orgFpr);
  const text = body(inner.replace(/\r?\n/g, '\r\n'));
  assert.ok(text.includes(MESSAGE), text);
  assert.match(text, /reply to this e-mail/);
  const plainMail = await preview((await to('psirt@plain.example')).id);
  assert.equal(plainMail.encrypted, false);
  assert.ok(!plainMail.data.includes(MESSAGE) && !body(plainMail.data).includes(MESSAGE), body(plainMail.data));
  assert.match(body(plainMail.data), /keikai/);
});

test('outbox preview of a message that does not exist fails clearly', async () => {
  const r = await keikai(['outbox', 'preview', '--db', srv.db, '999999'], { allowFail: true });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /999999/);
});
