// t0300: every access rule has a test that tries to break it (SPEC 1).
// Who may list, open, decide and download; the finder-identity boundary
// between the receiving organisation and the coordinator (G IV.3(1)6); the
// finder's status page; CSRF on cookie sessions (sign-in throttling: t0320).
// Contract: docs/api/reports.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, serveOn, postReport, api, productReport, rid, PGP_KEY, PASSWORD, USERS,
  CookieJar, browse, csrfField, login, multipartBody, rawRequest, fieldErrors,
} from './lib/server.mjs';

let srv;
let withheld;  /* a report whose finder did not consent to sharing identity */
let shared;    /* a report whose finder did */

const SECRET_FINDER = {
  name: 'Zeta Withheld-Finder',
  email: 'zeta.withheld@finder-private.example',
  organization: 'Zeta Private Security Lab',
  phone: '+81-90-5555-0199',
  pgp_key: PGP_KEY,
};
/* A line of the key body: a leak of the key shows up as this string. */
const PGP_MARK = 'mDMEawJezxYJKwYBBAHaRw8BAQdADwZNXavZRR6OSQrdn4CS26LM4xKhBw2yqx19';

before(async () => {
  srv = await startServer();

  const a = productReport();
  a.finder = { ...SECRET_FINDER };
  a.encrypted_contact = true;
  a.consent = { share_identity: false, direct_contact: false, credit: true, credit_name: 'zeta-handle' };
  a.attachments = [{ filename: 'poc.txt', content_type: 'text/plain', data_base64: Buffer.from('secret PoC').toString('base64') }];
  const ra = await postReport(srv.url, a);
  assert.equal(ra.status, 201, ra.text);
  withheld = { body: a, tid: ra.json.tracking_id, statusUrl: ra.json.status_url };

  const b = productReport();
  b.finder = { name: 'Omega Shared-Finder', email: 'omega.shared@finder-ok.example', organization: 'Omega Org', phone: '+81-3-5555-0100', pgp_key: '' };
  b.consent = { share_identity: true, direct_contact: true, credit: false, credit_name: '' };
  const rb = await postReport(srv.url, b);
  assert.equal(rb.status, 201, rb.text);
  shared = { body: b, tid: rb.json.tracking_id, statusUrl: rb.json.status_url };
});
after(async () => { await srv?.stop(); });

const get = (tid, token, opts = {}) => api(srv.url, `/api/v1/reports/${rid(tid)}`, { token, ...opts });
const list = (token, opts = {}) => api(srv.url, '/api/v1/reports', { token, ...opts });
const decide = (tid, token, body = { decision: 'accept' }, opts = {}) =>
  api(srv.url, `/api/v1/reports/${rid(tid)}/decision`, { method: 'POST', token, body, ...opts });
const download = (tid, token, i = 0) => api(srv.url, `/api/v1/reports/${rid(tid)}/attachments/${i}`, { token });

function assertNoFinderContact(text, finder, where) {
  for (const k of ['name', 'email', 'organization', 'phone']) {
    if (finder[k]) assert.ok(!text.includes(finder[k]), `${where}: finder ${k} ${JSON.stringify(finder[k])} must not appear`);
  }
  if (finder.pgp_key) assert.ok(!text.includes(PGP_MARK), `${where}: finder pgp_key must not appear`);
}

async function assertStillReceived(tid) {
  const g = await get(tid, srv.tokens.intake);
  assert.equal(g.json.status, 'received', `${tid} is still received`);
}

// ---- anonymous ----------------------------------------------------------------------

// SPEC 1
test('anonymous callers get 401 everywhere but report submission', async () => {
  assert.equal((await list()).status, 401);
  assert.equal((await list(undefined, { accept: 'application/json' })).status, 401);
  assert.equal((await get(withheld.tid)).status, 401);
  assert.equal((await decide(withheld.tid)).status, 401);
  assert.equal((await download(withheld.tid)).status, 401);
  const r = await get(withheld.tid);
  assert.equal(typeof r.json?.error, 'string', 'a 401 has the error shape');
  assertNoFinderContact(r.text, SECRET_FINDER, 'anonymous 401');
  await assertStillReceived(withheld.tid);
});

// SPEC 1
test('a garbage or malformed bearer token -> 401', async () => {
  const bad = [
    { authorization: 'Bearer not-a-real-token' },
    { authorization: 'Bearer ' },
    { authorization: `Bearer ${srv.tokens.intake}x` },
    { authorization: `Bearer ${srv.tokens.intake.slice(0, -1)}` },
    { authorization: `Basic ${Buffer.from(`intake@ipa.example:${PASSWORD}`).toString('base64')}` },
    { authorization: srv.tokens.intake },
  ];
  for (const headers of bad) {
    assert.equal((await api(srv.url, '/api/v1/reports', { headers })).status, 401, JSON.stringify(headers));
    assert.equal((await api(srv.url, `/api/v1/reports/${rid(withheld.tid)}`, { headers })).status, 401);
    assert.equal((await api(srv.url, `/api/v1/reports/${rid(withheld.tid)}/decision`,
      { method: 'POST', headers, body: { decision: 'accept' } })).status, 401);
  }
  // A token in the query string is not a login.
  assert.equal((await api(srv.url, `/api/v1/reports?token=${srv.tokens.intake}`)).status, 401);
  await assertStillReceived(withheld.tid);
});

// ---- vendor and operator ---------------------------------------------------------------

for (const role of ['vendor', 'operator']) {
  // SPEC 1: a vendor / site operator sees only cases it was notified of. Until
  // cases exist no row of the policy (docs/internals/access.md) lets these roles
  // read, decide on or download anything, so the gate refuses every route the
  // same way, for an existing report and for a missing one alike.
  test(`${role} token: list, get, decision and download all 403, alike for a missing report`, async () => {
    const token = srv.tokens[role];
    const l = await list(token);
    assert.equal(l.status, 403, l.text);
    assert.ok(!l.text.includes(withheld.tid));
    const missing = await get('IPA#99999999', token);
    assert.equal(missing.status, 403, missing.text);
    for (const rep of [withheld, shared]) {
      const g = await get(rep.tid, token);
      assert.equal(g.status, 403, g.text);
      assert.deepEqual(g.json, missing.json, 'an existing report is answered like a missing one');
      assertNoFinderContact(g.text, rep.body.finder, `${role} GET`);
      const d = await decide(rep.tid, token);
      assert.equal(d.status, 403, `${role} decision: ${d.text}`);
      const a = await download(rep.tid, token);
      assert.equal(a.status, 403, `${role} download: ${a.text}`);
      assert.ok(!a.text.includes('secret PoC'));
    }
    await assertStillReceived(withheld.tid);
    await assertStillReceived(shared.tid);
  });
}

// ---- coordinator: the finder-identity boundary ------------------------------------------

// SPEC 1 (G IV.3(1)6): finder identity ONLY where the finder consented.
test('coordinator gets no finder identity without consent', async () => {
  const g = await get(withheld.tid, srv.tokens.coordinator);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.tracking_id, withheld.tid);
  assert.equal(g.json.finder, null);
  assert.equal(g.json.finder_withheld, true);
  assertNoFinderContact(g.text, SECRET_FINDER, 'coordinator GET');
  // The vulnerability data itself is there.
  assert.equal(g.json.product.name, withheld.body.product.name);
  assert.equal(g.json.details.summary, withheld.body.details.summary);

  const l = await list(srv.tokens.coordinator);
  assert.equal(l.status, 200, l.text);
  assert.ok(l.json.reports.some((x) => x.tracking_id === withheld.tid));
  assertNoFinderContact(l.text, SECRET_FINDER, 'coordinator list');
});

// SPEC 1 (G IV.3(1)6)
test('coordinator gets the finder identity when the finder consented', async () => {
  const g = await get(shared.tid, srv.tokens.coordinator);
  assert.equal(g.status, 200, g.text);
  assert.deepEqual(g.json.finder, shared.body.finder);
  assert.notEqual(g.json.finder_withheld, true);
});

// SPEC 1: the boundary holds after acceptance too.
test('coordinator still gets no finder identity after the report is accepted', async () => {
  const body = productReport();
  body.finder = { ...SECRET_FINDER, email: 'zeta2.withheld@finder-private.example' };
  body.encrypted_contact = true;
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
  const acc = await decide(r.json.tracking_id, srv.tokens.intake);
  assert.equal(acc.status, 200, acc.text);
  const g = await get(r.json.tracking_id, srv.tokens.coordinator);
  assert.equal(g.status, 200);
  assert.equal(g.json.status, 'accepted');
  assert.equal(g.json.finder, null);
  assert.equal(g.json.finder_withheld, true);
  assertNoFinderContact(g.text, body.finder, 'coordinator GET after acceptance');
  assertNoFinderContact((await list(srv.tokens.coordinator, {})).text, body.finder, 'coordinator list');
  assertNoFinderContact((await api(srv.url, '/api/v1/reports?status=accepted', { token: srv.tokens.coordinator })).text,
    body.finder, 'coordinator list ?status=accepted');
});

// SPEC 2.2: only intake decides.
test('coordinator cannot decide (403) and cannot download attachments', async () => {
  const d = await decide(withheld.tid, srv.tokens.coordinator);
  assert.equal(d.status, 403, d.text);
  assertNoFinderContact(d.text, SECRET_FINDER, 'coordinator decision');
  const rj = await decide(withheld.tid, srv.tokens.coordinator, { decision: 'reject', reason: 'incomplete' });
  assert.equal(rj.status, 403, rj.text);
  const a = await download(withheld.tid, srv.tokens.coordinator);
  assert.equal(a.status, 403, `coordinator download: ${a.text}`);
  assert.ok(!a.text.includes('secret PoC'));
  await assertStillReceived(withheld.tid);
});

// ---- intake and admin -------------------------------------------------------------------

// SPEC 1: the receiving organisation sees everything, including finder identity.
test('intake and admin see the finder; admin does not decide', async () => {
  for (const role of ['intake', 'admin']) {
    const g = await get(withheld.tid, srv.tokens[role]);
    assert.equal(g.status, 200, `${role}: ${g.text}`);
    assert.deepEqual({ ...g.json.finder, pgp_key: g.json.finder.pgp_key.trim() },
      { ...SECRET_FINDER, pgp_key: SECRET_FINDER.pgp_key.trim() });
    const a = await download(withheld.tid, srv.tokens[role]);
    assert.equal(a.status, 200, `${role} download`);
    assert.equal(a.text, 'secret PoC');
  }
  // Contract: POST .../decision is role intake only.
  const d = await decide(withheld.tid, srv.tokens.admin);
  assert.equal(d.status, 403, d.text);
  await assertStillReceived(withheld.tid);
});

// ---- the finder's status page ---------------------------------------------------------------

// SPEC 1 (a finder sees own reports and their progress); P 3 (finder info is confidential)
test('the finder status page shows its own report only and no contact data', async () => {
  for (const [mine, other] of [[withheld, shared], [shared, withheld]]) {
    const s = await api(srv.url, mine.statusUrl, { accept: 'application/json' });
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.tracking_id, mine.tid);
    assert.equal(s.json.finder, undefined, 'no finder object on the status page');
    assertNoFinderContact(s.text, mine.body.finder, 'status JSON');
    assertNoFinderContact(s.text, other.body.finder, 'status JSON (other report)');
    assert.ok(!s.text.includes(other.tid), 'the status page does not name other reports');

    const h = await api(srv.url, mine.statusUrl, { accept: 'text/html' });
    assert.equal(h.status, 200);
    assert.match(h.headers.get('content-type') ?? '', /^text\/html/);
    assert.ok(h.text.includes(mine.tid), 'the HTML status page shows the tracking id');
    assert.ok(!h.text.includes(other.tid), 'the HTML status page does not name other reports');
    assertNoFinderContact(h.text, other.body.finder, 'status HTML (other report)');
  }
});

// STYLE.md: HTML is escaped by construction.
test('the status page escapes the staff note', async () => {
  const r = await postReport(srv.url, productReport());
  assert.equal(r.status, 201);
  const note = '<script>alert("kk-xss")</script><img src=x onerror=alert(1)>';
  const d = await decide(r.json.tracking_id, srv.tokens.intake, { decision: 'reject', reason: 'incomplete', note });
  assert.equal(d.status, 200, d.text);
  const h = await api(srv.url, r.json.status_url, { accept: 'text/html' });
  assert.equal(h.status, 200);
  assert.ok(!h.text.includes('<script>alert("kk-xss")'), 'the note is not raw HTML');
  assert.ok(!h.text.includes('<img src=x'), 'the note is not raw HTML');
  assert.ok(h.text.includes('&lt;script&gt;'), 'the note is shown escaped');
});

// ---- cookie sessions and CSRF ---------------------------------------------------------------

/* The CSRF token for a logged-in browser session: the hidden `csrf` field of
 * the intake queue page, which every staff page carries. */
async function sessionCsrf(jar) {
  const q = await browse(srv.url, '/intake', jar);
  assert.equal(q.status, 200, 'the intake queue page');
  return csrfField(q.text);
}

// SPEC 1 / contract: with the cookie, unsafe methods must also send X-CSRF-Token.
test('a cookie session needs X-CSRF-Token on POST', async () => {
  const { res, jar, csrf } = await login(srv.url, 'intake@ipa.example');
  assert.ok(csrf, 'GET /login has a hidden csrf field');
  assert.equal(res.status, 303, `POST /login: ${res.text}`);
  assert.equal(res.headers.get('location'), '/intake', 'the intake staff land on their queue');
  assert.ok(jar.get('kk_session'), `login sets kk_session: ${jar.raw.join(' | ')}`);

  // Safe requests work with the cookie alone.
  const l = await browse(srv.url, '/api/v1/reports', jar);
  assert.equal(l.status, 200, l.text);

  const r = await postReport(srv.url, productReport());
  assert.equal(r.status, 201);
  const target = r.json.tracking_id;
  const path = `/api/v1/reports/${rid(target)}/decision`;
  const send = (headers) => fetch(srv.url + path, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ decision: 'accept' }),
  });
  const noToken = await send({});
  assert.equal(noToken.status, 403, 'no X-CSRF-Token');
  const wrong = await send({ 'x-csrf-token': 'forged-token' });
  assert.equal(wrong.status, 403, 'wrong X-CSRF-Token');
  const empty = await send({ 'x-csrf-token': '' });
  assert.equal(empty.status, 403, 'empty X-CSRF-Token');
  await assertStillReceived(target);

  // Control: with the session's token the same request goes through.
  const token = await sessionCsrf(jar);
  assert.ok(token, 'a logged-in page carries the CSRF token');
  const ok = await send({ 'x-csrf-token': token });
  assert.equal(ok.status, 200, `with X-CSRF-Token: ${await ok.text()}`);
});

// SPEC 1: login CSRF
test('POST /login without the csrf field does not log in', async () => {
  const jar = new CookieJar();
  await browse(srv.url, '/login', jar);
  const r = await browse(srv.url, '/login', jar, { method: 'POST', form: { email: 'intake@ipa.example', password: PASSWORD } });
  assert.ok(!jar.get('kk_session'), `no session without csrf (status ${r.status})`);
});

test('a wrong password does not log in', async () => {
  const { jar } = await login(srv.url, 'coord@jpcert.example', 'wrong password');
  assert.ok(!jar.get('kk_session'));
  const { jar: jar2 } = await login(srv.url, 'nobody@nowhere.example', PASSWORD);
  assert.ok(!jar2.get('kk_session'));
});

test('the session cookie is HttpOnly and SameSite', async () => {
  const { jar } = await login(srv.url, 'coord@jpcert.example');
  const line = jar.setCookieLine('kk_session');
  assert.ok(line, 'kk_session is set');
  assert.match(line, /;\s*HttpOnly\b/i);
  assert.match(line, /;\s*SameSite=(Lax|Strict)\b/i);
  assert.match(line, /;\s*Path=\//i);
});

// Sign-in throttling (growing delays per account and per source address, no
// lock-out) is t0320-login-throttle.

// ---- the HTML staff pages and forms ------------------------------------------------------

/* The href of the first link on a page whose URL or text holds the tracking id. */
function linkTo(html, tid) {
  for (const m of html.matchAll(/<a\b[^>]*href=["']([^"']+)["'][^>]*>([\s\S]*?)<\/a>/gi)) {
    const href = m[1].replace(/&amp;/g, '&');
    if (href.includes(rid(tid)) || href.includes(tid) || m[2].includes(tid)) {
      return /^https?:/.test(href) ? new URL(href).pathname : href;
    }
  }
  return undefined;
}

/* The action of form#decision on a page, or undefined. */
function decisionAction(html) {
  const m = /<form\b[^>]*\bid=["']decision["'][^>]*>/i.exec(html);
  const a = m && /\baction=["']([^"']+)["']/i.exec(m[0]);
  return a ? a[1].replace(/&amp;/g, '&') : undefined;
}

/* The intake staff's page for a report, found through the queue page. */
async function reportPagePath(tid) {
  const { jar } = await login(srv.url, USERS.intake.email);
  const q = await browse(srv.url, '/intake', jar);
  assert.equal(q.status, 200, 'the intake queue page');
  const href = linkTo(q.text, tid);
  assert.ok(href, `the queue page links ${tid}`);
  const page = await browse(srv.url, href, jar);
  assert.equal(page.status, 200);
  return { href, page, jar };
}

// SPEC 1 (G IV.3(1)6): the boundary holds on the HTML pages too.
test('coordinator\'s HTML pages show no finder identity without consent', async () => {
  const { href, page: intakePage } = await reportPagePath(withheld.tid);
  assert.ok(intakePage.text.includes(SECRET_FINDER.email), 'control: intake sees the finder e-mail on the page');

  const { jar } = await login(srv.url, USERS.coordinator.email);
  assert.ok(jar.get('kk_session'));
  const q = await browse(srv.url, '/intake', jar);
  assert.equal(q.status, 200);
  assertNoFinderContact(q.text, SECRET_FINDER, 'coordinator queue page');
  const p = await browse(srv.url, href, jar);
  assert.equal(p.status, 200, `coordinator opens ${href}`);
  assert.ok(p.text.includes(withheld.tid));
  assertNoFinderContact(p.text, SECRET_FINDER, 'coordinator report page');

  // Attachment links from the intake page do not work for the coordinator.
  const att = [...intakePage.text.matchAll(/href=["']([^"']*attachments[^"']*)["']/gi)].map((m) => m[1].replace(/&amp;/g, '&'));
  assert.ok(att.length >= 1, 'the intake page links the attachment');
  const d = await browse(srv.url, att[0], jar);
  assert.equal(d.status, 403, `coordinator attachment page download: ${d.status}`);
  assert.ok(!d.text.includes('secret PoC'));
});

// SPEC 1: vendors and site operators never see the intake pages.
test('vendor and operator sessions cannot open the intake pages', async () => {
  const { href } = await reportPagePath(shared.tid);
  for (const role of ['vendor', 'operator']) {
    const { jar } = await login(srv.url, USERS[role].email);
    assert.ok(jar.get('kk_session'), `${role} logs in`);
    const q = await browse(srv.url, '/intake', jar);
    assert.ok([403, 404].includes(q.status), `${role} /intake: ${q.status}`);
    assert.ok(!q.text.includes(shared.tid));
    const p = await browse(srv.url, href, jar);
    assert.ok([403, 404].includes(p.status), `${role} ${href}: ${p.status}`);
    assertNoFinderContact(p.text, shared.body.finder, `${role} report page`);
    assert.ok(!p.text.includes(shared.body.details.summary), `${role} sees no report detail`);
  }
});

// SPEC 2.2 and CSRF on the HTML decision form.
test('the HTML decision form needs the csrf field and the intake role', async () => {
  const r = await postReport(srv.url, productReport());
  assert.equal(r.status, 201);
  const tid = r.json.tracking_id;
  const { href, page, jar } = await reportPagePath(tid);
  const action = decisionAction(page.text);
  assert.equal(action, `${href}/decision`, 'form#decision posts to the report\'s decision');
  const token = csrfField(page.text);
  assert.ok(token, 'form#decision carries the csrf field');

  const post = (j, form) => browse(srv.url, action, j, { method: 'POST', form });
  const noCsrf = await post(jar, { decision: 'accept' });
  assert.equal(noCsrf.status, 403, `no csrf: ${noCsrf.status}`);
  const badCsrf = await post(jar, { decision: 'accept', csrf: 'forged' });
  assert.equal(badCsrf.status, 403, `forged csrf: ${badCsrf.status}`);
  await assertStillReceived(tid);

  // A coordinator with its own valid token still may not decide: the report's
  // page shows it no decision form, and a forged post of one is refused.
  const coord = (await login(srv.url, USERS.coordinator.email)).jar;
  const coordPage = await browse(srv.url, href, coord);
  assert.equal(coordPage.status, 200, 'the coordinator reads the report');
  assert.equal(decisionAction(coordPage.text), undefined, 'no decision form for the coordinator');
  const coordToken = csrfField(coordPage.text);
  assert.ok(coordToken, 'the coordinator\'s page carries its session\'s csrf field');
  const c = await post(coord, { decision: 'accept', csrf: coordToken });
  assert.equal(c.status, 403, `coordinator decision form: ${c.status}`);
  await assertStillReceived(tid);

  // Control: the intake session with its token decides.
  const ok = await post(jar, { decision: 'accept', csrf: token });
  assert.equal(ok.status, 303, `intake decision form: ${ok.text}`);
  assert.equal(ok.headers.get('location'), href, 'back to the report\'s page');
  const g = await get(tid, srv.tokens.intake);
  assert.equal(g.json.status, 'accepted');
});

// CSRF on the finder's report form (multipart).
test('the report form refuses a POST without the csrf field and stores nothing', async () => {
  const countBefore = (await list(srv.tokens.intake)).json.reports.length;
  const fields = {
    'finder.name': 'CSRF Victim', 'finder.email': 'csrf-victim@example.jp',
    'consent.share_identity': 'false', 'consent.direct_contact': 'false', 'consent.credit': 'false',
    'product.name': 'Forged Product', 'details.summary': 'forged', 'details.environment': 'forged env',
    'details.steps': 'forged steps', 'details.result': 'forged result', 'other_reports.reported_elsewhere': 'false',
    'other_reports.vendor_told_directly': 'false', 'wants_final_result': 'false', 'encrypted_contact': 'false',
  };
  const send = (f, cookie) => {
    const { body, contentType } = multipartBody(f);
    const headers = { 'content-type': contentType, 'content-length': body.length };
    if (cookie) headers.cookie = cookie;
    return rawRequest(srv.url, '/report/product', { headers, body });
  };
  const none = await send(fields);
  assert.equal(none.status, 403, `no csrf: ${none.status}`);

  const jar = new CookieJar();
  const form = await browse(srv.url, '/report/product', jar);
  const token = csrfField(form.text);
  assert.ok(token, 'the report form has a csrf field');
  const noCookie = await send({ ...fields, csrf: token });
  assert.equal(noCookie.status, 403, `csrf field without its cookie: ${noCookie.status}`);
  const forged = await send({ ...fields, csrf: 'forged' }, jar.header());
  assert.equal(forged.status, 403, `forged csrf: ${forged.status}`);
  assert.equal((await list(srv.tokens.intake)).json.reports.length, countBefore, 'nothing stored');

  // Control: the same form with the page's csrf field and cookie goes in.
  const ok = await send({ ...fields, csrf: token }, jar.header());
  assert.equal(ok.status, 303, `with csrf: ${ok.status} ${fieldErrors(ok.text)}`);
  assert.match(ok.headers.location ?? '', /\/r\/[A-Za-z0-9_-]{22,}$/);
  assert.equal((await list(srv.tokens.intake)).json.reports.length, countBefore + 1, 'only the good form was stored');
});

// Evidence is the finder's file, never a page of ours: a file declared
// text/html is handed over as a download under the sandbox policy (issue 7).
test('an attachment declared text/html is a sandboxed download', async () => {
  const body = productReport();
  const html = '<script>document.title = "kk-evidence-ran"</script>';
  body.attachments = [{ filename: 'poc.html', content_type: 'text/html',
    data_base64: Buffer.from(html).toString('base64') }];
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
  const d = await download(r.json.tracking_id, srv.tokens.intake);
  assert.equal(d.status, 200);
  assert.equal(d.buf.toString(), html, 'the bytes are the finder\'s');
  assert.match(d.headers.get('content-disposition') ?? '', /^attachment\b/i);
  const csp = d.headers.get('content-security-policy') ?? '';
  assert.match(csp, /\bsandbox\b/, `CSP: ${csp}`);
  assert.match(csp, /default-src 'none'/, `CSP: ${csp}`);
  assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
});

// Behind TLS (--secure-cookies) browsers are told to keep to https (issue 7).
test('HSTS is sent when cookies are secure, and only then', async () => {
  const plain = await fetch(srv.url + '/login');
  assert.equal(plain.headers.get('strict-transport-security'), null);
  const tls = await serveOn(srv.db, { args: ['--secure-cookies'] });
  try {
    const r = await fetch(tls.url + '/login');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('strict-transport-security') ?? '', /^max-age=\d{8,}/);
  } finally {
    await tls.stop();
  }
});
