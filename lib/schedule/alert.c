/*
 * alert.c: what a reminder says and the alerts to staff (schedule.h; issue
 * 10, SPEC 8). A reminder keeps its facts (JSON, the summary column), and its
 * words are made from them in each reader's language: the dashboard's, the
 * command line's, and both languages in a staff alert, because keikai does
 * not know which its staff read (templates/mail/reminder_staff.txt, written
 * once in Japanese and once in English into one message). An alert names the
 * case and its title -- staff may see them -- and never the detail (SPEC 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/clock.h"
#include "keikai/outbox.h"
#include "keikai/pgp.h"
#include "keikai/util.h"
#include "internal.h"
#include "mail_templates.h"

/* Staff alerts are short; the title is at most a line. */
#define ALERT_MAX 65536

json_t *sched_facts(const struct sched_item *it)
{
	json_t *f = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "what", it->what, "ref", it->ref,
			      "title", it->title, "vendor_ja", it->vendor_ja, "vendor_en", it->vendor_en, "channel",
			      it->channel, "address", it->address, "finder", it->finder);

	if (f && it->at && json_object_set_new(f, "at", json_integer(it->at)) != 0) {
		json_decref(f);
		return NULL;
	}
	if (f && it->n && json_object_set_new(f, "n", json_integer(it->n)) != 0) {
		json_decref(f);
		return NULL;
	}
	return f;
}

char *sched_summary(const struct sched_item *it)
{
	json_t *f = sched_facts(it);
	char *text = f ? kk_json_dumps(f, JSON_COMPACT) : NULL;

	json_decref(f);
	return text;
}

/* A vendor contact's channel in words (already in the thread's language). */
static const char *channel_label(const char *channel)
{
	if (!channel)
		return "";
	if (!strcmp(channel, "postal"))
		return _("postal mail");
	if (!strcmp(channel, "phone"))
		return _("phone");
	if (!strcmp(channel, "fax"))
		return _("fax");
	if (!strcmp(channel, "web_form"))
		return _("the web form");
	return _("e-mail");
}

/* The words of facts in the thread's language into buf. */
static void what_words(const json_t *facts, char *buf, size_t size)
{
	const char *what = json_string_value(json_object_get(facts, "what"));
	const char *address = json_string_value(json_object_get(facts, "address"));
	json_int_t at = json_integer_value(json_object_get(facts, "at"));
	long long n = (long long)json_integer_value(json_object_get(facts, "n"));
	char when[KK_TIME_TEXT_LEN];

	kk_time_text(at, kk_i18n_current(), NULL, when);
	if (!what)
		what = "";
	if (!address)
		address = "";
	if (!strcmp(what, "ack"))
		snprintf(buf, size, _("Acknowledge or decide the report (received %s)."), when);
	else if (!strcmp(what, "renotify"))
		snprintf(buf, size, _("The summary notice again, to %s."), address);
	else if (!strcmp(what, "no_response") && n == 0)
		snprintf(buf, size, "%s",
			 _("No answer, and no other e-mail address to try: the vendor's statuses become \"no response\"."));
	else if (!strcmp(what, "no_response"))
		snprintf(buf, size,
			 ngettext("No answer after %lld more notice: the vendor's statuses become \"no response\".",
				  "No answer after %lld more notices: the vendor's statuses become \"no response\".",
				  (unsigned long)n),
			 n);
	else if (!strcmp(what, "channel"))
		snprintf(buf, size, _("keikai cannot use this channel: contact the vendor by %s at %s."),
			 channel_label(json_string_value(json_object_get(facts, "channel"))), address);
	else if (!strcmp(what, "date_approach"))
		snprintf(buf, size,
			 ngettext("%lld business day before the publication date (%s).",
				  "%lld business days before the publication date (%s).", (unsigned long)n),
			 n, when);
	else if (!strcmp(what, "date_reached"))
		snprintf(buf, size, _("The publication date (%s) has come: the case is ready to publish."), when);
	else if (!strcmp(what, "publish"))
		snprintf(buf, size, _("The case's advisory is published on its date (%s)."), when);
	else if (!strcmp(what, "finder_question"))
		snprintf(buf, size, _("Answer the finder's question (asked %s)."), when);
	else if (!strcmp(what, "lift_open"))
		snprintf(buf, size, _("Day 0 was %s: the finders may now ask to lift non-disclosure."), when);
	else if (!strcmp(what, "lift_finder"))
		snprintf(buf, size, _("Finder %s is told they may ask to lift non-disclosure."),
			 json_string_value(json_object_get(facts, "finder")) ? json_string_value(json_object_get(facts, "finder"))
									     : "");
	else if (!strcmp(what, "lift_request"))
		snprintf(buf, size, _("Answer the finder's request to lift non-disclosure (asked %s)."), when);
	else if (!strcmp(what, "unreachable"))
		snprintf(buf, size,
			 ngettext("%lld month from day 0 and the vendor has still not answered: a matter for the "
				  "publication-judgment committee.",
				  "%lld months from day 0 and the vendor has still not answered: a matter for the "
				  "publication-judgment committee.",
				  (unsigned long)n),
			 n);
	else if (!strcmp(what, "pgp_key"))
		/* issue 11: n is the key's state (pgp.h), address whose key it is */
		snprintf(buf, size,
			 _("The OpenPGP key on record for %s is %s: mail to it goes without content until a usable key "
			   "is recorded."),
			 address, kk_pgp_key_state_text((enum kk_pgp_key_state)n));
	else
		snprintf(buf, size, "%s", what);
}

const char *sched_what_text(const json_t *facts, enum kk_lang lang, char *buf, size_t n)
{
	enum kk_lang was = kk_i18n_current();

	kk_i18n_use(lang);
	what_words(facts, buf, n);
	kk_i18n_use(was);
	return buf;
}

/* The label of the item's clock (N_()). */
static const char *clock_label(const char *clock)
{
	for (size_t i = 0; i < sched_n_clocks; i++)
		if (!strcmp(sched_clocks[i].name, clock))
			return sched_clocks[i].label;
	return clock;
}

/* The link an alert points to: the case's staff page, else the report's. */
static enum kk_result alert_url(const struct sched *s, const struct sched_item *it, struct kk_buf *url)
{
	kk_buf_adds(url, s->set.base_url);
	if (it->case_id) {
		kk_buf_adds(url, "/cases/");
		kk_buf_add_urlenc(url, it->ref);
	} else if (it->tracking_id) {
		kk_buf_adds(url, "/intake/reports/");
		kk_buf_add_urlenc(url, it->tracking_id);
	} else {
		kk_buf_adds(url, "/dashboard");
	}
	return kk_buf_result(url);
}

/* One language's subject (*subject, up to the blank line) and body (*body)
 * of the alert, in one buffer the caller frees (*all). */
static enum kk_result alert_part(const struct sched *s, const struct sched_item *it, const json_t *facts,
				 enum kk_lang lang, const char *url, const char *dashboard, char **all,
				 struct kk_error *err)
{
	char what[512];
	const char *vendor = lang == KK_LANG_EN ? (it->vendor_en ? it->vendor_en : it->vendor_ja)
						: (it->vendor_ja ? it->vendor_ja : it->vendor_en);
	struct kk_buf b;
	enum kk_result res;

	(void)s;
	kk_buf_init(&b, ALERT_MAX);
	sched_what_text(facts, lang, what, sizeof(what));
	res = tmpl_reminder_staff(&b, lang, clock_label(it->clock), what, it->ref ? it->ref : "", it->case_id != 0,
				  it->case_id ? it->title : NULL, vendor, url, dashboard);
	if (!res && !(*all = kk_buf_detach(&b)))
		res = KK_ENOMEM;
	kk_buf_release(&b);
	if (res == KK_ENOMEM)
		return kk_error_nomem(err);
	if (res)
		return kk_error_set(err, KK_ETOOBIG, "%s", _("The reminder to staff could not be written."));
	return KK_OK;
}

/* The bilingual alert: "ja subject / en subject", a blank line, the Japanese
 * body, a rule, the English body. The caller frees *text. */
static enum kk_result alert_text(const struct sched *s, const struct sched_item *it, char **text,
				 struct kk_error *err)
{
	struct kk_buf url, dash, out;
	char *ja = NULL, *en = NULL;
	const char *ja_body, *en_body;
	json_t *facts = sched_facts(it);
	enum kk_result res;

	*text = NULL;
	if (!facts)
		return kk_error_nomem(err);
	kk_buf_init(&url, 4096);
	kk_buf_init(&dash, 4096);
	kk_buf_init(&out, 2 * ALERT_MAX);
	res = alert_url(s, it, &url);
	kk_buf_adds(&dash, s->set.base_url);
	kk_buf_adds(&dash, "/dashboard");
	if (!res)
		res = kk_buf_result(&dash);
	if (res)
		res = res == KK_ENOMEM ? kk_error_nomem(err) : kk_error_set(err, KK_ETOOBIG, "%s", _("The reminder to staff could not be written."));
	if (!res)
		res = alert_part(s, it, facts, KK_LANG_JA, url.data, dash.data, &ja, err);
	if (!res)
		res = alert_part(s, it, facts, KK_LANG_EN, url.data, dash.data, &en, err);
	if (!res) {
		ja_body = strstr(ja, "\n\n");
		en_body = strstr(en, "\n\n");
		if (!ja_body || !en_body)
			res = kk_error_set(err, KK_ETOOBIG, "%s", _("The reminder to staff has no subject line."));
	}
	if (!res) {
		kk_buf_add(&out, ja, (size_t)(ja_body - ja));
		kk_buf_adds(&out, " / ");
		kk_buf_add(&out, en, (size_t)(en_body - en));
		kk_buf_adds(&out, ja_body);
		kk_buf_adds(&out, "\n----------------------------------------\n");
		kk_buf_adds(&out, en_body + 1);
		res = kk_buf_result(&out);
		if (!res && !(*text = kk_buf_detach(&out)))
			res = KK_ENOMEM;
		if (res)
			res = res == KK_ENOMEM ? kk_error_nomem(err)
					       : kk_error_set(err, KK_ETOOBIG, "%s",
							      _("The reminder to staff could not be written."));
	}
	free(ja);
	free(en);
	json_decref(facts);
	kk_buf_release(&url);
	kk_buf_release(&dash);
	kk_buf_release(&out);
	return res;
}

/* Adds address to the list unless it is there (addresses are kept in lower case). */
static enum kk_result add_address(char ***list, size_t *n, const char *address, struct kk_error *err)
{
	char **grown;

	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*list)[i], address))
			return KK_OK;
	grown = kk_realloc(*list, (*n + 1) * sizeof(**list));
	if (!grown)
		return kk_error_nomem(err);
	*list = grown;
	if (!(grown[*n] = kk_strdup(address)))
		return kk_error_nomem(err);
	(*n)++;
	return KK_OK;
}

static enum kk_result add_role(struct kk_tx *tx, const char *role, char ***list, size_t *n, struct kk_error *err)
{
	char **found = NULL;
	size_t nf = 0;
	enum kk_result res = kk_reminders_staff(tx, role, &found, &nf, err);

	for (size_t i = 0; !res && i < nf; i++)
		res = add_address(list, n, found[i], err);
	kk_strings_free(found, nf);
	return res;
}

enum kk_result sched_alert_staff(struct sched *s, struct kk_tx *tx, const struct sched_item *it, int intake,
				 int coordinator, struct kk_error *err)
{
	char **to = NULL, *text = NULL, *coord = NULL;
	size_t n = 0;
	enum kk_result res = KK_OK;

	if (intake)
		res = add_role(tx, "intake", &to, &n, err);
	if (!res && coordinator && it->user_id) {
		res = kk_reminders_user_email(tx, it->user_id, &coord, err);
		if (!res)
			res = add_address(&to, &n, coord, err);
		else if (res == KK_ENOTFOUND)
			res = add_role(tx, "coordinator", &to, &n, err);
	} else if (!res && coordinator) {
		/* a case without a coordinator: every coordinator hears of it */
		res = add_role(tx, "coordinator", &to, &n, err);
	}
	if (!res && n)
		res = alert_text(s, it, &text, err);
	/* SPEC 8: every alert lands in the outbox, one message to each */
	for (size_t i = 0; !res && i < n; i++)
		res = kk_outbox_queue_text(tx, "staff_alert", to[i], text, "ja", it->report_id, it->case_id, NULL, err);
	free(text);
	free(coord);
	kk_strings_free(to, n);
	return res;
}

enum kk_result sched_fire_intake(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				 struct kk_error *err)
{
	return sched_alert_staff(s, tx, it, 1, 0, err);
}

enum kk_result sched_fire_coordinator(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				      struct kk_error *err)
{
	return sched_alert_staff(s, tx, it, 0, 1, err);
}

enum kk_result sched_fire_staff(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				struct kk_error *err)
{
	return sched_alert_staff(s, tx, it, 1, 1, err);
}
