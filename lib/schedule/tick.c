/*
 * tick.c: the scheduler (schedule.h; issue 10, SPEC 8): the table of clocks
 * and kk_tick, which runs them. Each clock lists what it waits for in one read
 * transaction (collect); then each item that is due gets its own write
 * transaction: the reminder row is inserted only if its key is new, and only
 * then does the item fire (a mail, a contact attempt, a status change), so
 * the row and what it sends commit together or not at all, and a tick run
 * twice -- or two servers ticking at once -- sends nothing twice. A failed
 * item is rolled back alone and tried again next tick.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/clock.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "internal.h"

/* SPEC 8: every clock, with its setting and what it does. */
const struct sched_clock sched_clocks[] = {
	{ "ack", N_("Acknowledge a report"), "clock_ack_days", KK_CLOCK_ACK_DAYS_DEFAULT,
	  N_("A report not decided %s days after it was received: intake is alerted."), sched_collect_ack },
	{ "vendor_silent", N_("Vendor silent after the summary"), "clock_silent_business_days", KK_CLOCK_SILENT_BUSINESS_DAYS_DEFAULT,
	  N_("A notified vendor silent for %s business days gets the notice again at its next e-mail address; "
	     "then its statuses become \"no response\" and the coordinator is alerted."),
	  sched_collect_silent },
	{ "date_approach", N_("Publication date approaching"), "clock_date_reminders", KK_CLOCK_DATE_REMINDERS_DEFAULT,
	  N_("Every party is reminded %s business days before the publication date."), sched_collect_date_approach },
	{ "date_reached", N_("Publication date reached"), NULL, NULL,
	  N_("On the publication date the case becomes ready to publish."), sched_collect_date_reached },
	/* issue 12: right after date_reached, so the tick that reaches the date publishes */
	{ "publish", N_("Advisory published"), NULL, NULL,
	  N_("When the case's date has been reached, its approved advisory is published with its public ID and "
	     "every party is told."),
	  sched_collect_publish },
	{ "finder_question", N_("Finder's question unanswered"), "clock_question_business_days", KK_CLOCK_QUESTION_BUSINESS_DAYS_DEFAULT,
	  N_("A finder's question unanswered for %s business days: intake is alerted."), sched_collect_questions },
	{ "lift", N_("Lifting non-disclosure"), "clock_lift_days", KK_CLOCK_LIFT_DAYS_DEFAULT,
	  N_("%s days after day 0 the finders may ask to lift non-disclosure: they and staff are told; an "
	     "unanswered request is a reminder to staff."),
	  sched_collect_lift },
	{ "unreachable", N_("Vendor unreachable"), "clock_unreachable_months", KK_CLOCK_UNREACHABLE_MONTHS_DEFAULT,
	  N_("%s months after day 0 a vendor still without an answer is the committee's business: the coordinator "
	     "is alerted."),
	  sched_collect_unreachable },
	/* issue 11: composing a message fires it (lib/schedule/key_alert.c) */
	{ "pgp_key", N_("Recipient's OpenPGP key unusable"), NULL, NULL,
	  N_("A recipient's OpenPGP key on record is expired, revoked or unusable: its mail goes without content, "
	     "and staff are alerted once for each key and state."),
	  sched_collect_pgp_key },
};
const size_t sched_n_clocks = sizeof(sched_clocks) / sizeof(sched_clocks[0]);

/* ---- settings ---- */

int kk_clock_parse_number(const char *s, int min, int max, int *out)
{
	long v = 0;

	if (!s || !*s || strlen(s) > 6)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

int kk_clock_parse_reminders(const char *s, int *out, size_t *n)
{
	size_t count = 0;

	while (s && *s) {
		char num[8];
		size_t len = strcspn(s, ",");
		int v, at;

		while (len && *s == ' ')
			s++, len--;
		while (len && s[len - 1] == ' ')
			len--;
		if (len == 0 || len >= sizeof(num) || count == KK_CLOCK_DATE_REMINDERS_MAX)
			return -1;
		memcpy(num, s, len);
		num[len] = '\0';
		if (kk_clock_parse_number(num, 1, 365, &v))
			return -1;
		/* largest first, no repeats */
		for (at = 0; at < (int)count && out[at] > v; at++)
			;
		if (at < (int)count && out[at] == v)
			return -1;
		memmove(out + at + 1, out + at, (count - (size_t)at) * sizeof(*out));
		out[at] = v;
		count++;
		s += strcspn(s, ",");
		if (*s == ',' && !*++s)
			return -1;
	}
	if (count == 0)
		return -1;
	*n = count;
	return 0;
}

static enum kk_result read_number(struct kk_tx *tx, const char *key, const char *def, int min, int max, int *out,
				  struct kk_error *err)
{
	char *v = NULL;
	enum kk_result res = kk_setting_read(tx, key, def, &v, err);

	if (!res && kk_clock_parse_number(v, min, max, out))
		res = kk_error_field(err, key, _("The setting %s has a value keikai cannot use: \"%s\"."), key, v);
	free(v);
	return res;
}

static enum kk_result read_settings(struct kk_tx *tx, struct sched_settings *set, struct kk_error *err)
{
	char *v = NULL;
	enum kk_result res;

	res = read_number(tx, "clock_ack_days", KK_CLOCK_ACK_DAYS_DEFAULT, 1, 3650, &set->ack_days, err);
	if (!res)
		res = read_number(tx, "clock_silent_business_days", KK_CLOCK_SILENT_BUSINESS_DAYS_DEFAULT, 1, 365,
				  &set->silent_days, err);
	if (!res)
		res = read_number(tx, "clock_silent_rounds", KK_CLOCK_SILENT_ROUNDS_DEFAULT, 0, 20, &set->silent_rounds,
				  err);
	if (!res)
		res = read_number(tx, "clock_question_business_days", KK_CLOCK_QUESTION_BUSINESS_DAYS_DEFAULT, 1, 365,
				  &set->question_days, err);
	if (!res)
		res = read_number(tx, "clock_lift_days", KK_CLOCK_LIFT_DAYS_DEFAULT, 1, 3650, &set->lift_days, err);
	if (!res)
		res = read_number(tx, "clock_unreachable_months", KK_CLOCK_UNREACHABLE_MONTHS_DEFAULT, 1, 120,
				  &set->unreachable_months, err);
	if (!res)
		res = kk_setting_read(tx, "clock_date_reminders", KK_CLOCK_DATE_REMINDERS_DEFAULT, &v, err);
	if (!res && kk_clock_parse_reminders(v, set->date_reminders, &set->n_date_reminders))
		res = kk_error_field(err, "clock_date_reminders",
				     _("The setting %s has a value keikai cannot use: \"%s\"."), "clock_date_reminders",
				     v);
	free(v);
	if (!res)
		res = kk_setting_read(tx, "base_url", "", &set->base_url, err);
	return res;
}

enum kk_result sched_begin(struct sched *s, struct kk_store *store, struct kk_tx *tx, struct kk_error *err)
{
	enum kk_result res;

	memset(s, 0, sizeof(*s));
	s->store = store;
	s->now = kk_now();
	s->today = kk_day_of_time(s->now);
	res = read_settings(tx, &s->set, err);
	if (!res)
		res = kk_calendar_load(tx, &s->cal, err);
	return res;
}

void sched_end(struct sched *s)
{
	kk_calendar_free(s->cal);
	free(s->set.base_url);
	memset(s, 0, sizeof(*s));
}

/* ---- time ---- */

int64_t sched_day_start(kk_day d)
{
	/* Japan is UTC+9 all year (no daylight saving time) */
	return (int64_t)d * 86400 - kk_zone_tokyo.utc_offset;
}

int64_t sched_add_months(int64_t t, int months)
{
	static const int last[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	kk_day d = kk_day_of_time(t);
	int64_t into = t - sched_day_start(d);
	int y, m, md, mlast;

	kk_day_ymd(d, &y, &m, &md);
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	mlast = last[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (md > mlast)
		md = mlast;
	return sched_day_start(kk_day_of(y, m, md)) + into;
}

int64_t sched_business_due(const struct sched *s, int64_t t, int n)
{
	return sched_day_start(kk_calendar_add_business(s->cal, kk_day_of_time(t), n));
}

/* ---- items ---- */

struct sched_item *sched_item_new(struct sched_items *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct sched_item *v = kk_realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

static void item_release(struct sched_item *it)
{
	free(it->ref);
	free(it->tracking_id);
	free(it->title);
	free(it->vendor_ja);
	free(it->vendor_en);
	free(it->channel);
	free(it->address);
	free(it->lang);
	free(it->finder);
}

void sched_items_free(struct sched_items *l)
{
	for (size_t i = 0; i < l->n; i++)
		item_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int dup_opt(const char *s, char **out)
{
	*out = NULL;
	return s && !(*out = kk_strdup(s));
}

enum kk_result sched_item_from(struct sched_item *it, const struct kk_due *d, struct kk_error *err)
{
	int lost = 0;

	it->object_id = d->object_id;
	it->case_id = d->case_id;
	it->report_id = d->report_id;
	it->vendor_id = d->vendor_id;
	it->user_id = d->user_id;
	lost |= dup_opt(d->ref, &it->ref);
	lost |= dup_opt(d->tracking_id, &it->tracking_id);
	lost |= dup_opt(d->title, &it->title);
	lost |= dup_opt(d->name_ja, &it->vendor_ja);
	lost |= dup_opt(d->name_en, &it->vendor_en);
	lost |= dup_opt(d->address, &it->address);
	lost |= dup_opt(d->lang, &it->lang);
	return lost ? kk_error_nomem(err) : KK_OK;
}

enum kk_result sched_collect_dues(struct sched *s, struct kk_tx *tx, const struct sched_due_spec *spec,
				  struct sched_items *out, struct kk_error *err)
{
	struct kk_due *d = NULL;
	size_t n = 0;
	enum kk_result res = spec->query(tx, &d, &n, err);

	for (size_t i = 0; !res && i < n; i++) {
		struct sched_item *it = sched_item_new(out);

		if (!it) {
			res = kk_error_nomem(err);
			break;
		}
		res = sched_item_from(it, &d[i], err);
		it->clock = spec->clock;
		it->object_type = spec->object_type;
		it->what = spec->what;
		it->fire = spec->fire;
		spec->when(s, &d[i], it);
	}
	kk_dues_free(d, n);
	return res;
}

enum kk_lang sched_lang(const char *code)
{
	enum kk_lang lang = KK_LANG_JA;

	if (!code || kk_lang_parse(code, &lang) != 0)
		lang = KK_LANG_JA;
	return lang;
}

/* ---- the tick ---- */

/* The tick's record of what fired and what failed. */
struct tally {
	json_t *fired, *reminders, *errors;
	int64_t total;
	enum kk_result first;
	struct kk_error *err;
};

static void note_error(struct tally *t, const char *clock, enum kk_result res, const struct kk_error *e)
{
	json_t *row = json_pack("{s:s, s:s}", "clock", clock, "error", e->msg[0] ? e->msg : _("failed"));

	/* the first failure is the tick's result; the list keeps them all */
	if (row)
		json_array_append_new(t->errors, row);
	if (!t->first) {
		t->first = res;
		if (t->err)
			kk_error_copy(t->err, e);
	}
}

static enum kk_result note_fired(struct tally *t, const struct sched_item *it, int64_t id)
{
	json_t *facts = sched_facts(it), *row;
	char what[512];
	const char *vendor = kk_i18n_current() == KK_LANG_EN ? (it->vendor_en ? it->vendor_en : it->vendor_ja)
							     : (it->vendor_ja ? it->vendor_ja : it->vendor_en);

	if (!facts)
		return KK_ENOMEM;
	row = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?}", "id", (json_int_t)id, "clock", it->clock, "what",
			sched_what_text(facts, kk_i18n_current(), what, sizeof(what)), "case",
			it->case_id ? it->ref : NULL, "report", it->tracking_id, "vendor", vendor);
	json_decref(facts);
	if (!row || json_array_append_new(t->reminders, row) != 0)
		return KK_ENOMEM;
	t->total++;
	return json_object_set_new(t->fired, it->clock,
				   json_integer(json_integer_value(json_object_get(t->fired, it->clock)) + 1))
		       ? KK_ENOMEM
		       : KK_OK;
}

/* Fires one due item in its own transaction: *id the new reminder, 0 when
 * it had fired before (nothing done). */
static enum kk_result fire_item(struct sched *s, const struct sched_item *it, int64_t *id, struct kk_error *err)
{
	struct kk_reminder r = { 0 };
	struct kk_tx tx;
	char *summary = sched_summary(it);
	enum kk_result res;

	*id = 0;
	if (!summary)
		return kk_error_nomem(err);
	r.clock = it->clock;
	r.object_type = it->object_type;
	r.object_id = it->object_id;
	r.occasion = it->occasion;
	r.due_at = it->due_at;
	r.fired_at = s->now;
	r.case_id = it->case_id;
	r.report_id = it->report_id;
	r.summary = summary;
	res = kk_tx_begin(s->store, 1, &tx, err);
	if (res) {
		free(summary);
		return res;
	}
	res = kk_reminders_insert_new(&tx, &r, id, err);
	/* only a new row sends anything */
	if (!res && *id && it->fire)
		res = it->fire(s, &tx, it, err);
	res = kk_tx_end(&tx, res, err);
	if (res)
		*id = 0;
	free(summary);
	return res;
}

static void run_clock(struct sched *s, const struct sched_clock *c, struct tally *t)
{
	struct kk_error e = KK_ERROR_INIT;
	struct sched_items items = { 0 };
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s->store, 0, &tx, &e);

	if (!res)
		res = kk_tx_end(&tx, c->collect(s, &tx, &items, &e), &e);
	if (res) {
		note_error(t, c->name, res, &e);
		goto out;
	}
	for (size_t i = 0; i < items.n; i++) {
		const struct sched_item *it = &items.v[i];
		int64_t id = 0;

		if (it->due_at > s->now)
			continue;
		kk_error_clear(&e);
		res = fire_item(s, it, &id, &e);
		if (res)
			note_error(t, c->name, res, &e);
		else if (id && note_fired(t, it, id) != KK_OK)
			note_error(t, c->name, kk_error_nomem(&e), &e);
	}
out:
	sched_items_free(&items);
	kk_error_release(&e);
}

enum kk_result kk_tick(struct kk_store *store, json_t **out, struct kk_error *err)
{
	struct tally t = { json_object(), json_array(), json_array(), 0, KK_OK, err };
	struct sched s;
	struct kk_tx tx;
	enum kk_result res;

	if (out)
		*out = NULL;
	memset(&s, 0, sizeof(s));
	if (!t.fired || !t.reminders || !t.errors) {
		res = kk_error_nomem(err);
		goto out;
	}
	res = kk_tx_begin(store, 0, &tx, err);
	if (!res)
		res = kk_tx_end(&tx, sched_begin(&s, store, &tx, err), err);
	if (res)
		goto out;
	for (size_t i = 0; i < sched_n_clocks; i++) {
		if (json_object_set_new(t.fired, sched_clocks[i].name, json_integer(0)) != 0) {
			res = kk_error_nomem(err);
			goto out;
		}
		run_clock(&s, &sched_clocks[i], &t);
	}
	res = t.first;
	if (out && !(*out = json_pack("{s:I, s:O, s:I, s:O, s:O}", "at", (json_int_t)s.now, "fired", t.fired,
				      "total", (json_int_t)t.total, "reminders", t.reminders, "errors", t.errors)))
		res = kk_error_nomem(err);
out:
	sched_end(&s);
	json_decref(t.fired);
	json_decref(t.reminders);
	json_decref(t.errors);
	return res;
}
