/*
 * view.c: the dashboard of the clocks (schedule.h kk_clocks_view; issue 10,
 * SPEC 8) and a reminder marked done. The dashboard asks each clock what it
 * waits for exactly as a tick does (the same collect()), so what it shows is
 * what the next tick would fire: upcoming items, and overdue ones that wait on
 * a person (a report still not acknowledged, a question not answered); then
 * the reminders fired and not yet done. Staff only (clocks.read): it names
 * cases, their titles and vendors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/settings.h"
#include "internal.h"

/* A vendor's (or nobody's) name in the thread's language. */
static const char *vendor_name(const char *ja, const char *en)
{
	if (kk_i18n_current() == KK_LANG_EN)
		return en ? en : ja;
	return ja ? ja : en;
}

static int by_due(const void *a, const void *b)
{
	const struct sched_item *x = *(const struct sched_item *const *)a, *y = *(const struct sched_item *const *)b;

	if (x->due_at != y->due_at)
		return x->due_at < y->due_at ? -1 : 1;
	return x->object_id < y->object_id ? -1 : x->object_id > y->object_id;
}

/* The waiting items of one clock, soonest first, into arr. */
static enum kk_result waiting_json(const struct sched *s, const struct sched_items *items, json_t *arr,
				   struct kk_error *err)
{
	const struct sched_item **order = NULL;
	size_t n = 0;
	enum kk_result res = KK_OK;

	if (items->n && !(order = kk_calloc(items->n, sizeof(*order))))
		return kk_error_nomem(err);
	for (size_t i = 0; i < items->n; i++)
		if (!items->v[i].hidden)
			order[n++] = &items->v[i];
	if (n)
		qsort(order, n, sizeof(*order), by_due);
	for (size_t i = 0; !res && i < n && i < KK_CLOCKS_VIEW_MAX; i++) {
		const struct sched_item *it = order[i];
		json_t *facts = sched_facts(it), *row = NULL;
		char what[512];

		if (facts)
			row = json_pack("{s:s?, s:s?, s:s?, s:s?, s:I, s:b, s:s}", "case", it->case_id ? it->ref : NULL,
					"report", it->tracking_id, "title", it->title, "vendor",
					vendor_name(it->vendor_ja, it->vendor_en), "due_at", (json_int_t)it->due_at,
					"overdue", it->due_at <= s->now, "what",
					sched_what_text(facts, kk_i18n_current(), what, sizeof(what)));
		if (!row || json_array_append_new(arr, row) != 0)
			res = kk_error_nomem(err);
		json_decref(facts);
	}
	free(order);
	return res;
}

/* The reminders of one clock fired and not done, as the dashboard shows them. */
static enum kk_result fired_json(struct kk_tx *tx, const char *clock, json_t *arr, struct kk_error *err)
{
	json_t *rows = json_array(), *r;
	enum kk_result res = rows ? kk_reminders_open_json(tx, clock, KK_CLOCKS_VIEW_MAX, rows, err) : kk_error_nomem(err);
	size_t i;

	json_array_foreach(rows, i, r) {
		json_error_t jerr;
		json_t *facts, *row;
		char what[512];

		if (res)
			break;
		facts = json_loads(json_string_value(json_object_get(r, "summary")), 0, &jerr);
		if (!facts)
			facts = json_object(); /* a summary keikai cannot read shows as nothing */
		row = facts ? json_pack("{s:O, s:s, s:O, s:O, s:O, s:O, s:O?, s:s?}", "id", json_object_get(r, "id"),
					"what", sched_what_text(facts, kk_i18n_current(), what, sizeof(what)),
					"fired_at", json_object_get(r, "fired_at"), "due_at", json_object_get(r, "due_at"),
					"case", json_object_get(r, "case"), "report", json_object_get(r, "report"),
					"title", json_object_get(facts, "title"), "vendor",
					vendor_name(json_string_value(json_object_get(facts, "vendor_ja")),
						    json_string_value(json_object_get(facts, "vendor_en"))))
			    : NULL;
		if (!row || json_array_append_new(arr, row) != 0)
			res = kk_error_nomem(err);
		json_decref(facts);
	}
	json_decref(rows);
	return res;
}

/* One clock's entry of the dashboard. */
static enum kk_result clock_json(struct sched *s, struct kk_tx *tx, const struct sched_clock *c, json_t **out,
				 struct kk_error *err)
{
	struct sched_items items = { 0 };
	char *value = NULL, rule[512];
	json_t *waiting = json_array(), *fired = json_array();
	enum kk_result res = waiting && fired ? KK_OK : kk_error_nomem(err);

	*out = NULL;
	if (!res && c->setting)
		res = kk_setting_read(tx, c->setting, c->def, &value, err);
	if (!res)
		res = c->collect(s, tx, &items, err);
	if (!res)
		res = waiting_json(s, &items, waiting, err);
	if (!res)
		res = fired_json(tx, c->name, fired, err);
	snprintf(rule, sizeof(rule), _(c->rule), value ? value : "");
	if (!res && !(*out = json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:O, s:O}", "clock", c->name, "label", _(c->label),
				       "setting", c->setting, "value", value, "rule", rule, "waiting", waiting, "fired",
				       fired)))
		res = kk_error_nomem(err);
	sched_items_free(&items);
	json_decref(waiting);
	json_decref(fired);
	free(value);
	return res;
}

enum kk_result kk_clocks_view(struct kk_store *store, const struct kk_user *viewer, json_t **out,
			      struct kk_error *err)
{
	struct sched s;
	struct kk_tx tx;
	json_t *clocks = NULL, *c = NULL;
	enum kk_result res;

	*out = NULL;
	memset(&s, 0, sizeof(s));
	/* SPEC 8: staff's (it names cases, titles and vendors) */
	if (!kk_may(viewer, KK_ACT_CLOCKS_READ, NULL))
		return kk_error_set(err, KK_EDENIED, "%s", _("Only staff see the clocks."));
	res = kk_tx_begin(store, 0, &tx, err);
	if (res)
		return res;
	res = sched_begin(&s, store, &tx, err);
	if (!res && !(clocks = json_array()))
		res = kk_error_nomem(err);
	for (size_t i = 0; !res && i < sched_n_clocks; i++) {
		res = clock_json(&s, &tx, &sched_clocks[i], &c, err);
		if (!res && json_array_append_new(clocks, c) != 0)
			res = kk_error_nomem(err);
	}
	if (!res && !(*out = json_pack("{s:I, s:O}", "at", (json_int_t)s.now, "clocks", clocks)))
		res = kk_error_nomem(err);
	json_decref(clocks);
	sched_end(&s);
	res = kk_tx_end(&tx, res, err);
	if (res) {
		json_decref(*out);
		*out = NULL;
	}
	return res;
}

enum kk_result kk_reminder_done(struct kk_store *store, const struct kk_user *actor, int64_t id,
				struct kk_error *err)
{
	struct kk_tx tx;
	int64_t now = kk_now();
	enum kk_result res;

	if (!kk_may(actor, KK_ACT_CLOCKS_READ, NULL))
		return kk_error_set(err, KK_EDENIED, "%s", _("Only staff see the clocks."));
	res = kk_tx_begin(store, 1, &tx, err);
	if (res)
		return res;
	res = kk_reminders_done(&tx, id, now, err);
	if (!res)
		res = kk_audit_record(&tx, actor, "reminder", id, "done", NULL, NULL, NULL, err);
	return kk_tx_end(&tx, res, err);
}
