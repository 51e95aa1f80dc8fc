// t0220: the intake queue one page at a time (SPEC 2.3, issue 7). GET /api/v1/reports
// takes `limit` (default 50, at most 200) and `page` and answers the page, in the
// order of impact, with "paging" (where it is, the total, the neighbours' addresses);
// the /intake page shows one page with the total and links to the pages before and
// after. Contract: docs/api/reports.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postReport, api, productReport, login, browse, USERS } from './lib/server.mjs';

const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const LIMIT_ERROR = 'Must be a whole number from 1 to 200.';
const PAGE_ERROR = 'Must be a whole number from 1 to 1000000.';

let srv;
let order; // every tracking id, in the order the queue must show them
let jar;   // a signed-in intake browser

/* Submits a product report, with the finder's vector when given; its tracking id. */
async function submit(i, vector) {
  const body = productReport();
  body.finder.email = `t0220-finder-${i}@example.jp`;
  if (vector) body.details.cvss_vector = vector;
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
  return r.json.tracking_id;
}

const list = (query, opts = {}) => api(srv.url, `/api/v1/reports${query}`, { token: srv.tokens.intake, lang: 'en', ...opts });
/* A page of the signed-in intake browser, in English unless lang says otherwise. */
const html = (p, lang = 'en') => browse(srv.url, p, jar, { lang });
const ids = (reports) => reports.map((x) => x.tracking_id);
/* The tracking ids of the rows of the /intake page, top to bottom. */
const rows = (text) => [...text.matchAll(/<tr data-tracking-id="([^"]+)"/g)].map((m) => m[1]);
/* The href of the link with rel=prev / rel=next, with &amp; decoded; undefined when none. */
const rel = (text, which) =>
  [...text.matchAll(/<a rel="(prev|next)" href="([^"]*)"/g)].find((m) => m[1] === which)?.[2].replace(/&amp;/g, '&');

before(async () => {
  srv = await startServer();
  // 53 reports, one after another: 25 without a vector (unrated), 3 with a
  // critical one from the finder (high impact), 25 more unrated. SPEC 2.3: the
  // three come first although they arrived later; within a rank, the older first.
  const unrated = [];
  const high = [];
  for (let i = 0; i < 25; i++) unrated.push(await submit(i));
  for (let i = 25; i < 28; i++) high.push(await submit(i, CRITICAL));
  for (let i = 28; i < 53; i++) unrated.push(await submit(i));
  order = [...high, ...unrated];
  ({ jar } = await login(srv.url, USERS.intake.email));
});
after(async () => { await srv?.stop(); });

// SPEC 2.3
test('the API answers the first 50 in the order of impact, with paging', async () => {
  const q = await list('');
  assert.equal(q.status, 200, q.text);
  assert.deepEqual(ids(q.json.reports), order.slice(0, 50), 'high impact first, then arrival');
  assert.equal(q.json.reports[0].impact, 'high');
  assert.deepEqual(q.json.paging, {
    page: 1, limit: 50, total: 53, pages: 2, next: '/api/v1/reports?limit=50&page=2', prev: null,
  });
  const next = await list(q.json.paging.next.slice('/api/v1/reports'.length));
  assert.equal(next.status, 200, next.text);
  assert.deepEqual(ids(next.json.reports), order.slice(50));
  assert.deepEqual(next.json.paging, {
    page: 2, limit: 50, total: 53, pages: 2, next: null, prev: '/api/v1/reports?limit=50&page=1',
  });
});

test('following "next" walks the whole queue once, in order', async () => {
  const seen = [];
  let query = '?limit=20';
  let pages = 0;
  while (query !== null) {
    const q = await list(query);
    assert.equal(q.status, 200, q.text);
    assert.equal(q.json.paging.total, 53);
    assert.equal(q.json.paging.limit, 20);
    seen.push(...ids(q.json.reports));
    pages++;
    query = q.json.paging.next === null ? null : q.json.paging.next.slice('/api/v1/reports'.length);
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, order);
  const one = await list('?limit=200');
  assert.deepEqual(ids(one.json.reports), order, 'one page of 200 holds them all, in the same order');
  assert.equal(one.json.paging.next, null);
});

test('the status filter pages too, and the links keep it', async () => {
  const q = await list('?status=received&limit=10&page=2');
  assert.equal(q.status, 200, q.text);
  assert.deepEqual(ids(q.json.reports), order.slice(10, 20));
  assert.deepEqual(q.json.paging, {
    page: 2, limit: 10, total: 53, pages: 6,
    next: '/api/v1/reports?status=received&limit=10&page=3', prev: '/api/v1/reports?status=received&limit=10&page=1',
  });
  const none = await list('?status=rejected');
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.json.reports, []);
  assert.deepEqual(none.json.paging, { page: 1, limit: 50, total: 0, pages: 1, next: null, prev: null });
});

test('a page past the end is empty, and "prev" leads back to the last one', async () => {
  const q = await list('?page=9');
  assert.equal(q.status, 200, q.text);
  assert.deepEqual(q.json.reports, []);
  assert.deepEqual(q.json.paging, {
    page: 9, limit: 50, total: 53, pages: 2, next: null, prev: '/api/v1/reports?limit=50&page=2',
  });
});

test('a bad limit or page is refused with 400 naming the parameter', async () => {
  for (const limit of ['0', '201', '-1', 'abc', '1.5', '%2B5', '99999999999999999999']) {
    const q = await list(`?limit=${limit}`);
    assert.equal(q.status, 400, `limit=${limit}: ${q.text}`);
    assert.deepEqual(q.json.fields, { limit: LIMIT_ERROR }, `limit=${limit}`);
    assert.equal(typeof q.json.error, 'string');
  }
  for (const page of ['0', '1000001', 'x']) {
    const q = await list(`?limit=10&page=${page}`);
    assert.equal(q.status, 400, `page=${page}: ${q.text}`);
    assert.deepEqual(q.json.fields, { page: PAGE_ERROR }, `page=${page}`);
  }
  const both = await list('?limit=0&page=0');
  assert.equal(both.status, 400, both.text);
  assert.deepEqual(Object.keys(both.json.fields).sort(), ['limit', 'page']);
  const ja = await list('?limit=500', { lang: 'ja' });
  assert.equal(ja.status, 400, ja.text);
  assert.equal(ja.json.fields.limit, '1 から 200 までの整数で指定してください。');
  const empty = await list('?limit=&page=');
  assert.equal(empty.status, 200, 'empty values are the defaults');
  assert.equal(empty.json.paging.limit, 50);
  assert.equal(empty.json.paging.page, 1);
});

test('the intake page shows one page, the total, and links to its neighbours', async () => {
  const first = await html('/intake?limit=20');
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(rows(first.text), order.slice(0, 20));
  assert.ok(first.text.includes('53 reports'), 'the caption counts the whole queue');
  assert.ok(first.text.includes('Page 1 of 3'));
  assert.equal(rel(first.text, 'prev'), undefined, 'no page before the first');
  assert.equal(rel(first.text, 'next'), '/intake?limit=20&page=2');

  const second = await html(rel(first.text, 'next'));
  assert.equal(second.status, 200, second.text);
  assert.deepEqual(rows(second.text), order.slice(20, 40));
  assert.ok(second.text.includes('Page 2 of 3'));
  assert.equal(rel(second.text, 'prev'), '/intake?limit=20');
  assert.equal(rel(second.text, 'next'), '/intake?limit=20&page=3');

  const last = await html(rel(second.text, 'next'));
  assert.deepEqual(rows(last.text), order.slice(40));
  assert.equal(rel(last.text, 'next'), undefined, 'no page after the last');
  assert.equal(rel(last.text, 'prev'), '/intake?limit=20&page=2');

  const dflt = await html('/intake');
  assert.deepEqual(rows(dflt.text), order.slice(0, 50), '50 by default');
  assert.equal(rel(dflt.text, 'next'), '/intake?page=2');

  const filtered = await html('/intake?status=received&limit=20');
  assert.deepEqual(rows(filtered.text), order.slice(0, 20));
  assert.equal(rel(filtered.text, 'next'), '/intake?status=received&limit=20&page=2', 'the filter is kept');

  const ja = await html('/intake?limit=20&page=2', 'ja');
  assert.ok(ja.text.includes('2 / 3 ページ'), 'in Japanese too');
  assert.ok(ja.text.includes('前のページ') && ja.text.includes('次のページ'));
});

test('the intake page past the end, and with a bad limit', async () => {
  const past = await html('/intake?page=7');
  assert.equal(past.status, 200, past.text);
  assert.deepEqual(rows(past.text), []);
  assert.ok(past.text.includes('No reports on this page.'));
  assert.equal(rel(past.text, 'prev'), '/intake?page=2');

  const bad = await html('/intake?limit=0');
  assert.equal(bad.status, 400, bad.text);
  assert.ok(bad.text.includes(`The limit in the address is wrong: ${LIMIT_ERROR}`), bad.text);
});
