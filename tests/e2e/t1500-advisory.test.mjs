// t1500: advisories against the real server (issue 12; SPEC 6, 2.11, 2.8,
// G IV.4.9; docs/api/advisories.md): the coordinator writes the draft with
// the 11 items in both languages, bad members refused naming each (a PoC has
// no place), XSS strings in every text member stored and returned as data and
// escaped in the rendered HTML; who reads, previews and comments on the draft
// (the access matrix of drafts and previews, 404 exactly like a missing
// case); `keikai tick` with KEIKAI_NOW (held still by KEIKAI_NOW_FROZEN, so
// the time of publication is exact however long the tick takes) one minute
// before the agreed minute publishes nothing (the public sees no advisory
// and 404 for any ID), one minute after publishes it with its public ID,
// every party told once; every notified vendor listed with "no response"
// where due; the update path: a vendor's new status, countermeasure and statement after publication, and the
// coordinator's revision. The core clock moves by restarting the server with
// KEIKAI_NOW on the same database, its own ticker kept quiet. Runs on the
// engine of the run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serveOn, api, outbox, keikai, productReport } from './lib/server.mjs';
import { acceptedReport, openCase, vendorWithUser } from './lib/cases.mjs';

/* the server's own clocks never tick within the test: `keikai tick` does */
const QUIET = { KEIKAI_TICK_SECONDS: '86400', KEIKAI_DELIVERY_SECONDS: '0' };
const DAY0 = '2027-01-05T01:00:00Z'; /* 10:00 JST, a Tuesday */
const DATE = '2027-02-18'; /* a Thursday; 11:00 JST is the publication time */
const PUB = Date.parse('2027-02-18T02:00:00Z') / 1000;
const iso = (t) => new Date(t * 1000).toISOString().replace('.000', '');

let srv; /* the first server; later ones serve the same database */
let server; /* the server of the current moment */
let ref;
let v; /* a: fixed; b: not applicable; c: never answers; d: not on the case */
const cp = (suffix = '') => `/api/v1/cases/${encodeURIComponent(ref)}/advisory${suffix}`;
const as = (token, p, opts = {}) => api(server.url, p, { token, lang: 'en', ...opts });

async function moveTo(at) {
  if (server !== srv) await server.stop();
  server = await serveOn(srv.db, { env: { KEIKAI_NOW: at, ...QUIET } });
}

const XSS = '<script>alert("kk-xss")</script>';
const MEMBERS = ['title', 'overview', 'affected', 'description', 'impact', 'countermeasures', 'workarounds', 'contact'];

/* SPEC 6: every item in both languages; the Markdown members carry the XSS
 * string as text (a code span, escaped characters), which Markdown allows */
function content() {
  const texts = {};
  for (const l of ['ja', 'en']) {
    texts[l] = {};
    for (const m of MEMBERS) {
      texts[l][m] = m === 'title' ? `Widget ${l} XSS ${XSS}` : `${m} (${l}): \`${XSS}\` and \\<img src=x onerror=alert(2)\\>`;
    }
  }
  return {
    texts, cvss3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
    references: [{ title: 'Vendor advisory', url: 'https://a.example.jp/sa/1' }],
    cves: ['CVE-2027-20001'], cwes: ['CWE-79'], cpes: ['cpe:2.3:a:alpha:widget:2.0.0:*:*:*:*:*:*:*'],
  };
}

before(async () => {
  srv = await startServer({ serveEnv: { KEIKAI_NOW: '2027-01-04T01:00:00Z', ...QUIET } });
  server = srv;
  v = {};
  for (const [key, name] of [['a', 'Alpha Widgets'], ['b', 'Bravo Soft'], ['c', 'Charlie Silent'], ['d', 'Delta Outside']]) {
    const email = `psirt@${key}.t1500.example`;
    v[key] = await vendorWithUser(srv, { name_en: name, preferred_lang: 'en',
      contacts: [{ channel: 'email', value: email, is_primary: true }] }, `user@${key}.t1500.example`, { org: name });
  }
  const r = await acceptedReport(srv, productReport());
  ref = (await openCase(srv, [r.tid], { title: 'XSS in Widget', summary: 'S.', detail: 'D.' })).id;
  await moveTo(DAY0);
  const n = await as(srv.tokens.coordinator, `/api/v1/cases/${encodeURIComponent(ref)}/notify`,
    { body: { vendor_ids: [v.a.vendor.id, v.b.vendor.id, v.c.vendor.id] } });
  assert.equal(n.status, 200, n.text);
  const c = (p, token, body) => as(token, `/api/v1/cases/${encodeURIComponent(ref)}${p}`, { body });
  for (const [p, token, body] of [
    ['/answer', v.a.token, { answer: 'send_detail' }],
    ['/answer', v.b.token, { answer: 'not_applicable', reason: 'Not our code.' }],
    ['/status', v.a.token, { vulnerability: 1, status: 'investigating', note: 'NOTEMARK-t1500' }],
    ['/status', v.a.token, { vulnerability: 1, status: 'affected' }],
    ['/status', v.a.token, { vulnerability: 1, status: 'fixed', fixed_versions: ['2.0.1'] }],
    ['/statement', v.a.token, { en: 'Fixed in 2.0.1.', ja: '2.0.1 で修正しました。' }],
    ['/date', srv.tokens.coordinator, { date: DATE, reason: 'Agreed with the vendors.' }],
  ]) {
    const res = await c(p, token, body);
    assert.ok(res.status < 300, `${p}: ${res.status} ${res.text}`);
  }
});

after(async () => {
  if (server && server !== srv) await server.stop();
  await srv?.stop();
});

test('SPEC 6, SPEC 1: bad members are refused naming each, a PoC has no place, nothing is stored', async () => {
  const bad = content();
  bad.texts.en.poc = 'curl http://victim/?q=<script>';
  bad.texts.ja.overview = '<script>alert(1)</script>';
  bad.cvss3 = 'CVSS:3.1/AV:X';
  bad.references = [{ title: 'x', url: 'javascript:alert(1)' }];
  bad.verification = 'step 1';
  const r = await as(srv.tokens.coordinator, cp(), { method: 'PUT', body: bad });
  assert.equal(r.status, 400, r.text);
  const fields = Object.keys(r.json.fields ?? {});
  for (const f of ['texts.en.poc', 'texts.ja.overview', 'cvss3', 'references[0].url', 'verification']) {
    assert.ok(fields.includes(f), `no field error on ${f}: ${r.text}`);
  }
  const g = await as(srv.tokens.coordinator, cp());
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.exists, false);
  /* the coordinator's first draft starts from the vendors' countermeasures */
  assert.match(g.json.content.texts.en.countermeasures, /\*\*Alpha Widgets\*\*/);
});

test('issue 12: XSS strings in every text member are stored as data and escaped in the HTML', async () => {
  const body = content();
  const r = await as(srv.tokens.coordinator, cp(), { method: 'PUT', body });
  assert.equal(r.status, 200, r.text);
  const g = await as(srv.tokens.intake, cp());
  assert.equal(g.status, 200, g.text);
  for (const l of ['ja', 'en']) {
    for (const m of MEMBERS) assert.equal(g.json.content.texts[l][m], body.texts[l][m], `${l}.${m} as written`);
    for (const m of MEMBERS.slice(1)) {
      const html = g.json.rendered.texts[l][m];
      assert.ok(!html.includes('<script') && !html.includes('<img'), `${l}.${m}: ${html}`);
      assert.ok(html.includes('&lt;script&gt;'), `${l}.${m} escapes: ${html}`);
    }
    /* the title is plain text: a page escapes it as it writes it */
    assert.equal(g.json.rendered.texts[l].title, body.texts[l].title);
  }
  assert.equal(g.json.rendered.cvss3.score, 6.1);
  assert.equal(g.json.rendered.cvss3.severity, 'Medium');
  assert.deepEqual(g.json.rendered.acknowledgements, ['Taro Yamada']);
});

test('the access matrix of drafts and previews (SPEC 1, 6)', async () => {
  const missing = await as(srv.tokens.coordinator, '/api/v1/cases/VU%23000000/advisory');
  assert.equal(missing.status, 404);
  const norm = (t) => t.split(ref).join('<ref>').split('VU#000000').join('<ref>');
  const rows = [
    ['intake', srv.tokens.intake, 200], ['coordinator', srv.tokens.coordinator, 200], ['vendor a', v.a.token, 200],
    ['vendor c (silent)', v.c.token, 200], ['vendor d (not on the case)', v.d.token, 404], ['operator', srv.tokens.operator, 403],
    ['anonymous', undefined, 401],
  ];
  for (const [who, token, status] of rows) {
    const g = await as(token, cp());
    assert.equal(g.status, status, `${who}: ${g.text}`);
    if (status === 404) assert.equal(norm(g.text), norm(missing.text), `${who}: a denied draft looks missing`);
    if (who.startsWith('vendor a')) {
      /* a vendor previews its own standing only, and no credit before publication */
      assert.deepEqual(g.json.rendered.vendors.map((x) => x.name), ['Alpha Widgets']);
      assert.deepEqual(g.json.rendered.acknowledgements, []);
      assert.ok(!g.text.includes('Bravo Soft') && !g.text.includes('NOTEMARK-t1500'), g.text);
      assert.deepEqual(g.json.revisions, []);
    }
  }
  /* only the coordinator writes; notified vendors comment */
  for (const [who, token, status] of [['intake', srv.tokens.intake, 403], ['vendor a', v.a.token, 403],
    ['vendor d', v.d.token, 403], ['anonymous', undefined, 401]]) {
    const p = await as(token, cp(), { method: 'PUT', body: content() });
    assert.equal(p.status, status, `PUT as ${who}: ${p.text}`);
    const a = await as(token, cp('/approve'), { body: {} });
    assert.equal(a.status, status, `approve as ${who}: ${a.text}`);
  }
  const com = await as(v.a.token, cp('/comments'), { body: { body: 'Please name 2.0.1.' } });
  assert.equal(com.status, 201, com.text);
  assert.equal((await as(v.d.token, cp('/comments'), { body: { body: 'x' } })).status, 404);
  assert.equal((await as(srv.tokens.intake, cp('/comments'), { body: { body: 'x' } })).status, 403);
  const seen = await as(srv.tokens.coordinator, cp());
  assert.deepEqual(seen.json.comments.map((x) => x.body), ['Please name 2.0.1.']);
  assert.deepEqual((await as(v.c.token, cp())).json.comments, []);
});

test('issue 12 item 4: `keikai tick` publishes on the agreed minute, not before', async () => {
  const ap = await as(srv.tokens.coordinator, cp('/approve'), { body: { note: 'Checked with every vendor.' } });
  assert.equal(ap.status, 200, ap.text);
  assert.equal(ap.json.state, 'approved');
  /* one minute before: nothing is public */
  const early = await keikai(['tick', '--db', srv.db, '--json'], { env: { KEIKAI_NOW: iso(PUB - 60), KEIKAI_NOW_FROZEN: '1' } });
  assert.equal(JSON.parse(early.stdout).fired.publish, 0, early.stdout);
  const none = await as(undefined, '/api/v1/advisories');
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.json.advisories, []);
  assert.equal(none.json.paging.total, 0);
  const draft = await as(srv.tokens.coordinator, cp());
  assert.equal(draft.json.id, null);
  assert.equal(draft.json.url, null);
  assert.equal((await as(undefined, '/api/v1/advisories/JVNVU12345678')).status, 404);
  /* one minute after: the tick that reaches the date publishes */
  const tick = await keikai(['tick', '--db', srv.db, '--json'], { env: { KEIKAI_NOW: iso(PUB + 60), KEIKAI_NOW_FROZEN: '1' } });
  const fired = JSON.parse(tick.stdout).fired;
  assert.equal(fired.date_reached, 1, tick.stdout);
  assert.equal(fired.publish, 1, tick.stdout);
  const a = await as(srv.tokens.coordinator, cp());
  assert.equal(a.json.state, 'published');
  assert.match(a.json.id, /^JVNVU#\d{8}$/);
  const slug = a.json.id.replace('#', '');
  assert.ok(a.json.url.endsWith(`/advisories/${slug}`), a.json.url);
  const list = await as(undefined, '/api/v1/advisories');
  assert.deepEqual(list.json.advisories.map((x) => x.id), [a.json.id]);
  assert.equal(list.json.advisories[0].slug, slug);
  for (const p of [`/api/v1/advisories/${slug}`, `/api/v1/advisories/${encodeURIComponent(a.json.id)}`]) {
    const pub = await as(undefined, p);
    assert.equal(pub.status, 200, `${p}: ${pub.text}`);
    assert.equal(pub.json.id, a.json.id);
    assert.equal(pub.json.published_at, PUB + 60);
    assert.equal(pub.json.revision, 1);
    assert.equal(pub.json.texts.en.title_with_id, `${a.json.id}: ${content().texts.en.title}`);
    assert.deepEqual(pub.json.cves, ['CVE-2027-20001']);
    assert.deepEqual(pub.json.cwes.map((c) => c.id), ['CWE-79']);
    assert.deepEqual(pub.json.acknowledgements, ['Taro Yamada']);
    assert.ok(!pub.text.includes('NOTEMARK-t1500'), 'a status note is not public');
    for (const l of ['ja', 'en']) {
      for (const m of MEMBERS.slice(1)) assert.ok(!pub.json.texts[l][m].includes('<script'), `no markup of the author: ${l}.${m}`);
    }
  }
  /* everyone told once: the finder, the three notified vendors, intake */
  const told = async () => (await outbox(srv.db)).filter((m) => m.kind.startsWith('advisory_'));
  const once = await told();
  assert.equal(once.filter((m) => m.kind === 'advisory_finder').length, 1);
  assert.deepEqual(once.filter((m) => m.kind === 'advisory_published').map((m) => m.recipient).sort(),
    ['intake@ipa.example', 'psirt@a.t1500.example', 'psirt@b.t1500.example', 'psirt@c.t1500.example']);
  for (const m of once) assert.ok(m.body.includes(`/advisories/${slug}`), m.body);
  const again = await keikai(['tick', '--db', srv.db, '--json'], { env: { KEIKAI_NOW: iso(PUB + 120), KEIKAI_NOW_FROZEN: '1' } });
  assert.equal(JSON.parse(again.stdout).fired.publish, 0);
  assert.equal((await told()).length, once.length);
  /* the CLI reads it as the public does */
  const shown = await keikai(['advisory', 'show', '--db', srv.db, '--json', slug]);
  assert.equal(JSON.parse(shown.stdout).id, a.json.id);
  const listed = await keikai(['advisory', 'list', '--db', srv.db], { env: { LANG: 'C.UTF-8' } });
  assert.match(listed.stdout, new RegExp(`${ref}\\s+published\\s+${a.json.id}`));
});

test('SPEC 2.11: every notified vendor, "no response" where due, never one not notified', async () => {
  const a = await as(srv.tokens.coordinator, cp());
  const pub = await as(undefined, `/api/v1/advisories/${a.json.id.replace('#', '')}`);
  const by = Object.fromEntries(pub.json.vendors.map((x) => [x.name, x]));
  assert.deepEqual(Object.keys(by).sort(), ['Alpha Widgets', 'Bravo Soft', 'Charlie Silent']);
  assert.equal(by['Alpha Widgets'].statuses[0].status, 'fixed');
  assert.deepEqual(by['Alpha Widgets'].countermeasures[0].fixed_versions, ['2.0.1']);
  assert.equal(by['Alpha Widgets'].statement.en, 'Fixed in 2.0.1.');
  assert.equal(by['Bravo Soft'].statuses[0].status, 'not_affected');
  assert.equal(by['Charlie Silent'].no_response, true);
  assert.equal(by['Charlie Silent'].statuses[0].status, 'no_response');
  assert.equal(by['Charlie Silent'].statuses[0].status_label, 'No response');
  assert.equal(by['Charlie Silent'].updated_at, null);
});

test('G IV.4.9: a vendor\'s update after publication shows at once; the coordinator revises', async () => {
  await moveTo(iso(PUB + 7 * 86400));
  const a = await as(srv.tokens.coordinator, cp());
  const p = `/api/v1/advisories/${a.json.id.replace('#', '')}`;
  const c = (path, body) => as(v.c.token, `/api/v1/cases/${encodeURIComponent(ref)}${path}`, { body });
  assert.equal((await c('/answer', { answer: 'send_detail' })).status, 200);
  assert.equal((await c('/countermeasures', { vulnerability: 1, fixed_versions: ['5.1'], workaround_en: 'Block it.' })).status, 200);
  const pub = await as(undefined, p);
  assert.ok(pub.json.updated_at >= PUB + 7 * 86400, `updated_at ${pub.json.updated_at}`);
  const charlie = pub.json.vendors.find((x) => x.name === 'Charlie Silent');
  assert.equal(charlie.no_response, false);
  assert.equal(charlie.statuses[0].status, 'investigating');
  assert.deepEqual(charlie.countermeasures[0].fixed_versions, ['5.1']);
  assert.deepEqual(pub.json.history.map((h) => h.kind), ['published', 'vendor_status', 'vendor_countermeasure']);
  assert.equal(pub.json.history[2].text.en, 'Charlie Silent updated its countermeasures.');
  /* the texts change only by a revision, with what changed */
  assert.equal((await as(srv.tokens.coordinator, cp(), { method: 'PUT', body: content() })).status, 409);
  const noNote = await as(srv.tokens.coordinator, cp('/revise'), { body: content() });
  assert.equal(noNote.status, 400, noNote.text);
  assert.ok('note_ja' in noNote.json.fields, noNote.text);
  const revised = await as(srv.tokens.coordinator, cp('/revise'),
    { body: { ...content(), note_en: 'Charlie Silent\'s fix added.', note_ja: 'Charlie Silent の対策を追加' } });
  assert.equal(revised.status, 200, revised.text);
  const after2 = await as(undefined, p);
  assert.equal(after2.json.revision, 2);
  assert.equal(after2.json.history.at(-1).kind, 'revised');
  assert.equal(after2.json.history.at(-1).text.en, 'Revised: Charlie Silent\'s fix added.');
  assert.equal(after2.json.published_at, PUB + 60, 'first published stays');
  /* a vendor's comment belongs to the draft */
  assert.equal((await as(v.a.token, cp('/comments'), { body: { body: 'late' } })).status, 409);
});

test('SPEC 1: an ID that was never given, or not published, answers like a missing one', async () => {
  const a = await as(srv.tokens.coordinator, cp());
  const other = a.json.id.endsWith('00000001') ? 'JVNVU00000002' : 'JVNVU00000001';
  const x = await as(undefined, `/api/v1/advisories/${other}`);
  const y = await as(undefined, '/api/v1/advisories/JVN99999999');
  assert.equal(x.status, 404);
  assert.equal(y.status, 404);
  assert.equal(x.text.replace(/JVNVU#\d+/, '<id>'), y.text.replace(/JVN#\d+/, '<id>'));
  const page = await as(undefined, '/api/v1/advisories?limit=0');
  assert.equal(page.status, 400);
  assert.ok('limit' in page.json.fields, page.text);
});
