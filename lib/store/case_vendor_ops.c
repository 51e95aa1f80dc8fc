/*
 * case_vendor_ops.c: the statements of notifying and answering vendors of a
 * case that the repository of case_vendors.h does not hold (lib/case/notify.c,
 * status.c; SPEC 2.6, 2.7): a vendor's address for the summary notice, its
 * last contact, and the fixed versions a status change carries. Conventions
 * as store/cases.h.
 */
#include <stdlib.h>

#include "keikai/i18n.h"
#include "case_vendors.h"

enum kk_result kk_case_vendor_email(struct kk_tx *tx, int64_t vendor_id, char **address, struct kk_error *err)
{
	/* SPEC 2.6: the primary valid e-mail contact, else the oldest valid one */
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT value FROM vendor_contacts WHERE vendor_id = ?"
					     " AND channel = 'email' AND is_valid = 1"
					     " ORDER BY is_primary DESC, id LIMIT 1",
					     err);
	enum kk_result res;

	*address = NULL;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, vendor_id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK && !(*address = kk_stmt_dup(st, 0)))
		res = kk_error_nomem(err);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_case_vendors_mail_each(struct kk_tx *tx, int64_t case_id, kk_vendor_mail_fn *fn, void *arg,
					 struct kk_error *err)
{
	struct kk_case_vendor *v = NULL;
	size_t count = 0;
	enum kk_result res = kk_case_vendors_list(tx, case_id, &v, &count, err);

	for (size_t i = 0; !res && i < count; i++) {
		enum kk_lang lang = KK_LANG_JA;
		char *address = NULL;

		if (!v[i].notified_at)
			continue;
		if (kk_lang_parse(v[i].preferred_lang, &lang) != 0)
			lang = KK_LANG_JA;
		res = kk_case_vendor_email(tx, v[i].vendor_id, &address, err);
		if (res == KK_ENOTFOUND) {
			/* no valid e-mail contact: the caller's page shows the vendor
			 * unreached (and the silent-vendor clock runs) */
			kk_error_clear(err);
			res = KK_OK;
			continue;
		}
		if (!res)
			res = fn(arg, address, lang, err);
		free(address);
	}
	kk_case_vendors_free(v, count);
	return res;
}

enum kk_result kk_case_vendor_contacted(struct kk_tx *tx, int64_t vendor_id, int64_t at, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE vendors SET last_contact_at = ? WHERE id = ?", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, at);
	kk_stmt_bind_int(st, 2, vendor_id);
	return kk_stmt_once(st, err);
}

enum kk_result kk_countermeasures_set_fixed(struct kk_tx *tx, struct kk_countermeasure *c, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE countermeasures SET fixed_versions = ?, updated_at = ?,"
					     " updated_by = ? WHERE case_vendor_id = ? AND vulnerability_id = ?"
					     " AND product_id IS NULL AND product_name IS NULL",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, c->fixed_versions);
	kk_stmt_bind_int(st, 2, c->updated_at);
	kk_stmt_bind_opt_int(st, 3, c->updated_by);
	kk_stmt_bind_int(st, 4, c->case_vendor_id);
	kk_stmt_bind_int(st, 5, c->vuln_id);
	res = kk_stmt_exec(st, err);
	if (res == KK_OK && kk_stmt_changes(st) == 0) {
		kk_stmt_free(st);
		c->product_id = 0;
		return kk_countermeasures_put(tx, c, err);
	}
	kk_stmt_free(st);
	return res;
}
