// t0120: the finder's HTML report forms (/report/product, /report/website)
// over plain HTTP: the form contract (field names are the JSON paths), a good
// submission redirects to the status page, bad input re-shows the form with
// field errors and stores nothing, and a multipart body is read whole however
// the network splits it. SPEC 2.1, SPEC 3.1. The browser test
// tests/browser/t0100-report-flow.test.mjs drives the same form in Chromium.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  startServer, api, rid, outbox, queueLength, CookieJar, browse, csrfField,
  multipartBody, rawRequest, segmentedRequest, fieldErrors,
} from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const TEXT_FIELDS = ['finder.name', 'finder.email', 'finder.organization', 'finder.phone', 'finder.pgp_key',
  'consent.credit_name', 'details.summary', 'details.environment', 'details.steps', 'details.result',
  'details.impact', 'details.workaround', 'details.cvss_vector', 'other_reports.to_whom'];
const RADIOS = {
  'consent.share_identity': ['true', 'false'],
  'consent.direct_contact': ['true', 'false'],
  'consent.credit': ['true', 'false'],
  'other_reports.reported_elsewhere': ['true', 'false'],
  'other_reports.vendor_told_directly': ['true', 'false'],
  'other_reports.coordinated_by': ['receiving_org', 'direct'],
  'wants_final_result': ['true', 'false'],
  'encrypted_contact': ['true', 'false'],
};

/* The <input>/<textarea>/<select> tags naming a field. */
function controls(html, name) {
  const esc = name.replace(/[.[\]]/g, (c) => `\\${c}`);
  return [...html.matchAll(new RegExp(`<(input|textarea|select)\\b[^>]*\\bname=["']${esc}["'][^>]*>`, 'gi'))].map((m) => m[0]);
}

function goodFields(csrf, kind = 'product') {
  const f = [
    ['csrf', csrf],
    ['finder.name', '山田 太郎'],
    ['finder.email', 'form-finder@example.jp'],
    ['finder.organization', ''],
    ['finder.phone', ''],
    ['finder.pgp_key', ''],
    ['consent.share_identity', 'false'],
    ['consent.direct_contact', 'true'],
    ['consent.credit', 'true'],
    ['consent.credit_name', 'やまだ'],
    ['details.summary', 'ログイン画面の認証回避'],
    ['details.environment', 'e'],
    ['details.steps', '1. 開く\r\n2. 送る'],
    ['details.result', 'r'],
    ['details.impact', ''],
    ['details.workaround', ''],
    ['details.cvss_vector', ''],
    ['other_reports.reported_elsewhere', 'false'],
    ['other_reports.to_whom', ''],
    ['other_reports.vendor_told_directly', 'false'],
    ['wants_final_result', 'true'],
    ['encrypted_contact', 'false'],
  ];
  if (kind === 'product') f.push(['product.vendor', 'サンプル電機'], ['product.name', 'ルーター'], ['product.version', '1']);
  else f.push(['website.url', 'https://www.example.jp/login']);
  return f;
}

/* A visitor with the form's CSRF cookie and field. */
async function visitor(kind = 'product', lang) {
  const jar = new CookieJar();
  const page = await browse(srv.url, `/report/${kind}`, jar, { lang });
  assert.equal(page.status, 200, `GET /report/${kind}`);
  const csrf = csrfField(page.text);
  assert.ok(csrf, 'the form has a hidden csrf field');
  return { jar, csrf, page };
}

function postForm(kind, jar, fields, files, lang) {
  const { body, contentType } = multipartBody(fields, files);
  const headers = { 'content-type': contentType, 'content-length': body.length, cookie: jar.header() };
  if (lang) headers['accept-language'] = lang;
  return rawRequest(srv.url, `/report/${kind}`, { headers, body });
}

// SPEC 2.1: the form asks for every item of the report.
test('the product form has every field of the contract', async () => {
  const { page } = await visitor('product');
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const form = /<form\b[^>]*>/gi;
  const tags = [...page.text.matchAll(form)].map((m) => m[0]);
  assert.ok(tags.some((t) => /method=["']?post/i.test(t) && /enctype=["']?multipart\/form-data/i.test(t)),
    'a POST multipart/form-data form');
  for (const name of [...TEXT_FIELDS, 'product.vendor', 'product.name', 'product.version']) {
    assert.ok(controls(page.text, name).length >= 1, `a control named ${name}`);
  }
  for (const [name, values] of Object.entries(RADIOS)) {
    const radios = controls(page.text, name);
    for (const v of values) {
      const r = radios.find((t) => new RegExp(`value=["']${v}["']`).test(t));
      assert.ok(r && /type=["']?radio/i.test(r), `radio ${name}=${v}`);
      assert.ok(!/\bchecked\b/i.test(r), `radio ${name}=${v} starts unchecked`);
    }
  }
  const file = controls(page.text, 'attachments')[0];
  assert.ok(file && /type=["']?file/i.test(file) && /\bmultiple\b/i.test(file), 'a multiple file input named attachments');
  assert.equal(controls(page.text, 'website.url').length, 0, 'no website.url on the product form');
});

// SPEC 3.1
test('the web-site form has website.url and no product fields', async () => {
  const { page } = await visitor('website');
  assert.equal(controls(page.text, 'website.url').length, 1);
  for (const name of ['product.vendor', 'product.name', 'product.version']) {
    assert.equal(controls(page.text, name).length, 0, `no ${name} on the web-site form`);
  }
  for (const name of TEXT_FIELDS) assert.ok(controls(page.text, name).length >= 1, `a control named ${name}`);
});

// SPEC 2.1
test('a good product form redirects (303) to the status page and stores the report', async () => {
  const { jar, csrf } = await visitor('product');
  const poc = Buffer.from('PoC\x00\x01\xff binary', 'latin1');
  const r = await postForm('product', jar, goodFields(csrf), [{ field: 'attachments', filename: 'poc.bin', contentType: 'application/octet-stream', data: poc }]);
  assert.equal(r.status, 303, `303 expected: ${r.status} ${fieldErrors(r.text)}`);
  const loc = new URL(r.headers.location, srv.url).pathname;
  assert.match(loc, /^\/r\/[A-Za-z0-9_-]{22,}$/);

  const s = await api(srv.url, loc, { accept: 'text/html' });
  assert.equal(s.status, 200);
  const tid = /id=["']tracking-id["'][^>]*>[^<]*?(IPA#\d{8})/.exec(s.text)?.[1];
  assert.ok(tid, 'the status page shows #tracking-id');
  assert.match(s.text, /id=["']report-status["'][^>]*data-status=["']received["']|data-status=["']received["'][^>]*id=["']report-status["']/);

  const g = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake });
  assert.equal(g.status, 200);
  assert.equal(g.json.kind, 'product');
  assert.equal(g.json.finder.name, '山田 太郎');
  assert.equal(g.json.finder.email, 'form-finder@example.jp');
  assert.equal(g.json.consent.share_identity, false);
  assert.equal(g.json.consent.direct_contact, true);
  assert.equal(g.json.consent.credit, true);
  assert.equal(g.json.consent.credit_name, 'やまだ');
  assert.equal(g.json.product.name, 'ルーター');
  assert.equal(g.json.product.version, '1');
  assert.equal(g.json.details.environment, 'e');
  assert.equal(g.json.details.result, 'r');
  assert.equal(g.json.details.steps.replace(/\r\n/g, '\n'), '1. 開く\n2. 送る');
  assert.equal(g.json.wants_final_result, true);
  assert.equal(g.json.attachments.length, 1);
  assert.equal(g.json.attachments[0].filename, 'poc.bin');
  assert.equal(g.json.attachments[0].size, poc.length);
  assert.equal(g.json.attachments[0].sha256, createHash('sha256').update(poc).digest('hex'));
  const ack = (await outbox(srv.db)).filter((m) => m.report === tid && m.recipient === 'form-finder@example.jp');
  assert.equal(ack.length, 1, 'the finder is acknowledged');
});

// SPEC 3.1
test('a good web-site form is stored as a web-site report', async () => {
  const { jar, csrf } = await visitor('website');
  const r = await postForm('website', jar, goodFields(csrf, 'website'));
  assert.equal(r.status, 303, `303 expected: ${r.status} ${fieldErrors(r.text)}`);
  const s = await api(srv.url, new URL(r.headers.location, srv.url).pathname, { accept: 'application/json' });
  assert.equal(s.json.kind, 'website');
  const g = await api(srv.url, `/api/v1/reports/${rid(s.json.tracking_id)}`, { token: srv.tokens.intake });
  assert.equal(g.json.website.url, 'https://www.example.jp/login');
});

// SPEC 2.1: bad input re-shows the form with the errors; nothing is stored.
test('a bad form shows field errors next to the fields and stores nothing', async () => {
  const { jar, csrf } = await visitor('product');
  const q0 = await queueLength(srv);
  const o0 = (await outbox(srv.db)).length;
  const fields = goodFields(csrf)
    .filter(([k]) => !['consent.share_identity', 'details.steps'].includes(k))
    .map(([k, v]) => [k, k === 'finder.email' ? 'not-an-email' : v]);
  const r = await postForm('product', jar, fields, [], 'ja');
  assert.equal(r.status, 400, 'the form again, no redirect, for a bad form');
  assert.match(r.headers['content-type'] ?? '', /^text\/html/);
  const errs = fieldErrors(r.text);
  for (const f of ['finder.email', 'consent.share_identity', 'details.steps']) assert.ok(errs.includes(f), `error for ${f}: ${errs}`);
  assert.ok(!errs.includes('finder.name'), 'no error for a good field');
  assert.match(r.text, /role=["']alert["']/, 'an error summary');
  assert.match(r.text, /[\u3040-\u30ff\u4e00-\u9fff]/);
  // What was typed is kept.
  assert.ok(r.text.includes('山田 太郎'));
  assert.ok(r.text.includes('ログイン画面の認証回避'));
  assert.equal(await queueLength(srv), q0, 'nothing stored');
  assert.equal((await outbox(srv.db)).length, o0, 'no message');
});

test('?lang=en gives English errors and sets kk_lang', async () => {
  const jar = new CookieJar();
  const page = await browse(srv.url, '/report/product?lang=en', jar, { lang: 'ja' });
  assert.equal(page.status, 200);
  assert.ok(jar.get('kk_lang')?.startsWith('en'), 'kk_lang cookie');
  const fields = goodFields(csrfField(page.text)).map(([k, v]) => [k, k === 'finder.email' ? 'nope' : v]);
  const r = await postForm('product', jar, fields, [], 'ja');
  const msg = new RegExp('<p\\b[^>]*data-field=["\']finder\\.email["\'][^>]*>([^<]*)<').exec(r.text)?.[1]
    ?? new RegExp('<p\\b[^>]*class=["\']field-error["\'][^>]*data-field=["\']finder\\.email["\'][^>]*>([\\s\\S]*?)</p>').exec(r.text)?.[1];
  assert.ok(msg && msg.trim().length > 0, 'the e-mail error has a message');
  assert.match(msg.trim(), /^[\x20-\x7e]+$/, `English message: ${msg}`);
});

// A multipart body is read whole however the network splits it into reads.
test('a form whose parts arrive in separate reads is read whole', async () => {
  const { jar, csrf } = await visitor('product');
  const { parts, contentType } = multipartBody(goodFields(csrf));
  const r = await segmentedRequest(srv.url, '/report/product', {
    headers: { 'content-type': contentType, cookie: jar.header() }, pieces: parts,
  });
  assert.equal(r.status, 303, `303 expected: ${r.status}; fields the server lost: ${fieldErrors(r.text).join(", ") || r.text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").slice(0, 300)}`);
  const s = await api(srv.url, new URL(r.headers.location, srv.url).pathname, { accept: 'application/json' });
  const g = await api(srv.url, `/api/v1/reports/${rid(s.json.tracking_id)}`, { token: srv.tokens.intake });
  assert.equal(g.json.details.environment, 'e');
  assert.equal(g.json.details.result, 'r');
  assert.equal(g.json.product.version, '1');
});

test('a form whose values and headers are split across reads is read whole', async () => {
  const { jar, csrf } = await visitor('product');
  const fields = goodFields(csrf).map(([k, v]) => [k, k === 'details.environment' ? 'Linux 6.1 on x86_64 with Chromium 120' : v]);
  const { body, contentType } = multipartBody(fields);
  /* cut 2 bytes into every value of 4 bytes or more, and in the middle of every part header */
  const cuts = new Set();
  let at = 0;
  const text = body.toString('latin1');
  for (const [, v] of fields) {
    const head = text.indexOf('Content-Disposition', at);
    cuts.add(head + 10);
    const start = text.indexOf('\r\n\r\n', head) + 4;
    if (Buffer.byteLength(v) >= 4) cuts.add(start + 2);
    at = start;
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces = sorted.map((c, i) => body.subarray(i ? sorted[i - 1] : 0, c));
  pieces.push(body.subarray(sorted.at(-1)));
  const r = await segmentedRequest(srv.url, '/report/product', {
    headers: { 'content-type': contentType, cookie: jar.header() }, pieces, pauseMs: 10,
  });
  assert.equal(r.status, 303, `303 expected: ${r.status}; fields the server lost: ${fieldErrors(r.text).join(", ") || r.text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").slice(0, 300)}`);
  const s = await api(srv.url, new URL(r.headers.location, srv.url).pathname, { accept: 'application/json' });
  const g = await api(srv.url, `/api/v1/reports/${rid(s.json.tracking_id)}`, { token: srv.tokens.intake });
  assert.equal(g.json.details.environment, 'Linux 6.1 on x86_64 with Chromium 120');
  assert.equal(g.json.finder.name, '山田 太郎');
  assert.equal(g.json.details.summary, 'ログイン画面の認証回避');
  assert.equal(g.json.product.vendor, 'サンプル電機');
});
