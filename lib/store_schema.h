/*
 * store_schema.h: the numbered schema migrations (store_schema.c). Migration i
 * brings the database from user_version i to i + 1; released ones never change.
 */
#ifndef KEIKAI_STORE_SCHEMA_H
#define KEIKAI_STORE_SCHEMA_H

extern const char *const kk_schema_migrations[];
extern const int kk_schema_latest;

#endif
