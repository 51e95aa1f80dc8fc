// t0100: a finder submits reports (SPEC 2.1 product track, SPEC 3.1 web-site
// track) through POST /api/v1/reports and follows them on the status page.
// Contract: docs/api/reports.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  startServer, postReport, api, productReport, websiteReport, outbox, rid, PGP_KEY,
} from './lib/server.mjs';
import { mailTime } from './lib/mail.mjs';

const TRACKING_RE = /^IPA#\d{8}$/;
const STATUS_URL_RE = /^\/r\/[A-Za-z0-9_-]{22,}$/; /* >= 132 bits of base64url */
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

function assertCreated(r) {
  assert.equal(r.status, 201, `expected 201, got ${r.status}: ${r.text}`);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  assert.match(r.json.tracking_id, TRACKING_RE);
  assert.match(r.json.status_url, STATUS_URL_RE);
  assert.equal(r.json.status, 'received');
  assert.match(r.json.received_at, ISO_RE);
}

async function statusJson(statusUrl) {
  return api(srv.url, statusUrl, { accept: 'application/json' });
}

// SPEC 2.1
test('a good product report is received and acknowledged', async () => {
  const body = productReport();
  body.finder.email = 't0100-product@example.jp';
  const r = await postReport(srv.url, body);
  assertCreated(r);
  const { tracking_id: tid, status_url: statusUrl } = r.json;

  const s = await statusJson(statusUrl);
  assert.equal(s.status, 200, s.text);
  assert.match(s.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(s.json.tracking_id, tid);
  assert.equal(s.json.kind, 'product');
  assert.equal(s.json.status, 'received');
  assert.equal(s.json.accepted_at, null);
  assert.equal(s.json.decision, null);

  // The acknowledgement is queued to the finder and names the tracking id.
  const msgs = (await outbox(srv.db)).filter((m) => m.recipient === body.finder.email);
  assert.equal(msgs.length, 1, `one acknowledgement to the finder, outbox: ${JSON.stringify(msgs)}`);
  assert.equal(msgs[0].report, tid);
  assert.ok(typeof msgs[0].kind === 'string' && msgs[0].kind.length > 0, 'message has a kind');
  assert.ok(`${msgs[0].subject}\n${msgs[0].body}`.includes(tid), 'acknowledgement mentions the tracking id');
});

// SPEC 3.1
test('a good web-site report is received and acknowledged', async () => {
  const body = websiteReport();
  body.finder.email = 't0100-website@example.jp';
  const r = await postReport(srv.url, body);
  assertCreated(r);
  const { tracking_id: tid, status_url: statusUrl } = r.json;

  const s = await statusJson(statusUrl);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.tracking_id, tid);
  assert.equal(s.json.kind, 'website');
  assert.equal(s.json.status, 'received');

  const msgs = (await outbox(srv.db)).filter((m) => m.recipient === body.finder.email);
  assert.equal(msgs.length, 1);
  assert.equal(msgs[0].report, tid);
  assert.ok(`${msgs[0].subject}\n${msgs[0].body}`.includes(tid));

  // The intake staff see the site's URL.
  const g = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.kind, 'website');
  assert.equal(g.json.website.url, body.website.url);
});

// SPEC 2.1
test('two reports get different tracking ids and different secrets', async () => {
  const a = await postReport(srv.url, productReport());
  const b = await postReport(srv.url, productReport());
  assertCreated(a);
  assertCreated(b);
  assert.notEqual(a.json.tracking_id, b.json.tracking_id);
  assert.notEqual(a.json.status_url, b.json.status_url);
  // Each secret opens its own report.
  assert.equal((await statusJson(a.json.status_url)).json.tracking_id, a.json.tracking_id);
  assert.equal((await statusJson(b.json.status_url)).json.tracking_id, b.json.tracking_id);
});

// SPEC 2.1 (キ: evidence — PoC code, screenshots, logs)
test('attachments are stored and the intake staff can download them byte-identical', async () => {
  const binary = Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a, 0]), randomBytes(100_000)]);
  const text = Buffer.from('PoC: curl -d "q=<script>alert(1)</script>" http://router/\n概念実証\n', 'utf8');
  const body = productReport();
  body.attachments = [
    { filename: 'poc.txt', content_type: 'text/plain', data_base64: text.toString('base64') },
    { filename: 'capture.pcap', content_type: 'application/octet-stream', data_base64: binary.toString('base64') },
  ];
  const r = await postReport(srv.url, body);
  assertCreated(r);
  const tid = r.json.tracking_id;

  const g = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.attachments.length, 2);
  const files = [text, binary];
  for (let i = 0; i < 2; i++) {
    const meta = g.json.attachments[i];
    assert.equal(meta.index, i);
    assert.equal(meta.filename, body.attachments[i].filename);
    assert.equal(meta.content_type, body.attachments[i].content_type);
    assert.equal(meta.size, files[i].length);
    assert.equal(meta.sha256, createHash('sha256').update(files[i]).digest('hex'));
    assert.equal(meta.data_base64, undefined, 'metadata does not carry the data');

    const d = await api(srv.url, `/api/v1/reports/${rid(tid)}/attachments/${i}`, { token: srv.tokens.intake });
    assert.equal(d.status, 200, d.text.slice(0, 200));
    assert.ok(d.buf.equals(files[i]), `attachment ${i} is byte-identical`);
    assert.equal((d.headers.get('content-type') ?? '').split(';')[0].trim(), body.attachments[i].content_type);
    assert.match(d.headers.get('content-disposition') ?? '', /^attachment\b/i, 'served as a download');
  }

  // No third attachment.
  const none = await api(srv.url, `/api/v1/reports/${rid(tid)}/attachments/2`, { token: srv.tokens.intake });
  assert.equal(none.status, 404);
});

// SPEC 2.1
test('Japanese text survives the round trip', async () => {
  const body = productReport();
  body.finder.name = '髙橋 𠮷子';          /* IBM extension kanji and a non-BMP character */
  body.finder.organization = '株式会社サンプル';
  body.product = { vendor: 'サンプル電機', name: 'ルーター「はやぶさ」', version: '第2版' };
  body.details.summary = '認証回避の脆弱性 — 「ｱｲｳ」半角カナ、①丸数字、絵文字🔐も含む';
  body.details.steps = '手順1：ログイン画面を開く\n手順2：\tパスワード欄を空にする';
  body.details.impact = '第三者が管理者権限を取得できる。';
  body.consent.credit_name = '髙橋 𠮷子';
  const r = await postReport(srv.url, body);
  assertCreated(r);

  const g = await api(srv.url, `/api/v1/reports/${rid(r.json.tracking_id)}`, { token: srv.tokens.intake });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.finder.name, body.finder.name);
  assert.equal(g.json.finder.organization, body.finder.organization);
  assert.deepEqual(g.json.product, body.product);
  assert.equal(g.json.details.summary, body.details.summary);
  assert.equal(g.json.details.steps, body.details.steps);
  assert.equal(g.json.details.impact, body.details.impact);
  assert.equal(g.json.consent.credit_name, body.consent.credit_name);
});

// SPEC 2.1 (ア–ケ, P 1): everything the finder submitted is kept.
test('the intake staff see the whole submitted report', async () => {
  const body = productReport();
  body.finder = { name: 'Full Report', email: 'full@example.jp', organization: 'Sec Lab', phone: '+81-3-0000-0000', pgp_key: '' };
  body.consent = { share_identity: true, direct_contact: true, credit: true, credit_name: 'Sec Lab' };
  body.details.impact = 'Admin takeover';
  body.details.workaround = 'Disable remote admin';
  body.details.cvss_vector = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H';
  body.other_reports = { reported_elsewhere: true, to_whom: 'Example Corp PSIRT', vendor_told_directly: true, coordinated_by: 'direct' };
  body.wants_final_result = false;
  const r = await postReport(srv.url, body);
  assertCreated(r);

  const g = await api(srv.url, `/api/v1/reports/${rid(r.json.tracking_id)}`, { token: srv.tokens.intake });
  assert.equal(g.status, 200, g.text);
  const j = g.json;
  assert.equal(j.tracking_id, r.json.tracking_id);
  assert.equal(j.kind, 'product');
  assert.equal(j.status, 'received');
  assert.equal(j.received_at, r.json.received_at);
  assert.equal(j.accepted_at, null);
  assert.equal(j.decision, null);
  assert.deepEqual(j.attachments, []);
  assert.deepEqual(j.finder, body.finder);
  assert.deepEqual(j.consent, body.consent);
  assert.deepEqual(j.product, body.product);
  assert.deepEqual(j.details, body.details);
  assert.deepEqual(j.other_reports, body.other_reports);
  assert.equal(j.wants_final_result, false);
  assert.equal(j.encrypted_contact, false);

  // And the queue lists it.
  const q = await api(srv.url, '/api/v1/reports', { token: srv.tokens.intake });
  assert.equal(q.status, 200);
  const row = q.json.reports.find((x) => x.tracking_id === r.json.tracking_id);
  assert.ok(row, 'report is in the queue');
  assert.equal(row.kind, 'product');
  assert.equal(row.status, 'received');
  assert.equal(row.accepted_at, null);
  assert.equal(row.title, 'Example Corp Example Router 1.2.3');
});

// SPEC 2.1 (P: reports may ask for encrypted contact)
test('a report asking for encrypted contact with a PGP key is received', async () => {
  const body = productReport();
  body.encrypted_contact = true;
  body.finder.pgp_key = PGP_KEY;
  const r = await postReport(srv.url, body);
  assertCreated(r);
  const g = await api(srv.url, `/api/v1/reports/${rid(r.json.tracking_id)}`, { token: srv.tokens.intake });
  assert.equal(g.json.encrypted_contact, true);
  assert.equal(g.json.finder.pgp_key.trim(), body.finder.pgp_key.trim());
});

// Contract: fields the table does not name are ignored.
test('unknown fields are ignored', async () => {
  const body = productReport();
  body.unexpected = { nested: [1, 2, 3] };
  body.finder.favourite_colour = 'blue';
  body.status = 'accepted'; /* cannot be chosen by the finder */
  body.tracking_id = 'IPA#00000001';
  const r = await postReport(srv.url, body);
  assertCreated(r);
  assert.notEqual(r.json.tracking_id, 'IPA#00000001');
  const s = await statusJson(r.json.status_url);
  assert.equal(s.json.status, 'received');
});

// Contract: free text may hold line breaks and tabs; limits count characters.
test('limits count characters, not bytes, and line breaks and tabs are fine', async () => {
  const body = productReport();
  body.finder.name = 'あ'.repeat(200);          /* 200 characters, 600 bytes */
  body.details.summary = '脆'.repeat(1000);     /* 1,000 characters */
  body.details.steps = 'line 1\nline 2\n\tindented';
  body.details.result = 'CRLF from a browser textarea\r\nis a line break too';
  const r = await postReport(srv.url, body);
  assertCreated(r);
  const g = await api(srv.url, `/api/v1/reports/${rid(r.json.tracking_id)}`, { token: srv.tokens.intake });
  assert.equal(g.json.finder.name, body.finder.name);
  assert.equal(g.json.details.summary, body.details.summary);
  assert.equal(g.json.details.steps, body.details.steps);
});

// Contract: cvss_vector, when given, is a CVSS v2, v3.x or v4.0 vector.
test('CVSS v2, v3.0, v3.1 and v4.0 vectors are accepted', async () => {
  for (const v of [
    'AV:N/AC:L/Au:N/C:P/I:P/A:P',
    'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  ]) {
    const body = productReport();
    body.details.cvss_vector = v;
    const r = await postReport(srv.url, body);
    assert.equal(r.status, 201, `${v}: ${r.text}`);
  }
});

// Contract: finder.organization and finder.phone are optional, at most 200 characters.
test('organization and phone may be up to 200 characters', async () => {
  const body = productReport();
  body.finder.organization = '組'.repeat(200);
  body.finder.phone = '+81 3 0000 0000 ext. '.padEnd(200, '0');
  const r = await postReport(srv.url, body);
  assertCreated(r);
  const g = await api(srv.url, `/api/v1/reports/${rid(r.json.tracking_id)}`, { token: srv.tokens.intake });
  assert.equal(g.json.finder.organization, body.finder.organization);
  assert.equal(g.json.finder.phone, body.finder.phone);
});

// SPEC 2.1: the acknowledgement is written in the language the finder wrote in,
// with the time of receipt in Japan's time, readably (templates/mail/report_received.txt).
test('the acknowledgement is in the finder\'s language, with the time in Japan', async () => {
  const expected = {
    en: (tid, when, link) => ({
      subject: `[${tid}] Your vulnerability report was received`,
      body: 'Dear Ada Finder,\n\n'
        + `Thank you for your report. We received it on ${when}.\n\n`
        + `Tracking number: ${tid}\nSubject: Stored XSS in the admin page\n\n`
        + `You can follow its progress here; keep this link to yourself:\n${link}\n\n`
        + 'We will check the report and tell you whether it is accepted.\n',
    }),
    ja: (tid, when, link) => ({
      subject: `[${tid}] 脆弱性関連情報の届出を受け付けました`,
      body: 'Ada Finder 様\n\n'
        + `脆弱性関連情報をお届けいただき、ありがとうございます。${when} に届出を受け付けました。\n\n`
        + `取扱番号：${tid}\n件名：Stored XSS in the admin page\n\n`
        + `届出の状況は次のページで確認できます。このリンクは他人に教えないでください。\n${link}\n\n`
        + '届出の内容を確認し、受理するかどうかをあらためてお知らせします。\n',
    }),
  };
  for (const lang of ['en', 'ja']) {
    const body = productReport();
    body.finder.name = 'Ada Finder';
    body.finder.email = `t0100-ack-${lang}@example.jp`;
    body.details.summary = 'Stored XSS in the admin page';
    const r = await postReport(srv.url, body, { lang });
    assertCreated(r);
    const { tracking_id: tid, status_url: statusUrl, received_at: receivedAt } = r.json;
    const msgs = (await outbox(srv.db)).filter((m) => m.recipient === body.finder.email);
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0].lang, lang);
    const when = mailTime(receivedAt, lang);
    assert.match(when, lang === 'ja' ? /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/ : /^\d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2} \(JST\)$/);
    assert.deepEqual({ subject: msgs[0].subject, body: msgs[0].body },
      expected[lang](tid, when, `http://127.0.0.1:8080${statusUrl}`), `the ${lang} acknowledgement`);
    assert.ok(!msgs[0].body.includes(receivedAt), 'no machine timestamp in the message');
  }
});
