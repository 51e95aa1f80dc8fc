/*
 * internal.h: what the modules of lib/advisory/ share (advisory.h is the
 * public side; issue 12, SPEC 6, 2.11). An advisory is part of its case and
 * is reached through it: adv_begin loads the case with case_load (the policy
 * asked there, SPEC 1) and then the advisory row, so no module can forget
 * either.
 */
#ifndef KEIKAI_ADVISORY_INTERNAL_H
#define KEIKAI_ADVISORY_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/advisory.h"
#include "case/internal.h"
#include "store/advisories.h"

/* ---- reaching an advisory (advisory.c) ---- */

/* An advisory as one user stands to it: its case, and its row (a.id 0 when
 * the case has none yet). */
struct adv_ctx {
	struct case_ctx cx;
	struct kk_advisory a;
};
void adv_ctx_release(struct adv_ctx *ax);

/* Begins a transaction (writable when write), loads case ref as user stands
 * to it and checks `action` (case_load: a case the user may not read is
 * missing), then the case's advisory. On KK_OK the caller ends tx and
 * releases ax; on failure tx is ended. */
enum kk_result adv_begin(struct kk_store *s, int write, const struct kk_user *user, const char *ref,
			 enum kk_action action, struct kk_tx *tx, struct adv_ctx *ax, struct kk_error *err);

/* kk_may with the advisory's case as the object. */
int adv_may(const struct kk_user *user, enum kk_action action, const struct adv_ctx *ax);

/* KK_ENOTFOUND, "There is no advisory ID." (a public ID that is not
 * published answers the same, SPEC 1). */
enum kk_result adv_missing(const char *id, struct kk_error *err);

/* ---- the content (content.c) ---- */

/* The canonical content with every member empty. NULL without memory. */
json_t *adv_content_empty(void);
/* Field errors for every text member approve needs and content lacks
 * (SPEC 6: every item but the workarounds, in both languages); KK_OK when
 * none. */
enum kk_result adv_content_complete(const json_t *content, struct kk_error *err);
/* The scores of a canonical content: v3 base and v4 score in tenths, -1 for none. */
void adv_content_scores(const json_t *content, int *cvss3, int *cvss4);
/* {"vector", "version", "score", "severity", "severity_label"} of a vector
 * kk_advisory_check kept, or JSON null for NULL (a new reference; NULL
 * without memory). */
json_t *adv_cvss_json(const char *vector);
/* The content's JSON text as stored (the caller frees), NULL without memory. */
char *adv_content_dump(const json_t *content);
/* The stored content text as JSON (a new reference), or NULL with err set. */
json_t *adv_content_load(const char *text, struct kk_error *err);

/* ---- public IDs (ids.c) ---- */

/* SPEC 6, issue 12 item 2: the kind of the advisory of case case_id: the
 * content's "kind" when the coordinator chose one, else "jvn" for a case of
 * one domestic vendor and "vu" for several vendors or one abroad; into
 * kind (8 bytes). */
enum kk_result adv_id_kind(struct kk_tx *tx, int64_t case_id, const json_t *content, char *kind,
			   struct kk_error *err);
/* Draws a public ID for kind (the prefix from its setting, 8 random digits)
 * that no advisory ever had and records it for case_id (advisory_ids): into
 * id (KK_ADVISORY_ID_MAX bytes). KK_ECONFLICT after KK_ADVISORY_ID_TRIES
 * draws that were all taken. */
enum kk_result adv_id_draw(struct kk_tx *tx, int64_t case_id, const char *kind, char *id, struct kk_error *err);
/* The public address of id ("<base_url>/advisories/JVNVU12345678") into a
 * string the caller frees. */
enum kk_result adv_id_url(struct kk_tx *tx, const char *id, char **url, struct kk_error *err);

/* ---- the flow (flow.c) ---- */

/* What an event of kk_advisory_flow works on: the row and its case. */
struct adv_object {
	struct kk_advisory *a;
	const struct kk_case *c;
};
/* What comes with an event: revise's new content and notes, a note. */
struct adv_input {
	const json_t *content; /* revise: canonical */
	const char *note;      /* approve, withdraw: may be NULL */
	const char *note_ja, *note_en; /* revise: what changed (one at least) */
};
/* Fires event on ax's advisory as actor in tx (the flow decides). */
enum kk_result adv_fire(struct kk_tx *tx, const struct kk_user *actor, struct kk_advisory *a,
			const struct kk_case *c, const struct adv_input *in, const char *event, struct kk_error *err);

/* ---- what the advisory shows (view.c, vendors.c) ---- */

/* Who reads a rendering: the public (after publication), staff, or one vendor. */
struct adv_reader {
	int staff;          /* every vendor, the acknowledgements */
	int64_t vendor_id;  /* a vendor: its own entry only (0: none) */
	int published;      /* the advisory is public: everything */
};
/*
 * RENDERED (advisory.h) of advisory a of case c, as reader may see it:
 * texts with their HTML (kk_markdown_html), CVSS with scores, references,
 * CVE, CWE with names, CPE, acknowledgements, every vendor's status and
 * the history. content is a's (canonical). Into *out.
 */
enum kk_result adv_rendered(struct kk_tx *tx, const struct kk_advisory *a, const struct kk_case *c,
			    const json_t *content, const struct adv_reader *reader, json_t **out,
			    struct kk_error *err);
/* SPEC 2.11: every notified vendor of case case_id (only_vendor not 0: that
 * one) with its status per vulnerability, countermeasures, statement, "no
 * response" and its last update, appended to arr (vendors.c). */
enum kk_result adv_vendors_json(struct kk_tx *tx, int64_t case_id, int64_t only_vendor, json_t *arr,
				struct kk_error *err);
/* The countermeasures and workarounds members pre-filled from the vendors'
 * countermeasures of case case_id (SPEC 6 (6)), set in content's texts. */
enum kk_result adv_prefill(struct kk_tx *tx, int64_t case_id, json_t *content, struct kk_error *err);

/* ---- publication (notices.c) ---- */

/* The effect of "publish": the notice to the case's finders, every
 * notified vendor and every intake user, in each reader's language. */
enum kk_result adv_tell_published(struct kk_flow_step *s, struct kk_error *err);

#endif
