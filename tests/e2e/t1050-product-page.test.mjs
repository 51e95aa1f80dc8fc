// t1050: a product's page (issue 8; SPEC 2.5: for OSS also the makers of
// products that embed it and the distributors; SPEC 5 last sentence: each
// product's software composition on record): the product, its components,
// its SBOMs, its distributors and (for staff) the registered products that
// embed it, with the CSRF forms of those who may change it. A vendor user
// opens its own products and gets the 404 of a missing one for another
// vendor's; an SBOM file uploaded through the multipart form is stored and its
// mapping shown; a bad one is refused with what is wrong and stores nothing;
// a component is added and removed by hand; a coordinator adds a distributor;
// the page reads in Japanese and English. Runs on the engine of the run
// (SQLite, or PostgreSQL with KEIKAI_TEST_PG). Contract: docs/api/vendors.md "Pages".

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  startServer, api, keikai, browse, login, csrfField, fieldErrors, multipartBody, USERS, PASSWORD, REPO_ROOT,
} from './lib/server.mjs';

const SBOM = path.join(REPO_ROOT, 'tests/data/sbom');
const cpe = (part, v, p) => `cpe:2.3:${part}:${v}:${p}:*:*:*:*:*:*:*:*`;

let srv;
let en; let rx; let fw; /* Example Networks, its router and firmware */
let ossl; let openssl; /* OpenSSL Project and OpenSSL */
let sd; let cam; /* サンプル電機 and its SD-Camera */
let other; let box; /* Other Corp, never reached by en's users */
let coord; let psirt; /* cookie sessions: a coordinator, a vendor user of en */

const page = (v, p) => `/vendors/${v.id}/products/${p.id}`;

async function vendor(body) {
  const r = await api(srv.url, '/api/v1/vendors', { token: srv.tokens.coordinator, method: 'POST', body });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function product(v, body) {
  const r = await api(srv.url, `/api/v1/vendors/${v.id}/products`, { token: srv.tokens.coordinator, method: 'POST', body });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

/* The product's components as the API reads them (what is stored). */
async function components(v, p) {
  const r = await api(srv.url, `/api/v1/vendors/${v.id}/products/${p.id}/components`, { token: srv.tokens.coordinator });
  assert.equal(r.status, 200, r.text);
  return r.json.components;
}

/* A form posted from the page p as session s: the CSRF token is the page's. */
async function post(s, p, action, form, lang = 'en') {
  const g = await browse(srv.url, p, s.jar, { lang });
  assert.equal(g.status, 200, g.text);
  return browse(srv.url, action, s.jar, { method: 'POST', form: { csrf: csrfField(g.text), ...form }, lang });
}

/* An SBOM file uploaded through the page's multipart form. */
async function upload(s, v, p, file, { lang = 'en', name = file && path.basename(file) } = {}) {
  const g = await browse(srv.url, page(v, p), s.jar, { lang });
  assert.equal(g.status, 200, g.text);
  const data = file === null ? Buffer.alloc(0) : typeof file === 'string' && file.endsWith('.json')
    ? await readFile(path.join(SBOM, file)) : Buffer.from(file);
  const { body, contentType } = multipartBody({ csrf: csrfField(g.text) },
    [{ field: 'sbom', filename: file === null ? '' : name, contentType: 'application/json', data }]);
  const res = await fetch(srv.url + page(v, p) + '/sbom', {
    method: 'POST', body, redirect: 'manual',
    headers: { cookie: s.jar.header(), 'content-type': contentType, 'accept-language': lang },
  });
  return { status: res.status, text: await res.text() };
}

/* The rows (<tr>) of the table with id. */
function rows(html, id) {
  const m = new RegExp(`<table[^>]*id="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html);
  return m ? [...m[1].matchAll(/<tr class="[^"]*"[^>]*>[\s\S]*?<\/tr>/g)].map((x) => x[0]) : [];
}
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/ \)/g, ')').trim();

before(async () => {
  srv = await startServer();
  en = await vendor({ name_en: 'Example Networks' });
  rx = await product(en, { name_en: 'Example Router RX-100', cpe: cpe('h', 'example', 'rx-100'), versions: '1.0-2.3' });
  fw = await product(en, { name_en: 'rx-firmware', cpe: cpe('o', 'example', 'rx-firmware') });
  ossl = await vendor({ name_en: 'OpenSSL Project' });
  openssl = await product(ossl, { name_en: 'OpenSSL', cpe: cpe('a', 'openssl', 'openssl') });
  sd = await vendor({ name_ja: 'サンプル電機', name_en: 'Sample Denki' });
  cam = await product(sd, { name_ja: 'SDカメラ', name_en: 'SD-Camera', cpe: cpe('h', 'sample_denki', 'sd-camera') });
  other = await vendor({ name_en: 'Other Corp' });
  box = await product(other, { name_en: 'Other Box' });
  await keikai(['user', 'add', '--db', srv.db, '--org', 'Example Networks', '--role', 'vendor', '--email',
    'psirt@example-networks.example', '--name', 'EN PSIRT', '--password-stdin', '--vendor-id', String(en.id)],
  { input: PASSWORD + '\n' });
  psirt = await login(srv.url, 'psirt@example-networks.example');
  assert.equal(psirt.res.status, 303, psirt.res.text);
  coord = await login(srv.url, USERS.coordinator.email);
  assert.equal(coord.res.status, 303, coord.res.text);
});
after(async () => { await srv?.stop(); });

// SPEC 2.5: a vendor user at its own vendor only; staff at every one
test('the page for a coordinator and for the vendor\'s own user; another vendor\'s product is 404', async () => {
  const rec = await browse(srv.url, `/vendors/${en.id}`, coord.jar, { lang: 'en' });
  assert.equal(rec.status, 200, rec.text);
  assert.match(rec.text, new RegExp(`<a href="${page(en, rx)}" class="product-link">Example Router RX-100</a>`));

  const c = await browse(srv.url, page(en, rx), coord.jar, { lang: 'en' });
  assert.equal(c.status, 200, c.text);
  assert.match(c.text, /<h1 id="product-name" data-product-id="\d+">Example Router RX-100<\/h1>/);
  assert.match(c.text, /<dd class="cpe" id="product-cpe">cpe:2\.3:h:example:rx-100:\*/);
  assert.match(c.text, /<dd>1\.0-2\.3<\/dd>/);
  assert.match(c.text, /id="components-empty"/);
  assert.match(c.text, /id="sboms-empty"/);
  assert.match(c.text, /id="distributors-empty"/);
  assert.match(c.text, /id="embedded-empty"/, 'staff see "embedded in"');
  for (const f of ['form-component-new', 'form-sbom', 'form-distributor']) assert.match(c.text, new RegExp(`id="${f}"`));
  assert.match(c.text, new RegExp(`<a href="/vendors/${en.id}#sec-products" id="vendor-link">Example Networks</a>`));

  const v = await browse(srv.url, page(en, rx), psirt.jar, { lang: 'en' });
  assert.equal(v.status, 200, v.text);
  assert.match(v.text, /id="form-component-new"/);
  assert.match(v.text, /id="form-sbom"[^>]*>/);
  assert.match(v.text, /enctype="multipart\/form-data"/);
  assert.doesNotMatch(v.text, /id="form-distributor"/, 'a distributor is a coordinator\'s to add');
  assert.doesNotMatch(v.text, /sec-embedded/, 'a vendor user does not see who embeds the product');

  for (const p of [page(other, box), `/vendors/${en.id}/products/${box.id}`, `/vendors/${en.id}/products/999999`]) {
    const r = await browse(srv.url, p, psirt.jar, { lang: 'en' });
    assert.equal(r.status, 404, `${p}: ${r.status}`);
    assert.match(r.text, /There is no such product\./);
    assert.doesNotMatch(r.text, /Other Box/);
  }
  const w = await post(psirt, page(en, rx), page(other, box) + '/components', { name: 'x' });
  assert.equal(w.status, 404);
  assert.deepEqual(await components(other, box), []);
  /* intake reads the page without its forms */
  const i = await browse(srv.url, page(en, rx), (await login(srv.url, USERS.intake.email)).jar, { lang: 'en' });
  assert.equal(i.status, 200, i.text);
  assert.doesNotMatch(i.text, /id="form-/);
});

// SPEC 5: the composition from an SBOM file, with its mapping
test('an SBOM file uploaded through the form is stored and its mapping shown', async () => {
  const r = await upload(psirt, en, rx, 'cyclonedx-1.6-handwritten.json');
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /id="saved">The SBOM has been stored\./);
  assert.match(r.text, /<span id="mapping-stored">4<\/span>/, 'five components less the router itself');
  const mapped = rows(r.text, 'mapping-mapped-table').map(text);
  assert.deepEqual(mapped, [
    'Example Router RX-100 2.1.0 Example Router RX-100 Example Networks CPE name',
    'rx-firmware 2.1.0 rx-firmware Example Networks CPE name',
    'openssl 3.0.13 OpenSSL OpenSSL Project CPE name',
  ]);
  const unmapped = [...r.text.matchAll(/<li class="unmapped">([^<]*)<\/li>/g)].map((m) => m[1].trim());
  assert.deepEqual(unmapped, ['busybox 1.36.1', 'log4j-core 2.17.1']);

  const stored = await components(en, rx);
  assert.equal(stored.length, 4);
  assert.ok(stored.every((x) => x.source === 'sbom'));
  const p = await browse(srv.url, page(en, rx), psirt.jar, { lang: 'en' });
  const listed = rows(p.text, 'components');
  assert.equal(listed.length, 4);
  assert.ok(listed.every((x) => x.includes('data-source="sbom"')));
  /* a vendor user may not open OpenSSL Project's page: named, not linked */
  assert.ok(listed.some((x) => text(x).startsWith('OpenSSL (OpenSSL Project)')), listed.join('\n'));
  assert.doesNotMatch(p.text, new RegExp(`href="${page(ossl, openssl)}"`));
  const sboms = rows(p.text, 'sboms').map(text);
  assert.equal(sboms.length, 1);
  assert.match(sboms[0], /^CycloneDX 1\.6 Example Router RX-100 5 \d{4}-\d\d-\d\d \d\d:\d\d JST psirt@example-networks\.example$/);

  /* a real generator's SBOM (cdxgen over tests/data/sbom/fixture) by a coordinator */
  const g = await upload(coord, en, fw, 'cyclonedx-1.6-cdxgen.json');
  assert.equal(g.status, 200, g.text);
  assert.match(g.text, /<span id="mapping-stored">6<\/span>/);
  assert.equal((await components(en, fw)).length, 6);
  /* the vendor user sees the coordinator as role and organisation, not the address */
  const f = await browse(srv.url, page(en, fw), psirt.jar, { lang: 'en' });
  assert.match(rows(f.text, 'sboms').map(text)[0], / coordinator \(JPCERT\/CC\)$/);
  assert.doesNotMatch(f.text, /coord@jpcert\.example/);
  const fc = await browse(srv.url, page(en, fw), coord.jar, { lang: 'en' });
  assert.match(rows(fc.text, 'sboms').map(text)[0], / coord@jpcert\.example$/);
});

test('a bad SBOM is refused with what is wrong, and nothing is stored', async () => {
  const before = await components(en, rx);
  const r = await upload(psirt, en, rx, 'bad/cdx-cpe-short.json');
  assert.equal(r.status, 400, r.text);
  assert.match(r.text, /id="error-summary"/);
  assert.match(r.text, /<ul id="sbom-errors">\s*<li><code>components\[0\]\.cpe<\/code> [^<]+<\/li>/);
  assert.deepEqual(fieldErrors(r.text), ['sbom']);
  assert.doesNotMatch(r.text, /id="mapping"/);
  assert.match(r.text, /The SBOM was refused; nothing was stored\./);
  assert.match(r.text, /data-field="sbom">The SBOM has the errors listed above\.<\/p>/);

  const o = await upload(psirt, en, rx, '{"hello": "world"}', { name: 'other.json' });
  assert.equal(o.status, 400, o.text);
  assert.match(o.text, /data-field="sbom">Not an SBOM keikai reads: a CycloneDX document has bomFormat, an SPDX document spdxVersion, and this one has neither\.<\/p>/);
  assert.doesNotMatch(o.text, /id="sbom-errors"/);

  const n = await upload(psirt, en, rx, '{"bomFormat": 1', { name: 'broken.json' });
  assert.equal(n.status, 400, n.text);
  assert.match(n.text, /The file is not JSON \(line 1, column \d+\)\./);
  assert.deepEqual(fieldErrors(n.text), ['sbom']);

  const e = await upload(psirt, en, rx, null, { lang: 'ja' });
  assert.equal(e.status, 400, e.text);
  assert.match(e.text, /<html lang="ja"/);
  assert.match(e.text, /アップロードする SBOM のファイルを選んでください。/);

  assert.deepEqual(await components(en, rx), before);
  const p = await browse(srv.url, page(en, rx), psirt.jar, { lang: 'en' });
  assert.equal(rows(p.text, 'sboms').length, 1, 'no SBOM recorded for the refused ones');
});

test('a component is added and removed by hand', async () => {
  const a = await post(psirt, page(en, fw), page(en, fw) + '/components', { name: 'busybox', version: '1.36.1' });
  assert.equal(a.status, 303, a.text);
  assert.equal(a.headers.get('location'), `${page(en, fw)}?saved=component#sec-components`);
  const added = (await components(en, fw)).at(-1);
  assert.deepEqual([added.name, added.version, added.source, added.match_key], ['busybox', '1.36.1', 'manual', 'busybox']);
  let p = await browse(srv.url, a.headers.get('location'), psirt.jar, { lang: 'en' });
  assert.match(p.text, /id="saved">The component has been added\./);
  assert.match(p.text, new RegExp(`<tr class="component" id="component-${added.id}" data-source="manual">`));

  /* a faulty one is shown again, open, with the fault next to its field */
  const bad = await post(psirt, page(en, fw), page(en, fw) + '/components', { purl: 'npm', name: '' });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fieldErrors(bad.text), ['purl']);
  assert.match(bad.text, /<details class="edit" open>\s*<summary>Add a component/);
  assert.match(bad.text, /id="c-purl" name="purl" value="npm"/);
  const nan = await post(psirt, page(en, fw), page(en, fw) + '/components', { component_product_id: 'abc' });
  assert.equal(nan.status, 400);
  assert.deepEqual(fieldErrors(nan.text), ['component_product_id']);
  const none = await post(psirt, page(en, fw), page(en, fw) + '/components', { component_product_id: '999999' });
  assert.equal(none.status, 400);
  assert.match(none.text, /There is no product 999999\./);

  /* a registered product: linked for the coordinator, who may open it */
  const reg = await post(coord, page(sd, cam), page(sd, cam) + '/components', { component_product_id: String(rx.id) });
  assert.equal(reg.status, 303, reg.text);
  p = await browse(srv.url, page(sd, cam), coord.jar, { lang: 'en' });
  assert.ok(rows(p.text, 'components').some((x) =>
    x.includes(`<a href="${page(en, rx)}">Example Router RX-100</a> (Example Networks)`)), p.text);

  const rm = await post(psirt, page(en, fw), `${page(en, fw)}/components/${added.id}/delete`, {});
  assert.equal(rm.status, 303, rm.text);
  assert.equal(rm.headers.get('location'), `${page(en, fw)}?saved=removed#sec-components`);
  assert.ok(!(await components(en, fw)).some((x) => x.id === added.id));
  p = await browse(srv.url, rm.headers.get('location'), psirt.jar, { lang: 'en' });
  assert.match(p.text, /The component has been removed\./);
  assert.doesNotMatch(p.text, new RegExp(`id="component-${added.id}"`));
  const again = await post(psirt, page(en, fw), `${page(en, fw)}/components/${added.id}/delete`, {});
  assert.equal(again.status, 404);
  /* without the page's CSRF token nothing changes */
  const forged = await browse(srv.url, page(en, fw) + '/components', psirt.jar,
    { method: 'POST', form: { name: 'forged' }, lang: 'en' });
  assert.equal(forged.status, 403);
  assert.ok(!(await components(en, fw)).some((x) => x.name === 'forged'));
});

// SPEC 2.5: distributors (OEM) and who embeds the product, through chains
test('a coordinator adds a distributor; staff see which products embed this one', async () => {
  const d = await post(coord, page(en, rx), page(en, rx) + '/distributors', { vendor_id: String(other.id) });
  assert.equal(d.status, 303, d.text);
  let p = await browse(srv.url, page(en, rx), coord.jar, { lang: 'en' });
  assert.match(p.text, new RegExp(`<li data-vendor-id="${other.id}"><a href="/vendors/${other.id}">Other Corp</a></li>`));
  const again = await post(coord, page(en, rx), page(en, rx) + '/distributors', { vendor_id: String(other.id) });
  assert.equal(again.status, 409, again.text);
  assert.match(again.text, /That vendor is already a distributor of the product\./);
  const bad = await post(coord, page(en, rx), page(en, rx) + '/distributors', { vendor_id: 'x' });
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldErrors(bad.text), ['vendor_id']);
  /* the vendor user sees the distributor, named, without a link to another vendor */
  p = await browse(srv.url, page(en, rx), psirt.jar, { lang: 'en' });
  assert.match(p.text, new RegExp(`<li data-vendor-id="${other.id}">Other Corp</li>`));

  /* OpenSSL is in the router (its SBOM), the router in the camera (by hand) */
  p = await browse(srv.url, page(ossl, openssl), coord.jar, { lang: 'en' });
  assert.deepEqual(rows(p.text, 'embedded').map(text), [
    'Example Router RX-100 Example Networks cpe:2.3:h:example:rx-100:*:*:*:*:*:*:*:* 1',
    'SD-Camera Sample Denki cpe:2.3:h:sample_denki:sd-camera:*:*:*:*:*:*:*:* 2 Example Router RX-100',
  ]);
  const v = await browse(srv.url, page(en, rx), psirt.jar, { lang: 'en' });
  assert.doesNotMatch(v.text, /SD-Camera|Sample Denki/);
});

test('the page reads in Japanese and in English', async () => {
  const ja = await browse(srv.url, page(sd, cam), coord.jar, { lang: 'ja' });
  assert.equal(ja.status, 200, ja.text);
  assert.match(ja.text, /<html lang="ja"/);
  assert.match(ja.text, /<h1 id="product-name" data-product-id="\d+">SDカメラ<\/h1>/);
  assert.match(ja.text, /<h2 id="sec-components">コンポーネント<\/h2>/);
  assert.match(ja.text, /<h2 id="sec-sboms">SBOM<\/h2>/);
  assert.match(ja.text, /<h2 id="sec-distributors">販売元<\/h2>/);
  assert.match(ja.text, /<td>手入力<\/td>/);
  assert.match(ja.text, /<a href="[^"]+" id="vendor-link">サンプル電機<\/a>/);
  const en1 = await browse(srv.url, page(sd, cam), coord.jar, { lang: 'en' });
  assert.match(en1.text, /<html lang="en"/);
  assert.match(en1.text, /<h1 id="product-name" data-product-id="\d+">SD-Camera<\/h1>/);
  assert.match(en1.text, /<h2 id="sec-components">Components<\/h2>/);
  assert.match(en1.text, /<td>By hand<\/td>/);
  assert.doesNotMatch(en1.text, /コンポーネント|販売元|手入力/);
});
