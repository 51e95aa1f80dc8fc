/*
 * copy.c: keikai db copy (store_copy.h): a whole deployment from one store to
 * another through the statements of store.h alone, so that any pair of engines
 * works and no engine's API is called here.
 *
 * The tables, their order (parents before children) and the columns that order
 * each one's rows come from schema.c; the columns copied come from the source
 * itself (SELECT *), and every value is copied by its type. A table is read in
 * pages of PAGE_ROWS rows (ORDER BY its key, LIMIT, OFFSET) inside one read
 * transaction, a snapshot, so no engine hands over a whole table of
 * attachments at once (libpq holds a complete result in memory). The target
 * then makes its generated ids follow the copied ones (the driver's
 * after_copy) and commits only when each of its tables counts as many rows as
 * the source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "keikai/i18n.h"
#include "keikai/store_copy.h"
#include "keikai/util.h"
#include "schema.h"
#include "store_internal.h"

#define PAGE_ROWS 256
#define SQL_MAX (64 * 1024)

/* One table being copied. */
struct table_copy {
	const struct kk_schema_table *table;
	int columns;
	struct kk_stmt *page, *insert;
	int64_t rows;
};

/* Whether two stores open the same database: the same address, or for SQLite
 * two paths of one file. */
static int same_database(struct kk_store *from, struct kk_store *to)
{
	const char *a = kk_store_address(from), *b = kk_store_address(to);
	struct stat sa, sb;

	if (strcmp(a, b) == 0)
		return 1;
	if (strcmp(kk_store_engine(from), "sqlite") != 0 || strcmp(kk_store_engine(to), "sqlite") != 0)
		return 0;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The integer in the first column of the only row of sql. */
static enum kk_result query_int(struct kk_tx *tx, const char *sql, int64_t *v, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, sql, err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	res = kk_stmt_first(st, err);
	if (!res)
		*v = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_EDB, "%s", _("A database statement returned no row."));
	kk_stmt_free(st);
	return res;
}

/* Prefixes err's message with the table it happened in. */
static enum kk_result in_table(const char *table, enum kk_result res, struct kk_error *err)
{
	char msg[sizeof(err->msg)];

	if (!res || !err)
		return res;
	snprintf(msg, sizeof(msg), "%s", err->msg);
	return kk_error_set(err, res, _("Table %s: %s"), table, msg);
}

/* KK_EEXISTS when any table of the target holds a row: the copy starts from an
 * empty schema, never merges. */
static enum kk_result refuse_data(struct kk_tx *dst, struct kk_error *err)
{
	for (int i = 0; kk_schema_tables[i].name; i++) {
		const char *table = kk_schema_tables[i].name;
		char sql[128];
		int64_t has = 0;
		enum kk_result res;

		snprintf(sql, sizeof(sql), "SELECT EXISTS (SELECT 1 FROM %s)", table);
		res = query_int(dst, sql, &has, err);
		if (res)
			return in_table(table, res, err);
		if (has) {
			char *shown = kk_store_address_redact(kk_store_address(dst->store));

			res = kk_error_set(err, KK_EEXISTS,
					   _("%s already holds data (table %s); refusing to copy into it."),
					   shown ? shown : "", table);
			free(shown);
			return res;
		}
	}
	return KK_OK;
}

/* Appends name as a quoted identifier. */
static int add_quoted(struct kk_buf *b, const char *name)
{
	int bad = kk_buf_adds(b, "\"");

	for (const char *p = name ? name : ""; *p; p++)
		bad |= *p == '"' ? kk_buf_adds(b, "\"\"") : kk_buf_add(b, p, 1);
	return bad | kk_buf_adds(b, "\"");
}

/* Prepares the insert into the target from the columns of sel's result. */
static enum kk_result prepare_insert(struct kk_tx *dst, struct table_copy *t, struct kk_stmt *sel,
				     struct kk_error *err)
{
	struct kk_buf sql;
	int bad;

	t->columns = kk_stmt_columns(sel);
	kk_buf_init(&sql, SQL_MAX);
	bad = kk_buf_addf(&sql, "INSERT INTO %s (", t->table->name);
	for (int i = 0; i < t->columns; i++) {
		bad |= i ? kk_buf_adds(&sql, ", ") : KK_OK;
		bad |= add_quoted(&sql, kk_stmt_column_name(sel, i));
	}
	bad |= kk_buf_adds(&sql, ") VALUES (");
	for (int i = 0; i < t->columns; i++)
		bad |= kk_buf_adds(&sql, i ? ", ?" : "?");
	bad |= kk_buf_adds(&sql, ")");
	if (!bad)
		t->insert = kk_stmt_prepare(dst, sql.data, err);
	kk_buf_release(&sql);
	if (bad)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	return t->insert ? KK_OK : kk_error_result(err, KK_EDB);
}

/* Binds column i of sel's row, as its type, to parameter i + 1 of ins. */
static void bind_column(struct kk_stmt *ins, struct kk_stmt *sel, int i)
{
	const void *p;
	size_t n;

	switch (kk_stmt_type(sel, i)) {
	case KK_COL_NULL: kk_stmt_bind_null(ins, i + 1); break;
	case KK_COL_INT: kk_stmt_bind_int(ins, i + 1, kk_stmt_int(sel, i)); break;
	case KK_COL_TEXT: kk_stmt_bind_text(ins, i + 1, kk_stmt_text(sel, i)); break;
	case KK_COL_BLOB:
		p = kk_stmt_blob(sel, i, &n);
		kk_stmt_bind_blob(ins, i + 1, p, n);
		break;
	}
}

/* Inserts the next page of t's rows into the target; *got counts them. */
static enum kk_result copy_page(struct kk_tx *dst, struct table_copy *t, int *got, struct kk_error *err)
{
	enum kk_result res = KK_OK;
	enum kk_step step;

	*got = 0;
	kk_stmt_reset(t->page);
	kk_stmt_bind_int(t->page, 1, t->rows);
	while ((step = kk_stmt_step(t->page, err)) == KK_STEP_ROW) {
		if (!t->insert && (res = prepare_insert(dst, t, t->page, err)))
			break;
		for (int i = 0; i < t->columns; i++)
			bind_column(t->insert, t->page, i);
		res = kk_stmt_exec(t->insert, err);
		kk_stmt_reset(t->insert);
		if (res)
			break;
		++*got;
		t->rows++;
	}
	if (!res && step == KK_STEP_ERROR)
		res = kk_stmt_result(t->page);
	return res;
}

static enum kk_result copy_table(struct kk_tx *src, struct kk_tx *dst, struct table_copy *t, struct kk_error *err)
{
	char sql[256];
	enum kk_result res = KK_OK;
	int got = PAGE_ROWS;

	/* name and order come from schema.c, never from input */
	snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY %s LIMIT %d OFFSET ?", t->table->name, t->table->order,
		 PAGE_ROWS);
	if (!(t->page = kk_stmt_prepare_uncached(src, sql, err)))
		return kk_error_result(err, KK_EDB);
	while (!res && got == PAGE_ROWS)
		res = copy_page(dst, t, &got, err);
	kk_stmt_free(t->page);
	kk_stmt_free(t->insert);
	t->page = t->insert = NULL;
	return res;
}

/* Whether table counts as many rows on the target as on the source. */
static enum kk_result verify(struct kk_tx *src, struct kk_tx *dst, const char *table, struct kk_error *err)
{
	char sql[128];
	int64_t on_src = 0, on_dst = 0;
	enum kk_result res;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	res = query_int(src, sql, &on_src, err);
	if (!res)
		res = query_int(dst, sql, &on_dst, err);
	if (res)
		return in_table(table, res, err);
	if (on_src != on_dst)
		return kk_error_set(err, KK_EDB,
				    _("Table %s has %lld rows on the target but %lld on the source; nothing was copied."),
				    table, (long long)on_dst, (long long)on_src);
	return KK_OK;
}

enum kk_result kk_store_copy(struct kk_store *from, struct kk_store *to, kk_store_copy_fn *done, void *arg,
			     struct kk_error *err)
{
	struct kk_tx src = { 0 }, dst = { 0 };
	struct table_copy *tables;
	enum kk_result res;
	size_t n = 0, i;

	if (same_database(from, to)) {
		char *shown = kk_store_address_redact(kk_store_address(to));

		res = kk_error_set(err, KK_EINVAL,
				   _("The source and the target are the same database (%s); refusing to copy it onto itself."),
				   shown ? shown : "");
		free(shown);
		return res;
	}
	while (kk_schema_tables[n].name)
		n++;
	if (!(tables = kk_calloc(n, sizeof(*tables))))
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));

	res = kk_tx_begin(from, 0, &src, err);
	/* One snapshot of every table, as SQLite's read transaction has it. */
	if (!res && strcmp(kk_store_engine(from), "postgresql") == 0)
		res = kk_tx_exec(&src, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", err);
	if (!res)
		res = kk_tx_begin(to, 1, &dst, err);
	if (!res)
		res = refuse_data(&dst, err);
	for (i = 0; i < n && !res; i++) {
		tables[i].table = &kk_schema_tables[i];
		res = in_table(tables[i].table->name, copy_table(&src, &dst, &tables[i], err), err);
	}
	for (i = 0; i < n && !res; i++)
		res = in_table(tables[i].table->name, kk_tx_after_copy(&dst, tables[i].table->name, err), err);
	for (i = 0; i < n && !res; i++)
		res = verify(&src, &dst, tables[i].table->name, err);
	res = kk_tx_end(&dst, res, err);
	kk_tx_end(&src, res, NULL);
	for (i = 0; i < n && !res && done; i++)
		done(tables[i].table->name, tables[i].rows, arg);
	free(tables);
	return res;
}
