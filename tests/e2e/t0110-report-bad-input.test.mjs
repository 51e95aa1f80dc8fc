// t0110: bad input to POST /api/v1/reports is normal. Every fault gets the
// documented error shape ({"error", "fields"}), the right status, a message
// in the requester's language, and stores nothing (no report, no message).
// Contract: docs/api/reports.md; SPEC 2.1 and 3.1 list the required items.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, postReport, rawRequest, productReport, websiteReport, outbox, queueLength,
  deletePath, setPath,
} from './lib/server.mjs';

const MiB = 1024 * 1024;
const JAPANESE_RE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const ASCII_ENGLISH_RE = /^[\x20-\x7e]*[A-Za-z][\x20-\x7e]*$/;

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

/* The error shape every error answer has. */
function assertErrorShape(r, status) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text.slice(0, 500)}`);
  assert.ok(r.json && typeof r.json === 'object', `error body is JSON: ${r.text.slice(0, 500)}`);
  assert.equal(typeof r.json.error, 'string');
  assert.ok(r.json.error.length > 0, 'error is not empty');
  assert.ok(r.json.fields && typeof r.json.fields === 'object' && !Array.isArray(r.json.fields),
    `fields is an object: ${r.text.slice(0, 500)}`);
  for (const [k, v] of Object.entries(r.json.fields)) {
    assert.ok(typeof v === 'string' && v.length > 0, `fields[${k}] is a non-empty message`);
  }
}

/*
 * Sends a bad request and checks: the status, the error shape, the field
 * named (exactly `field`, or some key starting with `fieldPrefix`), and that
 * neither the intake queue nor the outbox grew.
 */
async function expectRejected(send, { status = 400, field, fieldPrefix } = {}) {
  const q0 = await queueLength(srv);
  const o0 = (await outbox(srv.db)).length;
  const r = await send();
  assertErrorShape(r, status);
  if (field !== undefined) {
    assert.ok(typeof r.json.fields[field] === 'string' && r.json.fields[field].length > 0,
      `fields[${JSON.stringify(field)}] is set: ${JSON.stringify(r.json)}`);
  }
  if (fieldPrefix !== undefined) {
    assert.ok(Object.keys(r.json.fields).some((k) => k.startsWith(fieldPrefix)),
      `some fields key starts with ${fieldPrefix}: ${JSON.stringify(r.json)}`);
  }
  assert.equal(await queueLength(srv), q0, 'nothing stored: the intake queue has not grown');
  assert.equal((await outbox(srv.db)).length, o0, 'nothing stored: the outbox has not grown');
  return r;
}

function b64(n, byte = 0x41) {
  return Buffer.alloc(n, byte).toString('base64');
}

function attachment(i = 0) {
  return { filename: `poc${i}.txt`, content_type: 'text/plain', data_base64: Buffer.from(`PoC ${i}\n`).toString('base64') };
}

// A good report still goes in, so the rejections below are about the faults.
test('control: the unmodified bodies are accepted', async () => {
  assert.equal((await postReport(srv.url, productReport())).status, 201);
  assert.equal((await postReport(srv.url, websiteReport())).status, 201);
});

// ---- required fields (SPEC 2.1 ア–ケ, SPEC 3.1, P 1) -----------------------

const REQUIRED = [
  ['kind', productReport],
  ['finder.name', productReport],                     // SPEC 2.1 ア
  ['finder.email', productReport],                    // SPEC 2.1 イ
  ['consent.share_identity', productReport],          // SPEC 2.1 ウ
  ['consent.direct_contact', productReport],          // SPEC 2.1 エ
  ['consent.credit', productReport],                  // SPEC 2.1 オ
  ['product.name', productReport],                    // SPEC 2.1 カ
  ['website.url', websiteReport],                     // SPEC 3.1
  ['details.summary', productReport],                 // SPEC 2.1 キ
  ['details.environment', productReport],             // SPEC 2.1 キ
  ['details.steps', productReport],                   // SPEC 2.1 キ
  ['details.result', productReport],                  // SPEC 2.1 キ
  ['other_reports.reported_elsewhere', productReport], // SPEC 2.1 ケ
  ['other_reports.vendor_told_directly', productReport], // G IV.2.3
  ['wants_final_result', productReport],              // P 1
  ['encrypted_contact', productReport],               // P 1
];

for (const [p, make] of REQUIRED) {
  // SPEC 2.1
  test(`missing ${p} -> 400 with fields[${p}]`, async () => {
    const body = deletePath(make(), p);
    await expectRejected(() => postReport(srv.url, body), { field: p });
  });
}

for (const [p, make] of REQUIRED) {
  // SPEC 2.1
  test(`null ${p} -> 400 with fields[${p}]`, async () => {
    const body = setPath(make(), p, null);
    await expectRejected(() => postReport(srv.url, body), { field: p });
  });
}

for (const p of ['finder.name', 'finder.email', 'product.name', 'details.summary', 'details.environment', 'details.steps', 'details.result']) {
  // SPEC 2.1
  test(`empty ${p} -> 400 with fields[${p}]`, async () => {
    const body = setPath(productReport(), p, '');
    await expectRejected(() => postReport(srv.url, body), { field: p });
  });
}

// SPEC 3.1
test('empty website.url -> 400', async () => {
  const body = websiteReport();
  body.website.url = '';
  await expectRejected(() => postReport(srv.url, body), { field: 'website.url' });
});

// SPEC 2.1 カ
test('a product report without the product object -> fields[product.name]', async () => {
  const body = productReport();
  delete body.product;
  await expectRejected(() => postReport(srv.url, body), { field: 'product.name' });
});

// SPEC 3.1
test('a web-site report without the website object -> fields[website.url]', async () => {
  const body = websiteReport();
  delete body.website;
  await expectRejected(() => postReport(srv.url, body), { field: 'website.url' });
});

// SPEC 3.1
test('a web-site report with a product instead of a url -> fields[website.url]', async () => {
  const body = websiteReport();
  delete body.website;
  body.product = productReport().product;
  await expectRejected(() => postReport(srv.url, body), { field: 'website.url' });
});

// ---- conditional requirements -------------------------------------------------

// SPEC 2.1 オ
test('credit true without credit_name -> fields[consent.credit_name]', async () => {
  const body = productReport();
  body.consent.credit = true;
  body.consent.credit_name = '';
  await expectRejected(() => postReport(srv.url, body), { field: 'consent.credit_name' });
  delete body.consent.credit_name;
  await expectRejected(() => postReport(srv.url, body), { field: 'consent.credit_name' });
});

// SPEC 2.1 ケ
test('reported_elsewhere true without to_whom -> fields[other_reports.to_whom]', async () => {
  const body = productReport();
  body.other_reports.reported_elsewhere = true;
  body.other_reports.to_whom = '';
  await expectRejected(() => postReport(srv.url, body), { field: 'other_reports.to_whom' });
  delete body.other_reports.to_whom;
  await expectRejected(() => postReport(srv.url, body), { field: 'other_reports.to_whom' });
});

// SPEC 2.1 (G IV.2.3: who coordinates from now on)
test('vendor_told_directly true without coordinated_by -> fields[other_reports.coordinated_by]', async () => {
  const body = productReport();
  body.other_reports.vendor_told_directly = true;
  delete body.other_reports.coordinated_by;
  await expectRejected(() => postReport(srv.url, body), { field: 'other_reports.coordinated_by' });
  body.other_reports.coordinated_by = '';
  await expectRejected(() => postReport(srv.url, body), { field: 'other_reports.coordinated_by' });
});

// SPEC 2.1 (G IV.2.3)
test('a bad coordinated_by value -> fields[other_reports.coordinated_by]', async () => {
  const body = productReport();
  body.other_reports.vendor_told_directly = true;
  body.other_reports.coordinated_by = 'the_finder';
  await expectRejected(() => postReport(srv.url, body), { field: 'other_reports.coordinated_by' });
});

// SPEC 2.1 (P: encrypted contact)
test('encrypted_contact true without pgp_key -> fields[finder.pgp_key]', async () => {
  const body = productReport();
  body.encrypted_contact = true;
  body.finder.pgp_key = '';
  await expectRejected(() => postReport(srv.url, body), { field: 'finder.pgp_key' });
});

// SPEC 2.1 (P: encrypted contact)
test('a pgp_key that is not an armoured public key block -> fields[finder.pgp_key]', async () => {
  const body = productReport();
  body.encrypted_contact = true;
  body.finder.pgp_key = 'please encrypt to my key on keys.openpgp.org';
  await expectRejected(() => postReport(srv.url, body), { field: 'finder.pgp_key' });
});

// ---- malformed values -------------------------------------------------------------

const MALFORMED = [
  ['finder.email', 'not-an-email', productReport],
  ['finder.email', 'taro@', productReport],
  ['finder.email', '@example.jp', productReport],
  ['finder.email', 'taro example.jp', productReport],
  ['finder.email', 'taro@example.jp\nBcc: victim@example.com', productReport],
  ['consent.share_identity', 'yes', productReport],
  ['consent.direct_contact', 'false', productReport],
  ['consent.credit', 1, productReport],
  ['other_reports.reported_elsewhere', 'no', productReport],
  ['other_reports.vendor_told_directly', 0, productReport],
  ['wants_final_result', 'true', productReport],
  ['encrypted_contact', [], productReport],
  ['website.url', 'javascript:alert(1)', websiteReport],
  ['website.url', 'ftp://x', websiteReport],
  ['website.url', 'https://', websiteReport],
  ['website.url', 'http:///path-only', websiteReport],
  ['website.url', 'www.example.jp/login', websiteReport],
  ['website.url', 'data:text/html,<script>alert(1)</script>', websiteReport],
  ['kind', 'hardware', productReport],
  ['kind', 42, productReport],
  ['finder.name', 'x'.repeat(201), productReport],
  ['finder.name', 'あ'.repeat(201), productReport],
  ['finder.name', 42, productReport],
  ['finder.organization', 'o'.repeat(201), productReport],
  ['finder.phone', '0'.repeat(201), productReport],
  ['details.summary', 's'.repeat(1001), productReport],
  ['details.cvss_vector', 'CVSS:3.1/AV:X/AC:L', productReport],
  ['details.cvss_vector', 'high', productReport],
  ['details.cvss_vector', 'CVSS:3.1/AV:N', productReport],                 /* base metrics missing */
  ['details.cvss_vector', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q', productReport], /* no such value */
  ['finder.name', 'Taro\u0000Evil', productReport],
  ['finder.name', 'Taro\u001b[31m', productReport],
  ['details.environment', 'bell \u0007 inside', productReport],
  ['details.steps', 'step 1\u0001step 2', productReport],
  ['details.summary', { nested: 'object' }, productReport],
];

for (const [p, value, make] of MALFORMED) {
  const shown = JSON.stringify(value).slice(0, 40);
  test(`${p} = ${shown} -> 400 with fields[${p}]`, async () => {
    const body = setPath(make(), p, value);
    await expectRejected(() => postReport(srv.url, body), { field: p });
  });
}

test('finder / consent / details given as a string -> 400', async () => {
  for (const key of ['finder', 'consent', 'details', 'other_reports']) {
    const body = productReport();
    body[key] = 'oops';
    await expectRejected(() => postReport(srv.url, body), { fieldPrefix: key });
  }
});

// ---- attachments ---------------------------------------------------------------

// SPEC 2.1 キ (evidence)
for (const data of ['not base64!!', 'QUJD\u0000', 'QUJD\u0000QUJD', 'ab-_']) {
  test(`attachment with bad base64 ${JSON.stringify(data)} -> fields[attachments[0].data_base64]`, async () => {
    const body = productReport();
    body.attachments = [{ ...attachment(), data_base64: data }];
    await expectRejected(() => postReport(srv.url, body), { field: 'attachments[0].data_base64' });
  });
}

test('attachment without data -> fields[attachments[0].data_base64]', async () => {
  const body = productReport();
  body.attachments = [attachment()];
  delete body.attachments[0].data_base64;
  await expectRejected(() => postReport(srv.url, body), { field: 'attachments[0].data_base64' });
});

test('attachment filename with a path -> fields[attachments[0].filename]', async () => {
  for (const name of ['a/b.txt', '../../etc/passwd', '/etc/passwd', 'C:\\poc\\poc.txt', '', '..']) {
    const body = productReport();
    body.attachments = [{ ...attachment(), filename: name }];
    await expectRejected(() => postReport(srv.url, body), { field: 'attachments[0].filename' });
  }
});

test('the field path names the attachment that is bad', async () => {
  const body = productReport();
  body.attachments = [attachment(0), { ...attachment(1), filename: 'dir/poc.txt' }];
  await expectRejected(() => postReport(srv.url, body), { field: 'attachments[1].filename' });
});

test('attachment content_type that is not type/subtype -> fields[attachments[0].content_type]', async () => {
  for (const ct of ['text', '', 'text/plain\r\nX-Evil: 1']) {
    const body = productReport();
    body.attachments = [{ ...attachment(), content_type: ct }];
    await expectRejected(() => postReport(srv.url, body), { field: 'attachments[0].content_type' });
  }
});

test('attachments that are not an array -> 400', async () => {
  const body = productReport();
  body.attachments = attachment();
  await expectRejected(() => postReport(srv.url, body), { fieldPrefix: 'attachments' });
});

test('11 attachments -> 400 (at most 10)', async () => {
  const body = productReport();
  body.attachments = Array.from({ length: 11 }, (_, i) => attachment(i));
  await expectRejected(() => postReport(srv.url, body), { fieldPrefix: 'attachments' });
  // 10 are fine.
  body.attachments.pop();
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
});

test('an attachment over 5 MiB -> 400', async () => {
  const body = productReport();
  body.attachments = [{ ...attachment(), data_base64: b64(5 * MiB + 1) }];
  await expectRejected(() => postReport(srv.url, body), { fieldPrefix: 'attachments[0]' });
});

test('an attachment of exactly 5 MiB is fine', async () => {
  const body = productReport();
  body.attachments = [{ ...attachment(), content_type: 'application/octet-stream', data_base64: b64(5 * MiB) }];
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
});

test('attachments over 8 MiB together -> 400', async () => {
  const body = productReport();
  const part = Math.floor(4.25 * MiB); /* each under 5 MiB, 8.5 MiB together, body < 12 MiB */
  body.attachments = [
    { ...attachment(0), data_base64: b64(part) },
    { ...attachment(1), data_base64: b64(part) },
  ];
  await expectRejected(() => postReport(srv.url, body), { fieldPrefix: 'attachments' });
});

// ---- the request as a whole ---------------------------------------------------------

test('broken JSON -> 400', async () => {
  for (const text of ['{"kind": "product",', '', '{kind: "product"}', '{"kind": "product"} trailing', "{'kind': 'product'}"]) {
    await expectRejected(() => postReport(srv.url, text));
  }
});

test('JSON that is not an object -> 400', async () => {
  for (const text of ['[]', 'null', '"report"', '42', 'true']) {
    await expectRejected(() => postReport(srv.url, text));
  }
});

test('deeply nested JSON -> 400, and the server lives on', async () => {
  const text = '{"kind":"product","x":' + '['.repeat(100000) + ']'.repeat(100000) + '}';
  await expectRejected(() => postReport(srv.url, text));
  assert.equal((await postReport(srv.url, productReport())).status, 201, 'server still works');
});

test('a body that is not valid UTF-8 -> 400', async () => {
  const template = JSON.stringify(productReport()).replace('Example Router', '@@BAD@@');
  const [head, tail] = template.split('@@BAD@@');
  for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe3, 0x81], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
    const buf = Buffer.concat([Buffer.from(head + 'Router'), Buffer.from(bad), Buffer.from(tail)]);
    await expectRejected(() => postReport(srv.url, buf));
  }
});

test('wrong Content-Type -> 415', async () => {
  const json = JSON.stringify(productReport());
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
    await expectRejected(() => postReport(srv.url, json, { contentType: ct }), { status: 415 });
  }
  // No Content-Type at all.
  await expectRejected(() => rawRequest(srv.url, '/api/v1/reports', {
    headers: { 'content-length': Buffer.byteLength(json) }, body: json,
  }), { status: 415 });
});

test('application/json with a charset parameter is fine', async () => {
  const r = await postReport(srv.url, JSON.stringify(productReport()), { contentType: 'application/json; charset=utf-8' });
  assert.equal(r.status, 201, r.text);
});

test('a body over 12 MiB -> 413', async () => {
  const body = productReport();
  body.details.steps = 'x'.repeat(12 * MiB + 1024);
  const json = Buffer.from(JSON.stringify(body));
  await expectRejected(() => rawRequest(srv.url, '/api/v1/reports', {
    headers: { 'content-type': 'application/json', 'content-length': json.length }, body: json,
  }), { status: 413 });
  // The server is still serving.
  assert.equal((await postReport(srv.url, productReport())).status, 201);
});

test('a chunked body over 12 MiB -> 413', async () => {
  const body = productReport();
  body.details.steps = 'y'.repeat(12 * MiB + 1024);
  const json = Buffer.from(JSON.stringify(body));
  await expectRejected(() => rawRequest(srv.url, '/api/v1/reports', {
    headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: json,
  }), { status: 413 });
  assert.equal((await postReport(srv.url, productReport())).status, 201);
});

// ---- language ------------------------------------------------------------------------

function missingEmail() {
  return deletePath(productReport(), 'finder.email');
}

function assertJapanese(r) {
  assert.match(r.json.error, JAPANESE_RE, `error in Japanese: ${r.json.error}`);
  assert.match(r.json.fields['finder.email'], JAPANESE_RE, `field message in Japanese: ${r.json.fields['finder.email']}`);
}

function assertEnglish(r) {
  assert.match(r.json.error, ASCII_ENGLISH_RE, `error in English: ${r.json.error}`);
  assert.match(r.json.fields['finder.email'], ASCII_ENGLISH_RE, `field message in English: ${r.json.fields['finder.email']}`);
}

test('Accept-Language: ja gives Japanese messages', async () => {
  const r = await expectRejected(() => postReport(srv.url, missingEmail(), { lang: 'ja' }), { field: 'finder.email' });
  assertJapanese(r);
});

test('Accept-Language: en gives English messages', async () => {
  const r = await expectRejected(() => postReport(srv.url, missingEmail(), { lang: 'en' }), { field: 'finder.email' });
  assertEnglish(r);
});

test('no Accept-Language gives Japanese messages', async () => {
  const r = await expectRejected(() => postReport(srv.url, missingEmail()), { field: 'finder.email' });
  assertJapanese(r);
});

test('browser-style Accept-Language headers pick the language', async () => {
  assertEnglish(await expectRejected(() => postReport(srv.url, missingEmail(), { lang: 'en-US,en;q=0.9' }), { field: 'finder.email' }));
  assertJapanese(await expectRejected(() => postReport(srv.url, missingEmail(), { lang: 'ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7' }), { field: 'finder.email' }));
});

test('whole-request errors are in the requester\'s language too', async () => {
  const ja = await expectRejected(() => postReport(srv.url, '{', { lang: 'ja' }));
  assert.match(ja.json.error, JAPANESE_RE);
  const en = await expectRejected(() => postReport(srv.url, '{', { lang: 'en' }));
  assert.match(en.json.error, ASCII_ENGLISH_RE);
  const en415 = await expectRejected(() => postReport(srv.url, '{}', { lang: 'en', contentType: 'text/plain' }), { status: 415 });
  assert.match(en415.json.error, ASCII_ENGLISH_RE);
  const ja415 = await expectRejected(() => postReport(srv.url, '{}', { lang: 'ja', contentType: 'text/plain' }), { status: 415 });
  assert.match(ja415.json.error, JAPANESE_RE);
});

test('several faults at once are all named', async () => {
  const body = productReport();
  body.finder.email = 'nope';
  delete body.details.steps;
  body.consent.credit = 'maybe';
  const r = await expectRejected(() => postReport(srv.url, body, { lang: 'en' }));
  for (const f of ['finder.email', 'details.steps', 'consent.credit']) {
    assert.ok(r.json.fields[f], `fields[${f}] set: ${JSON.stringify(r.json.fields)}`);
  }
});
