/*
 * fields.c: checking the members of a request body that the case modules share
 * (internal.h). Each check records its fault as a field error with the
 * member's name, in the user's language, and never stops: the caller collects
 * every fault and answers KK_EINVAL once (the 400 contract, docs/api/cases.md).
 */
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/util.h"
#include "internal.h"

int case_only_members(const json_t *body, const char *const *allowed, struct kk_error *err)
{
	const char *key;
	json_t *v;
	int ok = 1;

	if (!json_is_object(body)) {
		kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
		return 0;
	}
	json_object_foreach((json_t *)body, key, v) {
		size_t i = 0;

		while (allowed[i] && strcmp(allowed[i], key) != 0)
			i++;
		if (!allowed[i]) {
			kk_error_field(err, key, "%s", _("Not a member of this request."));
			ok = 0;
		}
	}
	return ok;
}

/* 1 when s holds nothing but spaces (ASCII or the ideographic space). */
static int blank(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || !strncmp(s, "\xe3\x80\x80", 3))
		s += *s == '\xe3' ? 3 : 1;
	return *s == '\0';
}

const char *case_text(const json_t *body, const char *name, int required, size_t max, int multiline,
		      struct kk_error *err)
{
	const json_t *v = json_object_get(body, name);
	const char *s;

	if (!v || json_is_null(v)) {
		if (required)
			kk_error_field(err, name, "%s", _("Required."));
		return NULL;
	}
	if (!json_is_string(v)) {
		kk_error_field(err, name, "%s", _("Must be text."));
		return NULL;
	}
	s = json_string_value(v);
	if (required && blank(s)) {
		kk_error_field(err, name, "%s", _("Required."));
		return NULL;
	}
	if (kk_has_control(s, multiline)) {
		kk_error_field(err, name, "%s",
			       multiline ? _("Must not contain control characters.")
					 : _("Must be one line without control characters."));
		return NULL;
	}
	if ((multiline ? strlen(s) : kk_utf8_len(s)) > max) {
		kk_error_field(err, name, multiline ? _("At most %zu bytes.") : _("At most %zu characters."), max);
		return NULL;
	}
	return s;
}

int case_vuln_number(const json_t *body, struct kk_error *err)
{
	const json_t *num = json_object_get(body, "vulnerability");

	if (!json_is_integer(num) || json_integer_value(num) < 1 || json_integer_value(num) > KK_CASE_VULNS_MAX) {
		kk_error_field(err, "vulnerability", "%s", _("Must be the number of a vulnerability of the case."));
		return 0;
	}
	return (int)json_integer_value(num);
}
