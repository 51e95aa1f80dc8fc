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

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/account.h"
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

/* Of a vendor's or product's two names, the one in lang ("ja" or "en") when
 * there is one, else the other (NULL when neither). */
const char *kk_vendor_name_in(const char *lang, const char *ja, const char *en);

/*
 * Maintenance of the registry (issue 8, capabilities 1-2; SPEC 2.5, G IV.4.2):
 * vendors with their names, aliases and contacts, and their products, read
 * and changed on behalf of a user. Every function takes the viewer and asks
 * the access policy (authz.h) first: what the viewer may not see is
 * KK_ENOTFOUND, as for a missing object. A vendor user reads and changes only
 * its own vendor (kk_user.vendor_id); coordinators and admins every vendor;
 * intake reads. The fronts (server/api_vendors.c, pages, cli/cmd_vendor.c)
 * hold no rules: input arrives as a JSON object (docs/api/vendors.md), is
 * validated here into typed values with every fault listed as a field error
 * (KK_EINVAL, nothing stored), and is stored in one transaction with its
 * audit record. docs/internals/vendor.md describes the module.
 */

/* Limits of the maintained fields, in characters. */
#define KK_VENDOR_SHORT_MAX 200      /* a name, alias, department */
#define KK_VENDOR_TEXT_MAX 1000      /* a URL, contact value, postal address */
#define KK_VENDOR_PGP_MAX 100000     /* an ASCII-armoured public key */
#define KK_VENDOR_ALIASES_MAX 50
#define KK_VENDOR_CONTACTS_MAX 50    /* contacts given with a new vendor */
#define KK_PRODUCT_VERSIONS_MAX 4096 /* the free text of versions and ranges */
/* Vendors or products a list page holds: default and most. */
#define KK_VENDOR_PAGE_DEFAULT 50
#define KK_VENDOR_PAGE_MAX 200

enum kk_vendor_registration { KK_VENDOR_GENERAL = 0, KK_VENDOR_INDIVIDUAL };

/* The channels of a contact ("email", "postal", "phone", "fax", "web_form"). */
enum kk_contact_channel {
	KK_CONTACT_EMAIL = 0,
	KK_CONTACT_POSTAL,
	KK_CONTACT_PHONE,
	KK_CONTACT_FAX,
	KK_CONTACT_WEB_FORM,
	KK_CONTACT_CHANNEL_COUNT
};
/* The stored name, or "" out of range. */
const char *kk_contact_channel_name(enum kk_contact_channel c);
/* The label in the calling thread's language ("E-mail" / "電子メール"). */
const char *kk_contact_channel_label(enum kk_contact_channel c);
/* 0 and *out set when s names a channel, else -1. */
int kk_contact_channel_parse(const char *s, enum kk_contact_channel *out);

/* The one table of product types (issue 8 capability 2). */
enum kk_product_type {
	KK_PRODUCT_TYPE_NONE = 0, /* not given */
	KK_PRODUCT_APPLICATION,
	KK_PRODUCT_OS,
	KK_PRODUCT_NETWORK_DEVICE,
	KK_PRODUCT_CONTROL_SYSTEM,
	KK_PRODUCT_IOT_DEVICE,
	KK_PRODUCT_LIBRARY,
	KK_PRODUCT_SERVICE,
	KK_PRODUCT_HARDWARE,
	KK_PRODUCT_FIRMWARE,
	KK_PRODUCT_OTHER,
	KK_PRODUCT_TYPE_COUNT
};
struct kk_product_type_info {
	enum kk_product_type type;
	const char *name;  /* stored and in JSON: "application", "os", "network_device", … */
	const char *label; /* English label, an N_() msgid: kk_product_type_label translates it */
};
/* The types from KK_PRODUCT_APPLICATION on, in order, ended by a NULL name
 * (for select boxes). */
extern const struct kk_product_type_info kk_product_types[];
/* The stored name; "" for KK_PRODUCT_TYPE_NONE or out of range. */
const char *kk_product_type_name(enum kk_product_type t);
/* The label in the calling thread's language; "" for none. */
const char *kk_product_type_label(enum kk_product_type t);
/* 0 and *out set when s names a type, else -1. */
int kk_product_type_parse(const char *s, enum kk_product_type *out);

/* One way to reach a vendor. Strings owned by the struct. */
struct kk_vendor_contact {
	int64_t id, vendor_id;
	enum kk_contact_channel channel;
	char *value;      /* address, number or URL as the channel needs */
	char *department; /* department or person, or NULL */
	int is_primary;   /* the first to use for this channel */
	int is_valid;     /* 0: known to be out of date, kept for the record */
	int64_t created_at, updated_at;
};

/* A vendor (製品開発者). Strings owned by the struct, NULL when not set;
 * kk_vendor_release frees them. */
struct kk_vendor {
	int64_t id;
	int64_t myjvn_vid;  /* 0 when not from the MyJVN dictionary */
	char *name_ja, *name_en; /* at least one */
	char *cpe23;        /* the vendor's CPE name (from MyJVN), or NULL */
	char **aliases;     /* n_aliases other names */
	size_t n_aliases;
	char *country;      /* ISO 3166-1 alpha-2, upper case ("JP") */
	char *website;      /* http(s) URL */
	enum kk_vendor_registration registration_type;
	int listed_publicly;        /* consents to the public list (G IV.4.1) */
	int accepts_direct_reports; /* takes reports from finders directly */
	char *intake_email;         /* where, when it does */
	char *policy_url;           /* its disclosure policy */
	char *pgp_key;              /* ASCII-armoured public key */
	char preferred_lang[3];     /* "ja", "en" or "" */
	int64_t last_contact_at;    /* 0: never contacted */
	int64_t created_at, updated_at;
	/* loaded by kk_vendor_get only (details 1; 0 in lists) */
	int details;
	struct kk_vendor_contact *contacts; /* every contact, primary first */
	size_t n_contacts;
	int64_t n_products;
};

void kk_vendor_release(struct kk_vendor *v);            /* accepts NULL; zeroes v */
void kk_vendor_contact_release(struct kk_vendor_contact *c); /* accepts NULL; zeroes c */

/* A product of a vendor. */
struct kk_product {
	int64_t id, vendor_id;
	int64_t myjvn_pid; /* 0 when not from the MyJVN dictionary */
	char *name_ja, *name_en; /* at least one */
	char *cpe23;      /* CPE 2.3 formatted string, or NULL */
	enum kk_product_type type;
	char *versions;   /* free text: versions or ranges ("1.0-1.4, 2.x"), or NULL */
	int end_of_support;
	int64_t created_at, updated_at;
};
void kk_product_release(struct kk_product *p); /* accepts NULL; zeroes p */

/* A page of a list: page from 1, limit 0 for the default. */
struct kk_vendor_page {
	size_t page, limit;
};

struct kk_vendor_list {
	struct kk_vendor *items; /* without contacts */
	size_t n;
	int64_t total; /* vendors the viewer may see in all */
};
void kk_vendor_list_release(struct kk_vendor_list *l); /* accepts NULL */

struct kk_product_list {
	struct kk_product *items;
	size_t n;
	int64_t total;
};
void kk_product_list_release(struct kk_product_list *l); /* accepts NULL */

/*
 * Registers a vendor from body (docs/api/vendors.md): {"name_ja", "name_en",
 * "aliases": [...], "country", "website", "registration_type",
 * "listed_publicly", "accepts_direct_reports", "intake_email", "policy_url",
 * "pgp_key", "preferred_lang", "contacts": [{"channel", "value",
 * "department", "is_primary", "is_valid"}]}. At least one name; unknown
 * members are field errors. G IV.4.2: a coordinator adds a vendor on the
 * spot (vendor.add). Audited ("vendor.add", and "contact.add" per contact).
 * *id_out (may be NULL) gets the new id. KK_EINVAL with every fault in
 * err->fields, nothing stored; KK_ENOTFOUND when the viewer may not add.
 */
enum kk_result kk_vendor_add(struct kk_store *s, const struct kk_user *viewer, const json_t *body,
			     int64_t *id_out, struct kk_error *err);

/* Loads vendor id with its aliases, contacts and product count into *out
 * (released by the caller, also on error). */
enum kk_result kk_vendor_get(struct kk_store *s, const struct kk_user *viewer, int64_t id,
			     struct kk_vendor *out, struct kk_error *err);

/*
 * Changes the members patch names (the same as kk_vendor_add's except
 * "contacts"; null clears an optional member, "aliases" replaces the list).
 * An empty patch changes nothing. Audited ("vendor.update", detail
 * {"before", "after"} of the members changed). KK_EINVAL with fields,
 * KK_ENOTFOUND, nothing stored on failure.
 */
enum kk_result kk_vendor_update(struct kk_store *s, const struct kk_user *viewer, int64_t id,
				const json_t *patch, struct kk_error *err);

/* The vendors the viewer may read, by name (name_en, else name_ja, then id);
 * a vendor user gets its own only. *out released by the caller. */
enum kk_result kk_vendor_list(struct kk_store *s, const struct kk_user *viewer, const struct kk_vendor_page *page,
			      struct kk_vendor_list *out, struct kk_error *err);

/* The vendor's audit history (kk_audit_list's array, oldest first) for a
 * viewer who may read the vendor; *out the caller releases. */
enum kk_result kk_vendor_history(struct kk_store *s, const struct kk_user *viewer, int64_t id, json_t **out,
				 struct kk_error *err);

/*
 * Contacts. body: {"channel", "value", "department", "is_primary",
 * "is_valid"}; the value must suit the channel (an e-mail address, an http(s)
 * URL for web_form, a phone or FAX number of digits, spaces and "+-()"). A
 * primary contact makes the others of its channel not primary; a contact
 * marked not valid is not primary. Every change
 * is audited on the vendor ("contact.add", "contact.update" with before and
 * after, "contact.remove" with before) in the same transaction. A contact of
 * another vendor is KK_ENOTFOUND.
 */
enum kk_result kk_vendor_contact_add(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
				     const json_t *body, int64_t *id_out, struct kk_error *err);
enum kk_result kk_vendor_contact_update(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
					int64_t contact_id, const json_t *patch, struct kk_error *err);
enum kk_result kk_vendor_contact_remove(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
					int64_t contact_id, struct kk_error *err);

/*
 * Products. body: {"name_ja", "name_en", "cpe" (a CPE 2.3 name, or a 2.2 URI
 * converted to 2.3 with cpe.h), "product_type", "versions",
 * "end_of_support"}. Audited on the vendor ("product.add",
 * "product.update"). A product of another vendor is KK_ENOTFOUND.
 */
enum kk_result kk_product_add(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
			      const json_t *body, int64_t *id_out, struct kk_error *err);
enum kk_result kk_product_update(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
				 int64_t product_id, const json_t *patch, struct kk_error *err);
enum kk_result kk_product_get(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
			      int64_t product_id, struct kk_product *out, struct kk_error *err);
/* The vendor's products by name. */
enum kk_result kk_product_list(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
			       const struct kk_vendor_page *page, struct kk_product_list *out, struct kk_error *err);

/*
 * JSON for the API and pages (docs/api/vendors.md); new references, NULL when
 * out of memory. lang ("ja" or "en") picks "name" (the name in that language
 * when there is one, else the other) and the labels.
 *   vendor:  {"id", "myjvn_vid", "name", "name_ja", "name_en", "aliases",
 *            "cpe", "country", "website", "registration_type",
 *            "listed_publicly", "accepts_direct_reports", "intake_email",
 *            "policy_url", "pgp_key", "preferred_lang", "last_contact_at",
 *            "created_at", "updated_at", "registration_type_label"} plus,
 *            with details, "contacts" and "product_count"
 *   contact: {"id", "channel", "channel_label", "value", "department",
 *            "is_primary", "is_valid", "created_at", "updated_at"}
 *   product: {"id", "vendor_id", "myjvn_pid", "name", "name_ja", "name_en",
 *            "cpe", "product_type", "product_type_label", "versions",
 *            "end_of_support", "created_at", "updated_at"}
 * Times are ISO 8601 in UTC ("2026-01-05T09:00:00Z"), null when not set.
 */
json_t *kk_vendor_to_json(const struct kk_vendor *v, const char *lang);
json_t *kk_vendor_contact_to_json(const struct kk_vendor_contact *c);
json_t *kk_product_to_json(const struct kk_product *p, const char *lang);

#endif
