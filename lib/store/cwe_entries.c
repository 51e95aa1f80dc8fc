/*
 * cwe_entries.c: the repository of the CWE catalogue (cwe_entries.h): every
 * statement on tables cwe and cwe_catalog, in the SQL that SQLite and
 * PostgreSQL share (store.h). The rules (what an import keeps, what a search
 * finds first) are cwe.c's and cwe_import.c's; this file only maps them to rows.
 */
#include <stdlib.h>
#include <string.h>

#include "cwe_entries.h"
#include "keikai/i18n.h"
#include "keikai/portal.h"
#include "keikai/util.h"

#define CWE_COLUMNS "id, kind, name_en, name_ja, abstraction, status, description"

/* The value of column source in cwe_catalog (a CHECK allows these two). */
static const char *const source_names[] = {
	[KK_CWE_SOURCE_MITRE] = "mitre",
	[KK_CWE_SOURCE_JA] = "ja",
};

static enum kk_result out_of_memory(struct kk_error *err)
{
	return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
}

/* Prepares sql; on failure *res is the driver's error (err filled when given). */
static struct kk_stmt *prepare(struct kk_tx *tx, const char *sql, enum kk_result *res, struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	struct kk_stmt *st = kk_stmt_prepare(tx, sql, err ? err : &mine);

	*res = KK_OK;
	if (!st) {
		*res = err ? err->code : mine.code;
		if (*res == KK_OK)
			*res = KK_EDB;
	}
	kk_error_release(&mine);
	return st;
}

/* The error of a step that returned KK_STEP_ERROR. */
static enum kk_result step_error(const struct kk_stmt *st)
{
	enum kk_result res = kk_stmt_result(st);

	return res ? res : KK_EDB;
}

/* Reads a row of CWE_COLUMNS into c; on failure c holds nothing. */
static enum kk_result read_row(const struct kk_stmt *st, struct kk_cwe *c, struct kk_error *err)
{
	int lost = 0;

	memset(c, 0, sizeof(*c));
	c->id = (int)kk_stmt_int(st, 0);
	if (kk_cwe_kind_parse(kk_stmt_text(st, 1), &c->kind) != 0)
		c->kind = KK_CWE_WEAKNESS;
	kk_stmt_dup_into(st, 2, &c->name_en, &lost);
	kk_stmt_dup_into(st, 3, &c->name_ja, &lost);
	kk_stmt_dup_into(st, 4, &c->abstraction, &lost);
	kk_stmt_dup_into(st, 5, &c->status, &lost);
	kk_stmt_dup_into(st, 6, &c->description, &lost);
	if (lost) {
		kk_cwe_release(c);
		return out_of_memory(err);
	}
	return KK_OK;
}

enum kk_result kk_cwe_entries_get(struct kk_tx *tx, int id, struct kk_cwe *out, struct kk_error *err)
{
	enum kk_result res;
	struct kk_stmt *st = prepare(tx, "SELECT " CWE_COLUMNS " FROM cwe WHERE id = ?", &res, err);

	memset(out, 0, sizeof(*out));
	if (!st)
		return res;
	kk_stmt_bind_int(st, 1, id);
	switch (kk_stmt_step(st, err)) {
	case KK_STEP_ROW: res = read_row(st, out, err); break;
	case KK_STEP_DONE: res = KK_ENOTFOUND; break;
	default: res = step_error(st); break;
	}
	kk_stmt_free(st);
	return res;
}

/* The LIKE pattern of "contains text": text with \, % and _ escaped by \, between
 * two %. Returns a string the caller frees, NULL without memory. */
static char *contains_pattern(const char *text)
{
	struct kk_buf b;

	kk_buf_init(&b, 2 * strlen(text) + 3);
	if (kk_buf_add(&b, "%", 1))
		goto fail;
	for (const char *p = text; *p; p++) {
		if ((*p == '\\' || *p == '%' || *p == '_') && kk_buf_add(&b, "\\", 1))
			goto fail;
		if (kk_buf_add(&b, p, 1))
			goto fail;
	}
	if (kk_buf_add(&b, "%", 1))
		goto fail;
	return kk_buf_detach(&b);
fail:
	kk_buf_release(&b);
	return NULL;
}

enum kk_result kk_cwe_entries_search(struct kk_tx *tx, int id, const char *text, size_t limit,
				     struct kk_cwe **items, size_t *n, struct kk_error *err)
{
	struct kk_cwe *list = NULL;
	struct kk_stmt *st = NULL;
	char *pattern = NULL;
	size_t count = 0;
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	*items = NULL;
	*n = 0;
	if (limit == 0)
		return KK_OK;
	list = kk_calloc(limit, sizeof(*list));
	pattern = contains_pattern(text);
	if (!list || !pattern) {
		res = out_of_memory(err);
		goto out;
	}
	/* lower() on both sides: LIKE is case-sensitive on PostgreSQL and not on
	 * SQLite, and the search must find the same entries on both */
	st = prepare(tx,
		     "SELECT " CWE_COLUMNS " FROM cwe"
		     " WHERE id = ?1 OR lower(name_en) LIKE lower(?2) ESCAPE '\\'"
		     "  OR lower(name_ja) LIKE lower(?2) ESCAPE '\\'"
		     " ORDER BY CASE WHEN id = ?1 THEN 0 ELSE 1 END,"
		     "  CASE kind WHEN 'weakness' THEN 0 WHEN 'category' THEN 1 ELSE 2 END,"
		     "  CASE WHEN status IN ('Deprecated', 'Obsolete') THEN 1 ELSE 0 END, id"
		     " LIMIT ?3",
		     &res, err);
	if (!st)
		goto out;
	kk_stmt_bind_int(st, 1, id);
	kk_stmt_bind_text(st, 2, pattern);
	kk_stmt_bind_int(st, 3, (int64_t)limit);
	while (count < limit && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		res = read_row(st, &list[count], err);
		if (res)
			break;
		count++;
	}
	if (!res && step == KK_STEP_ERROR)
		res = step_error(st);
out:
	kk_stmt_free(st);
	free(pattern);
	if (res || count == 0) {
		kk_cwe_list_free(list, count);
		return res;
	}
	*items = list;
	*n = count;
	return KK_OK;
}

/* Runs st, which returns no rows, and frees it. */
static enum kk_result run(struct kk_stmt *st, struct kk_error *err)
{
	enum kk_result res = kk_stmt_exec(st, err);

	kk_stmt_free(st);
	return res;
}

enum kk_result kk_cwe_entries_upsert(struct kk_tx *tx, const struct kk_cwe *c, struct kk_error *err)
{
	enum kk_result res;
	struct kk_stmt *st = prepare(tx,
				     "INSERT INTO cwe(id, kind, name_en, abstraction, status, description)"
				     " VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
				     " kind = excluded.kind, name_en = excluded.name_en,"
				     " abstraction = excluded.abstraction, status = excluded.status,"
				     " description = excluded.description",
				     &res, err);

	if (!st)
		return res;
	kk_stmt_bind_int(st, 1, c->id);
	kk_stmt_bind_text(st, 2, kk_cwe_kind_name(c->kind));
	kk_stmt_bind_text(st, 3, c->name_en);
	kk_stmt_bind_text(st, 4, c->abstraction);
	kk_stmt_bind_text(st, 5, c->status);
	kk_stmt_bind_text(st, 6, c->description);
	return run(st, err);
}

enum kk_result kk_cwe_entries_set_name_ja(struct kk_tx *tx, int id, const char *name, int *found,
					  struct kk_error *err)
{
	enum kk_result res;
	struct kk_stmt *st = prepare(tx, "UPDATE cwe SET name_ja = ? WHERE id = ?", &res, err);

	*found = 0;
	if (!st)
		return res;
	kk_stmt_bind_text(st, 1, name);
	kk_stmt_bind_int(st, 2, id);
	res = kk_stmt_exec(st, err);
	if (!res)
		*found = kk_stmt_changes(st) == 1;
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_cwe_entries_record_release(struct kk_tx *tx, enum kk_cwe_source source, const char *version,
					     const char *released, int64_t imported_at, struct kk_error *err)
{
	enum kk_result res;
	struct kk_stmt *st = prepare(tx,
				     "INSERT INTO cwe_catalog(source, version, released, imported_at)"
				     " VALUES(?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET"
				     " version = excluded.version, released = excluded.released,"
				     " imported_at = excluded.imported_at",
				     &res, err);

	if (!st)
		return res;
	kk_portal_mark(tx); /* the weaknesses' names show on the public portal */
	kk_stmt_bind_text(st, 1, source_names[source]);
	kk_stmt_bind_text(st, 2, version);
	kk_stmt_bind_text(st, 3, released);
	kk_stmt_bind_int(st, 4, imported_at);
	return run(st, err);
}

enum kk_result kk_cwe_entries_releases(struct kk_tx *tx, struct kk_cwe_catalog *out, struct kk_error *err)
{
	enum kk_result res;
	enum kk_step step = KK_STEP_DONE;
	struct kk_stmt *st = prepare(tx, "SELECT source, version, released, imported_at FROM cwe_catalog", &res,
				     err);

	if (!st)
		return res;
	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		const char *source = kk_stmt_text(st, 0);
		int lost = 0;

		if (source && strcmp(source, source_names[KK_CWE_SOURCE_MITRE]) == 0) {
			kk_stmt_dup_into(st, 1, &out->version, &lost);
			kk_stmt_dup_into(st, 2, &out->released, &lost);
			out->imported_at = kk_stmt_int(st, 3);
		} else if (source && strcmp(source, source_names[KK_CWE_SOURCE_JA]) == 0) {
			kk_stmt_dup_into(st, 1, &out->ja_version, &lost);
			out->ja_imported_at = kk_stmt_int(st, 3);
		}
		if (lost)
			res = out_of_memory(err);
	}
	if (!res && step == KK_STEP_ERROR)
		res = step_error(st);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_cwe_entries_counts(struct kk_tx *tx, struct kk_cwe_catalog *out, struct kk_error *err)
{
	enum kk_result res;
	enum kk_step step;
	enum kk_cwe_kind kind;
	struct kk_stmt *st = prepare(tx, "SELECT kind, count(*), count(name_ja) FROM cwe GROUP BY kind", &res, err);

	if (!st)
		return res;
	while ((step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		size_t count = (size_t)kk_stmt_int(st, 1);

		out->named_ja += (size_t)kk_stmt_int(st, 2);
		if (kk_cwe_kind_parse(kk_stmt_text(st, 0), &kind) != 0)
			continue;
		if (kind == KK_CWE_WEAKNESS)
			out->weaknesses = count;
		else if (kind == KK_CWE_CATEGORY)
			out->categories = count;
		else
			out->views = count;
	}
	if (step == KK_STEP_ERROR)
		res = step_error(st);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_cwe_entries_filled(struct kk_tx *tx, int *filled, struct kk_error *err)
{
	enum kk_result res;
	struct kk_stmt *st = prepare(tx, "SELECT EXISTS (SELECT 1 FROM cwe)", &res, err);

	*filled = 0;
	if (!st)
		return res;
	switch (kk_stmt_step(st, err)) {
	case KK_STEP_ROW: *filled = kk_stmt_int(st, 0) != 0; break; /* 1 or 't' */
	case KK_STEP_DONE: break;
	default: res = step_error(st); break;
	}
	kk_stmt_free(st);
	return res;
}
