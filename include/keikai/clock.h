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

/* The current time: real time, shifted by whatever kk_clock_set() asked for. */
int64_t kk_now(void);

/*
 * Makes kk_now() return `at` now and run forward from there in real time.
 * Pass 0 to go back to real time. Thread-safe.
 */
void kk_clock_set(int64_t at);

/* Reads KEIKAI_NOW (ISO 8601, e.g. 2026-01-05T09:00:00Z) and sets the clock from it. */
void kk_clock_from_env(void);

/* Formats t as 2026-01-05T09:00:00Z into buf (at least KK_TIME_LEN bytes). Returns buf. */
#define KK_TIME_LEN 21
char *kk_time_format(int64_t t, char *buf);

/* Formats the date of t (UTC+9, the guideline's calendar) as 2026-01-05. */
#define KK_DATE_LEN 11
char *kk_date_format(int64_t t, char *buf);

/* Parses 2026-01-05T09:00:00Z (or a date alone, at midnight UTC). 0 on success. */
int kk_time_parse(const char *s, int64_t *out);

#endif
