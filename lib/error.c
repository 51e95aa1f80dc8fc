/*
 * error.c: the error object of error.h. Messages arrive already translated; this
 * file only stores them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "keikai/error.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

void kk_error_clear(struct kk_error *e)
{
	if (!e)
		return;
	json_decref(e->fields);
	e->fields = NULL;
	e->code = KK_OK;
	e->msg[0] = '\0';
}

void kk_error_release(struct kk_error *e)
{
	kk_error_clear(e);
}

enum kk_result kk_error_nomem(struct kk_error *e)
{
	return kk_error_set(e, KK_ENOMEM, "%s", _("Out of memory."));
}

enum kk_result kk_error_set(struct kk_error *e, enum kk_result code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

enum kk_result kk_error_field(struct kk_error *e, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!e)
		return KK_EINVAL;
	if (e->code == KK_OK || e->code == KK_EINVAL) {
		e->code = KK_EINVAL;
		if (!e->msg[0])
			snprintf(e->msg, sizeof(e->msg), "%s", _("The request has errors; see the fields."));
	}
	if (!e->fields)
		e->fields = json_object();
	if (e->fields && json_object_get(e->fields, path))
		return e->code == KK_ENOMEM ? KK_ENOMEM : KK_EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a field's message that cannot be kept turns the whole error into "out of
	 * memory": an input error without its fields would tell the sender nothing */
	if (!e->fields || json_object_set_new(e->fields, path, json_string(msg)) != 0)
		return kk_error_set(e, KK_ENOMEM, "%s", _("Out of memory."));
	return e->code == KK_ENOMEM ? KK_ENOMEM : KK_EINVAL;
}

int kk_error_has_fields(const struct kk_error *e)
{
	return e && e->fields && json_object_size(e->fields) > 0;
}

void kk_error_copy(struct kk_error *dst, const struct kk_error *src)
{
	kk_error_clear(dst);
	dst->code = src->code;
	memcpy(dst->msg, src->msg, sizeof(dst->msg));
	dst->fields = src->fields ? json_deep_copy(src->fields) : NULL;
	if (src->fields && !dst->fields)
		kk_error_set(dst, KK_ENOMEM, "%s", _("Out of memory."));
}
