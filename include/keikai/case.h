/*
 * case.h: cases (issue 9; SPEC 2.4-2.7, 2.13, G IV.4-5): from accepted product
 * reports to every vendor notified in two stages, answering, and tracked per
 * vulnerability. The JSON shapes below are docs/api/cases.md's; every front
 * (API, pages, CLI) shows only what these functions return.
 *
 * A case is named by its ref, "<prefix>#<6 digits>" ("VU#123456"; the prefix is
 * the setting case_prefix, default "VU"). Every function checks the access
 * policy (authz.h) itself: a case the user may not read is KK_ENOTFOUND with
 * the message of a case that does not exist ("There is no case VU#123456."),
 * so no one learns that it exists; a change the user may read but not make is
 * KK_EDENIED. Bad input is KK_EINVAL with every field's fault in err (the 400
 * contract); a change that does not apply now (a vendor answering twice, a
 * status the table does not allow from the current one) is KK_ECONFLICT with
 * a message that says why. Each change runs in one transaction with its audit
 * record (object type "case", the case's id; vendor statuses: object type
 * "vendor_status") and what it queues to the outbox, so nothing is half-stored.
 *
 * Who sees what in a case (SPEC 1, R §5.1.2):
 *   - intake, coordinator, admin: everything, except the finder's identity,
 *     which a coordinator sees only where that finder consented (report.finder.read);
 *     finders appear as "Finder A", "Finder B" … (by the order their reports
 *     joined the case) to everyone but intake and admin;
 *   - a vendor: only cases it was notified of; the summary, the vulnerabilities'
 *     numbers, titles and CWE, its own standing and statuses; the detail, the
 *     vulnerabilities' descriptions, CVSS and affected products and the passed-on
 *     attachments only after it asked for the detail; never another vendor's
 *     status or messages; the other vendors' names only when the case shares them
 *     (otherwise only how many other vendors there are);
 *   - the finder, by the status page's secret: the stage of the case only
 *     (kk_case_finder_stage), and its own thread.
 */
#ifndef KEIKAI_CASE_H
#define KEIKAI_CASE_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/flow.h"
#include "keikai/store.h"

#define KK_CASE_REF_MAX 32           /* bytes of a ref, with its NUL */
#define KK_CASE_DEFAULT_PREFIX "VU"
#define KK_CASE_REPORTS_MAX 26       /* Finder A to Finder Z */
#define KK_CASE_VULNS_MAX 100
#define KK_CASE_VENDORS_MAX 1000
#define KK_CASE_NOTIFY_MAX 1000      /* vendor ids in one notify call */
#define KK_CASE_TITLE_MAX 300        /* characters */
#define KK_CASE_TEXT_MAX 100000      /* bytes of the summary, the detail, a description, a message */

/* The flows of a case (flow.h, docs/internals/case-workflow.md): the case itself
 * (open -> closed with a reason, and reopened; whether vendors were contacted is
 * day 0 and their statuses, not a case state), and each vendor's status
 * per vulnerability (SPEC 2.7, G IV.5): not_notified -> notified -> summary_read
 * -> detail_requested -> investigating -> affected / not_affected, affected ->
 * fixed / will_not_fix, any -> no_response (coordinator), unreachable. A
 * status's event is named as the state it leads to. */
extern const struct kk_flow kk_case_flow;
extern const struct kk_flow kk_vendor_status_flow;

/* ---- cases (lib/case/case.c, view.c, vulns.c, vendors.c) ---- */

/*
 * SPEC 2.4: opens a case from body {"reports": ["IPA#12345678", …] (1 to
 * KK_CASE_REPORTS_MAX accepted product reports, none in another case),
 * "title", "summary", "detail"; optional "coordinator_id" (default the actor),
 * "vendors_see_names" (default false)}, for a coordinator (case.open). The case
 * starts in state "open" with one vulnerability (number 1, the case's title),
 * each report's finder a letter in the order given. The vendors confirmed for
 * those reports (vendor_candidates.h) join the case, not yet notified. *out is
 * the case as kk_case_get gives it to the actor.
 */
enum kk_result kk_case_open(struct kk_store *s, const struct kk_user *actor, const json_t *body, json_t **out,
			    struct kk_error *err);

/*
 * The case as viewer may see it:
 *   {"id": "VU#123456", "title", "state", "state_label", "created_at", "updated_at",
 *    "day0": unix seconds or null, "publication": {"state", "state_label",
 *    "date"} (the date's flow state and the date asked for, kk_case_date_get),
 *    "summary", "detail" (only when allowed),
 *    "vendors_see_names", "coordinator": {"id", "name"} or null,
 *    "finders": [{"label": "Finder A", "tracking_id" (staff), "identity" (only
 *      when report.finder.read allows: {"name", "email", "organization"}),
 *      "credit", "direct_contact"}] (staff only),
 *    "vulnerabilities": [{"number", "title", "cwe": {"id", "name"} or null,
 *      "description", "cvss3": {"vector", "score", "severity"} or null, "cvss4"
 *      (same), "cve", "products": [{"id", "product_id", "vendor_id", "name",
 *      "cpe", "versions"}]}] (description, cvss*, cve and products only with the
 *      detail),
 *    "vendors": [VENDOR…] (staff: every vendor; a vendor: its own entry only),
 *    "other_vendors": N (a vendor: how many other vendors are notified) and
 *    "other_vendor_names": [names] (only when the case shares them),
 *    "attachments": [{"id", "filename", "content_type", "size"}] (with the detail),
 *    "events": ["close", …] (case flow events the viewer may fire now),
 *    "may": {"write", "notify", "answer", "vendor_write", "detail"} (booleans)}
 * where VENDOR is
 *   {"vendor_id", "name", "name_ja", "name_en", "added_at", "notified_at",
 *    "summary_read_at", "detail_requested_at", "answer", "answer_reason",
 *    "answered_at", "statuses": [{"vulnerability": 1, "status", "status_label",
 *    "note", "updated_at"}], "countermeasures": [COUNTERMEASURE],
 *    "statement": {"ja", "en", "updated_at"} or null, "contact_attempts":
 *    [{"channel", "address", "stage", "at", "by"}] (staff only)}
 * A vendor user's first read marks its summary read (status summary_read).
 */
enum kk_result kk_case_get(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
			   struct kk_error *err);

/* The cases viewer may see, newest first: {"cases": [{"id", "title", "state",
 * "state_label", "day0", "created_at", "updated_at", "vulnerabilities": N,
 * "vendors": N (staff), "waiting_on": N vendors that have not answered (staff),
 * "unanswered": N finder/vendor messages waiting for staff (staff), "stage"
 * (a vendor: its own lowest status)}]}. filter: NULL or "mine" (cases assigned
 * to the viewer) or a case state name; unknown filters are KK_EINVAL. */
enum kk_result kk_case_list(struct kk_store *s, const struct kk_user *viewer, const char *filter, json_t **out,
			    struct kk_error *err);

/* SPEC 2.4: the case report tracking_id is in, into ref (at least
 * KK_CASE_REF_MAX bytes): its ref, or "" when the report is in no case or in
 * one viewer may not read (case.read). KK_ENOTFOUND when there is no such
 * report or viewer may not read it. For the intake report page's "Open a
 * case" link (lib/case/report_case.c). */
enum kk_result kk_case_of_report(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id, char *ref,
				 struct kk_error *err);

/* Changes the case (case.write) from body with any of "title", "summary",
 * "detail", "coordinator_id", "vendors_see_names", "attachments" (ids of the
 * reports' attachments passed on with the detail), "reports" (more accepted
 * reports joining the case, each a new finder letter). *out as kk_case_get. */
enum kk_result kk_case_update(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
			      json_t **out, struct kk_error *err);

/* Fires a case-flow event ("close" with body {"reason"} (required), "reopen";
 * case.write). *out as kk_case_get. */
enum kk_result kk_case_event(struct kk_store *s, const struct kk_user *actor, const char *ref, const char *event,
			     const json_t *body, json_t **out, struct kk_error *err);

/* Vulnerabilities (case.write): body {"title", "description", "cwe": 79 or
 * "CWE-79", "cvss3": vector, "cvss4": vector, "cve": "CVE-2026-12345",
 * "products": [{"product_id"} or {"name", "cpe", "versions", "vendor_id"}]};
 * add gives the new one the next number; update replaces the members given
 * (null clears). Vectors are scored by cvss.h; *out is the vulnerability. */
enum kk_result kk_case_vuln_add(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
				json_t **out, struct kk_error *err);
enum kk_result kk_case_vuln_update(struct kk_store *s, const struct kk_user *actor, const char *ref, int number,
				   const json_t *body, json_t **out, struct kk_error *err);

/* Adds the vendor body {"vendor_id": 17} to the case (case.write), not yet
 * notified: KK_ENOTFOUND (field vendor_id) for no such vendor, KK_ECONFLICT when
 * it is on the case already. *out is its VENDOR entry. */
enum kk_result kk_case_vendor_add(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
				  json_t **out, struct kk_error *err);
/* Takes a vendor that was not yet notified off the case (KK_ECONFLICT after). */
enum kk_result kk_case_vendor_remove(struct kk_store *s, const struct kk_user *actor, const char *ref,
				     int64_t vendor_id, struct kk_error *err);

/* The case's audit trail (case.audit.read): {"audit": [{"at", "actor", "role",
 * "object_type", "object_id", "action", "from", "to", "detail"}]}, oldest first,
 * the case's and its vendor statuses' records together. */
enum kk_result kk_case_audit(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
			     struct kk_error *err);

/* ---- notification, answers, statuses (lib/case/notify.c, answer.c, status.c, …) ---- */

/*
 * SPEC 2.6: notifies the vendors body {"vendor_ids": [17, 18]} of the case (each
 * on the case; a vendor not on it yet is added) in one transaction
 * (case.notify): for each, a summary notice is queued to the outbox for its
 * primary valid e-mail contact (in the vendor's preferred language; delivery is
 * mail's business) and a contact attempt recorded (channel, address, time, by
 * whom), its statuses go not_notified -> notified, and vendors.last_contact_at
 * is set. The first contact attempt of the case fixes day 0 (cases.day0); the
 * case state does not change (a closed case notifies no one: KK_ECONFLICT). A
 * vendor notified before gets the notice
 * again (a reminder: another contact attempt; its status stays). A vendor with
 * no e-mail contact is KK_EINVAL (field vendor_ids[I]) and nothing is sent.
 * *out: {"notified": [ids], "day0": unix seconds}.
 */
enum kk_result kk_case_notify(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
			      json_t **out, struct kk_error *err);

/* R §5.1.2: a vendor's answer to the summary, body {"answer": "send_detail" |
 * "not_applicable", "reason": "…" (required for not_applicable)}
 * (case.answer). send_detail moves its statuses to detail_requested and opens
 * the detail to it; not_applicable moves them to not_affected with the reason.
 * Answering again is KK_ECONFLICT. *out as kk_case_get. */
enum kk_result kk_case_answer(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
			      json_t **out, struct kk_error *err);

/*
 * SPEC 2.7: a status change for one vulnerability, body {"vulnerability": 1,
 * "status": "affected", "note": "…", "fixed_versions": ["1.2.4"] (optional: kept
 * as the countermeasure of the vulnerability), "vendor_id": 17 (a coordinator
 * says whose)} (case.vendor.write; the flow table decides who may move from
 * where). KK_ECONFLICT when the table has no such move from the current status.
 * status may be any state of kk_vendor_status_flow but the first: the stages of
 * the vendor as a whole ("notified": its first notice as kk_case_notify gives
 * it; "summary_read"; the answers "detail_requested" and "not_affected" before
 * the detail, note being the reason) move every status of the vendor the table
 * lets move, and need case.notify, case.read, case.answer (a vendor) or
 * case.vendor.write; the rest move one vulnerability's status. out may be
 * NULL. *out as kk_case_get.
 */
enum kk_result kk_case_status_set(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
				  json_t **out, struct kk_error *err);

/* SPEC 2.7: countermeasures, kept current before and after publication:
 * body {"vulnerability": 1, "product_id" or "product_name", "fixed_versions":
 * [..], "urls": [..], "workaround_ja", "workaround_en", "vendor_id" (a
 * coordinator)}; the same vulnerability and product replace the earlier one.
 * COUNTERMEASURE is {"vulnerability", "product_id", "product_name",
 * "fixed_versions", "urls", "workaround_ja", "workaround_en", "updated_at"}. */
enum kk_result kk_case_countermeasure_put(struct kk_store *s, const struct kk_user *actor, const char *ref,
					  const json_t *body, json_t **out, struct kk_error *err);

/* SPEC 2.11: the vendor's statement to print with the advisory, body {"ja",
 * "en", "vendor_id" (a coordinator)}. */
enum kk_result kk_case_statement_put(struct kk_store *s, const struct kk_user *actor, const char *ref,
				     const json_t *body, json_t **out, struct kk_error *err);

/* SPEC 2.7: a vendor names another vendor likely affected, body {"vendor_id"}
 * or {"name"}, with "note" (case.vendor.write). The coordinator sees them in
 * kk_case_suggestions ({"suggestions": [{"id", "by_vendor_id", "by_name",
 * "vendor_id", "name", "note", "created_at", "on_case"}]}; a vendor sees only
 * its own) and may add them with kk_case_vendor_add. */
enum kk_result kk_case_suggest(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
			       json_t **out, struct kk_error *err);
enum kk_result kk_case_suggestions(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
				   struct kk_error *err);

/* An attachment passed on with the detail (case.detail.read), by its id:
 * *data (malloc'd, *size bytes), *filename and *content_type (malloc'd); every
 * download is audited ("detail.download"), as every vendor read of the detail
 * is ("detail.view"). */
enum kk_result kk_case_attachment_get(struct kk_store *s, const struct kk_user *viewer, const char *ref,
				      int64_t attachment_id, void **data, size_t *size, char **filename,
				      char **content_type, struct kk_error *err);

/* ---- messages (lib/case/messages.c, finder.c) ---- */

/*
 * SPEC 2.13: the threads of the case the viewer may read, with their messages:
 *   {"threads": [{"id", "kind": "vendor" | "finder" | "finder_vendor",
 *     "vendor_id", "vendor_name" (staff), "finder": "Finder A", "messages":
 *     [{"id", "author": "coordinator" | vendor name | "Finder A", "author_kind",
 *     "kind": "message" | "question" | "environment_request", "body",
 *     "created_at", "answered_at", "attachments": [{"idx", "filename",
 *     "content_type", "size"}]}]}]}
 * Staff see every thread they may (case.message; finder threads
 * case.finder_thread; finder <-> vendor case.direct_thread), a vendor only its
 * own. Finder addresses never appear. Each thread also has "unanswered": what
 * waits for staff in it (store/case_messages.h), and for staff the threads
 * where something waits come first (G IV.2.7).
 */
enum kk_result kk_case_threads(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
			       struct kk_error *err);

/* Posts to a thread, body {"thread": "vendor" | "finder" | "finder_vendor",
 * "vendor_id" (staff to a vendor thread), "finder": "Finder A" (staff to a
 * finder thread), "body", "kind": "message" | "environment_request" (a vendor
 * asking for the environment behind the report, G IV.5.5), "attachments":
 * [{"filename", "content_type", "data_base64"}]}. A staff message to a finder
 * answers that finder's open questions. *out is the message. */
enum kk_result kk_case_message_post(struct kk_store *s, const struct kk_user *actor, const char *ref,
				    const json_t *body, json_t **out, struct kk_error *err);

/* A message's attachment, for a reader of its thread. */
enum kk_result kk_case_message_attachment_get(struct kk_store *s, const struct kk_user *viewer, const char *ref,
					      int64_t message_id, int idx, void **data, size_t *size, char **filename,
					      char **content_type, struct kk_error *err);

/* SPEC 2.13: the vendor (itself: case.message as the vendor on the case;
 * staff are KK_EDENIED) consents, or no longer, to talk with the case's
 * finders directly, body {"consent": true}; a finder_vendor thread opens with
 * each finder whose report consented too (SPEC 2.1 エ). Audited
 * ("vendor.finder_contact"). *out: {"finder_contact": bool, "direct_finders":
 * ["Finder A", …]}. */
enum kk_result kk_case_direct_contact(struct kk_store *s, const struct kk_user *actor, const char *ref,
				      const json_t *body, json_t **out, struct kk_error *err);

/*
 * SPEC 2.13, issue 9 item 6: where the finder's report stands, for the status
 * page opened by its secret: "accepted" (no case, or no vendor notified yet),
 * "contacting" (vendors being contacted), "investigating" (a vendor asked for
 * the detail or reported a status beyond it), "date_set" (issue 10: the
 * date is set or ready; "publication_at" and "publication_text" then hold
 * it), "published" or "ended" (closed, or publication called off for reason
 * (オ), SPEC 2.9). *out: {"tracking_id", "status" (the
 * report's), "stage" (null until the report is accepted), "stage_label",
 * "stage_text", "stages": [{"stage", "label", "reached"}], "may_write",
 * "thread": [messages of its own thread, staff authors shown as "staff", its
 * own as "finder"], "direct": [{"id", "vendor", "messages"}] (the threads
 * with vendors where both consented: that vendor's name only),
 * "publication_at", "publication_text" (null but at date_set), "lift" (SPEC
 * 2.12, keikai/lift.h: null, or {"from", "from_text", "available",
 * "may_ask", "latest"})} -- no other vendor's name, no case id, no
 * unpublished detail.
 */
enum kk_result kk_case_finder_view(struct kk_store *s, const char *secret, json_t **out, struct kk_error *err);

/* The finder writes to staff from the status page (finder.message), body
 * {"body", "question": true (asks for progress, G IV.2.7), "thread": id (one
 * of its direct threads with a vendor, instead of staff)}, once its report is
 * accepted (KK_ECONFLICT before); staff see unanswered questions first. With
 * KK_CASE_FINDER_WAITING_MAX messages in a thread that staff have not
 * answered yet, another is KK_ETHROTTLED until they do. *out is the message. */
#define KK_CASE_FINDER_WAITING_MAX 20
enum kk_result kk_case_finder_post(struct kk_store *s, const char *secret, const json_t *body, json_t **out,
				   struct kk_error *err);

/* An attachment of a staff (or vendor) message in one of the finder's own
 * threads, for the status page; KK_ENOTFOUND for anything else. */
enum kk_result kk_case_finder_attachment_get(struct kk_store *s, const char *secret, int64_t message_id, int idx,
					     void **data, size_t *size, char **filename, char **content_type,
					     struct kk_error *err);

/* ---- the publication date (lib/case/date*.c; issue 10, SPEC 2.8, 2.9) ---- */

/* The flow of a case's date (docs/internals/date-workflow.md): undated (no
 * vendor contacted) -propose-> proposed (day 0 fixed: day 0 + 45 days on a
 * business day, kk_calendar_publication) -set-> set (the coordinator set the
 * one date; set again moves it) -reach-> ready (the scheduler: the date came;
 * publication is issue 12's) -set-> set (moved again before publication);
 * any but ready -call_off-> called_off (G IV.4.4 (ア)-(オ)) -resume-> proposed. */
extern const struct kk_flow kk_case_date_flow;

/* The reasons publication may be called off (SPEC 2.9, G IV.4.4): "a" (ア)
 * the vendor says it is not a vulnerability, "b" (イ) no impact, "c" (ウ) low
 * impact (Appendix 4), "d" (エ) already known and published, "e" (オ) the
 * vendor notifies every user itself. */
#define KK_CALL_OFF_REASONS "abcde"
/* The label of call-off reason r ("a".."e") in the thread's language; NULL
 * for anything else. */
const char *kk_case_call_off_label(const char *r);

/*
 * The date of case ref as viewer may see it (case.read):
 *   {"title" (the case's), "state", "state_label", "day0", "proposed_at", "publication_at", "ready_at"
 *    (unix seconds or null), "date": the date everyone is asked to agree on
 *    (publication_at, else proposed_at) or null, "date_text" (in the
 *    viewer's language and zone),
 *    "factors": {"fix_time", "international", "leak_risk"} (staff; each text or null),
 *    "called_off": {"reason", "label", "note", "at"} or null,
 *    "answers": [{"vendor_id", "name", "answer": "agree" | "other" | null
 *      (silent), "wanted_at", "reason", "at"}] (staff: every notified
 *      vendor; a vendor: its own only),
 *    "summary": {"agreed": N, "other": N, "silent": N} (staff),
 *    "suggested_at" (staff: the date the answers point to -- the latest date a
 *      vendor asked for, else the date -- or null),
 *    "history": [{"old_at", "new_at", "reason", "at", "by"}] (every change;
 *      "by" and "reason" for staff only),
 *    "events": [events of kk_case_date_flow the viewer may fire now],
 *    "may": {"set", "answer"}}
 */
enum kk_result kk_case_date_get(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
				struct kk_error *err);

/*
 * SPEC 2.8, G IV.4.4: the coordinator (case.date.set) sets or moves the one
 * date, body {"date": "2027-02-18" (at the organisation's publication time)
 * or "publication_at": "2027-02-18T02:00:00Z", "reason": "…" (required),
 * "factors": {"fix_time", "international", "leak_risk"} (optional texts)}.
 * The date must be in the future and a business day. The change is recorded
 * (date_changes: old -> new, who, why), the vendors' answers to the old date
 * become history, and a notice is queued to every notified vendor, every
 * intake user and the case's finders (the date only). *out as kk_case_date_get.
 */
enum kk_result kk_case_date_set(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
				json_t **out, struct kk_error *err);

/* SPEC 2.8: a notified vendor (case.date.answer) answers the date, body
 * {"answer": "agree"} or {"answer": "other", "date": "2027-03-01", "reason"}
 * (both required for other); answering again replaces its answer. A vendor
 * never sets the date. KK_ECONFLICT when the case has no date to answer yet
 * or it is called off or ready. *out as kk_case_date_get. */
enum kk_result kk_case_date_answer(struct kk_store *s, const struct kk_user *actor, const char *ref,
				   const json_t *body, json_t **out, struct kk_error *err);

/* SPEC 2.9: fires "call_off" (body {"reason": "a".."e", "note"}) or "resume"
 * (body {} or {"note"}) on the date (case.date.set). Calling off tells every
 * notified vendor and intake; with reason "e" the finders are told that
 * handling ends. *out as kk_case_date_get. */
enum kk_result kk_case_date_event(struct kk_store *s, const struct kk_user *actor, const char *ref,
				  const char *event, const json_t *body, json_t **out, struct kk_error *err);

/* SPEC 8, for the scheduler: the case's date has come: "reach" (set ->
 * ready) as kk_system_user in tx, telling the coordinator and intake. */
enum kk_result kk_case_date_reach(struct kk_tx *tx, int64_t case_id, struct kk_error *err);

#endif
