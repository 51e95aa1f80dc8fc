// t0140: Idempotency-Key on POST /api/v1/reports (issue 7; SPEC 2.1: a finder
// whose connection broke at the commit learns what became of the report, and
// it is stored once). The first answer (201 with the tracking id and the status
// URL) is kept with the report, in its transaction; a retry with the same key
// and the same body gets it again (Idempotent-Replayed: true) and stores
// nothing; the same key with another body is 422; a malformed key is 400
// naming the header; keys expire after 24 hours. Runs on both engines.
// Contract: docs/api/reports.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, serveOn, rawRequest, productReport, queueLength, outbox } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

/* POST /api/v1/reports with a raw body (a string, sent byte for byte). */
function post(url, text, { key, from, lang = 'en' } = {}) {
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'accept-language': lang };
  if (key !== undefined) headers['idempotency-key'] = key;
  return rawRequest(url, '/api/v1/reports', { from, body: text, headers });
}

function bodyFor(email) {
  const b = productReport();
  b.finder.email = email;
  return JSON.stringify(b);
}

async function acksTo(email) {
  return (await outbox(srv.db)).filter((m) => m.recipient === email && m.kind === 'acknowledgement').length;
}

test('a retry with the same key gets the first answer again and stores no second report', async () => {
  const key = randomUUID();
  const text = bodyFor('idem-1@example.jp');
  const before = await queueLength(srv);
  const first = await post(srv.url, text, { key });
  assert.equal(first.status, 201, first.text);
  assert.match(first.json.tracking_id, /^IPA#\d{8}$/);
  assert.match(first.json.status_url, /^\/r\/[A-Za-z0-9_-]+$/);
  assert.equal(first.headers['idempotent-replayed'], undefined);

  // the connection broke before the client read that: it sends the same again
  const again = await post(srv.url, text, { key });
  assert.equal(again.status, 201);
  assert.equal(again.text, first.text, 'the very same answer');
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.match(again.headers['content-type'], /^application\/json/);
  // from another address too: a retry may come over another network
  const moved = await post(srv.url, text, { key, from: '127.0.0.2' });
  assert.equal(moved.text, first.text);

  assert.equal(await queueLength(srv), before + 1, 'one report');
  assert.equal(await acksTo('idem-1@example.jp'), 1, 'one acknowledgement');
  const status = await rawRequest(srv.url, first.json.status_url, { method: 'GET', headers: { accept: 'application/json' } });
  assert.equal(status.status, 200, 'the status URL of the answer works');
  assert.equal(status.json.tracking_id, first.json.tracking_id);
});

test('the same key with another body is 422 and stores nothing', async () => {
  const key = randomUUID();
  assert.equal((await post(srv.url, bodyFor('idem-2@example.jp'), { key })).status, 201);
  const before = await queueLength(srv);
  const other = await post(srv.url, bodyFor('idem-2-other@example.jp'), { key });
  assert.equal(other.status, 422, other.text);
  assert.deepEqual(other.json, {
    error: 'This Idempotency-Key was already used with a different request body. Use a new key for a new report.',
    fields: {},
  });
  const ja = await post(srv.url, bodyFor('idem-2-other@example.jp'), { key, lang: 'ja' });
  assert.equal(ja.status, 422);
  assert.match(ja.json.error, /Idempotency-Key は、別の内容のリクエストで既に使われています/);
  assert.equal(await queueLength(srv), before);
  assert.equal(await acksTo('idem-2-other@example.jp'), 0);
});

test('a malformed Idempotency-Key is 400 naming the header, and nothing is stored', async () => {
  const before = await queueLength(srv);
  for (const key of ['', 'k'.repeat(256), 'tab\there', 'caf\u00e9']) {
    const r = await post(srv.url, bodyFor('idem-3@example.jp'), { key });
    assert.equal(r.status, 400, `${JSON.stringify(key)}: ${r.text}`);
    assert.equal(r.json.error, 'The Idempotency-Key header must be 1 to 255 printable ASCII characters.');
  }
  assert.equal((await post(srv.url, bodyFor('idem-3@example.jp'), { key: 'k'.repeat(255) })).status, 201,
    '255 characters are fine');
  assert.equal(await queueLength(srv), before + 1);
});

test('requests racing with one key store one report, and all get its answer', async () => {
  const key = randomUUID();
  const text = bodyFor('idem-4@example.jp');
  const before = await queueLength(srv);
  const answers = await Promise.all(Array.from({ length: 8 }, () => post(srv.url, text, { key })));
  for (const a of answers) assert.equal(a.status, 201, a.text);
  assert.equal(new Set(answers.map((a) => a.text)).size, 1, 'one answer for all');
  assert.equal(await queueLength(srv), before + 1);
  assert.equal(await acksTo('idem-4@example.jp'), 1);
});

test('a retry is answered even once the address is at its report limit', async () => {
  const own = await startServer({ serveArgs: ['--report-limit', '1'] });
  try {
    const key = randomUUID();
    const text = bodyFor('idem-5@example.jp');
    const first = await post(own.url, text, { key, from: '127.0.0.3' });
    assert.equal(first.status, 201);
    const again = await post(own.url, text, { key, from: '127.0.0.3' });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.text, first.text);
    const fresh = await post(own.url, bodyFor('idem-5@example.jp'), { key: randomUUID(), from: '127.0.0.3' });
    assert.equal(fresh.status, 429, 'a new report is over the limit');
  } finally {
    await own.stop();
  }
});

test('a key is forgotten 24 hours after its report', async () => {
  const key = randomUUID();
  const text = bodyFor('idem-6@example.jp');
  const first = await post(srv.url, text, { key });
  assert.equal(first.status, 201);
  const at = new Date(Date.now() + (24 * 3600 + 60) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const later = await serveOn(srv.db, { env: { KEIKAI_NOW: at } });
  try {
    const again = await post(later.url, text, { key });
    assert.equal(again.status, 201, again.text);
    assert.notEqual(again.json.tracking_id, first.json.tracking_id, 'a new report');
    assert.equal(again.headers['idempotent-replayed'], undefined);
  } finally {
    await later.stop();
  }
});
