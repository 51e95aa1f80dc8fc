/*
 * mailin_queue.c: the staff review queue of mail that fitted nowhere
 * (mailin.h; issue 11, item 4: nothing is dropped). Intake and coordinators
 * read the open entries, one entry with the message as it came (opened from
 * its sealed evidence, shown as text only), and dismiss one, audited. For
 * anyone else the queue does not exist (SPEC 1: the 404 of a missing one).
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/evidence.h"
#include "keikai/i18n.h"
#include "keikai/mailin.h"
#include "mailin_internal.h"
#include "store/inbound.h"

static enum kk_result missing(struct kk_error *err)
{
	return kk_error_set(err, KK_ENOTFOUND, "%s", _("There is no such message."));
}

enum kk_result kk_inbound_list(struct kk_store *s, const struct kk_user *viewer, json_t **out, struct kk_error *err)
{
	json_t *arr;
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	if (!kk_may(viewer, KK_ACT_INBOUND_REVIEW, NULL))
		return missing(err);
	if (!(arr = json_array()))
		return kk_error_nomem(err);
	res = kk_tx_begin(s, 0, &tx, err);
	if (!res) {
		res = kk_inbound_open_json(&tx, arr, err);
		res = kk_tx_end(&tx, res, err);
	}
	if (!res && !(*out = json_pack("{s:O}", "inbound", arr)))
		res = kk_error_nomem(err);
	json_decref(arr);
	return res;
}

/* The message's bytes as text to show: invalid UTF-8 replaced, control
 * characters removed, never HTML (the page escapes it). */
static json_t *evidence_text(struct kk_tx *tx, int64_t evidence_id, struct kk_error *err, enum kk_result *res)
{
	void *data = NULL;
	size_t n = 0;
	char *text, *clean;
	json_t *v;

	*res = evidence_id ? kk_evidence_get(tx, evidence_id, &data, &n, NULL, err) : KK_ENOTFOUND;
	if (*res == KK_ENOTFOUND || *res == KK_EINVAL || *res == KK_EIO) {
		/* the key cannot open it here: the entry is still shown, without it */
		kk_error_clear(err);
		*res = KK_OK;
		return json_null();
	}
	if (*res)
		return NULL;
	text = kk_strndup(data, n); /* a NUL in the message ends what is shown */
	free(data);
	clean = text ? mailin_clean_text(text, n + 1024) : NULL;
	free(text);
	if (!clean) {
		*res = kk_error_nomem(err);
		return NULL;
	}
	v = json_string(clean);
	free(clean);
	if (!v)
		*res = kk_error_nomem(err);
	return v;
}

enum kk_result kk_inbound_get(struct kk_store *s, const struct kk_user *viewer, int64_t id, json_t **out,
			      struct kk_error *err)
{
	struct kk_tx tx;
	int64_t evidence_id = 0;
	json_t *o = NULL, *text = NULL;
	enum kk_result res;

	*out = NULL;
	if (!kk_may(viewer, KK_ACT_INBOUND_REVIEW, NULL))
		return missing(err);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_inbound_get_json(&tx, id, &o, &evidence_id, err);
	if (res == KK_ENOTFOUND)
		res = missing(err);
	if (!res)
		text = evidence_text(&tx, evidence_id, err, &res);
	if (!res && json_object_set_new(o, "text", text))
		res = kk_error_nomem(err);
	res = kk_tx_end(&tx, res, err);
	if (res)
		json_decref(o);
	else
		*out = o;
	return res;
}

enum kk_result kk_inbound_dismiss_entry(struct kk_store *s, const struct kk_user *actor, int64_t id,
					struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;

	if (!kk_may(actor, KK_ACT_INBOUND_REVIEW, NULL))
		return missing(err);
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = kk_inbound_dismiss(&tx, id, actor->id, kk_now(), err);
	if (res == KK_ENOTFOUND)
		res = missing(err);
	if (!res)
		res = kk_audit_record(&tx, actor, "inbound", id, "dismiss", "open", "dismissed", NULL, err);
	return kk_tx_end(&tx, res, err);
}
