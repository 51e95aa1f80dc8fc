/*
 * report_mail.c: what the finder is told, in the finder's language: the
 * acknowledgement of a report (SPEC 2.1) and the triage decision (SPEC 2.2).
 * Only the text is made here; report_store.c queues it in the outbox in the
 * transaction of the change it reports.
 */
#include <stdio.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "report_internal.h"

/* Finders' messages have a cap well above what a report's fields can hold. */
#define BODY_MAX 65536

/* Hands the body over, or refuses it when any part could not be added. */
static enum kk_result finish(struct kk_buf *body, int bad, struct kk_finder_mail *out, struct kk_error *err)
{
	if (bad) {
		kk_buf_release(body);
		return kk_error_set(err, KK_ETOOBIG, "%s", _("The message to the finder could not be written."));
	}
	out->body = kk_buf_detach(body);
	return out->body ? KK_OK : kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
}

enum kk_result kk_report_mail_received(const struct kk_report *r, const char *base_url, const char *secret,
				       struct kk_finder_mail *out, struct kk_error *err)
{
	char when[KK_TIME_LEN];
	struct kk_buf body;
	int bad = 0;

	snprintf(out->subject, sizeof(out->subject), _("[%s] Your vulnerability report was received"),
		 r->tracking_id);
	kk_buf_init(&body, BODY_MAX);
	bad |= kk_buf_addf(&body, _("Dear %s,\n\nThank you for your report. We received it on %s.\n\n"),
			   r->finder.name, kk_time_format(r->received_at, when));
	bad |= kk_buf_addf(&body, _("Tracking number: %s\nSubject: %s\n\n"), r->tracking_id, r->summary);
	bad |= kk_buf_addf(&body, _("You can follow its progress here; keep this link to yourself:\n%s/r/%s\n\n"),
			   base_url ? base_url : "", secret);
	bad |= kk_buf_adds(&body, _("We will check the report and tell you whether it is accepted.\n"));
	return finish(&body, bad, out, err);
}

enum kk_result kk_report_mail_decision(const struct kk_report *r, struct kk_finder_mail *out,
				       struct kk_error *err)
{
	enum kk_lang saved = kk_i18n_current(), lang = KK_LANG_JA;
	char day[KK_DATE_LEN];
	struct kk_buf body;
	int bad = 0;

	kk_lang_parse(r->lang, &lang);
	kk_i18n_use(lang);
	kk_buf_init(&body, BODY_MAX);
	if (r->status == KK_REPORT_ACCEPTED) {
		snprintf(out->subject, sizeof(out->subject), _("[%s] Your vulnerability report was accepted"),
			 r->tracking_id);
		bad |= kk_buf_addf(&body, _("Dear %s,\n\nYour report %s was accepted on %s.\n"), r->finder.name,
				   r->tracking_id, kk_date_format(r->accepted_at, day));
		bad |= kk_buf_adds(&body, _("We will now work with the parties concerned and keep you informed.\n"));
	} else {
		snprintf(out->subject, sizeof(out->subject), _("[%s] Your vulnerability report was not accepted"),
			 r->tracking_id);
		bad |= kk_buf_addf(&body, _("Dear %s,\n\nYour report %s was not accepted.\nReason: %s\n"),
				   r->finder.name, r->tracking_id, kk_reject_reason_text(r->reject_reason));
	}
	if (r->decision_note)
		bad |= kk_buf_addf(&body, _("\nNote from the receiving organisation:\n%s\n"), r->decision_note);
	kk_i18n_use(saved);
	return finish(&body, bad, out, err);
}
