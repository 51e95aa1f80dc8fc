// t1421-delivery-worker: issue 11, item 1 — the delivery thread inside
// `keikai serve` (KEIKAI_DELIVERY_SECONDS) sends what is queued by itself,
// and a sender killed (SIGKILL) while the relay holds a message it has not
// yet answered loses nothing: after a restart past the claim's lease every
// message is in a mailbox at least once, every row is recorded sent exactly
// once, and the one message that went twice carries the same Message-ID both
// times (the worst case docs/internals/delivery.md describes).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

import { KEIKAI_BIN, assertNoSanitizerReport, keikai, outbox, postReport, productReport, startServer }
  from './lib/server.mjs';
import { startSmtp } from './lib/smtp.mjs';

let srv;
let relay;

before(async () => {
  /* the test's own servers deliver; this one only takes reports */
  srv = await startServer({ serveEnv: { KEIKAI_DELIVERY_SECONDS: '0' } });
  relay = await startSmtp();
  await keikai(['config', 'set', '--db', srv.db, 'smtp.from', 'psirt@ipa.example']);
  await keikai(['config', 'set', '--db', srv.db, 'smtp.url', relay.url()]);
  await keikai(['config', 'set', '--db', srv.db, 'smtp.starttls', 'off']);
});
/* every `keikai serve` a test starts, killed at the end even when the test failed half-way */
const children = [];
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await relay?.stop();
  await srv?.stop();
});

async function reportFrom(email) {
  const body = productReport();
  body.finder.email = email;
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
}

const rowTo = async (email) => (await outbox(srv.db)).find((m) => m.recipient === email);
const to = (msgs, email) => msgs.filter((m) => m.envelope.rcpt_tos.includes(email));

/* `keikai serve` with its delivery thread every second: {child, exited, stdout()} */
function serveDelivering(env = {}) {
  const child = spawn(KEIKAI_BIN, ['serve', '--db', srv.db, '--listen', '127.0.0.1:0', '--report-limit', '0'], {
    env: { ...process.env, KEIKAI_PWHASH: 'fast', KEIKAI_DELIVERY_SECONDS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stdout: () => out, stderr: () => err };
}

async function until(what, fn, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('keikai serve delivers the outbox by itself, logging each message, and stops cleanly', async () => {
  await reportFrom('worker@finder.example');
  const s = serveDelivering();
  const row = await until('the message to be sent', async () => {
    const r = await rowTo('worker@finder.example');
    return r?.status === 'sent' ? r : null;
  });
  assert.equal(to(await relay.messages(), 'worker@finder.example').length, 1);
  await until('the log line', () => s.stdout().includes(`message ${row.id} to worker@finder.example sent ${row.message_id}`));
  s.child.kill('SIGTERM');
  const e = await s.exited;
  assert.equal(e.code, 0, s.stderr());
  assertNoSanitizerReport(s.stderr(), 'keikai serve');
});

test('SIGKILL while the relay holds a message: after a restart past the lease, at least once, recorded once, one Message-ID', async () => {
  await relay.setPlan({ data: [{ address: 'slow@finder.example', sleep: 20, times: 1 }] });
  await reportFrom('first@finder.example');
  await reportFrom('slow@finder.example');
  await reportFrom('third@finder.example');

  const a = serveDelivering();
  await relay.waitSleeping();
  a.child.kill('SIGKILL');
  assert.equal((await a.exited).signal, 'SIGKILL');

  /* the claim is durable; nothing recorded it sent */
  const held = await rowTo('slow@finder.example');
  assert.equal(held.status, 'sending');
  assert.equal(held.tries, 1);
  assert.equal(held.sent_at, null);
  assert.equal(to(await relay.messages(), 'slow@finder.example').length, 1, 'the relay has it once already');

  /* a restart before the lease ends leaves the claim alone */
  const early = await keikai(['outbox', 'send', '--db', srv.db]);
  assert.equal(early.code, 0);
  assert.equal((await rowTo('slow@finder.example')).status, 'sending');

  /* 11 minutes on: the lease (10 minutes) is over */
  const later = new Date(Date.now() + 11 * 60 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const b = serveDelivering({ KEIKAI_NOW: later });
  const rows = await until('every message to be sent', async () => {
    const list = await Promise.all(['first', 'slow', 'third'].map((n) => rowTo(`${n}@finder.example`)));
    return list.every((r) => r.status === 'sent') ? list : null;
  });
  b.child.kill('SIGTERM');
  assert.equal((await b.exited).code, 0, b.stderr());
  assertNoSanitizerReport(a.stderr() + b.stderr(), 'keikai serve');

  const msgs = await relay.messages();
  for (const r of rows) {
    const got = to(msgs, r.recipient);
    assert.ok(got.length >= 1, `${r.recipient} has its message`);
    for (const m of got) assert.equal(m.headers['message-id'], r.message_id, 'every copy has the same Message-ID');
  }
  assert.equal(to(msgs, 'slow@finder.example').length, 2, 'the worst case: sent twice');
  assert.equal(to(msgs, 'first@finder.example').length, 1);
  assert.equal(to(msgs, 'third@finder.example').length, 1);
  const slow = rows[1];
  assert.equal(slow.tries, 2);
  /* recorded once: one sent_at, and the serve log names it sent once */
  assert.ok(slow.sent_at);
  const logged = (b.stdout().match(new RegExp(`message ${slow.id} to slow@finder\\.example sent`, 'g')) || []).length;
  assert.equal(logged, 1);
});
