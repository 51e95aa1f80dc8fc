// t1465: intake completes a report that came by mail on the finder's form
// (issue 11; SPEC 2.1, 2.2; docs/api/inbound.md "Completing a report that came
// by mail"). A message piped to `keikai mail-in` (as t1460 does) is a report
// "mail"; over plain HTTP, signed in through the login form:
//   - its page tells intake to complete it, with links to the form (and offers
//     no accept/reject yet); a coordinator, who may read it, gets no such notice;
//   - GET /intake/reports/{id}/complete is the report form filled with what the
//     report holds (subject, text, sender), escaped, no yes/no chosen for the
//     finder; ?kind=website gives the web-site form, a kind that is none 404;
//   - a POST lacking a required field is the form again (400) with the core's
//     message next to that field, in Japanese too (the same message the API
//     gives), what was typed kept, the report still "mail";
//   - a good POST redirects (303) to the report page; the report is "received"
//     with the values, the sender still the finder, the uploaded file stored;
//   - a second POST (and the form) show the report page with a message (409);
//   - other roles are stopped (403 at the gate or 404), a missing report is
//     404, a POST without or with a wrong CSRF token is refused: nothing changes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  startServer, api, keikai, rid, login, browse, csrfField, multipartBody, rawRequest, fieldErrors, postReport,
  productReport, CookieJar, USERS,
} from './lib/server.mjs';

const SENDER = 'finder1465@example.net';
const SENDER_NAME = 'Mail Finder';
const SUBJECT = 'XSS-1465 <b>in</b> the router & more';
const TEXT = 'STEPS-1465: open the admin page.\nType <script>alert(1)</script> into the search box.';

let srv;
let intake; /* intake signed in through the form: {jar} */
const tids = {};

/* A report by mail: `keikai mail-in` with a plain message to the organisation. */
async function mailReport(tag) {
  const msg = `From: ${SENDER_NAME} <${SENDER}>\nTo: cert@org.example\nSubject: ${SUBJECT} ${tag}\n`
    + `Content-Type: text/plain; charset=UTF-8\n\n${TEXT}\n`;
  const r = await keikai(['mail-in', '--db', srv.db], { input: msg.replace(/\n/g, '\r\n') });
  const m = /^report: (\S+), received by mail/.exec(r.stdout);
  assert.ok(m, r.stdout);
  return m[1];
}

async function report(tid) {
  const g = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake, lang: 'en' });
  assert.equal(g.status, 200, g.text);
  return g.json;
}

/* The <input>/<textarea> tags (and a textarea's text) naming a field. */
function controls(html, name) {
  const esc = name.replace(/[.[\]]/g, (c) => `\\${c}`);
  return [...html.matchAll(new RegExp(`<(input|textarea|select)\\b[^>]*\\bname=["']${esc}["'][^>]*>`, 'gi'))].map((m) => m[0]);
}
function textareaText(html, name) {
  const esc = name.replace(/\./g, '\\.');
  return new RegExp(`<textarea\\b[^>]*\\bname=["']${esc}["'][^>]*>\\n?([^<]*)</textarea>`).exec(html)?.[1];
}
function inputValue(html, name) {
  const tag = controls(html, name).find((t) => /^<input/i.test(t));
  return tag ? /\bvalue="([^"]*)"/.exec(tag)?.[1] : undefined;
}

/* The completion of a product report, every required item given; finder.* left as the form had it. */
function goodFields(csrf) {
  return [
    ['csrf', csrf],
    ['finder.name', SENDER_NAME],
    ['finder.email', ''], /* left empty: the sender is the finder's address (docs/api/inbound.md) */
    ['consent.share_identity', 'false'],
    ['consent.direct_contact', 'true'],
    ['consent.credit', 'true'],
    ['consent.credit_name', 'M. Finder'],
    ['product.vendor', 'Example Corp 1465'],
    ['product.name', 'Router 1465'],
    ['product.version', '2.0'],
    ['details.summary', `${SUBJECT} (completed)`],
    ['details.environment', 'Firmware 2.0, Firefox 128'],
    ['details.steps', TEXT],
    ['details.result', 'The script runs.'],
    ['other_reports.reported_elsewhere', 'false'],
    ['other_reports.vendor_told_directly', 'false'],
    ['wants_final_result', 'true'],
    ['encrypted_contact', 'false'],
  ];
}

/* POST the form (multipart, as the page's form sends it) with the session of jar. */
function postComplete(tid, jar, fields, { files = [], lang = 'en', kind = 'product' } = {}) {
  const { body, contentType } = multipartBody(fields, files);
  const headers = { 'content-type': contentType, 'content-length': body.length, cookie: jar.header(),
    'accept-language': lang };
  return rawRequest(srv.url, `/intake/reports/${rid(tid)}/complete?kind=${kind}`, { headers, body });
}

async function formPage(tid, query = '', lang = 'en') {
  const page = await browse(srv.url, `/intake/reports/${rid(tid)}/complete${query}`, intake.jar, { lang });
  return { page, csrf: csrfField(page.text) };
}

before(async () => {
  srv = await startServer();
  /* mail-in knows the organisation's address from smtp.from (docs/admin/mail.md) */
  await keikai(['config', 'set', '--db', srv.db, 'smtp.from', 'CSIRT <cert@org.example>']);
  for (const t of ['a', 'b', 'c']) tids[t] = await mailReport(`[${t}]`);
  intake = await login(srv.url, USERS.intake.email);
});
after(async () => { await srv?.stop(); });

test('the report page of a report by mail tells intake to complete it (issue 11)', async () => {
  assert.equal((await report(tids.a)).status, 'mail');
  const page = await browse(srv.url, `/intake/reports/${rid(tids.a)}`, intake.jar, { lang: 'en' });
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.match(page.text, /id="complete-notice"/);
  assert.ok(page.text.includes('This report came by mail; complete it before triage.'));
  assert.ok(page.text.includes(`href="/intake/reports/${rid(tids.a)}/complete?kind=product"`));
  assert.ok(page.text.includes(`href="/intake/reports/${rid(tids.a)}/complete?kind=website"`));
  assert.ok(!/id="decision"/.test(page.text), 'no accept/reject before completion');
  /* a coordinator may read the report but not complete it: no notice */
  const { jar } = await login(srv.url, USERS.coordinator.email);
  const coord = await browse(srv.url, `/intake/reports/${rid(tids.a)}`, jar, { lang: 'en' });
  assert.equal(coord.status, 200);
  assert.ok(!coord.text.includes('complete-notice'));
});

test('the completion form is the report form filled with what the mail gave', async () => {
  const { page, csrf } = await formPage(tids.a);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.ok(csrf, 'a csrf field');
  const form = /<form\b[^>]*class="report-form"[^>]*>/.exec(page.text)?.[0] ?? '';
  assert.ok(form.includes(`action="/intake/reports/${rid(tids.a)}/complete?kind=product"`), form);
  assert.match(form, /enctype="multipart\/form-data"/);
  assert.ok(page.text.includes('Complete a report that came by mail'));
  assert.match(page.text, new RegExp(`id="tracking-id">${tids.a}<`));
  /* escaped, never markup */
  assert.equal(inputValue(page.text, 'details.summary'), 'XSS-1465 &lt;b&gt;in&lt;/b&gt; the router &amp; more [a]');
  assert.equal(textareaText(page.text, 'details.steps').trim(),
    'STEPS-1465: open the admin page.\nType &lt;script&gt;alert(1)&lt;/script&gt; into the search box.');
  assert.ok(!page.text.includes('<script>alert(1)'));
  assert.equal(inputValue(page.text, 'finder.email'), SENDER);
  assert.equal(inputValue(page.text, 'finder.name'), SENDER_NAME);
  assert.equal(inputValue(page.text, 'product.name'), '', 'what the mail did not say is empty');
  /* the finder answered no yes/no question: none is chosen for them */
  for (const name of ['consent.share_identity', 'consent.credit', 'wants_final_result', 'encrypted_contact']) {
    for (const t of controls(page.text, name)) assert.ok(!/\bchecked\b/.test(t), `${name} unchosen: ${t}`);
  }
  /* the file input stays (kk_report_complete stores files); finder-only fields go */
  assert.equal(controls(page.text, 'attachments').length, 1);
  assert.equal(controls(page.text, 'details.encrypted').length, 0);
  assert.ok(page.text.includes(`href="/intake/reports/${rid(tids.a)}/complete?kind=website"`), 'a link to the other kind');

  const site = await formPage(tids.a, '?kind=website');
  assert.equal(site.page.status, 200);
  assert.equal(controls(site.page.text, 'website.url').length, 1);
  assert.equal(controls(site.page.text, 'product.name').length, 0);
  assert.ok(site.page.text.includes(`action="/intake/reports/${rid(tids.a)}/complete?kind=website"`));
  assert.ok(site.page.text.includes(`href="/intake/reports/${rid(tids.a)}/complete?kind=product"`));

  assert.equal((await formPage(tids.a, '?kind=nonsense')).page.status, 404);
  assert.equal((await formPage(tids.a, '?colour=red')).page.status, 400, 'a parameter the page does not take');
});

test('a completion without a required item is the form again with the error next to it, in English and Japanese', async () => {
  const { csrf } = await formPage(tids.a);
  const fields = goodFields(csrf).filter(([k]) => k !== 'product.name');
  for (const lang of ['en', 'ja']) {
    const r = await postComplete(tids.a, intake.jar, fields, { lang });
    assert.equal(r.status, 400, `${lang}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.match(r.headers['content-type'] ?? '', /^text\/html/);
    assert.match(r.text, new RegExp(`<html lang="${lang}"`));
    assert.deepEqual(fieldErrors(r.text), ['product.name'], `${lang}: only product.name is wrong`);
    /* next to its field: the error sits in the field's block, just before its input */
    const err = r.text.indexOf('id="product.name-error"');
    const input = r.text.indexOf('name="product.name"');
    assert.ok(err > 0 && input > err, 'the error comes before its input');
    assert.ok(!/class="field"/.test(r.text.slice(err, input)), 'with no other field between them');
    assert.match(controls(r.text, 'product.name')[0], /aria-invalid="true"/);
    assert.match(r.text, /role="alert"/, 'an error summary');
    assert.ok(r.text.includes('href="#product.name"'), 'the summary links the field');
    /* the core's message, as the API gives it in the same language */
    const msg = /<p\b[^>]*data-field="product\.name"[^>]*>([^<]*)</.exec(r.text)?.[1];
    const body = {
      kind: 'product', consent: { share_identity: false, direct_contact: true, credit: true, credit_name: 'x' },
      product: {}, details: { summary: 's', environment: 'e', steps: 's', result: 'r' },
      other_reports: { reported_elsewhere: false, vendor_told_directly: false },
      wants_final_result: true, encrypted_contact: false,
    };
    const viaApi = await api(srv.url, `/api/v1/reports/${rid(tids.a)}/complete`, { token: srv.tokens.intake, body, lang });
    assert.equal(viaApi.status, 400, viaApi.text);
    assert.equal(msg, viaApi.json.fields['product.name'].replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    if (lang === 'ja') assert.match(msg, /[\u3040-\u30ff\u4e00-\u9fff]/, `a Japanese message: ${msg}`);
    /* what was typed is kept */
    assert.equal(inputValue(r.text, 'product.vendor'), 'Example Corp 1465');
    assert.match(controls(r.text, 'consent.direct_contact').find((t) => /value="true"/.test(t)), /\bchecked\b/);
  }
  assert.equal((await report(tids.a)).status, 'mail', 'nothing changed');
});

test('a good completion redirects to the report, which is received with the values', async () => {
  const { csrf } = await formPage(tids.a);
  const poc = Buffer.from('PoC-1465\x00\xff', 'latin1');
  const r = await postComplete(tids.a, intake.jar, goodFields(csrf),
    { files: [{ field: 'attachments', filename: 'poc1465.bin', contentType: 'application/octet-stream', data: poc }] });
  assert.equal(r.status, 303, `${r.status} ${fieldErrors(r.text)} ${r.text.slice(0, 300)}`);
  assert.equal(r.headers.location, `/intake/reports/${rid(tids.a)}`);
  const g = await report(tids.a);
  assert.equal(g.status, 'received');
  assert.equal(g.kind, 'product');
  assert.equal(g.tracking_id, tids.a, 'the report keeps its number');
  assert.equal(g.finder.email, SENDER, 'the sender stays the finder');
  assert.equal(g.finder.name, SENDER_NAME);
  assert.equal(g.product.name, 'Router 1465');
  assert.equal(g.product.vendor, 'Example Corp 1465');
  assert.equal(g.details.environment, 'Firmware 2.0, Firefox 128');
  assert.equal(g.details.steps.replace(/\r\n/g, '\n'), TEXT);
  assert.equal(g.consent.share_identity, false);
  assert.equal(g.consent.direct_contact, true);
  assert.equal(g.consent.credit_name, 'M. Finder');
  assert.equal(g.wants_final_result, true);
  assert.equal(g.attachments.length, 1);
  assert.equal(g.attachments[0].filename, 'poc1465.bin');
  assert.equal(g.attachments[0].sha256, createHash('sha256').update(poc).digest('hex'));
  /* the report page: no notice any more; triage now */
  const page = await browse(srv.url, `/intake/reports/${rid(tids.a)}`, intake.jar, { lang: 'en' });
  assert.equal(page.status, 200);
  assert.ok(!page.text.includes('complete-notice'));
  assert.match(page.text, /id="decision"/);
});

test('a second completion, and the form of a completed report, show the report page with a message (409)', async () => {
  const { csrf } = await formPage(tids.b);
  const fields = goodFields(csrf).map(([k, v]) => [k, k === 'product.name' ? 'SECOND-1465' : v]);
  const first = await postComplete(tids.b, intake.jar, goodFields(csrf));
  assert.equal(first.status, 303, first.text.slice(0, 300));
  for (const lang of ['en', 'ja']) {
    const again = await postComplete(tids.b, intake.jar, fields, { lang });
    assert.equal(again.status, 409, again.text.slice(0, 300));
    assert.match(again.text, /id="error-summary"/);
    assert.match(again.text, /id="tracking-id"/, 'the report page');
    assert.ok(!again.text.includes('class="report-form"'), 'not the form');
  }
  const form = await formPage(tids.b);
  assert.equal(form.page.status, 409);
  assert.match(form.page.text, /id="error-summary"/);
  assert.ok(form.page.text.includes('This report is not waiting to be completed'));
  assert.equal((await report(tids.b)).product.name, 'Router 1465', 'the first completion stands');
  /* a report sent with the form never came by mail: the same */
  const web = await postReport(srv.url, productReport());
  assert.equal(web.status, 201, web.text);
  assert.equal((await formPage(web.json.tracking_id, '?kind=website')).page.status, 409);
});

test('other roles are stopped and a missing report is 404; nothing of the finder shows', async () => {
  for (const who of ['vendor', 'coordinator', 'operator', 'admin']) {
    const { jar } = await login(srv.url, USERS[who].email);
    const page = await browse(srv.url, `/intake/reports/${rid(tids.c)}/complete`, jar, { lang: 'en' });
    assert.ok([403, 404].includes(page.status), `${who}: ${page.status}`);
    assert.ok(!page.text.includes(SENDER) && !page.text.includes('STEPS-1465'), `${who}: nothing of the report`);
    /* posting with the viewer's own valid token */
    const own = csrfField((await browse(srv.url, '/login', jar)).text) ?? '';
    const post = await postComplete(tids.c, jar, goodFields(own));
    assert.ok([403, 404].includes(post.status), `${who} POST: ${post.status}`);
  }
  const anon = await browse(srv.url, `/intake/reports/${rid(tids.c)}/complete`, new CookieJar(), {});
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get('location') ?? '', /^\/login\?next=/);
  const missing = await browse(srv.url, `/intake/reports/${rid('IPA#00000000')}/complete`, intake.jar, { lang: 'en' });
  assert.equal(missing.status, 404);
  assert.equal((await report(tids.c)).status, 'mail', 'nothing changed');
});

test('a completion without the CSRF token, or with a wrong one, is refused', async () => {
  const { csrf } = await formPage(tids.c);
  const none = await postComplete(tids.c, intake.jar, goodFields(csrf).filter(([k]) => k !== 'csrf'));
  assert.equal(none.status, 403, none.text.slice(0, 200));
  const wrong = await postComplete(tids.c, intake.jar, goodFields(`${csrf.slice(0, -2)}xx`));
  assert.equal(wrong.status, 403, wrong.text.slice(0, 200));
  assert.equal((await report(tids.c)).status, 'mail', 'nothing changed');
  /* the token of the session does it */
  const ok = await postComplete(tids.c, intake.jar, goodFields(csrf), { kind: 'product' });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
});
