/*
 * test_case_messages.c: unit tests of a case's threads and messages and of the
 * finder's side (lib/case/messages.c, message_parts.c, finder.c,
 * lib/store/case_messages.c; case.h; SPEC 1, 2.13, G IV.2.7, IV.5.5): who
 * reads and writes which thread, tried as every role and as a second vendor;
 * the finder thread's boundary between intake and the coordinator (SPEC 1,
 * G IV.3(1)6); the finder <-> vendor thread only with both consents;
 * attachments; what waits for staff; the finder's stages; and the notices
 * that never carry the message (SPEC 1). On both engines
 * (tests/unit/meson.build store_tests).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/case.h"
#include "keikai/mail.h"
#include "keikai/settings.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "store/case_messages.h"
#include "unit.h"

struct world {
	struct unit_parties p; /* unit.h */
	char tid[24], secret[KK_TOKEN_MAX], ref[KK_CASE_REF_MAX];
};

/* A product report with the finder's consents (SPEC 2.1 ウ エ), accepted when accept. */
static void report(struct world *w, int share, int direct, int accept)
{
	json_t *body = unit_report_body("product");

	unit_set(body, "consent.share_identity", json_boolean(share));
	unit_set(body, "consent.direct_contact", json_boolean(direct));
	if (accept)
		unit_accepted_report(w->p.s, &w->p.intake, body, w->tid, w->secret);
	else
		unit_submit(w->p.s, body, w->tid, w->secret);
}

static void call_ok(enum kk_result res, struct kk_error *err, json_t **out)
{
	cr_assert_eq(res, KK_OK, "%d: %s", res, err->msg);
	json_decref(*out);
	*out = NULL;
	kk_error_release(err);
}

/* Opens a case from w->tid with both vendors on it, notifies them (with
 * notify_other: the second vendor too). */
static void open_case(struct world *w, int notify_other)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body;

	unit_case_open(w->p.s, &w->p.coord, w->tid, "XSS in the admin page", "A summary", "The secret detail", w->ref,
		       sizeof(w->ref));
	body = json_pack("{s:[I, I]}", "vendor_ids", (json_int_t)w->p.vid, (json_int_t)w->p.other_vid);
	if (!notify_other)
		json_array_remove(json_object_get(body, "vendor_ids"), 1);
	call_ok(kk_case_notify(w->p.s, &w->p.coord, w->ref, body, &out, &err), &err, &out);
	json_decref(body);
	if (!notify_other) { /* on the case, not notified */
		body = json_pack("{s:I}", "vendor_id", (json_int_t)w->p.other_vid);
		call_ok(kk_case_vendor_add(w->p.s, &w->p.coord, w->ref, body, &out, &err), &err, &out);
		json_decref(body);
	}
}

static void world(struct world *w, int share, int direct, int notify_other)
{
	memset(w, 0, sizeof(*w));
	unit_parties(&w->p);
	report(w, share, direct, 1);
	open_case(w, notify_other);
}

static void end(struct world *w)
{
	unit_parties_end(&w->p);
}

/* Posts body (JSON text) as u: the result; the message (or NULL) into *out. */
static enum kk_result post(struct world *w, const struct kk_user *u, const char *text, json_t **out,
			   struct kk_error *err)
{
	json_error_t jerr;
	json_t *body = json_loads(text, 0, &jerr);
	enum kk_result res;

	cr_assert_not_null(body, "%s: %s", text, jerr.text);
	*out = NULL;
	res = kk_case_message_post(w->p.s, u, w->ref, body, out, err);
	json_decref(body);
	return res;
}

static void post_ok(struct world *w, const struct kk_user *u, const char *text)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;

	call_ok(post(w, u, text, &out, &err), &err, &out);
}

/* The threads u reads (its JSON text, the caller frees), with the result. */
static enum kk_result threads_as(struct world *w, const struct kk_user *u, json_t **out)
{
	struct kk_error err = KK_ERROR_INIT;
	enum kk_result res = kk_case_threads(w->p.s, u, w->ref, out, &err);

	kk_error_release(&err);
	return res;
}

static size_t n_threads(struct world *w, const struct kk_user *u)
{
	json_t *out = NULL;
	size_t n;

	cr_assert_eq(threads_as(w, u, &out), KK_OK);
	n = json_array_size(json_object_get(out, "threads"));
	json_decref(out);
	return n;
}

static int64_t unanswered(struct world *w)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	int64_t n = -1, id = unit_count(w->p.s, "SELECT id FROM cases WHERE ref = ?", w->ref);

	cr_assert_eq(kk_tx_begin(w->p.s, 0, &tx, &err), KK_OK);
	cr_assert_eq(kk_case_messages_unanswered(&tx, id, &n, &err), KK_OK, "%s", err.msg);
	kk_tx_end(&tx, KK_OK, &err);
	return n;
}

/* SPEC 2.13, SPEC 1: the coordinator <-> vendor thread is that vendor's alone:
 * tried as every role and as a second vendor of the same case. */
Test(case_messages, vendor_thread_is_private_to_its_vendor)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	char text[256];

	world(&w, 0, 0, 1);
	snprintf(text, sizeof(text), "{\"thread\": \"vendor\", \"vendor_id\": %lld, \"body\": \"Please confirm.\"}",
		 (long long)w.p.vid);
	post_ok(&w, &w.p.coord, text);
	post_ok(&w, &w.p.vendor, "{\"thread\": \"vendor\", \"body\": \"We confirm.\"}");
	post_ok(&w, &w.p.other, "{\"thread\": \"vendor\", \"body\": \"Other vendor here.\"}");

	/* staff who may (case.message) read both; the admin reads the case but no thread */
	cr_assert_eq(n_threads(&w, &w.p.coord), 2);
	cr_assert_eq(n_threads(&w, &w.p.intake), 2);
	cr_assert_eq(n_threads(&w, &w.p.admin), 0);
	/* each vendor its own, with its own messages only */
	cr_assert_eq(threads_as(&w, &w.p.vendor, &out), KK_OK);
	{
		json_t *t = json_array_get(json_object_get(out, "threads"), 0), *msgs = json_object_get(t, "messages");
		char *dump = kk_json_dumps(out, 0);

		cr_assert_eq(json_array_size(json_object_get(out, "threads")), 1);
		cr_assert_eq(json_integer_value(json_object_get(t, "vendor_id")), w.p.vid);
		cr_assert_eq(json_array_size(msgs), 2);
		cr_assert_str_eq(json_string_value(json_object_get(json_array_get(msgs, 0), "author")), "coordinator");
		cr_assert_str_eq(json_string_value(json_object_get(json_array_get(msgs, 1), "author")), "Example Corp");
		cr_assert_null(strstr(dump, "Other vendor here."));
		cr_assert_null(strstr(dump, "Other Corp"));
		cr_assert_null(strstr(dump, "taro@example.jp")); /* SPEC 1: never a finder's address */
		free(dump);
	}
	json_decref(out);
	out = NULL;
	/* a vendor cannot write in another vendor's thread */
	snprintf(text, sizeof(text), "{\"thread\": \"vendor\", \"vendor_id\": %lld, \"body\": \"Sneaky.\"}",
		 (long long)w.p.vid);
	cr_assert_eq(post(&w, &w.p.other, text, &out, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "vendor_id"));
	kk_error_release(&err);
	/* roles without the case see no case at all (a denied read is a missing case) */
	cr_assert_eq(threads_as(&w, &w.p.operator, &out), KK_ENOTFOUND);
	cr_assert_eq(post(&w, &w.p.operator, "{\"thread\": \"vendor\", \"body\": \"x\"}", &out, &err), KK_ENOTFOUND);
	kk_error_release(&err);
	cr_assert_eq(post(&w, &w.p.admin, text, &out, &err), KK_EDENIED);
	kk_error_release(&err);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM case_messages", NULL), 3);
	end(&w);
}

/* SPEC 2.6, 2.13: a vendor not yet notified has no case, and staff cannot write to it. */
Test(case_messages, vendor_not_notified_has_no_thread)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	char text[256];

	world(&w, 0, 0, 0);
	cr_assert_eq(threads_as(&w, &w.p.other, &out), KK_ENOTFOUND);
	cr_assert_eq(post(&w, &w.p.other, "{\"thread\": \"vendor\", \"body\": \"Hello?\"}", &out, &err), KK_ENOTFOUND);
	kk_error_release(&err);
	snprintf(text, sizeof(text), "{\"thread\": \"vendor\", \"vendor_id\": %lld, \"body\": \"Hi\"}",
		 (long long)w.p.other_vid);
	cr_assert_eq(post(&w, &w.p.coord, text, &out, &err), KK_ECONFLICT, "%s", err.msg);
	kk_error_release(&err);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM case_messages", NULL), 0);
	end(&w);
}

/* SPEC 1, G IV.3(1)6: the finder thread is intake's; a coordinator joins it
 * only where that finder consented to share identity; vendors never. */
Test(case_messages, finder_thread_boundary)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;

	world(&w, 0, 0, 1);
	cr_assert_eq(post(&w, &w.p.coord, "{\"thread\": \"finder\", \"body\": \"To the finder\"}", &out, &err), KK_EDENIED);
	kk_error_release(&err);
	cr_assert_eq(post(&w, &w.p.vendor, "{\"thread\": \"finder\", \"body\": \"To the finder\"}", &out, &err), KK_EDENIED);
	kk_error_release(&err);
	post_ok(&w, &w.p.intake, "{\"thread\": \"finder\", \"finder\": \"Finder A\", \"body\": \"Intake relays.\"}");
	cr_assert_eq(n_threads(&w, &w.p.intake), 1);
	cr_assert_eq(n_threads(&w, &w.p.coord), 0);
	cr_assert_eq(n_threads(&w, &w.p.vendor), 0);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM case_messages", NULL), 1);
	end(&w);

	/* the finder consented: the coordinator talks with it (SPEC 2.1 ウ) */
	world(&w, 1, 0, 1);
	post_ok(&w, &w.p.coord, "{\"thread\": \"finder\", \"body\": \"From the coordinator.\"}");
	cr_assert_eq(n_threads(&w, &w.p.coord), 1);
	cr_assert_eq(n_threads(&w, &w.p.intake), 1);
	cr_assert_eq(n_threads(&w, &w.p.vendor), 0);
	/* a finder the case does not have */
	cr_assert_eq(post(&w, &w.p.coord, "{\"thread\": \"finder\", \"finder\": \"Finder Q\", \"body\": \"x\"}", &out, &err),
		     KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "finder"));
	kk_error_release(&err);
	end(&w);
}

/* Sets the vendor's consent to direct contact as u: the result. */
static enum kk_result consent(struct world *w, const struct kk_user *u, int on, json_t **out)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = json_pack("{s:b}", "consent", on);
	enum kk_result res = kk_case_direct_contact(w->p.s, u, w->ref, body, out, &err);

	json_decref(body);
	kk_error_release(&err);
	return res;
}

/* SPEC 2.13: finder <-> vendor only when both consented, still through keikai. */
Test(case_messages, direct_thread_needs_both_consents)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *view = NULL, *body;
	const char *direct = "{\"thread\": \"finder_vendor\", \"body\": \"Can you share the PoC?\"}";

	/* the finder did not consent: the vendor's consent opens nothing */
	world(&w, 0, 0, 1);
	cr_assert_eq(consent(&w, &w.p.vendor, 1, &out), KK_OK);
	cr_assert_eq(json_array_size(json_object_get(out, "direct_finders")), 0);
	json_decref(out);
	cr_assert_eq(post(&w, &w.p.vendor, direct, &out, &err), KK_ECONFLICT);
	kk_error_release(&err);
	end(&w);

	world(&w, 0, 1, 1);
	/* the vendor did not consent yet */
	cr_assert_eq(post(&w, &w.p.vendor, direct, &out, &err), KK_ECONFLICT);
	kk_error_release(&err);
	/* the consent is the vendor's own: staff cannot give it */
	cr_assert_eq(consent(&w, &w.p.coord, 1, &out), KK_EDENIED);
	cr_assert_eq(consent(&w, &w.p.vendor, 1, &out), KK_OK);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(out, "direct_finders"), 0)), "Finder A");
	json_decref(out);
	post_ok(&w, &w.p.vendor, direct);
	/* the other vendor neither sees nor writes in it */
	cr_assert_eq(n_threads(&w, &w.p.other), 0);
	cr_assert_eq(post(&w, &w.p.other, direct, &out, &err), KK_ECONFLICT);
	kk_error_release(&err);
	cr_assert_eq(n_threads(&w, &w.p.vendor), 1);
	cr_assert_eq(n_threads(&w, &w.p.coord), 1); /* staff see it (case.direct_thread) */
	/* the finder reads it on its status page, the vendor by name, and answers in it */
	cr_assert_eq(kk_case_finder_view(w.p.s, w.secret, &view, &err), KK_OK, "%s", err.msg);
	{
		json_t *d = json_array_get(json_object_get(view, "direct"), 0);
		char text[128];

		cr_assert_str_eq(json_string_value(json_object_get(d, "vendor")), "Example Corp");
		cr_assert_eq(json_array_size(json_object_get(d, "messages")), 1);
		snprintf(text, sizeof(text), "{\"thread\": %lld, \"body\": \"Here it is.\"}",
			 (long long)json_integer_value(json_object_get(d, "id")));
		body = json_loads(text, 0, NULL);
		cr_assert_eq(kk_case_finder_post(w.p.s, w.secret, body, &out, &err), KK_OK, "%s", err.msg);
		json_decref(body);
		json_decref(out);
	}
	json_decref(view);
	/* the notices: to the finder when the vendor wrote, to the vendor when the finder did */
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'case_message' AND recipient = ?",
				"taro@example.jp"),
		     1);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'case_message' AND recipient = ?",
				"psirt@example.jp"),
		     1);
	/* the vendor takes its consent back: the thread closes for it and the finder */
	cr_assert_eq(consent(&w, &w.p.vendor, 0, &out), KK_OK);
	json_decref(out);
	cr_assert_eq(n_threads(&w, &w.p.vendor), 0);
	cr_assert_eq(kk_case_finder_view(w.p.s, w.secret, &view, &err), KK_OK);
	cr_assert_eq(json_array_size(json_object_get(view, "direct")), 0);
	json_decref(view);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM audit WHERE action = 'vendor.finder_contact'", NULL), 2);
	end(&w);
}

/* SPEC 2.13: attachments go with a message, base64 as report evidence, and
 * only the readers of the thread get them. */
Test(case_messages, attachments)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	void *data = NULL;
	size_t size = 0;
	char *name = NULL, *type = NULL, text[512];
	int64_t mid;

	world(&w, 0, 0, 1);
	/* a bad file stores nothing */
	snprintf(text, sizeof(text),
		 "{\"thread\": \"vendor\", \"vendor_id\": %lld, \"body\": \"See the file\", \"attachments\":"
		 " [{\"filename\": \"poc.txt\", \"content_type\": \"text/plain\", \"data_base64\": \"!!!\"}]}",
		 (long long)w.p.vid);
	cr_assert_eq(post(&w, &w.p.coord, text, &out, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "attachments[0].data_base64"));
	kk_error_release(&err);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM case_messages", NULL), 0);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM case_threads", NULL), 0);

	snprintf(text, sizeof(text),
		 "{\"thread\": \"vendor\", \"vendor_id\": %lld, \"body\": \"See the file\", \"attachments\":"
		 " [{\"filename\": \"poc.txt\", \"content_type\": \"text/plain\", \"data_base64\": \"UG9DIGJ5dGVz\"}]}",
		 (long long)w.p.vid);
	cr_assert_eq(post(&w, &w.p.coord, text, &out, &err), KK_OK, "%s", err.msg);
	mid = json_integer_value(json_object_get(out, "id"));
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(out, "attachments"), 0),
							   "filename")),
			 "poc.txt");
	json_decref(out);
	cr_assert_eq(kk_case_message_attachment_get(w.p.s, &w.p.vendor, w.ref, mid, 0, &data, &size, &name, &type, &err),
		     KK_OK, "%s", err.msg);
	cr_assert_eq(size, 9);
	cr_assert_eq(memcmp(data, "PoC bytes", 9), 0);
	cr_assert_str_eq(name, "poc.txt");
	cr_assert_str_eq(type, "text/plain");
	free(data);
	free(name);
	free(type);
	/* the other vendor: no such file (and no such case for the operator) */
	cr_assert_eq(kk_case_message_attachment_get(w.p.s, &w.p.other, w.ref, mid, 0, &data, &size, &name, &type, &err),
		     KK_ENOTFOUND);
	cr_assert_null(data);
	kk_error_release(&err);
	cr_assert_eq(kk_case_message_attachment_get(w.p.s, &w.p.operator, w.ref, mid, 0, &data, &size, &name, &type, &err),
		     KK_ENOTFOUND);
	kk_error_release(&err);
	cr_assert_eq(kk_case_message_attachment_get(w.p.s, &w.p.vendor, w.ref, mid, 1, &data, &size, &name, &type, &err),
		     KK_ENOTFOUND);
	kk_error_release(&err);
	/* the thread lists it */
	cr_assert_eq(threads_as(&w, &w.p.vendor, &out), KK_OK);
	cr_assert_eq(json_integer_value(json_object_get(
			     json_array_get(json_object_get(json_array_get(json_object_get(json_array_get(
									   json_object_get(out, "threads"), 0),
									   "messages"),
								   0),
						       "attachments"),
					    0),
			     "size")),
		     9);
	json_decref(out);
	end(&w);
}

/* G IV.2.7, G IV.5.5: what waits for staff, first; a staff message answers it. */
Test(case_messages, unanswered_counting)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body;
	char text[256];

	world(&w, 0, 0, 1);
	cr_assert_eq(unanswered(&w), 0);
	post_ok(&w, &w.p.vendor, "{\"thread\": \"vendor\", \"body\": \"We cannot reproduce it.\"}");
	post_ok(&w, &w.p.vendor,
		"{\"thread\": \"vendor\", \"kind\": \"environment_request\", \"body\": \"Which OS did the finder use?\"}");
	cr_assert_eq(unanswered(&w), 2);
	/* only a vendor asks for the environment */
	snprintf(text, sizeof(text),
		 "{\"thread\": \"vendor\", \"vendor_id\": %lld, \"kind\": \"environment_request\", \"body\": \"x\"}",
		 (long long)w.p.vid);
	cr_assert_eq(post(&w, &w.p.coord, text, &out, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "kind"));
	kk_error_release(&err);
	/* the finder asks for progress */
	body = json_pack("{s:s, s:b}", "body", "How is it going?", "question", 1);
	cr_assert_eq(kk_case_finder_post(w.p.s, w.secret, body, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(out, "kind")), "question");
	json_decref(out);
	json_decref(body);
	cr_assert_eq(unanswered(&w), 3);
	/* staff see the threads that wait first, with their count */
	cr_assert_eq(threads_as(&w, &w.p.intake, &out), KK_OK);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_object_get(out, "threads"), 0), "unanswered")),
		     2);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_object_get(out, "threads"), 1), "unanswered")),
		     1);
	json_decref(out);
	/* staff answer the vendor, then the finder */
	snprintf(text, sizeof(text), "{\"thread\": \"vendor\", \"vendor_id\": %lld, \"body\": \"Windows 11.\"}",
		 (long long)w.p.vid);
	post_ok(&w, &w.p.coord, text);
	cr_assert_eq(unanswered(&w), 1);
	post_ok(&w, &w.p.intake, "{\"thread\": \"finder\", \"body\": \"The vendors are on it.\"}");
	cr_assert_eq(unanswered(&w), 0);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM case_messages WHERE author_kind <> 'staff' AND answered_at IS NULL",
				NULL),
		     0);
	end(&w);
}

/* A flood from whoever holds the status page's secret stops at what staff can read. */
Test(case_messages, finder_waits_for_an_answer_after_many_messages)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body = json_pack("{s:s}", "body", "Anyone there?");

	world(&w, 0, 0, 1);
	for (int i = 0; i < KK_CASE_FINDER_WAITING_MAX; i++) {
		cr_assert_eq(kk_case_finder_post(w.p.s, w.secret, body, &out, &err), KK_OK, "%d: %s", i, err.msg);
		json_decref(out);
	}
	cr_assert_eq(kk_case_finder_post(w.p.s, w.secret, body, &out, &err), KK_ETHROTTLED);
	cr_assert_null(out);
	kk_error_release(&err);
	post_ok(&w, &w.p.intake, "{\"thread\": \"finder\", \"body\": \"We are here.\"}");
	cr_assert_eq(kk_case_finder_post(w.p.s, w.secret, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(out);
	json_decref(body);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM case_messages WHERE author_kind = 'finder'", NULL),
		     KK_CASE_FINDER_WAITING_MAX + 1);
	end(&w);
}

static enum kk_result count_case(int64_t case_id, int64_t n, void *arg, struct kk_error *err)
{
	int64_t *seen = arg;

	(void)err;
	seen[0] = case_id;
	seen[1] += n;
	return KK_OK;
}

/* The dashboard's count for every case at once agrees with the one case's. */
Test(case_messages, unanswered_of_every_case)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	int64_t seen[2] = { 0, 0 };

	world(&w, 0, 0, 1);
	post_ok(&w, &w.p.vendor, "{\"thread\": \"vendor\", \"body\": \"A question.\"}");
	post_ok(&w, &w.p.other, "{\"thread\": \"vendor\", \"body\": \"Another.\"}");
	cr_assert_eq(kk_tx_begin(w.p.s, 0, &tx, &err), KK_OK);
	cr_assert_eq(kk_case_messages_unanswered_each(&tx, count_case, seen, &err), KK_OK, "%s", err.msg);
	kk_tx_end(&tx, KK_OK, &err);
	cr_assert_eq(seen[0], unit_count(w.p.s, "SELECT id FROM cases WHERE ref = ?", w.ref));
	cr_assert_eq(seen[1], 2);
	cr_assert_eq(unanswered(&w), 2);
	end(&w);
}

/* The text of the mail outbox row id as it would go now (kk_mail_preview):
 * its decoded body; the caller frees. The recipient has no key here, so it
 * goes in clear: the content-free notice. */
static char *as_sent(struct world *w, int64_t id)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_out out = { 0 };
	char *text;

	cr_assert_eq(kk_mail_preview(w->p.s, id, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(out.encrypted, 0);
	cr_assert_null(strstr(out.data, "SECRET-BODY"));
	text = unit_mail_body(out.data);
	kk_mail_out_release(&out);
	return text;
}

/* SPEC 1, 2.13, issue 11: a new message goes by mail with its text only
 * encrypted: to a reader without a key, without it. */
Test(case_messages, notices_never_carry_the_message)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	char text[256], *sent;

	world(&w, 0, 0, 1);
	cr_assert_eq(kk_setting_set(w.p.s, "smtp.from", "CSIRT <csirt@org.example>", &err), KK_OK, "%s", err.msg);
	snprintf(text, sizeof(text), "{\"thread\": \"vendor\", \"vendor_id\": %lld, \"body\": \"SECRET-BODY-123\"}",
		 (long long)w.p.vid);
	post_ok(&w, &w.p.coord, text);
	post_ok(&w, &w.p.intake, "{\"thread\": \"finder\", \"body\": \"SECRET-BODY-456\"}");
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'case_message' AND recipient = ?",
				"psirt@example.jp"),
		     1);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'case_message' AND recipient = ?",
				"taro@example.jp"),
		     1);
	/* the stored body quotes the message, for the reader's key; the subject never */
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE body LIKE '%SECRET-BODY%'", NULL), 2);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE subject LIKE '%SECRET-BODY%'", NULL), 0);
	for (int i = 0; i < 2; i++) {
		sent = as_sent(&w, unit_count(w.p.s, i ? "SELECT MAX(id) FROM outbox WHERE kind = 'case_message'"
						       : "SELECT MIN(id) FROM outbox WHERE kind = 'case_message'",
					       NULL));
		cr_assert_null(strstr(sent, "SECRET-BODY"), "%s", sent);
		free(sent);
	}
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'case_message' AND body LIKE ?", "%VU#%"),
		     1); /* the vendor's names the case; the finder's its report */
	/* a vendor writing to staff sends no mail */
	post_ok(&w, &w.p.vendor, "{\"thread\": \"vendor\", \"body\": \"Reply.\"}");
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM outbox WHERE kind = 'case_message'", NULL), 2);
	/* every post is audited */
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM audit WHERE action = 'message.post'", NULL), 3);
	kk_error_release(&err);
	end(&w);
}

/* The 400 contract: every fault on its field, nothing stored. */
Test(case_messages, validation)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;

	world(&w, 0, 0, 1);
	cr_assert_eq(post(&w, &w.p.coord, "{\"thread\": \"chat\", \"body\": \"  \", \"kind\": \"memo\"}", &out, &err),
		     KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "thread"));
	cr_assert_not_null(json_object_get(err.fields, "body"));
	cr_assert_not_null(json_object_get(err.fields, "kind"));
	kk_error_release(&err);
	cr_assert_eq(post(&w, &w.p.coord, "{\"thread\": \"vendor\", \"body\": \"x\"}", &out, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "vendor_id"));
	kk_error_release(&err);
	cr_assert_eq(post(&w, &w.p.coord, "[1]", &out, &err), KK_EINVAL);
	kk_error_release(&err);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM case_messages", NULL), 0);
	cr_assert_eq(unit_count(w.p.s, "SELECT COUNT(*) FROM audit WHERE action = 'message.post'", NULL), 0);
	end(&w);
}

static const char *stage_of(struct world *w)
{
	static char stage[32];
	struct kk_error err = KK_ERROR_INIT;
	json_t *view = NULL;

	cr_assert_eq(kk_case_finder_view(w->p.s, w->secret, &view, &err), KK_OK, "%s", err.msg);
	snprintf(stage, sizeof(stage), "%s",
		 json_is_null(json_object_get(view, "stage")) ? "null" : json_string_value(json_object_get(view, "stage")));
	json_decref(view);
	return stage;
}

/* Issue 9 item 6: the finder's stages follow the case, without any vendor's
 * name or the detail. */
Test(case_messages, finder_stages)
{
	struct world w;
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body, *view = NULL;
	char *dump;

	memset(&w, 0, sizeof(w));
	unit_parties(&w.p);
	/* not accepted: no stage, and the finder cannot write yet */
	report(&w, 0, 0, 0);
	cr_assert_str_eq(stage_of(&w), "null");
	body = json_pack("{s:s}", "body", "Hello?");
	cr_assert_eq(kk_case_finder_post(w.p.s, w.secret, body, &out, &err), KK_ECONFLICT);
	kk_error_release(&err);
	{
		struct kk_decision d = { 1, KK_REJECT_NONE, NULL };

		cr_assert_eq(kk_report_decide(w.p.s, &w.p.intake, w.tid, &d, NULL, &err), KK_OK, "%s", err.msg);
	}
	cr_assert_str_eq(stage_of(&w), "accepted");
	/* the finder writes before the report joins a case */
	cr_assert_eq(kk_case_finder_post(w.p.s, w.secret, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(out);
	json_decref(body);
	open_case(&w, 0);
	cr_assert_str_eq(stage_of(&w), "contacting");
	/* the thread it began is the case's now, for intake */
	cr_assert_eq(n_threads(&w, &w.p.intake), 1);
	{
		json_t *a = json_pack("{s:s}", "answer", "send_detail");

		cr_assert_eq(kk_case_answer(w.p.s, &w.p.vendor, w.ref, a, &out, &err), KK_OK, "%s", err.msg);
		json_decref(a);
		json_decref(out);
	}
	cr_assert_str_eq(stage_of(&w), "investigating");
	cr_assert_eq(kk_case_finder_view(w.p.s, w.secret, &view, &err), KK_OK);
	dump = kk_json_dumps(view, 0);
	cr_assert_null(strstr(dump, "Example Corp"));
	cr_assert_null(strstr(dump, "The secret detail"));
	cr_assert_null(strstr(dump, w.ref));
	cr_assert_eq(json_array_size(json_object_get(view, "stages")), 6);
	cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(view, "stages"), 2), "reached")));
	cr_assert(json_is_false(json_object_get(json_array_get(json_object_get(view, "stages"), 3), "reached")));
	free(dump);
	json_decref(view);
	body = json_pack("{s:s}", "reason", "Fixed and announced by the vendor");
	cr_assert_eq(kk_case_event(w.p.s, &w.p.coord, w.ref, "close", body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	cr_assert_str_eq(stage_of(&w), "ended");
	/* a wrong secret opens nothing */
	cr_assert_eq(kk_case_finder_view(w.p.s, "not-a-secret", &view, &err), KK_ENOTFOUND);
	kk_error_release(&err);
	end(&w);
}
