/*
 * Unit tests of the note that goes to the finder with a decision (SPEC 2.2;
 * issue 7, "errors never dropped"): the validator (lib/report/report.c) keeps it to one
 * limit, in characters and in bytes, so a note it accepts always reaches the
 * finder whole; and a message to the finder that cannot be written fails the
 * whole decision, with nothing committed. On the engine under test.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "unit.h"

/* n copies of the UTF-8 character c, the caller frees. */
static char *repeat(const char *c, size_t n)
{
	size_t len = strlen(c);
	char *s = kk_malloc(len * n + 1);

	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, c, len);
	s[len * n] = '\0';
	return s;
}

static json_t *reject_with(const char *note)
{
	return json_pack("{s:s, s:s, s:s}", "decision", "reject", "reason", "incomplete", "note", note);
}

/* The body of the last message in the outbox of the given kind, the caller frees. */
static char *last_message(struct kk_store *s, const char *kind)
{
	json_t *box = NULL, *msg;
	size_t i;
	char *body = NULL;

	cr_assert_eq(kk_outbox_list(s, &box, NULL), KK_OK);
	json_array_foreach(box, i, msg)
		if (strcmp(json_string_value(json_object_get(msg, "kind")), kind) == 0) {
			free(body);
			body = kk_strdup(json_string_value(json_object_get(msg, "body")));
		}
	json_decref(box);
	return body;
}

/* SPEC 2.2: the limit is KK_DECISION_NOTE_MAX characters, however many bytes
 * each takes: 10,000 four-byte characters (40,000 bytes) pass, one more does not. */
Test(decision_note, the_limit_is_in_characters_and_holds_in_bytes)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_decision d;
	char *most = repeat("\xf0\x9f\x98\x80", KK_DECISION_NOTE_MAX); /* U+1F600 */
	char *over = repeat("\xf0\x9f\x98\x80", KK_DECISION_NOTE_MAX + 1);
	json_t *body = reject_with(most);

	kk_i18n_init();
	kk_i18n_use(KK_LANG_EN);
	cr_assert_eq(strlen(most), KK_DECISION_NOTE_MAX_BYTES);
	cr_assert_eq(kk_decision_from_json(body, &d, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(d.note, most);
	json_decref(body);

	body = reject_with(over);
	cr_assert_eq(kk_decision_from_json(body, &d, &err), KK_EINVAL);
	cr_assert_str_eq(json_string_value(json_object_get(err.fields, "note")), "At most 10000 characters.");
	json_decref(body);
	kk_error_clear(&err);

	/* a NUL inside the JSON string would cut the note short without a word */
	body = json_pack("{s:s, s:s, s:s#}", "decision", "reject", "reason", "incomplete", "note", "ab\0cd", (size_t)5);
	cr_assert_eq(kk_decision_from_json(body, &d, &err), KK_EINVAL);
	cr_assert_str_eq(json_string_value(json_object_get(err.fields, "note")),
			 "Must not contain control characters.");
	json_decref(body);
	kk_error_release(&err);
	free(most);
	free(over);
}

/* SPEC 2.2, issue 7: the longest note the validator accepts reaches the finder
 * whole, in the decision message, and is kept with the decision. */
Test(decision_note, the_longest_note_reaches_the_finder_whole)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	struct kk_error err = KK_ERROR_INIT;
	char *note = repeat("\xf0\x9f\x98\x80", KK_DECISION_NOTE_MAX);
	json_t *body = reject_with(note);
	struct kk_decision d;
	struct kk_report r;
	char id[24], *message;

	unit_submit(s, unit_report_body("product"), id, NULL);
	cr_assert_eq(kk_decision_from_json(body, &d, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_report_decide(s, &intake, id, &d, &r, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(r.status, KK_REPORT_REJECTED);
	cr_assert_str_eq(r.decision_note, note);
	kk_report_release(&r);

	message = last_message(s, "decision");
	cr_assert_not_null(message, "the finder is told");
	cr_assert_not_null(strstr(message, note), "the whole note is in the message to the finder");
	free(message);
	json_decref(body);
	free(note);
	kk_user_release(&intake);
	kk_store_close(s);
}

/* Issue 7: when the message to the finder cannot be written (here a note that
 * did not come through the validator and is longer than any message may be),
 * the decision fails with a clear error and nothing of it is stored: the
 * report is still received, no message is queued, no audit record written. */
Test(decision_note, a_message_that_cannot_be_written_fails_the_decision)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	struct kk_error err = KK_ERROR_INIT;
	char *huge = repeat("a", 70000);
	struct kk_decision d = { 0, KK_REJECT_INCOMPLETE, huge };
	struct kk_report r;
	json_t *trail;
	char id[24], *message;

	kk_i18n_use(KK_LANG_EN);
	unit_submit(s, unit_report_body("product"), id, NULL);
	cr_assert_eq(kk_report_decide(s, &intake, id, &d, NULL, &err), KK_ETOOBIG, "%d %s", err.code, err.msg);
	cr_assert_eq(err.code, KK_ETOOBIG);
	cr_assert_not_null(strstr(err.msg, "message to the finder"), "%s", err.msg);

	cr_assert_eq(kk_report_get(s, &intake, id, 0, &r, NULL), KK_OK);
	cr_assert_eq(r.status, KK_REPORT_RECEIVED, "the decision was not committed");
	cr_assert_null(r.decision_note);
	cr_assert_eq(r.decided_at, 0);
	cr_assert_eq(kk_audit_list(s, "report", r.id, &trail, NULL), KK_OK);
	cr_assert_eq(json_array_size(trail), 1, "only the submission is in the audit trail");
	json_decref(trail);
	kk_report_release(&r);
	message = last_message(s, "decision");
	cr_assert_null(message, "no decision message was queued");
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM outbox", NULL), 1);

	/* the report can still be decided, with a note that fits */
	d.note = "Please add the steps.";
	kk_error_clear(&err);
	cr_assert_eq(kk_report_decide(s, &intake, id, &d, NULL, &err), KK_OK, "%s", err.msg);
	message = last_message(s, "decision");
	cr_assert_not_null(message);
	cr_assert_not_null(strstr(message, "Please add the steps."));
	free(message);
	kk_error_release(&err);
	free(huge);
	kk_user_release(&intake);
	kk_store_close(s);
}
