// t1040: products' composition and the vendors of a report (issue 8; SPEC 2.5:
// for OSS also the makers of products that embed it and the distributors;
// SPEC 5 last sentence: each product's composition on record). A vendor
// uploads its own product's SBOM (404 for another vendor's), a bad SBOM is
// 400 naming the JSON path and stores nothing, `keikai import sbom` does the
// same from the command line, "who embeds" follows chains of products, an
// accepted product report gets ranked candidate vendors that a coordinator
// (not intake) confirms, the affected system's SBOM is mapped, and on a
// `keikai demo` database the demo product reports' vendor is among the first
// three candidates. Runs on the engine of the run (SQLite, or PostgreSQL with
// KEIKAI_TEST_PG). Contract: docs/api/vendors.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  startServer, serveOn, freshStore, api, keikai, createToken, postReport, productReport, websiteReport, rid,
  PASSWORD, REPO_ROOT, login, browse, csrfField,
} from './lib/server.mjs';

const SBOM = path.join(REPO_ROOT, 'tests/data/sbom');
const cpe = (part, v, p) => `cpe:2.3:${part}:${v}:${p}:*:*:*:*:*:*:*:*`;

let srv;
let en; let rx; let fw; /* Example Networks, its router and firmware */
let ossl; let openssl; /* OpenSSL Project and OpenSSL */
let sd; let cam; /* サンプル電機 and its SD-Camera */
let other; let box; /* Other Corp, never reached by en's users */
let psirt; /* a token of a vendor user of en */

const send = (method, p, token, body, opts = {}) => api(srv.url, p, { token, method, body, ...opts });
const get = (p, token) => api(srv.url, p, { token });

async function vendor(body) {
  const r = await send('POST', '/api/v1/vendors', srv.tokens.coordinator, body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function product(v, body) {
  const r = await send('POST', `/api/v1/vendors/${v.id}/products`, srv.tokens.coordinator, body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function sbom(name) {
  return readFile(path.join(SBOM, name), 'utf8');
}

async function accepted(vendorText, productText) {
  const body = productReport();
  body.product.vendor = vendorText;
  body.product.name = productText;
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
  const tid = r.json.tracking_id;
  const d = await send('POST', `/api/v1/reports/${rid(tid)}/decision`, srv.tokens.intake, { decision: 'accept' });
  assert.equal(d.status, 200, d.text);
  return tid;
}

before(async () => {
  srv = await startServer();
  en = await vendor({ name_en: 'Example Networks' });
  rx = await product(en, { name_en: 'Example Router RX-100', cpe: cpe('h', 'example', 'rx-100') });
  fw = await product(en, { name_en: 'rx-firmware', cpe: cpe('o', 'example', 'rx-firmware') });
  ossl = await vendor({ name_en: 'OpenSSL Project' });
  openssl = await product(ossl, { name_en: 'OpenSSL', cpe: cpe('a', 'openssl', 'openssl') });
  sd = await vendor({ name_ja: 'サンプル電機', name_en: 'Sample Denki' });
  cam = await product(sd, { name_en: 'SD-Camera', cpe: cpe('h', 'sample_denki', 'sd-camera') });
  other = await vendor({ name_en: 'Other Corp' });
  box = await product(other, { name_en: 'Other Box' });
  await keikai(['user', 'add', '--db', srv.db, '--org', 'Example Networks', '--role', 'vendor', '--email',
    'psirt@example-networks.example', '--name', 'EN PSIRT', '--password-stdin', '--vendor-id', String(en.id)],
  { input: PASSWORD + '\n' });
  psirt = await createToken(srv.db, 'psirt@example-networks.example');
});
after(async () => { await srv?.stop(); });

// SPEC 5: a vendor keeps its own products' composition on record
test('a vendor uploads the SBOM of its own product and gets the mapping', async () => {
  const r = await send('POST', `/api/v1/vendors/${en.id}/sbom?product=${rx.id}`, psirt,
    await sbom('cyclonedx-1.6-handwritten.json'));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.format, 'CycloneDX');
  assert.equal(r.json.spec_version, '1.6');
  assert.equal(r.json.stored, 4, 'five components less the router itself');
  const byName = Object.fromEntries(r.json.components.map((c) => [c.name, c]));
  assert.deepEqual(byName.openssl.maps_to.map((t) => [t.basis, t.product_id, t.vendor_id]),
    [['cpe', openssl.id, ossl.id]]);
  assert.deepEqual(byName['rx-firmware'].maps_to.map((t) => [t.basis, t.product_id]), [['cpe', fw.id]]);
  assert.deepEqual(r.json.unmapped.map((c) => c.name), ['busybox', 'log4j-core']);

  const c = await get(`/api/v1/vendors/${en.id}/products/${rx.id}/components`, psirt);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.components.length, 4);
  assert.ok(c.json.components.every((x) => x.source === 'sbom'));
  assert.equal(c.json.components.find((x) => x.name === 'openssl').match_key, 'pkg:generic/openssl');
});

test('another vendor\'s product is 404 for a vendor user, as a missing one', async () => {
  const doc = await sbom('cyclonedx-1.6-handwritten.json');
  for (const p of [`/api/v1/vendors/${other.id}/sbom?product=${box.id}`,
    `/api/v1/vendors/${en.id}/sbom?product=${box.id}`, `/api/v1/vendors/${en.id}/sbom?product=999999`]) {
    const r = await send('POST', p, psirt, doc);
    assert.equal(r.status, 404, `${p}: ${r.text}`);
  }
  assert.equal((await get(`/api/v1/vendors/${other.id}/products/${box.id}/components`, psirt)).status, 404);
  const m = await send('POST', `/api/v1/vendors/${other.id}/products/${box.id}/components`, psirt, { name: 'x' });
  assert.equal(m.status, 404);
  /* intake reads compositions and changes none */
  assert.equal((await get(`/api/v1/vendors/${en.id}/products/${rx.id}/components`, srv.tokens.intake)).status, 200);
  const i = await send('POST', `/api/v1/vendors/${en.id}/sbom?product=${rx.id}`, srv.tokens.intake, doc);
  assert.equal(i.status, 403);
});

test('a bad SBOM is 400 naming the JSON path, and nothing is stored', async () => {
  const before = (await get(`/api/v1/vendors/${en.id}/products/${rx.id}/components`, psirt)).json.components;
  const r = await send('POST', `/api/v1/vendors/${en.id}/sbom?product=${rx.id}`, psirt,
    await sbom('bad/cdx-cpe-short.json'));
  assert.equal(r.status, 400, r.text);
  assert.equal(typeof r.json.error, 'string');
  assert.ok(r.json.fields['components[0].cpe'], r.text);
  const n = await send('POST', `/api/v1/vendors/${en.id}/sbom?product=${rx.id}`, psirt, '{"bomFormat": 1');
  assert.equal(n.status, 400);
  const q = await send('POST', `/api/v1/vendors/${en.id}/sbom`, psirt, await sbom('cyclonedx-1.6-handwritten.json'));
  assert.equal(q.status, 400);
  assert.ok(q.json.fields.product);
  const after = (await get(`/api/v1/vendors/${en.id}/products/${rx.id}/components`, psirt)).json.components;
  assert.deepEqual(after, before);
});

test('keikai import sbom stores an SBOM from the command line', async () => {
  const r = await keikai(['import', 'sbom', '--db', srv.db, '--vendor', String(sd.id), '--product', String(cam.id),
    path.join(SBOM, 'spdx-2.3-handwritten.json')]);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines.at(-1), /^3 components stored, \d+ mapped, \d+ unmapped$/);
  assert.ok(lines.some((l) => /^rx-firmware 2\.1\.0 -> cpe: Example Networks \/ rx-firmware$/.test(l)), r.stdout);
  const bad = await keikai(['import', 'sbom', '--db', srv.db, '--vendor', String(sd.id), '--product', String(cam.id),
    path.join(SBOM, 'bad/spdx-cpe-wildcard.json')], { allowFail: true });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /packages\[\d+\]\.externalRefs\[\d+\]\.referenceLocator/);
  const c = await get(`/api/v1/vendors/${sd.id}/products/${cam.id}/components`, srv.tokens.coordinator);
  assert.equal(c.json.components.length, 3);
});

// SPEC 2.5 OSS downstream: who embeds OpenSSL, directly and through products, with distributors
test('who embeds a component: directly, through a chain, with distributors', async () => {
  const add = await send('POST', `/api/v1/vendors/${sd.id}/products/${cam.id}/components`, srv.tokens.coordinator,
    { component_product_id: rx.id });
  assert.equal(add.status, 201, add.text);
  const d = await send('POST', `/api/v1/vendors/${en.id}/products/${rx.id}/distributors`, psirt,
    { vendor_id: other.id });
  assert.equal(d.status, 201, d.text);
  assert.deepEqual(d.json.distributors.map((x) => x.vendor_id), [other.id]);
  assert.equal((await send('POST', `/api/v1/vendors/${en.id}/products/${rx.id}/distributors`, psirt,
    { vendor_id: other.id })).status, 409);

  for (const q of [`cpe=${encodeURIComponent(cpe('a', 'openssl', 'openssl'))}`, `product=${openssl.id}`,
    `purl=${encodeURIComponent('pkg:generic/openssl@3.0.13')}`]) {
    const r = await get(`/api/v1/components/embedded-in?${q}`, srv.tokens.coordinator);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.products.map((p) => [p.product_id, p.depth, p.vendor_id]),
      [[rx.id, 1, en.id], [cam.id, 2, sd.id]], q);
    assert.deepEqual(r.json.products[0].distributors.map((x) => x.vendor_id), [other.id]);
  }
  const none = await get(`/api/v1/components/embedded-in?purl=${encodeURIComponent('pkg:generic/openssl@1.0.2')}`,
    srv.tokens.intake);
  assert.deepEqual(none.json.products, []);
  assert.equal((await get('/api/v1/components/embedded-in?purl=npm', srv.tokens.intake)).status, 400);
  assert.equal((await get('/api/v1/components/embedded-in', srv.tokens.intake)).status, 400);
  assert.equal((await get(`/api/v1/components/embedded-in?product=${rx.id}`, psirt)).status, 403);
});

test('a manual component is added and removed; removing it again is 404', async () => {
  const p = `/api/v1/vendors/${en.id}/products/${fw.id}/components`;
  const bad = await send('POST', p, psirt, { cpe: 'cpe:2.3:a:x', purl: 'pkg:', colour: 'red' });
  assert.equal(bad.status, 400);
  assert.deepEqual(Object.keys(bad.json.fields).sort(), ['colour', 'cpe', 'purl']);
  const a = await send('POST', p, psirt, { name: 'BusyBox', version: '1.36.1' });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.components.at(-1).match_key, 'busybox');
  assert.equal((await send('DELETE', `${p}/${a.json.id}`, psirt, {})).status, 200);
  assert.equal((await send('DELETE', `${p}/${a.json.id}`, psirt, {})).status, 404);
});

// SPEC 2.5: ranked candidates, the coordinator confirms, the choice and its basis recorded
test('candidates of an accepted product report, and the coordinator confirms', async () => {
  const tid = await accepted('サンプル電機株式会社', 'SD-Camera');
  const c = await get(`/api/v1/reports/${rid(tid)}/vendor-candidates`, srv.tokens.coordinator);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.candidates[0].vendor_id, sd.id, c.text);
  assert.ok(c.json.candidates[0].basis.some((b) => b.rule === 'vendor-name'));
  assert.ok(c.json.candidates[0].products.some((p) => p.product_id === cam.id));
  assert.equal((await get(`/api/v1/reports/${rid(tid)}/vendor-candidates`, srv.tokens.intake)).status, 200);
  assert.equal((await get(`/api/v1/reports/${rid(tid)}/vendor-candidates`, psirt)).status, 403);

  const body = { vendors: [{ vendor_id: sd.id, basis: 'vendor-name サンプル電機' }] };
  assert.equal((await send('POST', `/api/v1/reports/${rid(tid)}/vendors`, srv.tokens.intake, body)).status, 403);
  const bad = await send('POST', `/api/v1/reports/${rid(tid)}/vendors`, srv.tokens.coordinator,
    { vendors: [{ vendor_id: 999999 }] });
  assert.equal(bad.status, 400);
  assert.ok(bad.json.fields['vendors[0].vendor_id']);
  const ok = await send('POST', `/api/v1/reports/${rid(tid)}/vendors`, srv.tokens.coordinator, body);
  assert.equal(ok.status, 200, ok.text);
  const l = await get(`/api/v1/reports/${rid(tid)}/vendors`, srv.tokens.intake);
  assert.deepEqual(l.json.vendors.map((v) => [v.vendor_id, v.basis]), [[sd.id, 'vendor-name サンプル電機']]);
});

// SPEC 2.5: a wrong choice undone, through the API and the report page's form
test('the coordinator takes a confirmed vendor off the list; audited; others may not', async () => {
  const tid = await accepted('Example Networks', 'RX-100');
  const base = `/api/v1/reports/${rid(tid)}/vendors`;
  const both = { vendors: [{ vendor_id: en.id, basis: 'vendor-name' }, { vendor_id: sd.id, basis: 'a mistake' }] };
  assert.equal((await send('POST', base, srv.tokens.coordinator, both)).status, 200);
  assert.equal((await send('DELETE', `${base}/${sd.id}`, srv.tokens.intake, {})).status, 403);
  assert.equal((await send('DELETE', `${base}/${sd.id}`, psirt, {})).status, 403);
  const off = await send('DELETE', `${base}/${sd.id}`, srv.tokens.coordinator, {});
  assert.equal(off.status, 200, off.text);
  assert.deepEqual(off.json.vendors.map((v) => v.vendor_id), [en.id]);
  const again = await send('DELETE', `${base}/${sd.id}`, srv.tokens.coordinator, {}, { lang: 'ja' });
  assert.equal(again.status, 404);
  assert.match(again.json.error, /確定していません/);
  assert.equal((await send('DELETE', `${base}/abc`, srv.tokens.coordinator, {})).status, 404);
  const en404 = await send('DELETE', `${base}/${sd.id}`, srv.tokens.coordinator, {}, { lang: 'en' });
  assert.match(en404.json.error, /not among the vendors confirmed/);

  /* the page: the confirmed vendor's Remove form */
  const { jar } = await login(srv.url, 'coord@jpcert.example');
  const page = await browse(srv.url, `/intake/reports/${encodeURIComponent(tid)}`, jar);
  assert.equal(page.status, 200);
  const action = `/intake/reports/${encodeURIComponent(tid)}/vendors/${en.id}/remove`;
  assert.ok(page.text.includes(`action="${action}"`), 'a Remove form per confirmed vendor');
  const noCsrf = await browse(srv.url, action, jar, { method: 'POST', form: {} });
  assert.equal(noCsrf.status, 403, 'the form needs its CSRF token');
  const done = await browse(srv.url, action, jar, { method: 'POST', form: { csrf: csrfField(page.text) } });
  assert.equal(done.status, 303, done.text);
  assert.deepEqual((await get(base, srv.tokens.coordinator)).json.vendors, []);
});

test('candidates only for accepted product reports', async () => {
  const r = await postReport(srv.url, productReport());
  const p = `/api/v1/reports/${rid(r.json.tracking_id)}/vendor-candidates`;
  const c = await api(srv.url, p, { token: srv.tokens.coordinator, lang: 'en' });
  assert.equal(c.status, 409);
  assert.match(c.json.error, /accepted/);
  const j = await api(srv.url, p, { token: srv.tokens.coordinator, lang: 'ja' });
  assert.equal(j.status, 409);
  assert.match(j.json.error, /受理/, 'in the caller\'s language');
  const w = await postReport(srv.url, websiteReport());
  await send('POST', `/api/v1/reports/${rid(w.json.tracking_id)}/decision`, srv.tokens.intake, { decision: 'accept' });
  const wc = await get(`/api/v1/reports/${rid(w.json.tracking_id)}/vendor-candidates`, srv.tokens.coordinator);
  assert.equal(wc.status, 409);
  assert.equal((await get('/api/v1/reports/IPA%2300000000/vendor-candidates', srv.tokens.coordinator)).status, 404);
});

// SPEC 2.5: the affected system's SBOM, component by component; nothing stored
test('the SBOM of the affected system maps each component', async () => {
  const tid = await accepted('Example Networks', 'RX-100');
  const r = await send('POST', `/api/v1/reports/${rid(tid)}/sbom`, srv.tokens.coordinator,
    await sbom('cyclonedx-1.6-handwritten.json'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.mapped, 3);
  assert.deepEqual(r.json.unmapped.map((c) => c.name), ['busybox', 'log4j-core']);
  const bad = await send('POST', `/api/v1/reports/${rid(tid)}/sbom`, srv.tokens.coordinator, '{"spdxVersion":"SPDX-2.2"}');
  assert.equal(bad.status, 400);
});

// Done when: on the demo, the right vendor is among the first three candidates;
// like `make demo`, among the whole MyJVN dictionary when ../shared/data has it.
const DICTIONARY = path.join(path.dirname(new URL(import.meta.url).pathname), '../../../shared/data/jvn/myjvn-products.jsonl.gz');
test('on the demo, each demo product report\'s vendor is among the first three candidates', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'keikai-t1040-'));
  const store = await freshStore(dir);
  let demo;
  try {
    await keikai(['init', '--db', store.db]);
    if (existsSync(DICTIONARY))
      await keikai(['import', 'myjvn-products', '--db', store.db, DICTIONARY]);
    else if (process.env.CI)
      assert.fail(`the MyJVN dictionary is not at ${DICTIONARY}`);
    await keikai(['demo', '--db', store.db]);
    demo = await serveOn(store.db);
    const intake = await createToken(store.db, 'intake@ipa.example');
    const coord = await createToken(store.db, 'coordinator@jpcert.example');
    const q = await api(demo.url, '/api/v1/reports?limit=200', { token: intake });
    const seen = {};
    for (const row of q.json.reports.filter((x) => x.kind === 'product')) {
      const rep = (await api(demo.url, `/api/v1/reports/${rid(row.tracking_id)}`, { token: intake })).json;
      const want = { 'Example Corp': 'Example Corp', 'サンプル電機': 'Sample Denki' }[rep.product?.vendor];
      if (!want) continue;
      assert.equal(row.status, 'accepted', 'the demo accepts both product reports');
      const c = await api(demo.url, `/api/v1/reports/${rid(row.tracking_id)}/vendor-candidates`, { token: coord });
      assert.equal(c.status, 200, c.text);
      const top3 = c.json.candidates.slice(0, 3).map((x) => x.vendor_name_en);
      assert.ok(top3.includes(want), `${rep.product.vendor}: ${top3}`);
      seen[want] = true;
    }
    assert.deepEqual(Object.keys(seen).sort(), ['Example Corp', 'Sample Denki']);
  } finally {
    await demo?.stop();
    await store.drop();
    await rm(dir, { recursive: true, force: true });
  }
});
