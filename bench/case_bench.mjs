// bench/case_bench.mjs: the setup and the timed notification of bench/case_bench.sh
// (issue 9, "Benchmark"). Run by that script, not alone:
//
//   node bench/case_bench.mjs KEIKAI DB URL INTAKE_TOKEN COORDINATOR_TOKEN
//
// Through the HTTP API of the running server (docs/api/cases.md, vendors.md,
// reports.md), as a coordinator would: CASE_VENDORS (200) vendors registered with
// an e-mail contact each (POST /api/v1/vendors), one product report submitted and
// accepted, a case opened from it (POST /api/v1/cases), brought to CASE_VULNS (5)
// vulnerabilities (POST .../vulnerabilities) and given every vendor
// (POST .../vendors). Then, timed: all the vendors notified in one
// POST .../notify (SPEC 2.6), and the same call once more (a reminder to all).
// Last, a user of the first vendor (`keikai user add --vendor-id`) reads the
// summary and asks for the detail, so its case page is the full vendor page.
// Setup requests go 8 at a time. Prints `key=value` lines for the shell script:
// ref, vendor_token, notify_ms, notified, remind_ms, setup_s. Exit status 1, with
// the answer, when any call fails.

import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const [KEIKAI, DB, URL, INTAKE, COORD] = process.argv.slice(2);
if (!COORD) {
  console.error('usage: node bench/case_bench.mjs KEIKAI DB URL INTAKE_TOKEN COORDINATOR_TOKEN');
  process.exit(2);
}
const N_VENDORS = Number(process.env.CASE_VENDORS || 200);
const N_VULNS = Number(process.env.CASE_VULNS || 5);

async function call(p, { token, method, body } = {}, expect = [200, 201]) {
  const headers = { 'accept-language': 'en' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(URL + p, { method: method ?? (body !== undefined ? 'POST' : 'GET'), headers,
    body: body !== undefined ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (!expect.includes(res.status)) {
    console.error(`case_bench.mjs: ${method ?? (body ? 'POST' : 'GET')} ${p}: ${res.status} ${text.slice(0, 400)}`);
    process.exit(1);
  }
  return text ? JSON.parse(text) : null;
}

/* Runs fn(i) for i in [0, n), 8 at a time. */
async function eight(n, fn) {
  const out = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < n) { const i = next++; out[i] = await fn(i); }
  }));
  return out;
}

function keikai(args, input) {
  const r = spawnSync(KEIKAI, args, { input, encoding: 'utf8', env: { ...process.env, KEIKAI_PWHASH: 'fast' } });
  if (r.status !== 0) {
    console.error(`case_bench.mjs: keikai ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    process.exit(1);
  }
  return r.stdout.trim();
}

const t0 = performance.now();
const vendorIds = await eight(N_VENDORS, async (i) => (await call('/api/v1/vendors', {
  token: COORD,
  body: { name_en: `Bench Vendor ${i + 1}`, name_ja: `ベンチ製品開発者 ${i + 1}`,
    contacts: [{ channel: 'email', address: `psirt@vendor${i + 1}.bench.example` }] },
})).id);

const report = await call('/api/v1/reports', { body: {
  kind: 'product',
  finder: { name: '山田 太郎', email: 'taro@example.jp', organization: '', phone: '', pgp_key: '' },
  consent: { share_identity: false, direct_contact: false, credit: true, credit_name: 'Taro Yamada' },
  product: { vendor: 'Bench Vendor 1', name: 'Bench Library', version: '1.2.3' },
  details: { summary: 'A buffer overflow in the parser of a widely embedded library.', environment: 'Linux',
    steps: '1. Feed it the attached file.', result: 'It crashes.', impact: '', workaround: '', cvss_vector: '' },
  other_reports: { reported_elsewhere: false, to_whom: '', vendor_told_directly: false, coordinated_by: 'receiving_org' },
  wants_final_result: true, encrypted_contact: false,
} });
const tid = encodeURIComponent(report.tracking_id);
await call(`/api/v1/reports/${tid}/decision`, { token: INTAKE, body: { decision: 'accept' } });
const opened = await call('/api/v1/cases', { token: COORD, body: {
  reports: [report.tracking_id], title: 'Buffer overflow in Bench Library, embedded by 200 vendors',
  summary: 'A buffer overflow in a widely embedded parsing library may allow code execution.',
  detail: 'The length field of a record is trusted; a record longer than 64 KiB overflows the stack buffer. '.repeat(20),
} });
const ref = opened.id;
const c = `/api/v1/cases/${encodeURIComponent(ref)}`;
for (let n = 2; n <= N_VULNS; n++) {
  await call(`${c}/vulnerabilities`, { token: COORD, body: {
    title: `Flaw ${n} of the parser`, description: `Flaw ${n}: another way to overflow the record buffer.`,
    cvss3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  } });
}
await eight(N_VENDORS, (i) => call(`${c}/vendors`, { token: COORD, body: { vendor_id: vendorIds[i] } }, [201]));
const setupS = (performance.now() - t0) / 1000;

/* SPEC 2.6: every vendor notified in one action */
let t = performance.now();
const notified = await call(`${c}/notify`, { token: COORD, body: { vendor_ids: vendorIds } });
const notifyMs = performance.now() - t;
t = performance.now();
await call(`${c}/notify`, { token: COORD, body: { vendor_ids: vendorIds } });
const remindMs = performance.now() - t;

keikai(['user', 'add', '--db', DB, '--org', 'Bench Vendor 1', '--role', 'vendor', '--email', 'psirt@vendor1.bench.example',
  '--name', 'Bench PSIRT', '--password-stdin', '--vendor-id', String(vendorIds[0])], 'bench-case-password\n');
const vendorToken = keikai(['token', 'create', '--db', DB, '--email', 'psirt@vendor1.bench.example']);
await call(c, { token: vendorToken });
await call(`${c}/answer`, { token: vendorToken, body: { answer: 'send_detail' } });

console.log(`ref=${ref}`);
console.log(`vendor_token=${vendorToken}`);
console.log(`notified=${(notified?.notified ?? []).length}`);
console.log(`notify_ms=${notifyMs.toFixed(1)}`);
console.log(`remind_ms=${remindMs.toFixed(1)}`);
console.log(`setup_s=${setupS.toFixed(1)}`);
