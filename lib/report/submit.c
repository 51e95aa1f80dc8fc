/*
 * submit.c: what a submission carries besides the report (issue 7): the
 * limit on reports per source address, checked before a body is read
 * (kk_report_limit_check) and counted in the submission's own transaction, so
 * that a refused submission stores nothing and servers sharing a database
 * count together; the answer kept for an Idempotency-Key (idempotency.c); and
 * the receipt both answers carry. The rows of the limit are kept by
 * store/report_sources.c.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/idempotency.h"
#include "keikai/util.h"
#include "submit.h"
#include "store/report_sources.h"

json_t *kk_report_receipt_json(const struct kk_report *r, const char *secret)
{
	return json_pack("{s:s, s:o, s:s, s:o}", "tracking_id", r->tracking_id, "status_url",
			 json_sprintf("/r/%s", secret), "status", kk_report_status_name(r->status), "received_at",
			 kk_json_time(r->received_at));
}

/* ---- the limit per source address ---- */

/* The source's subject in the table: a hash, not the address. */
static void source_key(const char *source, char out[65])
{
	char key[128];

	snprintf(key, sizeof(key), "reports:%s", source);
	kk_sha256_hex(key, strlen(key), out);
}

static enum kk_result over_limit(int64_t wait, struct kk_error *err)
{
	int64_t minutes = (wait + 59) / 60;

	if (minutes <= 1)
		return kk_error_set(err, KK_ETHROTTLED, "%s",
				    _("Too many reports have come from your address within the hour; "
				      "please try again in a minute."));
	return kk_error_set(err, KK_ETHROTTLED,
			    _("Too many reports have come from your address within the hour; "
			      "please try again in %lld minutes."),
			    (long long)minutes);
}

enum kk_result kk_report_limit_check(struct kk_store *s, const char *source, unsigned per_hour,
				     int64_t *retry_after, struct kk_error *err)
{
	char key[65];
	struct kk_tx tx;
	int64_t now = kk_now(), reports = 0, start = 0;
	enum kk_result res;

	*retry_after = 0;
	if (!per_hour || kk_str_empty(source))
		return KK_OK;
	source_key(source, key);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_tx_end(&tx, kk_report_sources_get(&tx, key, &reports, &start, err), err);
	if (res || start <= now - KK_REPORT_LIMIT_WINDOW || reports < per_hour)
		return res;
	*retry_after = start + KK_REPORT_LIMIT_WINDOW - now;
	return over_limit(*retry_after, err);
}

enum kk_result kk_submit_limit(struct kk_tx *tx, struct kk_submit_opts *o, int64_t now, struct kk_error *err)
{
	char key[65];
	int64_t reports = 0, start = 0;
	enum kk_result res;

	if (!o || !o->per_hour || kk_str_empty(o->source))
		return KK_OK;
	source_key(o->source, key);
	res = kk_report_sources_forget(tx, now - KK_REPORT_LIMIT_WINDOW, err);
	if (!res)
		res = kk_report_sources_take(tx, key, now, now - KK_REPORT_LIMIT_WINDOW, &reports, &start, err);
	if (res || reports <= o->per_hour)
		return res;
	/* the count is undone with the rest of the submission */
	o->retry_after = start + KK_REPORT_LIMIT_WINDOW - now;
	return over_limit(o->retry_after, err);
}

/* ---- the answer to an Idempotency-Key ---- */

enum kk_result kk_submit_remember(struct kk_tx *tx, const struct kk_submit_opts *o, const struct kk_report *r,
				  const char *secret, int64_t now, struct kk_error *err)
{
	json_t *receipt;
	char *text;
	enum kk_result res;

	if (!o || !o->idem)
		return KK_OK;
	receipt = kk_report_receipt_json(r, secret);
	text = receipt ? kk_json_dumps(receipt, JSON_COMPACT) : NULL;
	json_decref(receipt);
	if (!text)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	res = kk_idem_save(tx, o->idem, r->id, text, now, err);
	sodium_memzero(text, strlen(text)); /* it holds the status secret */
	free(text);
	return res;
}
