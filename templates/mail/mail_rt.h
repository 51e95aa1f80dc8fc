/*
 * mail_rt.h: what the compiled mail templates (templates/mail/NAME.txt, compiled
 * by scripts/tmplc.py --text into mail_templates.h) call and are given. Mail is
 * plain text: values are appended as they are, never HTML-escaped; a template
 * writes in the language it is passed (tmplc switches the thread to it).
 *
 * Every writer appends to a struct kk_buf and returns the kk_buf result, so a
 * template stops at the first failed append (TMPL_TRY). Strings may be NULL,
 * which prints nothing. <?raw ?> takes only string literals here: no helper is
 * marked tmplc:safe.
 */
#ifndef KEIKAI_MAIL_RT_H
#define KEIKAI_MAIL_RT_H

#include <stdio.h>

#include "keikai/i18n.h"
#include "keikai/report.h"
#include "keikai/util.h"

/* Used inside a template function: ends it with the result of expr on failure. */
#define TMPL_TRY(expr)                                   \
	do {                                             \
		if ((tmpl_res = (expr)) != KK_OK)        \
			goto tmpl_out;                   \
	} while (0)

static inline enum kk_result tmpl_text(struct kk_buf *o, const char *s)
{
	return s ? kk_buf_adds(o, s) : KK_OK;
}

static inline enum kk_result tmpl_raw(struct kk_buf *o, const char *s)
{
	return s ? kk_buf_adds(o, s) : KK_OK;
}

static inline enum kk_result tmpl_int(struct kk_buf *o, long long v)
{
	return kk_buf_addf(o, "%lld", v);
}

#endif
