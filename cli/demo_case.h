/*
 * demo_case.h: the case `keikai demo` makes (demo_case.c; issue 9), from one of
 * the demo's accepted product reports.
 */
#ifndef KEIKAI_CLI_DEMO_CASE_H
#define KEIKAI_CLI_DEMO_CASE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "keikai/account.h"
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
 * the case's ref into ref (size bytes) and the two vendors' ids into more
 * (Toa Camera Module, OpenCam). Returns 0, or 1 with err set.
 */
int demo_case(struct kk_store *s, const struct demo_case_from *from, char *ref, size_t size, int64_t more[2],
	      struct kk_error *err);

/* Submits the report in JSON text as a finder would: its tracking ID (24
 * bytes) and status secret (KK_TOKEN_MAX bytes). 0, or 1 with err set. */
int demo_submit(struct kk_store *s, const char *text, char *tracking_id, char *secret, struct kk_error *err);

/* What the demo's advisories (demo_advisory.c; issue 12) are made from. */
struct demo_advisory_from {
	const struct kk_user *intake, *coord, *sd, *ex, *toa_user;
	int64_t sample_denki, example_corp, toa, opencam; /* vendor ids */
	const char *embargo_ref;                          /* the case of demo_case */
};

/* Three advisories published (the clock set back for their cases, then one
 * tick at the real time) and the demo case's approved under embargo. 0, or 1
 * with err set. */
int demo_advisories(struct kk_store *s, const struct demo_advisory_from *from, struct kk_error *err);

/* A change of a case through case.h, as the server makes it. */
typedef enum kk_result (*demo_case_change)(struct kk_store *s, const struct kk_user *actor, const char *ref,
					   const json_t *body, json_t **out, struct kk_error *err);

/* One change of case ref by u, body taken (NULL: out of memory). Returns 0 or 1
 * with err set. */
int demo_change(struct kk_store *s, demo_case_change fn, const struct kk_user *u, const char *ref, json_t *body,
		struct kk_error *err);

/* issue 10, SPEC 2.8: the demo case's publication date agreed (demo_date.c):
 * サンプル電機 (sd) asks for a later date for its fix's roll-out, the
 * coordinator sets the one date from that answer with the factors, and the
 * vendors that are affected or investigating (sd, toa) agree; the others stay
 * silent or not applicable. Returns 0, or 1 with err set. */
int demo_case_date(struct kk_store *s, const struct kk_user *coord, const struct kk_user *sd,
		   const struct kk_user *toa, const char *ref, struct kk_error *err);

#endif
