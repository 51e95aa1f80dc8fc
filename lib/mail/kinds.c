/*
 * kinds.c: every kind of message keikai queues in the outbox (issue 11 item
 * 2; SPEC 1): who reads it, the generic phrase its subject carries in clear,
 * and the content-free notice sent in its place when the reader has no usable
 * OpenPGP key. The subject in clear is "[REF] " and the phrase, never the
 * stored subject, because a case's title is confidential. A kind missing here
 * cannot be composed (compose.c says so), and tests/unit/test_mail_compose.c
 * checks that every kind passed to kk_outbox_queue* in lib/ is here.
 */
#include <string.h>

#include "keikai/i18n.h"
#include "compose_internal.h"
#include "mail_templates.h"

const struct kk_mail_kind kk_mail_kinds[] = {
	/* SPEC 2.1, 2.2: the finder's acknowledgement and the triage decision */
	{ "acknowledgement", KK_MAIL_FINDER, N_("Your vulnerability report was received"), KK_NOTICE_FINDER, 0 },
	{ "decision", KK_MAIL_FINDER, N_("A decision on your vulnerability report"), KK_NOTICE_FINDER, 0 },
	/* SPEC 2.6: the summary notice to a vendor, and again to a silent one */
	{ "case_summary", KK_MAIL_VENDOR, N_("Vulnerability notice"), KK_NOTICE_PARTY, 0 },
	{ "case_reminder", KK_MAIL_VENDOR, N_("Reminder: vulnerability notice"), KK_NOTICE_PARTY, 0 },
	/* SPEC 2.13: a new message in a thread (to a finder when it names the report) */
	{ "case_message", KK_MAIL_VENDOR, N_("A new message"), KK_NOTICE_PARTY, 0 },
	/* SPEC 2.8, 2.9: the publication date, to vendors and staff, to finders */
	{ "date_notice", KK_MAIL_VENDOR, N_("About the publication date"), KK_NOTICE_PARTY, 0 },
	{ "date_finder", KK_MAIL_FINDER, N_("About the publication date"), KK_NOTICE_FINDER, 0 },
	{ "date_reminder", KK_MAIL_VENDOR, N_("Reminder: the publication date"), KK_NOTICE_PARTY, 0 },
	/* SPEC 2.12: lifting non-disclosure */
	{ "lift_answer", KK_MAIL_FINDER, N_("Answer to your request to lift non-disclosure"), KK_NOTICE_FINDER, 0 },
	{ "lift_reminder", KK_MAIL_FINDER, N_("You may ask to lift non-disclosure"), KK_NOTICE_FINDER, 0 },
	/* SPEC 2.10: priority provision */
	{ "provision_notice", KK_MAIL_RECIPIENT, N_("Information provided with priority"), KK_NOTICE_PROVISION, 0 },
	/* issue 12, SPEC 2.11, 6, G IV.4.9: an advisory published on its date, to the vendors
	 * and intake, and to the finders (lib/advisory/notices.c); its whole text is public */
	{ "advisory_published", KK_MAIL_VENDOR, N_("Advisory published"), KK_NOTICE_PARTY, 0 },
	{ "advisory_finder", KK_MAIL_FINDER, N_("Advisory published"), KK_NOTICE_FINDER, 0 },
	/* SPEC 8: the clocks' alerts, in Japanese and English at once (schedule/alert.c) */
	{ "staff_alert", KK_MAIL_STAFF, N_("Reminder"), KK_NOTICE_PARTY, 1 },
};
const size_t kk_mail_n_kinds = sizeof(kk_mail_kinds) / sizeof(kk_mail_kinds[0]);

const struct kk_mail_kind *kk_mail_kind_find(const char *name)
{
	for (size_t i = 0; name && i < kk_mail_n_kinds; i++)
		if (!strcmp(kk_mail_kinds[i].name, name))
			return &kk_mail_kinds[i];
	return NULL;
}

/* One language's notice. */
static enum kk_result notice_one(struct kk_buf *o, const struct kk_mail_kind *k, enum kk_lang lang, const char *ref,
				 const char *url, int to_finder)
{
	if (to_finder)
		return tmpl_notice_finder(o, lang, ref);
	if (k->notice == KK_NOTICE_PROVISION)
		return tmpl_notice_provision(o, lang, url);
	return tmpl_notice_party(o, lang, ref, url);
}

enum kk_result kk_mail_notice_write(struct kk_buf *o, const struct kk_mail_kind *k, enum kk_lang lang,
				    const char *ref, const char *url, int to_finder)
{
	enum kk_result res;

	if (!k->bilingual)
		return notice_one(o, k, lang, ref, url, to_finder);
	/* staff alerts: keikai does not know which language its staff read */
	res = notice_one(o, k, KK_LANG_JA, ref, url, to_finder);
	if (!res)
		res = kk_buf_adds(o, "\n----------------------------------------\n\n");
	if (!res)
		res = notice_one(o, k, KK_LANG_EN, ref, url, to_finder);
	return res;
}
