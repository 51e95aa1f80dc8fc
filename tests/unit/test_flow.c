/*
 * Every workflow of keikai (kk_flows[], flow.h) walked exhaustively through the
 * real core on a real database: for every state × event × role the core answers
 * exactly what the table says, moves the object exactly where the table says and
 * audits exactly the steps it took. Each flow's documentation page shows its
 * table row for row, and the schema accepts exactly its states.
 *
 * A new flow needs a driver below (how to make an object, fire an event on it and
 * read its state back through the core); the walk fails on a flow without one.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisory_world.h"
#include "keikai/advisory.h"
#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/calendar.h"
#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/flow.h"
#include "keikai/lift.h"
#include "keikai/settings.h"
#include "keikai/provision.h"
#include "keikai/alloc.h"
#include "keikai/mailin.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "keikai/vendor_request.h"
#include "case/date.h"
#include "case/internal.h"
#include "case/vendor_status.h"
#include "store/case_vendors.h"
#include "store/cases.h"
#include "unit.h"

/* every role, the system's too: the date flow has rows only keikai fires (SPEC 8) */
#define N_ROLES KK_ROLE_COUNT

/* The users of a walk, one per role (the anonymous one for KK_ROLE_NONE). */
struct cast {
	struct kk_user users[N_ROLES];
};

struct driver {
	const struct kk_flow *flow;
	/* what the flow's walk needs first (may be NULL): users of its own in c */
	void (*prepare)(struct kk_store *s, struct cast *c);
	/* a new object in the flow's first state: its key (24 bytes) and id */
	void (*create)(struct kk_store *s, char *key, int64_t *id);
	enum kk_result (*fire)(struct kk_store *s, const struct kk_user *actor, const char *key, const char *event,
			       struct kk_error *err);
	/* the object's state, read back through the core as a user who may see it */
	const char *(*state)(struct kk_store *s, const struct cast *c, const char *key);
	/* may be NULL: whether the object does not exist for role now (SPEC 1: a
	 * case a vendor was not notified of is missing to it, KK_ENOTFOUND, for
	 * every event its role may fire somewhere) */
	int (*hidden)(struct kk_store *s, const char *key, enum kk_role role);
};

/* ---- triage (SPEC 2.2) ---- */

static void triage_create(struct kk_store *s, char *key, int64_t *id)
{
	struct kk_user intake = { .role = KK_ROLE_INTAKE };
	struct kk_report r;

	unit_submit(s, unit_report_body("product"), key, NULL);
	cr_assert_eq(kk_report_get(s, &intake, key, 0, &r, NULL), KK_OK);
	*id = r.id;
	kk_report_release(&r);
}

/* issue 11: a report that came by mail starts in "mail" (kk_flow_is_entry) */
static void triage_create_mail(struct kk_store *s, char *key, int64_t *id)
{
	static const char msg[] = "From: walker@example.jp\r\nSubject: Walked by mail\r\n\r\nSteps.\r\n";
	struct kk_user intake = { .role = KK_ROLE_INTAKE };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_in_result r;
	struct kk_report rep;

	cr_assert_eq(kk_mail_in(s, msg, sizeof(msg) - 1, &r, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(r.kind, KK_MAIL_IN_REPORT, "%s", r.reason);
	snprintf(key, 24, "%s", r.tracking_id);
	cr_assert_eq(kk_report_get(s, &intake, key, 0, &rep, NULL), KK_OK);
	*id = rep.id;
	kk_report_release(&rep);
}

static enum kk_result triage_fire(struct kk_store *s, const struct kk_user *actor, const char *key,
				  const char *event, struct kk_error *err)
{
	int accept = strcmp(event, "accept") == 0;
	struct kk_decision d = { accept, accept ? KK_REJECT_NONE : KK_REJECT_OUT_OF_SCOPE, "walked" };

	if (strcmp(event, "complete") == 0) {
		json_t *body = unit_report_body("product");
		enum kk_result res = kk_report_complete(s, actor, key, body, NULL, err);

		json_decref(body);
		return res;
	}
	cr_assert(accept || strcmp(event, "reject") == 0, "the triage driver does not know the event %s", event);
	return kk_report_decide(s, actor, key, &d, NULL, err);
}

static const char *triage_state(struct kk_store *s, const struct cast *c, const char *key)
{
	struct kk_report r;
	const char *name;

	cr_assert_eq(kk_report_get(s, &c->users[KK_ROLE_INTAKE], key, 0, &r, NULL), KK_OK);
	name = kk_report_status_name(r.status);
	kk_report_release(&r);
	return name;
}

/* ---- vendor registration requests (G IV.4.2) ---- */

static void vreq_create(struct kk_store *s, char *key, int64_t *id)
{
	struct kk_vendor_request r = { 0 };

	r.name_en = kk_strdup("Walked Vendor");
	r.contact_email = kk_strdup("psirt@walked.example.jp");
	snprintf(r.lang, sizeof(r.lang), "en");
	cr_assert_eq(kk_vendor_request_submit(s, &r, NULL, NULL), KK_OK);
	*id = r.id;
	snprintf(key, 24, "%lld", (long long)r.id);
	kk_vendor_request_release(&r);
}

static enum kk_result vreq_fire(struct kk_store *s, const struct kk_user *actor, const char *key, const char *event,
				struct kk_error *err)
{
	int approve = strcmp(event, "approve") == 0;
	struct kk_vendor_request_decision d = { approve, approve ? NULL : "walked" };
	int64_t id = 0;

	cr_assert(approve || strcmp(event, "reject") == 0, "the vendor request driver does not know the event %s",
		  event);
	cr_assert_eq(kk_parse_id(key, &id), 0);
	return kk_vendor_request_decide(s, actor, id, &d, NULL, err);
}

static const char *vreq_state(struct kk_store *s, const struct cast *c, const char *key)
{
	struct kk_vendor_request r;
	const char *name;
	int64_t id = 0;

	cr_assert_eq(kk_parse_id(key, &id), 0);
	cr_assert_eq(kk_vendor_request_get(s, &c->users[KK_ROLE_COORDINATOR], id, &r, NULL), KK_OK);
	name = kk_vendor_request_status_name(r.status);
	kk_vendor_request_release(&r);
	return name;
}

/* ---- cases (SPEC 2.4, G IV.4.4) ---- */

/* A user of the walk's cast, found by the e-mail the walk gave it. */
static struct kk_user cast_user(struct kk_store *s, const char *role)
{
	char email[64];
	struct kk_user u;

	snprintf(email, sizeof(email), "walk-%s@example.jp", role);
	cr_assert_eq(kk_user_by_email(s, email, &u, NULL), KK_OK, "no %s in the cast", role);
	return u;
}

static void case_create(struct kk_store *s, char *key, int64_t *id)
{
	struct kk_user intake = cast_user(s, "intake"), coord = cast_user(s, "coordinator");
	struct kk_decision d = { 1, KK_REJECT_NONE, NULL };
	struct kk_error err = KK_ERROR_INIT;
	char tid[24];
	json_t *body, *out = NULL;

	unit_submit(s, unit_report_body("product"), tid, NULL);
	cr_assert_eq(kk_report_decide(s, &intake, tid, &d, NULL, &err), KK_OK, "%s", err.msg);
	body = json_pack("{s:[s], s:s, s:s, s:s}", "reports", tid, "title", "Walked", "summary", "s", "detail", "d");
	cr_assert_eq(kk_case_open(s, &coord, body, &out, &err), KK_OK, "%s", err.msg);
	snprintf(key, 24, "%s", json_string_value(json_object_get(out, "id")));
	*id = unit_count(s, "SELECT id FROM cases WHERE ref = ?", key);
	json_decref(body);
	json_decref(out);
	kk_user_release(&intake);
	kk_user_release(&coord);
}

static enum kk_result case_event_fire(struct kk_store *s, const struct kk_user *actor, const char *key,
				      const char *event, struct kk_error *err)
{
	json_t *body = json_pack("{s:s}", "reason", "walked"), *out = NULL;
	enum kk_result res = kk_case_event(s, actor, key, event, body, &out, err);

	json_decref(body);
	json_decref(out);
	/* SPEC 1: to a user who may not read the case the refusal looks like a
	 * missing case; the table's answer is still a refusal */
	if (res == KK_ENOTFOUND && !kk_may(actor, KK_ACT_CASE_READ, NULL))
		res = KK_EDENIED;
	return res;
}

static const char *case_state(struct kk_store *s, const struct cast *c, const char *key)
{
	static char state[24];
	json_t *out = NULL;

	cr_assert_eq(kk_case_get(s, &c->users[KK_ROLE_COORDINATOR], key, &out, NULL), KK_OK);
	snprintf(state, sizeof(state), "%s", json_string_value(json_object_get(out, "state")));
	json_decref(out);
	return state;
}

/* ---- a vendor's status per vulnerability (SPEC 2.6, 2.7, G IV.5) ---- */

/* The walk's case vendor (with an e-mail contact), and the cast's staff. */
static int64_t vstatus_vendor;
static const struct kk_user *vstatus_intake, *vstatus_coordinator;

/* The cast's vendor user becomes one of a vendor of the registry. */
static void vstatus_prepare(struct kk_store *s, struct cast *c)
{
	json_t *vendor = json_pack("{s:s, s:s, s:[{s:s, s:s, s:b}]}", "name_en", "Walked Vendor", "preferred_lang",
				   "en", "contacts", "channel", "email", "value", "psirt@walked-vendor.example.jp",
				   "is_primary", 1);
	struct kk_error err = KK_ERROR_INIT;
	int64_t uid = 0;

	cr_assert_eq(kk_vendor_add(s, &c->users[KK_ROLE_COORDINATOR], vendor, &vstatus_vendor, &err), KK_OK, "%s",
		     err.msg);
	json_decref(vendor);
	cr_assert_eq(kk_user_add(s, "Walked Vendor", KK_ROLE_VENDOR, "walk-vendor-of@example.jp", "Walked PSIRT",
				 "a long walked password", vstatus_vendor, &uid, &err),
		     KK_OK, "%s", err.msg);
	kk_user_release(&c->users[KK_ROLE_VENDOR]);
	cr_assert_eq(kk_user_by_email(s, "walk-vendor-of@example.jp", &c->users[KK_ROLE_VENDOR], &err), KK_OK);
	vstatus_intake = &c->users[KK_ROLE_INTAKE];
	vstatus_coordinator = &c->users[KK_ROLE_COORDINATOR];
	kk_error_release(&err);
}

/* A case of one accepted report with the walk's vendor on it, not notified;
 * key is the case's ref, id its vendor's status of vulnerability 1. */
static void vstatus_create(struct kk_store *s, char *key, int64_t *id)
{
	struct kk_decision d = { 1, KK_REJECT_NONE, "walked" };
	struct kk_error err = KK_ERROR_INIT;
	char tid[24];
	json_t *body, *out = NULL;

	unit_submit(s, unit_report_body("product"), tid, NULL);
	cr_assert_eq(kk_report_decide(s, vstatus_intake, tid, &d, NULL, &err), KK_OK, "%s", err.msg);
	body = json_pack("{s:[s], s:s, s:s, s:s}", "reports", tid, "title", "Walked case", "summary", "A summary.",
			 "detail", "The detail.");
	cr_assert_eq(kk_case_open(s, vstatus_coordinator, body, &out, &err), KK_OK, "%s", err.msg);
	snprintf(key, 24, "%s", json_string_value(json_object_get(out, "id")));
	json_decref(body);
	json_decref(out);
	body = json_pack("{s:I}", "vendor_id", (json_int_t)vstatus_vendor);
	cr_assert_eq(kk_case_vendor_add(s, vstatus_coordinator, key, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	*id = unit_count(s,
			 "SELECT vs.id FROM vendor_statuses vs JOIN case_vendors cv ON cv.id = vs.case_vendor_id"
			 " JOIN cases c ON c.id = cv.case_id WHERE c.ref = ?",
			 key);
	cr_assert_gt(*id, 0);
	kk_error_release(&err);
}

/* What keikai's scheduler does (SPEC 8, lib/schedule/silent.c): the table
 * fired as the system, which reads no case through the policy. */
static enum kk_result vstatus_fire_as_system(struct kk_store *s, const struct kk_user *actor, const char *key,
					     const char *event, struct kk_error *err)
{
	struct kk_case c = { 0 };
	struct kk_case_vendor cv = { 0 };
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 1, &tx, err);

	if (res)
		return res;
	res = kk_cases_load(&tx, key, 0, &c, err);
	if (!res)
		res = kk_case_vendors_load(&tx, c.id, vstatus_vendor, &cv, err);
	if (!res)
		res = case_status_fire(&tx, actor, &cv, 1, event, "walked", NULL, err);
	res = kk_tx_end(&tx, res, err);
	kk_case_vendor_release(&cv);
	kk_case_release(&c);
	return res;
}

static enum kk_result vstatus_fire(struct kk_store *s, const struct kk_user *actor, const char *key,
				   const char *event, struct kk_error *err)
{
	if (actor->role == KK_ROLE_SYSTEM)
		return vstatus_fire_as_system(s, actor, key, event, err);
	/* the note is the reason an answer "not applicable" needs */
	json_t *body = json_pack("{s:i, s:s, s:s, s:I}", "vulnerability", 1, "status", event, "note", "walked",
				 "vendor_id", (json_int_t)vstatus_vendor);
	enum kk_result res;

	res = kk_case_status_set(s, actor, key, body, NULL, err);

	json_decref(body);
	return res;
}

static const char *vstatus_state(struct kk_store *s, const struct cast *c, const char *key)
{
	static char state[24];
	json_t *out = NULL, *vendor;

	cr_assert_eq(kk_case_get(s, &c->users[KK_ROLE_COORDINATOR], key, &out, NULL), KK_OK);
	vendor = json_array_get(json_object_get(out, "vendors"), 0);
	cr_assert_eq(json_integer_value(json_object_get(vendor, "vendor_id")), vstatus_vendor);
	snprintf(state, sizeof(state), "%s",
		 json_string_value(json_object_get(json_array_get(json_object_get(vendor, "statuses"), 0), "status")));
	json_decref(out);
	return state;
}

/* SPEC 1: the case does not exist for a vendor that was not notified of it. */
static int vstatus_hidden(struct kk_store *s, const char *key, enum kk_role role)
{
	return role == KK_ROLE_VENDOR &&
	       unit_count(s,
			  "SELECT COUNT(*) FROM case_vendors cv JOIN cases c ON c.id = cv.case_id"
			  " WHERE c.ref = ? AND cv.notified_at IS NOT NULL",
			  key) == 0;
}

/* ---- a vendor's pre-notification under NDA (G IV.4.9) ---- */

static const struct kk_user *prenotify_vendor;

/* The walk's vendor user of vstatus_prepare asks. */
static void prenotify_prepare(struct kk_store *s, struct cast *c)
{
	if (!vstatus_vendor)
		vstatus_prepare(s, c);
	prenotify_vendor = &c->users[KK_ROLE_VENDOR];
}

/* A case whose vendor was notified, asked for the detail and asked to
 * pre-notify its customers; key is "REF/ID", id the request's. */
static void prenotify_create(struct kk_store *s, char *key, int64_t *id)
{
	struct kk_error err = KK_ERROR_INIT;
	char ref[24];
	int64_t status_id;
	json_t *body, *out = NULL;

	vstatus_create(s, ref, &status_id);
	body = json_pack("{s:[I]}", "vendor_ids", (json_int_t)vstatus_vendor);
	cr_assert_eq(kk_case_notify(s, vstatus_coordinator, ref, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	body = json_pack("{s:s}", "answer", "send_detail");
	cr_assert_eq(kk_case_answer(s, prenotify_vendor, ref, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	body = json_pack("{s:s, s:b, s:s}", "customers", "Walked Customers Ltd.", "nda", 1, "reason", "walked");
	cr_assert_eq(kk_prenotify_ask(s, prenotify_vendor, ref, body, &out, &err), KK_OK, "%s", err.msg);
	*id = json_integer_value(json_object_get(out, "id"));
	cr_assert_gt(*id, 0);
	snprintf(key, 24, "%s/%lld", ref, (long long)*id);
	json_decref(body);
	json_decref(out);
	kk_error_release(&err);
}

/* key "REF/ID" into ref (24 bytes) and *id. */
static void prenotify_key(const char *key, char *ref, int64_t *id)
{
	const char *slash = strchr(key, '/');

	cr_assert_not_null(slash);
	snprintf(ref, 24, "%.*s", (int)(slash - key), key);
	cr_assert_eq(kk_parse_id(slash + 1, id), 0);
}

static enum kk_result prenotify_fire(struct kk_store *s, const struct kk_user *actor, const char *key,
				     const char *event, struct kk_error *err)
{
	json_t *body = json_pack("{s:s, s:s}", "decision", event, "note", "walked"), *out = NULL;
	char ref[24];
	int64_t id;
	enum kk_result res;

	prenotify_key(key, ref, &id);
	res = kk_prenotify_decide(s, actor, ref, id, body, &out, err);
	json_decref(body);
	json_decref(out);
	/* SPEC 1: to a user who may not read the case the refusal looks like a
	 * missing case; the table's answer is still a refusal */
	if (res == KK_ENOTFOUND && !kk_may(actor, KK_ACT_CASE_READ, NULL))
		res = KK_EDENIED;
	return res;
}

static const char *prenotify_state(struct kk_store *s, const struct cast *c, const char *key)
{
	static char state[24];
	json_t *out = NULL, *v;
	char ref[24];
	int64_t id;
	size_t i;

	prenotify_key(key, ref, &id);
	state[0] = '\0';
	cr_assert_eq(kk_prenotify_list(s, &c->users[KK_ROLE_COORDINATOR], ref, &out, NULL), KK_OK);
	json_array_foreach(json_object_get(out, "requests"), i, v)
		if (json_integer_value(json_object_get(v, "id")) == id)
			snprintf(state, sizeof(state), "%s", json_string_value(json_object_get(v, "state")));
	json_decref(out);
	cr_assert_neq(state[0], '\0', "request %lld is not listed", (long long)id);
	return state;
}

/* ---- a case's publication date (issue 10, SPEC 2.8, 2.9, 8) ---- */

/* Runs the date flow's event on case key as actor in one transaction, the
 * table alone deciding: what the scheduler and day 0 do (propose, reach). */
struct date_fire {
	const struct kk_user *actor;
	const char *key, *event;
};

static enum kk_result date_fire_raw(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	const struct date_fire *f = arg;
	struct case_date_input in = { .at = kk_now() + 90 * 86400, .reason = "e" };
	struct kk_case c;
	enum kk_result res = kk_cases_load(tx, f->key, 0, &c, err);

	if (!res)
		res = case_fire(tx, f->actor, &kk_case_date_flow, c.id, &c, &in, c.date_state, f->event, err);
	kk_case_release(&c);
	return res;
}

static enum kk_result date_fire(struct kk_store *s, const struct kk_user *actor, const char *key, const char *event,
				struct kk_error *err)
{
	struct date_fire f = { actor, key, event };
	json_t *out = NULL, *body;
	enum kk_result res;
	char day[KK_DATE_LEN];

	if (actor->role == KK_ROLE_SYSTEM)
		return kk_tx_grouped(s, date_fire_raw, &f, err);
	if (!strcmp(event, "set")) {
		/* a business day three months on */
		struct kk_calendar *cal = NULL;

		cr_assert_eq(kk_calendar_default(&cal, NULL), KK_OK);
		kk_day_format(kk_calendar_next_business(cal, kk_day_of_time(kk_now()) + 90), day);
		kk_calendar_free(cal);
		body = json_pack("{s:s, s:s}", "date", day, "reason", "walked");
		res = kk_case_date_set(s, actor, key, body, &out, err);
	} else {
		body = json_pack("{s:s}", "reason", "e");
		res = kk_case_date_event(s, actor, key, event, !strcmp(event, "call_off") ? body : NULL, &out, err);
	}
	json_decref(body);
	json_decref(out);
	/* SPEC 1: to a user who may not read the case the refusal looks like a
	 * missing case; the table's answer is still a refusal */
	if (res == KK_ENOTFOUND && !kk_may(actor, KK_ACT_CASE_READ, NULL))
		res = KK_EDENIED;
	return res;
}

static const char *date_state(struct kk_store *s, const struct cast *c, const char *key)
{
	static char state[24];
	json_t *out = NULL;

	cr_assert_eq(kk_case_date_get(s, &c->users[KK_ROLE_COORDINATOR], key, &out, NULL), KK_OK);
	snprintf(state, sizeof(state), "%s", json_string_value(json_object_get(out, "state")));
	json_decref(out);
	return state;
}

/* ---- a finder's request to lift non-disclosure (SPEC 2.12, G IV.3(1)11) ---- */

/* The walk's vendor to notify (day 0), and the cast's staff. */
static int64_t lift_vendor;
static const struct kk_user *lift_intake, *lift_coordinator;

/* A vendor to notify; the finder may ask from day 0 on (clock_lift_days 0). */
static void lift_prepare(struct kk_store *s, struct cast *c)
{
	lift_intake = &c->users[KK_ROLE_INTAKE];
	lift_coordinator = &c->users[KK_ROLE_COORDINATOR];
	lift_vendor = unit_vendor(s, lift_coordinator, "Lift Walked Vendor", "psirt@lift-walked.example.jp", NULL);
	cr_assert_eq(kk_setting_set(s, "clock_lift_days", "0", NULL), KK_OK);
}

/* A case of one accepted report, its vendor notified, and the finder's
 * request; key is "REF ID". */
static void lift_create(struct kk_store *s, char *key, int64_t *id)
{
	struct kk_error err = KK_ERROR_INIT;
	char tid[24], secret[64], ref[KK_CASE_REF_MAX];
	json_t *body, *out = NULL;

	unit_accepted_report(s, lift_intake, unit_report_body("product"), tid, secret);
	unit_case_open(s, lift_coordinator, tid, "Walked lift", "s", "d", ref, sizeof(ref));
	body = json_pack("{s:I}", "vendor_id", (json_int_t)lift_vendor);
	cr_assert_eq(kk_case_vendor_add(s, lift_coordinator, ref, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	body = json_pack("{s:[I]}", "vendor_ids", (json_int_t)lift_vendor);
	cr_assert_eq(kk_case_notify(s, lift_coordinator, ref, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	body = json_object();
	cr_assert_eq(kk_lift_ask(s, secret, body, &out, &err), KK_OK, "%s", err.msg);
	*id = json_integer_value(json_object_get(out, "id"));
	snprintf(key, 24, "%s %lld", ref, (long long)*id);
	json_decref(body);
	json_decref(out);
	kk_error_release(&err);
}

static enum kk_result lift_fire(struct kk_store *s, const struct kk_user *actor, const char *key, const char *event,
				struct kk_error *err)
{
	json_t *body = json_pack("{s:s, s:s}", "decision", "not_yet", "explanation", "walked"), *out = NULL;
	char ref[24];
	long long id = 0;
	enum kk_result res;

	cr_assert_str_eq(event, "answer", "the lift driver does not know the event %s", event);
	cr_assert_eq(sscanf(key, "%23s %lld", ref, &id), 2);
	res = kk_lift_answer(s, actor, ref, id, body, &out, err);
	json_decref(body);
	json_decref(out);
	/* SPEC 1: to a user who may not read the case the refusal looks like a
	 * missing case; the table's answer is still a refusal */
	if (res == KK_ENOTFOUND && !kk_may(actor, KK_ACT_CASE_READ, NULL))
		res = KK_EDENIED;
	return res;
}

static const char *lift_state(struct kk_store *s, const struct cast *c, const char *key)
{
	static char state[24];
	char ref[24];
	long long id = 0;
	json_t *out = NULL, *q;
	size_t i;

	cr_assert_eq(sscanf(key, "%23s %lld", ref, &id), 2);
	cr_assert_eq(kk_lift_list(s, &c->users[KK_ROLE_COORDINATOR], ref, &out, NULL), KK_OK);
	state[0] = '\0';
	json_array_foreach(json_object_get(out, "requests"), i, q) {
		if (json_integer_value(json_object_get(q, "id")) == id)
			snprintf(state, sizeof(state), "%s", json_string_value(json_object_get(q, "state")));
	}
	json_decref(out);
	return state;
}

/* ---- an advisory (issue 12, SPEC 6, G IV.4.9) ---- */

static const struct kk_user *adv_intake, *adv_coordinator;

static void adv_prepare(struct kk_store *s, struct cast *c)
{
	(void)s;
	adv_intake = &c->users[KK_ROLE_INTAKE];
	adv_coordinator = &c->users[KK_ROLE_COORDINATOR];
}

/* The date of case key taken through its flow as day 0, the coordinator and
 * the scheduler would: proposed, set to a minute ago, reached. */
static enum kk_result adv_date_raw(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	static const char *const steps[] = { "propose", "set", "reach" };
	struct case_date_input in = { .at = kk_now() - 60, .reason = "walked" };
	enum kk_result res = KK_OK;

	for (size_t i = 0; !res && i < 3; i++) {
		struct kk_case c;

		res = kk_cases_load(tx, arg, 0, &c, err);
		if (!res)
			res = case_fire(tx, i == 1 ? adv_coordinator : &kk_system_user, &kk_case_date_flow, c.id, &c, &in,
					c.date_state, steps[i], err);
		kk_case_release(&c);
	}
	return res;
}

/* A case of one accepted report whose date has come, with a complete
 * draft; key is the case's ref, id the advisory's. */
static void adv_create(struct kk_store *s, char *key, int64_t *id)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = unit_json(AW_FULL);
	char tid[24];

	unit_accepted_report(s, adv_intake, unit_report_body("product"), tid, NULL);
	unit_case_open(s, adv_coordinator, tid, "Walked advisory", "s", "d", key, 24);
	cr_assert_eq(kk_tx_grouped(s, adv_date_raw, key, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_advisory_save(s, adv_coordinator, key, body, NULL, &err), KK_OK, "%s", err.msg);
	*id = unit_count(s, "SELECT a.id FROM advisories a JOIN cases c ON c.id = a.case_id WHERE c.ref = ?", key);
	cr_assert_gt(*id, 0);
	json_decref(body);
	kk_error_release(&err);
}

static enum kk_result adv_fire_event(struct kk_store *s, const struct kk_user *actor, const char *key,
				     const char *event, struct kk_error *err)
{
	char revised[8192];
	json_t *body;
	enum kk_result res;

	/* what only keikai does: the scheduler's publication (lib/schedule/publish.c) */
	if (!strcmp(event, "publish")) {
		struct kk_tx tx;
		int64_t id = unit_count(s, "SELECT a.id FROM advisories a JOIN cases c ON c.id = a.case_id WHERE c.ref = ?",
					key);

		res = kk_tx_begin(s, 1, &tx, err);
		if (!res)
			res = kk_tx_end(&tx, kk_advisory_publish(&tx, actor, id, err), err);
		return res;
	}
	snprintf(revised, sizeof(revised), "%.*s, \"note_en\": \"walked\"}", (int)strlen(AW_FULL) - 1, AW_FULL);
	body = unit_json(!strcmp(event, "revise") ? revised : "{}");
	res = kk_advisory_event(s, actor, key, event, body, NULL, err);
	json_decref(body);
	/* SPEC 1: to a user who may not read the case the refusal looks like a
	 * missing case; the table's answer is still a refusal */
	if (res == KK_ENOTFOUND && !kk_may(actor, KK_ACT_CASE_READ, NULL))
		res = KK_EDENIED;
	return res;
}

static const char *adv_state(struct kk_store *s, const struct cast *c, const char *key)
{
	static char state[24];
	json_t *out = NULL;

	cr_assert_eq(kk_advisory_get(s, &c->users[KK_ROLE_COORDINATOR], key, &out, NULL), KK_OK);
	snprintf(state, sizeof(state), "%s", json_string_value(json_object_get(out, "state")));
	json_decref(out);
	return state;
}

static const struct driver drivers[] = {
	{ &kk_report_triage, NULL, triage_create, triage_fire, triage_state, NULL },
	{ &kk_vendor_request_flow, NULL, vreq_create, vreq_fire, vreq_state, NULL },
	{ &kk_case_flow, NULL, case_create, case_event_fire, case_state, NULL },
	{ &kk_case_date_flow, NULL, case_create, date_fire, date_state, NULL },
	{ &kk_lift_flow, lift_prepare, lift_create, lift_fire, lift_state, NULL },
	{ &kk_vendor_status_flow, vstatus_prepare, vstatus_create, vstatus_fire, vstatus_state, vstatus_hidden },
	{ &kk_prenotify_flow, prenotify_prepare, prenotify_create, prenotify_fire, prenotify_state, NULL },
	{ &kk_advisory_flow, adv_prepare, adv_create, adv_fire_event, adv_state, NULL },
};

/* The states objects also start in (kk_flow_is_entry), and how the walk makes one there. */
static const struct {
	const struct kk_flow *flow;
	const char *state;
	void (*create)(struct kk_store *s, char *key, int64_t *id);
} entry_creators[] = {
	{ &kk_report_triage, "mail", triage_create_mail },
};

static const struct driver *driver_of(const struct kk_flow *f)
{
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (drivers[i].flow == f)
			return &drivers[i];
	return NULL;
}

/* ---- the table's answer, worked out here from the rows alone ---- */

static const struct kk_flow_transition *row(const struct kk_flow *f, const char *from, const char *event)
{
	for (size_t i = 0; i < f->n_transitions; i++)
		if (!strcmp(f->transitions[i].from, from) && !strcmp(f->transitions[i].event, event))
			return &f->transitions[i];
	return NULL;
}

static enum kk_result expected(const struct kk_flow *f, const char *from, const char *event, enum kk_role role)
{
	const struct kk_flow_transition *t = row(f, from, event);
	int ever = 0;

	for (size_t i = 0; i < f->n_transitions; i++)
		if (!strcmp(f->transitions[i].event, event) && (f->transitions[i].roles & KK_ROLE_BIT(role)))
			ever = 1;
	if (!ever)
		return KK_EDENIED;
	if (!t)
		return KK_ECONFLICT;
	return (t->roles & KK_ROLE_BIT(role)) ? KK_OK : KK_EDENIED;
}

/* Fires, from the first state, the first allowed path of rows to `target`
 * (breadth first over the table). */
static void reach(const struct driver *d, struct kk_store *s, const struct cast *c, const char *key,
		  const char *target)
{
	const struct kk_flow *f = d->flow;
	int prev[64], via[64], queue[64], head = 0, tail = 0, at;
	const struct kk_flow_transition *path[64];
	size_t n = 0;

	cr_assert_lt(f->n_states, 64u);
	for (size_t i = 0; i < f->n_states; i++)
		prev[i] = -2;
	prev[0] = -1;
	queue[tail++] = 0;
	while (head < tail) {
		int from = queue[head++];

		for (size_t i = 0; i < f->n_transitions; i++) {
			int to = kk_flow_state_index(f, f->transitions[i].to);

			if (kk_flow_state_index(f, f->transitions[i].from) == from && prev[to] == -2) {
				prev[to] = from;
				via[to] = (int)i;
				queue[tail++] = to;
			}
		}
	}
	at = kk_flow_state_index(f, target);
	cr_assert_neq(prev[at], -2, "%s: state %s cannot be reached from %s", f->name, target, f->states[0].name);
	for (; prev[at] != -1; at = prev[at])
		path[n++] = &f->transitions[via[at]];
	while (n--) {
		const struct kk_flow_transition *t = path[n];
		enum kk_role role = KK_ROLE_NONE;
		struct kk_error err = KK_ERROR_INIT;

		while (!(t->roles & KK_ROLE_BIT(role)))
			role++;
		cr_assert_eq(d->fire(s, &c->users[role], key, t->event, &err), KK_OK, "%s: %s on the way to %s: %s",
			     f->name, t->event, target, err.msg);
	}
	cr_assert_str_eq(d->state(s, c, key), target);
}

static size_t audit_count(struct kk_store *s, const struct kk_flow *f, int64_t id)
{
	json_t *trail = NULL;
	size_t n;

	cr_assert_eq(kk_audit_list(s, f->object_type, id, &trail, NULL), KK_OK);
	n = json_array_size(trail);
	json_decref(trail);
	return n;
}

static void walk(const struct driver *d, struct kk_store *s, const struct cast *c)
{
	const struct kk_flow *f = d->flow;

	for (size_t st = 0; st < f->n_states; st++) {
		for (size_t e = 0; e < f->n_transitions; e++) {
			const char *event = f->transitions[e].event;

			if (row(f, f->transitions[e].from, event) != &f->transitions[e])
				continue;
			for (size_t dup = 0; dup < e; dup++)
				if (!strcmp(f->transitions[dup].event, event))
					goto next_event;
			for (int role = 0; role < N_ROLES; role++) {
				const char *from = f->states[st].name;
				enum kk_result want = expected(f, from, event, (enum kk_role)role), got;
				struct kk_error err = KK_ERROR_INIT;
				char key[24];
				int64_t id;
				size_t audited;

				if (kk_flow_is_entry(f, from)) {
					size_t k = 0;

					while (k < sizeof(entry_creators) / sizeof(entry_creators[0]) &&
					       (entry_creators[k].flow != f || strcmp(entry_creators[k].state, from) != 0))
						k++;
					cr_assert_lt(k, sizeof(entry_creators) / sizeof(entry_creators[0]),
						     "%s: no way to make an object in the entry state %s", f->name, from);
					entry_creators[k].create(s, key, &id);
				} else {
					d->create(s, key, &id);
					reach(d, s, c, key, from);
				}
				if (d->hidden && kk_flow_role_may_fire(f, event, (enum kk_role)role) &&
				    d->hidden(s, key, (enum kk_role)role))
					want = KK_ENOTFOUND;
				audited = audit_count(s, f, id);
				got = d->fire(s, &c->users[role], key, event, &err);
				cr_assert_eq(got, want, "%s: %s in %s by %s: got %d (%s), the table says %d", f->name, event,
					     from, kk_role_name((enum kk_role)role), got, err.msg, want);
				cr_assert_str_eq(d->state(s, c, key), want ? from : row(f, from, event)->to,
						 "%s: %s in %s by %s", f->name, event, from, kk_role_name((enum kk_role)role));
				cr_assert_eq(audit_count(s, f, id), audited + (want == KK_OK),
					     "%s: %s in %s by %s is audited once, or not at all when refused", f->name,
					     event, from, kk_role_name((enum kk_role)role));
				kk_error_release(&err);
			}
next_event:;
		}
	}
}

/* Every state × event × role of every flow (the issue 7 walk). */
Test(flow, every_flow_walked_exhaustively)
{
	struct kk_store *s = unit_store(NULL);
	struct cast c;

	c.users[KK_ROLE_NONE] = kk_anonymous;
	c.users[KK_ROLE_SYSTEM] = kk_system_user; /* never a user's: kk_role_parse refuses it */
	for (int role = 1; role <= KK_ROLE_LAST_USER; role++) {
		char email[64];

		snprintf(email, sizeof(email), "walk-%s@example.jp", kk_role_name((enum kk_role)role));
		c.users[role] = unit_user(s, kk_role_name((enum kk_role)role), email);
	}
	for (size_t i = 0; kk_flows[i]; i++) {
		const struct driver *d = driver_of(kk_flows[i]);

		cr_assert_not_null(d, "the flow %s has no driver in tests/unit/test_flow.c", kk_flows[i]->name);
		if (d->prepare)
			d->prepare(s, &c);
		walk(d, s, &c);
	}
	for (int role = 1; role <= KK_ROLE_LAST_USER; role++)
		kk_user_release(&c.users[role]);
	kk_store_close(s);
}

/* The engine's own answer (what the UI offers) agrees with the table's. */
Test(flow, events_offered_are_the_ones_the_table_allows)
{
	for (size_t i = 0; kk_flows[i]; i++) {
		const struct kk_flow *f = kk_flows[i];

		for (size_t st = 0; st < f->n_states; st++) {
			for (int role = 0; role < N_ROLES; role++) {
				struct kk_user u = { .role = (enum kk_role)role };
				struct kk_flow_step step = { .actor = &u };
				const char *events[16];
				size_t n = kk_flow_events(f, &step, f->states[st].name, events, 16), want = 0;

				for (size_t t = 0; t < f->n_transitions; t++)
					if (!strcmp(f->transitions[t].from, f->states[st].name) && !f->transitions[t].guard &&
					    (f->transitions[t].roles & KK_ROLE_BIT(role)))
						cr_assert_str_eq(events[want++], f->transitions[t].event);
				cr_assert_eq(n, want, "%s in %s for %s", f->name, f->states[st].name,
					     kk_role_name((enum kk_role)role));
			}
		}
	}
}

/* Every row names states of its flow, and every state but the first is reached. */
Test(flow, tables_are_well_formed)
{
	for (size_t i = 0; kk_flows[i]; i++) {
		const struct kk_flow *f = kk_flows[i];

		cr_assert_gt(f->n_states, 0u);
		for (size_t t = 0; t < f->n_transitions; t++) {
			cr_assert_geq(kk_flow_state_index(f, f->transitions[t].from), 0, "%s", f->transitions[t].from);
			cr_assert_geq(kk_flow_state_index(f, f->transitions[t].to), 0, "%s", f->transitions[t].to);
			cr_assert_neq(f->transitions[t].roles, 0u, "%s: %s has no role", f->name, f->transitions[t].event);
			cr_assert_not_null(f->transitions[t].action);
			cr_assert_eq(row(f, f->transitions[t].from, f->transitions[t].event), &f->transitions[t],
				     "%s: two rows for %s in %s", f->name, f->transitions[t].event, f->transitions[t].from);
		}
		for (size_t st = 1; st < f->n_states; st++) {
			int in = 0;

			/* an entry state (issue 11: "mail") is where objects start */
			in = kk_flow_is_entry(f, f->states[st].name);
			for (size_t t = 0; t < f->n_transitions; t++)
				in |= !strcmp(f->transitions[t].to, f->states[st].name);
			cr_assert(in, "%s: nothing leads to %s", f->name, f->states[st].name);
		}
	}
}

/* ---- the documentation shows each table ---- */

Test(flow, documentation_shows_every_row_and_no_other)
{
	for (size_t i = 0; kk_flows[i]; i++) {
		const struct kk_flow *f = kk_flows[i];
		char *doc = unit_read_source(f->doc), line[512], roles[128], effects[256];
		const char *table = strstr(doc, "<!-- transitions -->");

		cr_assert_not_null(table, "%s has no <!-- transitions --> table", f->doc);
		for (size_t t = 0; t < f->n_transitions; t++) {
			const struct kk_flow_transition *tr = &f->transitions[t];
			size_t len = 0;

			unit_roles_text(tr->roles, roles, sizeof(roles));
			effects[0] = '\0';
			for (size_t e = 0; e < KK_FLOW_MAX_EFFECTS && tr->effects[e]; e++)
				len += (size_t)snprintf(effects + len, sizeof(effects) - len, "%s%s", len ? ", " : "",
							tr->effects[e]->name);
			snprintf(line, sizeof(line), "| %s | %s | %s | %s | %s | %s |", tr->from, tr->event, roles,
				 tr->guard ? tr->guard->name : "—", tr->to, len ? effects : "—");
			cr_assert_not_null(strstr(table, line), "%s lacks the row %s", f->doc, line);
		}
		cr_assert_eq(unit_table_rows(doc, "<!-- transitions -->", "| from"), (int)f->n_transitions,
			     "%s has rows the table does not", f->doc);
		for (size_t st = 0; st < f->n_states; st++) {
			snprintf(line, sizeof(line), "**%s**", f->states[st].name);
			cr_assert_not_null(strstr(doc, line), "%s does not describe the state %s", f->doc,
					   f->states[st].name);
		}
		free(doc);
	}
}

/* ---- triage specifics: the enum, the schema ---- */

/* enum kk_report_status is the order of the triage states. */
Test(flow, report_status_enum_follows_the_table)
{
	static const enum kk_report_status all[] = { KK_REPORT_RECEIVED, KK_REPORT_ACCEPTED, KK_REPORT_REJECTED,
							     KK_REPORT_MAIL };
	enum kk_report_status st;

	cr_assert_eq(kk_report_triage.n_states, sizeof(all) / sizeof(all[0]));
	for (size_t i = 0; i < kk_report_triage.n_states; i++) {
		cr_assert_str_eq(kk_report_status_name(all[i]), kk_report_triage.states[i].name);
		cr_assert_eq(kk_report_status_parse(kk_report_triage.states[i].name, &st), 0);
		cr_assert_eq(st, all[i]);
	}
	cr_assert_eq(kk_report_status_parse("archived", &st), -1);
}

/* The database's CHECK on reports.status admits exactly the triage states. */
Test(flow, schema_admits_exactly_the_states)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	char key[24];
	int64_t id;

	triage_create(s, key, &id);
	for (size_t i = 0; i <= kk_report_triage.n_states; i++) {
		const char *name = i < kk_report_triage.n_states ? kk_report_triage.states[i].name : "archived";
		struct kk_stmt *st;
		struct kk_tx tx;
		enum kk_result res;

		cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK);
		st = kk_stmt_prepare(&tx, "UPDATE reports SET status = ? WHERE tracking_id = ?", &err);
		if (st) {
			kk_stmt_bind_text(st, 1, name);
			kk_stmt_bind_text(st, 2, key);
		}
		res = kk_tx_end(&tx, kk_stmt_once(st, &err), &err);
		if (i < kk_report_triage.n_states)
			cr_assert_eq(res, KK_OK, "%s: %s", name, err.msg);
		else
			cr_assert_neq(res, KK_OK, "the schema admits a state the flow does not have");
		kk_error_release(&err);
	}
	kk_store_close(s);
}
