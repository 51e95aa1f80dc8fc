/*
 * notify.c: the first stage of the two-stage notification (SPEC 2.6,
 * R §5.1.2, G IV.4.2): the coordinator notifies vendors of a case, up to
 * KK_CASE_NOTIFY_MAX in one call and one transaction. Each gets the summary
 * notice in its own language (templates/mail/case_summary.txt: the case, its
 * title and summary and the link to sign in; never the detail, SPEC 1), and a
 * contact attempt is recorded; the first contact attempt of the case is day 0.
 * Delivery is the outbox's business. Everything is checked before anything is
 * written, and one transaction holds it all, so a vendor that cannot be
 * reached by e-mail stops the call with nothing sent.
 *
 * Cost: the statements are prepared once per connection (the store caches
 * them), so 200 vendors × 5 vulnerabilities is some 2,500 cached statements
 * in one commit (bench/ measures it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "mail_templates.h"
#include "store/components.h"
#include "store/vendors.h"
#include "vendor_status.h"

/* The summary is at most KK_CASE_TEXT_MAX bytes; the rest fits in 16 KiB. */
#define NOTICE_MAX (KK_CASE_TEXT_MAX + 16384)

/* The states a first notice moves (SPEC 4.4: a vendor marked unreachable
 * that is reached after all is notified too). */
static const char *const notice_from[] = { "not_notified", "unreachable", NULL };

enum kk_result case_notice_address(struct kk_tx *tx, int64_t vendor_id, const char *field, char **address,
				   struct kk_error *err)
{
	enum kk_result res = kk_case_vendor_email(tx, vendor_id, address, err);

	if (res == KK_ENOTFOUND)
		return kk_error_field(err, field,
				      _("The vendor %lld has no valid e-mail contact to send the notice to."),
				      (long long)vendor_id);
	return res;
}

/* The notice's text in lang, split into *subject and *body (the caller frees both). */
static enum kk_result notice_text(const struct case_ctx *cx, const struct kk_case_vendor *cv, enum kk_lang lang,
				  const char *base_url, int reminder, char **subject, char **body,
				  struct kk_error *err)
{
	const char *name = lang == KK_LANG_EN ? (cv->name_en ? cv->name_en : cv->name_ja)
					      : (cv->name_ja ? cv->name_ja : cv->name_en);
	struct kk_buf url, text;
	enum kk_result res;
	char *all = NULL, *nl;

	*subject = *body = NULL;
	kk_buf_init(&url, 4096);
	kk_buf_init(&text, NOTICE_MAX);
	/* the vendor's page of the case: '#' of the ref is %23 in a path */
	kk_buf_adds(&url, base_url);
	kk_buf_adds(&url, "/cases/");
	kk_buf_add_urlenc(&url, cx->c.ref);
	res = kk_buf_result(&url);
	if (!res)
		res = tmpl_case_summary(&text, lang, cx->c.ref, cx->c.title, cx->c.summary, name ? name : "", url.data,
					reminder);
	if (!res && !(all = kk_buf_detach(&text)))
		res = KK_ENOMEM;
	kk_buf_release(&url);
	kk_buf_release(&text);
	if (res == KK_ENOMEM)
		return kk_error_nomem(err);
	if (res)
		return kk_error_set(err, KK_ETOOBIG, "%s", _("The notice to the vendor could not be written."));
	nl = strstr(all, "\n\n");
	if (!nl || nl == all) {
		free(all);
		return kk_error_set(err, KK_ETOOBIG, "%s", _("The notice to the vendor has no subject line."));
	}
	*subject = kk_strndup(all, (size_t)(nl - all));
	*body = kk_strdup(nl + 2);
	free(all);
	if (!*subject || !*body) {
		free(*subject);
		free(*body);
		*subject = *body = NULL;
		return kk_error_nomem(err);
	}
	return KK_OK;
}

enum kk_result case_notice_send(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx,
				struct kk_case_vendor *cv, const char *address, const char *base_url, int64_t now,
				int fire_notified, struct kk_error *err)
{
	enum kk_lang lang = KK_LANG_JA;
	int first = cv->notified_at == 0;
	struct kk_contact_attempt a = { 0 };
	char *subject = NULL, *body = NULL;
	int64_t outbox_id = 0;
	enum kk_result res;

	if (kk_lang_parse(cv->preferred_lang, &lang) != 0)
		lang = KK_LANG_JA;
	res = notice_text(cx, cv, lang, base_url, !first && !fire_notified, &subject, &body, err);
	if (!res)
		res = kk_outbox_queue_case(tx, first || fire_notified ? "case_summary" : "case_reminder", address,
					   subject, body, kk_lang_code(lang), cx->c.id, &outbox_id, err);
	free(subject);
	free(body);
	/* SPEC 4.1: every contact attempt is logged: channel, address, time, by whom */
	a.case_id = cx->c.id;
	a.vendor_id = cv->vendor_id;
	a.channel = "email";
	a.address = address;
	a.stage = first || fire_notified ? "summary" : "reminder";
	a.at = now;
	a.by_user = actor->id;
	a.outbox_id = outbox_id;
	if (!res)
		res = kk_contact_attempts_insert(tx, &a, err);
	if (!res)
		res = kk_case_vendor_contacted(tx, cv->vendor_id, now, err);
	if (res || (!first && !fire_notified))
		return res;
	if (first) {
		cv->notified_at = now;
		res = kk_case_vendors_save(tx, cv, err);
	}
	if (!res)
		res = case_status_fire_from(tx, actor, cv, "notified", notice_from, NULL, NULL, err);
	return res;
}

enum kk_result case_notice_done(struct kk_tx *tx, const struct case_ctx *cx, int64_t now, int64_t *day0,
				struct kk_error *err)
{
	/* SPEC 2.6, G IV.4.3 注: the first contact attempt is day 0 (起算日) for
	 * every clock; later notices and reminders never move it */
	enum kk_result res = kk_cases_fix_day0(tx, cx->c.id, now, day0, err);

	/* SPEC 2.8: day 0 brings the proposed publication date (keikai proposes it) */
	if (!res)
		res = case_date_propose(tx, &kk_system_user, cx->c.id, *day0, err);
	/* vendors.last_contact_at changed: the registry's index shows it */
	if (!res)
		res = kk_vendors_registry_touch(tx, err);
	return res;
}

/* Checks body {"vendor_ids": [..]} into ids[] and *n. */
static enum kk_result parse_ids(const json_t *body, int64_t *ids, size_t *n, struct kk_error *err)
{
	static const char *const members[] = { "vendor_ids", NULL };
	const json_t *list = json_object_get(body, "vendor_ids"), *v;
	size_t i;

	*n = 0;
	if (!case_only_members(body, members, err) && !json_is_object(body))
		return KK_EINVAL;
	if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > KK_CASE_NOTIFY_MAX)
		return kk_error_field(err, "vendor_ids", _("Must be a list of 1 to %d vendor ids."),
				      KK_CASE_NOTIFY_MAX);
	json_array_foreach(list, i, v) {
		char path[32];

		snprintf(path, sizeof(path), "vendor_ids[%zu]", i);
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			kk_error_field(err, path, "%s", _("Must be a vendor id (a whole number from 1)."));
			continue;
		}
		for (size_t k = 0; k < *n; k++)
			if (ids[k] == json_integer_value(v))
				kk_error_field(err, path, "%s", _("This vendor is in the list twice."));
		ids[(*n)++] = json_integer_value(v);
	}
	return kk_error_has_fields(err) ? KK_EINVAL : KK_OK;
}

/* A vendor of a notify call: where it stands and where its notice goes. */
struct target {
	struct kk_case_vendor cv; /* id 0: not on the case yet */
	char *address;
};

/* Puts vendor t->cv.vendor_id on the case (not yet notified: every
 * vulnerability's status not_notified), as kk_case_vendor_add does. */
static enum kk_result join(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx,
			   const struct kk_vuln *vulns, size_t nv, struct target *t, int64_t now, struct kk_error *err)
{
	int64_t vendor_id = t->cv.vendor_id;
	json_t *detail;
	enum kk_result res;

	t->cv.case_id = cx->c.id;
	t->cv.added_by = actor->id;
	t->cv.added_at = now;
	res = kk_case_vendors_insert(tx, &t->cv, err);
	for (size_t i = 0; !res && i < nv; i++) {
		struct kk_vendor_status st = { 0 };

		st.case_vendor_id = t->cv.id;
		st.vuln_id = vulns[i].id;
		snprintf(st.status, sizeof(st.status), "%s", kk_vendor_status_flow.states[0].name);
		st.updated_at = now;
		st.updated_by = actor->id;
		res = kk_vendor_statuses_insert(tx, &st, err);
	}
	if (res)
		return res;
	detail = json_pack("{s:I}", "vendor_id", (json_int_t)vendor_id);
	res = detail ? kk_audit_record(tx, actor, "case", cx->c.id, "vendor.add", NULL, NULL, detail, err)
		     : kk_error_nomem(err);
	json_decref(detail);
	/* loaded again for its names and language */
	kk_case_vendor_release(&t->cv);
	return res ? res : kk_case_vendors_load(tx, cx->c.id, vendor_id, &t->cv, err);
}

/* Pass 1: every vendor exists and has an address; nothing is written. */
static enum kk_result check_targets(struct kk_tx *tx, const struct case_ctx *cx, const int64_t *ids, size_t n,
				    struct target *t, struct kk_error *err)
{
	enum kk_result res = KK_OK;
	int bad = 0;

	for (size_t i = 0; i < n && (res == KK_OK || res == KK_EINVAL); i++) {
		char path[32];

		snprintf(path, sizeof(path), "vendor_ids[%zu]", i);
		res = kk_case_vendors_load(tx, cx->c.id, ids[i], &t[i].cv, err);
		if (res == KK_ENOTFOUND) {
			t[i].cv.id = 0;
			t[i].cv.vendor_id = ids[i];
			res = kk_components_vendor_exists(tx, ids[i], err);
			if (res == KK_ENOTFOUND) {
				res = kk_error_field(err, path, _("There is no vendor %lld."), (long long)ids[i]);
				bad = 1;
				continue;
			}
		}
		if (res == KK_OK)
			res = case_notice_address(tx, ids[i], path, &t[i].address, err);
		bad |= res == KK_EINVAL;
	}
	if (res == KK_OK && bad)
		res = kk_error_result(err, KK_EINVAL);
	return res;
}

enum kk_result kk_case_notify(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
			      json_t **out, struct kk_error *err)
{
	int64_t *ids = NULL, day0 = 0, now = kk_now();
	struct target *t = NULL;
	struct kk_vuln *vulns = NULL;
	size_t n = 0, nv = 0;
	struct case_ctx cx;
	struct kk_tx tx;
	char *base_url = NULL;
	json_t *notified = NULL, *detail = NULL;
	enum kk_result res;

	if (out)
		*out = NULL;
	memset(&cx, 0, sizeof(cx));
	if (!kk_may(actor, KK_ACT_CASE_NOTIFY, NULL))
		return kk_error_set(err, KK_EDENIED, "%s", _("Only a coordinator notifies the vendors of a case."));
	ids = kk_calloc(KK_CASE_NOTIFY_MAX, sizeof(*ids));
	t = kk_calloc(KK_CASE_NOTIFY_MAX, sizeof(*t));
	if (!ids || !t) {
		free(ids);
		free(t);
		return kk_error_nomem(err);
	}
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		goto out;
	res = case_load(&tx, actor, ref, KK_ACT_CASE_NOTIFY, &cx, err);
	if (!res)
		res = parse_ids(body, ids, &n, err);
	if (!res)
		res = check_targets(&tx, &cx, ids, n, t, err);
	if (!res)
		res = kk_setting_read(&tx, "base_url", "", &base_url, err);
	if (!res)
		res = kk_vulns_list(&tx, cx.c.id, &vulns, &nv, err);
	if (!res && !(notified = json_array()))
		res = kk_error_nomem(err);
	/* pass 2: SPEC 2.6, each vendor gets the summary notice (a vendor notified
	 * before gets it again: a reminder, its status stays) */
	for (size_t i = 0; !res && i < n; i++) {
		if (!t[i].cv.id)
			res = join(&tx, actor, &cx, vulns, nv, &t[i], now, err);
		if (!res)
			res = case_notice_send(&tx, actor, &cx, &t[i].cv, t[i].address, base_url, now, 0, err);
		if (!res && json_array_append_new(notified, json_integer(ids[i])) != 0)
			res = kk_error_nomem(err);
	}
	if (!res)
		res = case_notice_done(&tx, &cx, now, &day0, err);
	if (!res) {
		detail = json_pack("{s:O, s:I}", "vendor_ids", notified, "day0", (json_int_t)day0);
		res = detail ? kk_audit_record(&tx, actor, "case", cx.c.id, "notify", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	if (!res && out && !(*out = json_pack("{s:O, s:I}", "notified", notified, "day0", (json_int_t)day0)))
		res = kk_error_nomem(err);
	res = case_end(&tx, res, out, err);
out:
	for (size_t i = 0; i < KK_CASE_NOTIFY_MAX && t; i++) {
		kk_case_vendor_release(&t[i].cv);
		free(t[i].address);
	}
	free(t);
	free(ids);
	free(base_url);
	kk_vulns_free(vulns, nv);
	json_decref(notified);
	json_decref(detail);
	case_ctx_release(&cx);
	return res;
}
