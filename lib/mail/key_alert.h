/*
 * key_alert.h: a recipient's OpenPGP key on record that cannot be encrypted
 * to (expired, revoked, unusable) is reported to staff, never silently
 * ignored (issue 11 item 3). compose.c calls it; lib/schedule/key_alert.c
 * does it the scheduler's way: a reminder of clock "pgp_key" (so the
 * dashboard and /api/v1/clocks list it) and, when that reminder is new, a
 * staff alert to intake and the case's coordinator. Once per key and state:
 * the reminder's occasion is "FINGERPRINT:STATE". Internal to lib/.
 */
#ifndef KEIKAI_MAIL_KEY_ALERT_H
#define KEIKAI_MAIL_KEY_ALERT_H

#include <stdint.h>

#include "keikai/error.h"
#include "keikai/pgp.h"
#include "keikai/store.h"

struct kk_key_problem {
	const char *recipient;        /* the address the key is for */
	const char *fpr;              /* the key's fingerprint; for a block that is no key,
				       * the hex SHA-256 of it cut to 40 digits */
	enum kk_pgp_key_state state;  /* never KK_PGP_KEY_USABLE */
	int64_t expires;              /* Unix seconds, 0: never or unknown */
	int64_t vendor_id, report_id; /* whose key: a vendor's, else a report's finder */
	int64_t case_id;              /* the message's case, 0: none */
	const char *ref;              /* the case's ref or the tracking number */
};

/* Inside tx. *alerted (may be NULL) is 1 when this key and state were new. */
enum kk_result kk_key_alert(struct kk_tx *tx, const struct kk_key_problem *p, int *alerted, struct kk_error *err);

#endif
