// t0320: sign-in throttling as an attacker would try it (issue 7; SPEC 1: a
// password cannot be guessed through the login form, and nobody can lock
// another out). Failures count per account and per source address; past a few,
// each attempt waits 1 s, 2 s, 4 s … (at most 60 s for an account) after the
// last, and one that comes earlier is answered 429 with Retry-After, its
// password unchecked. There is no lock-out.
//
// Each request comes from an address of its own on the loopback network
// (127.0.0.x: the server on 127.0.0.1 sees it as the source). The servers'
// clocks stand still (KEIKAI_NOW_FROZEN), so no assertion depends on how fast
// the test runs; a later second is another server on the same database whose
// clock stands later.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serveOn, rawRequest, csrfField, PASSWORD } from './lib/server.mjs';

const T0 = Date.parse('2030-01-07T09:00:00Z') / 1000;

/* The environment of a server whose clock stands `s` seconds after T0. */
function clockAt(s) {
  return { KEIKAI_NOW: new Date((T0 + s) * 1000).toISOString().replace('.000Z', 'Z'), KEIKAI_NOW_FROZEN: '1' };
}

const USER = (email) => ({ email, org: 'IPA', role: 'intake', name: email });

let s0;  /* the clock at T0 */
let s1;  /* the same database, the clock at T0 + 1 s */
before(async () => {
  s0 = await startServer({
    serveEnv: clockAt(0),
    extraUsers: ['victim@ipa.example', 'real@ipa.example', 'reset@ipa.example', 'grow@ipa.example'].map(USER),
  });
  s1 = await serveOn(s0.db, { env: clockAt(1) });
});
after(async () => {
  await s1?.stop();
  await s0?.stop();
});

/*
 * Signs in through the HTML form from the local address `from`: GET /login for
 * the CSRF cookie and field, then POST /login. Resolves {status, headers, text,
 * signedIn}.
 */
async function signIn(url, email, password, from, lang = 'en') {
  const page = await rawRequest(url, '/login', { method: 'GET', headers: { 'accept-language': lang }, from });
  assert.equal(page.status, 200, page.text);
  const cookie = (page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const body = new URLSearchParams({ email, password, csrf: csrfField(page.text) ?? '' }).toString();
  const res = await rawRequest(url, '/login', {
    method: 'POST', from, body,
    headers: {
      cookie, 'accept-language': lang,
      'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body),
    },
  });
  const signedIn = (res.headers['set-cookie'] ?? []).some((c) => /^kk_session=[^;]+/.test(c));
  return { ...res, signedIn };
}

/* Asserts a refusal for the delay: 429, Retry-After, the message on the page. */
function assertThrottled(res, seconds, what) {
  assert.equal(res.status, 429, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
  assert.equal(res.signedIn, false, what);
  assert.equal(res.headers['retry-after'], String(seconds), what);
  const msg = seconds === 1 ? 'Too many attempts; try again in 1 second.'
    : `Too many attempts; try again in ${seconds} seconds.`;
  assert.ok(res.text.includes(msg), `${what}: the page says "${msg}"`);
}

test('a stranger\'s failures slow the account down, but its owner signs in once the delay is over', async () => {
  for (let i = 0; i < 3; i++) {
    const r = await signIn(s0.url, 'victim@ipa.example', `guess-${i}`, '127.0.0.2');
    assert.equal(r.status, 401, `guess ${i + 1} is checked`);
  }
  // the delay runs: even the right password is not checked, and hammering
  // does not make the delay any longer (an early attempt counts for nothing)
  for (let i = 0; i < 15; i++) {
    assertThrottled(await signIn(s0.url, 'victim@ipa.example', i ? `guess-x${i}` : PASSWORD, '127.0.0.2'), 1,
      `early attempt ${i + 1}`);
  }
  assertThrottled(await signIn(s0.url, 'victim@ipa.example', PASSWORD, '127.0.0.9'), 1, 'the owner, meanwhile');
  const ja = await signIn(s0.url, 'victim@ipa.example', PASSWORD, '127.0.0.9', 'ja');
  assert.equal(ja.status, 429);
  assert.ok(ja.text.includes('試行が多すぎます。1 秒後にもう一度お試しください。'), 'the message in Japanese');

  // one second later (another server on the database, its clock a second on)
  const owner = await signIn(s1.url, 'victim@ipa.example', PASSWORD, '127.0.0.9');
  assert.equal(owner.status, 303, owner.text.slice(0, 200));
  assert.ok(owner.signedIn, 'the owner is in');
});

test('the owner\'s usual address is not held up by a stranger\'s guesses', async () => {
  // victim@ last signed in from 127.0.0.9 (the test above, or now)
  assert.ok((await signIn(s1.url, 'victim@ipa.example', PASSWORD, '127.0.0.9')).signedIn);
  for (let i = 0; i < 3; i++) {
    assert.equal((await signIn(s1.url, 'victim@ipa.example', `guess-${i}`, '127.0.0.3')).status, 401);
  }
  assertThrottled(await signIn(s1.url, 'victim@ipa.example', PASSWORD, '127.0.0.3'), 1, 'the stranger');
  assertThrottled(await signIn(s1.url, 'victim@ipa.example', PASSWORD, '127.0.0.10'), 1, 'an unknown address');
  const owner = await signIn(s1.url, 'victim@ipa.example', PASSWORD, '127.0.0.9');
  assert.equal(owner.status, 303, 'the usual address gets in at once');
});

test('one address trying many e-mails is slowed, whatever the e-mails', async () => {
  for (let i = 0; i < 10; i++) {
    const r = await signIn(s0.url, `nobody-${i}@ipa.example`, 'password1', '127.0.0.4');
    assert.equal(r.status, 401, `e-mail ${i + 1} is checked`);
  }
  assertThrottled(await signIn(s0.url, 'nobody-10@ipa.example', 'password1', '127.0.0.4'), 1, 'the 11th e-mail');
  assertThrottled(await signIn(s0.url, 'real@ipa.example', PASSWORD, '127.0.0.4'), 1, 'a real user at that address');
  const elsewhere = await signIn(s0.url, 'real@ipa.example', PASSWORD, '127.0.0.5');
  assert.equal(elsewhere.status, 303, 'the same user from another address');
});

test('the right password resets the account\'s count', async () => {
  for (let i = 0; i < 2; i++) {
    assert.equal((await signIn(s0.url, 'reset@ipa.example', `wrong-${i}`, '127.0.0.6')).status, 401);
  }
  assert.equal((await signIn(s0.url, 'reset@ipa.example', PASSWORD, '127.0.0.6')).status, 303);
  for (let i = 0; i < 3; i++) {
    const r = await signIn(s0.url, 'reset@ipa.example', `wrong-again-${i}`, '127.0.0.7');
    assert.equal(r.status, 401, `failure ${i + 1} after the sign-in is free`);
  }
  assertThrottled(await signIn(s0.url, 'reset@ipa.example', PASSWORD, '127.0.0.7'), 1, 'the fourth');
});

test('the delay grows: 1 s, then 2 s, then 4 s', async () => {
  const s3 = await serveOn(s0.db, { env: clockAt(3) });
  try {
    for (let i = 0; i < 3; i++) {
      assert.equal((await signIn(s0.url, 'grow@ipa.example', 'wrong', `127.0.1.${i}`)).status, 401);
    }
    assertThrottled(await signIn(s0.url, 'grow@ipa.example', 'wrong', '127.0.1.10'), 1, 'after 3 failures');
    assert.equal((await signIn(s1.url, 'grow@ipa.example', 'wrong', '127.0.1.11')).status, 401, 'a second later');
    assertThrottled(await signIn(s1.url, 'grow@ipa.example', 'wrong', '127.0.1.12'), 2, 'after 4 failures');
    assert.equal((await signIn(s3.url, 'grow@ipa.example', 'wrong', '127.0.1.13')).status, 401, 'two seconds later');
    assertThrottled(await signIn(s3.url, 'grow@ipa.example', PASSWORD, '127.0.1.14'), 4, 'after 5 failures');
  } finally {
    await s3.stop();
  }
});
