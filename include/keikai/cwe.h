/*
 * cwe.h: the CWE catalogue (MITRE's Common Weakness Enumeration) in the database,
 * so that reports, the public database and the exports can name a weakness by its
 * id and show its name in the reader's language.
 *
 * The catalogue comes from MITRE's XML release (cwec_v4.x.xml) and, for Japanese
 * names, from JPCERT/CC's translation of the CWE-1003 view (cwe-1003-ja JSON).
 * Imports are upserts in one transaction each: a malformed file changes nothing,
 * and importing the XML again keeps the Japanese names. Ids are plain integers
 * here; "CWE-79" is only their written form.
 */
#ifndef KEIKAI_CWE_H
#define KEIKAI_CWE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* Ids have at most 7 digits: MITRE's run to 2000 today. */
#define KK_CWE_ID_MAX 9999999
/* Room for "CWE-9999999" and its NUL. */
#define KK_CWE_ID_LEN 12

enum kk_cwe_kind {
	KK_CWE_WEAKNESS = 0, /* Weaknesses/Weakness */
	KK_CWE_CATEGORY,     /* Categories/Category */
	KK_CWE_VIEW,         /* Views/View */
};

/* "weakness", "category" or "view". */
const char *kk_cwe_kind_name(enum kk_cwe_kind kind);
/* 0 and *out set when s is one of those names, else -1. */
int kk_cwe_kind_parse(const char *s, enum kk_cwe_kind *out);

/*
 * One entry. The strings are owned by the struct; release with kk_cwe_release.
 * abstraction is Pillar, Class, Base, Variant or Compound for weaknesses and NULL
 * otherwise; status is MITRE's (Stable, Draft, Incomplete, Deprecated, Obsolete);
 * description is MITRE's Description of a weakness, Summary of a category or
 * Objective of a view; any of these three may be NULL. Every text is stored with
 * white space trimmed and collapsed (MITRE's names carry a few stray spaces).
 */
struct kk_cwe {
	int id;
	enum kk_cwe_kind kind;
	char *name_en;
	char *name_ja; /* NULL when no Japanese name was imported */
	char *abstraction;
	char *status;
	char *description;
};

/* Frees what c holds and zeroes it. Accepts NULL. */
void kk_cwe_release(struct kk_cwe *c);

/* The entry as JSON the caller owns: {"id": "CWE-79", "number", "kind", "name" (English),
 * "name_ja", "name_local" (in the calling thread's language), "abstraction", "status",
 * "description"}; absent parts are left out. */
json_t *kk_cwe_to_json(const struct kk_cwe *c);

/*
 * Parses a CWE id written "CWE-79", "cwe-79" or "79" into *id_out. Refused, with
 * KK_EINVAL and a message saying why: an empty string, anything around the id
 * (spaces included), a missing number after "CWE-", leading zeros, 0, more than 7
 * digits, and NVD's placeholders NVD-CWE-Other and NVD-CWE-noinfo, which name no
 * weakness.
 */
enum kk_result kk_cwe_parse_id(const char *s, int *id_out, struct kk_error *err);

/* Writes "CWE-<id>" into buf and returns buf. */
char *kk_cwe_format_id(int id, char buf[KK_CWE_ID_LEN]);

/* What an import read. */
struct kk_cwe_counts {
	size_t weaknesses; /* entries of each kind in the XML */
	size_t categories;
	size_t views;
	size_t named_ja;   /* entries that received a Japanese name */
	size_t unknown_ja; /* ids of the Japanese file not in the catalogue, skipped */
};

/*
 * Loads MITRE's CWE XML (root Weakness_Catalog; Weaknesses/Weakness,
 * Categories/Category and Views/View with ID, Name, Abstraction and Status) from
 * path, streaming, and upserts every entry in one transaction; the release's
 * Version and Date are recorded (kk_cwe_catalog_get). A malformed or truncated
 * file, a document type declaration (refused: no entities are expanded), a bad
 * or repeated ID, a missing Name or a file without entries gives KK_EINVAL with
 * the file and line in the message, and stores nothing. counts may be NULL.
 */
enum kk_result kk_cwe_import_xml(struct kk_store *s, const char *path, struct kk_cwe_counts *counts,
				 struct kk_error *err);

/*
 * Loads Japanese names from a file in the format of JPCERT/CC's cwe-1003-ja.json:
 * {"cwe-1003": {"version": "4.9", "weaknesses": [{"id": 79, "title": {"en": [...],
 * "ja": [...]}, ...}, ...]}}, entries possibly nested under "children". An entry's
 * name is its first non-empty "ja" title with the file's search patterns resolved
 * to their first choice: "(a|b)" and "（a｜b）" become "a", and a title
 * "a | b" becomes "a"; a group without "|" ("(TOCTOU)") stays as written.
 *
 * Names are set on entries already in the catalogue (import the XML first; an
 * empty catalogue is KK_ECONFLICT); other ids are counted in unknown_ja and
 * skipped. One transaction; a malformed file gives KK_EINVAL naming the file and
 * the line (syntax) or the entry (structure) and stores nothing. counts may be
 * NULL.
 */
enum kk_result kk_cwe_import_ja(struct kk_store *s, const char *path, struct kk_cwe_counts *counts,
				struct kk_error *err);

/*
 * Both of the above in one transaction: the XML at xml_path (may be NULL to keep
 * the catalogue), then the Japanese names at ja_path (may be NULL). When either
 * file is bad nothing of the two is stored.
 */
enum kk_result kk_cwe_import(struct kk_store *s, const char *xml_path, const char *ja_path,
			     struct kk_cwe_counts *counts, struct kk_error *err);

/* Loads entry id into *out (release it with kk_cwe_release); KK_ENOTFOUND when the
 * catalogue has no such id. */
enum kk_result kk_cwe_get(struct kk_store *s, int id, struct kk_cwe *out, struct kk_error *err);

/* c's name in the calling thread's language (i18n.h): the Japanese name when the
 * thread speaks Japanese and there is one, else the English name. Owned by c. */
const char *kk_cwe_name(const struct kk_cwe *c);

/* The name of entry id in the calling thread's language, in a string the caller
 * frees; KK_ENOTFOUND when the catalogue has no such id. */
enum kk_result kk_cwe_name_lookup(struct kk_store *s, int id, char **name_out, struct kk_error *err);

/*
 * Entries for a picker: the entry whose id query names (as kk_cwe_parse_id reads
 * it), then entries whose English or Japanese name contains query, ASCII letters
 * in any case, on either engine; weaknesses before categories and views,
 * deprecated and obsolete ones last, then by id. At most limit (1 to 100)
 * entries. *items is an array of *n entries the caller frees with
 * kk_cwe_list_free; an empty result is KK_OK with *n == 0. query must be 1 to
 * 200 bytes (KK_EINVAL otherwise).
 */
#define KK_CWE_QUERY_MAX 200
enum kk_result kk_cwe_search(struct kk_store *s, const char *query, size_t limit, struct kk_cwe **items,
			     size_t *n, struct kk_error *err);
/* Releases n entries and the array. Accepts NULL. */
void kk_cwe_list_free(struct kk_cwe *items, size_t n);

/* Which releases are in the database; strings owned by the struct, NULL when
 * unknown; release with kk_cwe_catalog_release. */
struct kk_cwe_catalog {
	char *version;     /* MITRE's Version, e.g. "4.15" */
	char *released;    /* MITRE's Date, e.g. "2024-07-16" */
	int64_t imported_at;
	char *ja_version;  /* the Japanese file's "version" */
	int64_t ja_imported_at;
	size_t weaknesses; /* entries now in the catalogue, by kind */
	size_t categories;
	size_t views;
	size_t named_ja;   /* entries with a Japanese name */
};
enum kk_result kk_cwe_catalog_get(struct kk_store *s, struct kk_cwe_catalog *out, struct kk_error *err);
void kk_cwe_catalog_release(struct kk_cwe_catalog *c);

#endif
