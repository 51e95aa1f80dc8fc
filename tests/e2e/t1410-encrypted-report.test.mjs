// t1410: details that come encrypted (issue 11, item 5; SPEC 2.1 キ, [P];
// docs/api/reports.md "Encrypted details", docs/internals/pgp.md): a finder
// encrypts the details with the real gpg to the key served at /pgp-key.asc and
// sends them as details.encrypted, through the API and through the form; the
// server decrypts them into the fields (English and Japanese headings), keeps
// the ciphertext as evidence, and staff see which fields came encrypted (API
// and report page). A detail given both ways, a message that is not to our
// key, junk, and a server without a key of its own are refused with 400 naming
// details.encrypted (and the clear field), in English and Japanese, with
// nothing stored. Runs on the engine of the run (SQLite, or PostgreSQL with
// KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  startServer, api, keikai, postReport, productReport, rid, browse, login, CookieJar, csrfField,
  multipartBody, rawRequest, fieldErrors, deletePath, queueLength, USERS,
} from './lib/server.mjs';
import { sql } from './lib/cases.mjs';
import { gpg, newHome, fprOf, removeHomes } from './lib/gpg.mjs';

let srv; // a server whose organisation has a key
let bare; // one without
let finder; // the finder's GnuPG home, holding the organisation's public key
let orgFpr;
let stranger; // a key that is not the organisation's

/* text encrypted (armored) as a finder would: to the key from /pgp-key.asc. */
function sealed(text, to = orgFpr, home = finder) {
  return gpg(home, ['--trust-model', 'always', '--armor', '--encrypt', '-r', to], { input: text });
}

/* A product report without the clear details in drop, with details.encrypted. */
function reportWith(cipher, drop = ['environment', 'steps', 'result', 'impact', 'workaround']) {
  const b = productReport();
  for (const f of drop) deletePath(b, `details.${f}`);
  b.details.encrypted = cipher;
  return b;
}

const STORY = [
  'Environment: Example Router 2.1 firmware, Chrome 120',
  'Steps:',
  '1. Open http://192.0.2.1/admin',
  '2. Send the cookie admin=1',
  'Result: the admin page opens without a password (secret t1410)',
  'Workaround: block the admin port',
].join('\n');

before(async () => {
  srv = await startServer();
  bare = await startServer();
  await keikai(['pgp', 'init', '--db', srv.db]);
  const key = await fetch(srv.url + '/pgp-key.asc');
  assert.equal(key.status, 200);
  finder = newHome();
  const imported = spawnSync('gpg', ['--batch', '--quiet', '--homedir', finder, '--import'],
    { input: await key.text(), encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
  orgFpr = fprOf(finder);
  const other = newHome();
  gpg(other, ['--passphrase', '', '--pinentry-mode', 'loopback', '--quick-gen-key', 'Other <other@t1410.example>',
    'future-default', 'default', 'never'], { stdio: ['ignore', 'pipe', 'pipe'] });
  stranger = { home: other, fpr: fprOf(other) };
});

after(async () => {
  await srv?.stop();
  await bare?.stop();
  removeHomes();
});

async function staffView(trackingId) {
  const r = await api(srv.url, `/api/v1/reports/${rid(trackingId)}`, { token: srv.tokens.intake });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

function evidenceCount(trackingId) {
  return Number(sql(srv, `SELECT COUNT(*) FROM evidence e JOIN reports r ON r.id = e.report_id
    WHERE e.kind = 'ciphertext' AND r.tracking_id = '${trackingId}'`).trim());
}

test('API: the encrypted details fill the fields; staff see which came encrypted', async () => {
  const r = await postReport(srv.url, reportWith(sealed(STORY)));
  assert.equal(r.status, 201, r.text);
  const v = await staffView(r.json.tracking_id);
  assert.equal(v.details.environment, 'Example Router 2.1 firmware, Chrome 120');
  assert.equal(v.details.steps, '1. Open http://192.0.2.1/admin\n2. Send the cookie admin=1');
  assert.match(v.details.result, /secret t1410/);
  assert.equal(v.details.workaround, 'block the admin port');
  assert.deepEqual(v.encrypted_fields, ['environment', 'steps', 'result', 'workaround']);
  assert.equal(evidenceCount(r.json.tracking_id), 1, 'the ciphertext is kept as evidence');
  /* the page says so, in either language */
  const { jar } = await login(srv.url, USERS.intake.email);
  for (const [lang, text] of [['en', /Came encrypted to our OpenPGP key:\s*Environment in which you confirmed it, Steps to reproduce, Result, Workaround/],
    ['ja', /組織の OpenPGP 鍵で暗号化されて届いた項目:/]]) {
    const page = await browse(srv.url, `/intake/reports/${rid(r.json.tracking_id)}?lang=${lang}`, jar);
    assert.equal(page.status, 200);
    assert.match(page.text, /id="came-encrypted"/);
    assert.match(page.text, text, lang);
  }
  /* a plain report says nothing of the kind */
  const plain = await postReport(srv.url, productReport());
  assert.equal(plain.status, 201);
  assert.deepEqual((await staffView(plain.json.tracking_id)).encrypted_fields, []);
  assert.equal(evidenceCount(plain.json.tracking_id), 0);
});

test('API: Japanese headings with full-width colons, and the summary inside', async () => {
  const b = reportWith(sealed('概要：管理画面の認証回避\n環境：ルーター 2.1\n再現手順：\nCookie admin=1 を送る\n結果：管理画面が開く\n'),
    ['summary', 'environment', 'steps', 'result', 'impact', 'workaround']);
  const r = await postReport(srv.url, b, { lang: 'ja' });
  assert.equal(r.status, 201, r.text);
  const v = await staffView(r.json.tracking_id);
  assert.equal(v.details.summary, '管理画面の認証回避');
  assert.equal(v.details.steps, 'Cookie admin=1 を送る');
  assert.deepEqual(v.encrypted_fields, ['summary', 'environment', 'steps', 'result']);
});

test('API: what is wrong is named on details.encrypted, in the reader\'s language, and nothing is stored', async () => {
  const before = await queueLength(srv);
  const cases = [
    /* a detail both ways */
    [reportWith(sealed(STORY), ['environment', 'result', 'impact', 'workaround']), {
      en: /“Steps:” came both encrypted and in clear text/, ja: /「再現手順:」が暗号化と平文の両方/, also: 'details.steps' }],
    /* not armor */
    [reportWith('please decrypt me'), { en: /armored OpenPGP message/, ja: /ASCII 形式の OpenPGP メッセージ/ }],
    /* to someone else's key */
    [reportWith(sealed(STORY, stranger.fpr, stranger.home)), { en: /cannot be decrypted with the organisation's key/, ja: /組織の鍵で復号できません/ }],
    /* no headings: the required details are missing */
    [reportWith(sealed('It all breaks when you click.')), { en: /has no Environment:, Result:/, ja: /環境:、結果:|環境:, 結果:/ }],
  ];
  for (const [body, want] of cases) {
    for (const lang of ['en', 'ja']) {
      const r = await postReport(srv.url, body, { lang });
      assert.equal(r.status, 400, r.text);
      assert.match(r.json.fields['details.encrypted'] ?? '', want[lang], `${lang}: ${r.text}`);
      if (want.also) assert.ok(r.json.fields[want.also], `${want.also} is named too: ${r.text}`);
    }
  }
  assert.equal(await queueLength(srv), before, 'nothing was stored');
});

test('API: a server without a key of its own says so', async () => {
  const r = await postReport(bare.url, reportWith(sealed(STORY)), { lang: 'en' });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.fields['details.encrypted'], /no OpenPGP key/);
});

/* ---- the form ---- */

async function visitor(url) {
  const jar = new CookieJar();
  const page = await browse(url, '/report/product', jar);
  assert.equal(page.status, 200);
  return { jar, page, csrf: csrfField(page.text) };
}

function formFields(csrf, cipher, clearSteps = '') {
  return [
    ['csrf', csrf], ['finder.name', '暗号 太郎'], ['finder.email', 'sealed-form@example.jp'],
    ['consent.share_identity', 'false'], ['consent.direct_contact', 'false'], ['consent.credit', 'false'],
    ['product.name', 'ルーター'], ['details.summary', '管理画面の認証回避'],
    ['details.environment', ''], ['details.steps', clearSteps], ['details.result', ''],
    ['details.encrypted', cipher],
    ['other_reports.reported_elsewhere', 'false'], ['other_reports.vendor_told_directly', 'false'],
    ['wants_final_result', 'false'], ['encrypted_contact', 'false'],
  ];
}

function postForm(url, jar, fields, lang) {
  const { body, contentType } = multipartBody(fields);
  const headers = { 'content-type': contentType, 'content-length': body.length, cookie: jar.header() };
  if (lang) headers['accept-language'] = lang;
  return rawRequest(url, '/report/product', { headers, body });
}

test('form: the textarea is there only with a key, and the encrypted details are taken', async () => {
  const { jar, page, csrf } = await visitor(srv.url);
  assert.match(page.text, /<textarea\b[^>]*name="details\.encrypted"/);
  assert.match(page.text, /href="\/pgp-key\.asc"/);
  const none = await visitor(bare.url);
  assert.doesNotMatch(none.page.text, /name="details\.encrypted"/, 'no key: no encrypted details');

  const res = await postForm(srv.url, jar, formFields(csrf, sealed(STORY)));
  assert.equal(res.status, 303, res.text);
  const ids = sql(srv, "SELECT tracking_id FROM reports WHERE finder_email = 'sealed-form@example.jp'").trim().split('\n');
  assert.equal(ids.length, 1, ids.join(' '));
  const found = [await staffView(ids[0])];
  assert.deepEqual(found[0].encrypted_fields, ['environment', 'steps', 'result', 'workaround']);
});

test('form: a detail given both ways is shown next to both fields, in Japanese', async () => {
  const { jar, csrf } = await visitor(srv.url);
  const before = await queueLength(srv);
  const res = await postForm(srv.url, jar, formFields(csrf, sealed(STORY), '平文の手順'), 'ja');
  assert.equal(res.status, 400, res.text);
  const errs = fieldErrors(res.text);
  assert.ok(errs.includes('details.encrypted') && errs.includes('details.steps'), errs.join(' '));
  assert.match(res.text, /暗号化と平文の両方/);
  assert.equal(await queueLength(srv), before);
});
