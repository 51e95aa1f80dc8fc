/*
 * http_form.c: form bodies (application/x-www-form-urlencoded and
 * multipart/form-data) through MHD's post processor: fields into r->form (the
 * first value of a repeated name wins), files into r->uploads, within the
 * limits on fields, files and the route's body cap, and only the fields the
 * route allows (http_dispatch.c).
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "http_front.h"

static void finish_field(struct exchange *x)
{
	struct kk_req *r = &x->req;
	json_t *v;

	if (!x->in_field)
		return;
	x->in_field = 0;
	if (x->replied)
		goto out;
	if (++x->n_fields > FORM_FIELDS_MAX) {
		http_refuse(x, 413, _("The form has too many fields."));
		goto out;
	}
	if (!kk_utf8_valid(x->field.data ? x->field.data : "", x->field.len) ||
	    (x->field.len && memchr(x->field.data, '\0', x->field.len))) {
		http_refuse(x, 400, _("The form is not valid UTF-8."));
		goto out;
	}
	if (strcmp(x->field_name, "csrf") != 0 && !http_param_allowed(x->route, x->field_name, strlen(x->field_name))) {
		http_refuse(x, 400, kk_req_printf(r, _("The form has a field this page does not take: %s"), x->field_name));
		goto out;
	}
	if (json_object_get(r->form, x->field_name))
		goto out; /* the first value of a repeated name wins */
	v = json_stringn_nocheck(x->field.data ? x->field.data : "", x->field.len);
	if (!v || json_object_set_new(r->form, x->field_name, v) != 0)
		http_refuse(x, 400, _("The form is not valid UTF-8."));
out:
	kk_buf_reset(&x->field);
}

/* Whether a call of the post processor goes on with the upload begun last: MHD
 * may announce a part with an empty call at offset 0 before its first bytes,
 * also at offset 0, so a new part is told by its name or its offset. */
static int continues_upload(struct kk_req *r, const char *key, const char *filename, uint64_t off)
{
	const struct kk_upload *u = r->n_uploads ? &r->uploads[r->n_uploads - 1] : NULL;

	return u && off == u->data.len && strcmp(u->field, key) == 0 && strcmp(u->filename, filename) == 0;
}

static enum MHD_Result on_post_data(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
				    const char *content_type, const char *transfer_encoding, const char *data,
				    uint64_t off, size_t size)
{
	struct exchange *x = cls;
	struct kk_req *r = &x->req;

	(void)kind;
	(void)transfer_encoding;
	if (x->replied || !key)
		return MHD_YES;
	if (filename) {
		struct kk_upload *u;

		finish_field(x);
		if (!http_param_allowed(x->route, key, strlen(key))) {
			http_refuse(x, 400, kk_req_printf(r, _("The form has a field this page does not take: %s"), key));
			return MHD_YES;
		}
		if (!continues_upload(r, key, filename, off)) {
			if (r->n_uploads == UPLOADS_MAX) {
				http_refuse(x, 413, _("The form has too many files."));
				return MHD_YES;
			}
			if (r->n_uploads == x->uploads_cap) {
				size_t cap = x->uploads_cap ? x->uploads_cap * 2 : 4;
				struct kk_upload *ups = kk_realloc(r->uploads, cap * sizeof(*ups));

				if (!ups)
					return MHD_NO;
				r->uploads = ups;
				x->uploads_cap = cap;
			}
			u = &r->uploads[r->n_uploads++];
			memset(u, 0, sizeof(*u));
			kk_buf_init(&u->data, BODY_MAX);
			u->field = kk_req_strdup(r, key);
			u->filename = kk_req_strdup(r, filename);
			u->content_type = kk_req_strdup(r, content_type ? content_type : "application/octet-stream");
			if (!u->field || !u->filename || !u->content_type)
				return MHD_NO;
		}
		u = &r->uploads[r->n_uploads - 1];
		if (size && kk_buf_add(&u->data, data, size) != KK_OK)
			return MHD_NO;
		return MHD_YES;
	}
	/* a field goes on while the name and the offset say so (see continues_upload) */
	if (!x->in_field || off != x->field.len || strcmp(key, x->field_name) != 0) {
		finish_field(x);
		if (x->replied)
			return MHD_YES;
		x->field_name = kk_req_strdup(r, key);
		if (!x->field_name)
			return MHD_NO;
		x->in_field = 1;
	}
	if (size && kk_buf_add(&x->field, data, size) != KK_OK)
		return MHD_NO;
	return MHD_YES;
}

/* A file input left empty arrives as a part with filename="" and no bytes. */
static void drop_empty_uploads(struct kk_req *r)
{
	size_t kept = 0;

	for (size_t i = 0; i < r->n_uploads; i++) {
		if (kk_str_empty(r->uploads[i].filename) && r->uploads[i].data.len == 0)
			kk_buf_release(&r->uploads[i].data);
		else
			r->uploads[kept++] = r->uploads[i];
	}
	r->n_uploads = kept;
}

enum kk_result http_form_begin(struct exchange *x)
{
	struct kk_req *r = &x->req;

	x->pp = MHD_create_post_processor(r->conn, POST_BUFFER, on_post_data, x);
	r->form = json_object();
	if (!x->pp) {
		http_refuse(x, 415, _("The form must be sent as application/x-www-form-urlencoded or multipart/form-data."));
		return KK_EINVAL;
	}
	return r->form ? KK_OK : KK_ENOMEM;
}

void http_form_feed(struct exchange *x, const char *data, size_t n)
{
	if (MHD_post_process(x->pp, data, n) != MHD_YES && !x->replied)
		http_refuse(x, 400, _("The form data is malformed."));
}

void http_form_end(struct exchange *x)
{
	enum MHD_Result ok;

	if (!x->pp)
		return;
	ok = MHD_destroy_post_processor(x->pp);
	x->pp = NULL;
	finish_field(x);
	if (ok != MHD_YES && !x->replied)
		http_refuse(x, 400, _("The form data is malformed."));
	drop_empty_uploads(&x->req);
}
