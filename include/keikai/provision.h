/*
 * provision.h: what may leave keikai before publication, with the
 * coordinator's consent (issue 10; SPEC 2.10):
 *
 * - priority provision (優先的な情報提供, G IV.3(1)12, IV.4.8): the coordinator,
 *   after consulting the receiving organisation and the vendor, provides the
 *   vulnerability and its fix, once a fix exists and before publication, to a
 *   recipient: a government body or a critical-infrastructure operator (an
 *   organisation of a new kind) that accepted the three conditions below. A
 *   recipient's users (orgs.recipient_id, role "recipient") see only what was
 *   provided to their own recipient (provision.read, KK_REL_OWN_RECIPIENT),
 *   never a case; the finder is told that a provision was made;
 * - a vendor's pre-notification of its own customers under NDA (G IV.4.9):
 *   a vendor of the case that asked for the detail asks; the coordinator
 *   consents or refuses (kk_prenotify_flow; docs/internals/prenotify-workflow.md).
 *
 * Every function works in one transaction of its own and answers the JSON the
 * API shows (*out, owned by the caller, NULL on failure). Bad input is
 * KK_EINVAL with a field error per faulty member (in the caller's language);
 * what the user may not see is KK_ENOTFOUND with the message of a missing one.
 */
#ifndef KEIKAI_PROVISION_H
#define KEIKAI_PROVISION_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/flow.h"
#include "keikai/store.h"

/*
 * G IV.4.8: the three conditions a recipient accepts, (ア)-(ウ), in Japanese
 * (the guideline's words) and English. The page of recipients shows them.
 */
#define KK_RECIPIENT_CONDITIONS 3
extern const char *const kk_recipient_conditions_ja[KK_RECIPIENT_CONDITIONS];
extern const char *const kk_recipient_conditions_en[KK_RECIPIENT_CONDITIONS];

/* ---- recipients (recipient.manage) ---- */

/*
 * Registers a recipient, body {"name_ja", "name_en" (one at least), "kind":
 * "government" | "critical_infrastructure", "conditions_accepted": true (the
 * three conditions, required), "accepted_by": "who accepted them for the
 * organisation", "accepted_at": unix seconds (optional: now), "note"}. Audited.
 * *out: RECIPIENT {"id", "name_ja", "name_en", "name", "kind",
 * "conditions_accepted_at", "conditions_accepted_by", "note", "created_at"}.
 */
enum kk_result kk_recipient_add(struct kk_store *s, const struct kk_user *actor, const json_t *body, json_t **out,
				struct kk_error *err);
/* Every recipient, by id: {"recipients": [RECIPIENT]}. */
enum kk_result kk_recipient_list(struct kk_store *s, const struct kk_user *viewer, json_t **out,
				 struct kk_error *err);
/* Whether recipient id exists (KK_ENOTFOUND if not), for the fronts (user add). */
enum kk_result kk_recipient_exists(struct kk_store *s, int64_t id, struct kk_error *err);

/* ---- priority provision ---- */

/*
 * SPEC 2.10: case ref's vulnerability and fix provided to a recipient, body
 * {"recipient_id", "title", "body", "consulted_intake": true,
 * "consulted_vendor": true, "note"} (provision.give). Both consultations must
 * be confirmed (field errors otherwise); KK_ECONFLICT when no fix exists yet
 * (no countermeasure of the case with fixed versions or URLs) or publication
 * was called off. Audited on the case; each finder of the case gets a staff
 * message in their thread (G IV.3(1)12) and its notice; each user of the
 * recipient a notice that there is something for it, without the content
 * (SPEC 1). *out: PROVISION {"id", "case", "recipient": {"id", "name"},
 * "title", "body", "consulted_intake", "consulted_vendor", "note",
 * "provided_by", "provided_at"} ("note" and the consultations for staff only).
 */
enum kk_result kk_provision_give(struct kk_store *s, const struct kk_user *actor, const char *ref,
				 const json_t *body, json_t **out, struct kk_error *err);
/*
 * The provisions viewer may read (provision.read): with ref, those of that
 * case (the case must be readable: a recipient gets the 404 of a missing
 * case); without, every one for staff and only its own recipient's for a
 * recipient. {"provisions": [PROVISION]}, newest first.
 */
enum kk_result kk_provision_list(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
				 struct kk_error *err);
/* Provision id as viewer may read it; KK_ENOTFOUND ("There is no provision N.")
 * when missing or not the viewer's to read. */
enum kk_result kk_provision_get(struct kk_store *s, const struct kk_user *viewer, int64_t id, json_t **out,
				struct kk_error *err);

/* ---- a vendor's pre-notification under NDA (G IV.4.9) ---- */

/* The flow of a request: requested -consent-> consented, requested -refuse-> refused. */
extern const struct kk_flow kk_prenotify_flow;

/*
 * A vendor of case ref that asked for the detail asks to pre-notify its own
 * customers, body {"customers": "who", "nda": true (required), "reason"}
 * (case.prenotify.ask). Audited. *out: PRENOTIFY {"id", "vendor_id",
 * "vendor", "state", "customers", "nda", "reason", "requested_at",
 * "decided_at", "decision_note"}.
 */
enum kk_result kk_prenotify_ask(struct kk_store *s, const struct kk_user *actor, const char *ref,
				const json_t *body, json_t **out, struct kk_error *err);
/*
 * The coordinator decides request id of case ref, body {"decision": "consent"
 * | "refuse", "note"} (case.prenotify.decide; the note is required to
 * refuse): fires the event of kk_prenotify_flow (KK_ECONFLICT once decided).
 * The vendor is told. *out: PRENOTIFY.
 */
enum kk_result kk_prenotify_decide(struct kk_store *s, const struct kk_user *actor, const char *ref, int64_t id,
				   const json_t *body, json_t **out, struct kk_error *err);
/* The requests of case ref viewer may see: staff every one, a vendor its own.
 * {"requests": [PRENOTIFY], "may_ask": whether viewer may ask now}. */
enum kk_result kk_prenotify_list(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
				 struct kk_error *err);

#endif
