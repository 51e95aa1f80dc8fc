/*
 * access.c: reaching a case (internal.h). Every module of lib/case/ loads a
 * case through case_load, which reads the case with where the user's vendor
 * stands in it and asks the access policy (authz.h, SPEC 1): a case the user
 * may not read is missing, with the same message as one that does not exist.
 */
#include <stdio.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/vendor.h"
#include "internal.h"

void case_ctx_release(struct case_ctx *cx)
{
	if (!cx)
		return;
	kk_case_release(&cx->c);
	kk_case_vendor_release(&cx->own);
	memset(cx, 0, sizeof(*cx));
}

enum kk_result case_missing(const char *ref, struct kk_error *err)
{
	return kk_error_set(err, KK_ENOTFOUND, _("There is no case %s."), ref && case_ref_valid(ref) ? ref : "");
}

int case_ref_valid(const char *ref)
{
	size_t n = 0;

	while (n < 8 && ((ref[n] >= 'A' && ref[n] <= 'Z') || (ref[n] >= 'a' && ref[n] <= 'z')))
		n++;
	if (n == 0 || ref[n] != '#')
		return 0;
	ref += n + 1;
	for (n = 0; n < 6; n++)
		if (ref[n] < '0' || ref[n] > '9')
			return 0;
	return ref[6] == '\0';
}

int case_may(const struct kk_user *user, enum kk_action action, const struct case_ctx *cx)
{
	struct kk_object obj = { .party = &cx->party };

	return kk_may(user, action, &obj);
}

enum kk_result case_load(struct kk_tx *tx, const struct kk_user *user, const char *ref, enum kk_action action,
			 struct case_ctx *cx, struct kk_error *err)
{
	enum kk_result res;

	memset(cx, 0, sizeof(*cx));
	if (!ref || !case_ref_valid(ref))
		return case_missing(ref, err);
	res = kk_cases_load(tx, ref, 0, &cx->c, err);
	if (res == KK_ENOTFOUND)
		return case_missing(ref, err);
	if (res)
		return res;
	if (user->vendor_id != 0) {
		res = kk_case_vendors_load(tx, cx->c.id, user->vendor_id, &cx->own, err);
		if (res == KK_OK && cx->own.finder_contact)
			res = kk_case_reports_any_direct(tx, cx->c.id, &cx->finder_direct, err);
		if (res == KK_ENOTFOUND)
			res = KK_OK;
		if (res) {
			case_ctx_release(cx);
			return res;
		}
	}
	cx->party.vendor_id = cx->own.id ? cx->own.vendor_id : 0;
	cx->party.notified = cx->own.notified_at != 0;
	cx->party.detail = cx->own.detail_requested_at != 0;
	cx->party.names_shared = cx->c.vendors_see_names;
	cx->party.direct = cx->own.finder_contact && cx->finder_direct;
	/* SPEC 1: what a user may not read does not exist for that user */
	if (!case_may(user, KK_ACT_CASE_READ, cx)) {
		case_ctx_release(cx);
		return case_missing(ref, err);
	}
	if (action != KK_ACT_CASE_READ && !case_may(user, action, cx)) {
		case_ctx_release(cx);
		return kk_error_set(err, KK_EDENIED, _("You may not do this on case %s (%s)."), ref,
				    kk_action_name(action));
	}
	return KK_OK;
}

enum kk_result case_fire(struct kk_tx *tx, const struct kk_user *actor, const struct kk_flow *f, int64_t object_id,
			 void *object, const void *input, const char *from, const char *event, struct kk_error *err)
{
	struct kk_flow_step step = { .tx = tx, .actor = actor, .object_id = object_id, .object = object, .input = input };

	return kk_flow_fire(f, &step, from, event, err);
}

const char *case_finder_letter(int n, char *buf, size_t size)
{
	snprintf(buf, size, "%c", n >= 0 && n < KK_CASE_REPORTS_MAX ? 'A' + n : '?');
	return buf;
}

const char *case_finder_label(const char *letter, char *buf, size_t size)
{
	snprintf(buf, size, _("Finder %s"), letter);
	return buf;
}

const char *case_vendor_name(const char *name_ja, const char *name_en)
{
	return kk_vendor_name_in(kk_lang_code(kk_i18n_current()), name_ja, name_en);
}
