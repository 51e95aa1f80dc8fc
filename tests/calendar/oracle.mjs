// oracle.mjs: writes the Japanese national holidays of 1970..2050 as the npm
// package @holiday-jp/holiday_jp has them, one "YYYY-MM-DD name" a line, to
// the file named by argv[2] (or stdout). tests/unit/test_calendar.c compares
// keikai's rules (lib/calendar/holidays.c) with it day by day (issue 10).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const holidays = require('@holiday-jp/holiday_jp/lib/holidays.js');

const lines = Object.keys(holidays)
  .filter((day) => day >= '1970-01-01' && day <= '2050-12-31')
  .sort()
  .map((day) => `${day} ${holidays[day].name}\n`);
if (lines.length < 1000) throw new Error(`the oracle has only ${lines.length} days`);
if (process.argv[2]) writeFileSync(process.argv[2], lines.join(''));
else process.stdout.write(lines.join(''));
