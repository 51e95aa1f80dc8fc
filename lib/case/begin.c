/*
 * begin.c: the opening and the close that the case operations share
 * (internal.h): a transaction with the case loaded in it as the user stands
 * to it (or, when the case is missing or the action refused, no transaction
 * at all), and its end, which gives the answer only when all of it held.
 */
#include "internal.h"

enum kk_result case_begin(struct kk_store *s, int write, const struct kk_user *user, const char *ref,
			  enum kk_action action, struct kk_tx *tx, struct case_ctx *cx, struct kk_error *err)
{
	enum kk_result res = kk_tx_begin(s, write, tx, err);

	if (res)
		return res;
	res = case_load(tx, user, ref, action, cx, err);
	if (res)
		return kk_tx_end(tx, res, err);
	return KK_OK;
}

enum kk_result case_end(struct kk_tx *tx, enum kk_result res, json_t **out, struct kk_error *err)
{
	res = kk_tx_end(tx, res, err);
	if (res && out) {
		json_decref(*out);
		*out = NULL;
	}
	return res;
}

enum kk_result case_read(struct kk_store *s, const struct kk_user *viewer, const char *ref, enum kk_action action,
			 case_view_fn *fn, json_t **out, struct kk_error *err)
{
	struct case_ctx cx;
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	res = case_begin(s, 0, viewer, ref, action, &tx, &cx, err);
	if (res)
		return res;
	res = case_end(&tx, fn(&tx, viewer, &cx, out, err), out, err);
	case_ctx_release(&cx);
	return res;
}
