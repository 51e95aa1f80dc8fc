/*
 * internal.h: what report.c, report/store.c, report/mail.c and the
 * reports repository share inside the core.
 */
#ifndef KEIKAI_REPORT_INTERNAL_H
#define KEIKAI_REPORT_INTERNAL_H

#include "keikai/clock.h"
#include "keikai/report.h"

/* A message to the finder: subject and body (the caller frees body). */
struct kk_finder_mail {
	char subject[256];
	char *body;
};

/* The language the finder wrote in (r->lang; Japanese when unreadable). */
enum kk_lang kk_report_finder_lang(const struct kk_report *r);
/* The finder's time zone (Asia/Tokyo: a report does not say). */
const struct kk_zone *kk_report_finder_zone(const struct kk_report *r);

/* The finder's messages (templates/mail/), written in lang, times in zone (NULL:
 * Asia/Tokyo) and in lang's readable form; the thread's language is unchanged.
 * On success out->body is a string the caller frees; on failure it is NULL and
 * err says why. */
/* SPEC 2.1: the acknowledgement of r, with the link to the finder's status page
 * under base_url. */
enum kk_result kk_report_mail_received(const struct kk_report *r, enum kk_lang lang, const struct kk_zone *zone,
				       const char *base_url, const char *secret, struct kk_finder_mail *out,
				       struct kk_error *err);
/* SPEC 2.2: the decision on r (accepted on r->accepted_at, or rejected with the
 * reason), with the receiving organisation's note when there is one. */
enum kk_result kk_report_mail_decision(const struct kk_report *r, enum kk_lang lang, const struct kk_zone *zone,
				       struct kk_finder_mail *out, struct kk_error *err);

/* Queues m for the finder of r inside tx, as `kind`; releases the mail's body. */
enum kk_result kk_report_queue_to_finder(struct kk_tx *tx, const struct kk_report *r, const char *kind,
					 struct kk_finder_mail *m, struct kk_error *err);

/* The "impact" object of a report's JSON. */
json_t *kk_impact_json(const struct kk_report *r);


#endif
