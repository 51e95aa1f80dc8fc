/*
 * message_parts.c: the pieces of a message that staff, vendors and finders
 * share (messages_internal.h; SPEC 2.13): its text and files as they arrive,
 * a thread as JSON for one reader, and the notice that a message waits.
 *
 * A message's files follow the rules of a report's evidence (report.h:
 * count, size, a plain file name, a media type), so what a finder may send
 * with a report it may send with a message. The notice goes by unencrypted
 * mail and so says only that there is a message (SPEC 1).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/case.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/report.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "mail_templates.h"
#include "messages_internal.h"
#include "store/vendor_records.h"

#define NOTICE_MAX 8192

void msg_files_release(struct msg_files *files)
{
	if (!files)
		return;
	kk_attachments_free(files->f, files->n);
	memset(files, 0, sizeof(*files));
}

void msg_text_field(const json_t *body, const char *name, const char **out, struct kk_error *err)
{
	const json_t *v = json_object_get(body, name);
	const char *s = json_string_value(v), *p;

	*out = NULL;
	if (!v || json_is_null(v)) {
		kk_error_field(err, name, "%s", _("Required."));
		return;
	}
	if (!s) {
		kk_error_field(err, name, "%s", _("Must be text."));
		return;
	}
	if (strlen(s) != json_string_length(v)) {
		kk_error_field(err, name, "%s", _("Must not contain NUL characters."));
		return;
	}
	for (p = s; *p && isspace((unsigned char)*p); p++)
		;
	if (!*p)
		kk_error_field(err, name, "%s", _("Required."));
	else if (strlen(s) > KK_CASE_TEXT_MAX)
		kk_error_field(err, name, _("At most %d bytes."), KK_CASE_TEXT_MAX);
	else if (kk_has_control(s, 1))
		kk_error_field(err, name, "%s", _("Must not contain control characters."));
	else
		*out = s;
}

/* A message's files are checked as a report's evidence is (report.c). */
void msg_files_from_json(const json_t *body, struct msg_files *files, struct kk_error *err)
{
	kk_attachments_from_json(body, &files->f, &files->n, err);
}

enum kk_result msg_thread_of(struct kk_tx *tx, int64_t message_id, struct kk_case_thread *t, struct kk_error *err)
{
	struct kk_case_message m;
	enum kk_result res = kk_case_messages_load(tx, message_id, &m, err);

	free(m.body);
	if (!res)
		res = kk_case_threads_load(tx, m.thread_id, t, err);
	return res;
}

enum kk_result msg_attachment_end(struct kk_tx *tx, enum kk_result res, int64_t message_id, int idx, void **data,
				  size_t *size, char **filename, char **content_type, struct kk_error *err)
{
	if (!res && idx >= 0)
		res = kk_message_attachments_get(tx, message_id, idx, data, size, filename, content_type, err);
	else if (!res)
		res = KK_ENOTFOUND;
	if (res == KK_ENOTFOUND)
		kk_error_set(err, KK_ENOTFOUND, "%s", _("There is no such attachment."));
	res = kk_tx_end(tx, res, err);
	if (res) {
		free(*data);
		free(*filename);
		free(*content_type);
		*data = NULL;
		*filename = *content_type = NULL;
		*size = 0;
	}
	return res;
}

enum kk_result msg_files_store(struct kk_tx *tx, int64_t message_id, const struct msg_files *files,
			       struct kk_error *err)
{
	enum kk_result res = KK_OK;

	for (size_t i = 0; !res && i < files->n; i++) {
		const struct kk_attachment *f = &files->f[i];
		struct kk_message_attachment a = { message_id, (int)i, f->filename, f->content_type, f->sha256,
						   f->size, f->data };

		res = kk_message_attachments_insert(tx, &a, err);
	}
	return res;
}

/* ---- a thread as JSON ---- */

/* Who wrote m, as the reader is shown it (case.h): staff by their role
 * ("coordinator", "intake"; "staff" to the finder), a vendor's users by the
 * vendor's name, the finder by its letter ("finder" to itself). */
static const char *author_of(const struct kk_case_message *m, const struct msg_names *names)
{
	if (strcmp(m->author_kind, "staff") == 0)
		return names->for_finder || !m->author_role[0] ? "staff" : m->author_role;
	if (strcmp(m->author_kind, "vendor") == 0)
		return names->vendor ? names->vendor : "vendor";
	return names->for_finder || !names->finder ? "finder" : names->finder;
}

json_t *msg_json(const struct kk_case_message *m, const struct msg_names *names, const struct msg_files *files)
{
	json_t *atts = json_array(), *o;

	for (size_t i = 0; atts && files && i < files->n; i++) {
		json_t *a = json_pack("{s:i, s:s, s:s, s:I}", "idx", (int)i, "filename", files->f[i].filename,
				      "content_type", files->f[i].content_type, "size", (json_int_t)files->f[i].size);

		if (!a || json_array_append_new(atts, a)) {
			json_decref(atts);
			return NULL;
		}
	}
	if (!atts)
		return NULL;
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:o, s:o}", "id", (json_int_t)m->id, "author",
		      author_of(m, names), "author_kind", m->author_kind, "kind", m->kind, "body",
		      m->body ? m->body : "", "created_at", (json_int_t)m->created_at, "answered_at",
		      m->answered_at ? json_integer(m->answered_at) : json_null(), "attachments", atts);
	return o;
}

struct thread_walk {
	const struct kk_case_thread *t;
	const struct msg_names *names;
	json_t *arr;
	size_t first; /* the thread's first message in arr */
	int64_t unanswered, since_staff;
	size_t at; /* where the attachments' walk is */
};

static enum kk_result add_message(const struct kk_case_message *m, void *arg, struct kk_error *err)
{
	struct thread_walk *w = arg;
	json_t *o = msg_json(m, w->names, NULL);

	if (!o || json_array_append_new(w->arr, o))
		return kk_error_nomem(err);
	/* case_messages.h: what waits for staff */
	if (strcmp(w->t->kind, "finder") == 0 && strcmp(m->author_kind, "finder") == 0 &&
	    strcmp(m->kind, "question") == 0 && !m->answered_at)
		w->unanswered++;
	if (strcmp(w->t->kind, "vendor") == 0)
		w->since_staff = strcmp(m->author_kind, "staff") == 0 ? 0 : w->since_staff + 1;
	return KK_OK;
}

/* Messages and attachments both come by message id: one walk joins them. */
static enum kk_result add_attachment(const struct kk_message_attachment *a, void *arg, struct kk_error *err)
{
	struct thread_walk *w = arg;
	json_t *m, *o;

	while (w->at < json_array_size(w->arr) &&
	       json_integer_value(json_object_get(json_array_get(w->arr, w->at), "id")) < a->message_id)
		w->at++;
	m = json_array_get(w->arr, w->at);
	if (!m || json_integer_value(json_object_get(m, "id")) != a->message_id)
		return KK_OK;
	o = json_pack("{s:i, s:s, s:s, s:I}", "idx", a->idx, "filename", a->filename, "content_type", a->content_type,
		      "size", (json_int_t)a->size);
	if (!o || json_array_append_new(json_object_get(m, "attachments"), o))
		return kk_error_nomem(err);
	return KK_OK;
}

enum kk_result msg_thread_json(struct kk_tx *tx, const struct kk_case_thread *t, const struct msg_names *names,
			       json_t *arr, int64_t *unanswered, struct kk_error *err)
{
	struct thread_walk w = { t, names, arr, json_array_size(arr), 0, 0, 0 };
	enum kk_result res;

	w.at = w.first;
	res = kk_case_messages_each(tx, t->id, add_message, &w, err);
	if (!res)
		res = kk_message_attachments_each(tx, t->id, add_attachment, &w, err);
	if (!res && unanswered)
		*unanswered = w.unanswered + w.since_staff;
	return res;
}

/* ---- the notice ---- */

/* Writes the notice in lang and queues it to address. */
static enum kk_result queue_notice(struct kk_tx *tx, const char *address, const char *lang, const char *ref,
				   int to_finder, int64_t report_id, int64_t case_id, const char *text, struct kk_error *err)
{
	enum kk_lang l = KK_LANG_JA;
	struct kk_buf mail;
	char *base = NULL, *all = NULL, *nl;
	enum kk_result res;

	if (kk_lang_parse(lang, &l) != 0)
		l = KK_LANG_JA;
	res = kk_setting_read(tx, "base_url", "", &base, err);
	if (res)
		return res;
	kk_buf_init(&mail, NOTICE_MAX);
	res = tmpl_case_message(&mail, l, ref, to_finder, base, text);
	free(base);
	if (res == KK_OK)
		res = kk_buf_finish(&mail, &all);
	else
		kk_buf_release(&mail);
	if (res)
		return res == KK_ENOMEM ? kk_error_nomem(err)
					: kk_error_set(err, res, "%s", _("The notice of a new message could not be written."));
	/* the template's first line is the subject, then a blank line, then the body */
	nl = strstr(all, "\n\n");
	if (!nl) {
		free(all);
		return kk_error_set(err, KK_EINVAL, "%s", _("The notice of a new message has no subject line."));
	}
	*nl = '\0';
	/* a finder's notice names its report, as its other mail does; a vendor's the case */
	if (to_finder)
		res = kk_outbox_queue(tx, "case_message", address, all, nl + 2, kk_lang_code(l), report_id, err);
	else
		res = kk_outbox_queue_case(tx, "case_message", address, all, nl + 2, kk_lang_code(l), case_id, NULL, err);
	free(all);
	return res;
}

enum kk_result msg_notice_finder(struct kk_tx *tx, const char *address, const char *lang, const char *tracking_id,
				 int64_t report_id, int64_t case_id, const char *text, struct kk_error *err)
{
	if (kk_str_empty(address))
		return KK_OK;
	return queue_notice(tx, address, lang, tracking_id, 1, report_id, case_id, text, err);
}

enum kk_result msg_notice_vendor(struct kk_tx *tx, int64_t vendor_id, const char *ref, int64_t case_id,
				 const char *text, struct kk_error *err)
{
	struct kk_vendor v;
	const char *address = NULL;
	enum kk_result res = kk_vrec_vendor_load(tx, vendor_id, 1, &v, err);

	if (res == KK_ENOTFOUND) {
		kk_vendor_release(&v);
		return KK_OK;
	}
	/* contacts come primary first */
	for (size_t i = 0; !res && !address && i < v.n_contacts; i++)
		if (v.contacts[i].channel == KK_CONTACT_EMAIL && v.contacts[i].is_valid)
			address = v.contacts[i].value;
	if (!res && address)
		res = queue_notice(tx, address, v.preferred_lang, ref, 0, 0, case_id, text, err);
	kk_vendor_release(&v);
	return res;
}
