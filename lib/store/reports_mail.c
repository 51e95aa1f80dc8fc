/*
 * reports_mail.c: the reports repository's part for reports that came by
 * mail (reports_mail.h; issue 11, item 4), in the SQL both engines share.
 */
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/util.h"
#include "reports.h"
#include "reports_mail.h"

enum kk_result kk_reports_mail_complete(struct kk_tx *tx, const struct kk_report *r, enum kk_report_status from,
					struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"UPDATE reports SET status = ?, kind = ?, finder_name = ?, finder_email = ?, finder_organization = ?,"
		" finder_phone = ?, finder_pgp_key = ?, share_identity = ?, direct_contact = ?, credit = ?,"
		" credit_name = ?, product_vendor = ?, product_name = ?, product_version = ?, website_url = ?,"
		" summary = ?, environment = ?, steps = ?, result = ?, impact = ?, workaround = ?, cvss_vector = ?,"
		" reported_elsewhere = ?, reported_to = ?, vendor_told_directly = ?, coordinated_by = ?,"
		" wants_final_result = ?, encrypted_contact = ?, impact_rank = ?, score_tenths = ?"
		" WHERE id = ? AND status = ?",
		err);
	enum kk_result res;
	int c = 1;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, c++, kk_report_status_name(r->status));
	kk_stmt_bind_text(st, c++, kk_report_kind_name(r->kind));
	c = kk_reports_bind_fields(st, r, c);
	kk_stmt_bind_int(st, c++, r->id);
	kk_stmt_bind_text(st, c++, kk_report_status_name(from));
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) != 1)
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("Someone else completed the report at the same moment."));
	kk_stmt_free(st);
	return res;
}
