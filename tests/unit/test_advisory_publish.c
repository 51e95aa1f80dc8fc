/*
 * test_advisory_publish.c: publication on the agreed minute (issue 12 items
 * 2-5; SPEC 2.8, 2.9, 2.11, 6, G IV.4.9) through the real core and the real
 * scheduler on the engine under test, the core clock set by the test: one
 * minute -- and one second -- before the date nothing is public; at it the
 * tick that reaches the date publishes, with the public ID, the history and
 * the notices, once; a second tick does nothing; an advisory approved after
 * its date publishes at the next tick; a called-off date never publishes;
 * the public ID's form and kind, never reused; every party's reads before
 * and after; every vendor's status with "no response"; and a vendor's update
 * after publication adding history and bumping the updated time.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisory_world.h"
#include "keikai/portal.h"
#include "keikai/settings.h"
#include "keikai/vendor.h"
#include "store/advisories.h"

/* The world with a full advisory approved and the date set. */
static void approved(struct aw *w)
{
	struct kk_error err = KK_ERROR_INIT;

	aw_setup(w, 1);
	aw_ok(w, kk_advisory_save, &w->p.coord, AW_FULL);
	cr_assert_eq(aw_event(w, &w->p.coord, "approve", "{}", NULL, &err), KK_OK, "%s", err.msg);
	aw_set_date(w);
	kk_error_release(&err);
}

/* The public ID of the case's advisory ("" before publication) into id. */
static const char *public_id(struct aw *w, char *id, size_t n)
{
	json_t *a = aw_get(w, &w->p.coord);

	snprintf(id, n, "%s", aw_str(a, "id", NULL) ? aw_str(a, "id", NULL) : "");
	json_decref(a);
	return id;
}

static size_t public_count(struct aw *w)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	int64_t total = -1;
	size_t n;

	cr_assert_eq(kk_advisory_public_list(w->p.s, 50, 1, &out, &total, &err), KK_OK, "%s", err.msg);
	n = json_array_size(json_object_get(out, "advisories"));
	cr_assert_eq((int64_t)n, total);
	json_decref(out);
	kk_error_release(&err);
	return n;
}

/* The public advisory id (must be published). */
static json_t *public_get(struct aw *w, const char *id)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;

	cr_assert_eq(kk_advisory_public_get(w->p.s, id, &out, &err), KK_OK, "%s: %s", id, err.msg);
	kk_error_release(&err);
	return out;
}

static enum kk_result call_off(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
			       json_t **out, struct kk_error *err)
{
	return kk_case_date_event(s, actor, ref, "call_off", body, out, err);
}

/* Publishes w's approved advisory: the clock past its date, one tick. */
static void publish(struct aw *w, char *id, size_t n)
{
	kk_clock_freeze(AW_PUB + 60);
	json_decref(aw_tick(w));
	public_id(w, id, n);
	cr_assert_neq(id[0], '\0', "not published");
}

/* issue 12 item 4: "not a second before"; the tick that reaches the date
 * publishes; notices queued once; a second tick does nothing */
Test(advisory_publish, on_the_agreed_minute_once)
{
	struct aw w;
	char id[KK_ADVISORY_ID_MAX], slug[KK_ADVISORY_ID_MAX], again[KK_ADVISORY_ID_MAX];
	json_t *tick, *pub;
	size_t vendors_told, finders_told;

	approved(&w);
	kk_clock_freeze(AW_PUB - 60);
	json_decref(aw_tick(&w));
	cr_assert_str_eq(public_id(&w, id, sizeof(id)), "");
	cr_assert_eq(public_count(&w), 0);
	kk_clock_freeze(AW_PUB - 1);
	json_decref(aw_tick(&w));
	cr_assert_str_eq(public_id(&w, id, sizeof(id)), "", "published a second before its minute");
	cr_assert_eq(aw_outbox(&w, "advisory_published"), 0);
	kk_clock_freeze(AW_PUB);
	tick = aw_tick(&w);
	kk_clock_freeze(AW_PUB + 30);
	/* the same tick made the date ready and published */
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(tick, "fired"), "date_reached")), 1);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(tick, "fired"), "publish")), 1);
	json_decref(tick);
	public_id(&w, id, sizeof(id));
	/* several vendors: JVNVU#, 8 digits */
	cr_assert_eq(strncmp(id, "JVNVU#", 6), 0, "%s", id);
	cr_assert_eq(strlen(id), 14u);
	cr_assert_eq(public_count(&w), 1);
	pub = public_get(&w, kk_advisory_id_slug(id, slug, sizeof(slug)));
	cr_assert_str_eq(aw_str(pub, "id", NULL), id);
	cr_assert_eq(json_integer_value(json_object_get(pub, "published_at")), AW_PUB);
	cr_assert_eq(json_integer_value(json_object_get(pub, "revision")), 1);
	cr_assert_str_eq(aw_str(json_array_get(json_object_get(pub, "history"), 0), "kind", NULL), "published");
	cr_assert_str_eq(aw_str(json_object_get(json_object_get(pub, "texts"), "en"), "title_with_id", NULL) + strlen(id),
			 ": Cross-site scripting vulnerability in Example Router");
	json_decref(pub);
	/* the finder, the three notified vendors and intake were told, once */
	finders_told = aw_outbox(&w, "advisory_finder");
	vendors_told = aw_outbox(&w, "advisory_published");
	cr_assert_eq(finders_told, 1);
	cr_assert_eq(vendors_told, 3 + 1);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'advisory_published'"
				       " AND recipient = 'psirt@fourth.example.jp'", NULL), 0);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'advisory_finder' AND safe_body LIKE ?",
				"%/advisories/JVNVU%"), 1);
	/* the finder's status page: published (case.h stages) */
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM cases WHERE advisory_id = ?", id), 1);
	/* the audit record of the publication, by keikai */
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM audit WHERE object_type = 'advisory' AND action = 'publish'"
				       " AND role = 'system'", NULL), 1);
	kk_clock_freeze(AW_PUB + 3600);
	tick = aw_tick(&w);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(tick, "fired"), "publish")), 0);
	json_decref(tick);
	cr_assert_str_eq(public_id(&w, again, sizeof(again)), id);
	cr_assert_eq(aw_outbox(&w, "advisory_finder"), finders_told);
	cr_assert_eq(aw_outbox(&w, "advisory_published"), vendors_told);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM advisory_ids", NULL), 1);
	aw_teardown(&w);
}

/* an approved advisory past its date publishes at the next tick */
Test(advisory_publish, approved_after_the_date_publishes_next_tick)
{
	struct kk_error err = KK_ERROR_INIT;
	char id[KK_ADVISORY_ID_MAX];
	struct aw w;
	json_t *d = NULL;

	aw_setup(&w, 1);
	aw_ok(&w, kk_advisory_save, &w.p.coord, AW_FULL);
	aw_set_date(&w);
	kk_clock_freeze(AW_PUB + 600);
	json_decref(aw_tick(&w));
	cr_assert_eq(kk_case_date_get(w.p.s, &w.p.coord, w.ref, &d, &err), KK_OK);
	cr_assert_str_eq(aw_str(d, "state", NULL), "ready");
	json_decref(d);
	cr_assert_str_eq(public_id(&w, id, sizeof(id)), "", "a draft is never published");
	cr_assert_eq(aw_event(&w, &w.p.coord, "approve", "{}", NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(public_id(&w, id, sizeof(id)), "");
	kk_clock_freeze(AW_PUB + 660);
	json_decref(aw_tick(&w));
	cr_assert_neq(public_id(&w, id, sizeof(id))[0], '\0');
	kk_error_release(&err);
	aw_teardown(&w);
}

/* SPEC 2.9: a called-off date never publishes */
Test(advisory_publish, called_off_never_publishes)
{
	struct kk_error err = KK_ERROR_INIT;
	char id[KK_ADVISORY_ID_MAX];
	struct aw w;

	approved(&w);
	aw_ok(&w, call_off, &w.p.coord, "{\"reason\": \"b\", \"note\": \"No impact.\"}");
	kk_clock_freeze(AW_PUB + 86400);
	json_decref(aw_tick(&w));
	cr_assert_str_eq(public_id(&w, id, sizeof(id)), "");
	cr_assert_eq(public_count(&w), 0);
	cr_assert_eq(aw_outbox(&w, "advisory_published"), 0);
	/* the flow's guard too: keikai publishing by hand is refused */
	{
		struct kk_tx tx;
		int64_t aid = unit_count(w.p.s, "SELECT id FROM advisories", NULL);

		cr_assert_eq(kk_tx_begin(w.p.s, 1, &tx, &err), KK_OK);
		cr_assert_eq(kk_advisory_publish(&tx, &kk_system_user, aid, &err), KK_ECONFLICT);
		kk_tx_end(&tx, KK_ECONFLICT, NULL);
		cr_assert_eq(kk_tx_begin(w.p.s, 1, &tx, &err), KK_OK);
		cr_assert_eq(kk_advisory_publish(&tx, &w.p.coord, aid, &err), KK_EDENIED);
		kk_tx_end(&tx, KK_EDENIED, NULL);
	}
	kk_error_release(&err);
	aw_teardown(&w);
}

/* issue 12 item 2: JVN# for one domestic vendor, JVNTA# for a technical
 * alert the coordinator chose, the prefixes from the settings */
Test(advisory_publish, the_kind_of_id)
{
	struct kk_error err = KK_ERROR_INIT;
	char id[KK_ADVISORY_ID_MAX], body[4096];
	struct aw w;
	json_t *b, *a;

	/* one domestic vendor: only Example Corp notified, now registered in JP */
	aw_setup(&w, 1);
	cr_assert_eq(kk_setting_set(w.p.s, "advisory_prefix_jvn", "KVN", &err), KK_OK);
	b = unit_json("{\"country\": \"JP\"}");
	cr_assert_eq(kk_vendor_update(w.p.s, &w.p.coord, w.p.vid, b, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	{
		struct kk_tx tx;
		struct kk_stmt *st;

		/* the other two were never notified in this world */
		cr_assert_eq(kk_tx_begin(w.p.s, 1, &tx, &err), KK_OK);
		st = kk_stmt_prepare(&tx, "UPDATE case_vendors SET notified_at = NULL WHERE vendor_id <> ?", &err);
		kk_stmt_bind_int(st, 1, w.p.vid);
		cr_assert_eq(kk_tx_end(&tx, kk_stmt_once(st, &err), &err), KK_OK, "%s", err.msg);
	}
	aw_ok(&w, kk_advisory_save, &w.p.coord, AW_FULL);
	cr_assert_eq(aw_event(&w, &w.p.coord, "approve", "{}", NULL, &err), KK_OK, "%s", err.msg);
	aw_set_date(&w);
	publish(&w, id, sizeof(id));
	cr_assert_eq(strncmp(id, "KVN#", 4), 0, "%s", id);
	cr_assert_eq(strlen(id), 12u);
	a = aw_get(&w, &w.p.coord);
	cr_assert_str_eq(aw_str(a, "kind", NULL), "jvn");
	cr_assert_not_null(strstr(aw_str(a, "url", NULL), "/advisories/KVN"));
	json_decref(a);
	aw_teardown(&w);

	/* a technical alert, whatever the vendors */
	aw_setup(&w, 1);
	snprintf(body, sizeof(body), "%.*s, \"kind\": \"ta\"}", (int)strlen(AW_FULL) - 1, AW_FULL);
	aw_ok(&w, kk_advisory_save, &w.p.coord, body);
	cr_assert_eq(aw_event(&w, &w.p.coord, "approve", "{}", NULL, &err), KK_OK, "%s", err.msg);
	aw_set_date(&w);
	publish(&w, id, sizeof(id));
	cr_assert_eq(strncmp(id, "JVNTA#", 6), 0, "%s", id);
	kk_error_release(&err);
	aw_teardown(&w);
}

/* issue 12 item 2: an ID is never given again, even when its advisory is gone */
Test(advisory_publish, ids_never_reused)
{
	struct kk_error err = KK_ERROR_INIT;
	char id[KK_ADVISORY_ID_MAX];
	struct kk_tx tx;
	struct kk_stmt *st;
	struct aw w;
	int taken = -1;

	approved(&w);
	publish(&w, id, sizeof(id));
	cr_assert_eq(kk_tx_begin(w.p.s, 1, &tx, &err), KK_OK);
	st = kk_stmt_prepare(&tx, "DELETE FROM advisories", &err);
	cr_assert_eq(kk_stmt_once(st, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM advisory_ids WHERE public_id = ?", id), 1);
	/* the ID outlived its advisory: it cannot be taken again, another can */
	cr_assert_eq(kk_tx_begin(w.p.s, 1, &tx, &err), KK_OK);
	cr_assert_eq(kk_advisory_ids_take(&tx, id, 1, kk_now(), &taken, &err), KK_OK);
	cr_assert_eq(taken, 0);
	cr_assert_eq(kk_advisory_ids_take(&tx, "JVNVU#00000000", 1, kk_now(), &taken, &err), KK_OK);
	cr_assert_eq(taken, 1);
	kk_tx_end(&tx, KK_OK, NULL);
	/* and the public answer for it is a missing one's */
	{
		json_t *out = NULL;
		char want[64];

		cr_assert_eq(kk_advisory_public_get(w.p.s, id, &out, &err), KK_ENOTFOUND);
		snprintf(want, sizeof(want), "There is no advisory %s.", id);
		cr_assert_str_eq(err.msg, want);
	}
	kk_error_release(&err);
	aw_teardown(&w);
}

/* SPEC 1, issue 12 item 4: every party before and after publication */
Test(advisory_publish, embargo_every_role_before_and_after)
{
	struct kk_error err = KK_ERROR_INIT, missing = KK_ERROR_INIT;
	char id[KK_ADVISORY_ID_MAX], slug[KK_ADVISORY_ID_MAX], other[KK_ADVISORY_ID_MAX];
	struct kk_user fourth;
	struct aw w;
	json_t *out = NULL, *pub;

	approved(&w);
	fourth = unit_vendor_user(w.p.s, w.fourth_vid, "psirt@fourth-user.example.jp");
	/* before: nothing is public; the draft is staff's and the notified vendors' */
	cr_assert_eq(public_count(&w), 0);
	for (int role = 0; role < 8; role++) {
		const struct kk_user *u = role == 0 ? &kk_anonymous : role == 1 ? &w.p.intake : role == 2 ? &w.p.coord
					  : role == 3 ? &w.p.vendor : role == 4 ? &w.third : role == 5 ? &w.p.operator
					  : role == 6 ? &fourth : &w.p.admin;
		int reads = role == 1 || role == 2 || role == 3 || role == 4 || role == 7;

		kk_error_release(&err);
		cr_assert_eq(kk_advisory_get(w.p.s, u, w.ref, &out, &err), reads ? KK_OK : KK_ENOTFOUND, "%d", role);
		json_decref(out);
		out = NULL;
	}
	publish(&w, id, sizeof(id));
	kk_advisory_id_slug(id, slug, sizeof(slug));
	/* after: the public reads it by either form of its ID */
	pub = public_get(&w, slug);
	json_decref(pub);
	pub = public_get(&w, id);
	cr_assert_eq(json_array_size(json_object_get(pub, "vendors")), 3, "every notified vendor is public now");
	cr_assert_eq(json_array_size(json_object_get(pub, "acknowledgements")), 1);
	json_decref(pub);
	/* a vendor's preview now shows what the public sees */
	out = aw_get(&w, &w.third);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(out, "rendered"), "vendors")), 3);
	cr_assert(json_is_false(json_object_get(json_object_get(out, "may"), "comment")));
	json_decref(out);
	/* the draft stays the case's: still missing to those off the case */
	cr_assert_eq(kk_advisory_get(w.p.s, &fourth, w.ref, &out, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_advisory_get(w.p.s, &kk_anonymous, w.ref, &out, &err), KK_ENOTFOUND);
	/* an ID never given answers like one that does not exist */
	snprintf(other, sizeof(other), "JVNVU#%08d", strcmp(id + 6, "12345678") ? 12345678 : 87654321);
	cr_assert_eq(kk_advisory_public_get(w.p.s, other, &out, &missing), KK_ENOTFOUND);
	cr_assert_eq(kk_advisory_public_get(w.p.s, "not an id", &out, &err), KK_ENOTFOUND);
	cr_assert_str_eq(err.msg, "There is no advisory .");
	kk_user_release(&fourth);
	kk_error_release(&err);
	kk_error_release(&missing);
	aw_teardown(&w);
}

/* SPEC 2.11, 付録B V.一.3(6): every notified vendor, "no response" where due */
Test(advisory_publish, every_vendor_with_no_response)
{
	char id[KK_ADVISORY_ID_MAX];
	struct aw w;
	json_t *pub, *v;
	size_t i;
	int seen = 0;

	approved(&w);
	publish(&w, id, sizeof(id));
	pub = public_get(&w, id);
	json_array_foreach(json_object_get(pub, "vendors"), i, v) {
		int64_t vid = json_integer_value(json_object_get(v, "vendor_id"));
		const json_t *st = json_array_get(json_object_get(v, "statuses"), 0);

		cr_assert_neq(vid, w.fourth_vid, "a vendor never notified is not listed");
		if (vid == w.p.vid) {
			cr_assert_str_eq(aw_str(st, "status", NULL), "fixed");
			cr_assert(json_is_false(json_object_get(v, "no_response")));
			cr_assert_str_eq(aw_str(json_array_get(json_object_get(v, "countermeasures"), 0), "product_name", NULL),
					 "Example Router");
			cr_assert_str_eq(aw_str(v, "statement", "en"), "A fix is out.");
			cr_assert_eq(json_integer_value(json_object_get(v, "updated_at")), AW_DAY0 + 10 * AW_DAY);
			seen |= 1;
		} else if (vid == w.p.other_vid) {
			cr_assert_str_eq(aw_str(st, "status", NULL), "not_affected");
			cr_assert(json_is_false(json_object_get(v, "no_response")));
			cr_assert_eq(json_integer_value(json_object_get(v, "updated_at")), AW_DAY0 + 2 * AW_DAY);
			seen |= 2;
		} else {
			cr_assert_eq(vid, w.third_vid);
			cr_assert_str_eq(aw_str(st, "status", NULL), "no_response");
			cr_assert_str_eq(aw_str(st, "status_label", NULL), "No response");
			cr_assert(json_is_true(json_object_get(v, "no_response")));
			cr_assert(json_is_null(json_object_get(v, "updated_at")));
			seen |= 4;
		}
	}
	cr_assert_eq(seen, 7);
	{
		char *text = kk_json_dumps(pub, 0);

		/* a status's note is the vendor's word to the coordinator */
		cr_assert_null(strstr(text, "NOTEMARK"));
		free(text);
	}
	json_decref(pub);
	aw_teardown(&w);
}

/* G IV.4.9: updated every time a vendor reports; staff revise the texts */
Test(advisory_publish, updates_after_publication)
{
	struct kk_error err = KK_ERROR_INIT;
	char id[KK_ADVISORY_ID_MAX], body[4096];
	struct aw w;
	json_t *pub, *h;

	approved(&w);
	publish(&w, id, sizeof(id));
	/* Third Corp answers at last: its status and its countermeasure show at once */
	kk_clock_freeze(AW_PUB + 7 * AW_DAY);
	aw_ok(&w, kk_case_answer, &w.third, "{\"answer\": \"send_detail\"}");
	aw_ok(&w, kk_case_status_set, &w.third, "{\"vulnerability\": 1, \"status\": \"affected\"}");
	aw_ok(&w, kk_case_countermeasure_put, &w.third,
	      "{\"vulnerability\": 1, \"fixed_versions\": [\"5.1\"], \"workaround_en\": \"Block port 80.\"}");
	kk_clock_freeze(AW_PUB + 8 * AW_DAY);
	aw_ok(&w, kk_case_statement_put, &w.third, "{\"en\": \"We fixed it in 5.1.\"}");
	pub = public_get(&w, id);
	cr_assert_eq(json_integer_value(json_object_get(pub, "updated_at")), AW_PUB + 8 * AW_DAY);
	cr_assert_eq(json_integer_value(json_object_get(pub, "revision")), 1, "the texts did not change");
	h = json_object_get(pub, "history");
	/* published, status (the answer and "affected" in the same second: once), countermeasure, statement */
	cr_assert_eq(json_array_size(h), 4);
	cr_assert_str_eq(aw_str(json_array_get(h, 1), "kind", NULL), "vendor_status");
	cr_assert_str_eq(aw_str(json_array_get(h, 2), "kind", NULL), "vendor_countermeasure");
	cr_assert_str_eq(aw_str(json_array_get(h, 3), "text", "en"), "Third Corp updated its statement.");
	json_decref(pub);
	/* the coordinator revises: a new public revision with what changed */
	kk_clock_freeze(AW_PUB + 9 * AW_DAY);
	snprintf(body, sizeof(body), "%.*s, \"note_en\": \"Third Corp's fix added.\", \"note_ja\": \"Third Corp の対策を追加\"}",
		 (int)strlen(AW_FULL) - 1, AW_FULL);
	cr_assert_eq(aw_event(&w, &w.p.coord, "revise", body, NULL, &err), KK_OK, "%s", err.msg);
	pub = public_get(&w, id);
	cr_assert_eq(json_integer_value(json_object_get(pub, "revision")), 2);
	cr_assert_eq(json_integer_value(json_object_get(pub, "published_at")), AW_PUB + 60, "first published stays");
	h = json_object_get(pub, "history");
	cr_assert_str_eq(aw_str(json_array_get(h, 4), "text", "en"), "Revised: Third Corp's fix added.");
	/* each language's history carries that language's note */
	cr_assert_not_null(strstr(aw_str(json_array_get(h, 4), "text", "ja"), ": Third Corp の対策を追加"));
	json_decref(pub);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM advisory_revisions", NULL), 2);
	cr_assert_eq(unit_count(w.p.s, "SELECT public_revision FROM advisory_revisions WHERE number = 2", NULL), 2);
	/* nothing changes the texts but a revision */
	cr_assert_eq(aw_call(&w, kk_advisory_save, &w.p.coord, AW_FULL, NULL, &err), KK_ECONFLICT);
	cr_assert_eq(aw_call(&w, kk_advisory_comment, &w.p.vendor, "{\"body\": \"late\"}", NULL, &err), KK_ECONFLICT);
	kk_error_release(&err);
	aw_teardown(&w);
}

/* G IV.4.9: only what a vendor reports updates the advisory; keikai's
 * marking a silent vendor "no response", the coordinator's "unreachable" and
 * a notice again are no updates */
Test(advisory_publish, no_response_is_not_an_update)
{
	char id[KK_ADVISORY_ID_MAX], body[160];
	struct aw w;
	json_t *pub;

	approved(&w);
	publish(&w, id, sizeof(id));
	/* the silent-vendor clock has its rounds meanwhile (SPEC 8) */
	kk_clock_freeze(AW_PUB + 60 * AW_DAY);
	json_decref(aw_tick(&w));
	json_decref(aw_tick(&w));
	kk_clock_freeze(AW_PUB + 61 * AW_DAY);
	snprintf(body, sizeof(body), "{\"vulnerability\": 1, \"status\": \"unreachable\", \"vendor_id\": %lld}",
		 (long long)w.third_vid);
	aw_ok(&w, kk_case_status_set, &w.p.coord, body);
	snprintf(body, sizeof(body), "{\"vulnerability\": 1, \"status\": \"notified\", \"vendor_id\": %lld}",
		 (long long)w.third_vid);
	aw_ok(&w, kk_case_status_set, &w.p.coord, body);
	pub = public_get(&w, id);
	cr_assert_eq(json_array_size(json_object_get(pub, "history")), 1);
	cr_assert_eq(json_integer_value(json_object_get(pub, "updated_at")), AW_PUB + 60);
	json_decref(pub);
	kk_clock_freeze(AW_PUB + 62 * AW_DAY);
	aw_ok(&w, kk_case_answer, &w.third, "{\"answer\": \"not_applicable\", \"reason\": \"Not ours after all.\"}");
	pub = public_get(&w, id);
	cr_assert_eq(json_array_size(json_object_get(pub, "history")), 2);
	cr_assert_eq(json_integer_value(json_object_get(pub, "updated_at")), AW_PUB + 62 * AW_DAY);
	json_decref(pub);
	aw_teardown(&w);
}

/* The portal's version (keikai/portal.h; issue 12 item 6): the server keeps
 * public pages while it stays the same, so every change of what they show
 * must move it, in its own transaction, and this process's count of such
 * commits with it; what the public does not see moves nothing. */
static struct kk_portal_version portal_now(struct aw *w)
{
	struct kk_portal_version v;
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(kk_portal_version(w->p.s, &v, &err), KK_OK, "%s", err.msg);
	return v;
}

static enum kk_result touch_then_fail(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	enum kk_result res = kk_portal_touch(tx, err);

	(void)arg;
	return res ? res : kk_error_set(err, KK_EINVAL, "%s", "rolled back");
}

Test(advisory_publish, the_portal_version_moves_with_what_the_public_sees)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_portal_version before, after;
	char id[KK_ADVISORY_ID_MAX];
	uint64_t local;
	struct aw w;

	approved(&w);
	before = portal_now(&w);
	local = kk_portal_local();
	/* a tick before the date, the draft read by its vendors: nothing public */
	kk_clock_freeze(AW_PUB - 60);
	json_decref(aw_tick(&w));
	json_decref(aw_get(&w, &w.p.vendor));
	after = portal_now(&w);
	cr_assert(kk_portal_version_same(&before, &after));
	cr_assert_eq(kk_portal_local(), local);
	/* published: moved, and counted here once committed */
	publish(&w, id, sizeof(id));
	after = portal_now(&w);
	cr_assert_gt(after.portal, before.portal);
	cr_assert_gt(kk_portal_local(), local);
	/* a vendor's statement after publication */
	before = after;
	local = kk_portal_local();
	kk_clock_freeze(AW_PUB + 2 * AW_DAY);
	aw_ok(&w, kk_case_answer, &w.third, "{\"answer\": \"send_detail\"}");
	aw_ok(&w, kk_case_statement_put, &w.third, "{\"en\": \"We fixed it in 5.1.\"}");
	after = portal_now(&w);
	cr_assert_gt(after.portal, before.portal);
	cr_assert_gt(kk_portal_local(), local);
	/* a setting (base_url makes the canonical links) */
	before = after;
	cr_assert_eq(kk_setting_set(w.p.s, "base_url", "https://jvn.example.jp", &err), KK_OK, "%s", err.msg);
	after = portal_now(&w);
	cr_assert_gt(after.portal, before.portal);
	/* a change rolled back moves neither */
	before = after;
	local = kk_portal_local();
	cr_assert_eq(kk_tx_grouped(w.p.s, touch_then_fail, NULL, &err), KK_EINVAL);
	after = portal_now(&w);
	cr_assert(kk_portal_version_same(&before, &after));
	cr_assert_eq(kk_portal_local(), local);
	kk_error_release(&err);
	aw_teardown(&w);
}
