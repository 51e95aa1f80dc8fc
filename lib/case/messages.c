/*
 * messages.c: the threads of a case as staff and vendors read and write them
 * (case.h "messages"; SPEC 1, 2.13, G IV.5.5). Three kinds of thread:
 *
 *   - vendor: the coordinator (and intake) with one vendor, private to that
 *     vendor: case.message asked with the party of THAT thread's vendor, so a
 *     vendor never reads or writes another vendor's thread;
 *   - finder: staff with the finder of one report (the finder writes from
 *     the status page, finder.c): intake always, a coordinator only where that
 *     finder consented to share identity (case.finder_thread);
 *   - finder_vendor: the finder and one vendor, only when the report's finder
 *     consented to direct contact (SPEC 2.1 エ) and the vendor consented too
 *     (kk_case_direct_contact); still through keikai, the finder's address
 *     never shown.
 *
 * Every post is audited in its transaction; a message to someone outside
 * keikai queues a notice without the message (SPEC 1: mail is not encrypted).
 * A staff message to a finder (or a vendor) answers what they asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "internal.h"
#include "mail_post.h"
#include "messages_internal.h"
#include "store/inbound.h"

/* A case as one reader stands to its threads. */
struct threads_ctx {
	struct case_ctx cx;
	struct kk_case_finder *finders;
	size_t n_finders;
	struct kk_case_vendor *vendors; /* staff: every vendor of the case; a vendor: none (cx.own) */
	size_t n_vendors;
};

static void threads_ctx_release(struct threads_ctx *x)
{
	case_ctx_release(&x->cx);
	kk_case_finders_free(x->finders, x->n_finders);
	kk_case_vendors_free(x->vendors, x->n_vendors);
	memset(x, 0, sizeof(*x));
}

/* Loads case ref for user (case_load with `action`), its finders and, for
 * staff, its vendors. */
static enum kk_result threads_load(struct kk_tx *tx, const struct kk_user *user, const char *ref,
				   enum kk_action action, struct threads_ctx *x, struct kk_error *err)
{
	enum kk_result res;

	memset(x, 0, sizeof(*x));
	res = case_load(tx, user, ref, action, &x->cx, err);
	if (res)
		return res;
	res = kk_case_finders_list(tx, x->cx.c.id, &x->finders, &x->n_finders, err);
	if (!res && !x->cx.own.id)
		res = kk_case_vendors_list(tx, x->cx.c.id, &x->vendors, &x->n_vendors, err);
	if (res)
		threads_ctx_release(x);
	return res;
}

static const struct kk_case_finder *finder_of_report(const struct threads_ctx *x, int64_t report_id)
{
	for (size_t i = 0; i < x->n_finders; i++)
		if (x->finders[i].report_id == report_id)
			return &x->finders[i];
	return NULL;
}

/* The case's vendor row of vendor_id (the reader's own, or from the list). */
static const struct kk_case_vendor *vendor_of(const struct threads_ctx *x, int64_t vendor_id)
{
	if (x->cx.own.id && x->cx.own.vendor_id == vendor_id)
		return &x->cx.own;
	for (size_t i = 0; i < x->n_vendors; i++)
		if (x->vendors[i].vendor_id == vendor_id)
			return &x->vendors[i];
	return NULL;
}

/*
 * SPEC 1, 2.13: whether user may read (and write in) a thread of `kind` with
 * vendor_id and finder f (as the kind has them). The policy is asked with the
 * party of THAT vendor: the reader's own standing when the thread is its
 * vendor's, none otherwise (so only staff rows can hold); and for a direct
 * thread, "direct" only when this finder and this vendor both consented.
 */
static int may_thread(const struct kk_user *user, const struct threads_ctx *x, const char *kind, int64_t vendor_id,
		      const struct kk_case_finder *f)
{
	struct kk_case_party party = { 0 };
	struct kk_report rep = { 0 };
	struct kk_object obj = { .party = &party };

	if (x->cx.party.vendor_id && x->cx.party.vendor_id == vendor_id)
		party = x->cx.party;
	if (strcmp(kind, "vendor") == 0)
		return kk_may(user, KK_ACT_CASE_MESSAGE, &obj);
	if (!f)
		return 0;
	if (strcmp(kind, "finder") == 0) {
		rep.share_identity = f->share_identity;
		obj.report = &rep;
		return kk_may(user, KK_ACT_CASE_FINDER_THREAD, &obj);
	}
	party.direct = party.vendor_id && x->cx.own.finder_contact && f->direct_contact;
	return kk_may(user, KK_ACT_CASE_DIRECT_THREAD, &obj);
}

/* The names a thread's messages show to this reader. */
static void names_for(const struct threads_ctx *x, const struct kk_case_thread *t, const struct kk_case_finder *f,
		      char *finder, size_t size, struct msg_names *names)
{
	const struct kk_case_vendor *v = t->vendor_id ? vendor_of(x, t->vendor_id) : NULL;

	memset(names, 0, sizeof(*names));
	if (v)
		names->vendor = case_vendor_name(v->name_ja, v->name_en);
	if (f) {
		case_finder_label(f->label, finder, size);
		names->finder = finder;
	}
}

/* Sets member k of o to v (taken; NULL: out of memory); 1 when it failed. */
static int put(json_t *o, const char *k, json_t *v)
{
	return json_object_set_new(o, k, v) != 0;
}

/* Thread t as the reader sees it, with *unanswered (what waits for staff). */
static enum kk_result thread_json(struct kk_tx *tx, const struct threads_ctx *x, const struct kk_case_thread *t,
				  const struct kk_case_finder *f, json_t **out, int64_t *unanswered, struct kk_error *err)
{
	struct msg_names names;
	char finder[32];
	json_t *o = json_pack("{s:I, s:s}", "id", (json_int_t)t->id, "kind", t->kind), *msgs = json_array();
	enum kk_result res;
	int failed = !o || !msgs;

	*out = NULL;
	names_for(x, t, f, finder, sizeof(finder), &names);
	if (!failed && t->vendor_id) {
		failed |= put(o, "vendor_id", json_integer(t->vendor_id));
		/* the name of another vendor is for staff (a vendor reads only its own threads) */
		if (!x->cx.own.id)
			failed |= put(o, "vendor_name", kk_json_str_or_null(names.vendor));
	}
	if (!failed && names.finder)
		failed |= put(o, "finder", json_string(names.finder));
	if (failed) {
		json_decref(o);
		json_decref(msgs);
		return kk_error_nomem(err);
	}
	res = msg_thread_json(tx, t, &names, msgs, unanswered, err);
	if (!res && (put(o, "unanswered", json_integer(*unanswered)) || put(o, "messages", msgs)))
		res = kk_error_nomem(err);
	else if (res)
		json_decref(msgs);
	if (res)
		json_decref(o);
	else
		*out = o;
	return res;
}

enum kk_result kk_case_threads(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
			       struct kk_error *err)
{
	struct threads_ctx x;
	struct kk_case_thread *threads = NULL;
	size_t n = 0;
	struct kk_tx tx;
	json_t *waiting = json_array(), *rest = json_array();
	enum kk_result res;

	*out = NULL;
	if (!waiting || !rest) {
		json_decref(waiting);
		json_decref(rest);
		return kk_error_nomem(err);
	}
	res = kk_tx_begin(s, 0, &tx, err);
	if (res) {
		json_decref(waiting);
		json_decref(rest);
		return res;
	}
	res = threads_load(&tx, viewer, ref, KK_ACT_CASE_READ, &x, err);
	if (!res) {
		res = kk_case_threads_list(&tx, x.cx.c.id, 0, &threads, &n, err);
		/* G IV.2.7: staff see what waits for them first */
		for (size_t i = 0; !res && i < n; i++) {
			const struct kk_case_finder *f = threads[i].report_id ? finder_of_report(&x, threads[i].report_id)
									      : NULL;
			int64_t unanswered = 0;
			json_t *t;

			if (!may_thread(viewer, &x, threads[i].kind, threads[i].vendor_id, f))
				continue;
			res = thread_json(&tx, &x, &threads[i], f, &t, &unanswered, err);
			if (!res && json_array_append_new(unanswered && !x.cx.own.id ? waiting : rest, t))
				res = kk_error_nomem(err);
		}
		free(threads);
		threads_ctx_release(&x);
	}
	res = kk_tx_end(&tx, res, err);
	if (!res && json_array_extend(waiting, rest))
		res = kk_error_nomem(err);
	json_decref(rest);
	if (!res && !(*out = json_pack("{s:o}", "threads", waiting)))
		return kk_error_nomem(err);
	if (res)
		json_decref(waiting);
	return res;
}

/* ---- posting ---- */

/* What a post says, validated. Strings point into the body. */
struct post {
	const char *thread, *text, *kind, *finder;
	int64_t vendor_id;
	struct msg_files files;
};

static const char *const thread_kinds[] = { "vendor", "finder", "finder_vendor" };

static enum kk_result post_from_json(const json_t *body, struct post *p, struct kk_error *err)
{
	const json_t *v;
	int known = 0;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	p->thread = json_string_value(json_object_get(body, "thread"));
	for (size_t i = 0; p->thread && i < sizeof(thread_kinds) / sizeof(thread_kinds[0]); i++)
		known |= strcmp(p->thread, thread_kinds[i]) == 0;
	if (!known)
		kk_error_field(err, "thread", "%s", _("Must be \"vendor\", \"finder\" or \"finder_vendor\"."));
	msg_text_field(body, "body", &p->text, err);
	v = json_object_get(body, "kind");
	p->kind = v && !json_is_null(v) ? json_string_value(v) : "message";
	if (!p->kind || (strcmp(p->kind, "message") != 0 && strcmp(p->kind, "environment_request") != 0))
		kk_error_field(err, "kind", "%s", _("Must be \"message\" or \"environment_request\"."));
	v = json_object_get(body, "vendor_id");
	if (v && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			kk_error_field(err, "vendor_id", "%s", _("Must be the id of a vendor."));
		else
			p->vendor_id = json_integer_value(v);
	}
	v = json_object_get(body, "finder");
	if (v && !json_is_null(v) && !(p->finder = json_string_value(v)))
		kk_error_field(err, "finder", "%s", _("Must be a finder of the case, such as \"Finder A\"."));
	msg_files_from_json(body, &p->files, err);
	return kk_error_result(err, KK_OK);
}

/* The finder a post names ("Finder A", or "A"); the only one when it names
 * none and the case has one. NULL with a field error otherwise. */
static const struct kk_case_finder *finder_named(const struct threads_ctx *x, const char *name, struct kk_error *err)
{
	char label[32];

	if (!name && x->n_finders == 1)
		return &x->finders[0];
	for (size_t i = 0; name && i < x->n_finders; i++) {
		case_finder_label(x->finders[i].label, label, sizeof(label));
		if (strcmp(name, label) == 0 || strcmp(name, x->finders[i].label) == 0 ||
		    (strncmp(name, "Finder ", 7) == 0 && strcmp(name + 7, x->finders[i].label) == 0))
			return &x->finders[i];
	}
	kk_error_field(err, "finder", "%s", name ? _("There is no such finder in this case.")
						: _("Say which finder: \"Finder A\", \"Finder B\" …"));
	return NULL;
}

/* The vendor a post is for: the writer's own, or (staff) the one it names,
 * which must have been notified. */
static enum kk_result vendor_named(const struct threads_ctx *x, const struct post *p,
				   const struct kk_case_vendor **out, struct kk_error *err)
{
	const struct kk_case_vendor *v;

	*out = NULL;
	if (x->cx.own.id) {
		if (p->vendor_id && p->vendor_id != x->cx.own.vendor_id)
			return kk_error_field(err, "vendor_id", "%s", _("You can write only in your own vendor's threads."));
		*out = &x->cx.own;
		return KK_OK;
	}
	if (!p->vendor_id)
		return kk_error_field(err, "vendor_id", "%s", _("Say which vendor the message is for."));
	v = vendor_of(x, p->vendor_id);
	if (!v)
		return kk_error_field(err, "vendor_id", "%s", _("This vendor is not on the case."));
	/* SPEC 2.6: a vendor learns of a case from its summary notice first */
	if (!v->notified_at)
		return kk_error_set(err, KK_ECONFLICT, "%s",
				    _("This vendor has not been notified of the case yet; notify it first."));
	*out = v;
	return KK_OK;
}

/* The audit record and the notices of message m in thread t. */
static enum kk_result post_record(struct kk_tx *tx, const struct kk_user *actor, const struct threads_ctx *x,
				  const struct kk_case_thread *t, const struct kk_case_message *m,
				  const struct kk_case_finder *f, size_t n_files, struct kk_error *err)
{
	int staff = strcmp(m->author_kind, "staff") == 0;
	json_t *detail = json_pack("{s:I, s:s, s:I, s:s, s:I}", "thread", (json_int_t)t->id, "thread_kind", t->kind,
				   "message", (json_int_t)m->id, "kind", m->kind, "attachments", (json_int_t)n_files);
	enum kk_result res = KK_OK;

	if (!detail || (t->vendor_id && put(detail, "vendor_id", json_integer(t->vendor_id))) ||
	    (f && put(detail, "finder", json_string(f->label)))) {
		json_decref(detail);
		return kk_error_nomem(err);
	}
	res = kk_audit_record(tx, actor, "case", x->cx.c.id, "message.post", NULL, NULL, detail, err);
	json_decref(detail);
	/* SPEC 1: whoever the message is for outside keikai gets it by mail, its
	 * text only encrypted (issue 11) */
	if (!res && f && (staff || strcmp(t->kind, "finder_vendor") == 0))
		res = msg_notice_finder(tx, f->email, f->lang, f->tracking_id, f->report_id, x->cx.c.id, m->body, err);
	if (!res && staff && t->vendor_id)
		res = msg_notice_vendor(tx, t->vendor_id, x->cx.c.ref, x->cx.c.id, m->body, err);
	return res;
}

enum kk_result kk_case_message_post(struct kk_store *s, const struct kk_user *actor, const char *ref,
				    const json_t *body, json_t **out, struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	struct threads_ctx x;
	struct post p;
	struct kk_tx tx;
	struct kk_case_thread t;
	struct kk_case_message m = { 0 };
	const struct kk_case_finder *f = NULL;
	const struct kk_case_vendor *v = NULL;
	struct msg_names names;
	char finder[32];
	int64_t now = kk_now();
	enum kk_result res;

	*out = NULL;
	if (!err) /* the validators collect field errors in one */
		err = &mine;
	res = post_from_json(body, &p, err);
	if (res) {
		msg_files_release(&p.files);
		kk_error_release(&mine);
		return res;
	}
	res = kk_tx_begin(s, 1, &tx, err);
	if (res) {
		msg_files_release(&p.files);
		kk_error_release(&mine);
		return res;
	}
	res = threads_load(&tx, actor, ref, KK_ACT_CASE_READ, &x, err);
	if (res)
		goto end;
	if (strcmp(p.thread, "finder") == 0) {
		if (x.cx.own.id) {
			res = kk_error_set(err, KK_EDENIED, "%s", _("A vendor cannot write in the staff's thread with the finder."));
			goto done;
		}
		if (!(f = finder_named(&x, p.finder, err)))
			res = KK_EINVAL;
	} else {
		res = vendor_named(&x, &p, &v, err);
		if (!res && strcmp(p.thread, "finder_vendor") == 0 && !(f = finder_named(&x, p.finder, err)))
			res = KK_EINVAL;
	}
	if (res)
		goto done;
	/* G IV.5.5: it is a vendor that asks for the environment behind a report */
	if (strcmp(p.kind, "environment_request") == 0 && !(x.cx.own.id && strcmp(p.thread, "vendor") == 0)) {
		res = kk_error_field(err, "kind", "%s", _("Only a vendor asks for the environment, in its own thread."));
		goto done;
	}
	/* SPEC 2.13: finder and vendor talk directly only when both consented */
	if (strcmp(p.thread, "finder_vendor") == 0 && !(f->direct_contact && v->finder_contact)) {
		res = kk_error_set(err, KK_ECONFLICT, "%s",
				   _("The finder and the vendor have not both consented to talk directly."));
		goto done;
	}
	if (!may_thread(actor, &x, p.thread, v ? v->vendor_id : 0, f)) {
		res = kk_error_set(err, KK_EDENIED, _("You may not write in this thread of case %s."), ref);
		goto done;
	}
	res = kk_case_threads_find(&tx, p.thread, x.cx.c.id, v ? v->vendor_id : 0, f ? f->report_id : 0, 1, now, &t,
				   err);
	if (res)
		goto done;
	m.thread_id = t.id;
	snprintf(m.author_kind, sizeof(m.author_kind), "%s", x.cx.own.id ? "vendor" : "staff");
	snprintf(m.author_role, sizeof(m.author_role), "%s", kk_role_name(actor->role));
	snprintf(m.kind, sizeof(m.kind), "%s", p.kind);
	m.author_id = actor->id;
	m.body = (char *)p.text;
	m.created_at = now;
	res = kk_case_messages_insert(&tx, &m, err);
	if (!res)
		res = msg_files_store(&tx, m.id, &p.files, err);
	/* SPEC 2.13, G IV.2.7: staff writing to the finder or a vendor answers
	 * them; in a direct thread, the vendor answers the finder */
	if (!res && (x.cx.own.id != 0) == (strcmp(t.kind, "finder_vendor") == 0))
		res = kk_case_messages_mark_answered(&tx, t.id, m.author_kind, now, err);
	if (!res)
		res = post_record(&tx, actor, &x, &t, &m, f, p.files.n, err);
	if (!res) {
		names_for(&x, &t, f, finder, sizeof(finder), &names);
		if (!(*out = msg_json(&m, &names, &p.files)))
			res = kk_error_nomem(err);
	}
done:
	threads_ctx_release(&x);
end:
	res = case_end(&tx, res, out, err);
	msg_files_release(&p.files);
	kk_error_release(&mine);
	return res;
}

/* ---- a message that came by mail (issue 11) ---- */

/* mail-in (lib/mail/mailin.c) has matched the sender to the thread's party
 * (its contact, its user, or the report's finder): what the web checks with
 * a session it checked with the address. The store calls and the audit
 * record are the web's; a vendor's or a finder's message tells nobody
 * outside keikai (post_record: only staff's do), and waits for staff. */
enum kk_result case_message_post_mail(struct kk_tx *tx, const struct case_mail_post *p, int64_t *thread_id,
				      int64_t *message_id, struct kk_error *err)
{
	int finder = strcmp(p->thread_kind, "finder") == 0;
	struct kk_case_thread t;
	struct kk_case_message m = { 0 };
	int64_t now = kk_now(), waiting = 0;
	json_t *detail = NULL;
	enum kk_result res;

	*thread_id = *message_id = 0;
	res = kk_case_threads_find(tx, p->thread_kind, p->case_id, p->vendor_id, p->report_id, 1, now, &t, err);
	/* a flood from whoever writes as the finder stops at what staff can read */
	if (!res && finder)
		res = kk_case_messages_waiting(tx, t.id, &waiting, err);
	if (!res && waiting >= KK_CASE_FINDER_WAITING_MAX)
		return kk_error_set(err, KK_ETHROTTLED,
				    _("The finder has sent %d messages that have not been answered yet."),
				    KK_CASE_FINDER_WAITING_MAX);
	if (res)
		return res;
	m.thread_id = t.id;
	snprintf(m.author_kind, sizeof(m.author_kind), "%s", finder ? "finder" : "vendor");
	/* G IV.2.7: what a finder writes by mail waits for staff's answer, as a question */
	snprintf(m.kind, sizeof(m.kind), "%s", finder ? "question" : "message");
	m.author_id = p->author_id;
	m.body = (char *)p->text;
	m.created_at = now;
	res = kk_case_messages_insert(tx, &m, err);
	if (!res)
		res = kk_inbound_mark_message(tx, m.id, p->address, p->inbound_id, err);
	if (!res && !(detail = json_pack("{s:I, s:s, s:I, s:s, s:s, s:I}", "thread", (json_int_t)t.id, "thread_kind",
					 t.kind, "message", (json_int_t)m.id, "kind", m.kind, "via", "mail", "inbound",
					 (json_int_t)p->inbound_id)))
		res = kk_error_nomem(err);
	if (!res && t.vendor_id && put(detail, "vendor_id", json_integer(t.vendor_id)))
		res = kk_error_nomem(err);
	if (!res)
		res = kk_audit_record(tx, finder ? &kk_anonymous : &kk_system_user, p->case_id ? "case" : "report",
				      p->case_id ? p->case_id : p->report_id, "message.post", NULL, NULL, detail, err);
	json_decref(detail);
	if (!res) {
		*thread_id = t.id;
		*message_id = m.id;
	}
	return res;
}

/* ---- a message's attachment ---- */

enum kk_result kk_case_message_attachment_get(struct kk_store *s, const struct kk_user *viewer, const char *ref,
					      int64_t message_id, int idx, void **data, size_t *size, char **filename,
					      char **content_type, struct kk_error *err)
{
	struct threads_ctx x;
	struct kk_case_thread t;
	struct kk_tx tx;
	enum kk_result res;

	*data = NULL;
	*size = 0;
	*filename = *content_type = NULL;
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = threads_load(&tx, viewer, ref, KK_ACT_CASE_READ, &x, err);
	if (res)
		return kk_tx_end(&tx, res, err);
	res = msg_thread_of(&tx, message_id, &t, err);
	if (!res) {
		const struct kk_case_finder *f = t.report_id ? finder_of_report(&x, t.report_id) : NULL;
		int of_case = t.case_id == x.cx.c.id || (strcmp(t.kind, "finder") == 0 && f);

		/* SPEC 1: a file of a thread the reader may not read does not exist for it */
		if (!of_case || !may_thread(viewer, &x, t.kind, t.vendor_id, f))
			res = KK_ENOTFOUND;
	}
	res = msg_attachment_end(&tx, res, message_id, idx, data, size, filename, content_type, err);
	threads_ctx_release(&x);
	return res;
}

/* ---- the vendor's consent to talk with the finder ---- */

enum kk_result kk_case_direct_contact(struct kk_store *s, const struct kk_user *actor, const char *ref,
				      const json_t *body, json_t **out, struct kk_error *err)
{
	const json_t *consent = json_is_object(body) ? json_object_get(body, "consent") : NULL;
	struct threads_ctx x;
	struct kk_tx tx;
	json_t *finders = NULL, *detail;
	enum kk_result res;
	int on;

	*out = NULL;
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	if (!json_is_boolean(consent))
		return kk_error_field(err, "consent", "%s", _("Must be true or false."));
	on = json_is_true(consent);
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = threads_load(&tx, actor, ref, KK_ACT_CASE_MESSAGE, &x, err);
	if (res)
		return kk_tx_end(&tx, res, err);
	/* SPEC 2.13: the consent is the vendor's own; staff cannot give it */
	if (!x.cx.own.id) {
		res = kk_error_set(err, KK_EDENIED, "%s",
				   _("Only the vendor itself can consent to talk with the finder directly."));
		goto done;
	}
	res = kk_case_vendors_set_finder_contact(&tx, x.cx.c.id, x.cx.own.vendor_id, on, err);
	if (res == KK_ENOTFOUND)
		res = case_missing(ref, err);
	detail = res ? NULL : json_pack("{s:I, s:b}", "vendor_id", (json_int_t)x.cx.own.vendor_id, "consent", on);
	if (!res && !detail)
		res = kk_error_nomem(err);
	if (!res)
		res = kk_audit_record(&tx, actor, "case", x.cx.c.id, "vendor.finder_contact",
				      x.cx.own.finder_contact ? "true" : "false", on ? "true" : "false", detail, err);
	json_decref(detail);
	/* the finders it may now talk with: those who consented too (SPEC 2.1 エ) */
	if (!res && !(finders = json_array()))
		res = kk_error_nomem(err);
	for (size_t i = 0; !res && on && i < x.n_finders; i++) {
		char label[32];

		case_finder_label(x.finders[i].label, label, sizeof(label));
		if (x.finders[i].direct_contact && json_array_append_new(finders, json_string(label)))
			res = kk_error_nomem(err);
	}
	if (!res && !(*out = json_pack("{s:b, s:O}", "finder_contact", on, "direct_finders", finders)))
		res = kk_error_nomem(err);
	json_decref(finders);
done:
	threads_ctx_release(&x);
	res = case_end(&tx, res, out, err);
	return res;
}
