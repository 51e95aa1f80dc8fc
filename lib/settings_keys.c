/*
 * settings_keys.c: the table of every setting keikai knows (settings_keys.h)
 * with its validator. The calendar's settings (calendar.h; SPEC 2.8), the
 * clocks' (schedule.h; SPEC 8) and the deployment's (tracking_prefix,
 * case_prefix, base_url: keikai init).
 */
#include <string.h>

#include "keikai/advisory.h"
#include "keikai/calendar.h"
#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/schedule.h"
#include "keikai/smtp.h"
#include "keikai/settings_keys.h"

static int prefix(const char *v)
{
	size_t n = strlen(v);

	if (n < 1 || n > 8)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] < 'A' || v[i] > 'Z')
			return 0;
	return 1;
}

static int url(const char *v)
{
	size_t n = strlen(v);

	if (n > 2000 || strpbrk(v, " \t\r\n\"<>"))
		return 0;
	return n == 0 || strncmp(v, "http://", 7) == 0 || strncmp(v, "https://", 8) == 0;
}

/* keys_dir: an absolute path (a relative one would move with the working
 * directory of whichever process opens the store), or empty for the default */
static int abs_dir(const char *v)
{
	return v[0] == '\0' || (v[0] == '/' && strlen(v) < 4000 && !strpbrk(v, "\r\n"));
}

static int closing(const char *v)
{
	int ranges[2 * KK_CLOSING_MAX];
	size_t n;

	return kk_calendar_parse_closing(v, ranges, &n) == 0;
}

static int days(const char *v)
{
	int d;

	return kk_calendar_parse_days(v, &d) == 0;
}

static int hhmm(const char *v)
{
	int m;

	return kk_calendar_parse_time(v, &m) == 0;
}

static int zone(const char *v)
{
	return kk_zone_find(v) != NULL;
}

#define NUMBER(fn, lo, hi)                                                                                             \
	static int fn(const char *v)                                                                                   \
	{                                                                                                              \
		int n;                                                                                                 \
		return kk_clock_parse_number(v, lo, hi, &n) == 0;                                                      \
	}
NUMBER(n1_3650, 1, 3650)
NUMBER(n1_365, 1, 365)
NUMBER(n0_20, 0, 20)
NUMBER(n1_120, 1, 120)
#undef NUMBER

static int reminders(const char *v)
{
	int out[KK_CLOCK_DATE_REMINDERS_MAX];
	size_t n;

	return kk_clock_parse_reminders(v, out, &n) == 0;
}

static const struct kk_setting_key keys[] = {
	{ "tracking_prefix", "IPA", N_("capital letters before '#' in tracking numbers"),
	  N_("1 to 8 capital letters (A-Z)"), prefix },
	{ "case_prefix", KK_CASE_DEFAULT_PREFIX, N_("capital letters before '#' in case numbers"),
	  N_("1 to 8 capital letters (A-Z)"), prefix },
	/* issue 12: the public IDs of advisories, like JVN's (advisory.h) */
	{ "advisory_prefix_jvn", KK_ADVISORY_PREFIX_JVN_DEFAULT,
	  N_("capital letters before '#' in the public ID of an advisory of one domestic vendor"),
	  N_("1 to 8 capital letters (A-Z)"), prefix },
	{ "advisory_prefix_vu", KK_ADVISORY_PREFIX_VU_DEFAULT,
	  N_("capital letters before '#' in the public ID of an advisory of several vendors or one abroad"),
	  N_("1 to 8 capital letters (A-Z)"), prefix },
	{ "advisory_prefix_ta", KK_ADVISORY_PREFIX_TA_DEFAULT,
	  N_("capital letters before '#' in the public ID of a technical alert"), N_("1 to 8 capital letters (A-Z)"),
	  prefix },
	{ "base_url", "", N_("the public address, used in links sent by mail"),
	  N_("an http:// or https:// address, or empty"), url },
	{ "closing_days", KK_CLOSING_DAYS_DEFAULT, N_("the organisation's closing days (not business days)"),
	  N_("MM-DD..MM-DD ranges (or single MM-DD days) separated by commas, or empty"), closing },
	{ "publication_days", "45", N_("SPEC 2.8: the proposed publication date is day 0 plus this many days"),
	  N_("a whole number from 0 to 3650"), days },
	{ "publication_time", KK_PUBLICATION_TIME_DEFAULT, N_("the time of day of a publication"),
	  N_("a time HH:MM from 00:00 to 23:59"), hhmm },
	{ "publication_zone", KK_PUBLICATION_ZONE_DEFAULT, N_("the time zone of publications"),
	  N_("a zone keikai knows: Asia/Tokyo, UTC, Asia/Seoul, Asia/Shanghai, Asia/Taipei, Asia/Singapore, "
	     "Asia/Kolkata, Asia/Bangkok, Asia/Ho_Chi_Minh"),
	  zone },
	{ "clock_ack_days", KK_CLOCK_ACK_DAYS_DEFAULT, N_("SPEC 8: days within which a report is acknowledged"),
	  N_("a whole number from 1 to 3650"), n1_3650 },
	{ "clock_silent_business_days", KK_CLOCK_SILENT_BUSINESS_DAYS_DEFAULT,
	  N_("SPEC 8: business days a vendor may stay silent before it is notified again"),
	  N_("a whole number from 1 to 365"), n1_365 },
	{ "clock_silent_rounds", KK_CLOCK_SILENT_ROUNDS_DEFAULT,
	  N_("SPEC 8: rounds of notifying a silent vendor again before it is marked \"no response\""),
	  N_("a whole number from 0 to 20"), n0_20 },
	{ "clock_date_reminders", KK_CLOCK_DATE_REMINDERS_DEFAULT,
	  N_("SPEC 8: business days before the publication date when every party is reminded"),
	  N_("whole numbers from 1 to 365 separated by commas, largest first, at most 8"), reminders },
	{ "clock_question_business_days", KK_CLOCK_QUESTION_BUSINESS_DAYS_DEFAULT,
	  N_("SPEC 8: business days a finder's question may stay unanswered"), N_("a whole number from 1 to 365"),
	  n1_365 },
	{ "clock_lift_days", KK_CLOCK_LIFT_DAYS_DEFAULT,
	  N_("SPEC 2.12: days after day 0 when a finder may ask to lift non-disclosure"),
	  N_("a whole number from 1 to 3650"), n1_3650 },
	{ "clock_unreachable_months", KK_CLOCK_UNREACHABLE_MONTHS_DEFAULT,
	  N_("SPEC 8: months after day 0 when a vendor still not reached is unreachable"),
	  N_("a whole number from 1 to 120"), n1_120 },
	/* issue 11: the keys directory outside the database (keys.h) */
	{ "keys_dir", "",
	  N_("the directory of keikai's keys: the evidence key and the OpenPGP home (empty: $KEIKAI_KEYS, or the "
	     "SQLite file's path with .keys added)"),
	  N_("an absolute path, or empty"), abs_dir },
	/* issue 11: the relay delivery sends through (smtp.h) */
	{ "smtp.url", "", N_("the SMTP relay messages go out through (empty: none, nothing is sent)"),
	  N_("smtp://host:port or smtps://host:port, optionally with user:password@ before the host, or empty"),
	  kk_smtp_url_valid },
	{ "smtp.from", "", N_("the organisation's address messages come from; replies come back to it"),
	  N_("an e-mail address or \"Name <address>\", or empty"), kk_smtp_from_valid },
	{ "smtp.starttls", "try", N_("TLS on an smtp:// relay: required, try (when offered) or off"),
	  N_("required, try or off"), kk_smtp_starttls_valid },
	{ "smtp.ca_file", "", N_("a PEM file of the CA that signed the relay's certificate (empty: the system's)"),
	  N_("an absolute path, or empty"), kk_smtp_ca_file_valid },
	{ "smtp.max_tries", KK_SMTP_MAX_TRIES_DEFAULT, N_("tries before a message that keeps failing is given up"),
	  N_("a whole number from 1 to 100"), kk_smtp_max_tries_valid },
};

const struct kk_setting_key *kk_setting_key_at(size_t i)
{
	return i < sizeof(keys) / sizeof(keys[0]) ? &keys[i] : NULL;
}

const struct kk_setting_key *kk_setting_key_find(const char *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

enum kk_result kk_setting_check(const char *key, const char *value, struct kk_error *err)
{
	const struct kk_setting_key *k = kk_setting_key_find(key);

	if (!k) {
		kk_error_field(err, key, "%s", _("no such setting"));
		return kk_error_set(err, KK_EINVAL, _("keikai knows no setting %s (keikai settings list lists them)."),
				    key);
	}
	if (value && k->valid(value))
		return KK_OK;
	kk_error_field(err, key, _("must be %s"), _(k->expect));
	return kk_error_set(err, KK_EINVAL, _("The setting %s cannot be \"%s\": it must be %s."), key, value ? value : "",
			    _(k->expect));
}
