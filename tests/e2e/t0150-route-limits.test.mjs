// t0150: what each route takes (server/routes.c; issue 7). Every route names
// the query parameters and form fields it takes and the largest body it takes:
// anything else is refused, in the user's language, naming what is wrong, and
// nothing is stored. Only a report (with its evidence) may be large.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, postReport, productReport, rid, CookieJar, browse, csrfField, login, USERS, queueLength,
} from './lib/server.mjs';

let srv;
let tid;

before(async () => {
  srv = await startServer();
  const r = await postReport(srv.url, productReport());
  assert.equal(r.status, 201, r.text);
  tid = r.json.tracking_id;
});
after(async () => { await srv?.stop(); });

test('an unknown query parameter is refused with 400 naming it, in English and Japanese', async () => {
  const en = await api(srv.url, '/api/v1/reports?status=received&sort=score', { token: srv.tokens.intake, lang: 'en' });
  assert.equal(en.status, 400, en.text);
  assert.match(en.json.error, /parameter this page does not take: sort$/);
  const ja = await api(srv.url, '/api/v1/reports?sort=score', { token: srv.tokens.intake, lang: 'ja' });
  assert.equal(ja.status, 400, ja.text);
  assert.match(ja.json.error, /受け付けないパラメーター.*sort/);
  /* the parameters a route takes, and lang everywhere, still work */
  const ok = await api(srv.url, '/api/v1/reports?status=received&limit=5&page=1&lang=ja', { token: srv.tokens.intake });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.reports.length, 1);
  const page = await api(srv.url, '/report/product?debug=1', { accept: 'text/html' });
  assert.equal(page.status, 400);
  assert.match(page.text, /debug/);
});

test('a report form with a field the form does not have is refused and nothing is stored', async () => {
  const before = await queueLength(srv);
  const jar = new CookieJar();
  const form = await browse(srv.url, '/report/product', jar);
  const csrf = csrfField(form.text);
  const res = await browse(srv.url, '/report/product', jar, {
    method: 'POST', lang: 'en',
    form: { csrf, 'finder.name': 'A', 'finder.email': 'a@example.jp', 'details.summary': 'x', is_admin: '1' },
  });
  assert.equal(res.status, 400, res.text.slice(0, 300));
  assert.match(res.text, /field this page does not take: is_admin/);
  assert.equal(await queueLength(srv), before);
});

test('a decision form with a foreign field is refused and the report stays received', async () => {
  const { jar } = await login(srv.url, USERS.intake.email);
  const page = await browse(srv.url, `/intake/reports/${rid(tid)}`, jar);
  const csrf = csrfField(page.text);
  const res = await browse(srv.url, `/intake/reports/${rid(tid)}/decision`, jar, {
    method: 'POST', lang: 'en', form: { csrf, decision: 'accept', status: 'accepted' },
  });
  assert.equal(res.status, 400, res.text.slice(0, 300));
  assert.match(res.text, /field this page does not take: status/);
  const got = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake });
  assert.equal(got.json.status, 'received');
});

test('only a report may be large: a 300 KiB decision is 413, a 1 MiB report is stored', async () => {
  const note = 'x'.repeat(300 * 1024);
  const big = await api(srv.url, `/api/v1/reports/${rid(tid)}/decision`, {
    token: srv.tokens.intake, body: { decision: 'reject', reason: 'incomplete', note },
  });
  assert.equal(big.status, 413, big.text.slice(0, 200));
  const got = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake });
  assert.equal(got.json.status, 'received');

  const report = productReport();
  report.attachments = [{ filename: 'poc.bin', content_type: 'application/octet-stream',
    data_base64: Buffer.alloc(1024 * 1024, 7).toString('base64') }];
  const stored = await postReport(srv.url, report);
  assert.equal(stored.status, 201, stored.text.slice(0, 200));
});

test('the longest note a decision may carry fits the default cap', async () => {
  /* KK_DECISION_NOTE_MAX characters of four bytes each, as JSON escapes */
  const note = '\u{1F600}'.repeat(10000);
  const body = JSON.stringify({ decision: 'reject', reason: 'incomplete', note }).replace(/[\u{10000}-\u{10FFFF}]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16)}\\u${c.charCodeAt(1).toString(16)}`);
  const r = await api(srv.url, `/api/v1/reports/${rid(tid)}/decision`, { token: srv.tokens.intake, body });
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.equal(r.json.decision.note, note);
});
