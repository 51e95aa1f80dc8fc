// t1150: the walk of issue 9's "done when", on the demo's data (`keikai demo`,
// docs/cli/demo.md), over plain HTTP with the pages a new user would use, once in
// Japanese and once in English: a finder reports, intake accepts, the coordinator
// opens a case from the report, adds Example Corp and notifies it (SPEC 2.4,
// 2.6); the vendor signs in, sees the summary only, asks for the detail, sees it,
// reports "affected" with a fixed version, then "fixed" (R §5.1.2, SPEC 2.7); the
// coordinator's grid shows it, and the finder's status page follows the case
// (SPEC 2.13). Along the way nothing crosses the access matrix
// (docs/internals/access.md): the vendor never sees the finder, the demo case's
// other vendors or their statuses, and the finder sees no vendor's name and no
// detail. The demo's own case (vendors in four states) is checked first.
// Page contract: templates/case_*.html.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  keikai, freshStore, serveOn, api, browse, login, postReport, productReport, rid, createToken, CookieJar,
} from './lib/server.mjs';
import { postForm } from './lib/cases.mjs';

const DEMO_PASSWORD = 'keikai-demo';
const JAPANESE_RE = /[\u3040-\u30ff\u4e00-\u9fff]/;

let dir;
let store;
let srv;
let exampleCorp; /* the registry id of the demo's Example Corp */
const jars = {};

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keikai-e2e-'));
  store = await freshStore(dir);
  await keikai(['init', '--db', store.db]);
  await keikai(['demo', '--db', store.db]);
  srv = await serveOn(store.db);
  const token = await createToken(store.db, 'coordinator@jpcert.example');
  const list = await api(srv.url, '/api/v1/vendors?limit=100', { token });
  assert.equal(list.status, 200, list.text);
  exampleCorp = list.json.vendors.find((v) => v.name_en === 'Example Corp')?.id;
  assert.ok(Number.isInteger(exampleCorp), list.text);
  for (const email of ['intake@ipa.example', 'coordinator@jpcert.example', 'psirt@example-corp.example']) {
    const { res, jar } = await login(srv.url, email, DEMO_PASSWORD);
    assert.equal(res.status, 303, `signing in as ${email}`);
    jars[email] = jar;
  }
});
after(async () => {
  await srv?.stop();
  await store?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/* A page as one of the demo users, in lang; and a form posted from it. */
const page = (who, p, lang) => browse(srv.url, p, jars[who], { lang });
const post = (who, from, p, form, lang) => postForm(srv.url, jars[who], from, p, form, lang);

// SPEC 2.6, 2.7: the demo holds a case under way
test('the demo case shows its four vendors in four states to the coordinator, and to サンプル電機 only its own', async () => {
  const dash = await page('coordinator@jpcert.example', '/cases', 'ja');
  assert.equal(dash.status, 200);
  const ref = /(VU#\d{6})/.exec(dash.text)?.[1];
  assert.ok(ref, 'the dashboard lists the demo case');
  const staff = await page('coordinator@jpcert.example', `/cases/${encodeURIComponent(ref)}`, 'ja');
  assert.equal(staff.status, 200);
  for (const s of ['fixed', 'not_affected', 'investigating', 'notified']) {
    assert.match(staff.text, new RegExp(`data-status="${s}"`), `a vendor ${s}`);
  }
  for (const name of ['サンプル電機', 'Example Corp', '東亜カメラモジュール', 'OpenCam Firmware Project']) {
    assert.ok(staff.text.includes(name), `the grid names ${name}`);
  }
  const { res, jar } = await login(srv.url, 'psirt@sample-denki.example', DEMO_PASSWORD);
  assert.equal(res.status, 303);
  const own = await browse(srv.url, `/cases/${encodeURIComponent(ref)}`, jar, { lang: 'ja' });
  assert.equal(own.status, 200);
  assert.ok(own.text.includes('2.0.1'), 'its fixed version');
  for (const other of ['Example Corp', '東亜カメラモジュール', 'OpenCam', 'Alice Finder', 'alice@example.org']) {
    assert.ok(!own.text.includes(other), `サンプル電機 does not see ${other} (SPEC 1)`);
  }
});

for (const lang of ['ja', 'en']) {
  // SPEC 2.4-2.7, 2.13, R §5.1.2: from a report to "affected, fixed"
  test(`a new report walked to "affected, fixed" through the pages (${lang})`, async () => {
    const mark = `${lang}-${Date.now().toString(36)}`;
    const SUMMARY = `Summary ${mark}: the admin page runs a command from the ping form.`;
    const DETAIL = `Detail ${mark}: POST /admin/ping with host=;id runs id as root.`;
    const body = productReport();
    body.finder = { name: `Walker Finder ${mark}`, email: `walker-${mark}@finder.example`, organization: '', phone: '', pgp_key: '' };
    /* the finder names no vendor, so a vendor's name on the status page could only come from the case */
    body.product.vendor = '';
    const sent = await postReport(srv.url, body, { lang });
    assert.equal(sent.status, 201, sent.text);
    const tid = sent.json.tracking_id;
    const statusPage = `/r/${sent.json.status_url.split('/').pop()}`;

    /* SPEC 2.2: intake accepts */
    const accepted = await post('intake@ipa.example', `/intake/reports/${rid(tid)}`, `/intake/reports/${rid(tid)}/decision`,
      { decision: 'accept', reason: '', note: '' }, lang);
    assert.equal(accepted.status, 303, accepted.text.slice(0, 500));

    /* SPEC 2.4: the coordinator opens the case from the report's prefilled form */
    const C = 'coordinator@jpcert.example';
    const opened = await post(C, `/cases/new?report=${rid(tid)}`, '/cases',
      { reports: tid, title: `Example Router command injection (${mark})`, summary: SUMMARY, detail: DETAIL }, lang);
    assert.equal(opened.status, 303, opened.text.slice(0, 500));
    const casePath = opened.headers.get('location');
    assert.match(casePath, /^\/cases\/VU%23\d{6}$/);

    /* SPEC 2.6: Example Corp added and notified */
    const added = await post(C, casePath, `${casePath}/vendors`, { vendor_id: String(exampleCorp) }, lang);
    assert.equal(added.status, 303, added.text.slice(0, 500));
    const notified = await post(C, casePath, `${casePath}/notify`, { [`notify.${exampleCorp}`]: 'on' }, lang);
    assert.equal(notified.status, 303, notified.text.slice(0, 500));

    /* R §5.1.2: the vendor sees the summary only, asks, then sees the detail */
    const V = 'psirt@example-corp.example';
    const first = await page(V, casePath, lang);
    assert.equal(first.status, 200);
    assert.equal(/<html lang="([a-z]+)"/.exec(first.text)?.[1], lang);
    if (lang === 'ja') assert.match(first.text, JAPANESE_RE);
    assert.ok(first.text.includes(SUMMARY), 'the summary');
    assert.ok(!first.text.includes(DETAIL), 'not the detail before it asks');
    const asked = await post(V, casePath, `${casePath}/answer`, { answer: 'send_detail', reason: '' }, lang);
    assert.equal(asked.status, 303, asked.text.slice(0, 500));
    const second = await page(V, casePath, lang);
    assert.ok(second.text.includes(DETAIL), 'the detail once it asked');

    /* SPEC 2.7: investigating, affected with a fixed version, fixed */
    for (const form of [{ status: 'investigating' }, { status: 'affected', fixed_versions: '1.2.4', note: 'Reproduced.' },
      { status: 'fixed', note: 'Firmware 1.2.4 is out.' }]) {
      const r = await post(V, casePath, `${casePath}/status`, { vulnerability: '1', ...form }, lang);
      assert.equal(r.status, 303, `${form.status}: ${r.text.slice(0, 500)}`);
    }
    const last = await page(V, casePath, lang);
    assert.ok(last.text.includes('1.2.4'), 'its fixed version');
    assert.match(last.text, /data-status="fixed"/);
    for (const hidden of [body.finder.name, body.finder.email, 'サンプル電機', 'Sample Denki']) {
      assert.ok(!last.text.includes(hidden), `the vendor does not see ${hidden} (SPEC 1)`);
    }
    const staff = await page(C, casePath, lang);
    assert.match(staff.text, new RegExp(`data-vendor-id="${exampleCorp}"[\\s\\S]*?data-status="fixed"`), 'the grid shows it fixed');
    assert.ok(!staff.text.includes(body.finder.email), 'no finder identity for the coordinator without consent (SPEC 1)');

    /* SPEC 2.13: the finder's status page follows the case, naming no vendor and no detail */
    const finder = await browse(srv.url, statusPage, new CookieJar(), { lang });
    assert.equal(finder.status, 200);
    for (const hidden of ['Example Corp', DETAIL]) assert.ok(!finder.text.includes(hidden), `the finder does not see ${hidden}`);
    const stage = await api(srv.url, `/api/v1/status/${statusPage.slice(3)}`, { lang });
    assert.equal(stage.status, 200, stage.text);
    assert.equal(stage.json.stage, 'investigating', 'a vendor asked for the detail and reported beyond it');
  });
}
