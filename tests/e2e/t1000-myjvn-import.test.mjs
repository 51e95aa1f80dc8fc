// t1000: the import of the MyJVN vendor/product dictionary (issue 8, capability 3;
// SPEC 2.5): `keikai import myjvn-products --db DB FILE` on the real dictionary in
// ../shared/data/jvn when it is there (skipped with the reason when not), on the
// engine under test. The totals are the dictionary's own: 29,565 vendors (distinct
// vid) and 76,809 products (distinct pid), counted with `zcat | jq` when the test
// was written. A second run changes the totals in nothing; a copy with one broken
// line is refused with that line's number, and the other lines load.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { keikai, freshStore, REPO_ROOT, KEIKAI_BIN, assertNoSanitizerReport } from './lib/server.mjs';

const DICTIONARY = path.join(REPO_ROOT, '../shared/data/jvn/myjvn-products.jsonl.gz');
const SAMPLE = path.join(REPO_ROOT, 'tests/data/jvn/sample.jsonl');
const present = existsSync(DICTIONARY);
const skip = present ? false : `the MyJVN dictionary is not at ${DICTIONARY} (../shared/data)`;

let dir;
const stores = [];
before(async () => { dir = await mkdtemp(path.join(tmpdir(), 'keikai-e2e-myjvn-')); });
after(async () => {
  for (const s of stores) await s.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/* A new database, made with keikai init; resolves its --db value. */
async function database() {
  const store = await freshStore(await mkdtemp(path.join(dir, 'store-')));
  stores.push(store);
  await keikai(['init', '--db', store.db]);
  return store.db;
}

const importFile = (db, file) =>
  keikai(['import', 'myjvn-products', '--db', db, file], { allowFail: true, env: { LANG: 'C', LC_ALL: 'C' } });
const lastLine = (text) => text.trimEnd().split('\n').at(-1);

test('the real dictionary: every vendor and product, and a second run adds nothing', { skip }, async () => {
  const all = gunzipSync(readFileSync(DICTIONARY)).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(new Set(all.map((o) => o.vid)).size, 29565);
  assert.equal(new Set(all.map((o) => o.pid)).size, 76809);
  const db = await database();
  const first = await importFile(db, DICTIONARY);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(lastLine(first.stdout), '29565 vendors, 76809 products');
  // not a terminal: one summary line on stderr, no progress bar
  // 14 of MyJVN's CPE URIs need repair (punctuation not percent-encoded, a space)
  assert.match(first.stderr, /^keikai: 76809 lines read in [0-9.]+ s: 76809 loaded \(14 with a CPE name repaired\), 0 refused; 29565 vendors and 76809 products added\n$/);

  const second = await importFile(db, DICTIONARY);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(lastLine(second.stdout), '29565 vendors, 76809 products');
  assert.match(second.stderr, /76809 loaded \(14 with a CPE name repaired\), 0 refused; 0 vendors and 0 products added\n$/);
});

test('a copy with one broken line: that line refused with its number, the rest loaded', { skip }, async () => {
  const lines = gunzipSync(readFileSync(DICTIONARY)).toString('utf8').trimEnd().split('\n');
  const broken = 40000; /* 1-based */
  /* what the other lines hold, counted here */
  const rest = lines.filter((_, i) => i !== broken - 1).map((l) => JSON.parse(l));
  const vendors = new Set(rest.map((o) => o.vid)).size;
  const products = new Set(rest.map((o) => o.pid)).size;
  assert.equal(products, 76808);
  lines[broken - 1] = lines[broken - 1].slice(0, 50); /* cut inside the line: not JSON */
  const file = path.join(dir, 'broken.jsonl');
  await writeFile(file, lines.join('\n') + '\n');
  const db = await database();
  const r = await importFile(db, file);
  assert.equal(r.code, 1);
  const refusals = r.stderr.split('\n').filter((l) => l.startsWith('keikai import myjvn-products: '));
  assert.equal(refusals.length, 1, r.stderr);
  assert.match(refusals[0], new RegExp(`^keikai import myjvn-products: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${broken}: malformed JSON at column \\d+: `));
  assert.match(r.stderr, /76809 lines read in [0-9.]+ s: 76808 loaded \(14 with a CPE name repaired\), 1 refused;/);
  /* the product of the broken line is missing, and its vendor when it had no other */
  assert.equal(lastLine(r.stdout), `${vendors} vendors, ${products} products`);
});

test('the sample: refused lines listed in order, exit status 1', async () => {
  const db = await database();
  const r = await importFile(db, SAMPLE);
  assert.equal(r.code, 1);
  assert.equal(lastLine(r.stdout), '5 vendors, 7 products');
  assert.equal(r.stdout, '5 vendors, 7 products\n');
  const numbers = r.stderr.split('\n').filter((l) => l.startsWith('keikai import myjvn-products: '))
    .map((l) => Number(l.slice(`keikai import myjvn-products: ${SAMPLE}:`.length).split(':')[0]));
  assert.deepEqual(numbers, [7, 8, 10, 11, 12, 13]);
  assert.ok(r.stderr.includes(`keikai import myjvn-products: ${SAMPLE}:10: "pid" is missing.\n`), r.stderr);
});

test('messages in Japanese; the totals line is the same in every language', async () => {
  const db = await database();
  const r = await keikai(['import', 'myjvn-products', '--db', db, SAMPLE],
    { allowFail: true, env: { LANG: 'ja_JP.UTF-8', LC_ALL: 'ja_JP.UTF-8' } });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '5 vendors, 7 products\n');
  assert.ok(r.stderr.includes(`keikai import myjvn-products: ${SAMPLE}:10: 「pid」がありません。\n`), r.stderr);
});

test('a missing file and wrong usage', async () => {
  const db = await database();
  const r = await importFile(db, path.join(dir, 'absent.jsonl'));
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(`keikai import myjvn-products: Cannot open ${path.join(dir, 'absent.jsonl')}: No such file or directory\n`), r.stderr);
  assert.equal(r.stdout, '0 vendors, 0 products\n');
  const usage = await keikai(['import', 'myjvn-products', '--db', db], { allowFail: true, env: { LANG: 'C', LC_ALL: 'C' } });
  assert.equal(usage.code, 2);
});

/* util-linux's script(1) gives the command a terminal */
const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
const noTerminal = script.status === 0 ? false : 'script(1) (util-linux) is not installed: no terminal to test on';

test('on a terminal: a progress bar on stderr, then the summary and the totals', { skip: noTerminal }, async () => {
  const db = await database();
  const quote = (s) => `'${s.replace(/'/g, "'\\''")}'`;
  const cmd = [KEIKAI_BIN, 'import', 'myjvn-products', '--db', db, SAMPLE].map(quote).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'],
    { encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: 'C', KEIKAI_PWHASH: 'fast' }, timeout: 60000 });
  assertNoSanitizerReport(r.stdout, 'keikai import myjvn-products on a terminal');
  assert.equal(r.status, 1); /* the sample has refused lines */
  const lines = r.stdout.replace(/\r\n/g, '\n').trimEnd().split('\n');
  /* the bar, redrawn with \r, at 100% once the file is read */
  assert.ok(r.stdout.includes('\r[##############################] 100%  14 lines  '), r.stdout);
  assert.match(r.stdout, /lines\/s  ETA 0 s /);
  assert.equal(lines.at(-1), '5 vendors, 7 products');
  assert.match(lines.at(-2), /^keikai: 14 lines read in [0-9.]+ s: 7 loaded \(0 with a CPE name repaired\), 6 refused; 5 vendors and 7 products added$/);
});

