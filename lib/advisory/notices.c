/*
 * notices.c: who is told when an advisory is published (issue 12 item 4;
 * SPEC 2.11, 6, G IV.4.9 "the finder is told on publication"): the case's
 * finders (in their report's language, by their tracking number), every
 * notified vendor (at its primary valid e-mail address, in its language) and
 * every intake user (the receiving organisation). Each notice is queued in the
 * publishing transaction (templates/mail/advisory_published.txt): the public
 * ID, the title in the reader's language and the public address -- all public
 * from that moment -- so the same text goes to a reader without an OpenPGP
 * key (outbox safe_body).
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/util.h"
#include "internal.h"
#include "mail_templates.h"
#include "store/case_dates.h"
#include "store/case_vendors.h"

#define NOTICE_MAX (64 * 1024)

struct notice {
	struct kk_tx *tx;
	const struct kk_advisory *a;
	const struct kk_case *c;
	const json_t *texts;
	const char *url;
};

/* The title in lang, else the other language's. */
static const char *title_in(const struct notice *n, enum kk_lang lang)
{
	const char *ja = json_string_value(json_object_get(json_object_get(n->texts, "ja"), "title"));
	const char *en = json_string_value(json_object_get(json_object_get(n->texts, "en"), "title"));

	if (lang == KK_LANG_EN)
		return !kk_str_empty(en) ? en : ja ? ja : "";
	return !kk_str_empty(ja) ? ja : en ? en : "";
}

/* Writes the notice in lang and queues it to address: the whole text is
 * public, so it is also what a reader without a key gets. */
static enum kk_result send(const struct notice *n, const char *address, enum kk_lang lang, int to_finder,
			   int64_t report_id, const char *tid, struct kk_error *err)
{
	struct kk_buf text;
	const char *body;
	int64_t id = 0;
	enum kk_result res;

	kk_buf_init(&text, NOTICE_MAX);
	res = tmpl_advisory_published(&text, lang, to_finder ? tid : n->c->ref, n->a->public_id, title_in(n, lang),
				      n->url, to_finder);
	if (res)
		res = res == KK_ENOMEM ? kk_error_nomem(err)
				       : kk_error_set(err, KK_ETOOBIG, "%s", _("The notice could not be written."));
	else
		res = kk_outbox_queue_text(n->tx, to_finder ? "advisory_finder" : "advisory_published", address,
					   text.data, kk_lang_code(lang), report_id, n->c->id, &id, err);
	body = text.data ? strstr(text.data, "\n\n") : NULL;
	if (!res && body)
		res = kk_advisory_outbox_safe(n->tx, id, body + 2, err);
	kk_buf_release(&text);
	return res;
}

/* A row of kk_case_dates_parties: intake and the finders (the coordinator
 * published it, by the scheduler's hand, and sees it on the page). */
static enum kk_result tell_party(const struct kk_stmt *st, void *arg, struct kk_error *err)
{
	const struct notice *n = arg;
	const char *kind = kk_stmt_text(st, 0);
	enum kk_lang lang = KK_LANG_JA; /* staff: the organisation's language */
	int finder = !strcmp(kind, "finder");

	if (!strcmp(kind, "coordinator"))
		return KK_OK;
	if (finder && kk_lang_parse(kk_stmt_text(st, 2), &lang) != 0)
		lang = KK_LANG_JA;
	return send(n, kk_stmt_text(st, 1), lang, finder, kk_stmt_int(st, 3), kk_stmt_text(st, 4), err);
}

/* SPEC 2.11: every notified vendor, at its primary valid e-mail address. */
static enum kk_result tell_vendor(void *arg, const char *address, enum kk_lang lang, struct kk_error *err)
{
	return send(arg, address, lang, 0, 0, NULL, err);
}

static enum kk_result tell_vendors(const struct notice *n, struct kk_error *err)
{
	return kk_case_vendors_mail_each(n->tx, n->c->id, tell_vendor, (void *)n, err);
}

enum kk_result adv_tell_published(struct kk_flow_step *s, struct kk_error *err)
{
	const struct adv_object *o = s->object;
	json_t *content = adv_content_load(o->a->content, err);
	struct notice n = { s->tx, o->a, o->c, json_object_get(content, "texts"), NULL };
	char *url = NULL;
	enum kk_result res = content ? adv_id_url(s->tx, o->a->public_id, &url, err) : kk_error_result(err, KK_EDB);

	n.url = url;
	if (!res)
		res = tell_vendors(&n, err);
	if (!res)
		res = kk_case_dates_parties(s->tx, o->c->id, tell_party, &n, err);
	free(url);
	json_decref(content);
	return res;
}
