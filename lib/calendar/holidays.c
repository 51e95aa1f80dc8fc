/*
 * holidays.c: Japan's national holidays by rule (calendar.h; issue 10
 * capability 1): the Act on National Holidays (国民の祝日に関する法律, in
 * force from 1948-07-20) as amended, year by year, with the special laws
 * (1959, 1989, 1990, 1993, 2019 and the Olympic years 2020 and 2021).
 *
 * Names are written as the npm package @holiday-jp/holiday_jp writes them
 * (the oracle of tests/unit/test_calendar.c): a substitute holiday is
 * "<the holiday's name> 振替休日", a citizens' holiday "休日".
 *
 * Also the civil-date arithmetic of kk_day (days since 1970-01-01).
 */
#include <stdio.h>
#include <string.h>

#include "keikai/calendar.h"
#include "keikai/clock.h"

/* ---- days ---- */

/* Days from civil (proleptic Gregorian), H. Hinnant's algorithm. */
kk_day kk_day_of(int year, int month, int mday)
{
	int y = year - (month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (kk_day)(era * 146097 + doe - 719468);
}

void kk_day_ymd(kk_day d, int *year, int *month, int *mday)
{
	int z = d + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int m = mp < 10 ? mp + 3 : mp - 9;

	if (year)
		*year = yoe + era * 400 + (m <= 2);
	if (month)
		*month = m;
	if (mday)
		*mday = doy - (153 * mp + 2) / 5 + 1;
}

int kk_day_weekday(kk_day d)
{
	/* 1970-01-01 was a Thursday (4) */
	int w = (int)((d + 4) % 7);

	return w < 0 ? w + 7 : w;
}

char *kk_day_format(kk_day d, char *buf)
{
	int y, m, md;

	kk_day_ymd(d, &y, &m, &md);
	snprintf(buf, KK_DATE_LEN, "%04d-%02d-%02d", y % 10000, m, md);
	return buf;
}

static int days_in_month(int y, int m)
{
	static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : n[m - 1];
}

int kk_day_parse(const char *s, kk_day *out)
{
	int v[3] = { 0, 0, 0 };
	static const int len[3] = { 4, 2, 2 };

	for (int part = 0; part < 3; part++) {
		for (int i = 0; i < len[part]; i++, s++) {
			if (*s < '0' || *s > '9')
				return -1;
			v[part] = v[part] * 10 + (*s - '0');
		}
		if (*s != (part < 2 ? '-' : '\0'))
			return -1;
		s += part < 2;
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
		return -1;
	*out = kk_day_of(v[0], v[1], v[2]);
	return 0;
}

kk_day kk_day_of_time(int64_t t)
{
	int64_t s = t + 9 * 3600; /* Japan Standard Time, no DST */

	return (kk_day)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
}

/* ---- the rules ---- */

/* The n-th Monday of month m of year y. */
static int nth_monday(int y, int m, int n)
{
	int w = kk_day_weekday(kk_day_of(y, m, 1));

	return 1 + (8 - w) % 7 + 7 * (n - 1);
}

/*
 * The equinox days by the usual formula from the astronomical constants
 * (the Cabinet Office announces each year's from the National Astronomical
 * Observatory's ephemeris; the formula agrees with it from 1900 to 2150).
 * Past 2150 the 2100-2150 constants are extended.
 */
static int vernal_day(int y)
{
	double base = y < 1980 ? 20.8357 : y < 2100 ? 20.8431 : 21.8510;
	int shift = y < 1980 ? (y - 1983) / 4 : (y - 1980) / 4; /* C truncates, as the formula means */

	return (int)(base + 0.242194 * (y - 1980) - shift);
}

static int autumnal_day(int y)
{
	double base = y < 1980 ? 23.2588 : y < 2100 ? 23.2488 : 24.2488;
	int shift = y < 1980 ? (y - 1983) / 4 : (y - 1980) / 4;

	return (int)(base + 0.242194 * (y - 1980) - shift);
}

/* A holiday's name and the name of its substitute (as the oracle writes it). */
struct named {
	const char *name, *substitute;
};
#define H(n) { n, n " 振替休日" }
static const struct named
	NEW_YEAR = H("元日"), COMING_OF_AGE = H("成人の日"), FOUNDATION = H("建国記念の日"),
	EMPEROR = H("天皇誕生日"), VERNAL = H("春分の日"), SHOWA = H("昭和の日"), GREENERY = H("みどりの日"),
	CONSTITUTION = H("憲法記念日"), CHILDREN = H("こどもの日"), MARINE = H("海の日"), MOUNTAIN = H("山の日"),
	AGED = H("敬老の日"), AUTUMNAL = H("秋分の日"), SPORTS_OLD = H("体育の日"),
	SPORTS_2019 = H("体育の日（スポーツの日）"), SPORTS = H("スポーツの日"), CULTURE = H("文化の日"),
	LABOUR = H("勤労感謝の日"), WEDDING = H("結婚の儀"), FUNERAL = H("大喪の礼"),
	ENTHRONEMENT_1990 = H("即位礼正殿の儀"), TREATED = H("休日（祝日扱い）");
#undef H
static const char CITIZENS[] = "休日";

/* The holidays the law names for a day (not substitutes, not citizens'
 * holidays), as in force that year; NULL when none. */
static const struct named *named_holiday(kk_day d)
{
	int y, m, md;

	if (d < kk_day_of(1948, 7, 20))
		return NULL;
	kk_day_ymd(d, &y, &m, &md);
	switch (m) {
	case 1:
		if (md == 1)
			return &NEW_YEAR;
		if (md == (y < 2000 ? 15 : nth_monday(y, 1, 2)))
			return &COMING_OF_AGE;
		break;
	case 2:
		if (md == 11 && y >= 1967)
			return &FOUNDATION;
		if (md == 23 && y >= 2020)
			return &EMPEROR;
		if (md == 24 && y == 1989)
			return &FUNERAL; /* 昭和天皇の大喪の礼 */
		break;
	case 3:
		if (md == vernal_day(y))
			return &VERNAL;
		break;
	case 4:
		if (md == 29)
			return y <= 1988 ? &EMPEROR : y <= 2006 ? &GREENERY : &SHOWA;
		if (md == 10 && y == 1959)
			return &WEDDING; /* 皇太子明仁親王の結婚の儀 */
		break;
	case 5:
		if (md == 3)
			return &CONSTITUTION;
		if (md == 4 && y >= 2007)
			return &GREENERY;
		if (md == 5)
			return &CHILDREN;
		if (md == 1 && y == 2019)
			return &TREATED; /* 天皇の即位の日 */
		break;
	case 6:
		if (md == 9 && y == 1993)
			return &WEDDING; /* 皇太子徳仁親王の結婚の儀 */
		break;
	case 7:
		if (y == 2020)
			return md == 23 ? &MARINE : md == 24 ? &SPORTS : NULL;
		if (y == 2021)
			return md == 22 ? &MARINE : md == 23 ? &SPORTS : NULL;
		if (y >= 1996 && md == (y < 2003 ? 20 : nth_monday(y, 7, 3)))
			return &MARINE;
		break;
	case 8:
		if (y == 2020)
			return md == 10 ? &MOUNTAIN : NULL;
		if (y == 2021)
			return md == 8 ? &MOUNTAIN : NULL;
		if (y >= 2016 && md == 11)
			return &MOUNTAIN;
		break;
	case 9:
		if (y >= 1966 && md == (y < 2003 ? 15 : nth_monday(y, 9, 3)))
			return &AGED;
		if (md == autumnal_day(y))
			return &AUTUMNAL;
		break;
	case 10:
		if (y == 2020 || y == 2021)
			break; /* moved to July for the Olympic Games */
		if (y >= 1966 && md == (y < 2000 ? 10 : nth_monday(y, 10, 2)))
			return y < 2019 ? &SPORTS_OLD : y == 2019 ? &SPORTS_2019 : &SPORTS;
		if (md == 22 && y == 2019)
			return &TREATED; /* 即位礼正殿の儀 */
		break;
	case 11:
		if (md == 3)
			return &CULTURE;
		if (md == 23)
			return &LABOUR;
		if (md == 12 && y == 1990)
			return &ENTHRONEMENT_1990;
		break;
	case 12:
		if (md == 23 && y >= 1989 && y <= 2018)
			return &EMPEROR;
		break;
	}
	return NULL;
}

/*
 * 振替休日 (Article 3(2)): from 1973-04-12 a holiday on a Sunday makes the
 * next day a holiday; from 2007 the next day that is not a holiday. The name
 * is that of the holiday just before it; the oracle writes a few otherwise.
 */
static const char *substitute(kk_day d)
{
	static const struct {
		int y, m, md;
		const char *name;
	} differently[] = {
		{ 2020, 5, 6, "憲法記念日 振替休日" },
	};
	int y, m, md, found = 0;

	if (d - 1 < kk_day_of(1973, 4, 12))
		return NULL;
	if (d < kk_day_of(2007, 1, 1))
		found = named_holiday(d - 1) && kk_day_weekday(d - 1) == 0;
	else
		for (kk_day k = d - 1; !found && named_holiday(k); k--)
			found = kk_day_weekday(k) == 0;
	if (!found)
		return NULL;
	kk_day_ymd(d, &y, &m, &md);
	for (size_t i = 0; i < sizeof(differently) / sizeof(differently[0]); i++)
		if (differently[i].y == y && differently[i].m == m && differently[i].md == md)
			return differently[i].name;
	return named_holiday(d - 1)->substitute;
}

int kk_holiday_by_rule(kk_day d, const char **name)
{
	const struct named *h = named_holiday(d);
	const char *n = h ? h->name : NULL;

	if (!n)
		n = substitute(d);
	/* 国民の休日 (Article 3(3), from 1985-12-27): a day between two holidays
	 * that is neither a Sunday nor (before 2007) a substitute holiday. */
	if (!n && d >= kk_day_of(1985, 12, 27) && kk_day_weekday(d) != 0 && named_holiday(d - 1) &&
	    named_holiday(d + 1))
		n = CITIZENS;
	if (name)
		*name = n;
	return n != NULL;
}

size_t kk_holidays_of_year(int year, kk_day *days, const char **names, size_t max)
{
	kk_day end = kk_day_of(year + 1, 1, 1);
	size_t n = 0;
	const char *name;

	for (kk_day d = kk_day_of(year, 1, 1); d < end; d++) {
		if (!kk_holiday_by_rule(d, &name))
			continue;
		if (n < max) {
			if (days)
				days[n] = d;
			if (names)
				names[n] = name;
		}
		n++;
	}
	return n;
}
