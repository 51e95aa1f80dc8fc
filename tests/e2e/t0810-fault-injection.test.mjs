// t0810: the keikai command under fault injection (issue 7, "errors never
// dropped"; docs/internals/errors.md). KEIKAI_FAIL_ALLOC=N makes the Nth
// allocation of keikai's own code fail; for N = 1, 2, ... until a run meets no
// failure, every run must end in a clean error (exit 1 and a message on
// stderr), never a crash or a sanitizer report, and the run that meets no
// failure must succeed. Contract: docs/cli/keikai.md.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keikai, testOn } from './lib/server.mjs';

const SWEEP_MAX = 2000;

/* keikai args with allocation failAt failing (none when undefined); a
 * sanitizer report rejects. */
function run(args, failAt) {
  return keikai(args, { allowFail: true, env: { KEIKAI_FAIL_ALLOC: failAt === undefined ? undefined : String(failAt) } });
}

/* Runs `keikai args` (after fresh() prepares the ground) with allocation 1, 2,
 * ... failing; returns the number of runs that failed. */
async function sweep(args, fresh) {
  for (let n = 1; n <= SWEEP_MAX; n++) {
    fresh();
    const r = await run(args, n);
    const what = `KEIKAI_FAIL_ALLOC=${n} keikai ${args.join(' ')}`;
    assert.equal(r.signal, null, `${what}: killed by ${r.signal}\n${r.stderr}`);
    if (r.code === 0) return n - 1;
    assert.equal(r.code, 1, `${what}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, /^keikai [a-z ]+: \S/m, `${what}: fails without saying why: ${r.stderr}`);
  }
  throw new Error(`keikai ${args.join(' ')} still fails after ${SWEEP_MAX} runs`);
}

test('a KEIKAI_FAIL_ALLOC that is not a count is refused', async () => {
  const r = await run(['--help'], 'many');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /KEIKAI_FAIL_ALLOC/);
});

testOn('sqlite', 'keikai init fails cleanly whichever allocation fails', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'keikai-t0810-'));
  const db = path.join(dir, 'keikai.db');
  try {
    const failed = await sweep(['init', '--db', db], () => {
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    });
    assert.ok(failed > 0, 'the injector was armed');
    // the run that met no failure made a database that opens
    const r = await run(['outbox', 'list', '--db', db, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

testOn('sqlite', 'keikai outbox list fails cleanly whichever allocation fails', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'keikai-t0810-'));
  const db = path.join(dir, 'keikai.db');
  try {
    assert.equal((await run(['init', '--db', db])).code, 0);
    const failed = await sweep(['outbox', 'list', '--db', db, '--json'], () => {});
    assert.ok(failed > 0, 'the injector was armed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
