// tests/e2e/lib/smtp.mjs: a real SMTP server for the delivery tests (issue 11):
// Debian's aiosmtpd (smtp_server.py, run with /usr/bin/python3, which has
// python3-aiosmtpd) on a free loopback port, optionally with STARTTLS or
// implicit TLS on a certificate this module makes with openssl, and AUTH.
// Every message lands as DIR/NNNN.eml with its envelope in DIR/NNNN.json;
// DIR/plan.json makes the server answer 4xx/5xx or sleep (smtp_server.py).

import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SYSTEM_PYTHON = process.env.KEIKAI_SYSTEM_PYTHON || '/usr/bin/python3';

/* A self-signed certificate for 127.0.0.1 (and localhost) in dir: {cert, key}
 * paths; cert is also what smtp.ca_file names. */
export function makeCert(dir) {
  const cert = path.join(dir, 'relay-cert.pem');
  const key = path.join(dir, 'relay-key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', key, '-out', cert], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
  return { cert, key };
}

/*
 * Starts the server: opts.tls ('starttls' | 'require-starttls' | 'implicit'),
 * opts.cert ({cert, key}, made when tls is set and none given), opts.auth
 * ('user:password'). Returns {port, dir, url(userinfo?), cert, setPlan(plan),
 * messages(), waitFor(n), stop()}.
 */
export async function startSmtp(opts = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'keikai-smtp-'));
  const args = [path.join(HERE, 'smtp_server.py'), '--dir', dir];
  let cert = opts.cert;
  if (opts.tls && !cert) cert = makeCert(dir);
  if (opts.tls) args.push('--tls-cert', cert.cert, '--tls-key', cert.key);
  if (opts.tls === 'starttls') args.push('--starttls');
  if (opts.tls === 'require-starttls') args.push('--require-starttls');
  if (opts.tls === 'implicit') args.push('--implicit-tls');
  if (opts.auth) args.push('--auth', opts.auth);
  if (opts.port) args.push('--port', String(opts.port));

  const child = spawn(SYSTEM_PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`smtp_server.py did not start: ${stderr}`)), 20000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    exited.then((e) => { clearTimeout(timer); reject(new Error(`smtp_server.py exited (${e.code ?? e.signal}): ${stderr}`)); });
  });

  const scheme = opts.tls === 'implicit' ? 'smtps' : 'smtp';
  return {
    port,
    dir,
    cert,
    /* the relay's address as smtp.url takes it, with userinfo ('user:password') when given */
    url: (userinfo) => `${scheme}://${userinfo ? userinfo + '@' : ''}127.0.0.1:${port}`,
    setPlan: (plan) => writeFile(path.join(dir, 'plan.json'), JSON.stringify(plan)),
    messages: () => readMessages(dir),
    /* resolves the messages once at least n are there (polling the directory) */
    waitFor: async (n, timeoutMs = 30000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const list = await readMessages(dir);
        if (list.length >= n) return list;
        if (Date.now() > until) throw new Error(`waited for ${n} message(s), ${list.length} arrived`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /* resolves once the server is sleeping before it answers a DATA */
    waitSleeping: async (timeoutMs = 30000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const names = (await readdir(dir)).filter((f) => f.startsWith('sleeping-'));
        if (names.length) return names;
        if (Date.now() > until) throw new Error('the SMTP server never started sleeping');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
      if (!process.env.KEIKAI_KEEP_TMP) await rm(dir, { recursive: true, force: true });
    },
  };
}

/* Every message saved in dir, in order: {n, raw, envelope, headers} where
 * headers maps a lower-case name to its first (unfolded) value. */
export async function readMessages(dir) {
  const names = (await readdir(dir)).filter((f) => /^\d{4}\.json$/.test(f)).sort();
  const out = [];
  for (const name of names) {
    const base = path.join(dir, name.slice(0, 4));
    if (!existsSync(base + '.eml')) continue;
    const envelope = JSON.parse(await readFile(base + '.json', 'utf8'));
    const raw = (await readFile(base + '.eml')).toString('utf8');
    out.push({ n: Number(name.slice(0, 4)), raw, envelope, headers: parseHeaders(raw) });
  }
  return out;
}

export function parseHeaders(raw) {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim().toLowerCase();
    if (!(k in headers)) headers[k] = line.slice(i + 1).trim();
  }
  return headers;
}
