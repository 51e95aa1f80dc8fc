/*
 * key_alert.c: a recipient's OpenPGP key on record that cannot be used,
 * reported the scheduler's way (key_alert.h; issue 11 item 3, SPEC 8). A
 * reminder of clock "pgp_key" keyed by the key's owner and
 * "FINGERPRINT:STATE", so the dashboard lists it and each key and state
 * alerts staff once, however many messages are composed to it; and, when the
 * reminder is new, one staff alert (alert.c) to intake and the case's
 * coordinator. The clock itself waits for nothing: composing fires it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/settings.h"
#include "internal.h"
#include "mail/key_alert.h"

/* The words of a state in the reminder's occasion (never translated). */
static const char *state_code(enum kk_pgp_key_state s)
{
	switch (s) {
	case KK_PGP_KEY_EXPIRED: return "expired";
	case KK_PGP_KEY_REVOKED: return "revoked";
	case KK_PGP_KEY_USABLE: return "usable";
	default: return "unusable";
	}
}

enum kk_result sched_collect_pgp_key(struct sched *s, struct kk_tx *tx, struct sched_items *out,
				     struct kk_error *err)
{
	(void)s;
	(void)tx;
	(void)out;
	(void)err;
	return KK_OK;
}

enum kk_result kk_key_alert(struct kk_tx *tx, const struct kk_key_problem *p, int *alerted, struct kk_error *err)
{
	struct sched s;
	struct sched_item it;
	struct kk_reminder r;
	char *summary = NULL;
	int64_t id = 0;
	enum kk_result res;

	if (alerted)
		*alerted = 0;
	memset(&s, 0, sizeof(s));
	memset(&it, 0, sizeof(it));
	s.store = tx->store;
	s.now = kk_now();
	res = kk_setting_read(tx, "base_url", "", &s.set.base_url, err);
	if (res)
		return res;
	it.clock = "pgp_key";
	it.object_type = p->vendor_id ? "vendor" : "report";
	it.object_id = p->vendor_id ? p->vendor_id : p->report_id;
	snprintf(it.occasion, sizeof(it.occasion), "%.40s:%s", p->fpr, state_code(p->state));
	it.due_at = s.now;
	it.case_id = p->case_id;
	it.report_id = p->vendor_id ? 0 : p->report_id;
	it.what = "pgp_key";
	it.at = p->expires;
	it.n = (int64_t)p->state;
	/* the item's strings are its own (sched_item); these are only borrowed */
	it.ref = (char *)p->ref;
	it.address = (char *)p->recipient;
	if (p->case_id || !p->vendor_id)
		it.tracking_id = p->case_id ? NULL : (char *)p->ref;
	if (p->case_id) {
		struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT coordinator_id FROM cases WHERE id = ?", err);

		if (!st)
			res = kk_error_result(err, KK_EDB);
		else {
			kk_stmt_bind_int(st, 1, p->case_id);
			res = kk_stmt_first(st, err);
			if (!res)
				it.user_id = kk_stmt_int(st, 0);
			else if (res == KK_ENOTFOUND)
				res = KK_OK;
			kk_stmt_free(st);
		}
	}
	if (!res && !(summary = sched_summary(&it)))
		res = kk_error_nomem(err);
	if (!res) {
		memset(&r, 0, sizeof(r));
		r.clock = it.clock;
		r.object_type = it.object_type;
		r.object_id = it.object_id;
		r.occasion = it.occasion;
		r.due_at = r.fired_at = s.now;
		r.case_id = it.case_id;
		r.report_id = it.report_id;
		r.summary = summary;
		res = kk_reminders_insert_new(tx, &r, &id, err);
	}
	/* issue 11: never silently ignored: staff hear of it once per key and state */
	if (!res && id) {
		res = sched_alert_staff(&s, tx, &it, 1, 1, err);
		if (!res && alerted)
			*alerted = 1;
	}
	free(summary);
	free(s.set.base_url);
	return res;
}
