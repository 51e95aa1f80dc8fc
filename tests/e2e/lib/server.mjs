// End-to-end helper: start the real keikai server on a free port with a
// fresh database (STYLE.md "Tests", like redis start_server / h2o spawn_h2o).
//
// Assumes the CLI contract in docs/cli/keikai.md and the HTTP contract in
// docs/api/reports.md. Every keikai invocation runs with KEIKAI_PWHASH=fast.
// The binary is $KEIKAI_BIN (relative paths are taken from the current
// directory) or build/keikai under the repository root.
//
// The store is SQLite (a file in the server's temp dir) unless $KEIKAI_TEST_PG
// holds the libpq URI of a PostgreSQL database a superuser can connect to, as
// tests/pg/cluster.sh prints it: then each server gets a database of its own,
// made with CREATE DATABASE kk_<random hex> through psql and dropped by stop().

import test from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const KEIKAI_BIN = process.env.KEIKAI_BIN
  ? path.resolve(process.cwd(), process.env.KEIKAI_BIN)
  : path.join(REPO_ROOT, 'build/keikai');

export const PASSWORD = 'correct horse battery staple';

/* The base URI of the PostgreSQL cluster under test, or undefined for SQLite. */
export const PG_BASE_URI = process.env.KEIKAI_TEST_PG || undefined;

/* The store the tests run on: 'postgresql' or 'sqlite'. */
export const DB_ENGINE = PG_BASE_URI ? 'postgresql' : 'sqlite';

/*
 * A test that only makes sense on one store: testOn('postgresql', '...', async () => { ... }).
 * On the other store it is not registered at all, so it neither passes nor
 * skips: a skip always means something is missing (tests/run-all.sh fails it
 * under CI).
 */
export function testOn(engine, name, fn) {
  if (engine !== 'postgresql' && engine !== 'sqlite') throw new Error(`testOn: no store ${engine}`);
  if (DB_ENGINE === engine) test(name, fn);
}

/* The standard users every test server gets. */
export const USERS = {
  intake: { email: 'intake@ipa.example', org: 'IPA', role: 'intake', name: 'Intake Staff' },
  coordinator: { email: 'coord@jpcert.example', org: 'JPCERT/CC', role: 'coordinator', name: 'Coordinator Staff' },
  vendor: { email: 'vendor@example-corp.example', org: 'Example Corp', role: 'vendor', name: 'Vendor PSIRT' },
  operator: { email: 'operator@shop.example', org: 'Example Shop', role: 'operator', name: 'Shop Operator' },
  admin: { email: 'admin@ipa.example', org: 'IPA', role: 'admin', name: 'Admin' },
};

/*
 * Each test process runs a private copy of the binary, taken once and checked
 * with `--help`, so that a rebuild in the tree while tests run (ninja relinks
 * build/keikai in place) cannot fail them half-way. A copy made while the
 * linker was writing fails the check and is taken again.
 */
let binCopy;
let binError;
function bin() {
  if (binCopy) return binCopy;
  if (binError) throw binError;
  const dir = mkdtempSync(path.join(tmpdir(), 'keikai-bin-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const copy = path.join(dir, 'keikai');
  let last = '';
  for (let i = 0; i < 15; i++) {
    try {
      copyFileSync(KEIKAI_BIN, copy);
      chmodSync(copy, 0o755);
      const r = spawnSync(copy, ['--help'], { encoding: 'utf8', timeout: 30000 });
      if (r.status === 0) { binCopy = copy; return copy; }
      last = `exit ${r.status ?? r.signal} ${r.error ?? ''} ${r.stderr}`;
    } catch (e) {
      last = String(e);
    }
    spawnSync('sleep', ['2']);
  }
  binError = new Error(`cannot run ${KEIKAI_BIN} --help: ${last}`);
  throw binError;
}

const SANITIZER_RE = /ERROR: (?:Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer|runtime error:/;

/*
 * issue 11: every store needs the evidence key (docs/internals/evidence.md).
 * startServer's stores get a keys directory in their temp dir (init --keys).
 * A SQLite store that a test makes itself has one beside its file; a
 * PostgreSQL one has none of its own, so on PostgreSQL every keikai process
 * of this test process gets KEIKAI_KEYS, a temp dir of its own.
 */
let pgKeysDir;
function pgKeys() {
  if (!pgKeysDir) {
    pgKeysDir = mkdtempSync(path.join(tmpdir(), 'keikai-keys-'));
    process.on('exit', () => rmSync(pgKeysDir, { recursive: true, force: true }));
  }
  return path.join(pgKeysDir, 'keys');
}

function keikaiEnv() {
  const env = { ...process.env, KEIKAI_PWHASH: 'fast' };
  if (!env.UBSAN_OPTIONS) env.UBSAN_OPTIONS = 'print_stacktrace=1';
  if (PG_BASE_URI && !env.KEIKAI_KEYS) env.KEIKAI_KEYS = pgKeys();
  return env;
}

/* Asserts that a process's stderr holds no sanitizer report. */
export function assertNoSanitizerReport(stderr, what) {
  if (SANITIZER_RE.test(stderr)) {
    throw new Error(`${what}: sanitizer report on stderr:\n${stderr}`);
  }
}

/*
 * Runs `keikai ARGS...` to completion. Resolves {code, stdout, stderr}; rejects
 * when it exits non-zero (unless opts.allowFail) or prints a sanitizer report.
 * opts.env is added to the environment (a value undefined removes a variable).
 */
export function keikai(args, { input, allowFail = false, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const childEnv = { ...keikaiEnv(), ...env };
    for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
    const child = spawn(bin(), args, { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.stdin.on('error', () => {}); /* the child may not read stdin */
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const what = `keikai ${args.join(' ')}`;
      try {
        assertNoSanitizerReport(stderr, what);
      } catch (e) {
        reject(e);
        return;
      }
      if ((code !== 0 || signal) && !allowFail) {
        reject(new Error(`${what}: exit ${code ?? signal}\nstdout: ${stdout}\nstderr: ${stderr}`));
        return;
      }
      resolve({ code, signal, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/* Adds a user; the password goes in on standard input. */
export async function addUser(db, { email, org, role, name, password = PASSWORD }) {
  await keikai(['user', 'add', '--db', db, '--org', org, '--role', role, '--email', email,
    '--name', name, '--password-stdin'], { input: password + '\n' });
}

/* Creates an API bearer token for a user and returns it. */
export async function createToken(db, email) {
  const { stdout } = await keikai(['token', 'create', '--db', db, '--email', email]);
  const token = stdout.trim();
  if (!token || /\s/.test(token)) throw new Error(`keikai token create printed ${JSON.stringify(stdout)}`);
  return token;
}

/* ---- PostgreSQL databases ---------------------------------------------------- */

/* The base URI with its database name replaced by `name`. */
export function pgUriFor(name, base = PG_BASE_URI) {
  const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(\/[^?#]*)?(.*)$/s.exec(base ?? '');
  if (!m) throw new Error(`KEIKAI_TEST_PG is not a postgresql:// URI: ${JSON.stringify(base)}`);
  return `${m[1]}/${encodeURIComponent(name)}${m[3]}`;
}

/* Runs one SQL command through psql on the base URI (the maintenance database). */
function psql(sql) {
  const psqlBin = process.env.KEIKAI_PSQL || 'psql';
  return new Promise((resolve, reject) => {
    const child = spawn(psqlBin, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', PG_BASE_URI, '-c', sql],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (e) => reject(new Error(`${psqlBin}: ${e.message} (is the PostgreSQL client installed?)`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${psqlBin} -c ${JSON.stringify(sql)} on ${PG_BASE_URI}: exit ${code ?? signal}\n${out}`));
    });
  });
}

/* Makes an empty database kk_<random hex>; resolves {name, uri}. */
export async function createPgDatabase() {
  const name = 'kk_' + randomBytes(8).toString('hex');
  await psql(`CREATE DATABASE ${name}`);
  return { name, uri: pgUriFor(name) };
}

/* Drops a database made by createPgDatabase, closing any session still on it. */
export async function dropPgDatabase(name) {
  if (!/^kk_[0-9a-f]+$/.test(name)) throw new Error(`not a test database: ${name}`);
  await psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/*
 * A fresh, empty store for one server: {db, drop()}. db is what `--db` takes:
 * the path DIR/keikai.db, or the URI of a new PostgreSQL database. drop()
 * removes the PostgreSQL database (the SQLite file goes with DIR), unless
 * KEIKAI_KEEP_TMP is set.
 */
export async function freshStore(dir) {
  if (!PG_BASE_URI) return { db: path.join(dir, 'keikai.db'), drop: async () => {} };
  const { name, uri } = await createPgDatabase();
  return {
    db: uri,
    drop: async () => {
      if (process.env.KEIKAI_KEEP_TMP) process.stderr.write(`keikai e2e: kept database ${uri}\n`);
      else await dropPgDatabase(name);
    },
  };
}

/*
 * Starts a server on a fresh database with the standard users (plus
 * opts.extraUsers) and a bearer token for each standard role. opts.serveArgs
 * are added to `keikai serve`, opts.serveEnv to its environment, and
 * opts.serverDefaults keeps its default limit on reports per address (see serveOn).
 * Returns {url, db, dir, keysDir, engine, tokens, users, stderr(), stop()}; db is the
 * `--db` value (a file path or a postgresql:// URI, see DB_ENGINE).
 * stop() sends SIGTERM, waits for the exit and throws if the server had
 * already died, did not exit, or printed a sanitizer report.
 */
export async function startServer(opts = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'keikai-e2e-'));
  let store;
  try {
    store = await freshStore(dir);
    return await startServerIn(dir, store, opts);
  } catch (e) {
    if (!process.env.KEIKAI_KEEP_TMP) await rm(dir, { recursive: true, force: true });
    if (store) await store.drop().catch(() => {});
    throw e;
  }
}

/*
 * Starts `keikai serve` on an existing database (one that startServer made, or a
 * copy) on a free port. Returns {url, stop(), stderr()}; stop() checks for a
 * clean exit and no sanitizer report, and leaves the database alone. Several
 * servers may serve one database at once. args are added to `keikai serve`.
 * Every request of a test comes from 127.0.0.1, so the limit on reports per
 * source address is off (`--report-limit 0`) unless args set one or
 * serverDefaults is true (the tests of that limit, t0130). env is added to the
 * server's environment (KEIKAI_NOW, KEIKAI_NOW_FROZEN: t0320).
 */
export async function serveOn(db, { readyTimeoutMs = 30000, args = [], serverDefaults = false, env = {} } = {}) {
  const limits = serverDefaults || args.includes('--report-limit') ? [] : ['--report-limit', '0'];
  const child = spawn(bin(), ['serve', '--db', db, '--listen', '127.0.0.1:0', ...limits, ...args], {
    env: { ...keikaiEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited = null; /* {code, signal} once the process is gone */
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); });
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdout.setEncoding('utf8');

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`keikai serve did not print its listening line within ${readyTimeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, readyTimeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /^keikai: listening on (http:\/\/127\.0\.0\.1:(\d+))\s*$/m.exec(stdout);
      if (m && Number(m[2]) > 0) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    exitPromise.then((e) => {
      clearTimeout(timer);
      reject(new Error(`keikai serve exited (${e.code ?? e.signal}) before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  }).catch(async (e) => {
    if (!exited) { child.kill('SIGKILL'); await exitPromise; }
    throw e;
  });

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    const diedEarly = exited;
    if (!exited) {
      child.kill('SIGTERM');
      /* unref'd: a pending timer would keep the test process alive 15 s after the server exited */
      const timeout = new Promise((r) => setTimeout(() => r('timeout'), 15000).unref());
      if ((await Promise.race([exitPromise, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exitPromise;
        throw new Error(`keikai serve did not exit within 15 s of SIGTERM\nstderr: ${stderr}`);
      }
    }
    /* let the stderr pipe drain */
    await new Promise((r) => (child.stderr.readableEnded ? r() : child.stderr.on('end', r)));
    assertNoSanitizerReport(stderr, 'keikai serve');
    if (diedEarly) {
      throw new Error(`keikai serve died during the test (${diedEarly.code ?? diedEarly.signal})\nstderr: ${stderr}`);
    }
    /* a clean shutdown, or the default action of SIGTERM; not a crash on the way out */
    if (!(exited.code === 0 || exited.signal === 'SIGTERM')) {
      throw new Error(`keikai serve exited badly on SIGTERM (${exited.code ?? exited.signal})\nstderr: ${stderr}`);
    }
  }

  return { url, stop, stderr: () => stderr };
}

async function startServerIn(dir, store, { extraUsers = [], readyTimeoutMs = 30000, serveArgs = [], serverDefaults = false,
  serveEnv = {} } = {}) {
  const db = store.db;
  const keysDir = path.join(dir, 'keys');
  await keikai(['init', '--db', db, '--keys', keysDir]);

  const users = { ...USERS };
  const tokens = {};
  for (const [key, u] of Object.entries(USERS)) {
    await addUser(db, u);
    tokens[key] = await createToken(db, u.email);
  }
  for (const u of extraUsers) await addUser(db, u);

  const server = await serveOn(db, { readyTimeoutMs, args: serveArgs, serverDefaults, env: serveEnv });
  async function stop() {
    await server.stop();
    if (!process.env.KEIKAI_KEEP_TMP) await rm(dir, { recursive: true, force: true });
    await store.drop();
  }

  return { url: server.url, db, dir, keysDir, engine: DB_ENGINE, tokens, users, stop, stderr: server.stderr };
}

/* ---- HTTP helpers ------------------------------------------------------ */

function parseJson(text) {
  try { return JSON.parse(text); } catch { return undefined; }
}

/*
 * One API call. body: an object (sent as JSON), or a string / Buffer sent as
 * is with opts.contentType. Resolves {status, headers, text, json}.
 */
export async function api(url, p, { token, method, body, lang, contentType, headers = {}, accept } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (lang) h['accept-language'] = lang;
  if (accept) h.accept = accept;
  let payload;
  if (body !== undefined) {
    if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) {
      payload = body;
      h['content-type'] = contentType ?? 'application/json';
    } else {
      payload = JSON.stringify(body);
      h['content-type'] = contentType ?? 'application/json';
    }
  }
  const res = await fetch(url + p, {
    method: method ?? (body !== undefined ? 'POST' : 'GET'),
    headers: h, body: payload, redirect: 'manual',
  });
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  return { status: res.status, headers: res.headers, buf, text, json: parseJson(text) };
}

/* POST /api/v1/reports (anonymous). */
export function postReport(url, body, { lang, contentType, headers } = {}) {
  return api(url, '/api/v1/reports', { method: 'POST', body, lang, contentType, headers });
}

/*
 * A raw request through node:http, for bodies the server may refuse before
 * reading them (413). Write errors after the answer has arrived are ignored.
 * from: the local address to send from (any 127.x.y.z reaches the server on
 * 127.0.0.1), for tests of limits per source address.
 */
export function rawRequest(url, p, { method = 'POST', headers = {}, body, from } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url + p);
    let answered = false;
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers,
      localAddress: from }, (res) => {
      answered = true;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, headers: res.headers, text, json: parseJson(text) });
      });
      res.on('error', reject);
    });
    req.on('error', (e) => { if (!answered) reject(e); });
    if (body !== undefined) req.end(body); else req.end();
  });
}

/* The path segment for a tracking id: IPA#12345678 -> IPA%2312345678. */
export function rid(trackingId) {
  return encodeURIComponent(trackingId);
}

/* ---- report bodies ------------------------------------------------------- */

/* A finder's key that can be encrypted to (ed25519 + cv25519, no expiry): since
 * issue 11 a finder.pgp_key must be one usable public key (tests/data/pgp/finder.asc). */
export const PGP_KEY = `-----BEGIN PGP PUBLIC KEY BLOCK-----

mDMEaxBnmhYJKwYBBAHaRw8BAQdA0QTNgsfXUT5lNCp6Xn4Dq/OMWpPOFu2oIMkJ
JLSOK4m0I1Rlc3QgRmluZGVyIDxmaW5kZXIta2V5QGV4YW1wbGUuanA+iJAEExYI
ADgWIQSAonDMjeJxqNLiRiPR6jAndyxi1wUCaxBnmgIbAwULCQgHAgYVCgkICwIE
FgIDAQIeAQIXgAAKCRDR6jAndyxi1xNkAQDwH5OJN/Ui/StYDt3CVa1vWIyH2q/U
QGb7zA3tB+CaaQD/U3EreWCR5McTVMS/Ztgp597QBqyMYF2QXOizZXUfOwi4OARr
EGeaEgorBgEEAZdVAQUBAQdAhBWielcc6tYUsj00cnO5byHC4NIPE3U1xk6IGo1F
IkMDAQgHiHgEGBYIACAWIQSAonDMjeJxqNLiRiPR6jAndyxi1wUCaxBnmgIbDAAK
CRDR6jAndyxi1/q4AQCA/fLVnPl+d1xefjnvrsNY1XOsNxtVVzVVHT+shRIgQAEA
t0Kl9a+G0TDWURYqD8I9OcUF3jDBajD2l89C3MJ9uQE=
=ZjML
-----END PGP PUBLIC KEY BLOCK-----
`;

const PRODUCT_REPORT = {
  kind: 'product',
  finder: { name: '山田 太郎', email: 'taro@example.jp', organization: '', phone: '', pgp_key: '' },
  consent: { share_identity: false, direct_contact: false, credit: true, credit_name: 'Taro Yamada' },
  product: { vendor: 'Example Corp', name: 'Example Router', version: '1.2.3' },
  details: {
    summary: '管理画面にクロスサイト・スクリプティングの脆弱性があります。',
    environment: 'Example Router 1.2.3, Firefox 128',
    steps: '1. 管理画面にログインする\n2. 検索欄に <script>alert(1)</script> を入力する',
    result: 'スクリプトが実行される。',
    impact: '', workaround: '', cvss_vector: '',
  },
  other_reports: { reported_elsewhere: false, to_whom: '', vendor_told_directly: false, coordinated_by: 'receiving_org' },
  wants_final_result: true,
  encrypted_contact: false,
};

const WEBSITE_REPORT = {
  kind: 'website',
  finder: { name: 'Hanako Suzuki', email: 'hanako@example.jp', organization: '', phone: '', pgp_key: '' },
  consent: { share_identity: false, direct_contact: false, credit: false, credit_name: '' },
  website: { url: 'https://www.example.jp/login' },
  details: {
    summary: 'SQL injection in the login form.',
    environment: 'Chromium 120 on Debian 12',
    steps: "1. Open /login\n2. Enter ' OR '1'='1 as the user name",
    result: 'Logged in without a password.',
    impact: '', workaround: '', cvss_vector: '',
  },
  other_reports: { reported_elsewhere: false, to_whom: '', vendor_told_directly: false, coordinated_by: 'receiving_org' },
  wants_final_result: true,
  encrypted_contact: false,
};

/* A valid product report body (a fresh deep copy each call). */
export function productReport() {
  return structuredClone(PRODUCT_REPORT);
}

/* A valid web-site report body (a fresh deep copy each call). */
export function websiteReport() {
  return structuredClone(WEBSITE_REPORT);
}

/* Deletes the value at a dotted path ("finder.email") from an object. */
export function deletePath(obj, p) {
  const parts = p.split('.');
  let o = obj;
  for (const k of parts.slice(0, -1)) o = o[k];
  delete o[parts.at(-1)];
  return obj;
}

/* Sets the value at a dotted path. */
export function setPath(obj, p, value) {
  const parts = p.split('.');
  let o = obj;
  for (const k of parts.slice(0, -1)) o = o[k];
  o[parts.at(-1)] = value;
  return obj;
}

/* ---- outbox ---------------------------------------------------------------- */

/* The queued messages: `keikai outbox list --db DB --json`, parsed. */
export async function outbox(db) {
  const { stdout } = await keikai(['outbox', 'list', '--db', db, '--json']);
  const v = JSON.parse(stdout);
  const list = Array.isArray(v) ? v : v?.messages;
  if (!Array.isArray(list)) throw new Error(`keikai outbox list --json printed no array: ${stdout}`);
  return list;
}

/* Messages about one report to one recipient. */
export async function outboxFor(db, trackingId, recipient) {
  return (await outbox(db)).filter((m) => m.report === trackingId && m.recipient === recipient);
}

/* The number of reports in the intake queue, as the intake staff see it: the
 * total of its paging, not the length of the first page. */
export async function queueLength(srv) {
  const r = await api(srv.url, '/api/v1/reports', { token: srv.tokens.intake });
  if (r.status !== 200 || !Array.isArray(r.json?.reports) || !Number.isInteger(r.json?.paging?.total)) {
    throw new Error(`GET /api/v1/reports: ${r.status} ${r.text}`);
  }
  return r.json.paging.total;
}

/* ---- browser-style session (HTML login form) ---------------------------- */

/* A minimal cookie jar for fetch. */
export class CookieJar {
  constructor() { this.cookies = new Map(); this.raw = []; }
  take(res) {
    for (const c of res.headers.getSetCookie()) {
      this.raw.push(c);
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (/;\s*max-age=0\b/i.test(c) || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  get(name) { return this.cookies.get(name); }
  /* The last Set-Cookie line for a cookie name, with its attributes. */
  setCookieLine(name) { return this.raw.filter((c) => c.startsWith(name + '=')).at(-1); }
}

/* The value of the hidden `csrf` input of an HTML page, or undefined. */
export function csrfField(html) {
  const m = /<input\b[^>]*\bname=["']?csrf["']?[^>]*>/i.exec(html);
  if (!m) return undefined;
  const v = /\bvalue=["']([^"']*)["']/i.exec(m[0]);
  return v ? v[1] : undefined;
}

/* fetch with a cookie jar, no redirects followed. */
export async function browse(url, p, jar, { method = 'GET', form, headers = {}, lang } = {}) {
  const h = { ...headers };
  if (jar.cookies.size) h.cookie = jar.header();
  if (lang) h['accept-language'] = lang;
  let body;
  if (form) {
    body = new URLSearchParams(form).toString();
    h['content-type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(url + p, { method, headers: h, body, redirect: 'manual' });
  jar.take(res);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: parseJson(text) };
}

/*
 * Logs in through the HTML form: GET /login for the CSRF cookie and field,
 * POST /login. Resolves {res, jar, csrf}.
 */
export async function login(url, email, password = PASSWORD, { jar = new CookieJar(), lang } = {}) {
  const page = await browse(url, '/login', jar, { lang });
  const csrf = csrfField(page.text);
  const res = await browse(url, '/login', jar, { method: 'POST', form: { email, password, csrf: csrf ?? '' }, lang });
  return { res, jar, csrf, loginPage: page };
}

/* ---- HTML forms ------------------------------------------------------------ */

/*
 * A multipart/form-data body in one buffer. fields: [[name, value], …] or an
 * object; files: [{field, filename, contentType, data}]. Returns {body, contentType}.
 */
export function multipartBody(fields, files = [], boundary = '----keikai-e2e-' + Math.random().toString(36).slice(2)) {
  const parts = [];
  const entries = Array.isArray(fields) ? fields : Object.entries(fields);
  for (const [name, value] of entries) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`));
    parts.push(Buffer.from(String(value)));
    parts.push(Buffer.from('\r\n'));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\n` +
      `Content-Type: ${f.contentType ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}`, parts };
}

/*
 * Sends a body in the given pieces, each in its own write with a pause
 * between, so that the server sees them as separate reads (as over a real
 * network). Resolves {status, headers, text} or rejects on a reset.
 */
export function segmentedRequest(url, p, { method = 'POST', headers = {}, pieces, pauseMs = 20 }) {
  return new Promise((resolve, reject) => {
    const u = new URL(url + p);
    const total = pieces.reduce((n, x) => n + Buffer.byteLength(x), 0);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method,
      headers: { ...headers, 'content-length': total } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, headers: res.headers, text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setNoDelay(true);
    (async () => {
      for (const x of pieces) {
        if (req.destroyed) return;
        req.write(x);
        await new Promise((r) => setTimeout(r, pauseMs));
      }
      req.end();
    })();
  });
}

/* The paths of the `.field-error[data-field]` elements of an HTML page. */
export function fieldErrors(html) {
  return [...html.matchAll(/<p\b[^>]*class=["'][^"']*\bfield-error\b[^"']*["'][^>]*>/gi)]
    .map((m) => /data-field=["']([^"']+)["']/i.exec(m[0])?.[1]).filter(Boolean);
}
