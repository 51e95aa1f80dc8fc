/*
 * complete.c: reports that came by mail (issue 11, item 4; SPEC 2.1): how
 * one is stored in the state "mail" from what a message said, with the
 * finder's acknowledgement as a web report gets it, and how intake completes
 * it with the fields of a submission (the triage flow's "complete" event,
 * flow.c) before triage. mail-in (lib/mail/mailin.c) calls the first inside
 * its transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/mailin.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "complete.h"
#include "internal.h"
#include "store/reports.h"
#include "tracking_id.h"

/* 1 when text holds a Japanese character (hiragana, katakana, CJK ideographs,
 * the full-width forms): the finder's language is Japanese then. */
static int has_japanese(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	for (; p && *p; p++) {
		/* U+3000-U+9FFF and U+FF00-U+FFEF start with E3-E9 and EF BC-BF in UTF-8 */
		if ((p[0] >= 0xE3 && p[0] <= 0xE9) || (p[0] == 0xEF && p[1] >= 0xBC && p[1] <= 0xBF))
			return 1;
	}
	return 0;
}

/* Copies s into *out (NULL stays NULL); 1 when out of memory. */
static int dup_into(char **out, const char *s)
{
	*out = s ? kk_strdup(s) : NULL;
	return s && !*out;
}

enum kk_result kk_report_mail_insert(struct kk_tx *tx, const struct kk_report_mail *in, struct kk_report *r,
				     char *secret_out, struct kk_error *err)
{
	struct kk_finder_mail mail = { "", NULL };
	char hash[65], *prefix = NULL, *base = NULL;
	enum kk_result res;
	int lost = 0;

	memset(r, 0, sizeof(*r));
	kk_random_secret(secret_out, 32);
	kk_sha256_hex(secret_out, strlen(secret_out), hash);
	r->status = KK_REPORT_MAIL;
	r->kind = KK_REPORT_PRODUCT; /* staff say which when they complete it */
	snprintf(r->lang, sizeof(r->lang), "%s", has_japanese(in->subject) || has_japanese(in->text) ? "ja" : "en");
	r->received_at = kk_now();
	/* the summary is the subject, the steps the text: staff complete the rest */
	lost |= dup_into(&r->summary, kk_str_empty(in->subject) ? "-" : in->subject);
	lost |= dup_into(&r->steps, in->text ? in->text : "");
	lost |= dup_into(&r->environment, "");
	lost |= dup_into(&r->result, "");
	lost |= dup_into(&r->finder.email, in->sender);
	lost |= dup_into(&r->finder.name, in->sender_name);
	lost |= dup_into(&r->encrypted_fields, in->encrypted ? "[\"steps\"]" : NULL);
	if (lost)
		return kk_error_nomem(err);
	res = kk_setting_read(tx, "tracking_prefix", "IPA", &prefix, err);
	if (res)
		return res;
	res = KK_EEXISTS;
	for (int i = 0; i < KK_TRACKING_ID_TRIES && res == KK_EEXISTS; i++) {
		kk_tracking_id_make(prefix, r->tracking_id, sizeof(r->tracking_id));
		res = kk_reports_insert(tx, r, hash, err);
	}
	free(prefix);
	if (res == KK_EEXISTS)
		res = kk_error_set(err, KK_EDB, "%s", _("No free tracking number was found; try again."));
	if (!res)
		res = kk_audit_record(tx, &kk_system_user, "report", r->id, "submit", NULL, "mail", NULL, err);
	/* SPEC 2.1: the finder is acknowledged as a web report's finder is (the
	 * message goes content-free unless a key is on record: mail.h) */
	if (!res)
		res = kk_setting_read(tx, "base_url", "", &base, err);
	if (!res && !kk_str_empty(r->finder.email))
		res = kk_report_mail_received(r, kk_report_finder_lang(r), kk_report_finder_zone(r), base, secret_out,
					      &mail, err);
	if (!res && !kk_str_empty(r->finder.email))
		res = kk_report_queue_to_finder(tx, r, "acknowledgement", &mail, err);
	free(base);
	return res;
}

/* body with the finder's name and address the message gave, where the
 * completion leaves them out (the sender is the finder: staff need not type
 * it again). A new reference; NULL when out of memory. */
static json_t *with_sender(const json_t *body, const struct kk_report *r)
{
	json_t *b = json_deep_copy(body), *finder;

	if (!b || !json_is_object(b))
		return b;
	finder = json_object_get(b, "finder");
	if (!finder) {
		if (json_object_set_new(b, "finder", json_object()) || !(finder = json_object_get(b, "finder")))
			goto nomem;
	}
	if (!json_is_object(finder))
		return b; /* the validator says what is wrong */
	if (r->finder.email && kk_str_empty(json_string_value(json_object_get(finder, "email"))) &&
	    json_object_set_new(finder, "email", json_string(r->finder.email)))
		goto nomem;
	if (r->finder.name && kk_str_empty(json_string_value(json_object_get(finder, "name"))) &&
	    json_object_set_new(finder, "name", json_string(r->finder.name)))
		goto nomem;
	return b;
nomem:
	json_decref(b);
	return NULL;
}

enum kk_result kk_report_complete(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
				  const json_t *body, struct kk_report *out, struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	struct kk_report fields = { 0 }, r = { 0 };
	struct kk_report_completion c = { &fields };
	struct kk_flow_step step = { .actor = actor, .input = &c };
	struct kk_tx tx;
	json_t *b = NULL;
	enum kk_result res;
	int loaded = 0;

	if (out)
		memset(out, 0, sizeof(*out));
	/* a role that may never complete learns nothing, not even whether the report exists */
	if (!kk_may_some(actor->role, KK_ACT_REPORT_DECIDE))
		return kk_error_set(err, KK_EDENIED, "%s", _("Only the receiving organisation completes reports."));
	if (!err) /* the validator collects field errors in one */
		err = &mine;
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	res = kk_tx_begin(s, 1, &tx, err);
	if (res) {
		kk_error_release(&mine);
		return res;
	}
	res = kk_reports_load(&tx, KK_REPORT_BY_TRACKING_ID, tracking_id, 0, &r, err);
	loaded = res == KK_OK;
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("No such report."));
	if (!res && !kk_may(actor, KK_ACT_REPORT_READ, &(struct kk_object){ .report = &r }))
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("No such report."));
	else if (!res && !kk_may(actor, KK_ACT_REPORT_DECIDE, &(struct kk_object){ .report = &r }))
		res = kk_error_set(err, KK_EDENIED, "%s", _("Your role does not allow this."));
	if (!res && !(b = with_sender(body, &r)))
		res = kk_error_nomem(err);
	if (!res)
		res = kk_report_from_json(b, &fields, err);
	if (!res) {
		step.tx = &tx;
		step.object_id = r.id;
		step.object = &r;
		res = kk_flow_fire(&kk_report_triage, &step, kk_report_status_name(r.status), "complete", err);
	}
	res = kk_tx_end(&tx, res, err);
	if (!res && out)
		*out = r;
	else if (loaded)
		kk_report_release(&r);
	json_decref(b);
	kk_report_release(&fields);
	kk_error_release(&mine);
	return res;
}
