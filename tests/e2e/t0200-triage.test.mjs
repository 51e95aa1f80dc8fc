// t0200: the receiving organisation triages reports (SPEC 2.2, 3.2): lists the
// queue, opens a report, accepts or rejects it with a reason, and the finder
// is told. Contract: docs/api/reports.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, postReport, api, productReport, websiteReport, outbox, outboxFor, rid,
} from './lib/server.mjs';
import { mailTime } from './lib/mail.mjs';

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const REASONS = ['incomplete', 'contradictory', 'out_of_scope', 'not_a_vulnerability', 'already_known', 'illegally_obtained'];

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

let finderSeq = 0;
/* Submits a report from a finder with its own e-mail address. */
async function submit(make = productReport, lang = undefined) {
  const body = make();
  body.finder.email = `t0200-finder-${++finderSeq}@example.jp`;
  const r = await postReport(srv.url, body, { lang });
  assert.equal(r.status, 201, r.text);
  return { body, tid: r.json.tracking_id, statusUrl: r.json.status_url, email: body.finder.email };
}

function decide(tid, decision, token = srv.tokens.intake, opts = {}) {
  return api(srv.url, `/api/v1/reports/${rid(tid)}/decision`, { method: 'POST', token, body: decision, ...opts });
}

function finderStatus(statusUrl, lang) {
  return api(srv.url, statusUrl, { accept: 'application/json', lang });
}

// SPEC 2.2
test('intake lists the queue and opens a new report with the finder identity', async () => {
  const rep = await submit();
  const q = await api(srv.url, '/api/v1/reports', { token: srv.tokens.intake });
  assert.equal(q.status, 200, q.text);
  assert.ok(Array.isArray(q.json.reports));
  const row = q.json.reports.find((x) => x.tracking_id === rep.tid);
  assert.ok(row, 'the new report is in the queue');
  assert.equal(row.status, 'received');
  assert.equal(row.kind, 'product');
  assert.equal(typeof row.title, 'string');
  assert.ok(row.title.includes('Example Router'), `title names the product: ${row.title}`);
  assert.match(row.received_at, ISO_RE);
  assert.equal(row.accepted_at, null);

  const g = await api(srv.url, `/api/v1/reports/${rid(rep.tid)}`, { token: srv.tokens.intake });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.tracking_id, rep.tid);
  assert.equal(g.json.status, 'received');
  assert.equal(g.json.decision, null);
  assert.equal(g.json.accepted_at, null);
  // SPEC 1: the receiving organisation sees everything, including finder identity.
  assert.equal(g.json.finder.name, rep.body.finder.name);
  assert.equal(g.json.finder.email, rep.email);
  assert.notEqual(g.json.finder_withheld, true);
});

// SPEC 2.2
test('accepting a report: 200, accepted_at, the finder sees it and is told', async () => {
  const rep = await submit();
  const before = await outboxFor(srv.db, rep.tid, rep.email);
  assert.equal(before.length, 1, 'just the acknowledgement so far');

  const r = await decide(rep.tid, { decision: 'accept' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.tracking_id, rep.tid);
  assert.equal(r.json.status, 'accepted');
  // SPEC 2.2: acceptance records the acceptance date (受理日).
  assert.match(r.json.accepted_at, ISO_RE);
  assert.ok(Date.parse(r.json.accepted_at) >= Date.parse(r.json.received_at), 'accepted after received');
  assert.equal(r.json.decision.decision, 'accept');
  assert.ok(!r.json.decision.reason, 'an acceptance has no reason');
  assert.match(r.json.decision.decided_at, ISO_RE);
  // Answer 200 with the report as in GET.
  assert.equal(r.json.finder.email, rep.email);
  assert.equal(r.json.product.name, rep.body.product.name);

  const g = await api(srv.url, `/api/v1/reports/${rid(rep.tid)}`, { token: srv.tokens.intake });
  assert.equal(g.json.status, 'accepted');
  assert.equal(g.json.accepted_at, r.json.accepted_at);

  const s = await finderStatus(rep.statusUrl);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'accepted');
  assert.equal(s.json.accepted_at, r.json.accepted_at);
  assert.equal(s.json.decision.decision, 'accept');

  // SPEC 2.2: tell the finder.
  const after = await outboxFor(srv.db, rep.tid, rep.email);
  assert.equal(after.length, 2, `one more message to the finder: ${JSON.stringify(after)}`);
  const msg = after.find((m) => !before.some((b) => JSON.stringify(b) === JSON.stringify(m)));
  assert.ok(msg, 'the new message');
  assert.ok(msg.subject !== before[0].subject || msg.body !== before[0].body,
    'the acceptance notice is not another acknowledgement');
  assert.ok(`${msg.subject}\n${msg.body}`.includes(rep.tid), 'the notice names the tracking id');

  const q = await api(srv.url, '/api/v1/reports?status=accepted', { token: srv.tokens.intake });
  assert.ok(q.json.reports.some((x) => x.tracking_id === rep.tid && x.accepted_at === r.json.accepted_at));
});

// SPEC 2.2: only a received report can be decided.
test('deciding a decided report again -> 409, and nothing changes', async () => {
  const rep = await submit();
  const a = await decide(rep.tid, { decision: 'accept' });
  assert.equal(a.status, 200, a.text);
  const msgs = (await outbox(srv.db)).length;

  const again = await decide(rep.tid, { decision: 'accept' });
  assert.equal(again.status, 409, again.text);
  assert.equal(typeof again.json?.error, 'string');
  const rej = await decide(rep.tid, { decision: 'reject', reason: 'incomplete' });
  assert.equal(rej.status, 409, rej.text);

  const g = await api(srv.url, `/api/v1/reports/${rid(rep.tid)}`, { token: srv.tokens.intake });
  assert.equal(g.json.status, 'accepted');
  assert.equal(g.json.accepted_at, a.json.accepted_at);
  assert.equal((await outbox(srv.db)).length, msgs, 'no message for a refused decision');

  // A rejected report cannot be accepted later either.
  const rep2 = await submit();
  assert.equal((await decide(rep2.tid, { decision: 'reject', reason: 'out_of_scope' })).status, 200);
  assert.equal((await decide(rep2.tid, { decision: 'accept' })).status, 409);
  assert.equal((await finderStatus(rep2.statusUrl)).json.status, 'rejected');
});

for (const reason of REASONS) {
  // SPEC 2.2 (ア–オ and G IV.3(1)3: clearly illegally obtained information)
  test(`rejecting with reason ${reason}: the finder sees the reason and the note`, async () => {
    const rep = await submit(reason === 'out_of_scope' ? websiteReport : productReport);
    const note = `Note for ${reason}: please see the guideline. 手順を追記してください。`;
    const r = await decide(rep.tid, { decision: 'reject', reason, note });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'rejected');
    assert.equal(r.json.accepted_at, null);
    assert.equal(r.json.decision.decision, 'reject');
    assert.equal(r.json.decision.reason, reason);
    assert.equal(r.json.decision.note, note);
    assert.match(r.json.decision.decided_at, ISO_RE);

    const s = await finderStatus(rep.statusUrl);
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.tracking_id, rep.tid);
    assert.equal(s.json.status, 'rejected');
    assert.equal(s.json.accepted_at, null);
    assert.equal(s.json.decision.decision, 'reject');
    assert.equal(s.json.decision.reason, reason);
    assert.equal(typeof s.json.decision.reason_text, 'string');
    assert.ok(s.json.decision.reason_text.trim().length > 0, 'reason_text is not empty');
    assert.notEqual(s.json.decision.reason_text, reason, 'reason_text explains, not just repeats the code');
    assert.equal(s.json.decision.note, note);

    // SPEC 2.2: tell the finder, with the reason.
    const msgs = await outboxFor(srv.db, rep.tid, rep.email);
    assert.equal(msgs.length, 2, `acknowledgement + rejection notice: ${JSON.stringify(msgs)}`);
  });
}

// SPEC 2.2
test('the reason text follows the finder\'s language', async () => {
  const rep = await submit();
  assert.equal((await decide(rep.tid, { decision: 'reject', reason: 'incomplete' })).status, 200);
  const ja = await finderStatus(rep.statusUrl, 'ja');
  assert.match(ja.json.decision.reason_text, /[\u3040-\u30ff\u4e00-\u9fff]/);
  const en = await finderStatus(rep.statusUrl, 'en');
  assert.match(en.json.decision.reason_text, /^[\x20-\x7e]*[A-Za-z][\x20-\x7e]*$/);
});

// SPEC 2.2: reject WITH a reason.
test('bad decisions -> 400 and the report stays received', async () => {
  const rep = await submit();
  const msgs = (await outbox(srv.db)).length;
  const cases = [
    [{ decision: 'reject' }, 'reason'],
    [{ decision: 'reject', reason: '' }, 'reason'],
    [{ decision: 'reject', reason: 'boring' }, 'reason'],
    [{ decision: 'reject', reason: 42 }, 'reason'],
    [{ decision: 'maybe' }, 'decision'],
    [{}, 'decision'],
    [{ decision: 'ACCEPT' }, 'decision'],
    [{ decision: 'accept', reason: 'incomplete' }, 'reason'],
  ];
  for (const [body, field] of cases) {
    const r = await decide(rep.tid, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.status} ${r.text}`);
    assert.equal(typeof r.json.error, 'string');
    assert.ok(r.json.error.length > 0);
    assert.ok(typeof r.json.fields?.[field] === 'string' && r.json.fields[field].length > 0,
      `${JSON.stringify(body)}: fields.${field} set: ${r.text}`);
  }
  const broken = await decide(rep.tid, '{"decision":', srv.tokens.intake);
  assert.equal(broken.status, 400, broken.text);
  const wrongType = await decide(rep.tid, '{"decision":"accept"}', srv.tokens.intake, { contentType: 'text/plain' });
  assert.equal(wrongType.status, 415, wrongType.text);

  const g = await api(srv.url, `/api/v1/reports/${rid(rep.tid)}`, { token: srv.tokens.intake });
  assert.equal(g.json.status, 'received');
  assert.equal(g.json.decision, null);
  assert.equal((await finderStatus(rep.statusUrl)).json.status, 'received');
  assert.equal((await outbox(srv.db)).length, msgs, 'no message for a refused decision');
});

test('the queue filters by status', async () => {
  const a = await submit();
  const b = await submit();
  const c = await submit();
  assert.equal((await decide(b.tid, { decision: 'accept' })).status, 200);
  assert.equal((await decide(c.tid, { decision: 'reject', reason: 'already_known' })).status, 200);
  for (const [status, want, notWant] of [['received', a, [b, c]], ['accepted', b, [a, c]], ['rejected', c, [a, b]]]) {
    const q = await api(srv.url, `/api/v1/reports?status=${status}`, { token: srv.tokens.intake });
    assert.equal(q.status, 200, q.text);
    assert.ok(q.json.reports.every((x) => x.status === status), `only ${status} reports`);
    assert.ok(q.json.reports.some((x) => x.tracking_id === want.tid));
    for (const n of notWant) assert.ok(!q.json.reports.some((x) => x.tracking_id === n.tid));
  }
  const all = await api(srv.url, '/api/v1/reports', { token: srv.tokens.intake });
  for (const x of [a, b, c]) assert.ok(all.json.reports.some((y) => y.tracking_id === x.tid));
  const bad = await api(srv.url, '/api/v1/reports?status=pending', { token: srv.tokens.intake });
  assert.equal(bad.status, 400, bad.text);
});

test('unknown tracking id -> 404', async () => {
  for (const id of ['IPA#99999999', 'IPA#00000000', 'XYZ#12345678', 'garbage', "IPA#1' OR '1'='1"]) {
    const g = await api(srv.url, `/api/v1/reports/${rid(id)}`, { token: srv.tokens.intake });
    assert.equal(g.status, 404, `GET ${id}: ${g.text}`);
    assert.equal(typeof g.json?.error, 'string', 'the 404 has the error shape');
    const d = await decide(id, { decision: 'accept' });
    assert.equal(d.status, 404, `decision ${id}: ${d.text}`);
    const att = await api(srv.url, `/api/v1/reports/${rid(id)}/attachments/0`, { token: srv.tokens.intake });
    assert.equal(att.status, 404, `attachment ${id}: ${att.text}`);
  }
});

test('status page with an unknown secret -> 404', async () => {
  const rep = await submit();
  const secret = rep.statusUrl.slice(3);
  const flipped = secret.slice(0, -1) + (secret.at(-1) === 'A' ? 'B' : 'A');
  for (const p of ['/r/' + 'A'.repeat(22), '/r/' + flipped, '/r/' + secret.slice(0, -1), '/r/x', '/r/' + secret + 'x']) {
    const j = await api(srv.url, p, { accept: 'application/json' });
    assert.equal(j.status, 404, `${p} (JSON): ${j.status}`);
    assert.ok(!j.text.includes(rep.tid), 'a 404 does not leak the tracking id');
    const h = await api(srv.url, p, { accept: 'text/html' });
    assert.equal(h.status, 404, `${p} (HTML): ${h.status}`);
  }
});

// SPEC 3.2: acceptance as in 2.2 for web-site reports.
test('a web-site report is accepted the same way', async () => {
  const rep = await submit(websiteReport);
  const r = await decide(rep.tid, { decision: 'accept', note: '運営者に連絡します。' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'accepted');
  assert.equal(r.json.website.url, rep.body.website.url);
  const s = await finderStatus(rep.statusUrl);
  assert.equal(s.json.status, 'accepted');
  assert.equal(s.json.kind, 'website');
  assert.equal(s.json.decision.note, '運営者に連絡します。');
});

// SPEC 2.2: the finder is told the decision in the language the finder wrote
// in, not the deciding staff's, with the time of acceptance in Japan's time and
// the receiving organisation's note (templates/mail/report_decision.txt).
test('the decision reaches the finder in the finder\'s language, with the note', async () => {
  const en = await submit(productReport, 'en');
  const r = await decide(en.tid, { decision: 'accept', note: 'Thanks for the PoC.\nWe will contact the vendor.' },
    srv.tokens.intake, { lang: 'ja' });
  assert.equal(r.status, 200, r.text);
  let msgs = await outboxFor(srv.db, en.tid, en.email);
  assert.equal(msgs.length, 2);
  assert.equal(msgs[1].subject, `[${en.tid}] Your vulnerability report was accepted`);
  assert.equal(msgs[1].body,
    `Dear ${en.body.finder.name},\n\n`
    + `Your report ${en.tid} was accepted on ${mailTime(r.json.accepted_at, 'en')}.\n`
    + 'We will now work with the parties concerned and keep you informed.\n\n'
    + 'Note from the receiving organisation:\nThanks for the PoC.\nWe will contact the vendor.\n');

  const ja = await submit(productReport, 'ja');
  const note = '製品が国内で使われていないため、受理できません。';
  assert.equal((await decide(ja.tid, { decision: 'reject', reason: 'out_of_scope', note },
    srv.tokens.intake, { lang: 'en' })).status, 200);
  const reason = (await finderStatus(ja.statusUrl, 'ja')).json.decision.reason_text;
  msgs = await outboxFor(srv.db, ja.tid, ja.email);
  assert.equal(msgs.length, 2);
  assert.equal(msgs[1].subject, `[${ja.tid}] 脆弱性関連情報の届出は不受理となりました`);
  assert.equal(msgs[1].body,
    `${ja.body.finder.name} 様\n\n`
    + `お届けいただいた ${ja.tid} は不受理となりました。\n理由：${reason}\n\n`
    + `受付機関からの連絡事項：\n${note}\n`);
});
