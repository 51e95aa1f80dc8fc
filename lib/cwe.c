/*
 * cwe.c: reading the CWE catalogue (cwe.h): ids and their written form, one
 * entry, its name in the reader's language, the picker's search and which
 * releases were imported. The imports are in cwe_import.c.
 *
 * The catalogue is table cwe (migration 2); it only changes through the imports,
 * so every function here reads in a read transaction of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

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

enum kk_result kk_cwe_parse_id(const char *s, int *id_out, struct kk_error *err)
{
	const char *p = s;
	size_t digits;
	int id = 0;

	if (kk_str_empty(s))
		return kk_error_set(err, KK_EINVAL, "%s", _("A CWE id is required, e.g. CWE-79."));
	if (strcasecmp(s, "NVD-CWE-Other") == 0 || strcasecmp(s, "NVD-CWE-noinfo") == 0)
		return kk_error_set(err, KK_EINVAL, _("%s is a placeholder of NVD's, not a CWE id."), s);
	if (strncasecmp(p, "CWE-", 4) == 0)
		p += 4;
	if (*p == '\0')
		return kk_error_set(err, KK_EINVAL, _("CWE id \"%.40s\": a number must follow \"CWE-\"."), s);
	digits = strspn(p, "0123456789");
	if (p[digits] != '\0') {
		size_t at = (size_t)(p - s) + digits;
		unsigned char c = (unsigned char)s[at];

		if (c > 0x20 && c < 0x7f)
			return kk_error_set(err, KK_EINVAL,
					    _("CWE id \"%.40s\": unexpected '%c' at position %zu; write CWE-79 or 79."),
					    s, c, at + 1);
		return kk_error_set(err, KK_EINVAL,
				    _("CWE id \"%.40s\": unexpected character at position %zu; write CWE-79 or 79."), s,
				    at + 1);
	}
	if (digits > 7)
		return kk_error_set(err, KK_EINVAL, _("CWE id \"%.40s\": more than 7 digits."), s);
	if (p[0] == '0')
		return kk_error_set(err, KK_EINVAL,
				    digits == strspn(p, "0") ? _("CWE id \"%.40s\": there is no CWE-0.")
							     : _("CWE id \"%.40s\": no leading zeros, please."),
				    s);
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

#define CWE_COLUMNS "id, kind, name_en, name_ja, abstraction, status, description"

static void read_row(sqlite3_stmt *st, struct kk_cwe *c)
{
	c->id = sqlite3_column_int(st, 0);
	if (kk_cwe_kind_parse((const char *)sqlite3_column_text(st, 1), &c->kind) != 0)
		c->kind = KK_CWE_WEAKNESS;
	c->name_en = kk_column_dup(st, 2);
	c->name_ja = kk_column_dup(st, 3);
	c->abstraction = kk_column_dup(st, 4);
	c->status = kk_column_dup(st, 5);
	c->description = kk_column_dup(st, 6);
}

/* 1 when every string the row holds was copied. */
static int row_complete(sqlite3_stmt *st, const struct kk_cwe *c)
{
	const char *const copies[] = { c->name_en, c->name_ja, c->abstraction, c->status, c->description };

	for (int i = 0; i < 5; i++)
		if (!copies[i] && sqlite3_column_type(st, i + 2) != SQLITE_NULL)
			return 0;
	return 1;
}

enum kk_result kk_cwe_get(struct kk_store *s, int id, struct kk_cwe *out, struct kk_error *err)
{
	struct kk_tx tx;
	sqlite3_stmt *st;
	char written[KK_CWE_ID_LEN];
	enum kk_result res;
	int rc;

	memset(out, 0, sizeof(*out));
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	st = kk_tx_prepare(&tx, "SELECT " CWE_COLUMNS " FROM cwe WHERE id = ?", err);
	if (!st) {
		res = KK_EDB;
		goto out;
	}
	sqlite3_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_row(st, out);
		if (!row_complete(st, out)) {
			kk_cwe_release(out);
			res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
		}
	} else if (rc == SQLITE_DONE) {
		res = kk_error_set(err, KK_ENOTFOUND, _("%s is not in the CWE catalogue."),
				   kk_cwe_format_id(id, written));
	} else {
		res = kk_db_error(tx.db, err);
	}
	sqlite3_finalize(st);
out:
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
	sqlite3_stmt *st;
	struct kk_cwe *list = NULL;
	size_t count = 0;
	enum kk_result res;
	int id = 0, rc;

	*items = NULL;
	*n = 0;
	if (kk_str_empty(query) || strlen(query) > KK_CWE_QUERY_MAX)
		return kk_error_set(err, KK_EINVAL, _("A search needs 1 to %d bytes of text."), KK_CWE_QUERY_MAX);
	if (limit < 1 || limit > 100)
		return kk_error_set(err, KK_EINVAL, "%s", _("A search returns 1 to 100 entries."));
	if (kk_cwe_parse_id(query, &id, NULL) != KK_OK)
		id = 0; /* no entry has id 0 */
	list = calloc(limit, sizeof(*list));
	if (!list)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	res = kk_tx_begin(s, 0, &tx, err);
	if (res) {
		free(list);
		return res;
	}
	st = kk_tx_prepare(&tx,
			   "SELECT " CWE_COLUMNS " FROM cwe"
			   " WHERE id = ?1 OR instr(lower(name_en), lower(?2)) > 0 OR instr(name_ja, ?2) > 0"
			   " ORDER BY id = ?1 DESC, kind = 'weakness' DESC, kind = 'category' DESC,"
			   "  coalesce(status IN ('Deprecated', 'Obsolete'), 0), id"
			   " LIMIT ?3",
			   err);
	if (!st) {
		res = KK_EDB;
		goto out;
	}
	sqlite3_bind_int(st, 1, id);
	sqlite3_bind_text(st, 2, query, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && count < limit) {
		read_row(st, &list[count]);
		if (!row_complete(st, &list[count++])) {
			res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
			break;
		}
	}
	if (!res && rc != SQLITE_DONE && rc != SQLITE_ROW)
		res = kk_db_error(tx.db, err);
	sqlite3_finalize(st);
out:
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

/* Fills the release columns of out from table cwe_catalog. */
static enum kk_result read_releases(struct kk_tx *tx, struct kk_cwe_catalog *out, struct kk_error *err)
{
	sqlite3_stmt *st = kk_tx_prepare(tx, "SELECT source, version, released, imported_at FROM cwe_catalog", err);
	enum kk_result res = KK_OK;
	int rc;

	if (!st)
		return KK_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *source = (const char *)sqlite3_column_text(st, 0);

		if (source && strcmp(source, "mitre") == 0) {
			out->version = kk_column_dup(st, 1);
			out->released = kk_column_dup(st, 2);
			out->imported_at = sqlite3_column_int64(st, 3);
		} else if (source && strcmp(source, "ja") == 0) {
			out->ja_version = kk_column_dup(st, 1);
			out->ja_imported_at = sqlite3_column_int64(st, 3);
		}
	}
	if (rc != SQLITE_DONE)
		res = kk_db_error(tx->db, err);
	sqlite3_finalize(st);
	return res;
}

/* Fills the counts of out from table cwe. */
static enum kk_result read_counts(struct kk_tx *tx, struct kk_cwe_catalog *out, struct kk_error *err)
{
	sqlite3_stmt *st = kk_tx_prepare(tx,
					 "SELECT kind, count(*), count(name_ja) FROM cwe GROUP BY kind", err);
	enum kk_result res = KK_OK;
	enum kk_cwe_kind kind;
	int rc;

	if (!st)
		return KK_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t count = (size_t)sqlite3_column_int64(st, 1);

		out->named_ja += (size_t)sqlite3_column_int64(st, 2);
		if (kk_cwe_kind_parse((const char *)sqlite3_column_text(st, 0), &kind) != 0)
			continue;
		if (kind == KK_CWE_WEAKNESS)
			out->weaknesses = count;
		else if (kind == KK_CWE_CATEGORY)
			out->categories = count;
		else
			out->views = count;
	}
	if (rc != SQLITE_DONE)
		res = kk_db_error(tx->db, err);
	sqlite3_finalize(st);
	return res;
}

enum kk_result kk_cwe_catalog_get(struct kk_store *s, struct kk_cwe_catalog *out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = read_releases(&tx, out, err);
	if (!res)
		res = read_counts(&tx, out, err);
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
