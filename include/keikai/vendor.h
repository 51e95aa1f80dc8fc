/*
 * vendor.h: the vendor registry (製品開発者リスト; issue 8, SPEC 2.5): vendors,
 * their products with CPE 2.3 names, and the import of the MyJVN vendor/product
 * dictionary that fills it.
 *
 * The dictionary is JSON Lines, one product a line:
 *   {"vid": "1", "vname": "サン・マイクロシステムズ", "vcpe": "cpe:/:sun",
 *    "pid": "16", "pname": "Sun Cobalt RaQ2", "pcpe": "cpe:/h:sun:sun_cobalt_raq_2"}
 * vid and pid are MyJVN's ids (strings of digits, or numbers); vname and pname
 * are one name each, in Japanese or in English; vcpe and pcpe are CPE names
 * (2.2 URIs in MyJVN's files; any spelling kk_cpe_parse reads is accepted) or
 * absent, null or "" for none. docs/cli/import.md is the manual.
 */
#ifndef KEIKAI_VENDOR_H
#define KEIKAI_VENDOR_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* Lines committed per transaction: a failure (of the database, or of the file
 * itself, such as a truncated .gz) leaves whole batches stored. */
#define KK_VENDOR_IMPORT_BATCH 5000
/* Refused lines whose line number and reason a summary keeps (it counts all). */
#define KK_VENDOR_IMPORT_REFUSED_MAX 20
/* The longest line read, in bytes; a longer one is refused. */
#define KK_VENDOR_IMPORT_LINE_MAX (64 * 1024)
/* The longest name, and the longest CPE name, in bytes. */
#define KK_VENDOR_NAME_MAX 1024

/* A refused line: its number (from 1) and why, translated. */
struct kk_vendor_refusal {
	size_t line;
	char msg[200];
};

/* What an import did, so far or in all. */
struct kk_vendor_import_summary {
	size_t lines;   /* lines read, blank ones included */
	size_t loaded;  /* lines stored (committed) */
	size_t refused; /* malformed lines, never stored */
	size_t repaired; /* lines loaded whose CPE URI had to be repaired (see below) */
	size_t listed;  /* entries filled in refusals: the first refused lines */
	struct kk_vendor_refusal refusals[KK_VENDOR_IMPORT_REFUSED_MAX];
	/* the registry after the import: every vendor and product, imported or not,
	 * and how many more there are than before it */
	int64_t vendors, products;
	int64_t vendors_added, products_added;
	int counted; /* 1 when vendors and products hold the totals (they could be read) */
	/* bytes of the file as stored (compressed for .gz) read so far, and its size */
	uint64_t bytes_read, bytes_total;
};

/* Called after each committed batch with what has been done so far. */
typedef void kk_vendor_progress_fn(void *arg, const struct kk_vendor_import_summary *so_far);

/*
 * Loads the MyJVN dictionary at path (.jsonl, or .jsonl.gz: gzip is recognised
 * by its content) into the registry of s (issue 8, capability 3).
 *
 * Vendors are keyed on vid and products on pid: a vendor or product already
 * imported is updated (a second run of the same file changes nothing and adds
 * nothing), a new one is added. A name with Japanese script in it (kana,
 * kanji, CJK punctuation, full-width forms) goes to name_ja, any other to
 * name_en; the other language's name is left as it is, so one added by hand
 * stays. CPE names are stored as CPE 2.3 formatted strings. A CPE 2.2 URI the
 * CPE module refuses is read once more with its printable ASCII punctuation
 * other than ":._-~%" percent-encoded and spaces next to a colon dropped, as
 * MyJVN writes a few ("cpe:/o:nec:aterm_w1200ex(-ms)",
 * "cpe:/o:emerson: roc800_firmware"); such lines are counted as repaired.
 *
 * A malformed line (not a JSON object, a field missing, of the wrong type,
 * empty or too long, an id that is not a whole number from 1, a CPE name
 * kk_cpe_parse refuses even once repaired) is refused: counted, the first
 * KK_VENDOR_IMPORT_REFUSED_MAX listed in *out with their line numbers, and the
 * import goes on. Blank lines are skipped. Lines are committed in batches of
 * KK_VENDOR_IMPORT_BATCH, after each of which progress (when not NULL) is
 * called.
 *
 * Returns KK_OK when the whole file was read, refused lines or not (check
 * out->refused); otherwise the error (KK_EIO: the file cannot be opened or
 * read, or the gzip stream is corrupt; KK_EDB, KK_EUNAVAILABLE, KK_ENOMEM) with
 * err filled, the batches before the failure kept and *out saying what they
 * hold. out may not be NULL.
 */
enum kk_result kk_vendor_import_myjvn(struct kk_store *s, const char *path, kk_vendor_progress_fn *progress,
				      void *arg, struct kk_vendor_import_summary *out, struct kk_error *err);

/* The registry's totals: every vendor and every product. */
enum kk_result kk_vendor_registry_counts(struct kk_store *s, int64_t *vendors, int64_t *products,
					 struct kk_error *err);

/* 1 when the UTF-8 text s holds a Japanese character (kana, kanji, CJK
 * symbols and punctuation, full-width forms), else 0: where the import puts
 * a name. Bytes that are not UTF-8 count as nothing. */
int kk_vendor_name_is_japanese(const char *s);

#endif
