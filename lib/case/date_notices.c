/*
 * date_notices.c: who is told what when a case's publication date changes
 * (issue 10; SPEC 2.8, 2.9, G IV.4.4): a date set or moved goes to every
 * notified vendor, the receiving organisation (every intake user) and the
 * case's finders (the date only); the date reached to the coordinator and
 * intake; publication called off to the vendors and intake, and to the finders
 * (with reason (オ), that handling ends). Each notice is queued in the change's
 * transaction, in the reader's language, without anything of the
 * vulnerability (templates/mail/date_notice.txt).
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "date.h"
#include "internal.h"
#include "mail_templates.h"
#include "store/case_dates.h"
#include "vendor_status.h"

#define NOTICE_MAX (64 * 1024)

/* One event's notice, written anew for each reader's language. */
struct notice {
	struct kk_tx *tx;
	const struct kk_case *c;
	const char *event;
	const struct case_date_input *in;
	const char *base_url;
};

/* Writes the notice in lang for a reader (to_finder: the finder of report
 * tid) and queues it to address. */
static enum kk_result send(const struct notice *n, const char *address, enum kk_lang lang, int to_finder,
			   int64_t report_id, const char *tid, struct kk_error *err)
{
	enum kk_lang was = kk_i18n_current();
	char date[KK_TIME_TEXT_LEN] = "", old[KK_TIME_TEXT_LEN] = "";
	const char *why = n->in->reason ? n->in->reason : "";
	struct kk_buf text;
	enum kk_result res;

	kk_i18n_use(lang);
	if (n->in->at)
		kk_time_text(n->in->at, lang, NULL, date);
	if (n->in->old_at && n->in->old_at != n->in->at)
		kk_time_text(n->in->old_at, lang, NULL, old);
	if (!strcmp(n->event, "call_off"))
		why = kk_case_call_off_label(n->in->reason);
	kk_buf_init(&text, NOTICE_MAX);
	res = tmpl_date_notice(&text, lang, to_finder ? tid : n->c->ref, n->event, date, old, why ? why : "",
			       n->in->note ? n->in->note : "", to_finder,
			       !strcmp(n->event, "call_off") && n->in->reason && !strcmp(n->in->reason, "e"),
			       n->base_url);
	kk_i18n_use(was);
	if (res)
		res = res == KK_ENOMEM ? kk_error_nomem(err)
				       : kk_error_set(err, KK_ETOOBIG, "%s", _("The notice could not be written."));
	else
		res = kk_outbox_queue_text(n->tx, to_finder ? "date_finder" : "date_notice", address, text.data,
					   kk_lang_code(lang), report_id, n->c->id, NULL, err);
	kk_buf_release(&text);
	return res;
}

/* A row of kk_case_dates_parties: whether this event is for that kind of
 * party, and if so its notice. */
static enum kk_result tell_party(const struct kk_stmt *st, void *arg, struct kk_error *err)
{
	const struct notice *n = arg;
	const char *kind = kk_stmt_text(st, 0);
	enum kk_lang lang = KK_LANG_JA; /* staff: the organisation's language */
	int finder = !strcmp(kind, "finder");

	/* the date reached is staff's business; the coordinator hears of
	 * changes it made itself only through the page */
	if (!strcmp(n->event, "reach") ? finder : !strcmp(kind, "coordinator"))
		return KK_OK;
	if (finder && kk_lang_parse(kk_stmt_text(st, 2), &lang) != 0)
		lang = KK_LANG_JA;
	return send(n, kk_stmt_text(st, 1), lang, finder, kk_stmt_int(st, 3), kk_stmt_text(st, 4), err);
}

/* Every notified vendor, at its primary valid e-mail address, in its language. */
static enum kk_result tell_vendor(void *arg, const char *address, enum kk_lang lang, struct kk_error *err)
{
	return send(arg, address, lang, 0, 0, NULL, err);
}

static enum kk_result tell_vendors(const struct notice *n, struct kk_error *err)
{
	return kk_case_vendors_mail_each(n->tx, n->c->id, tell_vendor, (void *)n, err);
}

enum kk_result case_date_tell(struct kk_flow_step *s, struct kk_error *err)
{
	struct notice n = { s->tx, s->object, s->t->event, s->input, NULL };
	char *base = NULL;
	enum kk_result res = kk_setting_read(s->tx, "base_url", "", &base, err);

	n.base_url = base;
	/* SPEC 2.8, G IV.4.4: a change of the date and a call-off reach every vendor */
	if (!res && strcmp(n.event, "reach") != 0)
		res = tell_vendors(&n, err);
	if (!res)
		res = kk_case_dates_parties(s->tx, n.c->id, tell_party, &n, err);
	free(base);
	return res;
}
