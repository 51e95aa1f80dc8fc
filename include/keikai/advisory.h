/*
 * advisory.h: advisories (issue 12; SPEC 6, 2.11, G IV.4.9): everything
 * between a case and its public advisory. The coordinator writes one
 * advisory per case with the 11 items of the publication manual in Japanese
 * and English; the case's notified vendors preview it and comment; the
 * coordinator approves it; the scheduler publishes it on the case's agreed
 * minute (never a second before, never when publication was called off) and
 * gives it its public ID; after publication every vendor's new status,
 * countermeasure or statement shows at once and adds a history entry, and
 * the coordinator may revise the texts, every revision kept. The JSON
 * shapes are docs/api/advisories.md's; every front shows only what these
 * functions return.
 *
 * Access (authz.h, SPEC 1): an advisory is read through its case. Staff
 * (intake, coordinator, admin) and the case's notified vendors read the
 * draft (advisory.read); only a coordinator writes it (advisory.write); a
 * notified vendor comments (advisory.comment). To anyone else an advisory
 * that is not published -- its draft, its future ID and its address -- is
 * exactly a missing one: KK_ENOTFOUND with the message of a case or an
 * advisory that does not exist. A published one is public.
 *
 * Bad input is KK_EINVAL with every member's fault in err (the 400
 * contract), nothing stored; a change that does not apply now is
 * KK_ECONFLICT. Each change runs in one transaction with its audit record
 * (object type "advisory") and what it queues to the outbox.
 */
#ifndef KEIKAI_ADVISORY_H
#define KEIKAI_ADVISORY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/flow.h"
#include "keikai/store.h"

/* The flow of an advisory (docs/internals/advisory-workflow.md): draft
 * -approve (coordinator)-> approved -withdraw (coordinator)-> draft;
 * approved -publish (system, guard: the case's date reached)-> published;
 * published -revise (coordinator)-> published. */
extern const struct kk_flow kk_advisory_flow;

/* SPEC 6: the text members of each language, in the order of the manual:
 * (1) title, (2) overview, (3) affected products and how to check the
 * version, (4) description, (5) impact, (6) countermeasures, (7)
 * workarounds, (11) contact. Every one but the title is Markdown. There is
 * no member for attack methods, PoC or verification steps (SPEC 1). */
extern const char *const kk_advisory_text_members[];
#define KK_ADVISORY_N_TEXTS 8

#define KK_ADVISORY_TITLE_MAX 300      /* characters of a title */
#define KK_ADVISORY_TEXT_MAX 65536     /* bytes of one Markdown member (markdown.h KK_MARKDOWN_MAX) */
#define KK_ADVISORY_REFS_MAX 50        /* related links */
#define KK_ADVISORY_REF_TITLE_MAX 300  /* characters of a link's title */
#define KK_ADVISORY_URL_MAX 2000       /* bytes of a link */
#define KK_ADVISORY_CVES_MAX 100
#define KK_ADVISORY_CWES_MAX 50
#define KK_ADVISORY_CPES_MAX 100
#define KK_ADVISORY_NOTE_MAX 2000      /* characters of a revision's note */
#define KK_ADVISORY_COMMENT_MAX 10000  /* characters of a vendor's comment */

/* A public ID: "<prefix>#<8 digits>" (the prefix 1 to 8 capital letters), and
 * its address form without "#". */
#define KK_ADVISORY_ID_MAX 24
/* The settings of the prefixes (settings_keys.c) and their defaults, JVN's:
 * one domestic vendor, several vendors or one abroad, technical alerts. */
#define KK_ADVISORY_PREFIX_JVN_DEFAULT "JVN"
#define KK_ADVISORY_PREFIX_VU_DEFAULT "JVNVU"
#define KK_ADVISORY_PREFIX_TA_DEFAULT "JVNTA"
/* Tries made to draw an ID no advisory ever had before giving up. */
#define KK_ADVISORY_ID_TRIES 16

/* The largest body of a save or a revision: 16 texts of KK_ADVISORY_TEXT_MAX
 * bytes and the rest, with room for JSON's escapes. */
#define KK_ADVISORY_MAX_BODY (4u * 1024 * 1024)

/* Public lists: paging like /api/v1/reports. */
#define KK_ADVISORY_LIMIT_DEFAULT 50
#define KK_ADVISORY_LIMIT_MAX 200
#define KK_ADVISORY_PAGE_MAX 1000000

/*
 * Checks a body as PUT /api/v1/cases/{ref}/advisory takes it:
 *   {"texts": {"ja": {"title", "overview", "affected", "description",
 *    "impact", "countermeasures", "workarounds", "contact"}, "en": {…}},
 *    "cvss3": "CVSS:3.1/…" or null, "cvss4": "CVSS:4.0/…" or null,
 *    "references": [{"title", "url"}], "cves": ["CVE-2026-12345"],
 *    "cwes": [79 or "CWE-79"], "cpes": ["cpe:2.3:…"],
 *    "kind": "vu" | "jvn" | "ta" | null}
 * Every member is optional (a draft may be unfinished); an unknown member,
 * here or in a language's texts, is a field error (so nothing else, such as
 * a PoC, can be smuggled in). Vectors are checked by cvss.h and kept in
 * canonical form, CVE IDs must be CVE-YYYY-NNNN…, CWE numbers must be in the
 * catalogue when one is loaded (cwe.h), CPE names must parse (cpe.h, kept as
 * 2.3 formatted strings), links must be http:// or https://, Markdown must
 * pass kk_markdown_check. *content (the caller releases it) is the canonical
 * content, every member present. tx may be NULL (no CWE catalogue check).
 */
enum kk_result kk_advisory_check(struct kk_tx *tx, const json_t *body, json_t **content, struct kk_error *err);

/*
 * The advisory of case ref as viewer may see it (advisory.read):
 *   {"case", "exists", "state", "state_label", "kind", "id" (the public ID or
 *    null), "url" (its public address or null), "revision",
 *    "public_revision", "saved_at", "approved_at", "published_at",
 *    "updated_at", "publication": {"state", "at"} (the case's date),
 *    "content": the canonical content (kk_advisory_check; before the first
 *      save a coordinator gets one pre-filled from the case, others empty),
 *    "rendered": RENDERED (below), "comments": [COMMENT] (staff: all; a
 *    vendor: its own), "revisions": [{"number", "public_revision", "at",
 *    "by", "note"}] (staff), "events": [the flow's events the viewer may
 *    fire], "may": {"write", "comment"}}
 * where RENDERED is what the public page shows ({"texts": {"ja": {"title",
 * "title_with_id", MEMBER: html…}, "en": …}, "cvss3", "cvss4", "references",
 * "cves", "cwes", "cpes", "acknowledgements", "vendors", "history"}; a vendor
 * sees only its own entry of "vendors" and no acknowledgements before
 * publication).
 */
enum kk_result kk_advisory_get(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
			       struct kk_error *err);

/* Saves the draft of case ref (advisory.write) from body (kk_advisory_check):
 * a new revision kept with who and when; the first save makes the advisory
 * (state draft). KK_ECONFLICT unless the advisory is a draft (approved:
 * withdraw it first; published: revise). *out as kk_advisory_get. */
enum kk_result kk_advisory_save(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
				json_t **out, struct kk_error *err);

/* Fires an event of kk_advisory_flow on the advisory of case ref: "approve"
 * (body {} or {"note"}; every text member but the workarounds must be
 * written in both languages, else KK_EINVAL naming each), "withdraw" (body
 * {} or {"note"}), "revise" (body: the content as for save, plus "note_ja"
 * and/or "note_en": what changed, for the public history). *out as
 * kk_advisory_get. */
enum kk_result kk_advisory_event(struct kk_store *s, const struct kk_user *actor, const char *ref, const char *event,
				 const json_t *body, json_t **out, struct kk_error *err);

/* SPEC 6: a notified vendor comments on the draft (advisory.comment), body
 * {"body"}; KK_ECONFLICT when there is no advisory yet or it is published.
 * *out is the comment {"id", "vendor_id", "vendor", "revision", "body",
 * "at"}. */
enum kk_result kk_advisory_comment(struct kk_store *s, const struct kk_user *actor, const char *ref,
				   const json_t *body, json_t **out, struct kk_error *err);

/* The advisories of every case for staff (advisory.read with no object:
 * intake, coordinator, admin; others KK_EDENIED), newest saved first:
 * {"advisories": [{"case", "state", "state_label", "id", "title": {"ja",
 * "en"}, "saved_at", "published_at", "updated_at"}]}; state NULL or one of
 * the flow's states (KK_EINVAL, field "state", for another). */
enum kk_result kk_advisory_list(struct kk_store *s, const struct kk_user *viewer, const char *state, json_t **out,
				struct kk_error *err);

/*
 * SPEC 6, issue 12 item 5: publishes the approved advisory advisory_id in tx
 * as actor (the scheduler's kk_system_user; the flow refuses every other
 * role): the guard wants the case's date reached (date state "ready" and the
 * publication time not in the future). One transaction: the public ID drawn
 * and recorded for ever, published_at, the history entry "published", the
 * case's advisory_id, the audit record, and the notices to the case's
 * finders, every notified vendor and every intake user.
 */
enum kk_result kk_advisory_publish(struct kk_tx *tx, const struct kk_user *actor, int64_t advisory_id,
				   struct kk_error *err);

/*
 * G IV.4.9, SPEC 2.11: vendor vendor_id of case case_id changed what the
 * advisory shows of it -- what: "vendor_status", "vendor_countermeasure" or
 * "vendor_statement". When the case's advisory is published this adds a
 * public history entry (once per vendor, kind and second) and bumps the
 * advisory's updated_at; otherwise nothing. In tx, for lib/case/.
 */
enum kk_result kk_advisory_vendor_updated(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, const char *what,
					  struct kk_error *err);

/* The published advisories, newest first, one page: *out {"advisories":
 * [{"id", "slug", "url", "kind", "title": {"ja", "en"}, "cvss3": {"vector",
 * "score", "severity"} or null, "cvss4", "published_at", "updated_at",
 * "revision"}]}, *total how many there are. limit 1 to KK_ADVISORY_LIMIT_MAX,
 * page 1 to KK_ADVISORY_PAGE_MAX (KK_EINVAL, fields "limit", "page"). */
enum kk_result kk_advisory_public_list(struct kk_store *s, int limit, int64_t page, json_t **out, int64_t *total,
				       struct kk_error *err);

/* One published advisory by its public ID ("JVNVU#12345678" or the address
 * form "JVNVU12345678"): the whole public advisory, RENDERED with "id",
 * "slug", "url", "kind", "case" left out, "content", "published_at",
 * "updated_at", "revision" (docs/api/advisories.md). KK_ENOTFOUND, "There is
 * no advisory ID.", for one that is not published or does not exist. */
enum kk_result kk_advisory_public_get(struct kk_store *s, const char *id, json_t **out, struct kk_error *err);

/* Parses a public ID or its address form into "PREFIX#DIGITS" (out, at least
 * KK_ADVISORY_ID_MAX bytes): 0, or -1 when s is neither. */
int kk_advisory_id_parse(const char *s, char *out, size_t n);
/* The address form of id ("JVNVU#12345678" -> "JVNVU12345678") into out. */
char *kk_advisory_id_slug(const char *id, char *out, size_t n);

#endif
