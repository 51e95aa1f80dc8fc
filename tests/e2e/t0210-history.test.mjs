// t0210: every state change is recorded — who, when, what, from which state to
// which — and the staff see the trail on the report page (issue: time and audit).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postReport, api, productReport, rid, login, browse } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

// SPEC 2.2
test('the report page shows submission, assessment and decision in order', async () => {
  const r = await postReport(srv.url, productReport());
  assert.equal(r.status, 201);
  const tid = r.json.tracking_id;
  let res = await api(srv.url, `/api/v1/reports/${rid(tid)}/impact`, { token: srv.tokens.coordinator,
    body: { cvss_vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' } });
  assert.equal(res.status, 200, res.text);
  res = await api(srv.url, `/api/v1/reports/${rid(tid)}/decision`, { token: srv.tokens.intake, body: { decision: 'accept' } });
  assert.equal(res.status, 200, res.text);

  const { jar } = await login(srv.url, 'intake@ipa.example');
  const page = await browse(srv.url, `/intake/reports/${rid(tid)}`, jar, { lang: 'en' });
  assert.equal(page.status, 200);
  const table = page.text.slice(page.text.indexOf('id="history"'));
  const rows = [...table.matchAll(/<tr><td><time datetime="([^"]+)">[^<]*<\/time><\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)]
    .map((m) => ({ at: m[1], who: m[2], what: m[3], states: m[4] }));
  assert.deepEqual(rows.map((x) => x.what), ['submit', 'assess', 'accept']);
  assert.match(rows[0].who, /anonymous/);
  assert.equal(rows[0].states, ' → received');
  assert.match(rows[1].who, /coord@jpcert\.example \(coordinator\)/);
  assert.match(rows[2].who, /intake@ipa\.example \(intake\)/);
  assert.equal(rows[2].states, 'received → accepted');
  for (const row of rows) assert.match(row.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
});
