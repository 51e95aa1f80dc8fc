/*
 * tmpl_rt.c: the run-time half of the template compiler (scripts/tmplc.py);
 * the contracts are in tmpl_rt.h.
 *
 * Translations are looked up and escaped once per message and language, then
 * appended with one copy: a page with a hundred labels costs a hundred memcpy
 * calls, not a hundred gettext lookups. The caches are filled lock-free; two
 * threads racing on the same empty slot each build a copy and one is freed.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl_rt.h"

struct tmpl_str {
	size_t len;
	char data[];
};

static struct tmpl_str *tmpl_str_make(const char *msgid)
{
	struct kk_buf b;
	struct tmpl_str *s = NULL;

	kk_buf_init(&b, 1u << 20);
	if (kk_buf_add_html(&b, _(msgid)) != KK_OK)
		goto out;
	s = kk_malloc(sizeof(*s) + b.len + 1);
	if (!s)
		goto out;
	s->len = b.len;
	memcpy(s->data, b.data ? b.data : "", b.len);
	s->data[b.len] = '\0';
out:
	kk_buf_release(&b);
	return s;
}

enum kk_result tmpl_tr(struct kk_buf *o, struct tmpl_msg *m, enum kk_lang lang, const char *msgid)
{
	unsigned i = lang == KK_LANG_EN ? 1 : 0;
	struct tmpl_str *s = atomic_load_explicit(&m->lang[i], memory_order_acquire);

	if (!s) {
		struct tmpl_str *expected = NULL;

		s = tmpl_str_make(msgid);
		if (!s)
			return KK_ENOMEM;
		if (!atomic_compare_exchange_strong_explicit(&m->lang[i], &expected, s, memory_order_acq_rel,
							     memory_order_acquire)) {
			free(s);
			s = expected;
		}
	}
	return kk_buf_add(o, s->data, s->len);
}

enum kk_result tmpl_int(struct kk_buf *o, long long v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%lld", v);

	return kk_buf_add(o, num, (size_t)n);
}

enum kk_result tmpl_urlenc(struct kk_buf *o, const char *s)
{
	return s ? kk_buf_add_urlenc(o, s) : KK_OK;
}

enum kk_result tmpl_value(struct kk_buf *o, const char *s)
{
	static struct tmpl_msg none;
	enum kk_result res;

	if (s && *s)
		return kk_buf_add_html(o, s);
	res = kk_buf_adds(o, "<span class=\"none\">");
	if (res == KK_OK)
		res = tmpl_tr(o, &none, kk_i18n_current(), N_("not given"));
	if (res == KK_OK)
		res = kk_buf_adds(o, "</span>");
	return res;
}

enum kk_result tmpl_yesno(struct kk_buf *o, int v)
{
	static struct tmpl_msg yes, no, unset;
	enum kk_lang lang = kk_i18n_current();

	if (v > 0)
		return tmpl_tr(o, &yes, lang, N_("Yes"));
	if (v == 0)
		return tmpl_tr(o, &no, lang, N_("No"));
	return tmpl_tr(o, &unset, lang, N_("Not stated"));
}

const char *tmpl_field(const json_t *form, const char *name)
{
	const char *v = json_string_value(json_object_get(form, name));

	return v ? v : "";
}

const char *tmpl_checked(const json_t *form, const char *name, const char *value)
{
	return strcmp(tmpl_field(form, name), value) == 0 ? " checked" : "";
}

const char *tmpl_selected(const json_t *form, const char *name, const char *value)
{
	return strcmp(tmpl_field(form, name), value) == 0 ? " selected" : "";
}

const char *tmpl_checked_if(int on)
{
	return on ? " checked" : "";
}

const char *tmpl_selected_if(int on)
{
	return on ? " selected" : "";
}

const char *tmpl_current_if(int on)
{
	return on ? " aria-current=\"page\"" : "";
}

enum kk_result tmpl_field_attrs(struct kk_buf *o, const json_t *errors, const char *path, int has_help)
{
	int bad = json_object_get(errors, path) != NULL;
	enum kk_result res = KK_OK;

	if (!has_help && !bad)
		return KK_OK;
	res = kk_buf_adds(o, " aria-describedby=\"");
	if (res == KK_OK && has_help)
		res = kk_buf_add_html(o, path);
	if (res == KK_OK && has_help)
		res = kk_buf_adds(o, bad ? "-help " : "-help");
	if (res == KK_OK && bad)
		res = kk_buf_add_html(o, path);
	if (res == KK_OK && bad)
		res = kk_buf_adds(o, "-error\" aria-invalid=\"true");
	if (res == KK_OK)
		res = kk_buf_add(o, "\"", 1);
	return res;
}

static enum kk_result field_error(struct kk_buf *o, const char *path, const char *message)
{
	enum kk_result res;

	res = kk_buf_adds(o, "<p class=\"field-error\" id=\"");
	if (res == KK_OK)
		res = kk_buf_add_html(o, path);
	if (res == KK_OK)
		res = kk_buf_adds(o, "-error\" data-field=\"");
	if (res == KK_OK)
		res = kk_buf_add_html(o, path);
	if (res == KK_OK)
		res = kk_buf_adds(o, "\">");
	if (res == KK_OK)
		res = kk_buf_add_html(o, message);
	if (res == KK_OK)
		res = kk_buf_adds(o, "</p>\n");
	return res;
}

enum kk_result tmpl_field_error(struct kk_buf *o, const json_t *errors, const char *path)
{
	const char *message = json_string_value(json_object_get(errors, path));

	return message ? field_error(o, path, message) : KK_OK;
}

enum kk_result tmpl_field_errors_under(struct kk_buf *o, const json_t *errors, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *path;
	json_t *message;

	json_object_foreach((json_t *)errors, path, message) {
		const char *text = json_string_value(message);
		enum kk_result res;

		if (!text || strncmp(path, prefix, n) != 0 || (path[n] != '\0' && path[n] != '[' && path[n] != '.'))
			continue;
		res = field_error(o, path, text);
		if (res != KK_OK)
			return res;
	}
	return KK_OK;
}
