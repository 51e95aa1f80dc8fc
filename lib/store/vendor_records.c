/*
 * vendor_records.c: the repository of the maintained vendor registry
 * (vendor_records.h): one vendor, contact or product at a time, in the SQL
 * both engines share (store.h). What is valid is lib/vendor/'s to decide;
 * this file maps typed values to rows and back. Flags are 0/1 BIGINTs, empty
 * optional texts are NULL (the core never hands "" down).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "vendor_records.h"
#include "vendors.h"

#define VENDOR_COLUMNS                                                                                      \
	"id, myjvn_vid, name_ja, name_en, cpe23, country, website, registration_type, listed_publicly,"    \
	" accepts_direct_reports, intake_email, policy_url, pgp_key, preferred_lang, last_contact_at,"    \
	" created_at, updated_at"
#define CONTACT_COLUMNS "id, vendor_id, channel, value, department, is_primary, is_valid, created_at, updated_at"
#define PRODUCT_COLUMNS                                                                                     \
	"id, vendor_id, myjvn_pid, name_ja, name_en, cpe23, product_type, versions, end_of_support,"       \
	" created_at, updated_at"
/* by name: the English one when there is one, as the public list shows them */
#define BY_NAME " ORDER BY lower(COALESCE(name_en, name_ja)), id"

/* Reads the current row into item (a struct of the row's kind). */
typedef enum kk_result row_reader(const struct kk_stmt *st, void *item, struct kk_error *err);

/* Runs st, an INSERT … RETURNING id, into *id and frees it; what names the
 * row in the error when the database returns none. */
static enum kk_result insert_id(struct kk_stmt *st, const char *what, int64_t *id, struct kk_error *err)
{
	enum kk_result res = kk_stmt_first(st, err);

	if (res == KK_OK)
		*id = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND) /* RETURNING always gives the row */
		res = kk_error_set(err, KK_EDB, "%s", what);
	kk_stmt_free(st);
	return res;
}

/* Runs st, an UPDATE or DELETE of one row, and frees it: KK_ENOTFOUND when
 * it changed none. */
static enum kk_result change_one(struct kk_stmt *st, struct kk_error *err)
{
	enum kk_result res = kk_stmt_exec(st, err);

	if (res == KK_OK && kk_stmt_changes(st) == 0)
		res = KK_ENOTFOUND;
	kk_stmt_free(st);
	return res;
}

/* Runs st, a query of one row, into *out with read and frees it; KK_ENOTFOUND
 * when there is no row. */
static enum kk_result load_one(struct kk_stmt *st, row_reader *read, void *out, struct kk_error *err)
{
	enum kk_result res = kk_stmt_first(st, err);

	if (res == KK_OK)
		res = read(st, out, err);
	kk_stmt_free(st);
	return res;
}

/* A page of rows of one key (parameter 1 of both statements): count_sql
 * counts them all into *total, page_sql (LIMIT ?2 OFFSET ?3) reads at most
 * limit of them from offset with read into a new array *items of elements of
 * size bytes; *n gets how many were read. */
static enum kk_result load_page(struct kk_tx *tx, const char *count_sql, const char *page_sql, int64_t key,
				size_t offset, size_t limit, size_t size, row_reader *read, void **items, size_t *n,
				int64_t *total, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, count_sql, err);
	enum kk_step step = KK_STEP_DONE;
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, key);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		*total = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	if (res != KK_OK)
		return res == KK_ENOTFOUND ? KK_OK : res;
	if (limit == 0 || (int64_t)offset >= *total)
		return KK_OK;
	if (!(*items = kk_calloc(limit, size)))
		return kk_error_nomem(err);
	if (!(st = kk_stmt_prepare(tx, page_sql, err)))
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, key);
	kk_stmt_bind_int(st, 2, (int64_t)limit);
	kk_stmt_bind_int(st, 3, (int64_t)offset);
	while (res == KK_OK && *n < limit && (step = kk_stmt_step(st, err)) == KK_STEP_ROW)
		res = read(st, (char *)*items + (*n)++ * size, err);
	if (res == KK_OK && *n < limit && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

/* ---- vendors ---- */

static enum kk_result read_vendor(const struct kk_stmt *st, void *item, struct kk_error *err)
{
	struct kk_vendor *v = item;
	int lost = 0;
	const char *lang;

	v->id = kk_stmt_int(st, 0);
	v->myjvn_vid = kk_stmt_int(st, 1);
	kk_stmt_dup_into(st, 2, &v->name_ja, &lost);
	kk_stmt_dup_into(st, 3, &v->name_en, &lost);
	kk_stmt_dup_into(st, 4, &v->cpe23, &lost);
	kk_stmt_dup_into(st, 5, &v->country, &lost);
	kk_stmt_dup_into(st, 6, &v->website, &lost);
	v->registration_type = kk_stmt_text(st, 7) && strcmp(kk_stmt_text(st, 7), "individual") == 0 ? KK_VENDOR_INDIVIDUAL
										: KK_VENDOR_GENERAL;
	v->listed_publicly = kk_stmt_int(st, 8) != 0;
	v->accepts_direct_reports = kk_stmt_int(st, 9) != 0;
	kk_stmt_dup_into(st, 10, &v->intake_email, &lost);
	kk_stmt_dup_into(st, 11, &v->policy_url, &lost);
	kk_stmt_dup_into(st, 12, &v->pgp_key, &lost);
	lang = kk_stmt_text(st, 13); /* NULL for none */
	snprintf(v->preferred_lang, sizeof(v->preferred_lang), "%s",
		 lang && (strcmp(lang, "ja") == 0 || strcmp(lang, "en") == 0) ? lang : "");
	v->last_contact_at = kk_stmt_int(st, 14);
	v->created_at = kk_stmt_int(st, 15);
	v->updated_at = kk_stmt_int(st, 16);
	return lost ? kk_error_nomem(err) : KK_OK;
}

/* Binds the maintained columns from parameter 1 on: name_ja, name_en,
 * country, website, registration_type, listed_publicly,
 * accepts_direct_reports, intake_email, policy_url, pgp_key, preferred_lang
 * (11 parameters). */
static void bind_vendor(struct kk_stmt *st, const struct kk_vendor *v)
{
	kk_stmt_bind_text(st, 1, v->name_ja);
	kk_stmt_bind_text(st, 2, v->name_en);
	kk_stmt_bind_text(st, 3, v->country);
	kk_stmt_bind_text(st, 4, v->website);
	kk_stmt_bind_text(st, 5, v->registration_type == KK_VENDOR_INDIVIDUAL ? "individual" : "general");
	kk_stmt_bind_int(st, 6, v->listed_publicly != 0);
	kk_stmt_bind_int(st, 7, v->accepts_direct_reports != 0);
	kk_stmt_bind_text(st, 8, v->intake_email);
	kk_stmt_bind_text(st, 9, v->policy_url);
	kk_stmt_bind_text(st, 10, v->pgp_key);
	kk_stmt_bind_text(st, 11, v->preferred_lang[0] ? v->preferred_lang : NULL);
}

static enum kk_result insert_aliases(struct kk_tx *tx, int64_t vendor_id, const struct kk_vendor *v,
				     struct kk_error *err)
{
	struct kk_stmt *st;
	enum kk_result res = KK_OK;

	if (v->n_aliases == 0)
		return KK_OK;
	st = kk_stmt_prepare(tx, "INSERT INTO vendor_aliases(vendor_id, alias) VALUES(?, ?)", err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	for (size_t i = 0; res == KK_OK && i < v->n_aliases; i++) {
		kk_stmt_reset(st);
		kk_stmt_bind_int(st, 1, vendor_id);
		kk_stmt_bind_text(st, 2, v->aliases[i]);
		res = kk_stmt_exec(st, err);
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_vrec_vendor_insert(struct kk_tx *tx, const struct kk_vendor *v, int64_t now, int64_t *id,
				     struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"INSERT INTO vendors(name_ja, name_en, country, website, registration_type, listed_publicly,"
		" accepts_direct_reports, intake_email, policy_url, pgp_key, preferred_lang, created_at, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) RETURNING id",
		err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	bind_vendor(st, v);
	kk_stmt_bind_int(st, 12, now);
	res = insert_id(st, _("The database did not return the new vendor's id."), id, err);
	if (res == KK_OK)
		res = insert_aliases(tx, *id, v, err);
	return res == KK_OK ? kk_vendors_registry_touch(tx, err) : res;
}

enum kk_result kk_vrec_vendor_update(struct kk_tx *tx, const struct kk_vendor *v, int64_t now,
				     struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"UPDATE vendors SET name_ja = ?1, name_en = ?2, country = ?3, website = ?4, registration_type = ?5,"
		" listed_publicly = ?6, accepts_direct_reports = ?7, intake_email = ?8, policy_url = ?9,"
		" pgp_key = ?10, preferred_lang = ?11, updated_at = ?12 WHERE id = ?13",
		err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	bind_vendor(st, v);
	kk_stmt_bind_int(st, 12, now);
	kk_stmt_bind_int(st, 13, v->id);
	res = change_one(st, err);
	if (res == KK_OK) {
		st = kk_stmt_prepare(tx, "DELETE FROM vendor_aliases WHERE vendor_id = ?", err);
		if (st)
			kk_stmt_bind_int(st, 1, v->id);
		res = kk_stmt_once(st, err);
	}
	if (res == KK_OK)
		res = insert_aliases(tx, v->id, v, err);
	return res == KK_OK ? kk_vendors_registry_touch(tx, err) : res;
}

static enum kk_result load_aliases(struct kk_tx *tx, struct kk_vendor *v, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT alias FROM vendor_aliases WHERE vendor_id = ? ORDER BY id", err);
	enum kk_step step = KK_STEP_DONE;
	size_t cap = 0;
	enum kk_result res = KK_OK;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, v->id);
	while (res == KK_OK && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		if (v->n_aliases == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			char **n = kk_realloc(v->aliases, ncap * sizeof(*n));

			if (!n) {
				res = kk_error_nomem(err);
				break;
			}
			v->aliases = n;
			cap = ncap;
		}
		if (!(v->aliases[v->n_aliases] = kk_stmt_dup(st, 0)))
			res = kk_error_nomem(err);
		else
			v->n_aliases++;
	}
	if (res == KK_OK && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

static enum kk_result read_contact(const struct kk_stmt *st, void *item, struct kk_error *err)
{
	struct kk_vendor_contact *c = item;
	int lost = 0;

	c->id = kk_stmt_int(st, 0);
	c->vendor_id = kk_stmt_int(st, 1);
	if (kk_contact_channel_parse(kk_stmt_text(st, 2), &c->channel) != 0)
		c->channel = KK_CONTACT_EMAIL; /* the table's CHECK allows no other */
	kk_stmt_dup_into(st, 3, &c->value, &lost);
	kk_stmt_dup_into(st, 4, &c->department, &lost);
	c->is_primary = kk_stmt_int(st, 5) != 0;
	c->is_valid = kk_stmt_int(st, 6) != 0;
	c->created_at = kk_stmt_int(st, 7);
	c->updated_at = kk_stmt_int(st, 8);
	return lost ? kk_error_nomem(err) : KK_OK;
}

static enum kk_result load_contacts(struct kk_tx *tx, struct kk_vendor *v, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT " CONTACT_COLUMNS " FROM vendor_contacts WHERE vendor_id = ?"
					     " ORDER BY is_valid DESC, is_primary DESC, channel, id",
					     err);
	enum kk_step step = KK_STEP_DONE;
	size_t cap = 0;
	enum kk_result res = KK_OK;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, v->id);
	while (res == KK_OK && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		if (v->n_contacts == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			struct kk_vendor_contact *n = kk_realloc(v->contacts, ncap * sizeof(*n));

			if (!n) {
				res = kk_error_nomem(err);
				break;
			}
			v->contacts = n;
			cap = ncap;
		}
		memset(&v->contacts[v->n_contacts], 0, sizeof(v->contacts[0]));
		res = read_contact(st, &v->contacts[v->n_contacts++], err);
	}
	if (res == KK_OK && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

static enum kk_result count_products(struct kk_tx *tx, struct kk_vendor *v, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT COUNT(*) FROM products WHERE vendor_id = ?", err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, v->id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		v->n_products = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND)
		res = KK_OK;
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_vrec_vendor_load(struct kk_tx *tx, int64_t id, int details, struct kk_vendor *out,
				   struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT " VENDOR_COLUMNS " FROM vendors WHERE id = ?", err);
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	res = load_one(st, read_vendor, out, err);
	if (res == KK_OK)
		res = load_aliases(tx, out, err);
	if (res == KK_OK && details) {
		out->details = 1;
		res = load_contacts(tx, out, err);
	}
	if (res == KK_OK && details)
		res = count_products(tx, out, err);
	return res;
}

enum kk_result kk_vrec_vendor_list(struct kk_tx *tx, int64_t only, size_t offset, size_t limit,
				   struct kk_vendor_list *out, struct kk_error *err)
{
	void *items = NULL;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	res = load_page(tx, "SELECT COUNT(*) FROM vendors WHERE ?1 = 0 OR id = ?1",
			 "SELECT " VENDOR_COLUMNS " FROM vendors WHERE ?1 = 0 OR id = ?1" BY_NAME " LIMIT ?2 OFFSET ?3",
			 only, offset, limit, sizeof(*out->items), read_vendor, &items, &out->n, &out->total,
			err);
	out->items = items;
	return res;
}

/* ---- contacts ---- */

enum kk_result kk_vrec_contact_insert(struct kk_tx *tx, const struct kk_vendor_contact *c, int64_t now,
				      int64_t *id, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"INSERT INTO vendor_contacts(vendor_id, channel, value, department, is_primary, is_valid,"
		" created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
		err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, c->vendor_id);
	kk_stmt_bind_text(st, 2, kk_contact_channel_name(c->channel));
	kk_stmt_bind_text(st, 3, c->value);
	kk_stmt_bind_text(st, 4, c->department);
	kk_stmt_bind_int(st, 5, c->is_primary != 0);
	kk_stmt_bind_int(st, 6, c->is_valid != 0);
	kk_stmt_bind_int(st, 7, now);
	return insert_id(st, _("The database did not return the new contact's id."), id, err);
}

enum kk_result kk_vrec_contact_update(struct kk_tx *tx, const struct kk_vendor_contact *c, int64_t now,
				      struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE vendor_contacts SET channel = ?, value = ?, department = ?,"
					     " is_primary = ?, is_valid = ?, updated_at = ? WHERE id = ? AND vendor_id = ?",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, kk_contact_channel_name(c->channel));
	kk_stmt_bind_text(st, 2, c->value);
	kk_stmt_bind_text(st, 3, c->department);
	kk_stmt_bind_int(st, 4, c->is_primary != 0);
	kk_stmt_bind_int(st, 5, c->is_valid != 0);
	kk_stmt_bind_int(st, 6, now);
	kk_stmt_bind_int(st, 7, c->id);
	kk_stmt_bind_int(st, 8, c->vendor_id);
	return change_one(st, err);
}

enum kk_result kk_vrec_contact_delete(struct kk_tx *tx, int64_t vendor_id, int64_t id, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "DELETE FROM vendor_contacts WHERE id = ? AND vendor_id = ?", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	kk_stmt_bind_int(st, 2, vendor_id);
	return change_one(st, err);
}

enum kk_result kk_vrec_contact_load(struct kk_tx *tx, int64_t vendor_id, int64_t id, struct kk_vendor_contact *out,
				    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "SELECT " CONTACT_COLUMNS " FROM vendor_contacts WHERE id = ? AND vendor_id = ?", err);

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	kk_stmt_bind_int(st, 2, vendor_id);
	return load_one(st, read_contact, out, err);
}

enum kk_result kk_vrec_contact_demote(struct kk_tx *tx, int64_t vendor_id, enum kk_contact_channel channel,
				      int64_t except, int64_t now, int64_t *ids, size_t max, size_t *n,
				      struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE vendor_contacts SET is_primary = 0, updated_at = ?"
					     " WHERE vendor_id = ? AND channel = ? AND is_primary = 1 AND id <> ?"
					     " RETURNING id",
					     err);
	enum kk_step step = KK_STEP_DONE;
	enum kk_result res = KK_OK;

	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, now);
	kk_stmt_bind_int(st, 2, vendor_id);
	kk_stmt_bind_text(st, 3, kk_contact_channel_name(channel));
	kk_stmt_bind_int(st, 4, except);
	while ((step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		if (*n < max)
			ids[*n] = kk_stmt_int(st, 0);
		(*n)++;
	}
	if (step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

/* ---- products ---- */

static enum kk_result read_product(const struct kk_stmt *st, void *item, struct kk_error *err)
{
	struct kk_product *p = item;
	int lost = 0;

	p->id = kk_stmt_int(st, 0);
	p->vendor_id = kk_stmt_int(st, 1);
	p->myjvn_pid = kk_stmt_int(st, 2);
	kk_stmt_dup_into(st, 3, &p->name_ja, &lost);
	kk_stmt_dup_into(st, 4, &p->name_en, &lost);
	kk_stmt_dup_into(st, 5, &p->cpe23, &lost);
	if (kk_stmt_is_null(st, 6) || kk_product_type_parse(kk_stmt_text(st, 6), &p->type) != 0)
		p->type = KK_PRODUCT_TYPE_NONE;
	kk_stmt_dup_into(st, 7, &p->versions, &lost);
	p->end_of_support = kk_stmt_int(st, 8) != 0;
	p->created_at = kk_stmt_int(st, 9);
	p->updated_at = kk_stmt_int(st, 10);
	return lost ? kk_error_nomem(err) : KK_OK;
}

/* name_ja, name_en, cpe23, product_type, versions, end_of_support: 1-6. */
static void bind_product(struct kk_stmt *st, const struct kk_product *p)
{
	kk_stmt_bind_text(st, 1, p->name_ja);
	kk_stmt_bind_text(st, 2, p->name_en);
	kk_stmt_bind_text(st, 3, p->cpe23);
	kk_stmt_bind_text(st, 4, p->type == KK_PRODUCT_TYPE_NONE ? NULL : kk_product_type_name(p->type));
	kk_stmt_bind_text(st, 5, p->versions);
	kk_stmt_bind_int(st, 6, p->end_of_support != 0);
}

enum kk_result kk_vrec_product_insert(struct kk_tx *tx, const struct kk_product *p, int64_t now, int64_t *id,
				      struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"INSERT INTO products(name_ja, name_en, cpe23, product_type, versions, end_of_support, vendor_id,"
		" created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id",
		err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	bind_product(st, p);
	kk_stmt_bind_int(st, 7, p->vendor_id);
	kk_stmt_bind_int(st, 8, now);
	res = insert_id(st, _("The database did not return the new product's id."), id, err);
	return res == KK_OK ? kk_vendors_registry_touch(tx, err) : res;
}

enum kk_result kk_vrec_product_update(struct kk_tx *tx, const struct kk_product *p, int64_t now,
				      struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE products SET name_ja = ?1, name_en = ?2, cpe23 = ?3, product_type = ?4,"
					     " versions = ?5, end_of_support = ?6, updated_at = ?7"
					     " WHERE id = ?8 AND vendor_id = ?9",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	bind_product(st, p);
	kk_stmt_bind_int(st, 7, now);
	kk_stmt_bind_int(st, 8, p->id);
	kk_stmt_bind_int(st, 9, p->vendor_id);
	res = change_one(st, err);
	return res == KK_OK ? kk_vendors_registry_touch(tx, err) : res;
}

enum kk_result kk_vrec_product_load(struct kk_tx *tx, int64_t vendor_id, int64_t id, struct kk_product *out,
				    struct kk_error *err)
{
	struct kk_stmt *st =
		kk_stmt_prepare(tx, "SELECT " PRODUCT_COLUMNS " FROM products WHERE id = ? AND vendor_id = ?", err);

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	kk_stmt_bind_int(st, 2, vendor_id);
	return load_one(st, read_product, out, err);
}

enum kk_result kk_vrec_product_list(struct kk_tx *tx, int64_t vendor_id, size_t offset, size_t limit,
				    struct kk_product_list *out, struct kk_error *err)
{
	void *items = NULL;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	res = load_page(tx, "SELECT COUNT(*) FROM products WHERE vendor_id = ?1",
			 "SELECT " PRODUCT_COLUMNS " FROM products WHERE vendor_id = ?1" BY_NAME " LIMIT ?2 OFFSET ?3",
			 vendor_id, offset, limit, sizeof(*out->items), read_product, &items, &out->n, &out->total,
			err);
	out->items = items;
	return res;
}

/* ---- history ---- */

enum kk_result kk_vrec_history_actors(struct kk_tx *tx, int64_t vendor_id, json_t **out, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT a.actor, u.org_id, o.name FROM audit a"
					     " LEFT JOIN users u ON u.id = a.actor_id LEFT JOIN orgs o ON o.id = u.org_id"
					     " WHERE a.object_type = 'vendor' AND a.object_id = ?",
					     err);
	enum kk_step step = KK_STEP_DONE;
	enum kk_result res = KK_OK;
	json_t *map = json_object();

	*out = NULL;
	if (!st || !map) {
		kk_stmt_free(st);
		json_decref(map);
		return st ? kk_error_nomem(err) : kk_error_result(err, KK_EDB);
	}
	kk_stmt_bind_int(st, 1, vendor_id);
	while (res == KK_OK && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		const char *actor = kk_stmt_text(st, 0);
		int64_t org = kk_stmt_int(st, 1);
		const json_t *seen = json_object_get(map, actor);
		json_t *who;

		/* an actor whose rows name users of two organisations belongs to neither */
		if (seen && json_integer_value(json_object_get(seen, "org_id")) != org)
			org = 0;
		who = json_pack("{s:I, s:s?}", "org_id", (json_int_t)org, "org", org ? kk_stmt_text(st, 2) : NULL);
		if (!who || json_object_set_new(map, actor ? actor : "", who))
			res = kk_error_nomem(err);
	}
	if (res == KK_OK && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	if (res != KK_OK)
		json_decref(map);
	else
		*out = map;
	return res;
}
