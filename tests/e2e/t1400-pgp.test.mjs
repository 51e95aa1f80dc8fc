// t1400: the organisation's OpenPGP key and the keys others give (issue 11,
// item 3; SPEC 1, 2.1 [P]; docs/internals/pgp.md, docs/cli/pgp.md):
// `keikai pgp init` makes the key once (a second run keeps it), `keikai pgp
// show` and GET /pgp-key.asc give its public key, which gpg imports with the
// same fingerprint, and the report form links it; a finder.pgp_key or a
// vendor's pgp_key that is not one usable public key (junk, two keys,
// expired, revoked, sign-only) is refused with 400 naming the field and the
// reason, in English and Japanese, and nothing is stored. Keys are made with
// real gpg in temporary GNUPGHOMEs. Runs on the engine of the run (SQLite, or
// PostgreSQL with KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, api, keikai, postReport, productReport, browse, CookieJar } from './lib/server.mjs';
import { sql } from './lib/cases.mjs';
import { gpg, newHome, fprOf, removeHomes } from './lib/gpg.mjs';

let srv;
/* A key for uid made in a new home: {home, fpr, armored}. */
function makeKey(uid, { algo = 'future-default', usage = 'default', expire = 'never', faked } = {}) {
  const home = newHome();
  const extra = faked ? ['--faked-system-time', faked] : [];
  gpg(home, ['--passphrase', '', '--pinentry-mode', 'loopback', ...extra, '--quick-gen-key', uid, algo, usage, expire],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const fpr = fprOf(home, uid);
  return { home, fpr, armored: gpg(home, ['--armor', '--export', fpr]) };
}

/* A key revoked with the certificate gpg left in openpgp-revocs.d/. */
function revokedKey(uid) {
  const k = makeKey(uid);
  const rev = readFileSync(path.join(k.home, 'openpgp-revocs.d', `${k.fpr}.rev`), 'utf8')
    .replace(':-----BEGIN PGP PUBLIC KEY BLOCK-----', '-----BEGIN PGP PUBLIC KEY BLOCK-----');
  const file = path.join(k.home, 'revoke.asc');
  writeFileSync(file, rev);
  gpg(k.home, ['--import', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  return { ...k, armored: gpg(k.home, ['--armor', '--export', k.fpr]) };
}

let good, expired, revoked, signOnly, twoKeys;

before(async () => {
  srv = await startServer();
  good = makeKey('Finder T1400 <finder@t1400.example>');
  expired = makeKey('Expired T1400 <expired@t1400.example>', { faked: '20200101T000000', expire: '1d' });
  revoked = revokedKey('Revoked T1400 <revoked@t1400.example>');
  signOnly = makeKey('Sign T1400 <sign@t1400.example>', { algo: 'ed25519', usage: 'sign' });
  twoKeys = good.armored + expired.armored;
});

after(async () => {
  await srv?.stop();
  removeHomes();
});

test('before keikai pgp init there is no key: /pgp-key.asc is 404, show fails, the form has no link', async () => {
  const r = await api(srv.url, '/pgp-key.asc');
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /text\/html/);
  const show = await keikai(['pgp', 'show', '--db', srv.db], { allowFail: true });
  assert.equal(show.code, 1);
  assert.match(show.stderr, /keikai pgp init/);
  const form = await browse(srv.url, '/report/product', new CookieJar(), { lang: 'en' });
  assert.equal(form.status, 200);
  assert.doesNotMatch(form.text, /pgp-key\.asc/);
});

let orgFpr;

test('keikai pgp init makes the key once; /pgp-key.asc serves it and gpg imports it', async () => {
  const first = await keikai(['pgp', 'init', '--db', srv.db, '--json']);
  const made = JSON.parse(first.stdout);
  assert.equal(made.created, true);
  assert.match(made.fingerprint, /^[0-9A-F]{40}$/);
  orgFpr = made.fingerprint;
  // a second run keeps the key
  const again = await keikai(['pgp', 'init', '--db', srv.db]);
  assert.equal(again.stdout.trim(), orgFpr);
  assert.match(again.stderr, /already/);
  assert.equal(sql(srv, "SELECT value FROM settings WHERE key = 'pgp_fingerprint'"), orgFpr);

  const show = await keikai(['pgp', 'show', '--db', srv.db]);
  assert.equal(show.stdout.split('\n')[0], orgFpr);
  assert.match(show.stdout, /-----BEGIN PGP PUBLIC KEY BLOCK-----/);

  const r = await api(srv.url, '/pgp-key.asc');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pgp-keys');
  assert.match(r.text, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
  assert.doesNotMatch(r.text, /PRIVATE/);
  const home = newHome();
  const file = path.join(home, 'org.asc');
  writeFileSync(file, r.text);
  gpg(home, ['--import', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const listed = gpg(home, ['--with-colons', '--list-keys', orgFpr]);
  assert.match(listed, new RegExp(`^fpr:::::::::${orgFpr}:`, 'm'));
  // an encryption subkey: gpg can encrypt to what was served
  assert.match(listed, /^sub:[^:]*:[^:]*:[^:]*:[^:]*:[^:]*:[^:]*:[^:]*:[^:]*:[^:]*:[^:]*:e/m);
  // the same key a second time (kept in memory by the server)
  const r2 = await api(srv.url, '/pgp-key.asc');
  assert.equal(r2.text, r.text);
});

test('the report form links /pgp-key.asc with the fingerprint, in en and ja', async () => {
  for (const lang of ['en', 'ja']) {
    const form = await browse(srv.url, '/report/product', new CookieJar(), { lang });
    assert.equal(form.status, 200);
    assert.match(form.text, /href="\/pgp-key\.asc"/);
    assert.ok(form.text.includes(orgFpr), `${lang}: the fingerprint is shown`);
  }
});

function reportWithKey(key) {
  const body = productReport();
  body.finder.pgp_key = key;
  body.encrypted_contact = true;
  return body;
}

const count = (table) => Number(sql(srv, `SELECT count(*) FROM ${table}`));

test('a usable finder.pgp_key is accepted and kept as given', async () => {
  const r = await postReport(srv.url, reportWithKey(good.armored));
  assert.equal(r.status, 201, r.text);
  const got = await api(srv.url, `/api/v1/reports/${encodeURIComponent(r.json.tracking_id)}`, { token: srv.tokens.intake });
  assert.equal(got.json.finder.pgp_key.trim(), good.armored.trim());
});

const cases = [
  ['junk', () => 'please encrypt to my key on keys.openpgp.org', /not an OpenPGP public key/, /OpenPGP 公開鍵ではありません/],
  ['two keys', () => twoKeys, /2 OpenPGP keys/, /2 個/],
  ['expired', () => expired.armored, /expired on 2020-01-02/, /2020-01-02 に有効期限が切れています/],
  ['revoked', () => revoked.armored, /revoked/, /失効/],
  ['sign-only', () => signOnly.armored, /no key that can encrypt/, /暗号化に使える鍵がありません/],
];

for (const [name, key, en, ja] of cases) {
  test(`finder.pgp_key ${name}: 400 naming finder.pgp_key and the reason (en, ja), nothing stored`, async () => {
    const before = count('reports');
    const r = await postReport(srv.url, reportWithKey(key()), { lang: 'en' });
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.fields['finder.pgp_key'], en);
    const j = await postReport(srv.url, reportWithKey(key()), { lang: 'ja' });
    assert.equal(j.status, 400, j.text);
    assert.match(j.json.fields['finder.pgp_key'], ja);
    assert.equal(count('reports'), before);
  });
}

test('the form shows the reason next to finder.pgp_key', async () => {
  const before = count('reports');
  const r = await postReport(srv.url, reportWithKey(expired.armored), { lang: 'en' });
  assert.equal(r.status, 400);
  assert.ok(r.json.fields['finder.pgp_key'].includes(expired.fpr), 'the message names the key');
  assert.equal(count('reports'), before);
});

test("a vendor's pgp_key: usable accepted; junk, expired, revoked refused with 400 naming pgp_key", async () => {
  const ok = await api(srv.url, '/api/v1/vendors',
    { token: srv.tokens.coordinator, lang: 'en', body: { name_en: 'Keyed T1400', pgp_key: good.armored } });
  assert.equal(ok.status, 201, ok.text);
  const before = count('vendors');
  for (const [key, why] of [['not a key', /not an OpenPGP public key/], [expired.armored, /expired on/],
    [revoked.armored, /revoked/]]) {
    const r = await api(srv.url, '/api/v1/vendors',
      { token: srv.tokens.coordinator, lang: 'en', body: { name_en: 'Bad key T1400', pgp_key: key } });
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.fields.pgp_key, why);
  }
  assert.equal(count('vendors'), before);
  // the same check when a key is set later
  const patch = await api(srv.url, `/api/v1/vendors/${ok.json.id}`,
    { method: 'PATCH', token: srv.tokens.coordinator, lang: 'ja', body: { pgp_key: revoked.armored } });
  assert.equal(patch.status, 400, patch.text);
  assert.match(patch.json.fields.pgp_key, /失効/);
  const kept = await api(srv.url, `/api/v1/vendors/${ok.json.id}`, { token: srv.tokens.coordinator });
  assert.equal(kept.json.pgp_key.trim(), good.armored.trim());
});
