/*
 * clock.c: the core's one clock (clock.h). Real time plus an offset that tests
 * (and KEIKAI_NOW) set; every timestamp keikai writes comes from kk_now().
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keikai/clock.h"
#include "keikai/util.h"

static _Atomic int64_t offset;

static int64_t real_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t kk_now(void)
{
	return real_now() + atomic_load(&offset);
}

void kk_clock_set(int64_t at)
{
	atomic_store(&offset, at ? at - real_now() : 0);
}

void kk_clock_from_env(void)
{
	const char *s = getenv("KEIKAI_NOW");
	int64_t t;

	if (s && *s && kk_time_parse(s, &t) == 0)
		kk_clock_set(t);
}

char *kk_time_format(int64_t t, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, KK_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

char *kk_date_format(int64_t t, char *buf)
{
	time_t tt = (time_t)(t + 9 * 3600); /* Japan Standard Time, no DST */
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, KK_DATE_LEN, "%Y-%m-%d", &tm);
	return buf;
}

int kk_time_parse(const char *s, int64_t *out)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, "%Y-%m-%d", &tm);
		if (!end || *end)
			return -1;
	}
	*out = (int64_t)timegm(&tm);
	return 0;
}
