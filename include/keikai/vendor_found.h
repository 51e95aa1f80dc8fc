/*
 * vendor_found.h: vulnerabilities a vendor found in its own product (issue
 * 10; SPEC 2.14, G IV.6; docs/api/vendor-cases.md). The vendor registers one
 * with its fix, and it becomes a case of that vendor alone, with no reports,
 * the vendor already notified (day 0 = the registration, so the date is
 * proposed at day 0 + 45 days on a business day, SPEC 2.8) and its date
 * agreed with it as any case's is (case.h, "the publication date").
 */
#ifndef KEIKAI_VENDOR_FOUND_H
#define KEIKAI_VENDOR_FOUND_H

#include <jansson.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/store.h"

/*
 * SPEC 2.14: a vendor user (case.register_own, its own vendor) registers, body
 *   {"title", "summary", "detail" (required texts), "product_id" (one of its
 *    own products) or "product_name" (one of them required), "cwe" (79 or
 *    "CWE-79"), "cvss3" (a CVSS v3 vector), "fixed_versions": ["1.2.3", …],
 *    "urls": ["https://…", …] (the fix: at least one of the two),
 *    "workaround_ja", "workaround_en", "date": "2027-03-01" (the publication
 *    date it wishes: a business day in the future; optional), "reason" (why
 *    that date; required with date)}.
 * One transaction: the case (vendor_found, the vendor alone, notified, having
 * read the summary and the detail), its vulnerability with the product, the
 * vendor's status "fixed", its countermeasure, day 0 = now with the proposed
 * date, and with "date" the vendor's answer to the proposed date: "other"
 * with that date and reason, which the coordinator sees; audited
 * ("register_own"). Bad input: KK_EINVAL naming every faulty field, nothing
 * stored. *out is the case as the vendor sees it (kk_case_get).
 */
enum kk_result kk_case_register_own(struct kk_store *s, const struct kk_user *actor, const json_t *body,
				    json_t **out, struct kk_error *err);

#endif
