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

/* A shell command built from fmt, run; fails the test when it fails (gpg,
 * for the tests of OpenPGP and mail). */
void unit_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, its standard output (up to 1 MiB; the caller frees). */
char *unit_sh_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A file's text (up to 1 MiB; the caller frees), and writing one. */
char *unit_read_file(const char *path);
void unit_write_file(const char *path, const char *text);
/* plain encrypted (armored) with the real gpg, in a home of its own, to the
 * organisation's key of s, made ("CSIRT <csirt@org.example>") when s has
 * none (issue 11); the caller frees. */
char *unit_org_encrypt(struct kk_store *s, const char *plain);
/* The base64 body after the first blank line of a composed message (CRLF),
 * decoded (the caller frees). */
char *unit_mail_body(const char *text);

/* A valid product (or website) report body as in docs/api/reports.md. */
json_t *unit_report_body(const char *kind);

/* The JSON of text; fails the test when text is not JSON. The caller releases it. */
json_t *unit_json(const char *text);

/* A vendor added by coord from the JSON body text (kk_vendor_add): its id. */
int64_t unit_vendor_json(struct kk_store *s, const struct kk_user *coord, const char *text);

/* A user of role vendor of the registry's vendor vendor_id, its e-mail
 * (also its organisation's name) email; the caller releases it. */
struct kk_user unit_vendor_user(struct kk_store *s, int64_t vendor_id, const char *email);

/* Sets the value at a dotted path ("finder.email") of body; value NULL deletes it. */
void unit_set(json_t *body, const char *path, json_t *value);

/* Adds a user with the role and returns it loaded. */
struct kk_user unit_user(struct kk_store *s, const char *role, const char *email);

/* Submits a valid report of the kind; returns its tracking id in id (24 bytes). */
void unit_submit(struct kk_store *s, json_t *body, char *id, char *secret);

/* unit_submit, then the report accepted by intake (SPEC 2.3). Takes body. */
void unit_accepted_report(struct kk_store *s, const struct kk_user *intake, json_t *body, char *id, char *secret);

/* A vendor added by coord, named name_en, whose one contact is the primary
 * e-mail address email; when u is not NULL, also a user of role vendor of it
 * with that address (its org: name), loaded into u (the caller releases it).
 * Returns the vendor's id. */
int64_t unit_vendor(struct kk_store *s, const struct kk_user *coord, const char *name, const char *email,
		    struct kk_user *u);

/* The parties of a case test: a fresh store (unit_store); users of intake,
 * coordinator, admin and operator (unit_user, "ROLE@example.jp", the
 * coordinator "coord@example.jp"); and two vendors of the registry, each with
 * a user (unit_vendor): "Example Corp" (psirt@example.jp; vendor, vid) and
 * "Other Corp" (psirt@other.example.jp; other, other_vid). unit_parties_end
 * releases them and closes the store. */
struct unit_parties {
	struct kk_store *s;
	struct kk_user intake, coord, vendor, other, admin, operator;
	int64_t vid, other_vid;
};
void unit_parties(struct unit_parties *p);
void unit_parties_end(struct unit_parties *p);

/* A case opened by coord from the accepted report tid (SPEC 2.4) with the
 * title, summary and detail; its ref goes to ref (n bytes). */
void unit_case_open(struct kk_store *s, const struct kk_user *coord, const char *tid, const char *title,
		    const char *summary, const char *detail, char *ref, size_t n);

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
