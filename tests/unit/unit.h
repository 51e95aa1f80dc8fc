/*
 * unit.h: what the unit tests share: a fresh real database per test (SQLite, or
 * PostgreSQL in the test run's own cluster), a
 * valid report body to mutate, and the paths of test data.
 *
 * A test that only makes sense on PostgreSQL sits inside #ifdef UNIT_POSTGRESQL:
 * tests/unit/meson.build compiles the programs that hold such tests a second
 * time, with UNIT_POSTGRESQL defined, for the PostgreSQL run. So on SQLite the
 * test does not exist (it neither passes nor skips), and a skip always means
 * something is missing (tests/run-all.sh fails it under CI).
 *
 * Temporary files go in unit_tmpdir(); the test program removes them all, and
 * the PostgreSQL schemas of its tests, when it ends (unit.c).
 */
#ifndef KEIKAI_TEST_UNIT_H
#define KEIKAI_TEST_UNIT_H

#include <jansson.h>
#include <limits.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/report.h"
#include "keikai/store.h"

/* A new database on the engine under test (KK_TEST_ENGINE: sqlite, the default,
 * or postgresql in the cluster KEIKAI_TEST_PG); its address is written to
 * path_out when not NULL (PATH_MAX bytes). Aborts the test on failure. */
struct kk_store *unit_store(char *path_out);
/* The address of a fresh, empty database on the engine under test. */
const char *unit_address(void);

/* Makes a new, empty directory in the run's own, which the test program removes
 * when it ends; writes its path to out. Aborts the test on failure. */
void unit_tmpdir(char out[PATH_MAX]);

/* The integer in the first column of the first row of sql, run with one text
 * parameter (or none when param is NULL). */
int64_t unit_count(struct kk_store *s, const char *sql, const char *param);

/* A valid product (or website) report body as in docs/api/reports.md. */
json_t *unit_report_body(const char *kind);

/* Sets the value at a dotted path ("finder.email") of body; value NULL deletes it. */
void unit_set(json_t *body, const char *path, json_t *value);

/* Adds a user with the role and returns it loaded. */
struct kk_user unit_user(struct kk_store *s, const char *role, const char *email);

/* Submits a valid report of the kind; returns its tracking id in id (24 bytes). */
void unit_submit(struct kk_store *s, json_t *body, char *id, char *secret);

/* The whole text of a file of the source tree (rel to $KK_SOURCE_ROOT); the
 * caller frees it. Aborts the test when it cannot be read. */
char *unit_read_source(const char *rel);

/* A set of roles as the docs' tables write it: "everyone", "signed in", or the
 * role names joined with ", " (flow.h's KK_ROLE_BIT sets). */
void unit_roles_text(unsigned roles, char *out, size_t n);

/* The rows of the Markdown table that follows `marker` in doc, less its header
 * row (the one starting "| header"). */
int unit_table_rows(const char *doc, const char *marker, const char *header);

/* $KK_TEST_DATA or "tests/data". */
const char *unit_data_dir(void);

/* A fresh store (unit_store) holding the registry of the MyJVN dictionary file
 * rel (to unit_data_dir()), imported with no line refused. */
struct kk_store *unit_registry_store(const char *rel);

#endif
