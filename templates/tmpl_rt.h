/*
 * tmpl_rt.h: what the compiled templates call (see scripts/tmplc.py for the
 * template syntax): escaped, raw and integer output, translations cached per
 * language, and small readers for form values, field errors and JSON.
 *
 * Every writer appends to a struct kk_buf and returns the kk_buf result, so a
 * template stops at the first failed append (TMPL_TRY). Strings may be NULL,
 * which prints nothing.
 *
 * A comment ending in tmplc:safe before a declaration tells scripts/tmplc.py that
 * the function's result may go to a page unescaped (<?raw f(...) ?>): it is
 * safe HTML whatever the arguments, e.g. one of a few literals. Mark nothing
 * else: every other value goes through <?= ?>.
 */
#ifndef KEIKAI_TMPL_RT_H
#define KEIKAI_TMPL_RT_H

#include <jansson.h>
#include <stdatomic.h>

#include "keikai/i18n.h"
#include "keikai/util.h"

/* Used inside a template function: ends it with the result of expr on failure. */
#define TMPL_TRY(expr)                                   \
	do {                                             \
		if ((tmpl_res = (expr)) != KK_OK)        \
			goto tmpl_out;                   \
	} while (0)

struct tmpl_str;

/* The cache of one <?_ "msgid" ?>: its escaped translation per language, made
 * on first use and kept for the life of the process. Zero-initialised. */
struct tmpl_msg {
	struct tmpl_str *_Atomic lang[2];
};

/* Appends the HTML-escaped translation of msgid into lang (cached in *m). */
enum kk_result tmpl_tr(struct kk_buf *o, struct tmpl_msg *m, enum kk_lang lang, const char *msgid);

static inline enum kk_result tmpl_html(struct kk_buf *o, const char *s)
{
	return s ? kk_buf_add_html(o, s) : KK_OK;
}

static inline enum kk_result tmpl_raw(struct kk_buf *o, const char *s)
{
	return s ? kk_buf_adds(o, s) : KK_OK;
}

enum kk_result tmpl_int(struct kk_buf *o, long long v);
/* s percent-encoded as one URL path segment or query value (HTML-safe too). */
enum kk_result tmpl_urlenc(struct kk_buf *o, const char *s);
/* s escaped, or a translated "not given" when s is NULL or empty. */
enum kk_result tmpl_value(struct kk_buf *o, const char *s);
/* "Yes", "No" or "Not stated" (v < 0), translated. */
enum kk_result tmpl_yesno(struct kk_buf *o, int v);

/* ---- forms: form is an object of field name -> string, errors of path -> message */

/* The submitted value of a field, or "" (never NULL). form may be NULL. */
const char *tmpl_field(const json_t *form, const char *name);
/* " checked" when the field's value is value, else "". tmplc:safe */
const char *tmpl_checked(const json_t *form, const char *name, const char *value);
/* " selected" when the field's value is value, else "". tmplc:safe */
const char *tmpl_selected(const json_t *form, const char *name, const char *value);
/* " checked" when on, else "". tmplc:safe */
const char *tmpl_checked_if(int on);
/* " selected" when on, else "". tmplc:safe */
const char *tmpl_selected_if(int on);
/* " aria-current=\"page\"" when on (a link to the page shown), else "". tmplc:safe */
const char *tmpl_current_if(int on);
/* Attributes for a field's input: aria-describedby (its help "PATH-help" when
 * has_help, its error "PATH-error" when it has one) and aria-invalid. The
 * values are HTML-escaped. */
enum kk_result tmpl_field_attrs(struct kk_buf *o, const json_t *errors, const char *path, int has_help);
/* <p class="field-error" id="PATH-error" data-field="PATH">message</p> when path has an error. */
enum kk_result tmpl_field_error(struct kk_buf *o, const json_t *errors, const char *path);
/* The same for every error whose path is prefix or starts with prefix[ or prefix. */
enum kk_result tmpl_field_errors_under(struct kk_buf *o, const json_t *errors, const char *prefix);

#endif
