/*
 * Unit tests of lib/calendar/ (calendar.h; issue 10 capabilities 1 and 2,
 * SPEC 2.8): the national holidays by rule against the npm oracle
 * @holiday-jp/holiday_jp for every day of 1970-2050, the proposed publication
 * date as data files (tests/data/calendar/publication/, one case a block), closing days and
 * bad settings, and the import of the Cabinet Office's CSV. Runs on both
 * engines (store_tests).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/calendar.h"
#include "keikai/clock.h"
#include "keikai/settings.h"
#include "keikai/settings_keys.h"
#include "unit.h"

/* ---- days ---- */

Test(calendar, days_and_weekdays)
{
	char buf[KK_DATE_LEN];
	kk_day d;
	int y, m, md;

	cr_assert_eq(kk_day_of(1970, 1, 1), 0);
	cr_assert_eq(kk_day_weekday(0), 4, "1970-01-01 was a Thursday");
	cr_assert_eq(kk_day_weekday(kk_day_of(2026, 12, 2)), 3, "2026-12-02 is a Wednesday");
	cr_assert_eq(kk_day_parse("2024-02-29", &d), 0);
	cr_assert_str_eq(kk_day_format(d, buf), "2024-02-29");
	cr_assert_eq(kk_day_parse("2023-02-29", &d), -1, "not a leap year");
	cr_assert_eq(kk_day_parse("2026-1-05", &d), -1);
	cr_assert_eq(kk_day_parse("2026-01-05x", &d), -1);
	kk_day_ymd(kk_day_of(1948, 7, 20), &y, &m, &md);
	cr_assert(y == 1948 && m == 7 && md == 20);
	kk_day_ymd(kk_day_of(2200, 3, 1) - 1, &y, &m, &md);
	cr_assert(y == 2200 && m == 2 && md == 28, "2200 is not a leap year");
	/* 2026-06-04T15:00:00Z is midnight of 06-05 in Japan */
	cr_assert_eq(kk_day_of_time(1780585200), kk_day_of(2026, 6, 5));
	cr_assert_eq(kk_day_of_time(1780585199), kk_day_of(2026, 6, 4));
}

/* ---- (a) the rules against the oracle ---- */

/* The oracle's "YYYY-MM-DD name" lines: tests/calendar/oracle.mjs run by
 * node (npm ci installs the package). Missing under CI is a failure. */
static char *oracle_text(void)
{
	const char *root = getenv("KK_SOURCE_ROOT");
	char cmd[4200], *text = NULL;
	size_t len = 0, cap = 0;
	FILE *p;
	int status;

	snprintf(cmd, sizeof(cmd), "cd '%s' && node tests/calendar/oracle.mjs", root ? root : ".");
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	for (;;) {
		if (len + 4097 > cap) {
			cap = cap ? 2 * cap : 65536;
			text = kk_realloc(text, cap);
			cr_assert_not_null(text);
		}
		size_t n = fread(text + len, 1, 4096, p);
		if (!n)
			break;
		len += n;
	}
	text[len] = '\0';
	status = pclose(p);
	if (status != 0 || len == 0) {
		free(text);
		if (getenv("CI"))
			cr_assert_fail("the oracle (node tests/calendar/oracle.mjs, @holiday-jp/holiday_jp) did not run");
		cr_skip_test("the oracle did not run: `npm ci` installs @holiday-jp/holiday_jp");
	}
	return text;
}

Test(calendar, every_day_1970_2050_as_the_oracle)
{
	char *text = oracle_text(), *line, *next, want[256], got[256], day[KK_DATE_LEN];
	kk_day d = kk_day_of(1970, 1, 1), end = kk_day_of(2050, 12, 31), listed;
	size_t holidays = 0, mismatches = 0;
	const char *name;

	/* walk every day: each oracle line is the next holiday */
	line = text;
	while (d <= end) {
		want[0] = '\0';
		listed = end + 1;
		if (line && *line) {
			next = strchr(line, '\n');
			if (next)
				*next = '\0';
			snprintf(day, sizeof(day), "%.10s", line);
			cr_assert_eq(kk_day_parse(day, &listed), 0, "oracle line %s", line);
			snprintf(want, sizeof(want), "%s", line + 11);
			line = next ? next + 1 : NULL;
		}
		for (; d < listed && d <= end; d++)
			if (kk_holiday_by_rule(d, &name) && mismatches++ < 20)
				cr_log_error("%s: the rules say %s, the oracle no holiday", kk_day_format(d, day), name);
		if (d > end)
			break;
		if (!kk_holiday_by_rule(d, &name)) {
			if (mismatches++ < 20)
				cr_log_error("%s: the oracle says %s, the rules no holiday", kk_day_format(d, day), want);
		} else if (strcmp(name, want) != 0) {
			snprintf(got, sizeof(got), "%s", name);
			if (mismatches++ < 20)
				cr_log_error("%s: the oracle says %s, the rules %s", kk_day_format(d, day), want, got);
		}
		holidays++;
		d++;
	}
	free(text);
	cr_assert_gt(holidays, 1300, "the oracle lists %zu days", holidays);
	cr_assert_eq(mismatches, 0, "%zu days differ from the oracle", mismatches);
}

Test(calendar, the_law_before_and_after_the_oracle)
{
	const char *name;
	kk_day days[40];
	const char *names[40];

	/* before the oracle's range */
	cr_assert(!kk_holiday_by_rule(kk_day_of(1948, 5, 3), NULL), "the law is in force from 1948-07-20");
	cr_assert(kk_holiday_by_rule(kk_day_of(1948, 9, 23), &name) && strcmp(name, "秋分の日") == 0);
	cr_assert(kk_holiday_by_rule(kk_day_of(1959, 4, 10), &name) && strcmp(name, "結婚の儀") == 0);
	cr_assert(kk_holiday_by_rule(kk_day_of(1965, 4, 29), &name) && strcmp(name, "天皇誕生日") == 0);
	cr_assert(!kk_holiday_by_rule(kk_day_of(1965, 9, 15), NULL), "敬老の日 from 1966");
	cr_assert(!kk_holiday_by_rule(kk_day_of(1972, 1, 2), NULL), "no 振替休日 before 1973-04-12");
	cr_assert(kk_holiday_by_rule(kk_day_of(1973, 4, 30), &name) && strcmp(name, "天皇誕生日 振替休日") == 0);
	/* after it: 2051 and the 22nd century */
	cr_assert_eq(kk_holidays_of_year(2051, days, names, 40), 17, "2051-01-01 is a Sunday: 01-02 振替休日");
	cr_assert(kk_holiday_by_rule(kk_day_of(2100, 3, 20), &name) && strcmp(name, "春分の日") == 0,
		  "the 2100-2150 constants: 21.8510 + 0.242194 * 120 - 30 = 20.9");
	cr_assert(kk_holiday_by_rule(kk_day_of(2100, 9, 23), &name) && strcmp(name, "秋分の日") == 0);
	cr_assert(kk_holiday_by_rule(kk_day_of(2200, 2, 23), &name) && strcmp(name, "天皇誕生日") == 0);
	/* 2026, whole */
	cr_assert_eq(kk_holidays_of_year(2026, days, names, 40), 18);
	cr_assert_eq(days[0], kk_day_of(2026, 1, 1));
	cr_assert_str_eq(names[13], "休日", "2026-09-22, a citizens' holiday");
	cr_assert_eq(days[13], kk_day_of(2026, 9, 22));
}

/* ---- (b) the publication date, as data ---- */

struct pcase {
	char file[256], day0[64], import[128], expect[64], why[512];
	char set[8][128];
	int nset, line;
};

static void run_case(const struct pcase *c)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = unit_store(NULL);
	struct kk_calendar *cal;
	struct kk_tx tx;
	char got[KK_ZONE_TIME_LEN], path[PATH_MAX];
	int64_t day0;
	kk_day d;

	for (int i = 0; i < c->nset; i++) {
		char key[128], *eq;

		snprintf(key, sizeof(key), "%s", c->set[i]);
		eq = strchr(key, '=');
		cr_assert_not_null(eq, "%s:%d: set KEY=VALUE", c->file, c->line);
		*eq = '\0';
		cr_assert_eq(kk_setting_check(key, eq + 1, &err), KK_OK, "%s:%d: %s", c->file, c->line, err.msg);
		cr_assert_eq(kk_setting_set(s, key, eq + 1, &err), KK_OK, "%s", err.msg);
	}
	if (c->import[0]) {
		size_t n, count;
		FILE *f;
		char *data = kk_malloc(1 << 20);

		snprintf(path, sizeof(path), "%s/calendar/%s", unit_data_dir(), c->import);
		f = fopen(path, "rb");
		cr_assert_not_null(f, "%s", path);
		n = fread(data, 1, 1 << 20, f);
		fclose(f);
		cr_assert_eq(kk_holidays_import(s, data, n, &count, &err), KK_OK, "%s: %s", path, err.msg);
		free(data);
	}
	if (kk_day_parse(c->day0, &d) == 0)
		day0 = (int64_t)d * 86400 - 9 * 3600;
	else
		cr_assert_eq(kk_time_parse(c->day0, &day0), 0, "%s:%d: day0 %s", c->file, c->line, c->day0);
	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_calendar_load(&tx, &cal, &err), KK_OK, "%s", err.msg);
	kk_tx_end(&tx, KK_OK, NULL);
	kk_zone_format(kk_calendar_zone(cal), kk_calendar_publication(cal, day0), got);
	cr_expect_str_eq(got, c->expect, "%s:%d: day 0 %s: got %s, expected %s (%s)", c->file, c->line, c->day0, got,
			 c->expect, c->why);
	kk_calendar_free(cal);
	kk_store_close(s);
	kk_error_release(&err);
}

Test(calendar, publication_dates_as_data)
{
	char dir[PATH_MAX], path[PATH_MAX + 300], line[600];
	struct dirent **names;
	int files, cases = 0;

	snprintf(dir, sizeof(dir), "%s/calendar/publication", unit_data_dir());
	files = scandir(dir, &names, NULL, alphasort);
	cr_assert_gt(files, 0, "%s", dir);
	for (int i = 0; i < files; i++) {
		struct pcase c;
		FILE *f;
		int number = 0;

		if (!strstr(names[i]->d_name, ".txt")) {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		f = fopen(path, "r");
		cr_assert_not_null(f, "%s", path);
		memset(&c, 0, sizeof(c));
		for (int eof = 0; !eof;) {
			size_t n;

			eof = !fgets(line, sizeof(line), f);
			number++;
			n = eof ? 0 : strlen(line);
			while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				line[--n] = '\0';
			if (line[0] == '#')
				continue;
			if (!n || eof) {
				if (c.day0[0]) {
					cr_assert(c.expect[0] && c.why[0], "%s:%d: a case needs expect and why", path, c.line);
					run_case(&c);
					cases++;
				}
				memset(&c, 0, sizeof(c));
				continue;
			}
			if (!c.line) {
				c.line = number;
				snprintf(c.file, sizeof(c.file), "%s", names[i]->d_name);
			}
			if (strncmp(line, "day0: ", 6) == 0)
				snprintf(c.day0, sizeof(c.day0), "%s", line + 6);
			else if (strncmp(line, "set: ", 5) == 0 && c.nset < 8)
				snprintf(c.set[c.nset++], sizeof(c.set[0]), "%s", line + 5);
			else if (strncmp(line, "import: ", 8) == 0)
				snprintf(c.import, sizeof(c.import), "%s", line + 8);
			else if (strncmp(line, "expect: ", 8) == 0)
				snprintf(c.expect, sizeof(c.expect), "%s", line + 8);
			else if (strncmp(line, "why: ", 5) == 0)
				snprintf(c.why, sizeof(c.why), "%s", line + 5);
			else
				cr_assert_fail("%s:%d: what is \"%s\"?", path, number, line);
		}
		fclose(f);
		free(names[i]);
	}
	free(names);
	cr_assert_geq(cases, 20, "only %d cases ran", cases);
}

/* ---- business days ---- */

Test(calendar, business_days)
{
	struct kk_calendar *c;

	cr_assert_eq(kk_calendar_default(&c, NULL), KK_OK);
	/* Friday 2026-05-01, then the weekend and Golden Week to Thursday 05-07 */
	cr_assert(kk_calendar_business(c, kk_day_of(2026, 5, 1)));
	cr_assert(!kk_calendar_business(c, kk_day_of(2026, 5, 6)));
	cr_assert_eq(kk_calendar_next_business(c, kk_day_of(2026, 5, 2)), kk_day_of(2026, 5, 7));
	cr_assert_eq(kk_calendar_add_business(c, kk_day_of(2026, 5, 1), 1), kk_day_of(2026, 5, 7));
	cr_assert_eq(kk_calendar_add_business(c, kk_day_of(2026, 5, 1), 0), kk_day_of(2026, 5, 1));
	cr_assert_eq(kk_calendar_sub_business(c, kk_day_of(2026, 5, 7), 1), kk_day_of(2026, 5, 1));
	cr_assert_eq(kk_calendar_sub_business(c, kk_day_of(2027, 1, 4), 1), kk_day_of(2026, 12, 28),
		     "the closing days are not business days");
	cr_assert_eq(kk_calendar_business_between(c, kk_day_of(2026, 5, 1), kk_day_of(2026, 5, 8)), 2);
	cr_assert_eq(kk_calendar_business_between(c, kk_day_of(2026, 5, 8), kk_day_of(2026, 5, 1)), 0);
	/* 10 business days after Friday 2026-12-25: 12-28, then 01-04 .. 01-15 less 成人の日 01-11 */
	cr_assert_eq(kk_calendar_add_business(c, kk_day_of(2026, 12, 25), 10), kk_day_of(2027, 1, 15));
	cr_assert(kk_calendar_closing(c, kk_day_of(2027, 1, 3)));
	cr_assert(!kk_calendar_closing(c, kk_day_of(2027, 1, 4)));
	cr_assert_eq(kk_calendar_at(c, kk_day_of(2027, 2, 18)), 1802916000, "2027-02-18T11:00+09:00 is 02:00 UTC");
	kk_calendar_free(c);
}

/* ---- (c) closing days and bad settings ---- */

Test(calendar, closing_days_parse)
{
	int r[2 * KK_CLOSING_MAX];
	size_t n;

	cr_assert_eq(kk_calendar_parse_closing("12-29..01-03", r, &n), 0);
	cr_assert(n == 1 && r[0] == 1229 && r[1] == 103);
	cr_assert_eq(kk_calendar_parse_closing("", r, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(kk_calendar_parse_closing("08-13..08-16, 12-31,02-29", r, &n), 0);
	cr_assert(n == 3 && r[2] == 1231 && r[3] == 1231 && r[4] == 229);
	static const char *const bad[] = { "12-29..", "12-29...01-03", "13-01", "02-30", "12-29,", "12/29",
					   "12-29..01-03 x", "1-3", ",12-29" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_neq(kk_calendar_parse_closing(bad[i], r, &n), 0, "%s", bad[i]);
}

Test(calendar, bad_settings_are_named)
{
	struct kk_error err = KK_ERROR_INIT;
	static const char *const bad[][2] = {
		{ "closing_days", "12-32" },      { "publication_days", "-1" },  { "publication_days", "3651" },
		{ "publication_days", "4x" },     { "publication_time", "24:00" }, { "publication_time", "9:30" },
		{ "publication_zone", "Mars/Olympus" }, { "publication_zone", "Europe/London" },
		{ "clock_date_reminders", "7,x" }, { "clock_ack_days", "0" },   { "tracking_prefix", "ipa" },
		{ "base_url", "ftp://x" },
	};
	struct kk_store *s;
	struct kk_calendar *c = NULL;
	struct kk_tx tx;

	kk_i18n_init();
	kk_i18n_use(KK_LANG_EN);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kk_error_clear(&err);
		cr_assert_eq(kk_setting_check(bad[i][0], bad[i][1], &err), KK_EINVAL, "%s=%s", bad[i][0], bad[i][1]);
		cr_assert_not_null(json_object_get(err.fields, bad[i][0]), "%s names its key", bad[i][0]);
		cr_assert(strstr(err.msg, bad[i][0]) && strstr(err.msg, bad[i][1]), "%s", err.msg);
	}
	kk_error_clear(&err);
	cr_assert_eq(kk_setting_check("publication_dayz", "3", &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "publication_dayz"));
	cr_assert_eq(kk_setting_check("publication_time", "09:30", NULL), KK_OK);
	cr_assert_eq(kk_setting_check("closing_days", "", NULL), KK_OK);
	/* every known key's default is valid */
	for (size_t i = 0; kk_setting_key_at(i); i++)
		cr_assert_eq(kk_setting_check(kk_setting_key_at(i)->key, kk_setting_key_at(i)->def, NULL), KK_OK, "%s",
			     kk_setting_key_at(i)->key);

	/* a bad value in the table (set around the check) fails the load, named */
	s = unit_store(NULL);
	cr_assert_eq(kk_setting_set(s, "publication_time", "25:00", &err), KK_OK);
	kk_error_clear(&err);
	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK);
	cr_assert_eq(kk_calendar_load(&tx, &c, &err), KK_EINVAL);
	kk_tx_end(&tx, KK_OK, NULL);
	cr_assert_null(c);
	cr_assert_not_null(json_object_get(err.fields, "publication_time"));
	kk_store_close(s);
	kk_error_release(&err);
}

/* ---- (d) the import ---- */

static enum kk_result import_file(struct kk_store *s, const char *name, size_t *count, struct kk_error *err)
{
	char path[PATH_MAX], *data = kk_malloc(1 << 16);
	enum kk_result res;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/calendar/%s", unit_data_dir(), name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	n = fread(data, 1, 1 << 16, f);
	fclose(f);
	res = kk_holidays_import(s, data, n, count, err);
	free(data);
	return res;
}

static struct kk_calendar *load(struct kk_store *s)
{
	struct kk_calendar *c;
	struct kk_tx tx;

	cr_assert_eq(kk_tx_begin(s, 0, &tx, NULL), KK_OK);
	cr_assert_eq(kk_calendar_load(&tx, &c, NULL), KK_OK);
	kk_tx_end(&tx, KK_OK, NULL);
	return c;
}

Test(calendar, import_shift_jis_and_utf8)
{
	static const char *const files[] = { "syukujitsu-2027-sjis.csv", "syukujitsu-2027-utf8bom.csv" };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = unit_store(NULL);

	for (size_t i = 0; i < 2; i++) {
		struct kk_calendar *c;
		const char *name;
		size_t count;

		cr_assert_eq(import_file(s, files[i], &count, &err), KK_OK, "%s: %s", files[i], err.msg);
		cr_assert_eq(count, 6, "%s", files[i]);
		cr_assert_eq(unit_count(s, "SELECT count(*) FROM holidays", NULL), 6);
		c = load(s);
		cr_assert(kk_calendar_holiday(c, kk_day_of(2027, 1, 11), &name));
		cr_assert_str_eq(name, "成人の日", "%s: converted to UTF-8", files[i]);
		cr_assert(kk_calendar_holiday(c, kk_day_of(2027, 3, 22), &name));
		cr_assert_str_eq(name, "休日");
		/* the list alone decides 2027: 昭和の日 04-29 is not in it */
		cr_assert(!kk_calendar_holiday(c, kk_day_of(2027, 4, 29), NULL));
		cr_assert(kk_holiday_by_rule(kk_day_of(2027, 4, 29), NULL));
		/* 2026 is not in it: the rules decide */
		cr_assert(kk_calendar_holiday(c, kk_day_of(2026, 4, 29), &name));
		cr_assert_str_eq(name, "昭和の日");
		kk_calendar_free(c);
	}
	kk_store_close(s);
	kk_error_release(&err);
}

#define HEADER "国民の祝日・休日月日,国民の祝日・休日名称\n"
#define TWICE "2026/1/1,元日\n2026/1/1,元日\n"
#define NEITHER "2026/1/1,\x82\xa0\xff\xfe\n"

Test(calendar, import_bad_lines_named_nothing_stored)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = unit_store(NULL);
	size_t count = 99;

	cr_assert_eq(import_file(s, "list-2026.csv", &count, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(count, 18);
	cr_assert_eq(import_file(s, "bad-lines.csv", &count, &err), KK_EINVAL);
	cr_assert_eq(count, 0);
	cr_assert(strstr(err.msg, "Line 4") != NULL, "%s", err.msg);
	cr_assert(strstr(err.msg, "2027/2/30") != NULL, "%s", err.msg);
	cr_assert_not_null(json_object_get(err.fields, "line 4"));
	cr_assert_not_null(json_object_get(err.fields, "line 6"));
	cr_assert_null(json_object_get(err.fields, "line 5"));
	/* nothing stored: the earlier list is whole */
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM holidays", NULL), 18);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM holidays WHERE day = ?", "2026-07-06"), 1);

	kk_error_clear(&err);
	cr_assert_eq(kk_holidays_import(s, HEADER, strlen(HEADER), &count, &err), KK_EINVAL);
	cr_assert(strstr(err.msg, "no holidays") != NULL, "%s", err.msg);
	kk_error_clear(&err);
	cr_assert_eq(kk_holidays_import(s, TWICE, strlen(TWICE), &count, &err), KK_EINVAL);
	cr_assert(strstr(err.msg, "Line 2") && strstr(err.msg, "twice"), "%s", err.msg);
	kk_error_clear(&err);
	cr_assert_eq(kk_holidays_import(s, NEITHER, strlen(NEITHER), &count, &err), KK_EINVAL,
		     "neither UTF-8 nor Shift_JIS");
	cr_assert(strstr(err.msg, "Line 1") != NULL, "%s", err.msg);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM holidays", NULL), 18);
	kk_store_close(s);
	kk_error_release(&err);
}
