// t1010: the vendor registry's JSON API (issue 8; SPEC 2.5, G IV.4.2):
// vendors, their contacts and products, every endpoint for every role.
// Anonymous callers get 401; a vendor user reaches its own vendor and gets
// 404 for every other, as for a missing one; intake reads and changes
// nothing; a coordinator registers vendors on the spot and maintains all.
// Bad input is 400 {"error", "fields"}, in the caller's language, and
// stores nothing. Runs on the engine of the run (SQLite, or PostgreSQL with
// KEIKAI_TEST_PG). Contract: docs/api/vendors.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, api, keikai, createToken, PASSWORD, USERS, login, browse, csrfField,
} from './lib/server.mjs';

let srv;
let x; /* Sample Denki, whose users are sd */
let y; /* Other Corp, which sd must never reach */
let sd; /* a token of a vendor user of x */

const SAMPLE = {
  name_ja: 'サンプル電機', name_en: 'Sample Denki', aliases: ['SD'], country: 'JP',
  website: 'https://sample-denki.example/', listed_publicly: true, preferred_lang: 'ja',
  contacts: [{ channel: 'email', value: 'psirt@sample-denki.example', department: 'PSIRT', is_primary: true }],
};

const call = (p, token, opts = {}) => api(srv.url, p, { token, ...opts });
const send = (method, p, token, body, opts = {}) => api(srv.url, p, { token, method, body, ...opts });

before(async () => {
  srv = await startServer();
  const a = await send('POST', '/api/v1/vendors', srv.tokens.coordinator, SAMPLE);
  assert.equal(a.status, 201, a.text);
  x = a.json;
  const b = await send('POST', '/api/v1/vendors', srv.tokens.coordinator, { name_en: 'Other Corp' });
  assert.equal(b.status, 201, b.text);
  y = b.json;
  /* a vendor user whose organisation belongs to x */
  await keikai(['user', 'add', '--db', srv.db, '--org', 'Sample Denki', '--role', 'vendor', '--email',
    'psirt@sample-denki.example', '--name', 'SD PSIRT', '--password-stdin', '--vendor-id', String(x.id)],
  { input: PASSWORD + '\n' });
  sd = await createToken(srv.db, 'psirt@sample-denki.example');
});
after(async () => { await srv?.stop(); });

// SPEC 2.5, G IV.4.2: a coordinator registers a vendor on the spot
test('a coordinator registers a vendor and reads it back with contacts and history', async () => {
  assert.equal(x.name_en, 'Sample Denki');
  assert.equal(x.name_ja, 'サンプル電機');
  assert.deepEqual(x.aliases, ['SD']);
  assert.equal(x.country, 'JP');
  assert.equal(x.listed_publicly, true);
  assert.equal(x.registration_type, 'general');
  assert.equal(x.contacts.length, 1);
  assert.equal(x.contacts[0].channel, 'email');
  assert.equal(x.contacts[0].is_primary, true);
  assert.equal(x.product_count, 0);
  assert.equal(x.last_contact_at, null);
  assert.deepEqual(x.history.map((h) => h.action), ['vendor.add', 'contact.add']);

  const g = await call(`/api/v1/vendors/${x.id}`, srv.tokens.coordinator, { lang: 'ja' });
  assert.equal(g.status, 200);
  assert.equal(g.json.name, 'サンプル電機', 'name in the reader\'s language');
  const e = await call(`/api/v1/vendors/${x.id}`, srv.tokens.coordinator, { lang: 'en' });
  assert.equal(e.json.name, 'Sample Denki');
});

// issue 9 relies on this shape: contacts given with "address" for "value"
test('a contact may give its address as "address"; not both it and "value"', async () => {
  const r = await send('POST', '/api/v1/vendors', srv.tokens.coordinator,
    { name_ja: '宛先テスト', name_en: 'Address Test', contacts: [{ channel: 'email', address: 'psirt@address-test.example' }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(typeof r.json.id, 'number');
  assert.deepEqual(r.json.contacts.map((c) => [c.channel, c.value]), [['email', 'psirt@address-test.example']]);
  const bad = await send('POST', '/api/v1/vendors', srv.tokens.coordinator,
    { name_en: 'Both', contacts: [{ channel: 'email', address: 'a@b.example', value: 'c@d.example' }] });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(Object.keys(bad.json.fields), ['contacts[0].address']);
  const wrong = await send('POST', '/api/v1/vendors', srv.tokens.coordinator,
    { name_en: 'Wrong', contacts: [{ channel: 'email', address: 'not an address' }] });
  assert.equal(wrong.status, 400, wrong.text);
  assert.deepEqual(Object.keys(wrong.json.fields), ['contacts[0].address']);
  const list = await call('/api/v1/vendors?limit=200', srv.tokens.coordinator);
  assert.ok(!list.json.vendors.some((v) => v.name_en === 'Both' || v.name_en === 'Wrong'), 'nothing stored');
});

test('anonymous callers get 401 on every endpoint', async () => {
  const v = `/api/v1/vendors/${x.id}`;
  for (const [method, p, body] of [
    ['GET', '/api/v1/vendors'], ['POST', '/api/v1/vendors', {}], ['GET', v], ['PATCH', v, {}],
    ['GET', `${v}/contacts`], ['POST', `${v}/contacts`, {}], ['PATCH', `${v}/contacts/1`, {}],
    ['DELETE', `${v}/contacts/1`, {}], ['GET', `${v}/products`], ['POST', `${v}/products`, {}],
    ['GET', `${v}/products/1`], ['PATCH', `${v}/products/1`, {}],
  ]) {
    const r = await send(method, p, undefined, body);
    assert.equal(r.status, 401, `${method} ${p}`);
    assert.equal(typeof r.json.error, 'string');
  }
});

// SPEC 2.5: a vendor user sees and keeps current only its own record
test('a vendor user reaches its own vendor and gets 404 for any other', async () => {
  const own = await call(`/api/v1/vendors/${x.id}`, sd);
  assert.equal(own.status, 200, own.text);
  const list = await call('/api/v1/vendors', sd);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.vendors.map((v) => v.id), [x.id]);
  assert.equal(list.json.paging.total, 1);

  const p = await send('POST', `/api/v1/vendors/${x.id}/products`, sd, { name_en: 'SD-Camera', product_type: 'iot_device' });
  assert.equal(p.status, 201, p.text);
  const c = await send('POST', `/api/v1/vendors/${x.id}/contacts`, sd, { channel: 'phone', value: '+81 3 0000 0000' });
  assert.equal(c.status, 201, c.text);
  const u = await send('PATCH', `/api/v1/vendors/${x.id}`, sd, { website: 'https://sd.example/' });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.website, 'https://sd.example/');

  const before = await call(`/api/v1/vendors/${y.id}`, srv.tokens.coordinator);
  const v = `/api/v1/vendors/${y.id}`;
  for (const [method, q, body] of [
    ['GET', v], ['PATCH', v, { country: 'DE' }], ['GET', `${v}/contacts`],
    ['POST', `${v}/contacts`, { channel: 'email', value: 'a@b.example' }],
    ['PATCH', `${v}/contacts/${c.json.id}`, { is_valid: false }], ['DELETE', `${v}/contacts/${c.json.id}`, {}],
    ['GET', `${v}/products`], ['POST', `${v}/products`, { name_en: 'X' }],
    ['GET', `${v}/products/${p.json.id}`], ['PATCH', `${v}/products/${p.json.id}`, { name_en: 'X' }],
    ['GET', '/api/v1/vendors/999999'],
  ]) {
    const r = await send(method, q, sd, body);
    assert.equal(r.status, 404, `${method} ${q}: ${r.text}`);
  }
  /* and what is x's is not found under y either */
  assert.equal((await call(`/api/v1/vendors/${x.id}/products/${p.json.id}`, srv.tokens.coordinator)).status, 200);
  assert.equal((await call(`${v}/products/${p.json.id}`, srv.tokens.coordinator)).status, 404);
  const afterwards = await call(`/api/v1/vendors/${y.id}`, srv.tokens.coordinator);
  assert.deepEqual(afterwards.json, before.json, 'the other vendor is as it was');

  // G IV.4.2: only a coordinator registers a vendor: the gate says 403
  const add = await send('POST', '/api/v1/vendors', sd, { name_en: 'Mine' });
  assert.equal(add.status, 403);
});

test('a vendor user of no vendor sees none', async () => {
  const list = await call('/api/v1/vendors', srv.tokens.vendor);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.vendors, []);
  assert.equal((await call(`/api/v1/vendors/${x.id}`, srv.tokens.vendor)).status, 404);
});

test('intake reads every vendor and changes none; operators are stopped at the gate', async () => {
  const list = await call('/api/v1/vendors', srv.tokens.intake);
  assert.equal(list.status, 200);
  assert.ok(list.json.vendors.some((v) => v.id === y.id));
  assert.equal((await call(`/api/v1/vendors/${y.id}/contacts`, srv.tokens.intake)).status, 200);
  assert.equal((await call(`/api/v1/vendors/${y.id}/products`, srv.tokens.intake)).status, 200);
  for (const [method, p, body] of [
    ['POST', '/api/v1/vendors', { name_en: 'Z' }], ['PATCH', `/api/v1/vendors/${y.id}`, { country: 'DE' }],
    ['POST', `/api/v1/vendors/${y.id}/contacts`, { channel: 'email', value: 'a@b.example' }],
    ['POST', `/api/v1/vendors/${y.id}/products`, { name_en: 'Z' }],
  ]) {
    const r = await send(method, p, srv.tokens.intake, body);
    assert.equal(r.status, 403, `${method} ${p}`);
  }
  assert.equal((await call('/api/v1/vendors', srv.tokens.operator)).status, 403);
  assert.equal((await call(`/api/v1/vendors/${y.id}`, srv.tokens.operator)).status, 403);
});

test('contacts: add, make primary, invalidate, remove, each audited', async () => {
  const base = `/api/v1/vendors/${y.id}/contacts`;
  const a = await send('POST', base, srv.tokens.coordinator, { channel: 'email', value: 'sec@other.example', is_primary: true });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.headers.get('location'), `${base}/${a.json.id}`);
  const b = await send('POST', base, srv.tokens.coordinator, { channel: 'email', value: 'psirt@other.example', is_primary: true });
  assert.equal(b.status, 201);
  let list = (await call(base, srv.tokens.coordinator)).json.contacts;
  assert.deepEqual(list.map((c) => [c.value, c.is_primary]), [['psirt@other.example', true], ['sec@other.example', false]]);

  const inv = await send('PATCH', `${base}/${b.json.id}`, srv.tokens.coordinator, { is_valid: false });
  assert.equal(inv.status, 200, inv.text);
  assert.equal(inv.json.is_valid, false);
  assert.equal(inv.json.is_primary, false, 'a contact known to be out of date is not primary');

  const del = await send('DELETE', `${base}/${a.json.id}`, srv.tokens.coordinator, '');
  assert.equal(del.status, 200, del.text);
  assert.equal((await send('DELETE', `${base}/${a.json.id}`, srv.tokens.coordinator, '')).status, 404);
  list = (await call(base, srv.tokens.coordinator)).json.contacts;
  assert.deepEqual(list.map((c) => c.value), ['psirt@other.example']);

  const h = (await call(`/api/v1/vendors/${y.id}`, srv.tokens.coordinator)).json.history;
  assert.deepEqual(h.map((e) => e.action).slice(-4), ['contact.add', 'contact.add', 'contact.update', 'contact.remove']);
  const removed = h.at(-1);
  assert.equal(removed.detail.before.value, 'sec@other.example');
  assert.equal(h.at(-3).detail.demoted[0], a.json.id);
});

test('products: a CPE 2.2 URI becomes 2.3; list, read, change', async () => {
  const base = `/api/v1/vendors/${y.id}/products`;
  const p = await send('POST', base, srv.tokens.coordinator, {
    name_en: 'Other Router', cpe: 'cpe:/h:other:router:1.0', product_type: 'network_device', versions: '1.0 - 1.4',
  }, { lang: 'ja' });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.cpe, 'cpe:2.3:h:other:router:1.0:*:*:*:*:*:*:*');
  assert.equal(p.json.product_type, 'network_device');
  assert.equal(typeof p.json.product_type_label, 'string');
  const u = await send('PATCH', `${base}/${p.json.id}`, srv.tokens.coordinator, { end_of_support: true });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.end_of_support, true);
  assert.equal(u.json.versions, '1.0 - 1.4');
  const list = await call(`${base}?limit=1&page=1`, srv.tokens.coordinator);
  assert.equal(list.status, 200);
  assert.equal(list.json.products.length, 1);
  assert.equal(list.json.paging.limit, 1);
  const g = await call(`${base}/${p.json.id}`, srv.tokens.intake);
  assert.equal(g.status, 200);
  assert.equal(g.json.end_of_support, true);
});

test('bad input: 400 with every field named, nothing stored', async () => {
  const count = (await call('/api/v1/vendors', srv.tokens.coordinator)).json.paging.total;
  const r = await send('POST', '/api/v1/vendors', srv.tokens.coordinator, {
    country: 'ZZ', website: 'ftp://x.example', preferred_lang: 'fr', colour: 'red',
    contacts: [{ channel: 'pigeon', value: 'coo' }, { channel: 'email', value: 'nope' }],
  }, { lang: 'en' });
  assert.equal(r.status, 400, r.text);
  assert.equal(typeof r.json.error, 'string');
  assert.deepEqual(Object.keys(r.json.fields).sort(), ['colour', 'contacts[0].channel', 'contacts[1].value', 'country',
    'name_en', 'name_ja', 'preferred_lang', 'website']);
  assert.equal(r.json.fields.country, 'Must be an ISO 3166-1 alpha-2 country code such as JP.');
  assert.equal((await call('/api/v1/vendors', srv.tokens.coordinator)).json.paging.total, count, 'nothing stored');

  const ja = await send('POST', '/api/v1/vendors', srv.tokens.coordinator, { country: 'ZZ', name_en: 'A' }, { lang: 'ja' });
  assert.equal(ja.status, 400);
  assert.equal(ja.json.fields.country, 'JP のような ISO 3166-1 alpha-2 の国コードで指定してください。');

  const p = await send('POST', `/api/v1/vendors/${y.id}/products`, srv.tokens.coordinator,
    { name_en: 'X', cpe: 'cpe:2.3:h:x' }, { lang: 'en' });
  assert.equal(p.status, 400);
  assert.match(p.json.fields.cpe, /^Not a CPE name: /);

  const notJson = await send('PATCH', `/api/v1/vendors/${y.id}`, srv.tokens.coordinator, '{');
  assert.equal(notJson.status, 400);
  const arr = await send('PATCH', `/api/v1/vendors/${y.id}`, srv.tokens.coordinator, []);
  assert.equal(arr.status, 400);
  const page = await call('/api/v1/vendors?limit=0', srv.tokens.coordinator);
  assert.equal(page.status, 400);
  assert.ok(page.json.fields.limit);
  const unknown = await call('/api/v1/vendors?sort=name', srv.tokens.coordinator);
  assert.equal(unknown.status, 400);
  assert.equal((await call('/api/v1/vendors/abc', srv.tokens.coordinator)).status, 404);
});

// issue 8 capability 4: ?q= searches vendors by name, folded (full-width, half-width, case)
test('?q= searches the vendors by name for those who may search the registry', async () => {
  const r = await call(`/api/v1/vendors?q=${encodeURIComponent('ｻﾝﾌﾟﾙ')}`, srv.tokens.intake, { lang: 'en' });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.vendors.some((h) => h.vendor_id === x.id), JSON.stringify(r.json));
  assert.ok(r.json.vendors.every((h) => !h.product_id), 'vendors only');
  const other = await call('/api/v1/vendors?q=other%20corp', srv.tokens.coordinator);
  assert.equal(other.status, 200);
  assert.equal(other.json.vendors[0]?.vendor_id, y.id);
  /* a vendor user may not search the registry: as for anything it may not see, 404 */
  assert.equal((await call('/api/v1/vendors?q=sample', sd)).status, 404);
  const empty = await call('/api/v1/vendors?q=', srv.tokens.coordinator);
  assert.equal(empty.status, 400);
  assert.ok(empty.json.fields.q);
});

// SPEC 1: a cookie session echoes its CSRF token on every write, DELETE included
test('cookie callers need X-CSRF-Token on PATCH and DELETE', async () => {
  const { jar } = await login(srv.url, USERS.coordinator.email);
  const page = await browse(srv.url, '/intake', jar);
  assert.equal(page.status, 200);
  const token = csrfField(page.text);
  assert.ok(token);
  const c = await send('POST', `/api/v1/vendors/${y.id}/contacts`, srv.tokens.coordinator,
    { channel: 'fax', value: '+81 3 1111 2222' });
  assert.equal(c.status, 201);
  const write = (method, p, headers) => fetch(srv.url + p, {
    method, redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/json', ...headers },
    body: method === 'DELETE' ? '' : JSON.stringify({ country: 'DE' }),
  });
  const contact = `/api/v1/vendors/${y.id}/contacts/${c.json.id}`;
  assert.equal((await write('PATCH', `/api/v1/vendors/${y.id}`, {})).status, 403);
  assert.equal((await write('DELETE', contact, {})).status, 403);
  assert.equal((await write('DELETE', contact, { 'x-csrf-token': 'forged' })).status, 403);
  assert.equal((await call(`/api/v1/vendors/${y.id}`, srv.tokens.coordinator)).json.country, null, 'nothing changed');
  assert.equal((await write('PATCH', `/api/v1/vendors/${y.id}`, { 'x-csrf-token': token })).status, 200);
  assert.equal((await write('DELETE', contact, { 'x-csrf-token': token })).status, 200);
});

// SPEC 1: a vendor user reads its vendor's history without the coordinators'
// personal addresses: another organisation's user shows as role and
// organisation; its own users and the staff are shown as recorded
test("a vendor user's view of the history names other organisations' users by role and organisation only", async () => {
  const u = await send('PATCH', `/api/v1/vendors/${x.id}`, sd, { country: 'JP' });
  assert.equal(u.status, 200, u.text);
  const own = await call(`/api/v1/vendors/${x.id}`, sd);
  assert.equal(own.status, 200, own.text);
  const h = own.json.history;
  assert.equal(h[0].action, 'vendor.add');
  assert.equal(h[0].actor, 'coordinator (JPCERT/CC)');
  assert.equal(h[0].role, 'coordinator');
  assert.equal(h.at(-1).actor, 'psirt@sample-denki.example', 'its own user as recorded');
  assert.ok(!own.text.includes(USERS.coordinator.email), own.text);

  const staff = await call(`/api/v1/vendors/${x.id}`, srv.tokens.intake);
  assert.equal(staff.json.history[0].actor, USERS.coordinator.email);

  // the page shows the same
  const { jar } = await login(srv.url, 'psirt@sample-denki.example', PASSWORD, { lang: 'en' });
  const page = await browse(srv.url, `/vendors/${x.id}`, jar, { lang: 'en' });
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /<span class="actor">coordinator \(JPCERT\/CC\)<\/span>/);
  assert.match(page.text, /<span class="actor">psirt@sample-denki\.example<\/span>/);
  assert.ok(!page.text.includes(USERS.coordinator.email));
});
