/*
 * attachments.c: the report files the coordinator passes on with the detail
 * (R §5.1.2): readable by those who may read the detail (a vendor only after
 * it asked for it), and every download is audited on the case
 * ("detail.download": who, which file), as every vendor read of the detail is
 * ("detail.view", view.c).
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/i18n.h"
#include "internal.h"

enum kk_result kk_case_attachment_get(struct kk_store *s, const struct kk_user *viewer, const char *ref,
				      int64_t attachment_id, void **data, size_t *size, char **filename,
				      char **content_type, struct kk_error *err)
{
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *detail = NULL;
	enum kk_result res;

	*data = NULL;
	*size = 0;
	*filename = *content_type = NULL;
	memset(&cx, 0, sizeof(cx));
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = case_load(&tx, viewer, ref, KK_ACT_CASE_DETAIL_READ, &cx, err);
	if (!res) {
		res = kk_case_attachments_get(&tx, cx.c.id, attachment_id, data, size, filename, content_type, err);
		if (res == KK_ENOTFOUND)
			kk_error_set(err, res, _("There is no attachment %lld in case %s."), (long long)attachment_id,
				     ref);
	}
	if (!res) {
		detail = json_pack("{s:I, s:s, s:I}", "attachment_id", (json_int_t)attachment_id, "filename", *filename,
				   "vendor_id", (json_int_t)viewer->vendor_id);
		res = detail ? kk_audit_record(&tx, viewer, "case", cx.c.id, "detail.download", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	res = kk_tx_end(&tx, res, err);
	if (res) {
		free(*data);
		free(*filename);
		free(*content_type);
		*data = NULL;
		*size = 0;
		*filename = *content_type = NULL;
	}
	json_decref(detail);
	case_ctx_release(&cx);
	return res;
}
