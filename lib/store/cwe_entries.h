/*
 * cwe_entries.h: the repository of the CWE catalogue (cwe.h), tables cwe and
 * cwe_catalog (migration 2). Internal to the core: lib/formats/cwe.c and
 * lib/formats/cwe_import.c call it and hold no SQL; the fronts use cwe.h.
 *
 * Every function works inside the caller's transaction and returns KK_OK or the
 * error of the statement that failed (KK_EDB, KK_EUNAVAILABLE, KK_ENOMEM) with
 * err filled; after a failure the caller ends the transaction, since on
 * PostgreSQL nothing more can run in it. err may be NULL.
 */
#ifndef KEIKAI_STORE_CWE_ENTRIES_H
#define KEIKAI_STORE_CWE_ENTRIES_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/cwe.h"
#include "keikai/error.h"
#include "keikai/store.h"

/* Where a release of the catalogue came from: a row of cwe_catalog each. */
enum kk_cwe_source {
	KK_CWE_SOURCE_MITRE, /* MITRE's XML: entries, names in English */
	KK_CWE_SOURCE_JA,    /* JPCERT/CC's JSON: names in Japanese */
};

/* Loads entry id into *out (release it with kk_cwe_release). KK_ENOTFOUND, with
 * err untouched, when there is no such entry. */
enum kk_result kk_cwe_entries_get(struct kk_tx *tx, int id, struct kk_cwe *out, struct kk_error *err);

/*
 * The entries of the picker's search, best first: the entry id (0 for none),
 * then those whose English or Japanese name contains text, compared in lower
 * case (ASCII letters in any case on both engines; text is matched literally,
 * '%' and '_' included). Weaknesses before categories and views, deprecated and
 * obsolete entries last, then by id; at most limit. *items is an array of *n
 * entries the caller frees with kk_cwe_list_free (NULL when none).
 */
enum kk_result kk_cwe_entries_search(struct kk_tx *tx, int id, const char *text, size_t limit,
				     struct kk_cwe **items, size_t *n, struct kk_error *err);

/* Inserts entry c or, when its id is there, replaces everything but name_ja,
 * which an import of MITRE's XML keeps; c->name_ja is not read. */
enum kk_result kk_cwe_entries_upsert(struct kk_tx *tx, const struct kk_cwe *c, struct kk_error *err);

/* Sets the Japanese name of entry id; *found is 1 when the entry is there, 0
 * when not (nothing is stored then). */
enum kk_result kk_cwe_entries_set_name_ja(struct kk_tx *tx, int id, const char *name, int *found,
					  struct kk_error *err);

/* Records that the release version (released on date released; either may be
 * NULL) of source was imported at imported_at, replacing the source's last one. */
enum kk_result kk_cwe_entries_record_release(struct kk_tx *tx, enum kk_cwe_source source, const char *version,
					     const char *released, int64_t imported_at, struct kk_error *err);

/* Fills the release fields of out (version, released, imported_at, ja_version,
 * ja_imported_at), which are left alone for a source never imported. Strings
 * are owned by out; kk_cwe_catalog_release frees them even after a failure. */
enum kk_result kk_cwe_entries_releases(struct kk_tx *tx, struct kk_cwe_catalog *out, struct kk_error *err);

/* Fills the counts of out: entries by kind, and those with a Japanese name. */
enum kk_result kk_cwe_entries_counts(struct kk_tx *tx, struct kk_cwe_catalog *out, struct kk_error *err);

/* *filled is 1 when the catalogue holds at least one entry, else 0. */
enum kk_result kk_cwe_entries_filled(struct kk_tx *tx, int *filled, struct kk_error *err);

#endif
