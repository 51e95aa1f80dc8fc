/*
 * report.h: vulnerability reports (届出) from finders and their triage by the
 * receiving organisation (SPEC 2.1–2.4, 3.1–3.2).
 *
 * A report arrives as the JSON body documented in docs/api/reports.md (the web form
 * is turned into the same JSON), is validated into a struct kk_report, stored with
 * its evidence and an acknowledgement to the finder in one durable transaction, and
 * is then accepted or rejected with a reason the finder sees. Who may read which
 * part of a report is decided here (kk_report_to_json), not in the fronts.
 */
#ifndef KEIKAI_REPORT_H
#define KEIKAI_REPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/flow.h"
#include "keikai/impact.h"
#include "keikai/store.h"

enum kk_report_kind { KK_REPORT_PRODUCT = 0, KK_REPORT_WEBSITE };
enum kk_report_status { KK_REPORT_RECEIVED = 0, KK_REPORT_ACCEPTED, KK_REPORT_REJECTED, KK_REPORT_MAIL };

/* Reasons for rejection (SPEC 2.2: G IV.3(1)2 ア–オ and 3). */
enum kk_reject_reason {
	KK_REJECT_NONE = 0,
	KK_REJECT_INCOMPLETE,          /* (ア) required items missing */
	KK_REJECT_CONTRADICTORY,       /* (イ) contradictions */
	KK_REJECT_OUT_OF_SCOPE,        /* (ウ) not in scope */
	KK_REJECT_NOT_A_VULNERABILITY, /* (エ) not a vulnerability */
	KK_REJECT_ALREADY_KNOWN,       /* (オ) already known and published / fixed */
	KK_REJECT_ILLEGALLY_OBTAINED,  /* G IV.3(1)3 */
};

#define KK_REPORT_MAX_BODY (12u * 1024 * 1024)
#define KK_ATTACHMENT_MAX (5u * 1024 * 1024)
#define KK_ATTACHMENTS_TOTAL_MAX (8u * 1024 * 1024)
#define KK_ATTACHMENTS_MAX_COUNT 10

struct kk_attachment {
	char *filename;
	char *content_type;
	unsigned char *data; /* NULL when only the metadata was loaded */
	size_t size;
	char sha256[65];
};

/*
 * SPEC 2.1, 2.13: body's "attachments" (optional): [{"filename",
 * "content_type", "data_base64"}], at most KK_ATTACHMENTS_MAX_COUNT files of
 * at most KK_ATTACHMENT_MAX bytes, KK_ATTACHMENTS_TOTAL_MAX together, each
 * with a plain file name and a media type: a report's evidence and a case
 * message's files alike. Field errors ("attachments[0].filename" …) in err.
 * *out gets an array of *n decoded files that the caller frees with
 * kk_attachments_free, also on error (NULL and 0 when there are none).
 */
void kk_attachments_from_json(const json_t *body, struct kk_attachment **out, size_t *n, struct kk_error *err);
/* Frees the n files of a and a itself. Accepts NULL. */
void kk_attachments_free(struct kk_attachment *a, size_t n);

struct kk_finder {
	char *name, *email, *organization, *phone, *pgp_key;
};

struct kk_report {
	/* set by the core when stored */
	int64_t id;
	char tracking_id[24];
	enum kk_report_status status;
	int64_t received_at, accepted_at, decided_at; /* 0 when not (yet) */
	enum kk_reject_reason reject_reason;
	char *decision_note;
	char lang[3]; /* the finder's language, for messages to the finder */

	/* from the finder (docs/api/reports.md) */
	enum kk_report_kind kind;
	struct kk_finder finder;
	int share_identity, direct_contact, credit; /* SPEC 2.1 ウ エ オ */
	char *credit_name;
	char *product_vendor, *product_name, *product_version;
	char *website_url;
	char *summary, *environment, *steps, *result, *impact, *workaround, *cvss_vector;
	int reported_elsewhere;
	char *reported_to;
	int vendor_told_directly;
	char *coordinated_by; /* "receiving_org", "direct" or NULL */
	int wants_final_result, encrypted_contact;
	struct kk_attachment *attachments;
	size_t n_attachments;
	/* issue 11: the details that came encrypted, a JSON array of their names
	 * (["environment","steps"]), or NULL; and the armored message they came
	 * in, kept as evidence when the report is stored (never loaded back) */
	char *encrypted_fields, *ciphertext;

	/* staff's impact assessment (SPEC 2.3, 7) */
	char *assessed_vector; /* CVSS v3 vector set by staff; NULL: the finder's is used */
	struct kk_scope_factors scope;
	int64_t assessed_at;
};

/* Releases what r holds and zeroes it. Accepts NULL. */
void kk_report_release(struct kk_report *r);

/*
 * Validates a submitted body into *out (which the caller releases, also on error).
 * Every fault is recorded in err as a field error with its path; on KK_EINVAL
 * nothing useful is in *out.
 */
enum kk_result kk_report_from_json(const json_t *body, struct kk_report *out, struct kk_error *err);

/*
 * kk_report_from_json for a submission that may carry its details encrypted
 * (issue 11, item 5; report/sealed.c): details.encrypted, an armored OpenPGP
 * message to the organisation's key, is decrypted with store s's key and the
 * details it holds (under headings, "Environment:" / "環境:" …, or as a JSON
 * object) take its place in body, which is changed. out->encrypted_fields
 * and out->ciphertext are set then. What is wrong with the message is a field
 * error on details.encrypted; a detail given both ways is refused, naming both.
 */
enum kk_result kk_report_from_body(struct kk_store *s, json_t *body, struct kk_report *out, struct kk_error *err);

/*
 * Stores a validated report with its attachments, an audit record and the
 * acknowledgement to the finder in one transaction, synced to disk before this
 * returns. Fills r->id, tracking_id, status, received_at, and lang (from the
 * calling thread's language). Writes the finder's status secret (KK_TOKEN_MAX
 * bytes) into secret_out.
 */
enum kk_result kk_report_submit(struct kk_store *s, struct kk_report *r, char *secret_out, struct kk_error *err);

/* What a front knows of a submission besides the report (issue 7; report/submit.c). */
#define KK_REPORT_LIMIT_WINDOW 3600 /* the limit per source address counts reports an hour */
struct kk_idem;
struct kk_submit_opts {
	const char *source;         /* the sender's address as the front keys it; NULL: unknown, no limit */
	unsigned per_hour;          /* reports one source may submit an hour; 0: no limit */
	const struct kk_idem *idem; /* the request's Idempotency-Key (idempotency.h), or NULL */
	int64_t retry_after;        /* out, with KK_ETHROTTLED: seconds until the source may submit again */
};

/*
 * kk_report_submit with opts (NULL: none). In the same transaction the report
 * is counted against its source's limit first (KK_ETHROTTLED, nothing stored,
 * when over it) and, with an Idempotency-Key, its receipt is kept for the key
 * (KK_ECONFLICT, nothing stored, when another request with the key was stored
 * first: kk_idem_find then has that one's answer).
 */
enum kk_result kk_report_submit_with(struct kk_store *s, struct kk_report *r, struct kk_submit_opts *opts,
				     char *secret_out, struct kk_error *err);

/* Whether source may submit another report now, for a refusal before the body
 * is read: KK_OK, or KK_ETHROTTLED with *retry_after and a message. Reads only;
 * the submission counts (kk_report_submit_with). per_hour 0 or no source: KK_OK. */
enum kk_result kk_report_limit_check(struct kk_store *s, const char *source, unsigned per_hour,
				     int64_t *retry_after, struct kk_error *err);

/* The answer to a stored submission: {"tracking_id", "status_url", "status",
 * "received_at"} (docs/api/reports.md); the caller owns it. NULL when out of memory. */
json_t *kk_report_receipt_json(const struct kk_report *r, const char *secret);

/*
 * Loads a report by tracking id for viewer. KK_ENOTFOUND when there is none or the
 * viewer may not see it (the two are not told apart: authz.h). with_data loads the
 * attachments' bytes too, for a viewer who may read evidence (KK_ENOTFOUND
 * for others).
 */
enum kk_result kk_report_get(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
			     int with_data, struct kk_report *out, struct kk_error *err);

/* SPEC 2.1 キ: attachment `index` of a report, with its bytes, for a viewer who
 * may read the report's evidence; *a points into *out, which the caller
 * releases. KK_ENOTFOUND when there is no such report or attachment or the
 * viewer may not have it (not told apart). */
enum kk_result kk_report_attachment_get(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
					size_t index, struct kk_report *out, const struct kk_attachment **a,
					struct kk_error *err);

/* Loads the report a finder's status secret opens (KK_ENOTFOUND otherwise). */
enum kk_result kk_report_by_secret(struct kk_store *s, const char *secret, struct kk_report *out,
				   struct kk_error *err);

/* Which page of the intake queue to list (kk_report_list). */
#define KK_QUEUE_LIMIT_DEFAULT 50 /* reports per page when none is asked for */
#define KK_QUEUE_LIMIT_MAX 200
#define KK_QUEUE_PAGE_MAX 1000000
struct kk_queue_page {
	int status;   /* an enum kk_report_status, or < 0 for every status */
	int limit;    /* reports per page: 1 to KK_QUEUE_LIMIT_MAX */
	int64_t page; /* 1 for the first: 1 to KK_QUEUE_PAGE_MAX */
};

/* Parses the query parameters "limit" and "page" (decimal digits; NULL or ""
 * for the default: KK_QUEUE_LIMIT_DEFAULT, page 1) into which->limit and
 * which->page, leaving which->status alone. KK_EINVAL with a field error named
 * after each parameter that is not a whole number in its range. */
enum kk_result kk_queue_page_parse(const char *limit, const char *page, struct kk_queue_page *which,
				   struct kk_error *err);

/* One report as the queue shows it. */
struct kk_queue_row {
	char tracking_id[24];
	enum kk_report_kind kind;
	enum kk_report_status status;
	char *title; /* kk_report_title */
	int64_t received_at, accepted_at;
	int score_tenths; /* CVSS v3 base score in tenths, -1 when not rated */
	enum kk_scope scope;
	enum kk_impact impact;
};

/* One page of the queue; *total reports in the whole queue (in which->status). */
struct kk_queue {
	struct kk_queue_row *rows;
	size_t n;
	int64_t total;
};

void kk_queue_release(struct kk_queue *q);

/* SPEC 2.3: one page of the queue, highest impact first regardless of arrival,
 * then highest score, then oldest. A page past the end is empty. The database
 * orders and pages it, so a page costs the same however long the queue is.
 * KK_EDENIED unless the viewer may read the queue (authz.h); KK_EINVAL (field
 * "limit" or "page") when which is out of range. The caller releases *out. */
enum kk_result kk_report_queue(struct kk_store *s, const struct kk_user *viewer, const struct kk_queue_page *which,
			       struct kk_queue *out, struct kk_error *err);
/* A row as the JSON of docs/api/reports.md (the one serialiser of a row). */
json_t *kk_queue_row_json(const struct kk_queue_row *row);
/* kk_report_queue as a JSON array of rows the caller owns, and the total. */
enum kk_result kk_report_list(struct kk_store *s, const struct kk_user *viewer, const struct kk_queue_page *which,
			      json_t **out, int64_t *total, struct kk_error *err);

/* SPEC 2.2: the note that goes to the finder with a decision holds at most
 * KK_DECISION_NOTE_MAX characters and KK_DECISION_NOTE_MAX_BYTES bytes (four
 * per character at most in UTF-8), so a note that was accepted always fits in
 * the finder's message (issue 7). */
#define KK_DECISION_NOTE_MAX 10000
#define KK_DECISION_NOTE_MAX_BYTES (4 * KK_DECISION_NOTE_MAX)

struct kk_decision {
	int accept; /* 1 accept, 0 reject */
	enum kk_reject_reason reason;
	const char *note; /* may be NULL */
};

/* Parses {"decision", "reason", "note"}; field errors in err. */
enum kk_result kk_decision_from_json(const json_t *body, struct kk_decision *out, struct kk_error *err);

/*
 * Accepts or rejects a received report (SPEC 2.2) and tells the finder. The
 * acceptance date is the day this happens. KK_EDENIED for roles other than intake,
 * KK_ENOTFOUND, KK_ECONFLICT when the report was already decided. On success *r
 * (when not NULL) holds the report as it now is.
 */
enum kk_result kk_report_decide(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
				const struct kk_decision *d, struct kk_report *r, struct kk_error *err);

/* SPEC 2.3, 7: the report's impact. *tenths is the v3 base score of the staff's
 * vector, else of the finder's, or -1 when neither is a v3 vector; *vector_out
 * (may be NULL) points at that vector or is NULL. The one function that ranks
 * a report: the queue's order is what it returned when the report was stored
 * or last assessed (kept in the database, lib/store/report_queue.h). */
enum kk_impact kk_report_impact(const struct kk_report *r, int *tenths, enum kk_scope *scope,
				const char **vector_out);

/* Staff's assessment of a report's impact. */
struct kk_assessment {
	const char *cvss_vector; /* a CVSS v3.0 / v3.1 vector, or NULL to use the finder's */
	struct kk_scope_factors scope;
};

/* Parses {"cvss_vector", "scope": {"users", "critical_infrastructure",
 * "attack_public"}}; field errors in err. Strings point into body. */
enum kk_result kk_assessment_from_json(const json_t *body, struct kk_assessment *out, struct kk_error *err);

/* Records an assessment (audited). On success *out (when not NULL) holds the report. */
enum kk_result kk_report_assess(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
				const struct kk_assessment *a, struct kk_report *out, struct kk_error *err);

/* The report as JSON for viewer, applying the visibility rules of SPEC 1. */
json_t *kk_report_to_json(const struct kk_report *r, const struct kk_user *viewer);
/* What the finder's status page shows: no contact data, no details. */
json_t *kk_report_status_json(const struct kk_report *r);

/* A one-line title: "vendor product version" or the site's URL. Caller frees;
 * NULL when out of memory. */
char *kk_report_title(const struct kk_report *r);

/* SPEC 2.2: the triage workflow (lib/report/flow.c): states in the order of
 * enum kk_report_status, events "accept" and "reject". */
extern const struct kk_flow kk_report_triage;

const char *kk_report_kind_name(enum kk_report_kind k);
const char *kk_report_status_name(enum kk_report_status st);
/* Translated label of a status, in the thread's language. */
const char *kk_report_status_label(enum kk_report_status st);
/* 0 and *out set when s names a state of the triage flow, else -1. */
int kk_report_status_parse(const char *s, enum kk_report_status *out);
const char *kk_reject_reason_name(enum kk_reject_reason r);
/* Translated explanation of a reason, in the thread's language. */
const char *kk_reject_reason_text(enum kk_reject_reason r);
int kk_reject_reason_parse(const char *s, enum kk_reject_reason *out);

/* All reasons, for forms: terminated by KK_REJECT_NONE. */
extern const enum kk_reject_reason kk_reject_reasons[];

#endif
