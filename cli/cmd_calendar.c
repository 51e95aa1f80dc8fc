/*
 * cmd_calendar.c: `keikai calendar holidays [--db ADDRESS] YEAR` prints the
 * national holidays of YEAR, one "YYYY-MM-DD name" a line (the rules, or with
 * --db the deployment's calendar with the administrator's list);
 * `keikai calendar publication-date --db ADDRESS DAY0` prints the proposed
 * publication time for a case whose day 0 is DAY0 (SPEC 2.8) as
 * YYYY-MM-DDTHH:MM+09:00. docs/cli/calendar.md is the manual. Exit status: 0
 * done, 1 the database failed or a setting is bad, 2 wrong usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/calendar.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"

/* The calendar of the database at db, or the rules' alone when db is NULL;
 * prints the failure (NULL then). */
static struct kk_calendar *calendar_of(const struct cli_args *a, const char *db)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_calendar *c = NULL;
	struct kk_store *s = NULL;
	struct kk_tx tx;

	if (!db) {
		if (kk_calendar_default(&c, &err))
			cli_fail(a->name, &err);
	} else if (kk_store_open(db, 0, &s, &err) || kk_tx_begin(s, 0, &tx, &err)) {
		cli_fail(a->name, &err);
	} else if (kk_tx_end(&tx, kk_calendar_load(&tx, &c, &err), &err)) {
		kk_calendar_free(c);
		c = NULL;
		cli_fail(a->name, &err);
	}
	kk_store_close(s);
	kk_error_release(&err);
	return c;
}

static int holidays(const struct cli_args *a)
{
	const char *y = a->argv[0];
	struct kk_calendar *c;
	char *end, day[KK_DATE_LEN];
	long year = strtol(y, &end, 10);
	const char *name;

	if (!*y || *end || year < 1948 || year > 9999)
		return cli_usage_error(a, _("YEAR is a year from 1948 to 9999: %s"), y);
	if (!(c = calendar_of(a, cli_value(a, "db"))))
		return 1;
	for (kk_day d = kk_day_of((int)year, 1, 1), last = kk_day_of((int)year, 12, 31); d <= last; d++)
		if (kk_calendar_holiday(c, d, &name))
			printf("%s %s\n", kk_day_format(d, day), name);
	kk_calendar_free(c);
	return 0;
}

static int publication_date(const struct cli_args *a)
{
	const char *given = a->argv[0];
	struct kk_calendar *c;
	char out[KK_ZONE_TIME_LEN];
	int64_t day0;
	kk_day d;

	if (kk_day_parse(given, &d) == 0)
		day0 = (int64_t)d * 86400 - 9 * 3600; /* that day at midnight in Japan */
	else if (!strchr(given, 'T') || kk_time_parse(given, &day0) != 0)
		return cli_usage_error(a, _("DAY0 is a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ: %s"), given);
	if (!(c = calendar_of(a, a->db)))
		return 1;
	printf("%s\n", kk_zone_format(kk_calendar_zone(c), kk_calendar_publication(c, day0), out));
	kk_calendar_free(c);
	return 0;
}

static const struct cli_option holidays_options[] = {
	{ "db", 0, "ADDRESS", 0,
	  N_("the deployment's calendar: its imported holiday list wins\nfor the years it covers (default: the rules alone)") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command holidays_cmd = {
	.name = "holidays",
	.run = holidays,
	.options = holidays_options,
	.operands = "YEAR",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("print the national holidays of a year"),
	.description = N_("Prints Japan's national holidays of YEAR, one \"YYYY-MM-DD name\" a line, in\n"
			  "order, with their Japanese names: the holiday law's days as in force that\n"
			  "year, the equinox days, substitute holidays and citizens' holidays. With\n"
			  "--db, the list imported with keikai holidays import decides the years it\n"
			  "covers."),
};

static const struct cli_command publication_cmd = {
	.name = "publication-date",
	.run = publication_date,
	.flags = CLI_DB,
	.operands = "DAY0",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("print the proposed publication date for a day 0"),
	.description = N_("Prints the proposed publication date and time of a case whose day 0 is DAY0\n"
			  "(SPEC 2.8): day 0 plus publication_days days, moved forward to a business\n"
			  "day, at publication_time in publication_zone, as YYYY-MM-DDTHH:MM+09:00.\n"
			  "DAY0 is a date in Japan (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SSZ)."),
};

static const struct cli_command *const subs[] = { &holidays_cmd, &publication_cmd, NULL };

const struct cli_command cmd_calendar = {
	.name = "calendar",
	.summary = N_("business days and publication dates (calendar holidays, calendar publication-date)"),
	.description = N_("Japan's calendar of business days as keikai counts them: national\n"
			  "holidays, the organisation's closing days and the imported holiday list."),
	.subs = subs,
};
