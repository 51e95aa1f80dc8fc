/*
 * demo_case.h: the case `keikai demo` makes (demo_case.c; issue 9), from one of
 * the demo's accepted product reports.
 */
#ifndef KEIKAI_CLI_DEMO_CASE_H
#define KEIKAI_CLI_DEMO_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* What the rest of the demo made that the case starts from. */
struct demo_case_from {
	const char *tracking_id;   /* the accepted SD-Camera report */
	const char *secret;        /* its status page's secret (its finder writes from there) */
	int64_t example_corp;      /* the registry ids of the demo's two vendors */
	int64_t sample_denki;
	const char *password;      /* of the vendor user it adds */
};

/* The login of the vendor user demo_case adds, for the demo's list of logins. */
extern const char *const demo_case_login[3]; /* role, e-mail, organisation */

/*
 * Adds two vendors (and a user of one) to the registry and opens the case from
 * from->tracking_id as the demo's coordinator, with four vendors notified and
 * left in different states and messages in its threads, through case.h. Writes
 * the case's ref into ref (size bytes). Returns 0, or 1 with err set.
 */
int demo_case(struct kk_store *s, const struct demo_case_from *from, char *ref, size_t size, struct kk_error *err);

#endif
