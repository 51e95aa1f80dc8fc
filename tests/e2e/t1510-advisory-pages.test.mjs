// t1510: the advisory pages and feeds (issue 12; SPEC 6, 2.11, 1; docs/api/portal.md):
// a case published through the real flow -- three vendors notified (one affected
// with a countermeasure and a statement, one not affected, one silent), the date
// set, the advisory written and approved on the coordinator's page, `keikai tick`
// with KEIKAI_NOW one minute before the agreed minute (the portal, the index and
// both feeds show nothing of it) and one minute after (the page, the index and
// both feeds show it; a second case whose date has not come stays unpublished).
// Then: the 11 items and every vendor's status, "no response" for the silent one,
// in Japanese and English with the link to the other language; XSS strings in
// every text field, the credit name and a vendor's name escaped on every page and
// in the feeds; the feeds valid against JVN's jvnrss_3.2.xsd and atom.xsd
// (skipped, and counted as skipped, without ../shared/data); Cache-Control,
// ETag, Last-Modified, 304, canonical and hreflang links, no cookie on a public
// page; a missing or unpublished advisory the same 404 as any missing page; the
// draft's page by role (the coordinator's form with each fault next to its field
// in English and Japanese, intake and admin read-only, the case's vendor its own
// entry and a comment form, a vendor not on the case the 404 of a missing case,
// others 403 or the sign-in page); a revision after publication in the history.
// Runs on the engine of the run (SQLite, or PostgreSQL with KEIKAI_TEST_PG).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  startServer, api, browse, login, keikai, csrfField, productReport, CookieJar, REPO_ROOT, USERS,
} from './lib/server.mjs';
import { acceptedReport, openCase, vendorWithUser, sql } from './lib/cases.mjs';

const NOW0 = '2027-03-01T01:00:00Z'; /* Monday 10:00 in Japan: day 0 */
const DATE = '2027-03-10'; /* a Wednesday, a business day */
const PUB = Date.parse('2027-03-10T02:00:00Z') / 1000; /* 11:00 in Japan, the default publication time */
const DATE2 = '2027-03-24'; /* the second case's date: still to come */
const iso = (t) => new Date(t * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const SCHEMAS = path.join(REPO_ROOT, '../shared/data/myjvn/schemas/hnd');

/* XSS in every text field: each carries its own marker, so a page can be checked
 * for every one, escaped, and none of them live. Markdown refuses raw HTML, so
 * there the tag comes escaped with a backslash (literal text to cmark). */
const TAG = (k) => `<script>alert('${k}')</script><img src=x onerror=alert('${k}')>`;
const MD = (k) => `X-${k} \\<script>alert('${k}')\\</script> \`<img src=x onerror=alert('${k}')>\``;
const LIVE = /<script>alert|<img src=x/;
const MEMBERS = ['overview', 'affected', 'description', 'impact', 'countermeasures', 'workarounds', 'contact'];

let srv;
let ref; let ref2;
let vendors; /* a, b, c: {vendor, token, email} */
let coord; /* the coordinator's cookie jar */
let slug; let id;

const cp = (r, suffix = '') => `/api/v1/cases/${encodeURIComponent(r)}${suffix}`;
const pp = (r, suffix = '') => `/cases/${encodeURIComponent(r)}${suffix}`;
const anon = (p, opts = {}) => browse(srv.url, p, new CookieJar(), opts);

/* The advisory form of case r as the coordinator posts it: every field. */
function advisoryForm(k = 'A') {
  const f = {};
  for (const l of ['ja', 'en']) {
    f[`texts.${l}.title`] = `${l === 'ja' ? 'ルーター' : 'Router'} XSS T-${k}-${l} ${TAG(`title-${l}`)}`;
    for (const m of MEMBERS) f[`texts.${l}.${m}`] = MD(`${m}-${l}`);
  }
  f['texts.ja.overview'] = `概要${k}: 管理画面に脆弱性があります。 ${MD('overview-ja')}`;
  f['texts.en.overview'] = `Overview ${k}: the admin page is vulnerable. ${MD('overview-en')}`;
  f.cvss3 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H';
  f.cvss4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
  f.references = `https://example.jp/advisory/1 ${TAG('ref')}\nhttps://example.jp/advisory/2 Second link`;
  f.cves = 'CVE-2027-10001, CVE-2027-10002';
  f.cwes = 'CWE-79';
  f.cpes = 'cpe:2.3:a:example:router:1.2.3:*:*:*:*:*:*:*';
  f.kind = '';
  f.note = 'first draft';
  return f;
}

/* Posts form on the coordinator's advisory page of case r to action. */
async function postAdvisory(r, action, form, lang = 'en', jar = coord) {
  const page = await browse(srv.url, pp(r, '/advisory'), jar, { lang });
  assert.equal(page.status, 200, page.text.slice(0, 300));
  const csrf = csrfField(page.text);
  assert.ok(csrf);
  return browse(srv.url, action, jar, { method: 'POST', form: { ...form, csrf }, lang });
}

/* Every marker of the form escaped in text, and none of them live. */
function assertEscaped(text, what, langs = ['ja', 'en']) {
  assert.doesNotMatch(text, LIVE, `${what}: an XSS string is live`);
  for (const l of langs) {
    assert.ok(text.includes(`&lt;script&gt;alert(&#39;title-${l}&#39;)`) || text.includes(`&lt;script&gt;alert('title-${l}')`)
      || text.includes(`&lt;script&gt;alert(&apos;title-${l}&apos;)`), `${what}: the ${l} title escaped`);
  }
}

/* `keikai tick` at unix time t. */
const tick = (t) => keikai(['tick', '--db', srv.db, '--json'], { env: { KEIKAI_NOW: iso(t), LANG: 'C.UTF-8' } });

before(async () => {
  srv = await startServer({ serveEnv: { KEIKAI_NOW: NOW0, KEIKAI_TICK_SECONDS: '86400' } });
  vendors = {};
  const specs = [
    ['a', { name_en: `Evil ${TAG('vendor')} Corp`, preferred_lang: 'en' }],
    ['b', { name_ja: 'ベータ電機', preferred_lang: 'ja' }],
    ['c', { name_en: 'Silent Soft', preferred_lang: 'en' }],
    ['d', { name_en: 'Other Corp', preferred_lang: 'en' }],
  ];
  for (const [key, body] of specs) {
    const email = `psirt@${key}.example.jp`;
    const { vendor, token } = await vendorWithUser(srv, { ...body, contacts: [{ channel: 'email', value: email, is_primary: true }] },
      `user@${key}.example.jp`, { org: `Org ${key}` });
    vendors[key] = { vendor, token, email };
  }
  const report = productReport();
  report.consent.credit_name = `Finder ${TAG('credit')}`;
  const r1 = await acceptedReport(srv, report);
  const r2 = await acceptedReport(srv);
  ref = (await openCase(srv, [r1.tid], { title: 'XSS in Router', summary: 'S.', detail: 'D.' })).id;
  ref2 = (await openCase(srv, [r2.tid], { title: 'Second case', summary: 'S2.', detail: 'D2.' })).id;
  /* SPEC 2.6: notified; A affected with a fix and a statement, B not affected, C silent */
  /* D is on the second case only, which stays unpublished */
  for (const [r, ids] of [[ref, ['a', 'b', 'c']], [ref2, ['a', 'd']]]) {
    const n = await api(srv.url, cp(r, '/notify'), { token: srv.tokens.coordinator, lang: 'en',
      body: { vendor_ids: ids.map((k) => vendors[k].vendor.id) } });
    assert.equal(n.status, 200, n.text);
  }
  const a = vendors.a.token;
  let x = await api(srv.url, cp(ref, '/answer'), { token: a, body: { answer: 'send_detail' } });
  assert.equal(x.status, 200, x.text);
  x = await api(srv.url, cp(ref, '/status'), { token: a, body: { vulnerability: 1, status: 'affected' } });
  assert.equal(x.status, 200, x.text);
  x = await api(srv.url, cp(ref, '/countermeasures'), { token: a, body: { vulnerability: 1, product_name: `Router ${TAG('product')}`,
    fixed_versions: ['1.2.4'], urls: ['https://evil.example/fix'], workaround_ja: `回避 ${TAG('wa-ja')}`, workaround_en: `Avoid ${TAG('wa-en')}` } });
  assert.equal(x.status, 200, x.text);
  x = await api(srv.url, cp(ref, '/statement'), { token: a, body: { ja: `声明 ${TAG('stmt-ja')}`, en: `Statement ${TAG('stmt-en')}` } });
  assert.equal(x.status, 200, x.text);
  x = await api(srv.url, cp(ref, '/answer'), { token: vendors.b.token, body: { answer: 'not_applicable', reason: '該当製品なし' } });
  assert.equal(x.status, 200, x.text);
  /* SPEC 2.8: the one date of each case */
  for (const [r, d] of [[ref, DATE], [ref2, DATE2]]) {
    x = await api(srv.url, cp(r, '/date'), { token: srv.tokens.coordinator, lang: 'en', body: { date: d, reason: 'agreed' } });
    assert.equal(x.status, 200, x.text);
  }
  ({ jar: coord } = await login(srv.url, USERS.coordinator.email));
});

after(async () => { await srv?.stop(); });

test('the coordinator writes the advisory on its page; each fault next to its field, in English and Japanese', async () => {
  const page = await browse(srv.url, pp(ref, '/advisory'), coord, { lang: 'en' });
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.match(page.text, /id="form-advisory"/);
  /* SPEC 6 (6): the countermeasures pre-filled from the vendor's, escaped */
  assert.match(page.text, /1\.2\.4/);
  assert.doesNotMatch(page.text, LIVE);
  /* the case page links it */
  const casePage = await browse(srv.url, pp(ref), coord, { lang: 'en' });
  assert.match(casePage.text, new RegExp(`<a href="/cases/${encodeURIComponent(ref)}/advisory" id="advisory-link">`));

  /* bad input: raw HTML in Markdown, a bad vector, a javascript: link, a bad CVE and CWE; nothing stored */
  const bad = { ...advisoryForm(), 'texts.ja.overview': '<b>太字</b>', cvss3: 'CVSS:3.1/AV:X', references: 'javascript:alert(1) Click',
    cves: 'CVE-27-1', cwes: 'CWE-abc' };
  for (const lang of ['en', 'ja']) {
    const r = await postAdvisory(ref, pp(ref, '/advisory'), bad, lang);
    assert.equal(r.status, 400, r.text.slice(0, 400));
    for (const f of ['texts.ja.overview', 'cvss3', 'references', 'cves', 'cwes']) {
      assert.match(r.text, new RegExp(`<p class="field-error" id="${f.replace(/\./g, '\\.')}-error" data-field="${f.replace(/\./g, '\\.')}">`),
        `${lang}: the fault of ${f} next to it`);
      assert.match(r.text, new RegExp(`href="#${f.replace(/\./g, '\\.')}"`), `${lang}: the summary links ${f}`);
    }
    assert.match(r.text, /id="error-summary"/);
    /* what was typed comes back, escaped */
    assert.match(r.text, /&lt;b&gt;太字&lt;\/b&gt;/);
    assert.match(r.text, /[“「]CVE-27-1[”」]/, 'the list item named');
    if (lang === 'ja') assert.match(r.text, /[\u3040-\u30ff]/);
    if (lang === 'en') assert.match(r.text, /The advisory was not saved/);
  }
  assert.equal(sql(srv, 'SELECT COUNT(*) FROM advisories'), '0', 'nothing stored');

  /* approve before saving: a conflict, said on the page */
  const early = await postAdvisory(ref, pp(ref, '/advisory/approve'), {});
  assert.equal(early.status, 409);

  /* SPEC 6: a draft may be unfinished, but approval wants every item but the workarounds in both languages */
  const partial = { ...advisoryForm(), 'texts.ja.impact': '', 'texts.en.contact': '', 'texts.en.workarounds': '' };
  const saved0 = await postAdvisory(ref, pp(ref, '/advisory'), partial);
  assert.equal(saved0.status, 303, saved0.text.slice(0, 300));
  for (const lang of ['en', 'ja']) {
    const r = await postAdvisory(ref, pp(ref, '/advisory/approve'), {}, lang);
    assert.equal(r.status, 400, r.text.slice(0, 300));
    assert.match(r.text, /data-field="texts\.ja\.impact"/, `${lang}: the missing item marked at its field`);
    assert.match(r.text, /data-field="texts\.en\.contact"/);
    assert.doesNotMatch(r.text, /data-field="texts\.en\.workarounds"/, 'there may be no workaround');
    assert.match(r.text, /id="advisory-state" data-state="draft"/);
    if (lang === 'en') assert.match(r.text, /cannot be approved yet/);
  }

  const ok = await postAdvisory(ref, pp(ref, '/advisory'), advisoryForm());
  assert.equal(ok.status, 303, ok.text.slice(0, 400));
  assert.match(ok.headers.get('location'), /\/advisory\?saved=save/);
  const saved = await browse(srv.url, ok.headers.get('location'), coord, { lang: 'en' });
  assert.match(saved.text, /id="saved"/);
  assert.match(saved.text, /id="advisory-state" data-state="draft"/);
  /* the preview is the public rendering, in both languages, escaped */
  assert.match(saved.text, /id="preview-ja"/);
  assert.match(saved.text, /id="preview-en"/);
  assertEscaped(saved.text, 'the coordinator\'s preview');
  assert.match(saved.text, /X-description-en &lt;script&gt;/);
  /* the finder's credit name, escaped (SPEC 6 (9)) */
  assert.match(saved.text, /Finder &lt;script&gt;/);
});

test('the form takes every text at its longest, percent-encoded (the body cap holds it)', async () => {
  /* SPEC 6: 16 texts, the Markdown ones at KK_ADVISORY_TEXT_MAX bytes of Japanese (3 bytes a character,
   * 9 once percent-encoded), the titles at 300 characters, 50 links, 100 CPE names */
  const form = advisoryForm('L');
  for (const l of ['ja', 'en']) {
    form[`texts.${l}.title`] = '長'.repeat(300);
    for (const m of MEMBERS) form[`texts.${l}.${m}`] = '脆'.repeat(21845);
  }
  form.references = Array.from({ length: 50 }, (_, i) => `https://example.jp/${'a'.repeat(1500)}/${i} ${'題'.repeat(290)}`).join('\n');
  form.cpes = Array.from({ length: 100 }, (_, i) => `cpe:2.3:a:example:product${i}:${'1'.repeat(200)}:*:*:*:*:*:*:*`).join('\n');
  const r = await postAdvisory(ref2, pp(ref2, '/advisory'), form);
  assert.equal(r.status, 303, r.text.slice(0, 400));
  assert.equal(sql(srv, `SELECT a.revision FROM advisories a JOIN cases c ON c.id = a.case_id WHERE c.ref = '${ref2}'`), '1');
});

test('the draft by role: intake and admin read it, the case\'s vendor previews its own entry and comments, others do not', async () => {
  for (const role of ['intake', 'admin']) {
    const { jar } = await login(srv.url, USERS[role].email);
    const r = await browse(srv.url, pp(ref, '/advisory'), jar, { lang: 'en' });
    assert.equal(r.status, 200, `${role}: ${r.text.slice(0, 200)}`);
    assert.doesNotMatch(r.text, /id="form-advisory"|id="form-approve"/, `${role} reads only`);
    assert.match(r.text, /Silent Soft/, `${role} sees every vendor`);
    const post = await browse(srv.url, pp(ref, '/advisory'), jar, { method: 'POST', form: { ...advisoryForm(), csrf: csrfField(r.text) } });
    assert.equal(post.status, 403, `${role} may not write`);
  }
  /* SPEC 6, SPEC 1: vendor A sees the draft with its own entry only */
  const { jar: va } = await login(srv.url, 'user@a.example.jp');
  const a = await browse(srv.url, pp(ref, '/advisory'), va, { lang: 'ja' });
  assert.equal(a.status, 200, a.text.slice(0, 300));
  assert.match(a.text, /id="vendor-lead"/);
  assert.match(a.text, /Evil &lt;script&gt;/, 'its own entry');
  assert.doesNotMatch(a.text, /Silent Soft|ベータ電機/, 'no other vendor');
  assert.doesNotMatch(a.text, /Finder &lt;script&gt;/, 'no acknowledgements before publication');
  assert.doesNotMatch(a.text, /id="form-advisory"/);
  assert.doesNotMatch(a.text, LIVE);
  const vcase = await browse(srv.url, pp(ref), va, { lang: 'en' });
  assert.match(vcase.text, new RegExp(`<a href="/cases/${encodeURIComponent(ref)}/advisory" id="advisory-link">`),
    'the vendor\'s case page links the preview');
  const empty = await browse(srv.url, pp(ref, '/advisory/comments'), va, { method: 'POST', form: { body: '', csrf: csrfField(a.text) }, lang: 'ja' });
  assert.equal(empty.status, 400);
  assert.match(empty.text, /data-field="body"/);
  const c = await browse(srv.url, pp(ref, '/advisory/comments'), va, { method: 'POST', form: { body: `Please fix ${TAG('comment')}`, csrf: csrfField(a.text) } });
  assert.equal(c.status, 303, c.text.slice(0, 300));
  const seen = await browse(srv.url, pp(ref, '/advisory'), coord, { lang: 'en' });
  assert.match(seen.text, /Please fix &lt;script&gt;/, 'the coordinator reads the comment');
  assert.doesNotMatch(seen.text, LIVE);
  /* a vendor writes nothing */
  const vw = await browse(srv.url, pp(ref, '/advisory'), va, { method: 'POST', form: { ...advisoryForm(), csrf: csrfField(a.text) } });
  assert.equal(vw.status, 403);

  /* SPEC 1: vendor D, not on the case, gets exactly the page of a case that does not exist */
  const { jar: vd } = await login(srv.url, 'user@d.example.jp');
  for (const lang of ['en', 'ja']) {
    const d = await browse(srv.url, pp(ref, '/advisory'), vd, { lang });
    const missing = await browse(srv.url, pp('VU#000000', '/advisory'), vd, { lang });
    assert.equal(d.status, 404);
    assert.equal(missing.status, 404);
    const norm = (t, r) => t.split(r).join('REF').split(encodeURIComponent(r)).join('REF');
    assert.equal(norm(d.text, ref), norm(missing.text, 'VU#000000'), `${lang}: no oracle`);
  }
  const dc = await browse(srv.url, pp(ref, '/advisory/comments'), vd, { method: 'POST', form: { body: 'x', csrf: csrfField((await browse(srv.url, '/cases', vd)).text) ?? '' } });
  assert.equal(dc.status, 404);
  /* others: the gate */
  const { jar: op } = await login(srv.url, USERS.operator.email);
  assert.equal((await browse(srv.url, pp(ref, '/advisory'), op)).status, 403);
  const an = await anon(pp(ref, '/advisory'));
  assert.equal(an.status, 303);
  assert.match(an.headers.get('location'), /^\/login\?next=/);
  const cc = await browse(srv.url, pp(ref, '/advisory/comments'), coord, { method: 'POST', form: { body: 'x', csrf: csrfField(seen.text) } });
  assert.equal(cc.status, 403, 'staff do not comment');
});

test('approved; the tick one minute before publishes nothing, one minute after publishes it (SPEC 6, issue 12 item 4)', async () => {
  let r = await postAdvisory(ref, pp(ref, '/advisory/approve'), { note: 'ok' });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const approved = await browse(srv.url, pp(ref, '/advisory'), coord, { lang: 'en' });
  assert.match(approved.text, /data-state="approved"/);
  assert.match(approved.text, /id="form-withdraw"/);
  assert.doesNotMatch(approved.text, /id="form-advisory"/, 'an approved advisory is not edited');
  /* withdraw and approve again, both through the page */
  r = await postAdvisory(ref, pp(ref, '/advisory/withdraw'), { note: 'again' });
  assert.equal(r.status, 303);
  assert.match((await browse(srv.url, pp(ref, '/advisory'), coord)).text, /data-state="draft"/);
  r = await postAdvisory(ref, pp(ref, '/advisory/approve'), {});
  assert.equal(r.status, 303);
  /* the second case: approved too, its date two weeks later */
  r = await postAdvisory(ref2, pp(ref2, '/advisory'), { ...advisoryForm('B'), 'texts.ja.title': '第二 SECOND-CASE', 'texts.en.title': 'SECOND-CASE' });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  r = await postAdvisory(ref2, pp(ref2, '/advisory/approve'), {});
  assert.equal(r.status, 303, r.text.slice(0, 400));

  const before = await tick(PUB - 60);
  assert.equal(JSON.parse(before.stdout).fired.publish ?? 0, 0, before.stdout);
  const idx = await anon('/advisories/?lang=en');
  assert.equal(idx.status, 200);
  assert.match(idx.text, /id="advisories-empty"/);
  assert.doesNotMatch(idx.text, /T-A-en|SECOND-CASE/);
  for (const f of ['/feed/jvnrss.rdf', '/feed/atom.xml', '/feed/jvnrss.rdf?lang=en']) {
    const feed = await anon(f);
    assert.equal(feed.status, 200, `${f}: ${feed.text.slice(0, 300)}`);
    assert.doesNotMatch(feed.text, /T-A-|SECOND-CASE/, `${f}: nothing yet`);
    assert.doesNotMatch(feed.text, /<item[ >]|<entry>/, `${f}: no item`);
  }
  assert.equal(sql(srv, "SELECT COUNT(*) FROM advisories WHERE state = 'published'"), '0');

  const afterTick = await tick(PUB + 60);
  assert.equal(JSON.parse(afterTick.stdout).fired.publish, 1, afterTick.stdout);
  const list = await anon('/advisories/?lang=en');
  assert.equal(list.status, 200);
  const m = list.text.match(/href="\/advisories\/((JVN|JVNVU)(\d{8}))\?lang=en"/);
  assert.ok(m, list.text.slice(0, 2000));
  slug = m[1];
  id = `${m[2]}#${m[3]}`;
  assert.match(list.text, /T-A-en/);
  assert.doesNotMatch(list.text, /SECOND-CASE/, 'the second case is still under embargo');
  assert.doesNotMatch(list.text, LIVE);
  /* SPEC 2.11: three vendors of the case, so JVNVU# */
  assert.equal(m[2], 'JVNVU');
});

test('the public advisory: the 11 items and every vendor\'s status, in Japanese and English, escaped', async () => {
  const ja = await anon(`/advisories/${slug}?lang=ja`);
  assert.equal(ja.status, 200, ja.text.slice(0, 300));
  assert.match(ja.text, /<html lang="ja">/);
  assert.match(ja.text, new RegExp(`<h1 id="advisory-title"><span class="advisory-id" id="advisory-id">${id}</span> ルーター XSS T-A-ja`));
  for (const sec of ['overview', 'affected', 'description', 'impact', 'cvss', 'countermeasures', 'workarounds', 'vendors',
    'references', 'acknowledgements', 'history', 'contact']) {
    assert.match(ja.text, new RegExp(`id="advisory-${sec}"`), `item ${sec}`);
  }
  assert.match(ja.text, /X-description-ja &lt;script&gt;alert/);
  assert.match(ja.text, /CVSS:3\.1\/AV:N\/AC:L\/PR:N\/UI:R\/S:U\/C:H\/I:H\/A:H/);
  assert.match(ja.text, /<td class="score">8\.8<\/td>/, 'the v3.1 base score, computed');
  assert.match(ja.text, /CVSS:4\.0\//);
  assert.match(ja.text, /href="https:\/\/www\.cve\.org\/CVERecord\?id=CVE-2027-10001"/);
  assert.match(ja.text, /CWE-79/);
  assert.match(ja.text, /cpe:2\.3:a:example:router:1\.2\.3/);
  assert.match(ja.text, /Finder &lt;script&gt;/, 'the credit name');
  /* SPEC 2.11: every notified vendor; the silent one "no response" */
  const rows = [...ja.text.matchAll(/<tr class="vendor([^"]*)" data-vendor="(\d+)">/g)];
  assert.deepEqual(rows.map((x) => Number(x[2])).sort(), ['a', 'b', 'c'].map((k) => vendors[k].vendor.id).sort());
  assert.deepEqual(rows.filter((x) => x[1].includes('no-response')).map((x) => Number(x[2])), [vendors.c.vendor.id]);
  assert.match(ja.text, /ベータ電機/);
  assert.match(ja.text, /Evil &lt;script&gt;alert/);
  assert.match(ja.text, /声明 &lt;script&gt;/, 'the statement in Japanese');
  assert.match(ja.text, /回避 &lt;script&gt;/);
  assert.match(ja.text, /1\.2\.4/);
  assert.match(ja.text, /2027年3月10日 11:0[01]/, 'published, in Japan\'s time');
  assertEscaped(ja.text, 'the public page (ja)', ['ja']);
  /* SPEC 1: no planted comment, nothing of the case's own texts */
  assert.doesNotMatch(ja.text, /Please fix|DETAIL|管理画面にログインする/);

  /* the link to the other language, and the English page */
  const other = ja.text.match(/<a href="([^"]+)" hreflang="en" lang="en" id="other-language">/);
  assert.ok(other);
  assert.equal(other[1], `/advisories/${slug}?lang=en`);
  const en = await anon(other[1]);
  assert.equal(en.status, 200);
  assert.match(en.text, /<html lang="en">/);
  assert.match(en.text, /Router XSS T-A-en/);
  assert.match(en.text, /Statement &lt;script&gt;/);
  assert.match(en.text, /10 March 2027 11:0[01] \(JST\)/);
  assert.match(en.text, /hreflang="ja" lang="ja" id="other-language"/);
  assertEscaped(en.text, 'the public page (en)', ['en']);
  /* canonical, hreflang and the feeds in <head> */
  assert.match(en.text, new RegExp(`<link rel="canonical" href="https?://[^"]+/advisories/${slug}\\?lang=en">`));
  assert.match(en.text, new RegExp(`<link rel="alternate" hreflang="ja" href="https?://[^"]+/advisories/${slug}\\?lang=ja">`));
  assert.match(en.text, new RegExp(`<link rel="alternate" hreflang="x-default" href="https?://[^"]+/advisories/${slug}">`));
  assert.match(en.text, /<link rel="alternate" type="application\/rss\+xml" title="JVNRSS" href="https?:\/\/[^"]+\/feed\/jvnrss\.rdf\?lang=en">/);
  assert.match(en.text, /<link rel="alternate" type="application\/atom\+xml" title="Atom" href="https?:\/\/[^"]+\/feed\/atom\.xml\?lang=en">/);
  /* the address with "#" encoded names the same advisory */
  assert.equal((await anon(`/advisories/${encodeURIComponent(id)}?lang=en`)).status, 200);
  /* the coordinator's page links the public one */
  assert.match((await browse(srv.url, pp(ref, '/advisory'), coord)).text, new RegExp(`href="/advisories/${slug}"`));
});

test('a missing or unpublished advisory is the same 404 as any missing page (SPEC 1)', async () => {
  for (const lang of ['en', 'ja']) {
    const missing = await anon('/no-such-page-at-all', { lang });
    assert.equal(missing.status, 404);
    for (const p of ['/advisories/JVNVU00000000', '/advisories/JVN%2399999999', '/advisories/not-an-id', '/advisories/JVNTA12345678']) {
      const r = await anon(p, { lang });
      assert.equal(r.status, 404, p);
      const norm = (t, x) => t.split(x).join('PATH');
      assert.equal(norm(r.text, decodeURIComponent(p).replace('#', '%23')), norm(missing.text, '/no-such-page-at-all'), `${lang} ${p}`);
      assert.equal(r.headers.get('cache-control'), 'no-store', 'a 404 is never kept');
    }
  }
  /* the second case's advisory is approved, not published: no ID, no page, not in the feeds */
  assert.equal(sql(srv, `SELECT a.state || ':' || COALESCE(a.public_id, '-') FROM advisories a JOIN cases c ON c.id = a.case_id
    WHERE c.ref = '${ref2}'`), 'approved:-');
  for (const f of ['/feed/jvnrss.rdf', '/feed/atom.xml?lang=en', '/advisories/?lang=ja']) {
    assert.doesNotMatch((await anon(f)).text, /SECOND-CASE/, f);
  }
});

test('the feeds: one item each, escaped, valid JVNRSS 3.2 and Atom', async (t) => {
  const rss = await anon('/feed/jvnrss.rdf');
  assert.equal(rss.status, 200);
  assert.equal(rss.headers.get('content-type'), 'application/rdf+xml');
  assert.match(rss.text, /<rdf:RDF/);
  assert.match(rss.text, new RegExp(`<sec:identifier>${id}</sec:identifier>`));
  assert.match(rss.text, /ルーター XSS T-A-ja/, 'Japanese by default');
  assert.match(rss.text, /CVE-2027-10001/);
  assert.doesNotMatch(rss.text, /<script|<img/i, 'every XSS string escaped');
  const rssEn = await anon('/feed/jvnrss.rdf?lang=en');
  assert.match(rssEn.text, /Router XSS T-A-en/);
  assert.match(rssEn.text, new RegExp(`/advisories/${slug}\\?lang=en`));
  const atom = await anon('/feed/atom.xml?lang=en');
  assert.equal(atom.status, 200);
  assert.equal(atom.headers.get('content-type'), 'application/atom+xml');
  assert.match(atom.text, /<feed[^>]*xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
  assert.match(atom.text, /Router XSS T-A-en/);
  assert.match(atom.text, /Evil &lt;script&gt;/, 'the vendor\'s name, escaped');
  assert.doesNotMatch(atom.text, /<script|<img/i);
  assert.equal([...atom.text.matchAll(/<entry>/g)].length, 1);
  /* the index links both feeds */
  const idx = await anon('/advisories/?lang=ja');
  assert.match(idx.text, /id="feed-rss"/);
  assert.match(idx.text, /<link rel="alternate" type="application\/rss\+xml"/);

  const xsd = path.join(SCHEMAS, 'jvnrss_3.2.xsd');
  if (!existsSync(xsd)) {
    t.skip('../shared/data/myjvn/schemas is absent');
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'keikai-feed-'));
  try {
    /* atom.xsd's wildcards are strict and its import of xml.xsd is commented out: Atom is
     * checked with it and the declarations it demands (as tests/unit/feed_unit.c does) */
    const atomXsd = path.join(dir, 'atom-mod_sec.xsd');
    writeFileSync(atomXsd, `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="${SCHEMAS}/xml.xsd"/>
  <xs:import namespace="http://www.w3.org/2005/Atom" schemaLocation="${SCHEMAS}/atom.xsd"/>
  <xs:import namespace="http://jvn.jp/rss/mod_sec/3.0/" schemaLocation="${SCHEMAS}/mod_sec_3.0.xsd"/>
</xs:schema>
`);
    for (const [name, body, schema] of [['ja.rdf', rss.text, xsd], ['en.rdf', rssEn.text, xsd],
      ['en.atom', atom.text, atomXsd], ['ja.atom', (await anon('/feed/atom.xml')).text, atomXsd]]) {
      const file = path.join(dir, name);
      writeFileSync(file, body);
      const v = spawnSync('xmllint', ['--nonet', '--noout', '--schema', schema, file], { encoding: 'utf8' });
      assert.equal(v.status, 0, `${name}: ${v.stderr}`);
      assert.match(v.stderr, /validates/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a vendor\'s page and feeds: the advisories that list it; a vendor without one is a missing page', async () => {
  const a = vendors.a.vendor.id;
  /* the advisory's vendor table links each vendor's page */
  const page = await anon(`/advisories/${slug}?lang=en`);
  assert.match(page.text, new RegExp(`<a href="/advisories/vendors/${a}\\?lang=en" class="vendor-link">Evil &lt;script&gt;`));
  for (const lang of ['en', 'ja']) {
    const v = await anon(`/advisories/vendors/${a}?lang=${lang}`);
    assert.equal(v.status, 200, v.text.slice(0, 300));
    assert.match(v.text, /<h1>[^<]*Evil &lt;script&gt;alert\(&#39;vendor&#39;\)/, `${lang}: its name, escaped`);
    assert.match(v.text, new RegExp(`href="/advisories/${slug}\\?lang=${lang}"`));
    assert.match(v.text, new RegExp(`<link rel="canonical" href="https?://[^"]+/advisories/vendors/${a}\\?lang=${lang}">`));
    assert.match(v.text, new RegExp(`<link rel="alternate" type="application/rss\\+xml" title="JVNRSS" href="https?://[^"]+/feed/jvnrss\\.rdf\\?vendor=${a}${lang === 'en' ? '&amp;lang=en' : ''}">`));
    assert.match(v.text, /id="index-link"/);
    assert.doesNotMatch(v.text, LIVE);
    assert.equal(v.headers.get('cache-control'), 'public, max-age=300');
  }
  /* SPEC 1: a vendor whose only case is unpublished (D), no such vendor, not a number */
  const missing = await anon('/no-such-page-at-all', { lang: 'en' });
  for (const p of [`/advisories/vendors/${vendors.d.vendor.id}`, '/advisories/vendors/999999', '/advisories/vendors/abc']) {
    const r = await anon(p, { lang: 'en' });
    assert.equal(r.status, 404, p);
    assert.equal(r.text.split(p).join('PATH'), missing.text.split('/no-such-page-at-all').join('PATH'), p);
  }
  /* the vendor's feeds */
  const rss = await anon(`/feed/jvnrss.rdf?vendor=${a}&lang=en`);
  assert.equal(rss.status, 200);
  assert.match(rss.text, new RegExp(`<sec:identifier>${id}</sec:identifier>`));
  assert.match(rss.text, /Vulnerability advisories: Evil &lt;script&gt;/);
  assert.doesNotMatch(rss.text, /<script|<img/i);
  const atom = await anon(`/feed/atom.xml?vendor=${a}`);
  assert.equal([...atom.text.matchAll(/<entry>/g)].length, 1);
  for (const v of [vendors.d.vendor.id, 999999]) {
    const none = await anon(`/feed/atom.xml?vendor=${v}`);
    assert.equal(none.status, 200, 'an empty feed: nothing told of the vendor');
    assert.doesNotMatch(none.text, /<entry>/);
  }
  for (const lang of ['en', 'ja']) {
    const bad = await anon(`/feed/jvnrss.rdf?vendor=x&lang=${lang}`, { lang });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /vendor: /, `${lang}: the parameter named`);
  }
  assert.equal((await anon(`/advisories/vendors/${a}?page=2&lang=en`)).status, 404, 'no second page');
});

test('caching: Cache-Control, ETag, Last-Modified, 304; no cookie on a public page; a signed-in reader not kept', async () => {
  for (const p of [`/advisories/${slug}?lang=ja`, '/advisories/?lang=en', '/feed/jvnrss.rdf', '/feed/atom.xml?lang=en']) {
    const r = await anon(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('cache-control'), 'public, max-age=300', p);
    assert.equal(r.headers.get('set-cookie'), null, `${p}: no cookie`);
    const etag = r.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{32}"$/, p);
    const lm = r.headers.get('last-modified');
    assert.match(lm, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/, p);
    assert.ok(Math.abs(Date.parse(lm) / 1000 - (PUB + 60)) < 120, `${p}: last modified at publication (${lm})`);
    assert.equal(r.headers.get('vary'), null, `${p}: the address names the language`);
    const same = await anon(p, { headers: { 'if-none-match': etag } });
    assert.equal(same.status, 304, p);
    assert.equal(same.text, '');
    assert.equal(same.headers.get('etag'), etag);
    assert.equal((await anon(p, { headers: { 'if-none-match': `W/"x", ${etag}` } })).status, 304, `${p}: a list, weak`);
    assert.equal((await anon(p, { headers: { 'if-none-match': '"0123"' } })).status, 200, `${p}: another ETag`);
    assert.equal((await anon(p, { headers: { 'if-modified-since': lm } })).status, 304, `${p}: not modified since`);
    assert.equal((await anon(p, { headers: { 'if-modified-since': 'Mon, 01 Mar 2027 00:00:00 GMT' } })).status, 200, `${p}: modified since`);
    assert.equal((await anon(p, { headers: { 'if-modified-since': 'yesterday' } })).status, 200, `${p}: a bad date is ignored`);
  }
  /* without ?lang= the reader's language decides, and the reply says so */
  const nolang = await anon(`/advisories/${slug}`, { lang: 'en' });
  assert.equal(nolang.status, 200);
  assert.equal(nolang.headers.get('vary'), 'Accept-Language, Cookie');
  assert.match(nolang.text, /<html lang="en">/);
  /* a signed-in reader's page names the reader: never kept */
  const signed = await browse(srv.url, `/advisories/${slug}?lang=en`, coord);
  assert.equal(signed.status, 200);
  assert.equal(signed.headers.get('cache-control'), 'no-store');
  assert.equal(signed.headers.get('etag'), null);
  assert.match(signed.text, /Coordinator Staff/);
  /* the index carries ?lang= in its links and pages */
  assert.equal((await anon('/advisories/?page=2&lang=en')).status, 404, 'no second page');
  for (const q of ['page=zero', 'page=0', 'page=2000000']) {
    const en = await anon(`/advisories/?${q}&lang=en`);
    assert.equal(en.status, 400, q);
    assert.match(en.text, /Page: Must be a whole number from 1 to 1000000\./, `${q}: the field named`);
    const ja = await anon(`/advisories/?${q}&lang=ja`);
    assert.equal(ja.status, 400, q);
    assert.match(ja.text, /1 から 1000000 までの整数で指定してください。/, `${q}: in Japanese`);
  }
  assert.equal((await anon('/advisories/?sort=x')).status, 400, 'an unknown parameter is named');
  const redirect = await anon('/advisories?lang=en');
  assert.equal(redirect.status, 303);
  assert.equal(redirect.headers.get('location'), '/advisories/?lang=en');
});

test('the server keeps a public page and serves it again until what it shows changes, here or in another process', async () => {
  /* the same bytes again, for each language as the reader chose it */
  const p = `/advisories/${slug}?lang=en`;
  const one = await anon(p);
  const two = await anon(p);
  assert.equal(two.text, one.text);
  assert.equal(two.headers.get('etag'), one.headers.get('etag'));
  for (const lang of ['ja', 'en', 'ja']) {
    const r = await anon(`/advisories/${slug}`, { lang });
    assert.match(r.text, new RegExp(`<html lang="${lang}">`), `Accept-Language ${lang}`);
  }
  /* a signed-in reader after anonymous ones: its own page, never the kept one */
  const signed = await browse(srv.url, p, coord);
  assert.match(signed.text, /Coordinator Staff/);
  assert.equal((await anon(p)).text, one.text);
  /* another process writes a setting the pages show (the address of their links):
     the very next read has it, the page, the index and the feed */
  const old = (await keikai(['settings', 'get', 'base_url', '--db', srv.db])).stdout.trim();
  await keikai(['settings', 'set', 'base_url', 'https://portal.example.jp', '--db', srv.db]);
  try {
    const page = await anon(p);
    assert.match(page.text, new RegExp(`<link rel="canonical" href="https://portal\\.example\\.jp/advisories/${slug}\\?lang=en">`));
    assert.notEqual(page.headers.get('etag'), one.headers.get('etag'));
    assert.match((await anon('/advisories/?lang=en')).text, /https:\/\/portal\.example\.jp\/advisories\//);
    assert.match((await anon('/feed/atom.xml?lang=en')).text, /https:\/\/portal\.example\.jp\/advisories\//);
  } finally {
    await keikai(['settings', 'set', 'base_url', old, '--db', srv.db]);
  }
  assert.equal((await anon(p)).text, one.text, 'the address as it was, the page as it was');
});

test('after publication: a revision and a vendor\'s update show in the history, the ETag changes; no more comments', async () => {
  const p = `/advisories/${slug}?lang=en`;
  const first = await anon(p);
  const etag = first.headers.get('etag');
  const page = await browse(srv.url, pp(ref, '/advisory'), coord, { lang: 'en' });
  assert.match(page.text, /action="\/cases\/[^"]+\/advisory\/revise"/, 'the form revises now');
  /* a revision says what changed; without a note it is refused next to the notes */
  const form = { ...advisoryForm(), 'texts.en.workarounds': 'Turn off the admin page.' };
  delete form.note;
  let r = await postAdvisory(ref, pp(ref, '/advisory/revise'), form);
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.match(r.text, /data-field="note_ja"/);
  r = await postAdvisory(ref, pp(ref, '/advisory/revise'), { ...form, note_ja: '回避策を追記', note_en: `Added a workaround ${TAG('note')}` });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const revised = await anon(p);
  assert.match(revised.text, /Turn off the admin page\./);
  assert.match(revised.text, /Revised: Added a workaround &lt;script&gt;/);
  assert.doesNotMatch(revised.text, LIVE);
  assert.notEqual(revised.headers.get('etag'), etag);
  assert.equal((await anon(p, { headers: { 'if-none-match': etag } })).status, 200, 'the old copy is stale');
  /* G IV.4.9: vendor A's new status updates the advisory at once */
  const x = await api(srv.url, cp(ref, '/status'), { token: vendors.a.token, body: { vulnerability: 1, status: 'fixed' } });
  assert.equal(x.status, 200, x.text);
  const now = await anon(p);
  assert.match(now.text, /updated its status/);
  assert.match(now.text, /status-fixed/);
  /* SPEC 6: vendors comment before the date only */
  const { jar: va } = await login(srv.url, 'user@a.example.jp');
  const vp = await browse(srv.url, pp(ref, '/advisory'), va, { lang: 'en' });
  assert.equal(vp.status, 200);
  assert.doesNotMatch(vp.text, /id="form-comment"/);
  const late = await browse(srv.url, pp(ref, '/advisory/comments'), va, { method: 'POST', form: { body: 'late', csrf: csrfField(vp.text) } });
  assert.equal(late.status, 409);
});
