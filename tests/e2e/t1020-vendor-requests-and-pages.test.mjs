// t1020: vendor registration requests and the public vendor list (G IV.4.1,
// IV.4.2; SPEC 2.5) over HTTP, on the store under test (SQLite, or PostgreSQL
// with KEIKAI_TEST_PG): a vendor asks to be registered in Japanese, through
// the API and through the CSRF-protected form; bad input is refused with field
// errors in the asker's language and stores nothing; a coordinator approves
// (the vendor is registered with its primary contact) or rejects with a
// reason; only coordinators and admins see and decide requests; the public
// list shows only the vendors that consented, in Japanese and English.
// Contract: docs/api/vendors.md ("Registration requests", "Public vendor list").

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  startServer, api, CookieJar, browse, csrfField, login, fieldErrors, keikai, DB_ENGINE, USERS, PASSWORD,
} from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

/* One SQL statement on the server's database, for what no API of this test
 * sets or shows (the consent to be listed is the vendor profile's, A1's API). */
function sql(statement) {
  const r = DB_ENGINE === 'postgresql'
    ? spawnSync(process.env.KEIKAI_PSQL || 'psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', srv.db, '-c', statement], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${statement}: ${r.stderr}`);
  return r.stdout.trim();
}

const REQUEST_JA = {
  name_ja: 'サンプル電機株式会社',
  name_en: 'Sample Denki Co., Ltd.',
  country: 'jp',
  website: 'https://www.sample-denki.example.jp/',
  contact_email: 'psirt@sample-denki.example.jp',
  department: '製品セキュリティ室',
  note: '弊社製品の脆弱性情報の窓口です。',
};

function submit(body, lang = 'ja') {
  return api(srv.url, '/api/v1/vendor-requests', { method: 'POST', body, lang });
}
function decide(id, body, token = srv.tokens.coordinator) {
  return api(srv.url, `/api/v1/vendor-requests/${id}/decision`, { method: 'POST', token, body });
}
function count(table) {
  return Number(sql(`SELECT count(*) FROM ${table}`));
}

// G IV.4.2
test('a request in Japanese is approved by a coordinator and the vendor is registered with its contact', async () => {
  const r = await submit(REQUEST_JA);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'pending');
  assert.ok(Number.isInteger(r.json.id));
  const id = r.json.id;

  const g = await api(srv.url, `/api/v1/vendor-requests/${id}`, { token: srv.tokens.coordinator });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.name_ja, REQUEST_JA.name_ja);
  assert.equal(g.json.country, 'JP');
  assert.equal(g.json.lang, 'ja', 'the language the request was written in');
  assert.equal(g.json.vendor_id, null);

  const list = await api(srv.url, '/api/v1/vendor-requests?status=pending', { token: srv.tokens.coordinator });
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.requests.some((x) => x.id === id));

  const before = count('vendors');
  const d = await decide(id, { decision: 'approve' });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.status, 'approved');
  assert.ok(Number.isInteger(d.json.vendor_id), d.text);
  assert.ok(Number.isInteger(d.json.decided_by));
  assert.ok(d.json.decided_at);
  assert.equal(count('vendors'), before + 1);
  const v = d.json.vendor_id;
  assert.equal(sql(`SELECT name_ja || '|' || name_en || '|' || country || '|' || preferred_lang FROM vendors WHERE id = ${v}`),
    `${REQUEST_JA.name_ja}|${REQUEST_JA.name_en}|JP|ja`);
  assert.equal(sql(`SELECT channel || '|' || value || '|' || department || '|' || is_primary || '|' || is_valid FROM vendor_contacts WHERE vendor_id = ${v}`),
    `email|${REQUEST_JA.contact_email}|${REQUEST_JA.department}|1|1`);
  // both the decision and the vendor's registration are audited
  assert.equal(sql(`SELECT count(*) FROM audit WHERE object_type = 'vendor_request' AND object_id = ${id} AND action = 'approve'`), '1');
  assert.equal(sql(`SELECT count(*) FROM audit WHERE object_type = 'vendor' AND object_id = ${v} AND action = 'vendor.add'`), '1');
  assert.equal(sql(`SELECT detail FROM audit WHERE object_type = 'vendor' AND object_id = ${v}`).includes(`"request_id":${id}`), true);

  // decided once: a second decision conflicts
  const again = await decide(id, { decision: 'reject', reason: 'duplicate' });
  assert.equal(again.status, 409, again.text);
  assert.equal(count('vendors'), before + 1);
});

// G IV.4.2
test('a rejection needs a reason; with one it is recorded and registers nothing', async () => {
  const r = await submit({ name_en: 'Not A Vendor Inc.', contact_email: 'someone@not-a-vendor.example' }, 'en');
  assert.equal(r.status, 201, r.text);
  const before = count('vendors');
  const noReason = await decide(r.json.id, { decision: 'reject' });
  assert.equal(noReason.status, 400, noReason.text);
  assert.deepEqual(Object.keys(noReason.json.fields), ['reason']);
  const empty = await decide(r.json.id, { decision: 'reject', reason: '' });
  assert.equal(empty.status, 400, empty.text);
  const withReason = await decide(r.json.id, { decision: 'approve', reason: 'fine' });
  assert.equal(withReason.status, 400, 'an approval takes no reason');
  const d = await decide(r.json.id, { decision: 'reject', reason: 'Not a product vendor.' });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.status, 'rejected');
  assert.equal(d.json.reason, 'Not a product vendor.');
  assert.equal(d.json.vendor_id, null);
  assert.equal(count('vendors'), before);
  const bad = await decide(r.json.id, { decision: 'maybe' });
  assert.equal(bad.status, 400);
  assert.ok(bad.json.fields.decision);
});

test('bad requests are refused with field errors in the asker\'s language and store nothing', async () => {
  const before = count('vendor_requests');
  const r = await submit({ country: 'Japan', website: 'ftp://x', contact_email: 'not-an-address', lang: 'fr', extra: 1 }, 'ja');
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(Object.keys(r.json.fields).sort(), ['contact_email', 'country', 'extra', 'lang', 'name_ja', 'website']);
  assert.match(r.json.fields.contact_email, /メールアドレス/, r.json.fields.contact_email);
  const en = await submit({ name_en: 'X', contact_email: '' }, 'en');
  assert.equal(en.status, 400);
  assert.equal(en.json.fields.contact_email, 'Required.');
  const notJson = await api(srv.url, '/api/v1/vendor-requests', { method: 'POST', body: '{', lang: 'en' });
  assert.equal(notJson.status, 400);
  assert.equal(count('vendor_requests'), before);
});

test('only coordinators and admins see and decide requests', async () => {
  const r = await submit({ name_en: 'Access Test', contact_email: 'a@access.example' }, 'en');
  const id = r.json.id;
  for (const role of ['intake', 'vendor', 'operator']) {
    const l = await api(srv.url, '/api/v1/vendor-requests', { token: srv.tokens[role] });
    assert.equal(l.status, 403, `${role} lists`);
    const g = await api(srv.url, `/api/v1/vendor-requests/${id}`, { token: srv.tokens[role] });
    assert.equal(g.status, 403, `${role} reads`);
    const d = await decide(id, { decision: 'approve' }, srv.tokens[role]);
    assert.equal(d.status, 403, `${role} decides`);
  }
  const anon = await api(srv.url, '/api/v1/vendor-requests');
  assert.equal(anon.status, 401);
  const admin = await api(srv.url, `/api/v1/vendor-requests/${id}`, { token: srv.tokens.admin });
  assert.equal(admin.status, 200);
  assert.equal((await api(srv.url, '/api/v1/vendor-requests/999999', { token: srv.tokens.coordinator })).status, 404);
  assert.equal((await api(srv.url, '/api/v1/vendor-requests/0x1', { token: srv.tokens.coordinator })).status, 404);
  const badStatus = await api(srv.url, '/api/v1/vendor-requests?status=open', { token: srv.tokens.coordinator });
  assert.equal(badStatus.status, 400);
  assert.ok(badStatus.json.fields.status);
});

// G IV.4.2: the public form, with its CSRF token
test('the registration form sends a request; bad input re-renders with field errors in Japanese', async () => {
  const jar = new CookieJar();
  const page = await browse(srv.url, '/vendors/register', jar, { lang: 'ja' });
  assert.equal(page.status, 200);
  assert.match(page.text, /製品開発者/);
  const csrf = csrfField(page.text);
  assert.ok(csrf);

  const before = count('vendor_requests');
  const noToken = await browse(srv.url, '/vendors/register', jar, { method: 'POST', form: { name_ja: 'X', contact_email: 'x@x.example' }, lang: 'ja' });
  assert.equal(noToken.status, 403, 'no CSRF token');

  const bad = await browse(srv.url, '/vendors/register', jar, { method: 'POST', lang: 'ja',
    form: { csrf, name_ja: 'フォーム株式会社', contact_email: 'まちがい', website: 'javascript:alert(1)' } });
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldErrors(bad.text).sort(), ['contact_email', 'website']);
  assert.match(bad.text, /メールアドレスとして正しくありません/);
  assert.match(bad.text, /value="フォーム株式会社"/, 'what was typed is kept');
  assert.equal(count('vendor_requests'), before);

  const ok = await browse(srv.url, '/vendors/register', jar, { method: 'POST', lang: 'ja',
    form: { csrf, name_ja: 'フォーム株式会社', contact_email: 'psirt@form.example.jp', lang: 'ja' } });
  assert.equal(ok.status, 303, ok.text);
  assert.equal(ok.headers.get('location'), '/vendors/register/thanks');
  assert.equal(count('vendor_requests'), before + 1);
  const thanks = await browse(srv.url, '/vendors/register/thanks', jar, { lang: 'ja' });
  assert.equal(thanks.status, 200);
  assert.match(thanks.text, /id="request-sent"/);
});

test('a coordinator approves and rejects on the requests page', async () => {
  const a = await submit({ name_en: 'Page Approve Ltd.', contact_email: 'psirt@page-approve.example' }, 'en');
  const b = await submit({ name_en: 'Page Reject Ltd.', contact_email: 'psirt@page-reject.example' }, 'en');
  const { jar } = await login(srv.url, USERS.coordinator.email, undefined, { lang: 'ja' });
  const page = await browse(srv.url, '/vendors/requests?status=pending', jar, { lang: 'ja' });
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, new RegExp(`id="request-${a.json.id}"`));
  const csrf = csrfField(page.text);

  const noReason = await browse(srv.url, `/vendors/requests/${b.json.id}/decision`, jar, { method: 'POST', lang: 'ja',
    form: { csrf, decision: 'reject', reason: '' } });
  assert.equal(noReason.status, 400);
  assert.deepEqual(fieldErrors(noReason.text), ['reason']);
  assert.match(noReason.text, /却下の理由を入力してください/);

  const ok = await browse(srv.url, `/vendors/requests/${a.json.id}/decision`, jar, { method: 'POST', form: { csrf, decision: 'approve' } });
  assert.equal(ok.status, 303, ok.text);
  const rej = await browse(srv.url, `/vendors/requests/${b.json.id}/decision`, jar, { method: 'POST', form: { csrf, decision: 'reject', reason: '製品開発者ではありません' } });
  assert.equal(rej.status, 303, rej.text);
  const ga = await api(srv.url, `/api/v1/vendor-requests/${a.json.id}`, { token: srv.tokens.coordinator });
  assert.equal(ga.json.status, 'approved');
  const gb = await api(srv.url, `/api/v1/vendor-requests/${b.json.id}`, { token: srv.tokens.coordinator });
  assert.equal(gb.json.status, 'rejected');
  assert.equal(gb.json.reason, '製品開発者ではありません');

  const { jar: vjar } = await login(srv.url, USERS.vendor.email);
  assert.equal((await browse(srv.url, '/vendors/requests', vjar)).status, 403);
  assert.equal((await browse(srv.url, '/vendors/requests', new CookieJar())).status, 303, 'anonymous: to the sign-in page');
});

// G IV.4.1
test('the public list shows only the vendors that consented, with the direct contact only where asked, in ja and en', async () => {
  const now = Math.floor(Date.now() / 1000);
  sql(`INSERT INTO vendors(name_ja, name_en, country, website, listed_publicly, accepts_direct_reports, intake_email, policy_url, created_at, updated_at) VALUES
    ('公開直接株式会社', 'Listed Direct K.K.', 'JP', 'https://direct.example.jp/', 1, 1, 'security@direct.example.jp', 'https://direct.example.jp/policy', ${now}, ${now}),
    ('公開調整のみ株式会社', NULL, 'JP', NULL, 1, 0, 'hidden@coordinated.example.jp', 'https://coordinated.example.jp/policy', ${now}, ${now}),
    ('非公開株式会社', 'Unlisted K.K.', 'JP', NULL, 0, 1, 'secret@unlisted.example.jp', NULL, ${now}, ${now})`);
  const j = await api(srv.url, '/api/v1/vendors/public');
  assert.equal(j.status, 200, j.text);
  const names = j.json.vendors.map((v) => v.name_ja);
  assert.ok(names.includes('公開直接株式会社'));
  assert.ok(names.includes('公開調整のみ株式会社'));
  assert.ok(!names.includes('非公開株式会社'), 'a vendor that did not consent is not listed');
  const direct = j.json.vendors.find((v) => v.name_ja === '公開直接株式会社');
  assert.equal(direct.accepts_direct_reports, true);
  assert.equal(direct.intake_email, 'security@direct.example.jp');
  assert.equal(direct.policy_url, 'https://direct.example.jp/policy');
  const coordinated = j.json.vendors.find((v) => v.name_ja === '公開調整のみ株式会社');
  assert.equal(coordinated.intake_email, null, 'no direct contact unless the vendor accepts direct reports');
  assert.equal(coordinated.policy_url, null);

  const ja = await browse(srv.url, '/vendors/public', new CookieJar(), { lang: 'ja' });
  assert.equal(ja.status, 200);
  assert.match(ja.text, /<html lang="ja"/);
  assert.match(ja.text, /製品開発者リスト/);
  assert.match(ja.text, /<span class="vendor-name">公開直接株式会社<\/span>/);
  assert.match(ja.text, /security@direct\.example\.jp/);
  assert.doesNotMatch(ja.text, /非公開株式会社|secret@unlisted|hidden@coordinated/);
  const en = await browse(srv.url, '/vendors/public', new CookieJar(), { lang: 'en' });
  assert.equal(en.status, 200);
  assert.match(en.text, /<html lang="en"/);
  assert.match(en.text, /Vendor list/);
  assert.match(en.text, /<span class="vendor-name">Listed Direct K\.K\.<\/span>/, 'the English name first in English');
  assert.match(en.text, /<span class="vendor-name">公開調整のみ株式会社<\/span>/, 'the only name there is');
  assert.doesNotMatch(en.text, /Unlisted K\.K\./);
});

/* ---- a vendor's record as pages (SPEC 2.5) ---- */

/* A vendor registered by a coordinator through the API, and a vendor user of it. */
async function vendorWithUser(nameEn, email) {
  const add = await api(srv.url, '/api/v1/vendors', { token: srv.tokens.coordinator, body: {
    name_ja: `${nameEn} 株式会社`, name_en: nameEn, country: 'JP',
    contacts: [{ channel: 'email', value: `psirt@${email.split('@')[1]}`, department: 'PSIRT', is_primary: true, is_valid: true }],
  } });
  assert.equal(add.status, 201, add.text);
  const id = add.json.id;
  await keikai(['user', 'add', '--db', srv.db, '--org', nameEn, '--role', 'vendor', '--email', email,
    '--name', `${nameEn} PSIRT`, '--vendor-id', String(id), '--password-stdin'], { input: PASSWORD + '\n' });
  return id;
}

test('a vendor user keeps its own contact current through the form, in Japanese, and cannot open another vendor', async () => {
  const own = await vendorWithUser('Form Maker', 'user@form-maker.example');
  const other = await vendorWithUser('Other Maker', 'user@other-maker.example');
  const { jar } = await login(srv.url, 'user@form-maker.example', PASSWORD, { lang: 'ja' });

  const me = await browse(srv.url, '/vendor', jar, { lang: 'ja' });
  assert.equal(me.status, 303);
  assert.equal(me.headers.get('location'), `/vendors/${own}`);
  const page = await browse(srv.url, `/vendors/${own}`, jar, { lang: 'ja' });
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /<html lang="ja"/);
  assert.match(page.text, /連絡先/);
  const csrf = csrfField(page.text);
  const contact = /<li class="contact" id="contact-(\d+)"/.exec(page.text);
  assert.ok(contact, 'the contact is listed');
  const cid = contact[1];

  // another vendor does not exist for this user, neither to read nor to change
  assert.equal((await browse(srv.url, `/vendors/${other}`, jar, { lang: 'ja' })).status, 404);
  const foreign = await browse(srv.url, `/vendors/${other}/contacts`, jar, { method: 'POST', lang: 'ja',
    form: { csrf, channel: 'email', value: 'evil@attacker.example', is_valid: '1' } });
  assert.equal(foreign.status, 404);

  // without the CSRF token nothing changes
  const noToken = await browse(srv.url, `/vendors/${own}/contacts/${cid}`, jar, { method: 'POST', lang: 'ja',
    form: { channel: 'email', value: 'new@form-maker.example', is_primary: '1', is_valid: '1' } });
  assert.equal(noToken.status, 403);

  // bad input: the form again, open, with the fault next to the field, in Japanese
  const bad = await browse(srv.url, `/vendors/${own}/contacts/${cid}`, jar, { method: 'POST', lang: 'ja',
    form: { csrf, channel: 'email', value: 'これはアドレスではない', department: '製品セキュリティ室', is_primary: '1', is_valid: '1' } });
  assert.equal(bad.status, 400, bad.text);
  assert.deepEqual(fieldErrors(bad.text), ['value']);
  assert.match(bad.text, /value="これはアドレスではない"/, 'what was typed is kept');
  assert.match(bad.text, /<p class="field-error"[^>]*>[^<]*[ぁ-んァ-ン一-龯][^<]*<\/p>/, 'the message is in Japanese');

  const ok = await browse(srv.url, `/vendors/${own}/contacts/${cid}`, jar, { method: 'POST', lang: 'ja',
    form: { csrf, channel: 'email', value: 'security@form-maker.example', department: '製品セキュリティ室', is_primary: '1', is_valid: '1' } });
  assert.equal(ok.status, 303, ok.text);
  const after = await api(srv.url, `/api/v1/vendors/${own}`, { token: srv.tokens.coordinator });
  const saved = after.json.contacts.find((c) => String(c.id) === cid);
  assert.equal(saved.value, 'security@form-maker.example');
  assert.equal(saved.department, '製品セキュリティ室');
  const shown = await browse(srv.url, `/vendors/${own}?saved=contact`, jar, { lang: 'ja' });
  assert.match(shown.text, /id="saved"/);
  assert.match(shown.text, /security@form-maker\.example/);
  assert.match(shown.text, /contact\.update/, 'the change is in the history');

  // marked no longer valid
  const invalid = await browse(srv.url, `/vendors/${own}/contacts/${cid}`, jar, { method: 'POST',
    form: { csrf, channel: 'email', value: 'security@form-maker.example' } });
  assert.equal(invalid.status, 303, invalid.text);
  const again = await browse(srv.url, `/vendors/${own}`, jar, { lang: 'en' });
  assert.match(again.text, new RegExp(`id="contact-${cid}"[^>]*data-valid="0"`));

  // a product added through the form, with a CPE 2.2 URI converted to 2.3
  const prod = await browse(srv.url, `/vendors/${own}/products`, jar, { method: 'POST',
    form: { csrf, name_en: 'Form Router', cpe: 'cpe:/h:form_maker:form_router:1.0', product_type: 'network_device', versions: '1.0-1.4' } });
  assert.equal(prod.status, 303, prod.text);
  const withProd = await browse(srv.url, `/vendors/${own}`, jar, { lang: 'en' });
  assert.match(withProd.text, /cpe:2\.3:h:form_maker:form_router:1\.0/);

  // the profile: consent to the public list
  const profile = await browse(srv.url, `/vendors/${own}/profile`, jar, { method: 'POST',
    form: { csrf, name_ja: 'Form Maker 株式会社', name_en: 'Form Maker', country: 'JP', registration_type: 'general', listed_publicly: '1' } });
  assert.equal(profile.status, 303, profile.text);
  const pub = await api(srv.url, '/api/v1/vendors/public');
  assert.ok(pub.json.vendors.some((v) => v.id === own), 'listed once the vendor consents');
});

test('pages: a user without a vendor has no /vendor; a coordinator registers a vendor on the spot', async () => {
  const { jar: ijar } = await login(srv.url, USERS.intake.email);
  assert.equal((await browse(srv.url, '/vendor', ijar)).status, 404);
  assert.equal((await browse(srv.url, '/vendors/new', ijar)).status, 403);

  const { jar } = await login(srv.url, USERS.coordinator.email, PASSWORD, { lang: 'ja' });
  const form = await browse(srv.url, '/vendors/new', jar, { lang: 'ja' });
  assert.equal(form.status, 200);
  const csrf = csrfField(form.text);
  const bad = await browse(srv.url, '/vendors/new', jar, { method: 'POST', lang: 'ja',
    form: { csrf, name_ja: '', name_en: '', contact_value: 'not-an-address' } });
  assert.equal(bad.status, 400, bad.text);
  assert.ok(fieldErrors(bad.text).includes('contact_value'), fieldErrors(bad.text).join());
  const ok = await browse(srv.url, '/vendors/new', jar, { method: 'POST', lang: 'ja',
    form: { csrf, name_ja: 'その場登録株式会社', country: 'JP', contact_value: 'psirt@sonoba.example.jp' } });
  assert.equal(ok.status, 303, ok.text);
  const page = await browse(srv.url, ok.headers.get('location'), jar, { lang: 'ja' });
  assert.equal(page.status, 200);
  assert.match(page.text, /その場登録株式会社/);
  assert.match(page.text, /psirt@sonoba\.example\.jp/);
});

// G IV.4.2, issue 7: anonymous requests share the hourly budget of reports per address
test('registration requests are limited per source address like reports', async () => {
  const own = await startServer({ serveArgs: ['--report-limit', '2'] });
  try {
    const ask = (n) => api(own.url, '/api/v1/vendor-requests', { method: 'POST', lang: 'en',
      body: { name_en: `Busy Vendor ${n}`, contact_email: `psirt${n}@busy.example` } });
    assert.equal((await ask(1)).status, 201);
    assert.equal((await ask(2)).status, 201);
    const third = await ask(3);
    assert.equal(third.status, 429, third.text);
    assert.ok(Number(third.headers.get('retry-after')) > 0);
    // the form is refused the same way, before its body is read
    const jar = new CookieJar();
    const page = await browse(own.url, '/vendors/register', jar);
    const form = await browse(own.url, '/vendors/register', jar, { method: 'POST',
      form: { csrf: csrfField(page.text), name_en: 'Busy Vendor 4', contact_email: 'psirt4@busy.example' } });
    assert.equal(form.status, 429);
    const list = await api(own.url, '/api/v1/vendor-requests', { token: own.tokens.coordinator });
    assert.equal(list.json.requests.length, 2, 'nothing stored when refused');
  } finally {
    await own.stop();
  }
});
