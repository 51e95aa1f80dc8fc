/*
 * schema.h: the numbered schema migrations (schema.c). Migration i brings the
 * database from version i to i + 1; released ones never change.
 */
#ifndef KEIKAI_STORE_SCHEMA_DEF_H
#define KEIKAI_STORE_SCHEMA_DEF_H

extern const char *const kk_schema_migrations[];
extern const int kk_schema_latest;
/* Every table, parents before children, with an ORDER BY list that orders its
 * rows completely; ends with { NULL, NULL }. */
struct kk_schema_table {
	const char *name, *order;
};
extern const struct kk_schema_table kk_schema_tables[];

#endif
