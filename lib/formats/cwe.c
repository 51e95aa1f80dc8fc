/*
 * cwe.c: reading the CWE catalogue (cwe.h): ids and their written form, one
 * entry, its name in the reader's language, the picker's search and which
 * releases were imported. The imports are in cwe_import.c.
 *
 * The catalogue is tables cwe and cwe_catalog (migration 2), reached through
 * the repository store/cwe_entries.c; it only changes through the imports, so
 * every function here reads in a read transaction of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "store/cwe_entries.h"

static const char *const kind_names[] = {
	[KK_CWE_WEAKNESS] = "weakness",
	[KK_CWE_CATEGORY] = "category",
	[KK_CWE_VIEW] = "view",
};

#define N_KINDS (sizeof(kind_names) / sizeof(kind_names[0]))

const char *kk_cwe_kind_name(enum kk_cwe_kind kind)
{
	return (unsigned)kind < N_KINDS ? kind_names[kind] : "weakness";
}

int kk_cwe_kind_parse(const char *s, enum kk_cwe_kind *out)
{
	for (unsigned i = 0; s && i < N_KINDS; i++) {
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum kk_cwe_kind)i;
			return 0;
		}
	}
	return -1;
}

void kk_cwe_release(struct kk_cwe *c)
{
	if (!c)
		return;
	free(c->name_en);
	free(c->name_ja);
	free(c->abstraction);
	free(c->status);
	free(c->description);
	memset(c, 0, sizeof(*c));
}

void kk_cwe_list_free(struct kk_cwe *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++)
		kk_cwe_release(&items[i]);
	free(items);
}

/* s as a message may show it: at most SHOWN_MAX bytes, cut at a character's
 * boundary, with control characters and bytes that are not UTF-8 as '?', so
 * the message stays whole, valid text (issue 7). */
#define SHOWN_MAX 40
static const char *shown(const char *s, char out[SHOWN_MAX + 1])
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && n < SHOWN_MAX;) {
		size_t len = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;

		if (len > 1 && (!kk_utf8_valid((const char *)p, len) || strnlen((const char *)p, len) < len))
			len = 0;
		if (len && n + len > SHOWN_MAX)
			break;
		if (len == 1 && (*p < 0x20 || *p == 0x7f))
			len = 0;
		if (!len) {
			out[n++] = '?';
			p++;
			continue;
		}
		memcpy(out + n, p, len);
		n += len;
		p += len;
	}
	out[n] = '\0';
	return out;
}

enum kk_result kk_cwe_parse_id(const char *s, int *id_out, struct kk_error *err)
{
	const char *p = s;
	char text[SHOWN_MAX + 1];
	size_t digits;
	int id = 0;

	if (kk_str_empty(s))
		return kk_error_set(err, KK_EINVAL, "%s", _("A CWE id is required, e.g. CWE-79."));
	if (strcasecmp(s, "NVD-CWE-Other") == 0 || strcasecmp(s, "NVD-CWE-noinfo") == 0)
		return kk_error_set(err, KK_EINVAL, _("%s is a placeholder of NVD's, not a CWE id."), shown(s, text));
	if (strncasecmp(p, "CWE-", 4) == 0)
		p += 4;
	if (*p == '\0')
		return kk_error_set(err, KK_EINVAL, _("CWE id \"%s\": a number must follow \"CWE-\"."), shown(s, text));
	digits = strspn(p, "0123456789");
	if (p[digits] != '\0') {
		size_t at = (size_t)(p - s) + digits;
		unsigned char c = (unsigned char)s[at];

		if (c > 0x20 && c < 0x7f)
			return kk_error_set(err, KK_EINVAL,
					    _("CWE id \"%s\": unexpected '%c' at position %zu; write CWE-79 or 79."),
					    shown(s, text), c, at + 1);
		return kk_error_set(err, KK_EINVAL,
				    _("CWE id \"%s\": unexpected character at position %zu; write CWE-79 or 79."),
				    shown(s, text), at + 1);
	}
	if (digits > 7)
		return kk_error_set(err, KK_EINVAL, _("CWE id \"%s\": more than 7 digits."), shown(s, text));
	if (p[0] == '0')
		return kk_error_set(err, KK_EINVAL,
				    digits == strspn(p, "0") ? _("CWE id \"%s\": there is no CWE-0.")
							     : _("CWE id \"%s\": no leading zeros, please."),
				    shown(s, text));
	for (size_t i = 0; i < digits; i++)
		id = id * 10 + (p[i] - '0');
	*id_out = id;
	return KK_OK;
}

char *kk_cwe_format_id(int id, char buf[KK_CWE_ID_LEN])
{
	snprintf(buf, KK_CWE_ID_LEN, "CWE-%d", id);
	return buf;
}

enum kk_result kk_cwe_get(struct kk_store *s, int id, struct kk_cwe *out, struct kk_error *err)
{
	struct kk_tx tx;
	char written[KK_CWE_ID_LEN];
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_cwe_entries_get(&tx, id, out, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, _("%s is not in the CWE catalogue."),
				   kk_cwe_format_id(id, written));
	return kk_tx_end(&tx, res, err);
}

const char *kk_cwe_name(const struct kk_cwe *c)
{
	if (kk_i18n_current() == KK_LANG_JA && !kk_str_empty(c->name_ja))
		return c->name_ja;
	return c->name_en;
}

enum kk_result kk_cwe_name_lookup(struct kk_store *s, int id, char **name_out, struct kk_error *err)
{
	struct kk_cwe c;
	enum kk_result res = kk_cwe_get(s, id, &c, err);

	*name_out = NULL;
	if (res)
		return res;
	*name_out = kk_strdup(kk_cwe_name(&c));
	kk_cwe_release(&c);
	if (!*name_out)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	return KK_OK;
}

enum kk_result kk_cwe_search(struct kk_store *s, const char *query, size_t limit, struct kk_cwe **items,
			     size_t *n, struct kk_error *err)
{
	struct kk_tx tx;
	struct kk_cwe *list = NULL;
	size_t count = 0;
	enum kk_result res;
	int id = 0;

	*items = NULL;
	*n = 0;
	if (kk_str_empty(query) || strlen(query) > KK_CWE_QUERY_MAX)
		return kk_error_set(err, KK_EINVAL, _("A search needs 1 to %d bytes of text."), KK_CWE_QUERY_MAX);
	if (limit < 1 || limit > 100)
		return kk_error_set(err, KK_EINVAL, "%s", _("A search returns 1 to 100 entries."));
	if (kk_cwe_parse_id(query, &id, NULL) != KK_OK)
		id = 0; /* no entry has id 0 */
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_cwe_entries_search(&tx, id, query, limit, &list, &count, err);
	res = kk_tx_end(&tx, res, err);
	if (res) {
		kk_cwe_list_free(list, count);
		return res;
	}
	*items = list;
	*n = count;
	return KK_OK;
}

void kk_cwe_catalog_release(struct kk_cwe_catalog *c)
{
	if (!c)
		return;
	free(c->version);
	free(c->released);
	free(c->ja_version);
	memset(c, 0, sizeof(*c));
}

enum kk_result kk_cwe_catalog_get(struct kk_store *s, struct kk_cwe_catalog *out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_cwe_entries_releases(&tx, out, err);
	if (!res)
		res = kk_cwe_entries_counts(&tx, out, err);
	res = kk_tx_end(&tx, res, err);
	if (res)
		kk_cwe_catalog_release(out);
	return res;
}

json_t *kk_cwe_to_json(const struct kk_cwe *c)
{
	char id[KK_CWE_ID_LEN];

	return json_pack("{s:s, s:i, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "id", kk_cwe_format_id(c->id, id),
			 "number", c->id, "kind", kk_cwe_kind_name(c->kind), "name", c->name_en, "name_ja",
			 c->name_ja, "name_local", kk_cwe_name(c), "abstraction", c->abstraction, "status",
			 c->status, "description", c->description);
}
