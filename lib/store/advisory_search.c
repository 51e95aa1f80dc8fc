/*
 * advisory_search.c: the repository of the advisory search index
 * (advisory_search.h; issue 12 item 6, migration 14): the entries, what they
 * are made of, and the page's advisories. What goes into an entry and what a
 * query asks is lib/advisory/search*.c's; running a search is
 * advisory_search_run.c's.
 *
 * The text index is the one thing the engines do differently. Both keep the
 * text in advisory_text (k, body, short). On SQLite the FTS5 table
 * advisory_fts indexes it as external content (rowid = k): written here with
 * every change, told the old values of a row it is to forget, rebuilt in one
 * pass after a rebuild's deferred puts. On PostgreSQL pg_trgm's GIN indexes
 * are on the table itself and follow it. The rest is the shared dialect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/portal.h"
#include "keikai/util.h"
#include "advisory_search.h"
#include "rows.h"

/* The longest statement this file writes. */
#define SQL_MAX 8192

static int on_pg(struct kk_tx *tx)
{
	return strcmp(kk_store_engine(tx->store), "postgresql") == 0;
}

/* ---- entries ---- */

void kk_search_facet_token(struct kk_buf *b, const char *kind, const char *value)
{
	static const char hex[] = "0123456789abcdef";

	kk_buf_adds(b, "\xee\x80\x80"); /* U+E000 */
	for (int part = 0; part < 3; part++)
		for (const unsigned char *p = (const unsigned char *)(part == 0 ? kind : part == 1 ? "=" : value); *p; p++)
			kk_buf_add(b, (char[]){ hex[*p >> 4], hex[*p & 15] }, 2);
}

/* The kinds of facet with few values, and the values of severity: what
 * kk_search_facet_code numbers. */
static const char *const coded_kinds[] = { "severity", "cwe" };
static const char *const severities[] = { "none", "low", "medium", "high", "critical" };
#define CODE_VALUE_MAX 0xffff

/* Appends code point c (U+0800 to U+FFFF) as UTF-8. */
static void add_bmp(struct kk_buf *b, unsigned c)
{
	kk_buf_add(b, (char[]){ (char)(0xe0 | (c >> 12)), (char)(0x80 | ((c >> 6) & 0x3f)), (char)(0x80 | (c & 0x3f)) },
		   3);
}

int kk_search_facet_code(struct kk_buf *b, const char *kind, const char *value)
{
	size_t kind_i = sizeof(coded_kinds) / sizeof(coded_kinds[0]);
	long v = -1;

	for (size_t i = 0; i < sizeof(coded_kinds) / sizeof(coded_kinds[0]); i++)
		if (strcmp(kind, coded_kinds[i]) == 0)
			kind_i = i;
	if (kind_i == 0) {
		for (size_t i = 0; i < sizeof(severities) / sizeof(severities[0]); i++)
			if (strcmp(value, severities[i]) == 0)
				v = (long)i;
	} else if (kind_i == 1 && value[0] >= '1' && value[0] <= '9' && strlen(value) <= 5 &&
		   strspn(value, "0123456789") == strlen(value)) {
		v = strtol(value, NULL, 10);
	}
	if (v < 0 || v > CODE_VALUE_MAX)
		return 0;
	if (b) {
		add_bmp(b, 0xe100 + (unsigned)kind_i);
		add_bmp(b, 0xe200 + ((unsigned)v >> 8));
		add_bmp(b, 0xe300 + ((unsigned)v & 0xff));
	}
	return 1;
}

/* SQLite: the facets of e as words of the index of words (codes 0), or as
 * the codes of the trigram index (codes 1; those of few values), " t t ". */
static char *facet_text(const struct kk_search_entry *e, int codes)
{
	struct kk_buf b;

	kk_buf_init(&b, 1u << 20);
	for (size_t i = 0; i < e->n_facets; i++) {
		if (codes && !kk_search_facet_code(NULL, e->facets[i].kind, e->facets[i].value))
			continue;
		kk_buf_adds(&b, " ");
		if (codes)
			kk_search_facet_code(&b, e->facets[i].kind, e->facets[i].value);
		else
			kk_search_facet_token(&b, e->facets[i].kind, e->facets[i].value);
	}
	kk_buf_adds(&b, " ");
	return kk_buf_detach(&b);
}

enum kk_result kk_search_entry_drop(struct kk_tx *tx, int64_t advisory_id, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT k FROM advisory_search WHERE advisory_id = ?", err);
	int64_t k = 0;
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, advisory_id);
	res = kk_stmt_first(st, err);
	if (!res)
		k = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	if (res)
		return res == KK_ENOTFOUND ? KK_OK : res; /* no entry: nothing to touch */
	/* FTS5 forgets an external-content row only when told its old values */
	for (int i = 0; !on_pg(tx) && i < 2; i++) {
		st = kk_stmt_prepare(tx,
				     i ? "INSERT INTO advisory_words(advisory_words, rowid, short, words, facets)"
					 " SELECT 'delete', k, short, words, facets FROM advisory_text WHERE k = ?"
				       : "INSERT INTO advisory_fts(advisory_fts, rowid, body, codes)"
					 " SELECT 'delete', k, body, codes FROM advisory_text WHERE k = ?",
				     err);
		if (st)
			kk_stmt_bind_int(st, 1, k);
		if ((res = kk_stmt_once(st, err)))
			return res;
	}
	/* the text, then the entry (its facets follow it) */
	st = kk_stmt_prepare(tx, "DELETE FROM advisory_text WHERE k = ?", err);
	if (st)
		kk_stmt_bind_int(st, 1, k);
	if ((res = kk_stmt_once(st, err)))
		return res;
	st = kk_stmt_prepare(tx, "DELETE FROM advisory_search WHERE k = ?", err);
	if (st)
		kk_stmt_bind_int(st, 1, k);
	res = kk_stmt_once(st, err);
	/* the portal's kept pages go stale with it (portal.h) */
	return res ? res : kk_portal_touch(tx, err);
}

/* The text of entry e (on SQLite with the facets as words of the index of
 * words and as codes of the trigram index), then on SQLite, unless
 * deferred, its two FTS5 indexes, read back from the row as drop tells them
 * what to forget. */
static enum kk_result text_put(struct kk_tx *tx, const struct kk_search_entry *e, int deferred, struct kk_error *err)
{
	static const char *const fts[] = {
		"INSERT INTO advisory_fts(rowid, body, codes) SELECT k, body, codes FROM advisory_text WHERE k = ?",
		"INSERT INTO advisory_words(rowid, short, words, facets)"
		" SELECT k, short, words, facets FROM advisory_text WHERE k = ?",
	};
	char *facets = on_pg(tx) ? NULL : facet_text(e, 0), *codes = on_pg(tx) ? NULL : facet_text(e, 1);
	struct kk_stmt *st;
	enum kk_result res;

	if (!on_pg(tx) && (!facets || !codes)) {
		free(facets);
		free(codes);
		return kk_error_nomem(err);
	}
	st = kk_stmt_prepare(tx,
			     facets ? "INSERT INTO advisory_text(k, body, short, words, facets, codes)"
				      " VALUES(?, ?, ?, ?, ?, ?)"
				    : "INSERT INTO advisory_text(k, body, short, words) VALUES(?, ?, ?, ?)",
			     err);
	if (st) {
		kk_stmt_bind_int(st, 1, e->k);
		kk_stmt_bind_text(st, 2, e->body);
		kk_stmt_bind_text(st, 3, e->shorts);
		kk_stmt_bind_text(st, 4, e->words);
		if (facets) {
			kk_stmt_bind_text(st, 5, facets);
			kk_stmt_bind_text(st, 6, codes);
		}
	}
	res = kk_stmt_once(st, err);
	for (size_t i = 0; !res && !on_pg(tx) && !deferred && i < 2; i++) {
		if ((st = kk_stmt_prepare(tx, fts[i], err)))
			kk_stmt_bind_int(st, 1, e->k);
		res = kk_stmt_once(st, err);
	}
	free(facets);
	free(codes);
	return res;
}

enum kk_result kk_search_entry_put(struct kk_tx *tx, const struct kk_search_entry *e, int deferred,
				   struct kk_error *err)
{
	enum kk_result res = kk_search_entry_drop(tx, e->advisory_id, err);
	struct kk_stmt *st;

	if (res)
		return res;
	st = kk_stmt_prepare(tx, "INSERT INTO advisory_search(k, advisory_id, title) VALUES(?, ?, ?)", err);
	if (st) {
		kk_stmt_bind_int(st, 1, e->k);
		kk_stmt_bind_int(st, 2, e->advisory_id);
		kk_stmt_bind_text(st, 3, e->title);
	}
	if ((res = kk_stmt_once(st, err)))
		return res;
	if ((res = text_put(tx, e, deferred, err)))
		return res;
	st = kk_stmt_prepare(tx,
			     "INSERT INTO advisory_search_facets(kind, value, k) VALUES(?, ?, ?) ON CONFLICT DO NOTHING",
			     err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	for (size_t i = 0; !res && i < e->n_facets; i++) {
		kk_stmt_reset(st);
		kk_stmt_bind_text(st, 1, e->facets[i].kind);
		kk_stmt_bind_text(st, 2, e->facets[i].value);
		kk_stmt_bind_int(st, 3, e->k);
		res = kk_stmt_exec(st, err);
	}
	kk_stmt_free(st);
	/* a rebuild (deferred) counted its change once, clearing the index */
	return res || deferred ? res : kk_portal_touch(tx, err);
}

enum kk_result kk_search_clear(struct kk_tx *tx, struct kk_error *err)
{
	enum kk_result res = kk_portal_touch(tx, err);

	/* children first; FTS5's 'delete-all' empties an external-content index */
	return res ? res : kk_tx_exec(tx,
			  on_pg(tx) ? "DELETE FROM advisory_text; DELETE FROM advisory_search_facets;"
				      " DELETE FROM advisory_search; DELETE FROM advisory_search_grams;"
				    : "INSERT INTO advisory_fts(advisory_fts) VALUES('delete-all');"
				      " INSERT INTO advisory_words(advisory_words) VALUES('delete-all'); DELETE FROM advisory_text;"
				      " DELETE FROM advisory_search_facets; DELETE FROM advisory_search;",
			  err);
}

enum kk_result kk_search_text_rebuild(struct kk_tx *tx, struct kk_error *err)
{
	enum kk_result res;

	if (!on_pg(tx))
		return kk_tx_exec(tx,
				  "INSERT INTO advisory_fts(advisory_fts) VALUES('rebuild');"
				  " INSERT INTO advisory_fts(advisory_fts) VALUES('optimize');"
				  " INSERT INTO advisory_words(advisory_words) VALUES('rebuild');"
				  " INSERT INTO advisory_words(advisory_words) VALUES('optimize');",
				  err);
	/* PostgreSQL's GIN indexes took each row as it came; the counts of
	 * trigrams are made again, and the planner gets the new tables'
	 * statistics now rather than when autovacuum comes by */
	res = kk_search_grams_rebuild(tx, err);
	return res ? res
		   : kk_tx_exec(tx, "ANALYZE advisory_search, advisory_search_facets, advisory_text, advisory_search_grams;",
				err);
}

enum kk_result kk_search_counts(struct kk_tx *tx, int64_t *published, int64_t *entries, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT COUNT(*) FROM advisories WHERE state = 'published'", err);
	enum kk_result res;

	*published = *entries = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	if ((res = kk_rows_count(st, published, err)))
		return res;
	if (!(st = kk_stmt_prepare(tx, "SELECT COUNT(*) FROM advisory_search", err)))
		return kk_error_result(err, KK_EDB);
	return kk_rows_count(st, entries, err);
}

static enum kk_result id_read(const struct kk_stmt *st, void *elem, struct kk_error *err)
{
	(void)err;
	*(int64_t *)elem = kk_stmt_int(st, 0);
	return KK_OK;
}

static void id_release(void *elem)
{
	(void)elem;
}

enum kk_result kk_search_mismatched(struct kk_tx *tx, int missing, int64_t **ids, size_t *n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		missing ? "SELECT a.id FROM advisories a WHERE a.state = 'published'"
			  " AND NOT EXISTS (SELECT 1 FROM advisory_search s WHERE s.advisory_id = a.id) ORDER BY a.id"
			: "SELECT s.advisory_id FROM advisory_search s JOIN advisories a ON a.id = s.advisory_id"
			  " WHERE a.state <> 'published' ORDER BY s.advisory_id",
		err);
	void *list = NULL;
	enum kk_result res;

	*ids = NULL;
	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	res = kk_rows_collect(st, sizeof(int64_t), id_read, id_release, &list, n, err);
	*ids = list;
	return res;
}

static json_t *vendor_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:o, s:o}", "id", (json_int_t)kk_stmt_int(st, 0), "name_ja", kk_col_text_or_null(st, 1),
			 "name_en", kk_col_text_or_null(st, 2));
}

static json_t *product_row(const struct kk_stmt *st)
{
	return json_pack("{s:o, s:o, s:o}", "name", kk_col_text_or_null(st, 0), "name_ja", kk_col_text_or_null(st, 1),
			 "name_en", kk_col_text_or_null(st, 2));
}

enum kk_result kk_search_case_names(struct kk_tx *tx, int64_t case_id, json_t *vendors, json_t *products,
				    struct kk_error *err)
{
	/* SPEC 2.11: the vendors the advisory lists, every notified one */
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT v.id, v.name_ja, v.name_en FROM case_vendors cv"
					     " JOIN vendors v ON v.id = cv.vendor_id"
					     " WHERE cv.case_id = ? AND cv.notified_at IS NOT NULL ORDER BY cv.id",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	if ((res = kk_rows_json(st, vendor_row, vendors, err)))
		return res;
	/* the products of their countermeasures, as the advisory shows them */
	st = kk_stmt_prepare(tx,
			     "SELECT c.product_name, p.name_ja, p.name_en FROM countermeasures c"
			     " JOIN case_vendors cv ON cv.id = c.case_vendor_id"
			     " LEFT JOIN products p ON p.id = c.product_id"
			     " WHERE cv.case_id = ? AND cv.notified_at IS NOT NULL ORDER BY c.id",
			     err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_json(st, product_row, products, err);
}

static json_t *result_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:I}", "k", (json_int_t)kk_stmt_int(st, 0), "id",
			 kk_stmt_text(st, 1), "kind", kk_stmt_text(st, 2), "summary", kk_stmt_text(st, 3), "cvss3_tenths",
			 kk_col_int_or_null(st, 4), "cvss4_tenths", kk_col_int_or_null(st, 5), "published_at",
			 (json_int_t)kk_stmt_int(st, 6), "updated_at", (json_int_t)kk_stmt_int(st, 7), "public_revision",
			 (json_int_t)kk_stmt_int(st, 8));
}

enum kk_result kk_search_rows(struct kk_tx *tx, const int64_t *ks, size_t n, json_t *arr, struct kk_error *err)
{
	json_t *rows = json_array(), *r = NULL;
	struct kk_buf sql;
	struct kk_stmt *st = NULL;
	enum kk_result res = rows ? KK_OK : kk_error_nomem(err);
	size_t i;

	if (!res && (n == 0 || n > KK_SEARCH_ROWS_MAX)) {
		json_decref(rows);
		return n ? kk_error_set(err, KK_EINVAL, "%s", "too many rows asked for") : KK_OK;
	}
	kk_buf_init(&sql, SQL_MAX);
	/* of the content, what a list shows: the engine reads it out of the
	 * JSON, where parsing every advisory's whole content here cost more
	 * than the search (docs/internals/search.md) */
	kk_buf_adds(&sql, "SELECT s.k, a.public_id, a.kind,");
	kk_buf_adds(&sql, on_pg(tx) ? " json_build_array(c.j #> '{texts,ja,title}', c.j #> '{texts,en,title}',"
				      " c.j -> 'cvss3', c.j -> 'cvss4')::text,"
				    : " json_extract(a.content, '$.texts.ja.title', '$.texts.en.title', '$.cvss3', '$.cvss4'),");
	kk_buf_adds(&sql, " a.cvss3_tenths, a.cvss4_tenths, a.published_at, COALESCE(a.updated_at, a.published_at),"
			  " a.public_revision FROM advisory_search s JOIN advisories a ON a.id = s.advisory_id");
	if (on_pg(tx))
		kk_buf_adds(&sql, " CROSS JOIN LATERAL (SELECT a.content::jsonb AS j) c");
	kk_buf_adds(&sql, " WHERE a.state || '' = 'published' AND s.k IN (");
	for (i = 0; i < n; i++)
		kk_buf_adds(&sql, i ? ", ?" : "?");
	kk_buf_adds(&sql, ")");
	if (!res && kk_buf_result(&sql))
		res = kk_error_nomem(err);
	if (!res && !(st = kk_stmt_prepare(tx, sql.data, err)))
		res = kk_error_result(err, KK_EDB);
	kk_buf_release(&sql);
	for (i = 0; !res && i < n; i++)
		kk_stmt_bind_int(st, (int)i + 1, ks[i]);
	if (!res)
		res = kk_rows_json(st, result_row, rows, err);
	/* in the order asked for */
	for (i = 0; !res && i < n; i++) {
		size_t j;

		json_array_foreach(rows, j, r) {
			if (json_integer_value(json_object_get(r, "k")) != ks[i])
				continue;
			if (json_array_append(arr, r))
				res = kk_error_nomem(err);
			break;
		}
	}
	json_decref(rows);
	return res;
}
