// t0900: one memory budget for the request bodies the server holds, across all
// connections (issue 7: four hundred unauthenticated connections each holding an
// 11 MiB body just short of its end took the server to 4.6 GB).
// `keikai serve --body-budget SIZE`: a request whose body would pass what is
// left is answered 503 with Retry-After before its body is read, and its
// connection is closed; the memory comes back when a request ends.
// Contract: docs/cli/serve.md. bench/body_budget.sh measures the server's memory.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, keikai, productReport, queueLength } from './lib/server.mjs';

const BUDGET = 256 * 1024;
const SIZE = 160 * 1024; /* one body fits in the budget, two do not */

let srv;
before(async () => { srv = await startServer({ serveArgs: ['--body-budget', '256K'] }); });
after(async () => { await srv?.stop(); });

/* A valid report body of exactly n bytes (JSON, padded in details.steps and
 * details.environment, each at most 100,000 characters). */
function reportOfSize(n) {
  const b = productReport();
  b.details.steps = '';
  b.details.environment = 'e';
  const pad = n - Buffer.byteLength(JSON.stringify(b));
  assert.ok(pad > 0 && pad < 190000);
  b.details.steps = 'x'.repeat(Math.min(pad, 90000));
  b.details.environment = 'e' + 'y'.repeat(pad - Math.min(pad, 90000));
  const text = JSON.stringify(b);
  assert.equal(Buffer.byteLength(text), n);
  return text;
}

/*
 * A request that sends its headers and then the body only when told:
 * {send(bytes), end(), response} where response resolves {status, headers,
 * text, closed} (closed: the server closed the connection after answering).
 */
function slowUpload(path, { contentType = 'application/json', length, chunked = false, accept, expectContinue = false } = {}) {
  const u = new URL(srv.url);
  const headers = { 'content-type': contentType, 'accept-language': 'en' };
  if (accept) headers.accept = accept;
  if (expectContinue) headers.expect = '100-continue';
  if (chunked) headers['transfer-encoding'] = 'chunked';
  else headers['content-length'] = length;
  const req = http.request({ host: u.hostname, port: u.port, path, method: 'POST', headers, agent: false });
  /* with Expect: 100-continue, the server's "100 Continue" says its header
   * phase is over: the request holds its share of the budget */
  const continued = new Promise((r) => req.once('continue', r));
  const response = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        const sock = res.socket;
        const closed = new Promise((r) => (sock.destroyed ? r(true) : sock.once('close', () => r(true))));
        resolve({ status: res.statusCode, headers: res.headers, text, closed });
      });
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  return {
    send: (bytes) => new Promise((r) => req.write(bytes, r)),
    end: () => req.end(),
    response,
    continued,
  };
}

test('a second slow upload that would pass the budget is refused 503; after the first, a new one fits', async () => {
  const text = reportOfSize(SIZE);
  const before = await queueLength(srv);
  const first = slowUpload('/api/v1/reports', { length: SIZE, expectContinue: true });
  await first.continued; /* the server has taken its share (not a race with the second) */
  await first.send(text.slice(0, 1000)); /* it holds its share, its body far from the end */

  const second = slowUpload('/api/v1/reports', { length: SIZE });
  const refused = await second.response;
  assert.equal(refused.status, 503, refused.text);
  assert.equal(refused.headers['retry-after'], '5');
  assert.equal(refused.headers.connection, 'close');
  assert.deepEqual(JSON.parse(refused.text), {
    error: 'The server is receiving too much at once; please try again in a few seconds.',
    fields: {},
  });
  assert.equal(await refused.closed, true, 'its connection is closed');

  await first.send(text.slice(1000));
  first.end();
  const stored = await first.response;
  assert.equal(stored.status, 201, stored.text);
  /* the share comes back when the server has ended the request, which it does
   * in its own time after the answer has gone: until then a new one may still
   * be refused (and nothing of it is stored) */
  let third;
  for (let i = 0; i < 100; i++) {
    const up = slowUpload('/api/v1/reports', { length: SIZE, expectContinue: true });
    /* the body goes only once the server has said 100 Continue */
    if ((await Promise.race([up.continued.then(() => 'go'), up.response.then(() => 'answered')])) === 'go') {
      await up.send(text);
      up.end();
    }
    third = await up.response;
    if (third.status !== 503) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(third.status, 201, 'the first one\'s share came back');
  assert.equal(await queueLength(srv), before + 2);
});

test('a chunked body, its length unknown, needs room for the largest body (12 MiB)', async () => {
  const before = await queueLength(srv);
  const up = slowUpload('/api/v1/reports', { chunked: true });
  const r = await up.response; /* before a byte of the body */
  assert.equal(r.status, 503, r.text);
  assert.equal(r.headers.connection, 'close');
  assert.equal(await r.closed, true);
  assert.equal(await queueLength(srv), before);
});

test('the report form is refused with an HTML page in the requester\'s language', async () => {
  const up = slowUpload('/report/product', {
    contentType: 'multipart/form-data; boundary=----keikai-e2e-budget', length: BUDGET + 1,
  });
  const r = await up.response;
  assert.equal(r.status, 503);
  assert.match(r.headers['content-type'], /^text\/html/);
  assert.ok(r.text.includes('The server is receiving too much at once; please try again in a few seconds.'));
});

test('keikai serve refuses a budget it cannot use', async () => {
  for (const v of ['10', '1T', 'lots']) {
    const r = await keikai(['serve', '--db', srv.db, '--body-budget', v], { allowFail: true });
    assert.equal(r.code, 2, v);
    assert.match(r.stderr, /--body-budget takes a size of at least 64K, such as 256M/);
  }
});
