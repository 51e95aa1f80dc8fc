// t1530: the search of published advisories (issue 12 item 6, SPEC 6;
// docs/api/search.md) against the real server on the engine of the run.
// Two cases go the real way -- vendors notified, the advisory written and
// approved over the API, the date set -- and `keikai tick` at the agreed
// minute publishes each (the core clock set with KEIKAI_NOW). Before that
// nothing of them is found; after, the public finds the first by Japanese
// words of four, two and one characters, in hiragana for katakana, by an
// English word and by its vendor's Japanese name, through GET /search (no
// script: a form, labels, the words echoed escaped, links to
// /advisories/{slug}, paging) and GET /api/v1/advisories/search (JSON, the
// list's item shape, paging addresses). Bad filters: 400 naming each, on the
// page beside its field and in the summary, in English and Japanese. A
// revision is found at once; `keikai advisory reindex` rebuilds the index.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, keikai } from './lib/server.mjs';
import { acceptedReport, openCase, vendorWithUser } from './lib/cases.mjs';

let srv;
let beta; /* ベータ電機: {vendor, token} */
let gamma;
const refs = {};
const ids = {};

/* The first advisory: an authentication bypass (認証回避) in ベータ電機's router,
 * its Japanese and English texts; the second, an SQL injection in Gamma's portal. */
const FIRST = {
  texts: {
    ja: {
      title: 'ベータルータにおける認証回避の脆弱性',
      overview: 'ベータ電機が提供するベータルータには、認証回避の脆弱性が存在します。',
      affected: 'ベータルータ 1.0 およびそれ以前',
      description: '管理画面へのリクエストを細工することで、認証を回避されます。',
      impact: '遠隔の第三者に管理画面を操作される可能性があります。',
      countermeasures: '最新版へアップデートしてください。',
      workarounds: '',
      contact: 'ベータ電機',
    },
    en: {
      title: 'Authentication bypass in Beta Router',
      overview: 'Beta Router by Beta Electric has an authentication bypass vulnerability.',
      affected: 'Beta Router 1.0 and earlier',
      description: 'A crafted request to the web console skips the login.',
      impact: 'A remote attacker may operate the web console.',
      countermeasures: 'Update to the latest version.',
      workarounds: '',
      contact: 'Beta Electric',
    },
  },
  cvss3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  cves: ['CVE-2027-55501'],
  cwes: [287],
  cpes: ['cpe:2.3:h:beta:router:1.0:*:*:*:*:*:*:*'],
};
const SECOND = {
  texts: {
    ja: {
      title: 'Gamma Portal における SQL インジェクションの脆弱性',
      overview: 'Gamma Portal に SQL インジェクションの脆弱性が存在します。',
      affected: 'Gamma Portal 2.x',
      description: '検索欄の値がそのまま SQL 文に使われます。',
      impact: '情報を窃取される可能性があります。',
      countermeasures: '2.5 へアップデートしてください。',
      workarounds: '',
      contact: 'Gamma Soft',
    },
    en: {
      title: 'SQL injection in Gamma Portal',
      overview: 'Gamma Portal has an SQL injection vulnerability.',
      affected: 'Gamma Portal 2.x',
      description: 'The search box value goes into an SQL statement as it is.',
      impact: 'Information may be stolen.',
      countermeasures: 'Update to 2.5.',
      workarounds: '',
      contact: 'Gamma Soft',
    },
  },
  cvss3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
  cves: ['CVE-2027-55502'],
  cwes: [89],
  cpes: ['cpe:/a:gamma:portal:2.0'],
};

const call = (p, token, body, method) => api(srv.url, p, { token, body, lang: 'en', method });
const cp = (ref, suffix) => `/api/v1/cases/${encodeURIComponent(ref)}${suffix}`;

/* A case of one vendor, its advisory written and approved, its date set. */
async function prepared(key, vendor, title, content, date) {
  const r = await acceptedReport(srv);
  refs[key] = (await openCase(srv, [r.tid], { title, summary: 'S.', detail: 'D.' })).id;
  let x = await call(cp(refs[key], '/notify'), srv.tokens.coordinator, { vendor_ids: [vendor.vendor.id] });
  assert.equal(x.status, 200, x.text);
  x = await call(cp(refs[key], '/advisory'), srv.tokens.coordinator, content, 'PUT');
  assert.equal(x.status, 200, x.text);
  x = await call(cp(refs[key], '/advisory/approve'), srv.tokens.coordinator, {});
  assert.equal(x.status, 200, x.text);
  x = await call(cp(refs[key], '/date'), srv.tokens.coordinator, { date, reason: 'Agreed with the vendor.' });
  assert.equal(x.status, 200, x.text);
}

/* `keikai tick` at instant iso: the scheduler publishes what is due. */
async function tickAt(iso) {
  await keikai(['tick', '--db', srv.db], { env: { KEIKAI_NOW: iso } });
}

const search = (qs, lang = 'en') => api(srv.url, `/api/v1/advisories/search?${qs}`, { lang });
const page = (qs, lang = 'en') => api(srv.url, `/search?${qs}`, { lang });
const found = (r) => r.json.advisories.map((a) => a.id);

before(async () => {
  srv = await startServer({ serveEnv: { KEIKAI_NOW: '2027-01-05T01:00:00Z' } });
  beta = await vendorWithUser(srv, { name_ja: 'ベータ電機', name_en: 'Beta Electric', preferred_lang: 'ja',
    contacts: [{ channel: 'email', value: 'psirt@beta.example.jp', is_primary: true }] },
  'user@beta.example.jp', { org: 'Beta Electric' });
  gamma = await vendorWithUser(srv, { name_en: 'Gamma Soft',
    contacts: [{ channel: 'email', value: 'psirt@gamma.example.jp', is_primary: true }] }, 'user@gamma.example.jp');
  await prepared('first', beta, 'Auth bypass in Beta Router', FIRST, '2027-02-18');
  await prepared('second', gamma, 'SQLi in Gamma Portal', SECOND, '2027-03-04');
});

after(async () => { await srv?.stop(); });

// SPEC 1, issue 12 item 4: before its minute an advisory is not there to find
test('nothing is found before publication', async () => {
  for (const q of ['認証回避', '認証', 'bypass', 'CVE-2027-55501']) {
    const r = await search(`q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, 0, `${q}: ${r.text}`);
  }
  const r = await search(`vendor=${encodeURIComponent('ベータ電機')}`);
  assert.equal(r.json.total, 0);
  /* one minute before the date, the scheduler publishes nothing */
  await tickAt('2027-02-18T01:59:00Z');
  assert.equal((await search('q=bypass')).json.total, 0);
});

// issue 12 item 6: published by the scheduler at its minute, then found in Japanese
test('published at its minute, found by Japanese and English words', async () => {
  await tickAt('2027-02-18T02:00:30Z');
  const a = await call(cp(refs.first, '/advisory'), srv.tokens.coordinator);
  assert.equal(a.json.state, 'published', a.text);
  ids.first = a.json.id;
  const slug = ids.first.replace('#', '');
  for (const q of ['認証回避', '認証', '鍵' /* absent */, 'べーたるーた' /* hiragana for katakana */, 'ＢＹＰＡＳＳ',
    'Beta 認証', 'CVE-2027-55501', '"authentication bypass"']) {
    const r = await search(`q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(found(r), q === '鍵' ? [] : [ids.first], `${q}: ${r.text}`);
  }
  // the items are the list's (GET /api/v1/advisories)
  const r = await search(`q=${encodeURIComponent('認証')}`);
  const listed = (await api(srv.url, '/api/v1/advisories', { lang: 'en' })).json.advisories[0];
  assert.deepEqual(r.json.advisories[0], listed);
  assert.equal(r.json.advisories[0].slug, slug);
  assert.equal(r.json.advisories[0].title.ja, FIRST.texts.ja.title);
  assert.equal(r.json.more, false);
  assert.deepEqual(r.json.paging, { page: 1, limit: 20, pages: 1, total: 1, next: null, prev: null });
  // the page in Japanese: the form, the words echoed, a link to the advisory
  const p = await page(`q=${encodeURIComponent('認証')}&lang=ja`, 'ja');
  assert.equal(p.status, 200, p.text);
  assert.match(p.text, /<html lang="ja">/);
  assert.match(p.text, /<form method="get" action="\/search"[^>]*role="search"/);
  assert.match(p.text, /<label for="q">/);
  assert.match(p.text, /<input type="search" id="q" name="q"[^>]*value="認証"/);
  assert.ok(p.text.includes(`href="/advisories/${slug}?lang=ja"`), p.text);
  assert.ok(p.text.includes(FIRST.texts.ja.title));
  assert.match(p.text, /id="results-count" data-total="1"/);
  assert.ok(!/<script/i.test(p.text), 'no script on the page');
  assert.match(p.headers.get('cache-control') ?? '', /public/);
});

// issue 12 item 6: filtered by vendor, product or CPE, severity, CWE, dates
test('filters, alone and with words', async () => {
  await tickAt('2027-03-04T02:00:30Z');
  ids.second = (await call(cp(refs.second, '/advisory'), srv.tokens.coordinator)).json.id;
  assert.ok(ids.second, 'the second is published');
  const cases = [
    ['', [ids.second, ids.first]],
    [`vendor=${encodeURIComponent('ベータ電機')}`, [ids.first]],
    [`vendor=${beta.vendor.id}`, [ids.first]],
    ['vendor=gamma%20soft', [ids.second]],
    ['product=ROUTER', [ids.first]], /* the product of its CPE name */
    [`cpe=${encodeURIComponent('cpe:/a:gamma:portal')}`, [ids.second]],
    [`cpe=${encodeURIComponent('cpe:2.3:h:beta:*')}`, [ids.first]],
    ['severity=critical', [ids.first]],
    ['severity=high', [ids.second]],
    ['cwe=CWE-89', [ids.second]],
    ['from=2027-03-01', [ids.second]],
    ['to=2027-02-18', [ids.first]],
    [`q=${encodeURIComponent('脆弱性')}&severity=high`, [ids.second]],
    [`q=${encodeURIComponent('脆弱性')}&sort=relevance`, [ids.second, ids.first]],
    ['q=sql&vendor=gamma%20soft&cwe=89&from=2027-03-04&to=2027-03-04', [ids.second]],
  ];
  for (const [qs, want] of cases) {
    const r = await search(qs);
    assert.equal(r.status, 200, `${qs}: ${r.text}`);
    assert.deepEqual(found(r), want, `${qs}: ${r.text}`);
  }
  // paging: a page of one, the next page's address carries the query
  let r = await search(`q=${encodeURIComponent('脆弱性')}&limit=1`);
  assert.deepEqual(found(r), [ids.second]);
  assert.equal(r.json.paging.pages, 2);
  assert.equal(r.json.paging.next, `/api/v1/advisories/search?q=${encodeURIComponent('脆弱性')}&limit=1&page=2`);
  r = await api(srv.url, r.json.paging.next);
  assert.deepEqual(found(r), [ids.first]);
  assert.equal(r.json.paging.prev, `/api/v1/advisories/search?q=${encodeURIComponent('脆弱性')}&limit=1&page=1`);
  const p = await page(`q=${encodeURIComponent('脆弱性')}&limit=1`);
  assert.equal(p.status, 200);
  /* the same characters as one word: another page, never the one kept for the address above */
  const one = await page(`q=${encodeURIComponent('脆弱性&limit=1')}`);
  assert.match(one.text, /<input type="search" id="q" name="q"[^>]* value="脆弱性&amp;limit=1"/);
  assert.notEqual(one.text, p.text);
  assert.ok(p.text.includes(`href="/search?q=${encodeURIComponent('脆弱性')}&amp;limit=1&amp;page=2&amp;lang=en"`), p.text);
});

// issue 12 item 6: a feed per product, by the search's product and CPE filters,
// linked from the search page that filters by them
test('a feed per product or CPE name, linked from the search', async () => {
  const items = (xml) => [...xml.matchAll(/<link>([^<]*\/advisories\/[^<]*)<\/link>/g)].map((m) => m[1]);
  const slug = (id) => id.replace('#', '');
  for (const [qs, want] of [
    ['product=ROUTER', [ids.first]],
    [`cpe=${encodeURIComponent('cpe:/a:gamma:portal')}`, [ids.second]],
    ['product=nothing%20like%20it', []],
  ]) {
    for (const feed of ['/feed/jvnrss.rdf', '/feed/atom.xml']) {
      const r = await fetch(`${srv.url}${feed}?${qs}&lang=en`);
      const xml = await r.text();
      assert.equal(r.status, 200, `${feed}?${qs}: ${xml.slice(0, 300)}`);
      const got = feed.endsWith('.rdf') ? items(xml) : [...xml.matchAll(/<link rel="alternate"[^>]* href="([^"]*\/advisories\/[^"]*)"/g)].map((m) => m[1]);
      assert.deepEqual(got.map((u) => u.replace(/^.*\/advisories\/|\?lang=en$/g, '')), want.map(slug), `${feed}?${qs}`);
      assert.ok(xml.includes(`${feed}?${qs.replace(/&/g, '&amp;')}&amp;lang=en`), `${feed}?${qs}: its own address`);
    }
  }
  const ja = await (await fetch(`${srv.url}/feed/jvnrss.rdf?product=ROUTER`)).text();
  assert.match(ja, /<title>[^<]*ROUTER<\/title>/, 'the title names the product');
  // a bad CPE name is named, nothing listed
  const bad = await fetch(`${srv.url}/feed/atom.xml?cpe=nonsense&lang=en`);
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /cpe: /);
  const badja = await fetch(`${srv.url}/feed/atom.xml?cpe=nonsense&lang=ja`);
  assert.equal(badja.status, 400);
  assert.match(await badja.text(), /[\u3040-\u30ff]/, 'in Japanese');
  // the search filtered by product links its feeds; unfiltered, it does not
  const p = await page('product=ROUTER');
  assert.match(p.text, /id="product-feed-rss" href="\/feed\/jvnrss\.rdf\?product=ROUTER&amp;lang=en"|href="\/feed\/jvnrss\.rdf\?product=ROUTER&amp;lang=en" type="application\/rss\+xml" id="product-feed-rss"/);
  assert.doesNotMatch((await page(`q=${encodeURIComponent('脆弱性')}`)).text, /id="product-feed-rss"/);
});

// the words come back escaped; a bad filter is 400 naming it, in the reader's language
test('words echoed escaped; bad filters named beside their fields', async () => {
  const xss = '<script>alert(1)</script>"\'';
  let p = await page(`q=${encodeURIComponent(xss)}`);
  assert.equal(p.status, 200, p.text);
  assert.ok(!p.text.includes('<script>alert'), 'the words are escaped');
  assert.ok(p.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), p.text);

  p = await page('severity=urgent&cwe=xss&from=2027-02-30&limit=0');
  assert.equal(p.status, 400);
  assert.match(p.text, /id="error-summary"/);
  for (const f of ['severity', 'cwe', 'from']) {
    assert.ok(p.text.includes(`href="#${f}"`), `${f} in the summary`);
    assert.match(p.text, new RegExp(`id="${f}-error" data-field="${f}"`));
  }
  assert.match(p.text, /Must be one of none, low, medium, high, critical\./);
  assert.match(p.text, /Must be a whole number from 1 to 100\./);
  // the form keeps what was typed
  assert.match(p.text, /<input type="text" id="cwe" name="cwe" value="xss"/);
  const ja = await page('limit=0&severity=urgent&lang=ja', 'ja');
  assert.equal(ja.status, 400);
  assert.match(ja.text, /1 から 100 までの整数で指定してください。/);
  assert.match(ja.text, /none、low、medium、high、critical のいずれか/);

  const r = await search('severity=urgent&cpe=nonsense&sort=best&page=0', 'ja');
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(Object.keys(r.json.fields).sort(), ['cpe', 'page', 'severity', 'sort']);
  const unknown = await search('color=red');
  assert.equal(unknown.status, 400, 'an undeclared parameter is refused');
});

// G IV.4.9: a revision is found at once; keikai advisory reindex rebuilds the index
test('a revision is searchable at once; reindex', async () => {
  const revised = structuredClone(FIRST);
  revised.texts.ja.description += '特定の条件下では暗号鍵も漏えいします。';
  revised.note_ja = '暗号鍵の漏えいを追記';
  revised.note_en = 'Key leak added.';
  const x = await call(cp(refs.first, '/advisory/revise'), srv.tokens.coordinator, revised);
  assert.equal(x.status, 200, x.text);
  let r = await search(`q=${encodeURIComponent('鍵')}`);
  assert.deepEqual(found(r), [ids.first]);
  const out = await keikai(['advisory', 'reindex', '--db', srv.db, '--json']);
  assert.deepEqual(JSON.parse(out.stdout), { indexed: 2 });
  r = await search(`q=${encodeURIComponent('暗号鍵')}`);
  assert.deepEqual(found(r), [ids.first]);
  const text = await keikai(['advisory', 'reindex', '--db', srv.db], { env: { LANG: 'C.UTF-8' } });
  assert.match(text.stdout, /^2 published advisories in the search index$/m);
});
