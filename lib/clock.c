/*
 * clock.c: the core's one clock (clock.h). Real time plus an offset that tests
 * (and KEIKAI_NOW) set; every timestamp keikai writes comes from kk_now(). Also
 * how a time is written: for machines (ISO 8601, UTC) and for people (in a
 * zone, in their language).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keikai/clock.h"
#include "keikai/util.h"

static _Atomic int64_t offset;
static _Atomic int64_t frozen; /* kk_clock_freeze's time, or 0 */

static int64_t real_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t kk_now(void)
{
	int64_t f = atomic_load(&frozen);

	return f ? f : real_now() + atomic_load(&offset);
}

void kk_clock_set(int64_t at)
{
	atomic_store(&offset, at ? at - real_now() : 0);
	atomic_store(&frozen, 0);
}

void kk_clock_freeze(int64_t at)
{
	atomic_store(&frozen, at);
}

void kk_clock_from_env(void)
{
	const char *s = getenv("KEIKAI_NOW"), *frozen_env = getenv("KEIKAI_NOW_FROZEN");
	int64_t t;

	if (s && *s && kk_time_parse(s, &t) == 0) {
		kk_clock_set(t);
		if (frozen_env && strcmp(frozen_env, "1") == 0)
			kk_clock_freeze(t);
	}
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

const struct kk_zone kk_zone_tokyo = { "Asia/Tokyo", 9 * 3600, "JST" };

/* Zones that keep one offset all year (no daylight saving time now), for the
 * publication zone setting (calendar.h) and readers' zones. */
static const struct kk_zone zones[] = {
	{ "UTC", 0, "UTC" },
	{ "Asia/Seoul", 9 * 3600, "KST" },
	{ "Asia/Shanghai", 8 * 3600, "CST" },
	{ "Asia/Taipei", 8 * 3600, "CST" },
	{ "Asia/Singapore", 8 * 3600, "SGT" },
	{ "Asia/Kolkata", 5 * 3600 + 1800, "IST" },
	{ "Asia/Bangkok", 7 * 3600, "ICT" },
	{ "Asia/Ho_Chi_Minh", 7 * 3600, "ICT" },
};

const struct kk_zone *kk_zone_at(size_t i)
{
	if (i == 0)
		return &kk_zone_tokyo;
	return i - 1 < sizeof(zones) / sizeof(zones[0]) ? &zones[i - 1] : NULL;
}

const struct kk_zone *kk_zone_find(const char *name)
{
	const struct kk_zone *z;

	for (size_t i = 0; name && (z = kk_zone_at(i)); i++)
		if (strcmp(z->name, name) == 0)
			return z;
	return NULL;
}

char *kk_time_text(int64_t t, enum kk_lang lang, const struct kk_zone *z, char *buf)
{
	/* English month names are the English way of writing a date, like the
	 * Japanese 年月日; neither is a message to translate. */
	static const char *const months[12] = { "January", "February", "March",     "April",   "May",      "June",
						"July",    "August",   "September", "October", "November", "December" };
	time_t tt;
	struct tm tm;

	if (!z)
		z = &kk_zone_tokyo;
	tt = (time_t)(t + z->utc_offset);
	if (!gmtime_r(&tt, &tm)) {
		buf[0] = '\0';
		return buf;
	}
	if (lang == KK_LANG_EN)
		snprintf(buf, KK_TIME_TEXT_LEN, "%d %s %d %02d:%02d (%s)", tm.tm_mday, months[tm.tm_mon],
			 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, z->abbrev);
	else if (z == &kk_zone_tokyo)
		snprintf(buf, KK_TIME_TEXT_LEN, "%d年%d月%d日 %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min);
	else
		snprintf(buf, KK_TIME_TEXT_LEN, "%d年%d月%d日 %02d:%02d (%s)", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, z->abbrev);
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

char *kk_zone_format(const struct kk_zone *z, int64_t t, char *buf)
{
	time_t tt = (time_t)(t + z->utc_offset);
	int off = z->utc_offset < 0 ? -z->utc_offset : z->utc_offset;
	struct tm tm;

	if (!gmtime_r(&tt, &tm)) {
		buf[0] = '\0';
		return buf;
	}
	snprintf(buf, KK_ZONE_TIME_LEN, "%04d-%02d-%02dT%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, z->utc_offset < 0 ? '-' : '+', off / 3600, off % 3600 / 60);
	return buf;
}
