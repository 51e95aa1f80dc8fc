// t1030: searching the vendor registry (issue 8, capability 4; SPEC 2.5: the
// coordinator identifies a product's vendor): GET /api/v1/products, the page
// GET /vendors and `keikai vendor search --json`, over the sample dictionary
// tests/data/registry/dictionary.jsonl (MyJVN's format) imported with the CLI.
// Anonymous callers get 401, a vendor user 403 (the route's role check),
// intake, coordinators and administrators the matches. A bad query is 400
// {"error", "fields"} naming q, cpe or limit, in the caller's language. A
// vendor or product added through the API is found by the next search. Runs
// on the engine of the run (SQLite, or PostgreSQL with KEIKAI_TEST_PG); the
// last test searches the real MyJVN dictionary when ../shared/data is there
// and is skipped with the reason when not. Contract: docs/api/vendors.md
// "Search", docs/cli/vendor.md "search".

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  startServer, api, keikai, freshStore, login, browse, fieldErrors, REPO_ROOT,
} from './lib/server.mjs';

const SAMPLE = path.join(REPO_ROOT, 'tests/data/registry/dictionary.jsonl');
const DICTIONARY = path.join(REPO_ROOT, '../shared/data/jvn/myjvn-products.jsonl.gz');
const skipReal = existsSync(DICTIONARY) ? false : `the MyJVN dictionary is not at ${DICTIONARY} (../shared/data)`;

let srv;
const search = (query, token, opts = {}) => api(srv.url, `/api/v1/products?${new URLSearchParams(query)}`,
  { token, ...opts });
const cli = (args, opts = {}) => keikai(['vendor', 'search', '--db', srv.db, ...args],
  { allowFail: true, env: { LANG: 'C', LC_ALL: 'C' }, ...opts });

before(async () => {
  srv = await startServer();
  const r = await keikai(['import', 'myjvn-products', '--db', srv.db, SAMPLE], { env: { LANG: 'C', LC_ALL: 'C' } });
  assert.match(r.stdout, /7 vendors, 11 products\n$/);
});
after(async () => { await srv?.stop(); });

// SPEC 2.5: by name, in Japanese or English, partial, folded
test('the API finds vendors and products by name: half-width kana, full-width letters, a part', async () => {
  const kana = await search({ q: 'ｻﾝﾌﾟﾙ' }, srv.tokens.coordinator);
  assert.equal(kana.status, 200, kana.text);
  assert.equal(kana.json.total, 2); /* the vendor and its camera */
  assert.equal(kana.json.results.length, 2);
  const first = kana.json.results[0];
  assert.equal(first.vendor_name, 'サンプル電機');
  assert.equal(first.product_id, null, 'the vendor itself first: the shortest name starting so');
  assert.equal(first.cpe, 'cpe:2.3:*:sample_denki:*:*:*:*:*:*:*:*:*');
  assert.equal(first.listed_publicly, false);
  assert.equal(first.last_contact_at, null);
  assert.equal(typeof first.vendor_id, 'number');
  assert.equal(kana.json.results[1].product_name, 'サンプルカメラ');
  for (let i = 1; i < kana.json.results.length; i++) {
    assert.ok(kana.json.results[i - 1].score >= kana.json.results[i].score, 'best first');
  }

  const wide = await search({ q: 'ＡＢＣ ｒｏｕｔｅｒ' }, srv.tokens.intake);
  assert.equal(wide.status, 200, wide.text);
  assert.equal(wide.json.total, 1);
  assert.equal(wide.json.results[0].product_name, 'ABC Router 100');
  assert.equal(wide.json.results[0].vendor_name, 'ABC Systems');
  assert.equal(wide.json.results[0].cpe, 'cpe:2.3:h:abc_systems:router_100:*:*:*:*:*:*:*:*');

  const exact = await search({ q: 'zeta router' }, srv.tokens.admin);
  assert.equal(exact.json.results[0].product_name, 'Zeta Router');
  assert.equal(exact.json.results[0].score, 1000);

  const none = await search({ q: '存在しない会社' }, srv.tokens.coordinator);
  assert.deepEqual(none.json, { results: [], total: 0 });
});

// SPEC 2.5: by CPE, NISTIR 7696 matching
test('the API finds products by CPE name, pattern and 2.2 URI, in q or in cpe', async () => {
  const name = await search({ q: 'cpe:2.3:a:microsoft:word:*:*:*:*:*:*:*:*' }, srv.tokens.coordinator);
  assert.equal(name.status, 200, name.text);
  assert.equal(name.json.results[0].product_name, 'Microsoft Word');
  assert.equal(name.json.results[0].score, 1000);

  const pattern = await search({ cpe: 'cpe:2.3:o:microsoft:windows_*' }, srv.tokens.coordinator);
  assert.equal(pattern.status, 200, pattern.text);
  assert.equal(pattern.json.total, 2, 'the product, and its vendor whose CPE name covers the pattern');
  assert.equal(pattern.json.results[0].product_name, 'Microsoft Windows 10');
  assert.equal(pattern.json.results[0].score, 950);
  assert.equal(pattern.json.results[1].product_id, null);
  assert.equal(pattern.json.results[1].score, 900);

  const uri = await search({ q: 'cpe:/h:zeta' }, srv.tokens.coordinator);
  assert.equal(uri.json.results[0].product_name, 'Zeta Router');

  const both = await search({ q: 'router', cpe: 'cpe:2.3:h:abc_systems' }, srv.tokens.coordinator);
  assert.equal(both.json.total, 1);
  assert.equal(both.json.results[0].product_name, 'ABC Router 100');

  const limited = await search({ q: 'o', limit: '2' }, srv.tokens.coordinator);
  assert.equal(limited.json.results.length, 2);
  assert.ok(limited.json.total > 2);
});

test('names in the reader\'s language', async () => {
  const en = await search({ q: 'ネットワークス' }, srv.tokens.coordinator, { lang: 'en' });
  assert.equal(en.json.results[0].vendor_name, 'アルファ・ネットワークス', 'the only name it has');
  assert.equal(en.json.results[0].vendor_name_en, null);
  assert.equal(en.json.results[0].vendor_name_ja, 'アルファ・ネットワークス');
});

test('who may search: anonymous 401, vendor and operator 403, intake, coordinator, admin 200', async () => {
  assert.equal((await search({ q: 'abc' })).status, 401);
  assert.equal((await search({ q: 'abc' }, srv.tokens.vendor)).status, 403);
  assert.equal((await search({ q: 'abc' }, srv.tokens.operator)).status, 403);
  for (const role of ['intake', 'coordinator', 'admin']) {
    const r = await search({ q: 'abc' }, srv.tokens[role]);
    assert.equal(r.status, 200, role);
    assert.equal(r.json.total, 3, role);
  }
});

test('a bad query is 400 with the field at fault, in the caller\'s language', async () => {
  for (const [query, field] of [
    [{}, 'q'], [{ q: '   ' }, 'q'], [{ q: 'cpe:2.3:a:micro soft' }, 'q'], [{ q: 'cpe:2.3:x:abc' }, 'q'],
    [{ q: 'abc', cpe: 'cpe:2.3:a:bad value' }, 'cpe'], [{ q: 'x'.repeat(513) }, 'q'],
    [{ q: 'abc', limit: '0' }, 'limit'], [{ q: 'abc', limit: '201' }, 'limit'], [{ q: 'abc', limit: 'x' }, 'limit'],
  ]) {
    const r = await search(query, srv.tokens.coordinator, { lang: 'en' });
    assert.equal(r.status, 400, JSON.stringify(query));
    assert.equal(typeof r.json.error, 'string');
    assert.deepEqual(Object.keys(r.json.fields), [field], JSON.stringify(query));
  }
  const en = await search({ q: 'cpe:2.3:x:abc' }, srv.tokens.coordinator, { lang: 'en' });
  const ja = await search({ q: 'cpe:2.3:x:abc' }, srv.tokens.coordinator, { lang: 'ja' });
  assert.match(en.json.fields.q, /^Not a valid CPE name: part: /);
  assert.notEqual(ja.json.fields.q, en.json.fields.q, 'translated');
  assert.match(ja.json.fields.q, /CPE/);
  const unknown = await search({ q: 'abc', page: '2' }, srv.tokens.coordinator);
  assert.equal(unknown.status, 400, 'an undeclared parameter');
});

// SPEC 2.5, G IV.4.2: a vendor registered on the spot is found at once
test('a vendor and a product added through the API are found by the next search', async () => {
  const before1 = await search({ q: 'freshly added' }, srv.tokens.coordinator);
  assert.equal(before1.json.total, 0);
  const v = await api(srv.url, '/api/v1/vendors',
    { token: srv.tokens.coordinator, method: 'POST', body: { name_en: 'Freshly Added Ltd', name_ja: 'フレッシュ追加' } });
  assert.equal(v.status, 201, v.text);
  const after1 = await search({ q: 'ふれっしゅ' }, srv.tokens.coordinator);
  assert.equal(after1.json.total, 1);
  assert.equal(after1.json.results[0].vendor_id, v.json.id);
  const p = await api(srv.url, `/api/v1/vendors/${v.json.id}/products`,
    { token: srv.tokens.coordinator, method: 'POST', body: { name_en: 'Fresh Box', cpe: 'cpe:2.3:h:freshly:fresh_box:*:*:*:*:*:*:*:*' } });
  assert.equal(p.status, 201, p.text);
  const byCpe = await search({ q: 'cpe:2.3:h:freshly:*' }, srv.tokens.coordinator);
  assert.equal(byCpe.json.total, 1);
  assert.equal(byCpe.json.results[0].product_name, 'Fresh Box');
  assert.equal(byCpe.json.results[0].vendor_id, v.json.id);
});

test('the page: a coordinator searches, in both languages; a bad query is shown with its field', async () => {
  const { jar } = await login(srv.url, 'coord@jpcert.example');
  const empty = await browse(srv.url, '/vendors?lang=en', jar);
  assert.equal(empty.status, 200);
  assert.match(empty.text, /<input type="search" id="q" name="q"/);
  assert.doesNotMatch(empty.text, /id="results"/);

  const en = await browse(srv.url, `/vendors?lang=en&q=${encodeURIComponent('ｻﾝﾌﾟﾙ')}`, jar);
  assert.equal(en.status, 200);
  assert.match(en.text, /<title>[^<]*Vendor registry/);
  assert.match(en.text, /data-total="2"/);
  assert.match(en.text, /<a class="vendor-name" href="\/vendors\/\d+">サンプル電機<\/a>/);
  assert.match(en.text, /サンプルカメラ/);
  assert.match(en.text, /cpe:2\.3:h:sample_denki:camera:\*/);
  assert.match(en.text, /<td class="last-contact">\s*Never/);
  assert.match(en.text, /value="ｻﾝﾌﾟﾙ"/, 'the query shown again');
  const switchTo = /<a href="([^"]+)" lang="ja"/.exec(en.text)[1].replaceAll('&amp;', '&');
  assert.equal(switchTo, `/vendors?q=${encodeURIComponent('ｻﾝﾌﾟﾙ')}&lang=ja`, 'the language switch keeps the query');

  const ja = await browse(srv.url, `/vendors?lang=ja&q=${encodeURIComponent('ｻﾝﾌﾟﾙ')}`, jar);
  assert.equal(ja.status, 200);
  assert.doesNotMatch(ja.text, /Vendor registry/);
  assert.match(ja.text, /製品開発者/);

  const cpe = await browse(srv.url, `/vendors?lang=en&cpe=${encodeURIComponent('cpe:2.3:a:microsoft:word')}`, jar);
  assert.equal(cpe.status, 200);
  assert.match(cpe.text, /Microsoft Word/);

  const bad = await browse(srv.url, `/vendors?lang=en&q=${encodeURIComponent('cpe:2.3:x:abc')}`, jar);
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldErrors(bad.text), ['q']);
  assert.match(bad.text, /Not a valid CPE name/);
  assert.match(bad.text, /value="cpe:2.3:x:abc"/);

  const hostile = await browse(srv.url, `/vendors?lang=en&q=${encodeURIComponent('<script>x</script>')}`, jar);
  assert.equal(hostile.status, 200);
  assert.doesNotMatch(hostile.text, /<script>x<\/script>/, 'escaped');
});

test('the page: a vendor user gets 403, the public is sent to sign in', async () => {
  const { jar } = await login(srv.url, 'vendor@example-corp.example');
  assert.equal((await browse(srv.url, '/vendors?q=abc', jar)).status, 403);
  const anon = await fetch(`${srv.url}/vendors?q=abc`, { redirect: 'manual' });
  assert.ok([302, 303].includes(anon.status), `status ${anon.status}`);
  assert.match(anon.headers.get('location'), /^\/login/);
});

test('keikai vendor search --json prints one object per match; a bad query exits 1', async () => {
  const r = await cli(['--json', 'ｻﾝﾌﾟﾙ']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  for (const o of lines) for (const k of ['vendor_id', 'vendor_name', 'product_name', 'cpe']) assert.ok(k in o, k);
  assert.equal(lines[0].vendor_name, 'サンプル電機');
  assert.equal(lines[1].product_name, 'サンプルカメラ');
  assert.equal(lines[1].cpe, 'cpe:2.3:h:sample_denki:camera:*:*:*:*:*:*:*:*');

  const byCpe = await cli(['--json', 'cpe:2.3:a:microsoft:*']);
  assert.equal(byCpe.code, 0, byCpe.stderr);
  assert.equal(JSON.parse(byCpe.stdout.split('\n')[0]).product_name, 'Microsoft Word');

  const limited = await cli(['--json', '--limit', '1', 'o']);
  assert.equal(limited.stdout.trimEnd().split('\n').length, 1);

  const table = await cli(['router']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /Zeta Router/);
  assert.match(table.stdout, /2 of 2 matches shown\n$/);

  const none = await cli(['--json', 'zzzz']);
  assert.equal(none.code, 0);
  assert.equal(none.stdout, '');

  const bad = await cli(['--json', 'cpe:2.3:x:abc']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^keikai vendor search: .*\n {2}q: Not a valid CPE name: part: /);
  const badLimit = await cli(['--limit', '0', 'abc']);
  assert.equal(badLimit.code, 2);
});

// SPEC 2.5 on real data: a known vendor by its Japanese name and by CPE
test('the real dictionary: a vendor by its Japanese name, a product by CPE', { skip: skipReal }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'keikai-e2e-search-'));
  const store = await freshStore(dir);
  try {
    await keikai(['init', '--db', store.db]);
    const imp = await keikai(['import', 'myjvn-products', '--db', store.db, DICTIONARY],
      { env: { LANG: 'C', LC_ALL: 'C' } });
    assert.match(imp.stdout, /29565 vendors, 76809 products\n$/);
    const run = (q) => keikai(['vendor', 'search', '--db', store.db, '--json', '--limit', '5', q]);
    const byName = (await run('ｻﾝ・ﾏｲｸﾛｼｽﾃﾑｽﾞ')).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(byName[0].vendor_name, 'サン・マイクロシステムズ');
    assert.equal(byName[0].product_id, null);
    assert.equal(byName[0].score, 1000);
    const byCpe = (await run('cpe:2.3:a:sun:jre:1.6.0')).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(byCpe[0].product_name, 'JRE');
    assert.equal(byCpe[0].vendor_name, 'サン・マイクロシステムズ');
    const part = (await run('マイクロソフト')).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(part[0].vendor_name, 'マイクロソフト');
    /* MyJVN names it in Japanese only: found by its CPE vendor name */
    const en = (await run('Microsoft')).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(en[0].vendor_name, 'マイクロソフト');
    assert.equal(en[0].score, 1000);
  } finally {
    await store.drop();
    await rm(dir, { recursive: true, force: true });
  }
});
