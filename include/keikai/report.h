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
#include "keikai/impact.h"
#include "keikai/store.h"

enum kk_report_kind { KK_REPORT_PRODUCT = 0, KK_REPORT_WEBSITE };
enum kk_report_status { KK_REPORT_RECEIVED = 0, KK_REPORT_ACCEPTED, KK_REPORT_REJECTED };

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
 * Stores a validated report with its attachments, an audit record and the
 * acknowledgement to the finder in one transaction, synced to disk before this
 * returns. Fills r->id, tracking_id, status, received_at, and lang (from the
 * calling thread's language). Writes the finder's status secret (KK_TOKEN_MAX
 * bytes) into secret_out.
 */
enum kk_result kk_report_submit(struct kk_store *s, struct kk_report *r, char *secret_out, struct kk_error *err);

/* Whether viewer may read report r at all (SPEC 1). */
int kk_report_may_view(const struct kk_user *viewer, const struct kk_report *r);
/* Whether viewer may see the finder's identity and contact (SPEC 1, G IV.3(1)6). */
int kk_report_may_see_finder(const struct kk_user *viewer, const struct kk_report *r);
/* Whether viewer may list the queue / decide / download evidence. */
int kk_report_may_list(const struct kk_user *viewer);
int kk_report_may_decide(const struct kk_user *viewer);
int kk_report_may_download(const struct kk_user *viewer);

/*
 * Loads a report by tracking id for viewer. KK_ENOTFOUND when there is none or the
 * viewer may not see it (the two are not told apart). with_data loads the
 * attachments' bytes too.
 */
enum kk_result kk_report_get(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
			     int with_data, struct kk_report *out, struct kk_error *err);

/* Loads the report a finder's status secret opens (KK_ENOTFOUND otherwise). */
enum kk_result kk_report_by_secret(struct kk_store *s, const char *secret, struct kk_report *out,
				   struct kk_error *err);

/* The queue, highest impact first (SPEC 2.3), then highest score, then oldest,
 * as a JSON array the caller owns.
 * status < 0 means every status. KK_EDENIED unless kk_report_may_list(viewer). */
enum kk_result kk_report_list(struct kk_store *s, const struct kk_user *viewer, int status, json_t **out,
			      struct kk_error *err);

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
 * (may be NULL) points at that vector or is NULL. */
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

/* Whether viewer may assess impact: the receiving organisation and the
 * coordinator judge it together (G 付録4). */
int kk_report_may_assess(const struct kk_user *viewer);

/* Records an assessment (audited). On success *out (when not NULL) holds the report. */
enum kk_result kk_report_assess(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
				const struct kk_assessment *a, struct kk_report *out, struct kk_error *err);

/* The report as JSON for viewer, applying the visibility rules of SPEC 1. */
json_t *kk_report_to_json(const struct kk_report *r, const struct kk_user *viewer);
/* What the finder's status page shows: no contact data, no details. */
json_t *kk_report_status_json(const struct kk_report *r);

/* A one-line title: "vendor product version" or the site's URL. Caller frees. */
char *kk_report_title(const struct kk_report *r);

const char *kk_report_kind_name(enum kk_report_kind k);
const char *kk_report_status_name(enum kk_report_status st);
/* Translated label of a status, in the thread's language. */
const char *kk_report_status_label(enum kk_report_status st);
const char *kk_reject_reason_name(enum kk_reject_reason r);
/* Translated explanation of a reason, in the thread's language. */
const char *kk_reject_reason_text(enum kk_reject_reason r);
int kk_reject_reason_parse(const char *s, enum kk_reject_reason *out);

/* All reasons, for forms: terminated by KK_REJECT_NONE. */
extern const enum kk_reject_reason kk_reject_reasons[];

#endif
