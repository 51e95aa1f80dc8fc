// t1480: evidence at rest (issue 11, item 6; SPEC 1). A report's attachment is
// stored sealed under the evidence key, a file outside the database: a unique
// marker in the file is nowhere in the database's bytes (the SQLite file and
// its -wal, or pg_dump's output), the download gives the file back intact,
// the key is 0600 in a 0700 directory, keikai init never replaces it, and
// without it a download says which key is missing.
// Contract: docs/internals/evidence.md, docs/cli/init.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, renameSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  startServer, serveOn, postReport, api, productReport, rid, keikai, DB_ENGINE,
} from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/* Every byte the database holds: the SQLite file and its -wal (after the
 * server wrote them), or a plain pg_dump of the PostgreSQL database. */
function databaseBytes(db) {
  if (DB_ENGINE === 'postgresql') {
    const r = spawnSync(process.env.KEIKAI_PG_DUMP || 'pg_dump', ['--no-owner', '-d', db], { maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, `pg_dump: ${r.stderr}`);
    return r.stdout;
  }
  const parts = [readFileSync(db)];
  if (existsSync(db + '-wal')) parts.push(readFileSync(db + '-wal'));
  return Buffer.concat(parts);
}

/* A report with one attachment holding marker; {tid, file}. */
async function reportWithMarker(marker) {
  const file = Buffer.concat([Buffer.from(`PoC ${marker}\n`), randomBytes(70_000), Buffer.from(`\n${marker} end\n`)]);
  const body = productReport();
  body.attachments = [{ filename: 'poc.bin', content_type: 'application/octet-stream', data_base64: file.toString('base64') }];
  const r = await postReport(srv.url, body);
  assert.equal(r.status, 201, r.text);
  return { tid: r.json.tracking_id, file };
}

// issue 11: a stolen database file reveals no PoC
test('an attachment is stored sealed: its marker is nowhere in the database, the download is intact', async () => {
  const marker = `KKT1480-${randomBytes(12).toString('hex')}`;
  const { tid, file } = await reportWithMarker(marker);

  const bytes = databaseBytes(srv.db);
  assert.ok(bytes.length > 0);
  assert.equal(bytes.indexOf(marker), -1, `the marker is not in the ${DB_ENGINE} database`);
  /* the base64 the finder sent is not there either */
  assert.equal(bytes.indexOf(file.subarray(0, 48).toString('base64')), -1);

  const g = await api(srv.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.attachments[0].size, file.length, 'size is the plain file\'s');
  assert.equal(g.json.attachments[0].sha256, sha256(file), 'sha256 is the plain file\'s');
  const d = await api(srv.url, `/api/v1/reports/${rid(tid)}/attachments/0`, { token: srv.tokens.intake });
  assert.equal(d.status, 200, d.text.slice(0, 200));
  assert.equal(sha256(d.buf), sha256(file), 'the download is the file, byte for byte');
});

// issue 11: the key is a file only keikai's user reads, in a directory only it enters
test('the evidence key is mode 0600 in a 0700 directory, and keikai init keeps it', async () => {
  const keyFile = path.join(srv.keysDir, 'evidence.key');
  assert.equal(statSync(srv.keysDir).mode & 0o777, 0o700);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.equal(statSync(keyFile).size, 32);
  const before = readFileSync(keyFile);

  /* a second store on the same keys directory: the key is kept */
  const other = DB_ENGINE === 'postgresql' ? null : path.join(srv.dir, 'second.db');
  if (other) {
    const r = await keikai(['init', '--db', other, '--keys', srv.keysDir]);
    assert.match(r.stdout, /kept the evidence key/);
  }
  /* keikai init on a database that exists refuses, and leaves the key */
  const again = await keikai(['init', '--db', srv.db, '--keys', srv.keysDir], { allowFail: true });
  assert.notEqual(again.code, 0);
  assert.ok(readFileSync(keyFile).equals(before), 'the key is the same bytes');
});

// issue 11: without its key the store says so, and nothing crashes
test('with the key file gone, a download says which key is missing', async () => {
  const marker = `KKT1480-${randomBytes(12).toString('hex')}`;
  const { tid, file } = await reportWithMarker(marker);
  const keys = path.join(srv.keysDir, 'evidence.key');
  const download = `/api/v1/reports/${rid(tid)}/attachments/0`;
  /* a second server on the store, which has read no key yet (the first
   * holds the key it sealed with in memory) */
  const second = await serveOn(srv.db);
  try {
    renameSync(keys, keys + '.away');
    const d = await api(second.url, download, { token: srv.tokens.intake, lang: 'en' });
    /* the deployment's fault: 500, whose details go to the log, not to the
     * client (no server path in the answer) */
    assert.equal(d.status, 500, d.text);
    assert.equal(d.json.error, 'An internal error occurred.');
    assert.ok(!d.text.includes(srv.keysDir));
    const logged = second.stderr().split('\n').find((l) => / 500 /.test(l) && l.includes('/attachments/0'));
    assert.ok(logged, `the server logs the failed download: ${second.stderr()}`);
    assert.ok(logged.includes(keys), `the log names the key file: ${logged}`);
    assert.match(logged, /evidence key .* is missing/);
    /* the metadata still reads: only the file's bytes need the key */
    const g = await api(second.url, `/api/v1/reports/${rid(tid)}`, { token: srv.tokens.intake });
    assert.equal(g.status, 200, g.text);

    /* the key back: the same server reads the file, no restart */
    renameSync(keys + '.away', keys);
    const ok = await api(second.url, download, { token: srv.tokens.intake });
    assert.equal(ok.status, 200, ok.text.slice(0, 200));
    assert.equal(sha256(ok.buf), sha256(file));
  } finally {
    if (existsSync(keys + '.away')) renameSync(keys + '.away', keys);
    await second.stop();
  }
});
