/* Unit tests of lib/clock.c: the settable clock every deadline reads, and how times are written. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "keikai/clock.h"

Test(clock, can_be_set_and_runs_forward)
{
	int64_t t;

	cr_assert_eq(kk_time_parse("2026-01-05T09:00:00Z", &t), 0);
	kk_clock_set(t);
	cr_assert_geq(kk_now(), t);
	cr_assert_lt(kk_now(), t + 5);
	kk_clock_set(0);
	cr_assert_gt(kk_now(), t + 24 * 3600 * 300, "back to real time (after 2026-11)");
}

Test(clock, reads_keikai_now)
{
	setenv("KEIKAI_NOW", "2030-02-03T04:05:06Z", 1);
	kk_clock_from_env();
	cr_assert_geq(kk_now(), 1896321906);
	cr_assert_lt(kk_now(), 1896321906 + 5);
	kk_clock_set(0);
}

Test(clock, formats_utc_and_japanese_dates)
{
	char buf[KK_TIME_LEN], day[KK_DATE_LEN];
	int64_t t;

	cr_assert_eq(kk_time_parse("2026-03-31T20:00:00Z", &t), 0);
	cr_assert_str_eq(kk_time_format(t, buf), "2026-03-31T20:00:00Z");
	/* 20:00 UTC is 05:00 the next day in Japan */
	cr_assert_str_eq(kk_date_format(t, day), "2026-04-01");
	cr_assert_neq(kk_time_parse("2026-13-01T00:00:00Z", &t), 0);
	cr_assert_neq(kk_time_parse("yesterday", &t), 0);
}

/* Times written for people: in a zone (Japan's unless another is given), in
 * the reader's language, to the minute. */
Test(clock, writes_times_for_people)
{
	static const struct kk_zone utc = { "UTC", 0, "UTC" };
	char buf[KK_TIME_TEXT_LEN];
	int64_t t;

	cr_assert_eq(kk_time_parse("2026-12-01T22:04:05Z", &t), 0);
	cr_assert_str_eq(kk_time_text(t, KK_LANG_JA, &kk_zone_tokyo, buf), "2026年12月2日 07:04");
	cr_assert_str_eq(kk_time_text(t, KK_LANG_EN, &kk_zone_tokyo, buf), "2 December 2026 07:04 (JST)");
	cr_assert_str_eq(kk_time_text(t, KK_LANG_EN, NULL, buf), "2 December 2026 07:04 (JST)", "Japan's by default");
	cr_assert_str_eq(kk_time_text(t, KK_LANG_JA, &utc, buf), "2026年12月1日 22:04 (UTC)");
	cr_assert_str_eq(kk_time_text(t, KK_LANG_EN, &utc, buf), "1 December 2026 22:04 (UTC)");
	/* 15:00 UTC on New Year's Eve is already the next year in Japan */
	cr_assert_eq(kk_time_parse("2026-12-31T15:00:00Z", &t), 0);
	cr_assert_str_eq(kk_time_text(t, KK_LANG_JA, NULL, buf), "2027年1月1日 00:00");
	cr_assert_str_eq(kk_time_text(t, KK_LANG_EN, NULL, buf), "1 January 2027 00:00 (JST)");
}
