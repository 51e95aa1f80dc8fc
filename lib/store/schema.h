/*
 * schema.h: the numbered schema migrations (schema.c). Migration i brings the
 * database from version i to i + 1; released ones never change.
 */
#ifndef KEIKAI_STORE_SCHEMA_DEF_H
#define KEIKAI_STORE_SCHEMA_DEF_H

extern const char *const kk_schema_migrations[];
extern const int kk_schema_latest;
/* Every table, parents before children; NULL-terminated. */
extern const char *const kk_schema_tables[];

#endif
