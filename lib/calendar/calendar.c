/*
 * calendar.c: the calendar a deployment works by (calendar.h; SPEC 2.8, 8):
 * the national holidays (holidays.c, or the administrator's list for every
 * year the list covers: the list alone decides that year), the organisation's
 * closing days, business days, and the proposed publication time.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/calendar.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/settings.h"
#include "store/holidays.h"

struct listed {
	kk_day day;
	char *name;
};

struct kk_calendar {
	/* closing days: pairs of MM*100+DD, start and end (end < start crosses
	 * the new year) */
	int closing[2 * KK_CLOSING_MAX];
	size_t nclosing;
	/* the administrator's list, by day, and the years it covers */
	struct listed *list;
	size_t nlist;
	int *years;
	size_t nyears;
	int publication_days;
	int publication_minutes; /* after midnight */
	const struct kk_zone *zone;
};

/* ---- the settings' parsers ---- */

static int two_digits(const char *s, int *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

/* MM-DD at s (5 characters) as MM*100+DD, any day of a leap year. */
static int month_day(const char *s, int *md)
{
	static const int last[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int m, d;

	if (two_digits(s, &m) || s[2] != '-' || two_digits(s + 3, &d) || m < 1 || m > 12 || d < 1 ||
	    d > last[m - 1])
		return -1;
	*md = m * 100 + d;
	return 0;
}

int kk_calendar_parse_closing(const char *s, int *ranges, size_t *n)
{
	size_t count = 0;

	while (*s == ' ')
		s++;
	while (*s) {
		int a, b;

		if (count == KK_CLOSING_MAX || month_day(s, &a))
			return -1;
		s += 5;
		b = a;
		if (s[0] == '.' && s[1] == '.') {
			if (month_day(s + 2, &b))
				return -1;
			s += 7;
		}
		ranges[2 * count] = a;
		ranges[2 * count + 1] = b;
		count++;
		while (*s == ' ')
			s++;
		if (*s == ',') {
			s++;
			while (*s == ' ')
				s++;
			if (!*s)
				return -1;
		} else if (*s) {
			return -1;
		}
	}
	*n = count;
	return 0;
}

int kk_calendar_parse_days(const char *s, int *days)
{
	int v = 0;

	if (!*s || strlen(s) > 4)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (v > 3650)
		return -1;
	*days = v;
	return 0;
}

int kk_calendar_parse_time(const char *s, int *minutes)
{
	int h, m;

	if (strlen(s) != 5 || two_digits(s, &h) || s[2] != ':' || two_digits(s + 3, &m) || h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

/* ---- loading ---- */

static struct kk_calendar *calendar_new(void)
{
	struct kk_calendar *c = kk_calloc(1, sizeof(*c));
	int minutes;

	if (!c)
		return NULL;
	kk_calendar_parse_closing(KK_CLOSING_DAYS_DEFAULT, c->closing, &c->nclosing);
	kk_calendar_parse_time(KK_PUBLICATION_TIME_DEFAULT, &minutes);
	c->publication_minutes = minutes;
	c->publication_days = KK_PUBLICATION_DAYS_DEFAULT;
	c->zone = kk_zone_find(KK_PUBLICATION_ZONE_DEFAULT);
	return c;
}

enum kk_result kk_calendar_default(struct kk_calendar **out, struct kk_error *err)
{
	*out = calendar_new();
	return *out ? KK_OK : kk_error_nomem(err);
}

void kk_calendar_free(struct kk_calendar *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nlist; i++)
		free(c->list[i].name);
	free(c->list);
	free(c->years);
	free(c);
}

/* Reads the calendar's settings into c; a bad value is a field error named
 * after its key. */
static enum kk_result load_settings(struct kk_tx *tx, struct kk_calendar *c, struct kk_error *err)
{
	static const char *const keys[4] = { "closing_days", "publication_days", "publication_time",
					     "publication_zone" };
	static const char *const defs[4] = { KK_CLOSING_DAYS_DEFAULT, "45", KK_PUBLICATION_TIME_DEFAULT,
					     KK_PUBLICATION_ZONE_DEFAULT };
	enum kk_result res = KK_OK;

	for (int i = 0; i < 4 && res != KK_ENOMEM && res != KK_EDB && res != KK_EUNAVAILABLE; i++) {
		char *v;
		int bad = 0;
		enum kk_result r = kk_setting_read(tx, keys[i], defs[i], &v, err);

		if (r)
			return r;
		switch (i) {
		case 0: bad = kk_calendar_parse_closing(v, c->closing, &c->nclosing); break;
		case 1: bad = kk_calendar_parse_days(v, &c->publication_days); break;
		case 2: bad = kk_calendar_parse_time(v, &c->publication_minutes); break;
		default: bad = !(c->zone = kk_zone_find(v)); break;
		}
		if (bad)
			res = kk_error_field(err, keys[i], _("The setting %s has a value keikai cannot use: \"%s\"."),
					     keys[i], v);
		free(v);
	}
	return res;
}

static enum kk_result add_year(struct kk_calendar *c, int y)
{
	int *grown;

	if (c->nyears && c->years[c->nyears - 1] == y)
		return KK_OK;
	grown = kk_realloc(c->years, (c->nyears + 1) * sizeof(*grown));
	if (!grown)
		return KK_ENOMEM;
	c->years = grown;
	c->years[c->nyears++] = y;
	return KK_OK;
}

static enum kk_result add_listed(void *arg, const char *day, const char *name, struct kk_error *err)
{
	struct kk_calendar *c = arg;
	kk_day d;
	int y;

	if (kk_day_parse(day, &d))
		return KK_OK; /* only kk_holidays_import writes the table */
	if ((c->nlist & (c->nlist - 1)) == 0 || c->nlist == 0) {
		size_t cap = c->nlist ? 2 * c->nlist : 1;
		struct listed *grown = kk_realloc(c->list, cap * sizeof(*grown));

		if (!grown)
			return kk_error_nomem(err);
		c->list = grown;
	}
	if (!(c->list[c->nlist].name = kk_strdup(name)))
		return kk_error_nomem(err);
	c->list[c->nlist++].day = d;
	kk_day_ymd(d, &y, NULL, NULL);
	return add_year(c, y) ? kk_error_nomem(err) : KK_OK;
}

static enum kk_result load_list(struct kk_tx *tx, struct kk_calendar *c, struct kk_error *err)
{
	return kk_holiday_rows_each(tx, add_listed, c, err);
}

enum kk_result kk_calendar_load(struct kk_tx *tx, struct kk_calendar **out, struct kk_error *err)
{
	struct kk_calendar *c = calendar_new();
	enum kk_result res;

	*out = NULL;
	if (!c)
		return kk_error_nomem(err);
	res = load_settings(tx, c, err);
	if (!res)
		res = load_list(tx, c, err);
	if (res) {
		kk_calendar_free(c);
		return res;
	}
	*out = c;
	return KK_OK;
}

/* ---- days ---- */

static int covered(const struct kk_calendar *c, int year)
{
	for (size_t i = 0; i < c->nyears; i++)
		if (c->years[i] == year)
			return 1;
	return 0;
}

int kk_calendar_holiday(const struct kk_calendar *c, kk_day d, const char **name)
{
	int y;
	size_t lo = 0, hi;

	kk_day_ymd(d, &y, NULL, NULL);
	if (!c || !covered(c, y))
		return kk_holiday_by_rule(d, name);
	hi = c->nlist;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c->list[mid].day < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nlist && c->list[lo].day == d) {
		if (name)
			*name = c->list[lo].name;
		return 1;
	}
	if (name)
		*name = NULL;
	return 0;
}

int kk_calendar_closing(const struct kk_calendar *c, kk_day d)
{
	int m, md;

	kk_day_ymd(d, NULL, &m, &md);
	md += m * 100;
	for (size_t i = 0; i < c->nclosing; i++) {
		int a = c->closing[2 * i], b = c->closing[2 * i + 1];

		if (a <= b ? md >= a && md <= b : md >= a || md <= b)
			return 1;
	}
	return 0;
}

int kk_calendar_business(const struct kk_calendar *c, kk_day d)
{
	int w = kk_day_weekday(d);

	return w != 0 && w != 6 && !kk_calendar_holiday(c, d, NULL) && !kk_calendar_closing(c, d);
}

/* A closing_days setting can close every day of the year; then no day is a
 * business day and the search gives up after ten years, at the day it began. */
#define SEARCH_LIMIT 3660

kk_day kk_calendar_next_business(const struct kk_calendar *c, kk_day d)
{
	for (int i = 0; i < SEARCH_LIMIT; i++)
		if (kk_calendar_business(c, d + i))
			return d + i;
	return d;
}

kk_day kk_calendar_add_business(const struct kk_calendar *c, kk_day d, int n)
{
	kk_day k = kk_calendar_next_business(c, d);

	while (n-- > 0)
		k = kk_calendar_next_business(c, k + 1);
	return k;
}

kk_day kk_calendar_sub_business(const struct kk_calendar *c, kk_day d, int n)
{
	kk_day k = d;

	while (n-- > 0) {
		int i = 1;

		while (i < SEARCH_LIMIT && !kk_calendar_business(c, k - i))
			i++;
		k -= i;
	}
	return k;
}

int kk_calendar_business_between(const struct kk_calendar *c, kk_day from, kk_day to)
{
	int n = 0;

	for (kk_day d = from + 1; d <= to; d++)
		n += kk_calendar_business(c, d);
	return n;
}

/* ---- publication (SPEC 2.8) ---- */

const struct kk_zone *kk_calendar_zone(const struct kk_calendar *c)
{
	return c->zone;
}

int64_t kk_calendar_at(const struct kk_calendar *c, kk_day d)
{
	return (int64_t)d * 86400 + (int64_t)c->publication_minutes * 60 - c->zone->utc_offset;
}

int64_t kk_calendar_publication(const struct kk_calendar *c, int64_t day0)
{
	return kk_calendar_at(c, kk_calendar_next_business(c, kk_day_of_time(day0) + c->publication_days));
}
