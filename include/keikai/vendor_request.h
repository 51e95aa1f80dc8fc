/*
 * vendor_request.h: a vendor's request to be registered (G IV.4.2; SPEC 2.5).
 * A vendor that is not in the registry asks through a public form or the API;
 * a coordinator approves the request, which creates the vendor with the
 * request's names, country, website and the contact e-mail as its primary
 * contact, or rejects it with a reason. The states are a flow table
 * (kk_vendor_request_flow, lib/vendor/requests.c; docs/internals/
 * vendor-requests.md), and every decision is audited ("vendor_request").
 *
 * Also the public vendor list (G IV.4.1): the vendors that consented to be
 * listed, with their direct-report contact when they accept reports directly.
 * docs/api/vendors.md ("Registration requests", "Public vendor list") is the
 * API's manual.
 */
#ifndef KEIKAI_VENDOR_REQUEST_H
#define KEIKAI_VENDOR_REQUEST_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/flow.h"
#include "keikai/report.h"
#include "keikai/store.h"

/* The request's states, in the order of kk_vendor_request_flow's table. */
enum kk_vendor_request_status {
	KK_VREQ_PENDING = 0,
	KK_VREQ_APPROVED,
	KK_VREQ_REJECTED,
};

extern const struct kk_flow kk_vendor_request_flow;

/* Limits of the fields, in characters. */
#define KK_VREQ_NAME_MAX 200
#define KK_VREQ_URL_MAX 2000
#define KK_VREQ_NOTE_MAX 4000
#define KK_VREQ_REASON_MAX 2000

/* One request. Strings are owned (NULL when absent); release with
 * kk_vendor_request_release. */
struct kk_vendor_request {
	int64_t id;
	enum kk_vendor_request_status status;
	char *name_ja, *name_en; /* at least one */
	char *country;           /* ISO 3166-1 alpha-2, upper case ("JP"), or NULL */
	char *website;           /* an http(s) URL, or NULL */
	char *contact_email;     /* required: becomes the vendor's primary contact */
	char *department;        /* the department or person of that contact */
	char lang[3];            /* "ja" or "en": the vendor's preferred language */
	char *note;              /* what the requester adds for the coordinator */
	int64_t created_at;
	/* once decided */
	int64_t decided_at, decided_by, vendor_id; /* vendor_id: the vendor an approval created */
	char *reason;                              /* why it was rejected */
};

void kk_vendor_request_release(struct kk_vendor_request *r);

/* "pending", "approved", "rejected" (the flow's names); its translated label. */
const char *kk_vendor_request_status_name(enum kk_vendor_request_status st);
const char *kk_vendor_request_status_label(enum kk_vendor_request_status st);
/* 0 and *out set when s names a state, else -1. */
int kk_vendor_request_status_parse(const char *s, enum kk_vendor_request_status *out);

/*
 * Validates a request body {"name_ja", "name_en", "country", "website",
 * "contact_email", "department", "lang", "note"} (every member text or null;
 * "" counts as absent) into *out (zeroed first). lang defaults to the calling
 * thread's language. KK_EINVAL with a field error for each wrong member; out
 * then holds what was read and must still be released.
 */
enum kk_result kk_vendor_request_from_json(const json_t *body, struct kk_vendor_request *out, struct kk_error *err);

/*
 * Stores a validated request as pending (G IV.4.2: anyone may ask), counting it
 * against its source's hourly limit first, the same budget as reports
 * (opts: only source and per_hour are read; NULL for no limit; KK_ETHROTTLED
 * with opts->retry_after, nothing stored, when over it). Audited as "submit".
 * Sets r->id, r->status and r->created_at.
 */
enum kk_result kk_vendor_request_submit(struct kk_store *s, struct kk_vendor_request *r, struct kk_submit_opts *opts,
					struct kk_error *err);

/* Request id as the viewer may see it (vendor.request.decide); KK_ENOTFOUND
 * when there is none or the viewer may not see it. */
enum kk_result kk_vendor_request_get(struct kk_store *s, const struct kk_user *viewer, int64_t id,
				     struct kk_vendor_request *out, struct kk_error *err);

/* The requests in a state (status < 0: every state), newest first, at most
 * limit (1..500), as a JSON array the caller owns (kk_vendor_request_to_json
 * each). KK_EDENIED when the viewer may not decide requests. */
enum kk_result kk_vendor_request_list(struct kk_store *s, const struct kk_user *viewer, int status, int limit,
				      json_t **out, struct kk_error *err);

/* A decision: approve, or reject with a reason. */
struct kk_vendor_request_decision {
	int approve;
	const char *reason; /* borrowed; required to reject, refused with approve */
};

/* Validates {"decision": "approve"|"reject", "reason"}; d->reason points into body. */
enum kk_result kk_vendor_request_decision_from_json(const json_t *body, struct kk_vendor_request_decision *d,
						    struct kk_error *err);

/*
 * Fires approve or reject on request id as actor (the flow table's rules:
 * KK_EDENIED for a role that may not, KK_ECONFLICT when it is decided already,
 * KK_ENOTFOUND when there is no such request, KK_EINVAL for a rejection
 * without a reason). Approval creates the vendor and its primary contact in
 * the same transaction (the registry's version moves) and records vendor_id,
 * decided_by and decided_at. out (may be NULL) receives the request as
 * decided.
 */
enum kk_result kk_vendor_request_decide(struct kk_store *s, const struct kk_user *actor, int64_t id,
					const struct kk_vendor_request_decision *d, struct kk_vendor_request *out,
					struct kk_error *err);

/* The request as the API shows it (docs/api/vendors.md); NULL without memory. */
json_t *kk_vendor_request_to_json(const struct kk_vendor_request *r);

/*
 * G IV.4.1: the public vendor list: every vendor with listed_publicly = 1,
 * ordered by name, as a JSON array the caller owns of {"id", "name_ja",
 * "name_en", "country", "website", "accepts_direct_reports", "intake_email",
 * "policy_url"}; intake_email and policy_url are null unless the vendor
 * accepts reports directly.
 */
enum kk_result kk_vendor_public_list(struct kk_store *s, json_t **out, struct kk_error *err);

#endif
