/*
 * authz.h: the one access policy (SPEC 1). Who may do what is one table of rows
 * (action, roles, relation to the object) in lib/authz/policy.c; nothing else in
 * keikai decides access. The core asks kk_may() before every read and write it
 * does for a user; the HTTP front asks kk_may_some() before a route runs, from
 * the action the route declares (server/routes.c); docs/internals/access.md
 * shows the table and tests/unit/test_authz.c tries to break every row.
 *
 * What is denied looks like what is missing: the core answers KK_ENOTFOUND when
 * a user may not see an object, so no one learns that it exists.
 */
#ifndef KEIKAI_AUTHZ_H
#define KEIKAI_AUTHZ_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/flow.h"

struct kk_report;

enum kk_action {
	KK_ACT_NONE = 0,       /* no action declared: the route walk fails on it */
	KK_ACT_PUBLIC_READ,    /* public pages, forms, assets, the calculators, the CWE catalogue */
	KK_ACT_REPORT_SUBMIT,  /* SPEC 2.1: send a report */
	KK_ACT_REPORT_STATUS,  /* SPEC 2.13: the finder's status page, opened by its secret */
	KK_ACT_SIGN_IN,
	KK_ACT_SIGN_OUT,
	KK_ACT_QUEUE_READ,     /* SPEC 2.2, 2.3: the intake queue */
	KK_ACT_REPORT_READ,    /* a report's content */
	KK_ACT_FINDER_READ,    /* SPEC 1, G IV.3(1)6: the finder's identity and contact */
	KK_ACT_EVIDENCE_READ,  /* SPEC 2.1 キ: the evidence files */
	KK_ACT_REPORT_DECIDE,  /* SPEC 2.2: accept or reject (the triage flow's events) */
	KK_ACT_REPORT_ASSESS,  /* SPEC 2.3, 7: impact assessment */
	/* the vendor registry (issue 8; SPEC 2.5, G IV.4.1-4.2) */
	KK_ACT_VENDOR_ADD,            /* G IV.4.2: a coordinator registers a vendor on the spot */
	KK_ACT_VENDOR_READ,           /* a vendor's record: contacts, products, composition */
	KK_ACT_VENDOR_WRITE,          /* change it: profile, contacts, products, SBOMs */
	KK_ACT_REGISTRY_SEARCH,       /* SPEC 2.5: search every vendor and product */
	KK_ACT_VENDOR_REQUEST,        /* G IV.4.2: ask to be registered */
	KK_ACT_VENDOR_REQUEST_DECIDE, /* read and approve or reject those requests */
	KK_ACT_REPORT_VENDORS_READ,   /* SPEC 2.5: the candidate vendors of a report */
	KK_ACT_REPORT_VENDORS_CONFIRM, /* SPEC 2.5: confirm the vendors to notify */
	/* cases (issue 9; SPEC 1, 2.4-2.7, 2.13, G IV.4-5) */
	KK_ACT_CASE_OPEN,          /* SPEC 2.4: open a case from accepted reports */
	KK_ACT_CASE_READ,          /* a case as far as the reader may see it: the summary, its own standing */
	KK_ACT_CASE_DETAIL_READ,   /* R §5.1.2: the detail and the attachments passed on with it */
	KK_ACT_CASE_WRITE,         /* title, summary, detail, vulnerabilities, vendors, who sees whom */
	KK_ACT_CASE_NOTIFY,        /* SPEC 2.6: send the summary notice */
	KK_ACT_CASE_VENDORS_READ,  /* every vendor of the case with its status (before publication) */
	KK_ACT_CASE_VENDOR_NAMES,  /* the names of the other vendors of the case */
	KK_ACT_CASE_ANSWER,        /* SPEC 2.6: "send the detail" or "not applicable" */
	KK_ACT_CASE_VENDOR_WRITE,  /* SPEC 2.7: status, countermeasures, statement, suggestions */
	KK_ACT_CASE_MESSAGE,       /* SPEC 2.13: the coordinator <-> vendor thread */
	KK_ACT_CASE_FINDER_THREAD, /* SPEC 2.13: the staff <-> finder thread, from the staff's side */
	KK_ACT_CASE_DIRECT_THREAD, /* SPEC 2.13: finder <-> vendor, when both consented */
	KK_ACT_CASE_AUDIT_READ,    /* the case's audit trail */
	KK_ACT_FINDER_MESSAGE,     /* SPEC 2.13: the finder writes from the status page (holds its secret) */
	/* the publication date, the clocks and the exceptions (issue 10; SPEC 2.8-2.12, 2.14, 8) */
	KK_ACT_CASE_DATE_SET,        /* SPEC 2.8, 2.9: set or move the one date, call publication off */
	KK_ACT_CASE_DATE_ANSWER,     /* SPEC 2.8: a vendor agrees or asks for another date */
	KK_ACT_CASE_PRENOTIFY_ASK,   /* SPEC 2.10, G IV.4.9: a vendor asks to pre-notify its customers */
	KK_ACT_CASE_PRENOTIFY_DECIDE, /* … and the coordinator consents or not */
	KK_ACT_RECIPIENT_MANAGE,     /* SPEC 2.10, G IV.4.8: register recipients of priority provision */
	KK_ACT_PROVISION_GIVE,       /* SPEC 2.10: provide a vulnerability and its fix before publication */
	KK_ACT_PROVISION_READ,       /* … and read what was provided */
	KK_ACT_FINDER_LIFT,          /* SPEC 2.12: the finder asks to lift non-disclosure (holds its secret) */
	KK_ACT_CASE_LIFT_ANSWER,     /* SPEC 2.12: staff answer, explaining any justified delay */
	KK_ACT_CASE_REGISTER_OWN,    /* SPEC 2.14: a vendor registers a vulnerability it found itself */
	KK_ACT_CLOCKS_READ,          /* SPEC 8: the dashboard of every clock */
	KK_ACT_INBOUND_REVIEW,       /* issue 11: the review queue of mail that fitted nowhere */
	/* advisories (issue 12; SPEC 6, 2.11): before publication an advisory is its case's */
	KK_ACT_ADVISORY_READ,        /* the draft and its preview: staff and the case's notified vendors */
	KK_ACT_ADVISORY_WRITE,       /* write, approve, withdraw, revise: the coordinator */
	KK_ACT_ADVISORY_COMMENT,     /* SPEC 6: a notified vendor comments on the draft */
	KK_ACT_COUNT
};

/* How the user must stand to the object for a row to apply. */
enum kk_relation {
	KK_REL_ANY = 0,          /* no condition on the object */
	KK_REL_FINDER_CONSENTED, /* the finder consented to their identity being passed on (SPEC 2.1 ウ) */
	KK_REL_OWN_VENDOR,       /* the object is the user's own vendor's (account.h vendor_id) */
	KK_REL_CASE_VENDOR,      /* the user's vendor was notified of the case (object's party) */
	KK_REL_CASE_DETAIL,      /* … and asked for the detail (R §5.1.2) */
	KK_REL_CASE_NAMES,       /* … and the case lets its vendors see each other's names */
	KK_REL_CASE_DIRECT,      /* … and the finder and that vendor both consented to talk directly */
	KK_REL_OWN_RECIPIENT,    /* the object was provided to the user's own recipient (issue 10) */
	KK_REL_COUNT
};

struct kk_policy_rule {
	enum kk_action action;
	unsigned roles; /* KK_ROLE_BIT()s, KK_ROLES_EVERYONE, KK_ROLES_SIGNED_IN */
	enum kk_relation relation;
	const char *why; /* the SPEC clause or guideline item behind the row */
};

/* The table, ending with a row whose action is KK_ACT_NONE. */
extern const struct kk_policy_rule kk_policy[];

/* Where a vendor stands in a case (case.h): what the case relations test. A
 * vendor_id of 0 is "not on the case". */
struct kk_case_party {
	int64_t vendor_id;
	int notified;      /* the summary notice went to it */
	int detail;        /* it asked for the detail */
	int names_shared;  /* the case lets its vendors see each other's names */
	int direct;        /* the finder and this vendor both consented to talk directly */
};

/* The object an action is about; NULL members for actions about no object. */
struct kk_object {
	const struct kk_report *report;
	int64_t vendor_id; /* the vendor the object is or belongs to (a vendor, its contact, product, SBOM) */
	const struct kk_case_party *party; /* a case, as the user's vendor stands in it */
	int64_t recipient_id; /* the recipient a provision was given to (issue 10) */
};

/* Whether user may perform action on obj (NULL for actions about no object):
 * some row names the action and the user's role and its relation holds. */
int kk_may(const struct kk_user *user, enum kk_action action, const struct kk_object *obj);

/* Whether some row lets role perform the action on some object: what a front
 * may check before it has loaded the object. */
int kk_may_some(enum kk_role role, enum kk_action action);

/* "report.read", …, for the docs and messages; "" for KK_ACT_NONE. */
const char *kk_action_name(enum kk_action action);
/* "any", "finder consented", … */
const char *kk_relation_name(enum kk_relation relation);

#endif
