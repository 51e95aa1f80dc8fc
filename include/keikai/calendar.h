/*
 * calendar.h: Japan's calendar of business days (issue 10; SPEC 2.1 "work
 * happens on business days", 2.8, 8): the national holidays computed by rule
 * for any year, the organisation's closing days, and the administrator's
 * holiday list (the Cabinet Office's CSV), which wins over the rules for every
 * year it covers; and the proposed publication date (SPEC 2.8) under the
 * deployment's settings.
 *
 * A day is a civil date in Japan (the guideline's calendar), held as the number
 * of days since 1970-01-01 (kk_day), so arithmetic on days is plain integer
 * arithmetic and no time zone is involved until a day meets a time.
 */
#ifndef KEIKAI_CALENDAR_H
#define KEIKAI_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

typedef int32_t kk_day; /* days since 1970-01-01 */

/* The day of year-month-day (month 1-12, day 1-31), and back. */
kk_day kk_day_of(int year, int month, int mday);
void kk_day_ymd(kk_day d, int *year, int *month, int *mday);
/* 0 Sunday … 6 Saturday. */
int kk_day_weekday(kk_day d);
/* "2026-12-02" into buf (at least KK_DATE_LEN bytes, clock.h); parsing gives
 * 0 and *out for a valid calendar date, -1 otherwise. */
char *kk_day_format(kk_day d, char *buf);
int kk_day_parse(const char *s, kk_day *out);
/* The day (in Japan) of unix time t. */
kk_day kk_day_of_time(int64_t t);

/* A national holiday by rule (the Act on National Holidays as in force each
 * year, 1948 on): *name (may be NULL) gets its Japanese name as the npm
 * package @holiday-jp/holiday_jp writes it ("元日", "こどもの日 振替休日" for a
 * substitute holiday, "休日" for a citizens' holiday, …), static.
 * docs/internals/calendar.md has the rules. */
int kk_holiday_by_rule(kk_day d, const char **name);

/* The national holidays of year by rule, in order: fills days and names (each
 * may be NULL) up to max, returns how many there are. */
size_t kk_holidays_of_year(int year, kk_day *days, const char **names, size_t max);

/*
 * The calendar a deployment works by: the rules, its closing days and the
 * administrator's list. Loaded from the database (kk_calendar_load: the
 * holidays table and the settings below), or the rules alone with the default
 * closing days (kk_calendar_default).
 *
 * Settings (settings.h; each has the default shown):
 *   closing_days        "12-29..01-03"  the organisation's closing days, as
 *                                       MM-DD..MM-DD ranges separated by commas
 *                                       (a range may cross the new year), or ""
 *   publication_days    "45"            SPEC 2.8: day 0 + this many days
 *   publication_time    "11:00"         the time of day of a publication
 *   publication_zone    "Asia/Tokyo"    its zone (a fixed-offset zone, clock.h)
 */
struct kk_calendar;

#define KK_CLOSING_DAYS_DEFAULT "12-29..01-03"
#define KK_PUBLICATION_DAYS_DEFAULT 45
#define KK_PUBLICATION_TIME_DEFAULT "11:00"
#define KK_PUBLICATION_ZONE_DEFAULT "Asia/Tokyo"

/* A setting that does not parse is KK_EINVAL with a field named after its key
 * (the settings table is changed only through `keikai settings set`, which
 * checks every value, so this means a hand-edited database). */
enum kk_result kk_calendar_load(struct kk_tx *tx, struct kk_calendar **out, struct kk_error *err);
enum kk_result kk_calendar_default(struct kk_calendar **out, struct kk_error *err);
void kk_calendar_free(struct kk_calendar *c);

/* The parsers of the calendar's settings (settings_keys.c validates with
 * them): 0 when s is valid. closing_days: "" or MM-DD..MM-DD (or a single
 * MM-DD) separated by commas, at most KK_CLOSING_MAX ranges, each day a day of
 * a leap year; publication_days: 0..3650; publication_time: HH:MM, 00:00 to
 * 23:59; publication_zone: a name kk_zone_find knows. */
#define KK_CLOSING_MAX 32
int kk_calendar_parse_closing(const char *s, int *ranges, size_t *n);
int kk_calendar_parse_days(const char *s, int *days);
int kk_calendar_parse_time(const char *s, int *minutes);

/* Whether d is one of the organisation's closing days under c. */
int kk_calendar_closing(const struct kk_calendar *c, kk_day d);

/* Whether d is a holiday under c (the list for a year it covers, else the
 * rules); *name as kk_holiday_by_rule (the list's name for a listed day). */
int kk_calendar_holiday(const struct kk_calendar *c, kk_day d, const char **name);
/* Whether d is a business day: not Saturday or Sunday, not a holiday, not a
 * closing day. */
int kk_calendar_business(const struct kk_calendar *c, kk_day d);
/* d itself when it is a business day, else the next one. */
kk_day kk_calendar_next_business(const struct kk_calendar *c, kk_day d);
/* The business day n business days after d (n >= 0; d need not be one:
 * n = 0 gives kk_calendar_next_business(d)), and n business days before d
 * (kk_calendar_sub_business; the latest business day before d for n = 1). */
kk_day kk_calendar_add_business(const struct kk_calendar *c, kk_day d, int n);
kk_day kk_calendar_sub_business(const struct kk_calendar *c, kk_day d, int n);
/* How many business days lie after `from` up to and including `to` (0 when
 * to <= from). */
int kk_calendar_business_between(const struct kk_calendar *c, kk_day from, kk_day to);

/* SPEC 2.8: the proposed publication time for a case whose day 0 is at
 * unix time day0: the day (in Japan) of day0 + publication_days days, moved
 * forward to a business day, at publication_time in publication_zone. */
int64_t kk_calendar_publication(const struct kk_calendar *c, int64_t day0);
/* The zone publications are made in (clock.h). */
const struct kk_zone *kk_calendar_zone(const struct kk_calendar *c);
/* The time at hh:mm in the calendar's publication zone on day d (a date the
 * coordinator chose: "2027-02-18" at the organisation's hour). */
int64_t kk_calendar_at(const struct kk_calendar *c, kk_day d);

/*
 * `keikai holidays import FILE`: replaces the administrator's list with the
 * Cabinet Office's CSV (syukujitsu.csv: a header line, then "YYYY/M/D,名称"
 * a line; Shift_JIS as published, or UTF-8), in one transaction: every year
 * the file names is from then on the list's alone. A malformed line is
 * KK_EINVAL naming its line number and what is wrong, and nothing is stored.
 * *count gets the number of days stored.
 */
enum kk_result kk_holidays_import(struct kk_store *s, const char *data, size_t size, size_t *count,
				  struct kk_error *err);

#endif
