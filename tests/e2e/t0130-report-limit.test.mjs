// t0130: anonymous report submission is limited per source address (issue 7):
// `keikai serve --report-limit N` lets one address submit N reports an hour
// through POST /api/v1/reports and the HTML forms together (default 30; 0: no
// limit). One more is answered 429 with Retry-After and a message in the
// requester's language, is refused before its body is read, and stores
// nothing. Contract: docs/api/reports.md, docs/cli/serve.md.
//
// Requests come from addresses of their own on the loopback network (127.0.0.x
// reaches the server on 127.0.0.1 with that source). The servers' clocks stand
// still (KEIKAI_NOW_FROZEN), so Retry-After is exact.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  startServer, serveOn, rawRequest, productReport, websiteReport, queueLength, outbox, csrfField, multipartBody,
} from './lib/server.mjs';

const T0 = Date.parse('2030-01-07T09:00:00Z') / 1000;
function clockAt(s) {
  return { KEIKAI_NOW: new Date((T0 + s) * 1000).toISOString().replace('.000Z', 'Z'), KEIKAI_NOW_FROZEN: '1' };
}

let srv; /* --report-limit 3, the clock at T0 */
before(async () => { srv = await startServer({ serveArgs: ['--report-limit', '3'], serveEnv: clockAt(0) }); });
after(async () => { await srv?.stop(); });

/* POST /api/v1/reports from the local address `from`. */
function postFrom(url, body, from, { lang = 'en', headers = {} } = {}) {
  const text = JSON.stringify(body);
  return rawRequest(url, '/api/v1/reports', {
    from, body: text,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'accept-language': lang, ...headers },
  });
}

/* A report whose finder e-mail names the test, to count its acknowledgements. */
function reportBy(email, kind = 'product') {
  const b = kind === 'product' ? productReport() : websiteReport();
  b.finder.email = email;
  return b;
}

test('an address over its limit is refused 429 with Retry-After, and nothing is stored', async () => {
  const before = await queueLength(srv);
  for (let i = 0; i < 3; i++) {
    const r = await postFrom(srv.url, reportBy('limit-a@example.jp'), '127.0.0.2');
    assert.equal(r.status, 201, r.text);
  }
  const over = await postFrom(srv.url, reportBy('limit-a@example.jp', 'website'), '127.0.0.2');
  assert.equal(over.status, 429, over.text);
  assert.equal(over.headers['retry-after'], '3600');
  assert.deepEqual(over.json, {
    error: 'Too many reports have come from your address within the hour; please try again in 60 minutes.',
    fields: {},
  });
  const ja = await postFrom(srv.url, reportBy('limit-a@example.jp'), '127.0.0.2', { lang: 'ja' });
  assert.equal(ja.status, 429);
  assert.equal(ja.json.error, 'このアドレスから 1 時間以内に届いた報告が多すぎます。60 分後にもう一度お試しください。');

  assert.equal(await queueLength(srv), before + 3, 'the refused reports are not stored');
  const acks = (await outbox(srv.db)).filter((m) => m.recipient === 'limit-a@example.jp');
  assert.equal(acks.length, 3, 'nor acknowledged');

  const other = await postFrom(srv.url, reportBy('limit-b@example.jp'), '127.0.0.3');
  assert.equal(other.status, 201, 'another address is not held up');
});

test('the refusal comes before the body is read', async () => {
  for (let i = 0; i < 3; i++) assert.equal((await postFrom(srv.url, productReport(), '127.0.0.4')).status, 201);
  // headers announcing an 8 MiB body and waiting for "100 Continue" before
  // sending it: the answer comes instead, and not a byte of the body is sent
  // (without Expect the body would be read and dropped, never kept)
  const u = new URL(srv.url);
  const res = await new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, path: '/api/v1/reports', method: 'POST', localAddress: '127.0.0.4',
      headers: {
        'content-type': 'application/json', 'content-length': 8 * 1024 * 1024, 'accept-language': 'en',
        expect: '100-continue',
      },
    }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (d) => { text += d; });
      r.on('end', () => resolve({ status: r.statusCode, headers: r.headers, text }));
    });
    req.on('error', reject);
    req.on('continue', () => reject(new Error('the server asked for the body')));
    req.flushHeaders();
  });
  assert.equal(res.status, 429, res.text);
  assert.equal(res.headers['retry-after'], '3600');
});

test('the HTML form counts against the same limit', async () => {
  for (let i = 0; i < 3; i++) assert.equal((await postFrom(srv.url, productReport(), '127.0.0.5')).status, 201);
  const page = await rawRequest(srv.url, '/report/product', { method: 'GET', from: '127.0.0.5', headers: { 'accept-language': 'en' } });
  assert.equal(page.status, 200);
  const cookie = (page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const { body, contentType } = multipartBody([['csrf', csrfField(page.text)], ['finder.name', 'Form Finder'],
    ['finder.email', 'limit-form@example.jp']]);
  const r = await rawRequest(srv.url, '/report/product', {
    from: '127.0.0.5', body,
    headers: { cookie, 'content-type': contentType, 'content-length': body.length, 'accept-language': 'en' },
  });
  assert.equal(r.status, 429);
  assert.equal(r.headers['retry-after'], '3600');
  assert.match(r.headers['content-type'], /^text\/html/);
  assert.ok(r.text.includes('Too many reports have come from your address within the hour; please try again in 60 minutes.'),
    r.text.slice(0, 300));
});

test('an hour later the address may submit again', async () => {
  for (let i = 0; i < 3; i++) assert.equal((await postFrom(srv.url, productReport(), '127.0.0.6')).status, 201);
  assert.equal((await postFrom(srv.url, productReport(), '127.0.0.6')).status, 429);
  const later = await serveOn(srv.db, { args: ['--report-limit', '3'], env: clockAt(3600) });
  try {
    const r = await postFrom(later.url, productReport(), '127.0.0.6');
    assert.equal(r.status, 201, r.text);
  } finally {
    await later.stop();
  }
});

test('by default an address may submit 30 reports an hour', async () => {
  const own = await startServer({ serverDefaults: true, serveEnv: clockAt(0) });
  try {
    for (let i = 0; i < 30; i++) {
      const r = await postFrom(own.url, productReport(), '127.0.0.7');
      assert.equal(r.status, 201, `report ${i + 1}: ${r.text}`);
    }
    const over = await postFrom(own.url, productReport(), '127.0.0.7');
    assert.equal(over.status, 429, over.text);
  } finally {
    await own.stop();
  }
});

test('keikai serve refuses a --report-limit that is not a count', async () => {
  const { keikai } = await import('./lib/server.mjs');
  const r = await keikai(['serve', '--db', srv.db, '--report-limit', 'many'], { allowFail: true });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--report-limit takes a number from 0 \(no limit\) to 1000000/);
});
