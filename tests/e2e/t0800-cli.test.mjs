// The keikai command line (docs/cli/keikai.md): one table-driven option parser
// for every command (cli/options.c). --help and -h on every command and
// subcommand, in English and in Japanese; an unknown option, a missing value,
// a missing required option or operand refused naming it, with the usage first
// and exit status 2; --db from KEIKAI_DB; --json where a command declares it.
// The parser's corner cases are unit tests (tests/unit/test_cli.c).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { keikai, freshStore, PASSWORD } from './lib/server.mjs';

/* English unless a test asks for Japanese; gettext's own variables cleared. */
const EN = { LANG: 'C.UTF-8', LANGUAGE: undefined, LC_ALL: undefined, LC_MESSAGES: undefined };
const JA = { ...EN, LANG: 'ja_JP.UTF-8' };

/* Runs keikai and never rejects on the exit status. */
const run = (args, env = EN, input) => keikai(args, { allowFail: true, env, input });

/* The commands that run, and the commands that hold subcommands. */
const LEAVES = [['init'], ['user', 'add'], ['token', 'create'], ['serve'], ['outbox', 'list'], ['outbox', 'send'],
  ['outbox', 'preview'], ['demo'],
  ['cvss'], ['cpe', 'parse'], ['cpe', 'match'], ['import', 'cwe'], ['import', 'myjvn-products'], ['import', 'sbom'], ['cwe', 'show'], ['cwe', 'search'],
  ['db', 'copy'], ['vendor', 'add'], ['vendor', 'show'], ['vendor', 'search'], ['vendor', 'set-key'], ['case', 'list'],
  ['case', 'show'], ['advisory', 'list'], ['advisory', 'show'], ['advisory', 'reindex'],
  ['tick'], ['calendar', 'holidays'], ['calendar', 'publication-date'], ['holidays', 'import'], ['settings', 'list'],
  ['settings', 'get'], ['settings', 'set'], ['config', 'list'], ['config', 'get'], ['config', 'set'], ['recipient', 'add'],
  ['recipient', 'list'], ['mail-in'], ['pgp', 'init'], ['pgp', 'show']];
const GROUPS = { user: ['add'], token: ['create'], outbox: ['list', 'send', 'preview'], cpe: ['parse', 'match'], import: ['cwe', 'myjvn-products', 'sbom'],
  cwe: ['show', 'search'], db: ['copy'], vendor: ['add', 'show', 'search', 'set-key'], case: ['list', 'show'], advisory: ['list', 'show', 'reindex'],
  calendar: ['holidays', 'publication-date'], holidays: ['import'], settings: ['list', 'get', 'set'], config: ['list', 'get', 'set'],
  recipient: ['add', 'list'], pgp: ['init', 'show'] };
const COMMANDS = ['init', 'user', 'token', 'serve', 'outbox', 'demo', 'cvss', 'cpe', 'import', 'cwe', 'db', 'vendor', 'case',
  'advisory', 'tick', 'calendar', 'holidays', 'settings', 'config', 'recipient', 'mail-in', 'pgp'];

const VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

let dir;
let store;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keikai-e2e-'));
  store = await freshStore(dir);
});
after(async () => {
  await store?.drop();
  await rm(dir, { recursive: true, force: true });
});

/* The last line of a text. */
const lastLine = (text) => text.trimEnd().split('\n').at(-1);

test('keikai --help lists every command; keikai alone or a wrong command is wrong usage', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.equal(help.stderr, '');
  const lines = help.stdout.split('\n');
  assert.equal(lines[0], 'usage: keikai COMMAND [options]   (keikai COMMAND --help)');
  const listed = lines.slice(lines.indexOf('commands:') + 1).filter(Boolean).map((l) => l.trim().split(/ +/)[0]);
  assert.deepEqual(listed, COMMANDS);
  assert.equal((await run(['-h'])).stdout, help.stdout);

  const none = await run([]);
  assert.equal(none.code, 2);
  assert.equal(none.stdout, '');
  assert.match(none.stderr, /^usage: keikai COMMAND/);

  const wrong = await run(['bogus']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /^usage: keikai COMMAND/);
  assert.equal(lastLine(wrong.stderr), "keikai: 'bogus' is not a command");
});

test('every command and subcommand has its --help and -h', async () => {
  for (const cmd of LEAVES) {
    const name = cmd.join(' ');
    for (const flag of ['--help', '-h']) {
      const r = await run([...cmd, flag]);
      assert.equal(r.code, 0, `${name} ${flag}: ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.ok(r.stdout.startsWith(`usage: keikai ${name}`), `${name} ${flag}: ${r.stdout}`);
      assert.match(r.stdout, /\noptions:\n/);
      assert.match(lastLine(r.stdout), /^ {2}--help, -h +print this help$/, `${name}: --help is listed last`);
    }
  }
  for (const [group, subs] of Object.entries(GROUPS)) {
    const r = await run([group, '--help']);
    assert.equal(r.code, 0, `${group} --help: ${r.stderr}`);
    assert.ok(r.stdout.startsWith(`usage: keikai ${group} COMMAND [options]`), r.stdout);
    const listed = r.stdout.split('commands:\n')[1].split('\n').filter(Boolean).map((l) => l.trim().split(/ +/)[0]);
    assert.deepEqual(listed, subs, `${group}'s subcommands`);
    const wrong = await run([group, 'nope']);
    assert.equal(wrong.code, 2);
    assert.equal(wrong.stdout, '');
    assert.equal(lastLine(wrong.stderr), `keikai ${group}: 'nope' is not one of its subcommands`);
    const missing = await run([group]);
    assert.equal(missing.code, 2, `${group} without a subcommand`);
    assert.ok(missing.stderr.startsWith(`usage: keikai ${group} COMMAND`), missing.stderr);
  }
});

test('the help and the usage errors speak Japanese when LANG says so', async () => {
  const ja = await run(['user', 'add', '--help'], JA);
  assert.equal(ja.code, 0, ja.stderr);
  assert.ok(ja.stdout.startsWith('使い方: keikai user add --db ADDRESS --org NAME --role ROLE --email E --name N'
    + ' --password-stdin [--vendor-id ID] [--recipient-id ID]\n'), ja.stdout);
  assert.match(ja.stdout, /\nオプション:\n/);
  assert.match(ja.stdout, /^ {2}--help, -h +このヘルプを表示する$/m);
  assert.match(ja.stdout, /^ {2}--password-stdin +パスワードを標準入力から 1 行で読む$/m);
  const en = await run(['user', 'add', '--help']);
  assert.match(en.stdout, /^ {2}--password-stdin +read the password as one line from standard input$/m);

  const top = await run(['--help'], JA);
  assert.match(top.stdout, /^ {2}init +新しいデータベースを作る$/m);
  const bad = await run(['outbox', 'list', '--db', 'x.db', '--bogus'], JA);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, "使い方: keikai outbox list --db ADDRESS [--json]\n"
    + "keikai outbox list: 不明なオプション '--bogus' です\n");
});

test('an unknown option is refused naming it, after the usage (exit status 2)', async () => {
  const r = await run(['outbox', 'list', '--db', 'x.db', '--bogus']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, "usage: keikai outbox list --db ADDRESS [--json]\n"
    + "keikai outbox list: unknown option '--bogus'\n");
  const letter = await run(['cvss', '-x', VECTOR]);
  assert.equal(letter.code, 2);
  assert.equal(lastLine(letter.stderr), "keikai cvss: unknown option '-x'");
  const abbreviated = await run(['user', 'add', '--db', 'x.db', '--org', 'IPA', '--role', 'intake', '--email', 'a@b.example',
    '--name', 'A', '--password'], EN, `${PASSWORD}\n`);
  assert.equal(abbreviated.code, 2, 'long options are not abbreviated');
  assert.equal(lastLine(abbreviated.stderr), "keikai user add: unknown option '--password'");
  const noJson = await run(['cpe', 'parse', '--json', 'cpe:/a:example:router']);
  assert.equal(noJson.code, 2, 'only the commands that print JSON take --json');
  assert.equal(lastLine(noJson.stderr), "keikai cpe parse: unknown option '--json'");
});

test('a missing value, a value for a flag and a missing required option are refused', async () => {
  const v = await run(['user', 'add', '--db', 'x.db', '--org']);
  assert.equal(v.code, 2);
  assert.equal(v.stderr, 'usage: keikai user add --db ADDRESS --org NAME --role ROLE --email E --name N --password-stdin [--vendor-id ID] [--recipient-id ID]\n'
    + 'keikai user add: the option --org needs a value (NAME)\n');
  const flag = await run(['outbox', 'list', '--db', 'x.db', '--json=yes']);
  assert.equal(flag.code, 2);
  assert.equal(lastLine(flag.stderr), 'keikai outbox list: the option --json takes no value');
  const req = await run(['token', 'create', '--db', 'x.db']);
  assert.equal(req.code, 2);
  assert.equal(lastLine(req.stderr), 'keikai token create: --email E is required');
  const copy = await run(['db', 'copy', '--from', 'x.db']);
  assert.equal(copy.code, 2);
  assert.match(copy.stderr, /^usage: keikai db copy --from SRC --to DST\n/);
  assert.equal(lastLine(copy.stderr), 'keikai db copy: --to DST is required');
  const operand = await run(['cwe', 'show', '--db', 'x.db']);
  assert.equal(operand.code, 2);
  assert.equal(lastLine(operand.stderr), 'keikai cwe show: missing operand: it takes ID');
  const extra = await run(['serve', '--db', 'x.db', 'extra']);
  assert.equal(extra.code, 2);
  assert.equal(lastLine(extra.stderr), "keikai serve: unexpected operand 'extra'");
});

test('--db comes from KEIKAI_DB when not given, and wins over it', async () => {
  const viaEnv = { ...EN, KEIKAI_DB: store.db };
  const init = await run(['init'], viaEnv);
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout, /^keikai: created .* schema version \d+, tracking numbers IPA#nnnnnnnn, cases VU#nnnnnn\)\n/);
  /* issue 11: then the keys directory's evidence key, made or kept */
  assert.match(lastLine(init.stdout), /^keikai: (created|kept) the evidence key .*evidence\.key/);
  const add = await run(['user', 'add', '--org', 'IPA', '--role', 'intake', '--email', 'cli@ipa.example',
    '--name', 'CLI', '--password-stdin'], viaEnv, `${PASSWORD}\n`);
  assert.equal(add.code, 0, add.stderr);
  assert.equal(add.stdout, 'keikai: added cli@ipa.example (intake, IPA)\n');

  const elsewhere = { ...EN, KEIKAI_DB: path.join(dir, 'no-such-dir', 'none.db') };
  const wins = await run(['outbox', 'list', '--db', store.db], elsewhere);
  assert.equal(wins.code, 0, `--db wins over KEIKAI_DB: ${wins.stderr}`);
  const fromEnv = await run(['outbox', 'list'], elsewhere);
  assert.equal(fromEnv.code, 1, 'without --db, KEIKAI_DB is opened');
  assert.match(fromEnv.stderr, /none\.db/);

  for (const env of [{ ...EN, KEIKAI_DB: undefined }, { ...EN, KEIKAI_DB: '' }]) {
    const none = await run(['outbox', 'list'], env);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, 'usage: keikai outbox list --db ADDRESS [--json]\n'
      + 'keikai outbox list: --db ADDRESS (or KEIKAI_DB) is required\n');
  }
});

test('--json prints JSON where a command declares it, the same data as the text', async () => {
  const own = await freshStore(await mkdtemp(path.join(dir, 'json-')));
  const env = { ...EN, KEIKAI_DB: own.db };
  try {
    await jsonAndText(env);
  } finally {
    await own.drop();
  }
});

/* keikai demo fills the outbox; --json and the text show the same messages. */
async function jsonAndText(env) {
  assert.equal((await run(['init'], env)).code, 0);
  const demo = await run(['demo'], env);
  assert.equal(demo.code, 0, demo.stderr);
  const json = await run(['outbox', 'list', '--json'], env);
  assert.equal(json.code, 0, json.stderr);
  const list = JSON.parse(json.stdout);
  assert.ok(Array.isArray(list));
  /* the four reports of the demo's first lines and the demo case: four acknowledgements,
   * two acceptances, one rejection; the case's four summary notices and the notices of
   * two messages, to a vendor and to the finder (issue 9); its date set: told to the
   * four vendors, the intake user and the finder (issue 10) */
  const reports = [...demo.stdout.matchAll(/report (IPA#\d{8}) /g)].map((m) => m[1]);
  const ref = / (VU#\d{6}) /.exec(demo.stdout.split('\n').find((l) => /VU#\d{6}/.test(l)))[1];
  const first = list.filter((m) => m.case === ref || (!m.case && reports.includes(m.report)));
  assert.deepEqual(first.map((m) => m.kind).sort(), ['acknowledgement', 'acknowledgement', 'acknowledgement',
    'acknowledgement', 'case_message', 'case_message', 'case_summary', 'case_summary', 'case_summary', 'case_summary',
    'date_finder', 'date_notice', 'date_notice', 'date_notice', 'date_notice', 'date_notice',
    'decision', 'decision', 'decision']);
  /* issue 12: the finder of each of the three published advisories is told */
  assert.equal(list.filter((m) => m.kind === 'advisory_finder').length, 3);
  const text = await run(['outbox', 'list'], env);
  assert.equal(lastLine(text.stdout), `${list.length} message(s)`);
  const lines = text.stdout.trimEnd().split('\n').slice(0, -1);
  assert.equal(lines.length, list.length, 'one line per message');
  list.forEach((m, i) => {
    assert.deepEqual(lines[i].split(/ +/).slice(0, 2), [String(m.id), m.created_at]);
    assert.ok(lines[i].endsWith(` ${m.subject}`), `${lines[i]} ends with the subject`);
  });
}

test('--json scores a CVSS vector as one JSON object per line', async () => {
  const cvss = await run(['cvss', VECTOR, '--json']);
  assert.equal(cvss.code, 0, cvss.stderr);
  assert.deepEqual(JSON.parse(cvss.stdout), { vector: VECTOR, version: '3.1', base_score: 9.8, base_severity: 'Critical' });
  const plain = await run(['cvss', VECTOR]);
  assert.equal(plain.stdout, `${VECTOR}  v3.1  base 9.8 Critical\n`);
});

test('"--" ends the options: what follows is an operand', async () => {
  const r = await run(['cvss', '--', '--json']);
  assert.equal(r.code, 1, 'an invalid vector, not wrong usage');
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^keikai cvss: --json: /);
});

/* keikai demo prints in the user's language; the demo finders' mail stays Japanese.
 * Its case (issue 9) has vendors in four states: fixed with a countermeasure and a
 * statement, not affected, investigating, only notified (SPEC 2.6, 2.7). */
test('keikai demo speaks the user\'s language and holds a case under way', async () => {
  for (const [env, logins, accepted, opened] of [
    [EN, 'demo logins (password "keikai-demo" for every one):', / accepted \(/, /^ {2}case (VU#\d{6}) opened from IPA#\d{8}: /],
    [JA, 'デモ用のログイン（パスワードはどれも「keikai-demo」）：', / は受理（/, /^ {2}案件 (VU#\d{6})（届出 IPA#\d{8} から）：/]]) {
    const own = await freshStore(await mkdtemp(path.join(dir, 'demo-')));
    try {
      const e = { ...env, KEIKAI_DB: own.db };
      assert.equal((await run(['init'], e)).code, 0);
      const demo = await run(['demo'], e);
      assert.equal(demo.code, 0, demo.stderr);
      assert.equal(demo.stdout.split('\n')[0], logins);
      assert.match(demo.stdout.trimEnd().split('\n').at(-3), accepted);
      const box = JSON.parse((await run(['outbox', 'list', '--json'], e)).stdout);
      assert.ok(box.filter((m) => m.report).every((m) => m.lang === 'ja'), 'the demo finders wrote in Japanese');
      const caseLine = demo.stdout.trimEnd().split('\n').at(-2);
      const ref = opened.exec(caseLine)?.[1];
      assert.ok(ref, `the line before the last names the demo's case: ${caseLine}`);
      /* SPEC 2.6: each vendor's summary notice of the case in the vendor's preferred language */
      assert.deepEqual(box.filter((m) => m.kind === 'case_summary' && m.case === ref).map((m) => [m.recipient, m.lang]).sort(), [
        ['psirt@example-corp.example', 'en'], ['psirt@sample-denki.example', 'ja'], ['psirt@toa-camera.example', 'ja'],
        ['security@opencam-firmware.example', 'en']]);
      /* issue 12: the last line, the advisories, names the case under embargo */
      assert.ok(lastLine(demo.stdout).includes('/advisories/') && lastLine(demo.stdout).includes(ref), lastLine(demo.stdout));
      const shown = await run(['case', 'show', ref, '--json'], e);
      assert.equal(shown.code, 0, shown.stderr);
      const c = JSON.parse(shown.stdout);
      assert.ok(Number.isInteger(c.day0), 'the notice fixed day 0');
      assert.deepEqual(c.vendors.map((v) => [v.name_en, v.answer, v.statuses.map((x) => x.status)]), [
        ['Sample Denki', 'send_detail', ['fixed']], ['Example Corp', 'not_applicable', ['not_affected']],
        ['Toa Camera Module', 'send_detail', ['investigating']], ['OpenCam Firmware Project', null, ['notified']]]);
      const [sd, ex] = c.vendors;
      assert.deepEqual(sd.countermeasures.map((m) => m.fixed_versions), [['2.0.1']]);
      assert.ok(sd.countermeasures[0].workaround_ja && sd.countermeasures[0].workaround_en);
      assert.ok(sd.statement?.ja && sd.statement?.en, 'サンプル電機 wrote its statement in both languages');
      assert.ok(ex.answer_reason, 'Example Corp said why it is not affected');
    } finally {
      await own.drop();
    }
  }
});

/* keikai case list and show (docs/cli/case.md): the system's operators see every
 * case whole; --json prints the API's objects. */
test('keikai case list and show print every case, --json the API\'s objects', async () => {
  const own = await freshStore(await mkdtemp(path.join(dir, 'case-')));
  try {
    const e = { ...EN, KEIKAI_DB: own.db };
    assert.equal((await run(['init'], e)).code, 0);
    const empty = await run(['case', 'list'], e);
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stdout, '0 case(s)\n');
    assert.equal((await run(['demo'], e)).code, 0);
    const json = await run(['case', 'list', '--json'], e);
    assert.equal(json.code, 0, json.stderr);
    const cases = json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    /* the demo case and the three cases of the demo's published advisories (issue 12) */
    assert.equal(cases.length, 4, 'one JSON object per case and line');
    const c = cases.find((x) => x.title.includes('root パスワード'));
    assert.match(c.id, /^VU#\d{6}$/);
    assert.equal(c.state, 'open');
    assert.equal(c.vendors, 4);
    assert.equal(c.waiting_on, 1, 'SPEC 2.6: one vendor notified has not answered');
    const text = await run(['case', 'list'], e);
    const lines = text.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 6, text.stdout);
    const line = lines.find((l) => l.startsWith(`${c.id} `));
    assert.deepEqual(line.split(/ +/).slice(0, 2), [c.id, 'open']);
    assert.ok(line.endsWith(`  ${c.title}`), line);
    assert.equal(lines[5], '4 case(s)');
    assert.equal((await run(['case', 'list', '--state', 'closed'], e)).stdout, '0 case(s)\n');
    const bad = await run(['case', 'list', '--state', 'pending'], e);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^keikai case list: /);
    assert.match(bad.stderr, /filter/);

    const show = await run(['case', 'show', c.id], e);
    assert.equal(show.code, 0, show.stderr);
    assert.ok(show.stdout.startsWith(`${c.id}  ${c.title}\nstate: Open\n`), show.stdout);
    assert.match(show.stdout, /^Finder A {2}IPA#\d{8} {2}\S/m, 'the system sees who the finder is');
    assert.match(show.stdout, /^vendors: 4$/m);
    const missing = await run(['case', 'show', c.id === 'VU#000000' ? 'VU#000001' : 'VU#000000'], e);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^keikai case show: There is no case VU#00000[01]\.\n/);
  } finally {
    await own.drop();
  }
});
