/*
 * internal.h: what the clocks of the scheduler share (schedule.h is the
 * public side). A clock is a row of the table in tick.c: its name, label,
 * setting, and collect(), which lists what it waits for as items, each with
 * the moment it is due and what firing it does. kk_tick fires the items that
 * are due (each in its own transaction, only when its reminder row is new);
 * kk_clocks_view shows them all. Internal to lib/schedule/.
 */
#ifndef KEIKAI_SCHEDULE_INTERNAL_H
#define KEIKAI_SCHEDULE_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/calendar.h"
#include "keikai/error.h"
#include "keikai/i18n.h"
#include "keikai/schedule.h"
#include "keikai/store.h"
#include "store/reminders.h"

/* The clocks' settings, read once per tick. */
struct sched_settings {
	int ack_days, silent_days, silent_rounds, question_days, lift_days, unreachable_months;
	int date_reminders[KK_CLOCK_DATE_REMINDERS_MAX];
	size_t n_date_reminders;
	char *base_url;
};

/* A tick (or a view): the time, the calendar and the settings. */
struct sched {
	struct kk_store *store;
	int64_t now;
	kk_day today; /* in Japan */
	struct kk_calendar *cal;
	struct sched_settings set;
};

struct sched_item;
/* What firing an item does, in tx, once its reminder row was inserted (id). */
typedef enum kk_result sched_fire_fn(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				     struct kk_error *err);

/* One thing a clock waits for. Its reminder's key is (clock, object_type,
 * object_id, occasion). The strings are the item's (sched_items_free). */
struct sched_item {
	const char *clock;
	const char *object_type;
	int64_t object_id;
	char occasion[64];
	int64_t due_at;
	int64_t case_id, report_id, vendor_id, user_id; /* user_id: the case's coordinator */
	const char *what; /* the summary's "what" (schedule.h) */
	int64_t at, n;    /* the summary's "at" and "n" (0: none) */
	char *ref, *tracking_id, *title, *vendor_ja, *vendor_en, *channel, *address, *lang;
	char *finder; /* the finder's label ("A"), lift_finder */
	sched_fire_fn *fire; /* NULL: the reminder alone (the dashboard) */
	int hidden;          /* fired when due, but not shown as waiting */
};

struct sched_items {
	struct sched_item *v;
	size_t n, cap;
};
/* A new item at the end of l (zeroed), or NULL without memory. */
struct sched_item *sched_item_new(struct sched_items *l);
/* The item it with the due row's strings copied; KK_ENOMEM. */
enum kk_result sched_item_from(struct sched_item *it, const struct kk_due *d, struct kk_error *err);
void sched_items_free(struct sched_items *l);

/* A clock: the table of tick.c. collect() runs in a read transaction. */
struct sched_clock {
	const char *name;
	const char *label;   /* N_() */
	const char *setting; /* the settings key (NULL: none) */
	const char *def;     /* its default */
	const char *rule;    /* N_(): the rule in words, a printf format of the setting's value (%s) */
	enum kk_result (*collect)(struct sched *s, struct kk_tx *tx, struct sched_items *out, struct kk_error *err);
};
extern const struct sched_clock sched_clocks[];
extern const size_t sched_n_clocks;

/* Reads the settings and the calendar into s (tick.c); sched_end releases them. */
enum kk_result sched_begin(struct sched *s, struct kk_store *store, struct kk_tx *tx, struct kk_error *err);
void sched_end(struct sched *s);

/* ---- time ---- */

/* 00:00 in Japan of day d, as unix time. */
int64_t sched_day_start(kk_day d);
/* t + months calendar months (in Japan; the 31st of a short month is its last day). */
int64_t sched_add_months(int64_t t, int months);
/* When n business days have passed since t: the start of the n-th business
 * day after t's day. */
int64_t sched_business_due(const struct sched *s, int64_t t, int n);

/* ---- the clocks (one file each) ---- */

/* A clock whose items are the rows of one due query (store/reminders.h), each
 * the same kind of item: sched_collect_dues makes them. */
struct sched_due_spec {
	const char *clock, *object_type, *what;
	enum kk_result (*query)(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err);
	/* sets it->occasion, due_at, at and n from the row d */
	void (*when)(const struct sched *s, const struct kk_due *d, struct sched_item *it);
	sched_fire_fn *fire;
};
enum kk_result sched_collect_dues(struct sched *s, struct kk_tx *tx, const struct sched_due_spec *spec,
				  struct sched_items *out, struct kk_error *err);

enum kk_result sched_collect_ack(struct sched *s, struct kk_tx *tx, struct sched_items *out, struct kk_error *err);
enum kk_result sched_collect_silent(struct sched *s, struct kk_tx *tx, struct sched_items *out,
				    struct kk_error *err);
enum kk_result sched_collect_date_approach(struct sched *s, struct kk_tx *tx, struct sched_items *out,
					   struct kk_error *err);
enum kk_result sched_collect_date_reached(struct sched *s, struct kk_tx *tx, struct sched_items *out,
					  struct kk_error *err);
/* issue 12: approved advisories of cases whose date is ready (publish.c) */
enum kk_result sched_collect_publish(struct sched *s, struct kk_tx *tx, struct sched_items *out, struct kk_error *err);
enum kk_result sched_collect_questions(struct sched *s, struct kk_tx *tx, struct sched_items *out,
				       struct kk_error *err);
enum kk_result sched_collect_lift(struct sched *s, struct kk_tx *tx, struct sched_items *out, struct kk_error *err);
enum kk_result sched_collect_unreachable(struct sched *s, struct kk_tx *tx, struct sched_items *out,
					 struct kk_error *err);
/* issue 11: waits for nothing; kk_key_alert (key_alert.c) fires its reminders */
enum kk_result sched_collect_pgp_key(struct sched *s, struct kk_tx *tx, struct sched_items *out,
				     struct kk_error *err);

/* ---- what the clocks send (alert.c) ---- */

/* The summary's JSON text of it (the caller frees), NULL without memory. */
char *sched_summary(const struct sched_item *it);
/* The item's "what" in words, in lang, from its facts (a summary's JSON or an
 * item): into buf (n bytes). */
const char *sched_what_text(const json_t *facts, enum kk_lang lang, char *buf, size_t n);
/* The facts of an item as the summary holds them (a new reference), NULL without memory. */
json_t *sched_facts(const struct sched_item *it);

/* Alerts staff of it (SPEC 8): one message in Japanese and English, kind
 * "staff_alert", to every intake user (intake), and to the case's coordinator
 * (coordinator; every coordinator when the case has none). */
enum kk_result sched_alert_staff(struct sched *s, struct kk_tx *tx, const struct sched_item *it, int intake,
				 int coordinator, struct kk_error *err);

/* Fire functions the clocks share: alerts to intake; to the coordinator;
 * to both. */
enum kk_result sched_fire_intake(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				 struct kk_error *err);
enum kk_result sched_fire_coordinator(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				      struct kk_error *err);
enum kk_result sched_fire_staff(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				struct kk_error *err);

/* A language from a stored code ("ja", "en"; anything else Japanese). */
enum kk_lang sched_lang(const char *code);

#endif
