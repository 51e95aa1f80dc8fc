/*
 * gpg.mjs: the real GnuPG for the tests of OpenPGP (issue 11): homes of their
 * own in the temporary directory, removed (agents killed) by removeHomes.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const homes = [];

/* gpg in home with args, asserting it succeeds: its standard output. */
export function gpg(home, args, opts = {}) {
  const r = spawnSync('gpg', ['--batch', '--quiet', '--no-tty', '--homedir', home, ...args], { encoding: 'utf8', ...opts });
  assert.equal(r.status, 0, `gpg ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/* A new, empty GnuPG home (0700). */
export function newHome() {
  const home = mkdtempSync(path.join(tmpdir(), 'kk-g-'));
  chmodSync(home, 0o700);
  homes.push(home);
  return home;
}

/* The fingerprint of the first key in home (for uid when given). */
export function fprOf(home, uid) {
  const out = gpg(home, ['--with-colons', '--list-keys', ...(uid ? [uid] : [])]);
  return /^fpr:::::::::([0-9A-F]{40}):/m.exec(out)[1];
}

/* Every home made here, gone. */
export function removeHomes() {
  for (const h of homes.splice(0)) {
    spawnSync('gpgconf', ['--homedir', h, '--kill', 'all']);
    rmSync(h, { recursive: true, force: true });
  }
}
