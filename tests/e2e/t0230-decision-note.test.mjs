// t0230: the note the receiving organisation sends with a decision (SPEC 2.2;
// issue 7, "errors never dropped"). The limit is 10,000 characters, however
// many bytes each takes, so the longest note the API accepts always reaches the
// finder whole; a longer one is refused and nothing of the decision is stored.
// Contract: docs/api/reports.md (POST /api/v1/reports/{id}/decision).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postReport, api, productReport, outboxFor, rid } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

let finderSeq = 0;
async function submit() {
  const body = productReport();
  body.finder.email = `t0230-finder-${++finderSeq}@example.jp`;
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
  return { tid: r.json.tracking_id, email: body.finder.email };
}

function decide(tid, decision) {
  return api(srv.url, `/api/v1/reports/${rid(tid)}/decision`,
    { method: 'POST', token: srv.tokens.intake, body: decision, lang: 'en' });
}

const EMOJI = '\u{1F600}'; // four bytes in UTF-8

// SPEC 2.2
test('a note of 10,000 four-byte characters reaches the finder whole', async () => {
  const rep = await submit();
  const note = EMOJI.repeat(10000);
  assert.equal(Buffer.byteLength(note), 40000);
  const r = await decide(rep.tid, { decision: 'reject', reason: 'incomplete', note });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(r.json.status, 'rejected');
  assert.equal(r.json.decision.note, note);

  const msgs = await outboxFor(srv.db, rep.tid, rep.email);
  const decision = msgs.filter((m) => m.kind === 'decision');
  assert.equal(decision.length, 1, `one decision message: ${msgs.map((m) => m.kind)}`);
  assert.ok(decision[0].body.includes(note), 'the whole note is in the message to the finder');
});

// SPEC 2.2, issue 7
test('a note of 10,001 characters is refused and nothing of the decision is stored', async () => {
  const rep = await submit();
  const r = await decide(rep.tid, { decision: 'reject', reason: 'incomplete', note: EMOJI.repeat(10001) });
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.equal(r.json.fields.note, 'At most 10000 characters.');

  const g = await api(srv.url, `/api/v1/reports/${rid(rep.tid)}`, { token: srv.tokens.intake });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.status, 'received', 'the report is still undecided');
  assert.equal(g.json.decision, null);
  const msgs = await outboxFor(srv.db, rep.tid, rep.email);
  assert.deepEqual(msgs.map((m) => m.kind), ['acknowledgement'], 'no decision message was queued');

  // the same report can then be decided with a note that fits
  const ok = await decide(rep.tid, { decision: 'reject', reason: 'incomplete', note: EMOJI.repeat(10000) });
  assert.equal(ok.status, 200, ok.text.slice(0, 300));
});

// issue 7: a NUL in the JSON string would cut the note short without a word;
// the front refuses such a body before the note is looked at
test('a note with a NUL character is refused and the report stays undecided', async () => {
  const rep = await submit();
  const r = await decide(rep.tid, { decision: 'reject', reason: 'incomplete', note: 'see\u0000 the steps' });
  assert.equal(r.status, 400, r.text);
  assert.equal(typeof r.json.error, 'string');
  const g = await api(srv.url, `/api/v1/reports/${rid(rep.tid)}`, { token: srv.tokens.intake });
  assert.equal(g.json.status, 'received');
});
