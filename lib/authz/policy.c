/*
 * policy.c: the access policy of keikai as one table (authz.h, SPEC 1). Add a
 * row here, and a row to docs/internals/access.md (tests/unit/test_authz.c
 * checks both and tries to break each row), to let anyone do anything new.
 */
#include <stddef.h>

#include "keikai/authz.h"
#include "keikai/report.h"

#define R(role) KK_ROLE_BIT(KK_ROLE_##role)

const struct kk_policy_rule kk_policy[] = {
	{ KK_ACT_PUBLIC_READ, KK_ROLES_EVERYONE, KK_REL_ANY, "SPEC 2.1, 7: the forms, the calculators" },
	{ KK_ACT_REPORT_SUBMIT, KK_ROLES_EVERYONE, KK_REL_ANY, "SPEC 2.1: anyone may report" },
	{ KK_ACT_REPORT_STATUS, KK_ROLES_EVERYONE, KK_REL_ANY, "SPEC 2.13: whoever holds the secret" },
	{ KK_ACT_SIGN_IN, KK_ROLES_EVERYONE, KK_REL_ANY, "SPEC 1" },
	{ KK_ACT_SIGN_OUT, KK_ROLES_SIGNED_IN, KK_REL_ANY, "SPEC 1" },
	{ KK_ACT_QUEUE_READ, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 2.2, 2.3" },
	{ KK_ACT_REPORT_READ, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 1, 2.2" },
	{ KK_ACT_FINDER_READ, R(INTAKE) | R(ADMIN), KK_REL_ANY, "SPEC 1: identity stays with intake" },
	{ KK_ACT_FINDER_READ, R(COORDINATOR), KK_REL_FINDER_CONSENTED, "SPEC 1, 2.1 ウ: unless the finder consented" },
	{ KK_ACT_EVIDENCE_READ, R(INTAKE) | R(ADMIN), KK_REL_ANY, "SPEC 2.1 キ" },
	{ KK_ACT_REPORT_DECIDE, R(INTAKE), KK_REL_ANY, "SPEC 2.2: the receiving organisation decides" },
	{ KK_ACT_REPORT_ASSESS, R(INTAKE) | R(COORDINATOR), KK_REL_ANY, "SPEC 2.3: G 付録4, judged together" },
	{ KK_ACT_VENDOR_ADD, R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "G IV.4.2: the coordinator registers on the spot" },
	{ KK_ACT_VENDOR_READ, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 2.5" },
	{ KK_ACT_VENDOR_READ, R(VENDOR), KK_REL_OWN_VENDOR, "SPEC 2.5: a vendor sees only its own record" },
	{ KK_ACT_VENDOR_WRITE, R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 2.5: coordinators maintain all" },
	{ KK_ACT_VENDOR_WRITE, R(VENDOR), KK_REL_OWN_VENDOR, "SPEC 2.5: a vendor keeps its own contacts current" },
	{ KK_ACT_REGISTRY_SEARCH, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 2.5: identifying vendors" },
	{ KK_ACT_VENDOR_REQUEST, KK_ROLES_EVERYONE, KK_REL_ANY, "G IV.4.2: a vendor asks to be registered" },
	{ KK_ACT_VENDOR_REQUEST_DECIDE, R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "G IV.4.2: the coordinator approves" },
	{ KK_ACT_REPORT_VENDORS_READ, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 2.5" },
	{ KK_ACT_REPORT_VENDORS_CONFIRM, R(COORDINATOR), KK_REL_ANY, "SPEC 2.5: the coordinator identifies the vendors" },
	{ KK_ACT_CASE_OPEN, R(COORDINATOR), KK_REL_ANY, "SPEC 2.4: the coordinator opens a case" },
	{ KK_ACT_CASE_READ, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 1" },
	{ KK_ACT_CASE_READ, R(VENDOR), KK_REL_CASE_VENDOR, "SPEC 1: only cases it was notified of" },
	{ KK_ACT_CASE_DETAIL_READ, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 1" },
	{ KK_ACT_CASE_DETAIL_READ, R(VENDOR), KK_REL_CASE_DETAIL, "R 5.1.2: the detail only after it asks" },
	{ KK_ACT_CASE_WRITE, R(COORDINATOR), KK_REL_ANY, "SPEC 2.4-2.6: the coordinator runs the case" },
	{ KK_ACT_CASE_NOTIFY, R(COORDINATOR), KK_REL_ANY, "SPEC 2.6: the coordinator notifies" },
	{ KK_ACT_CASE_VENDORS_READ, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 1: no vendor sees another's status" },
	{ KK_ACT_CASE_VENDOR_NAMES, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 1" },
	{ KK_ACT_CASE_VENDOR_NAMES, R(VENDOR), KK_REL_CASE_NAMES, "issue 9: when the coordinator shares them" },
	{ KK_ACT_CASE_ANSWER, R(VENDOR), KK_REL_CASE_VENDOR, "SPEC 2.6: the vendor answers the summary" },
	{ KK_ACT_CASE_VENDOR_WRITE, R(COORDINATOR), KK_REL_ANY, "SPEC 2.7: the coordinator records what it hears" },
	{ KK_ACT_CASE_VENDOR_WRITE, R(VENDOR), KK_REL_CASE_DETAIL, "SPEC 2.7, G IV.5: the vendor reports its own" },
	{ KK_ACT_CASE_MESSAGE, R(INTAKE) | R(COORDINATOR), KK_REL_ANY, "SPEC 2.13" },
	{ KK_ACT_CASE_MESSAGE, R(VENDOR), KK_REL_CASE_VENDOR, "SPEC 2.13: its own thread only" },
	{ KK_ACT_CASE_FINDER_THREAD, R(INTAKE), KK_REL_ANY, "SPEC 1, 2.13: intake talks with the finder" },
	{ KK_ACT_CASE_FINDER_THREAD, R(COORDINATOR), KK_REL_FINDER_CONSENTED, "SPEC 1: else intake relays" },
	{ KK_ACT_CASE_DIRECT_THREAD, R(INTAKE) | R(COORDINATOR), KK_REL_ANY, "SPEC 2.13: still through keikai" },
	{ KK_ACT_CASE_DIRECT_THREAD, R(VENDOR), KK_REL_CASE_DIRECT, "SPEC 2.13: only when both consented" },
	{ KK_ACT_CASE_AUDIT_READ, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "issue 9: the case's trail" },
	{ KK_ACT_FINDER_MESSAGE, KK_ROLES_EVERYONE, KK_REL_ANY, "SPEC 2.13: whoever holds the status page's secret" },
	{ KK_ACT_CASE_DATE_SET, R(COORDINATOR), KK_REL_ANY, "SPEC 2.8, 2.9: the coordinator sets the one date" },
	{ KK_ACT_CASE_DATE_ANSWER, R(VENDOR), KK_REL_CASE_VENDOR, "SPEC 2.8: each vendor answers; none sets its own" },
	{ KK_ACT_CASE_PRENOTIFY_ASK, R(VENDOR), KK_REL_CASE_DETAIL, "G IV.4.9: the vendor asks for its customers" },
	{ KK_ACT_CASE_PRENOTIFY_DECIDE, R(COORDINATOR), KK_REL_ANY, "G IV.4.9: with the coordinator's consent" },
	{ KK_ACT_RECIPIENT_MANAGE, R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "G IV.4.8: recipients that accepted the conditions" },
	{ KK_ACT_PROVISION_GIVE, R(COORDINATOR), KK_REL_ANY, "SPEC 2.10, G IV.3(1)12: the coordinator consents" },
	{ KK_ACT_PROVISION_READ, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 2.10" },
	{ KK_ACT_PROVISION_READ, R(RECIPIENT), KK_REL_OWN_RECIPIENT, "SPEC 2.10: only what was provided to it" },
	{ KK_ACT_FINDER_LIFT, KK_ROLES_EVERYONE, KK_REL_ANY, "SPEC 2.12: whoever holds the status page's secret" },
	{ KK_ACT_CASE_LIFT_ANSWER, R(INTAKE) | R(COORDINATOR), KK_REL_ANY, "SPEC 2.12: staff must answer" },
	{ KK_ACT_CASE_REGISTER_OWN, R(VENDOR), KK_REL_OWN_VENDOR, "SPEC 2.14: a vendor's own finding" },
	{ KK_ACT_CLOCKS_READ, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 8: what each clock waits for" },
	{ KK_ACT_INBOUND_REVIEW, R(INTAKE) | R(COORDINATOR), KK_REL_ANY, "issue 11, SPEC 2.1: staff read what came by mail" },
	{ KK_ACT_ADVISORY_READ, R(INTAKE) | R(COORDINATOR) | R(ADMIN), KK_REL_ANY, "SPEC 6: staff write and check the draft" },
	{ KK_ACT_ADVISORY_READ, R(VENDOR), KK_REL_CASE_VENDOR, "SPEC 6: the case's vendors preview the draft" },
	{ KK_ACT_ADVISORY_WRITE, R(COORDINATOR), KK_REL_ANY, "SPEC 6, G IV.4.9: the coordinator publishes" },
	{ KK_ACT_ADVISORY_COMMENT, R(VENDOR), KK_REL_CASE_VENDOR, "SPEC 6: the case's vendors comment before the date" },
	{ KK_ACT_NONE, 0, KK_REL_ANY, NULL },
};

static const char *const action_names[KK_ACT_COUNT] = {
	[KK_ACT_NONE] = "",
	[KK_ACT_PUBLIC_READ] = "public.read",
	[KK_ACT_REPORT_SUBMIT] = "report.submit",
	[KK_ACT_REPORT_STATUS] = "report.status",
	[KK_ACT_SIGN_IN] = "session.sign_in",
	[KK_ACT_SIGN_OUT] = "session.sign_out",
	[KK_ACT_QUEUE_READ] = "queue.read",
	[KK_ACT_REPORT_READ] = "report.read",
	[KK_ACT_FINDER_READ] = "report.finder.read",
	[KK_ACT_EVIDENCE_READ] = "report.evidence.read",
	[KK_ACT_REPORT_DECIDE] = "report.decide",
	[KK_ACT_REPORT_ASSESS] = "report.assess",
	[KK_ACT_VENDOR_ADD] = "vendor.add",
	[KK_ACT_VENDOR_READ] = "vendor.read",
	[KK_ACT_VENDOR_WRITE] = "vendor.write",
	[KK_ACT_REGISTRY_SEARCH] = "registry.search",
	[KK_ACT_VENDOR_REQUEST] = "vendor.request",
	[KK_ACT_VENDOR_REQUEST_DECIDE] = "vendor.request.decide",
	[KK_ACT_REPORT_VENDORS_READ] = "report.vendors.read",
	[KK_ACT_REPORT_VENDORS_CONFIRM] = "report.vendors.confirm",
	[KK_ACT_CASE_OPEN] = "case.open",
	[KK_ACT_CASE_READ] = "case.read",
	[KK_ACT_CASE_DETAIL_READ] = "case.detail.read",
	[KK_ACT_CASE_WRITE] = "case.write",
	[KK_ACT_CASE_NOTIFY] = "case.notify",
	[KK_ACT_CASE_VENDORS_READ] = "case.vendors.read",
	[KK_ACT_CASE_VENDOR_NAMES] = "case.vendors.names",
	[KK_ACT_CASE_ANSWER] = "case.answer",
	[KK_ACT_CASE_VENDOR_WRITE] = "case.vendor.write",
	[KK_ACT_CASE_MESSAGE] = "case.message",
	[KK_ACT_CASE_FINDER_THREAD] = "case.finder_thread",
	[KK_ACT_CASE_DIRECT_THREAD] = "case.direct_thread",
	[KK_ACT_CASE_AUDIT_READ] = "case.audit.read",
	[KK_ACT_CASE_DATE_SET] = "case.date.set",
	[KK_ACT_CASE_DATE_ANSWER] = "case.date.answer",
	[KK_ACT_CASE_PRENOTIFY_ASK] = "case.prenotify.ask",
	[KK_ACT_CASE_PRENOTIFY_DECIDE] = "case.prenotify.decide",
	[KK_ACT_RECIPIENT_MANAGE] = "recipient.manage",
	[KK_ACT_PROVISION_GIVE] = "provision.give",
	[KK_ACT_PROVISION_READ] = "provision.read",
	[KK_ACT_FINDER_LIFT] = "finder.lift",
	[KK_ACT_CASE_LIFT_ANSWER] = "case.lift.answer",
	[KK_ACT_CASE_REGISTER_OWN] = "case.register_own",
	[KK_ACT_CLOCKS_READ] = "clocks.read",
	[KK_ACT_INBOUND_REVIEW] = "inbound.review",
	[KK_ACT_ADVISORY_READ] = "advisory.read",
	[KK_ACT_ADVISORY_WRITE] = "advisory.write",
	[KK_ACT_ADVISORY_COMMENT] = "advisory.comment",
	[KK_ACT_FINDER_MESSAGE] = "finder.message",
};

static const char *const relation_names[KK_REL_COUNT] = {
	[KK_REL_ANY] = "any",
	[KK_REL_FINDER_CONSENTED] = "finder consented",
	[KK_REL_OWN_VENDOR] = "own vendor",
	[KK_REL_CASE_VENDOR] = "vendor on the case",
	[KK_REL_CASE_DETAIL] = "vendor that asked for the detail",
	[KK_REL_CASE_NAMES] = "vendor on a case sharing names",
	[KK_REL_CASE_DIRECT] = "vendor in direct contact",
	[KK_REL_OWN_RECIPIENT] = "own recipient",
};

const char *kk_action_name(enum kk_action action)
{
	return (unsigned)action < KK_ACT_COUNT ? action_names[action] : "";
}

const char *kk_relation_name(enum kk_relation relation)
{
	return (unsigned)relation < KK_REL_COUNT ? relation_names[relation] : "";
}

/* Whether user stands in relation rel to obj. */
static int related(const struct kk_user *user, enum kk_relation rel, const struct kk_object *obj)
{
	switch (rel) {
	case KK_REL_ANY:
		return 1;
	case KK_REL_FINDER_CONSENTED:
		return obj && obj->report && obj->report->share_identity;
	case KK_REL_OWN_VENDOR:
		return obj && user->vendor_id != 0 && obj->vendor_id == user->vendor_id;
	case KK_REL_CASE_VENDOR:
	case KK_REL_CASE_DETAIL:
	case KK_REL_CASE_NAMES:
	case KK_REL_CASE_DIRECT:
		return obj && obj->party && user->vendor_id != 0 && obj->party->vendor_id == user->vendor_id &&
		       obj->party->notified && (rel != KK_REL_CASE_DETAIL || obj->party->detail) &&
		       (rel != KK_REL_CASE_NAMES || obj->party->names_shared) &&
		       (rel != KK_REL_CASE_DIRECT || obj->party->direct);
	case KK_REL_OWN_RECIPIENT:
		return obj && user->recipient_id != 0 && obj->recipient_id == user->recipient_id;
	case KK_REL_COUNT:
		break;
	}
	return 0;
}

int kk_may(const struct kk_user *user, enum kk_action action, const struct kk_object *obj)
{
	for (const struct kk_policy_rule *p = kk_policy; p->action != KK_ACT_NONE; p++)
		if (p->action == action && (p->roles & KK_ROLE_BIT(user->role)) && related(user, p->relation, obj))
			return 1;
	return 0;
}

int kk_may_some(enum kk_role role, enum kk_action action)
{
	for (const struct kk_policy_rule *p = kk_policy; p->action != KK_ACT_NONE; p++)
		if (p->action == action && (p->roles & KK_ROLE_BIT(role)))
			return 1;
	return 0;
}
