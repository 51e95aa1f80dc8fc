/*
 * clock.h: the one clock of the core. Every timestamp and every deadline reads it,
 * so a test can set the time and see deadlines pass.
 *
 * Times are whole seconds since the Unix epoch, UTC.
 */
#ifndef KEIKAI_CLOCK_H
#define KEIKAI_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/i18n.h"

/* The current time: real time, shifted by whatever kk_clock_set() asked for. */
int64_t kk_now(void);

/*
 * Makes kk_now() return `at` now and run forward from there in real time.
 * Pass 0 to go back to real time. Thread-safe.
 */
void kk_clock_set(int64_t at);

/*
 * Makes kk_now() return `at` and stay there until the next kk_clock_set() or
 * kk_clock_freeze(); 0 lets it run again. For tests that count seconds exactly
 * (throttling delays). Thread-safe.
 */
void kk_clock_freeze(int64_t at);

/* Reads KEIKAI_NOW (ISO 8601, e.g. 2026-01-05T09:00:00Z) and sets the clock from
 * it; with KEIKAI_NOW_FROZEN=1 too, the clock stays at that instant (tests that
 * count seconds across processes: sign-in delays). */
void kk_clock_from_env(void);

/* Formats t as 2026-01-05T09:00:00Z into buf (at least KK_TIME_LEN bytes). Returns buf. */
#define KK_TIME_LEN 21
char *kk_time_format(int64_t t, char *buf);

/* Formats the date of t (UTC+9, the guideline's calendar) as 2026-01-05. */
#define KK_DATE_LEN 11
char *kk_date_format(int64_t t, char *buf);

/* A time zone at a fixed offset from UTC (no daylight saving time), for
 * writing times to people. */
struct kk_zone {
	const char *name;   /* "Asia/Tokyo" */
	int utc_offset;     /* seconds east of UTC */
	const char *abbrev; /* "JST" */
};

/* Japan: the guideline's calendar (SPEC 8), and the zone of a reader whose zone
 * is not known. */
extern const struct kk_zone kk_zone_tokyo;

/* A zone by its IANA name ("Asia/Tokyo", "UTC", "Asia/Seoul", …) from the
 * small table of zones without daylight saving time that keikai knows
 * (lib/clock.c), or NULL. kk_zone_at(i) is the i-th of that table (NULL past
 * its end), for listing them. */
const struct kk_zone *kk_zone_find(const char *name);
const struct kk_zone *kk_zone_at(size_t i);

/* Formats t as the local time in zone z to the minute with its offset:
 * "2027-01-18T11:00+09:00" (ISO 8601; `keikai calendar publication-date`).
 * buf holds at least KK_ZONE_TIME_LEN bytes. Returns buf. */
#define KK_ZONE_TIME_LEN 24
char *kk_zone_format(const struct kk_zone *z, int64_t t, char *buf);

/* Formats t for a person reading lang, in zone z (NULL: kk_zone_tokyo):
 * "2026年12月2日 07:04" in Japanese (the zone's abbreviation follows in
 * parentheses unless it is Japan's) or "2 December 2026 07:04 (JST)" in English.
 * buf holds at least KK_TIME_TEXT_LEN bytes. Returns buf. */
#define KK_TIME_TEXT_LEN 64
char *kk_time_text(int64_t t, enum kk_lang lang, const struct kk_zone *z, char *buf);

/* Parses 2026-01-05T09:00:00Z (or a date alone, at midnight UTC). 0 on success. */
int kk_time_parse(const char *s, int64_t *out);

#endif
