// t0400: impact-based triage (SPEC 2.3, SPEC 7 / G 付録4): staff record a CVSS v3
// vector and the impact-scope factors; the queue puts high impact first, whatever
// the order of arrival; the report page's calculator works without JavaScript.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, postReport, api, productReport, rid, login, browse, csrfField,
} from './lib/server.mjs';

const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const LOW = 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

async function submit(vector = '') {
  const body = productReport();
  body.details.cvss_vector = vector;
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
  return r.json.tracking_id;
}

function assess(tid, body, token = srv.tokens.intake, lang = 'en') {
  return api(srv.url, `/api/v1/reports/${rid(tid)}/impact`, { method: 'POST', token, body, lang });
}

// SPEC 2.3: high impact first regardless of arrival order
test('the queue orders by impact, not by arrival', async () => {
  const first = await submit();
  const second = await submit(LOW);
  const last = await submit();
  let r = await assess(first, { cvss_vector: LOW, scope: { users: 'few', critical_infrastructure: 'no', attack_public: 'no' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.impact.impact, 'low');
  assert.equal(r.json.impact.scope, 'narrow');
  r = await assess(last, { cvss_vector: CRITICAL, scope: { attack_public: 'yes' } }, srv.tokens.coordinator);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.impact.base_score, 9.8);
  assert.equal(r.json.impact.severity, 'Critical');
  assert.equal(r.json.impact.scope, 'wide');
  assert.equal(r.json.impact.impact, 'high');

  const q = await api(srv.url, '/api/v1/reports', { token: srv.tokens.intake });
  assert.equal(q.status, 200, q.text);
  const order = q.json.reports.map((x) => x.tracking_id).filter((t) => [first, second, last].includes(t));
  assert.deepEqual(order, [last, second, first], 'high, then the finder-scored one (wide scope: 2.x is medium), then low');
  const top = q.json.reports.find((x) => x.tracking_id === last);
  assert.equal(top.base_score, 9.8);
  assert.equal(top.severity, 'Critical');
  assert.equal(top.scope, 'wide');
  assert.equal(top.impact, 'high');
});

// SPEC 7: all three factors unknown -> wide
test('unknown factors make the scope wide', async () => {
  const tid = await submit();
  const r = await assess(tid, { cvss_vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.impact.scope, 'wide');
  assert.deepEqual(r.json.impact.factors, { users: 'unknown', critical_infrastructure: 'unknown', attack_public: 'unknown' });
  assert.equal(r.json.impact.impact, 'high', '5.4 on a wide scope');
});

test('bad assessments are refused with the field named, in the requester\'s language', async () => {
  const tid = await submit();
  let r = await assess(tid, { cvss_vector: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
  assert.equal(r.status, 400);
  assert.match(r.json.fields.cvss_vector, /AV/);
  r = await assess(tid, { cvss_vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' });
  assert.equal(r.status, 400);
  assert.ok(r.json.fields.cvss_vector);
  r = await assess(tid, { scope: { users: 'lots' } }, srv.tokens.intake, 'ja');
  assert.equal(r.status, 400);
  assert.match(r.json.fields['scope.users'], /[\u3040-\u30ff\u4e00-\u9fff]/);
  const after = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake });
  assert.equal(after.json.impact.assessed_at, null, 'nothing stored');
});

// SPEC 1: only intake and the coordinator assess
test('vendors, operators and the public cannot assess', async () => {
  const tid = await submit();
  const body = { cvss_vector: CRITICAL };
  assert.equal((await assess(tid, body, srv.tokens.vendor)).status, 403);
  assert.equal((await assess(tid, body, srv.tokens.operator)).status, 403);
  assert.equal((await assess(tid, body, null)).status, 401);
});

test('the CVSS calculator endpoint scores and explains', async () => {
  let r = await api(srv.url, '/api/v1/cvss?vector=' + encodeURIComponent(CRITICAL), { lang: 'en' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.base_score, 9.8);
  assert.equal(r.json.base_severity, 'Critical');
  r = await api(srv.url, '/api/v1/cvss?vector=' + encodeURIComponent('CVSS:3.1/AV:N'), { lang: 'en' });
  assert.equal(r.status, 400);
  assert.ok(r.json.fields.vector);
});

// SPEC 2.3: the calculator on the report page works without JavaScript
test('the report page calculator records an assessment without JavaScript', async () => {
  const tid = await submit();
  const { jar } = await login(srv.url, 'intake@ipa.example');
  const page = await browse(srv.url, `/intake/reports/${rid(tid)}`, jar, { lang: 'ja' });
  assert.equal(page.status, 200);
  assert.match(page.text, /<form id="assessment"/);
  const csrf = csrfField(page.text);
  const form = { csrf, 'm.AV': 'N', 'm.AC': 'L', 'm.PR': 'N', 'm.UI': 'N', 'm.S': 'U', 'm.C': 'H', 'm.I': 'H', 'm.A': 'H',
    'scope.users': 'many', 'scope.critical_infrastructure': 'yes', 'scope.attack_public': 'no' };
  const res = await browse(srv.url, `/intake/reports/${rid(tid)}/impact`, jar, { method: 'POST', form, lang: 'ja' });
  assert.equal(res.status, 303, res.text.slice(0, 300));
  const shown = await browse(srv.url, `/intake/reports/${rid(tid)}`, jar, { lang: 'ja' });
  assert.match(shown.text, /id="impact-score">9\.8</);
  assert.match(shown.text, /data-impact="high"/);
  // a partial choice names what is missing and stores nothing
  const partial = await browse(srv.url, `/intake/reports/${rid(tid)}/impact`, jar,
    { method: 'POST', form: { csrf, 'm.AV': 'P' }, lang: 'en' });
  assert.equal(partial.status, 400);
  assert.match(partial.text, /data-field="cvss_vector"/);
  const json = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake });
  assert.equal(json.json.impact.base_score, 9.8, 'the earlier assessment stands');
});
