// The calendar on the command line (issue 10 capabilities 1 and 2; SPEC 2.8;
// docs/cli/calendar.md, holidays.md, settings.md): `keikai calendar holidays
// YEAR` prints the national holidays exactly; `keikai calendar
// publication-date` gives day 0 + 45 days moved to a business day at 11:00
// Japan time, under the database's settings; `keikai holidays import` loads
// the Cabinet Office's CSV (Shift_JIS) and wins for its years; `keikai
// settings` refuses unknown keys and bad values, naming them, in Japanese and
// English.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { keikai, freshStore, REPO_ROOT } from './lib/server.mjs';

const EN = { LANG: 'C.UTF-8', LANGUAGE: undefined, LC_ALL: undefined, LC_MESSAGES: undefined };
const JA = { ...EN, LANG: 'ja_JP.UTF-8' };
const run = (args, env = EN) => keikai(args, { allowFail: true, env });
const DATA = path.join(REPO_ROOT, 'tests/data/calendar');

let dir;
let store;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keikai-e2e-'));
  store = await freshStore(dir);
  await keikai(['init', '--db', store.db]);
});
after(async () => {
  await store?.drop();
  await rm(dir, { recursive: true, force: true });
});

const HOLIDAYS_2019 = `2019-01-01 元日
2019-01-14 成人の日
2019-02-11 建国記念の日
2019-03-21 春分の日
2019-04-29 昭和の日
2019-04-30 休日
2019-05-01 休日（祝日扱い）
2019-05-02 休日
2019-05-03 憲法記念日
2019-05-04 みどりの日
2019-05-05 こどもの日
2019-05-06 こどもの日 振替休日
2019-07-15 海の日
2019-08-11 山の日
2019-08-12 山の日 振替休日
2019-09-16 敬老の日
2019-09-23 秋分の日
2019-10-14 体育の日（スポーツの日）
2019-10-22 休日（祝日扱い）
2019-11-03 文化の日
2019-11-04 文化の日 振替休日
2019-11-23 勤労感謝の日
`;

const HOLIDAYS_2026 = `2026-01-01 元日
2026-01-12 成人の日
2026-02-11 建国記念の日
2026-02-23 天皇誕生日
2026-03-20 春分の日
2026-04-29 昭和の日
2026-05-03 憲法記念日
2026-05-04 みどりの日
2026-05-05 こどもの日
2026-05-06 こどもの日 振替休日
2026-07-20 海の日
2026-08-11 山の日
2026-09-21 敬老の日
2026-09-22 休日
2026-09-23 秋分の日
2026-10-12 スポーツの日
2026-11-03 文化の日
2026-11-23 勤労感謝の日
`;

test('calendar holidays YEAR prints the rules exactly (2019: the accession; 2026)', async () => {
  const y2019 = await run(['calendar', 'holidays', '2019']);
  assert.equal(y2019.code, 0, y2019.stderr);
  assert.equal(y2019.stdout, HOLIDAYS_2019);
  const y2026 = await run(['calendar', 'holidays', '2026']);
  assert.equal(y2026.stdout, HOLIDAYS_2026);
  /* with --db and no list imported, the same */
  const withDb = await run(['calendar', 'holidays', '--db', store.db, '2026']);
  assert.equal(withDb.stdout, HOLIDAYS_2026);

  const bad = await run(['calendar', 'holidays', '1947']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /YEAR is a year from 1948 to 9999: 1947/);
  const badJa = await run(['calendar', 'holidays', 'abc'], JA);
  assert.equal(badJa.code, 2);
  assert.match(badJa.stderr, /YEAR は 1948 から 9999 までの年です: abc/);
});

test('calendar publication-date: day 0 + 45 days to a business day at 11:00 Japan time (SPEC 2.8)', async () => {
  const cases = [
    ['2026-05-20', '2026-07-06T11:00+09:00'], // Saturday 07-04 -> Monday
    ['2026-03-19', '2026-05-07T11:00+09:00'], // Golden Week
    ['2026-11-15', '2027-01-04T11:00+09:00'], // the year-end closing
    ['2026-06-05', '2026-07-21T11:00+09:00'], // 海の日
    ['2026-05-19T14:59:59Z', '2026-07-03T11:00+09:00'], // still 05-19 in Japan
  ];
  for (const [day0, want] of cases) {
    const r = await run(['calendar', 'publication-date', '--db', store.db, day0]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${want}\n`, day0);
  }
  const bad = await run(['calendar', 'publication-date', '--db', store.db, '2026-02-30']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /DAY0 is a date YYYY-MM-DD/);
});

test('settings set/get/list: checked values, unknown keys and bad values named (Japanese and English)', async () => {
  const list = await run(['settings', 'list', '--db', store.db]);
  assert.equal(list.code, 0, list.stderr);
  for (const line of ['closing_days=12-29..01-03', 'publication_days=45', 'publication_time=11:00',
    'publication_zone=Asia/Tokyo', 'clock_date_reminders=7,3,1', 'tracking_prefix=IPA']) {
    assert.ok(list.stdout.split('\n').includes(line), line);
  }

  const badEn = await run(['settings', 'set', '--db', store.db, 'publication_days', 'forty']);
  assert.equal(badEn.code, 1);
  assert.match(badEn.stderr, /The setting publication_days cannot be "forty": it must be a whole number from 0 to 3650\./);
  assert.match(badEn.stderr, /\n {2}publication_days: must be a whole number from 0 to 3650\n/);
  const badJa = await run(['settings', 'set', '--db', store.db, 'publication_time', '25:00'], JA);
  assert.equal(badJa.code, 1);
  assert.match(badJa.stderr, /設定 publication_time を "25:00" にはできません: 00:00 から 23:59 までの時刻 HH:MM でなければなりません。/);
  const unknownEn = await run(['settings', 'get', '--db', store.db, 'publication_dayz']);
  assert.equal(unknownEn.code, 1);
  assert.match(unknownEn.stderr, /keikai knows no setting publication_dayz/);
  const unknownJa = await run(['settings', 'set', '--db', store.db, 'nosuch', '1'], JA);
  assert.equal(unknownJa.code, 1);
  assert.match(unknownJa.stderr, /設定 nosuch はありません/);
  /* nothing changed */
  assert.equal((await run(['settings', 'get', '--db', store.db, 'publication_days'])).stdout, '45\n');

  /* a change moves the next proposal */
  assert.equal((await run(['settings', 'set', '--db', store.db, 'publication_days', '30'])).code, 0);
  assert.equal((await run(['settings', 'set', '--db', store.db, 'publication_time', '09:30'])).code, 0);
  assert.equal((await run(['settings', 'get', '--db', store.db, 'publication_time'])).stdout, '09:30\n');
  const moved = await run(['calendar', 'publication-date', '--db', store.db, '2026-06-05']);
  assert.equal(moved.stdout, '2026-07-06T09:30+09:00\n', '30 days is Sunday 07-05');
  await run(['settings', 'set', '--db', store.db, 'publication_days', '45']);
  await run(['settings', 'set', '--db', store.db, 'publication_time', '11:00']);
});

test('holidays import: Shift_JIS CSV, its years decided by the list; a bad line named, nothing stored', async () => {
  const bad = await run(['holidays', 'import', '--db', store.db, path.join(DATA, 'bad-lines.csv')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /Line 4: "2027\/2\/30" is not a date written YYYY\/M\/D\./);
  assert.match(bad.stderr, /\n {2}line 6: /);
  const badJa = await run(['holidays', 'import', '--db', store.db, path.join(DATA, 'bad-lines.csv')], JA);
  assert.match(badJa.stderr, /4 行目: "2027\/2\/30" は YYYY\/M\/D と書いた日付ではありません。/);
  assert.equal((await run(['calendar', 'holidays', '--db', store.db, '2027'])).stdout,
    (await run(['calendar', 'holidays', '2027'])).stdout, 'nothing stored');

  const sjis = await run(['holidays', 'import', '--db', store.db, path.join(DATA, 'syukujitsu-2027-sjis.csv')]);
  assert.equal(sjis.code, 0, sjis.stderr);
  assert.match(sjis.stdout, /imported 6 holidays/);
  /* 2027 is the list's alone: six days, 昭和の日 and the rest not in it */
  assert.equal((await run(['calendar', 'holidays', '--db', store.db, '2027'])).stdout,
    '2027-01-01 元日\n2027-01-11 成人の日\n2027-02-11 建国記念の日\n2027-02-23 天皇誕生日\n2027-03-21 春分の日\n2027-03-22 休日\n');
  /* without --db the rules; 2026 with --db still the rules */
  assert.match((await run(['calendar', 'holidays', '2027'])).stdout, /2027-04-29 昭和の日/);
  assert.equal((await run(['calendar', 'holidays', '--db', store.db, '2026'])).stdout, HOLIDAYS_2026);

  const list2026 = await run(['holidays', 'import', '--db', store.db, path.join(DATA, 'list-2026.csv')]);
  assert.equal(list2026.code, 0, list2026.stderr);
  /* 海の日 2026-07-20 is not in this list: day 0 06-05 + 45 days stays on Monday 07-20 */
  const r = await run(['calendar', 'publication-date', '--db', store.db, '2026-06-05']);
  assert.equal(r.stdout, '2026-07-20T11:00+09:00\n');
});

test('the new commands have their --help in English and Japanese', async () => {
  for (const cmd of [['calendar', 'holidays'], ['calendar', 'publication-date'], ['holidays', 'import'],
    ['settings', 'list'], ['settings', 'get'], ['settings', 'set']]) {
    const en = await run([...cmd, '--help']);
    assert.equal(en.code, 0, en.stderr);
    assert.ok(en.stdout.startsWith(`usage: keikai ${cmd.join(' ')}`), en.stdout);
    const ja = await run([...cmd, '--help'], JA);
    assert.ok(ja.stdout.startsWith(`使い方: keikai ${cmd.join(' ')}`), ja.stdout);
    assert.match(ja.stdout, /^ {2}--help, -h +このヘルプを表示する$/m);
  }
  const top = await run(['calendar', '--help'], JA);
  assert.match(top.stdout, /^ {2}holidays +ある年の国民の祝日・休日を表示する$/m);
  assert.match(top.stdout, /^ {2}publication-date +0 日目から公表日の案を表示する$/m);
});
