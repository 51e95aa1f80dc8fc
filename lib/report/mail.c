/*
 * mail.c: what the finder is told: the acknowledgement of a report
 * (SPEC 2.1) and the triage decision (SPEC 2.2). The words are in the mail
 * templates templates/mail/report_received.txt and report_decision.txt (compiled
 * by scripts/tmplc.py --text, translated through po/ja.po like the pages); here
 * the times are written for the finder (in the finder's zone and language) and
 * what a template wrote is split into subject and body.
 *
 * The language is always the caller's explicit choice, never the thread's: a
 * decision taken by Japanese-speaking staff still reaches a finder who wrote in
 * English in English. The thread's language is left as it was.
 *
 * Only the text is made here; report/store.c and the report flow queue it in the
 * outbox in the transaction of the change it reports.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "mail_templates.h"
#include "internal.h"

/* Finders' messages have a cap well above what a report's fields can hold. */
#define MAIL_MAX 65536
/* Issue 7: the longest decision note the validator accepts (report.h), with room
 * for the rest (the words in either language, a name of 200 characters, the
 * subject), always fits, so an accepted note always reaches the finder. */
_Static_assert(KK_DECISION_NOTE_MAX_BYTES + 16384 <= MAIL_MAX, "an accepted decision note must fit in its message");

enum kk_lang kk_report_finder_lang(const struct kk_report *r)
{
	enum kk_lang lang = KK_LANG_JA;

	if (kk_lang_parse(r->lang, &lang) != 0)
		lang = KK_LANG_JA;
	return lang;
}

const struct kk_zone *kk_report_finder_zone(const struct kk_report *r)
{
	(void)r;
	/* A report does not say where the finder lives: Japan's time, the
	 * guideline's calendar (SPEC 8). */
	return &kk_zone_tokyo;
}

/*
 * Hands over what a mail template wrote in text (its result res): the first
 * line is the subject, then comes a blank line, then the body. Releases text.
 */
static enum kk_result finish(struct kk_buf *text, enum kk_result res, struct kk_finder_mail *out,
			     struct kk_error *err)
{
	const char *nl;
	size_t n;
	char *all;

	out->subject[0] = '\0';
	out->body = NULL;
	if (res != KK_OK) {
		kk_buf_release(text);
		if (res == KK_ENOMEM)
			return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
		return kk_error_set(err, KK_ETOOBIG, "%s", _("The message to the finder could not be written."));
	}
	all = kk_buf_detach(text);
	if (!all)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	nl = strchr(all, '\n');
	n = nl ? (size_t)(nl - all) : 0;
	if (!nl || n == 0 || n >= sizeof(out->subject) || nl[1] != '\n') {
		free(all);
		return kk_error_set(err, KK_ETOOBIG, "%s",
				    _("The message to the finder has no subject line, or one too long."));
	}
	memcpy(out->subject, all, n);
	out->subject[n] = '\0';
	memmove(all, nl + 2, strlen(nl + 2) + 1);
	out->body = all;
	return KK_OK;
}

enum kk_result kk_report_mail_received(const struct kk_report *r, enum kk_lang lang, const struct kk_zone *zone,
				       const char *base_url, const char *secret, struct kk_finder_mail *out,
				       struct kk_error *err)
{
	char received[KK_TIME_TEXT_LEN];
	struct kk_buf text;
	enum kk_result res;

	kk_buf_init(&text, MAIL_MAX);
	kk_time_text(r->received_at, lang, zone, received);
	res = tmpl_report_received(&text, lang, r, received, base_url ? base_url : "", secret);
	return finish(&text, res, out, err);
}

enum kk_result kk_report_mail_decision(const struct kk_report *r, enum kk_lang lang, const struct kk_zone *zone,
				       struct kk_finder_mail *out, struct kk_error *err)
{
	char accepted[KK_TIME_TEXT_LEN];
	struct kk_buf text;
	enum kk_result res;

	kk_buf_init(&text, MAIL_MAX);
	kk_time_text(r->accepted_at, lang, zone, accepted);
	res = tmpl_report_decision(&text, lang, r, accepted);
	return finish(&text, res, out, err);
}
