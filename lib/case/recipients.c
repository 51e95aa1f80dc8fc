/*
 * recipients.c: the recipients of priority provision (issue 10; SPEC 2.10,
 * G IV.4.8; provision.h): government bodies and critical-infrastructure
 * operators, each registered with the record of its acceptance of the three
 * conditions of G IV.4.8 (who accepted them for it, and when). Their users
 * are users of an organisation bound to the recipient (kk_user_add_recipient).
 */
#include <inttypes.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/provision.h"
#include "keikai/util.h"
#include "internal.h"
#include "store/provisions.h"

#define NAME_MAX_CHARS 200
#define NOTE_MAX 10000 /* bytes */

/* G IV.4.8 (ア)-(ウ): 優先的な情報提供を受ける基盤保有事業者は、以下の条件をすべて満たす必要があります。 */
const char *const kk_recipient_conditions_ja[KK_RECIPIENT_CONDITIONS] = {
	"(ア) 情報を提供された当該事業者の中で秘密情報管理を徹底すること",
	"(イ) 当該事業者自身の委託先（システム構築事業者、セキュリティベンダ等）各社において、秘密情報管理を徹底すること",
	"(ウ) JPCERT/CC から優先的に提供される情報は当該基盤を防護する目的に対してのみ利用することを徹底すること",
};
const char *const kk_recipient_conditions_en[KK_RECIPIENT_CONDITIONS] = {
	"(a) The organisation keeps the information it is given strictly confidential within itself.",
	"(b) Each of its own contractors (system integrators, security vendors and the like) keeps it strictly "
	"confidential too.",
	"(c) The information provided with priority by the coordinator is used only to protect the infrastructure "
	"concerned.",
};

static const char *const kinds[] = { "government", "critical_infrastructure", NULL };

/* Checks body into r (its strings borrowed from body); field errors into err. */
static void recipient_from_json(const json_t *body, struct kk_recipient *r, struct kk_error *err)
{
	static const char *const members[] = { "name_ja",     "name_en",     "kind", "conditions_accepted",
					       "accepted_by", "accepted_at", "note", NULL };
	const json_t *accepted = json_object_get(body, "conditions_accepted"), *at = json_object_get(body, "accepted_at");
	size_t i;

	if (!case_only_members(body, members, err) && !json_is_object(body))
		return;
	r->name_ja = case_text(body, "name_ja", 0, NAME_MAX_CHARS, 0, err);
	r->name_en = case_text(body, "name_en", 0, NAME_MAX_CHARS, 0, err);
	if (kk_str_empty(r->name_ja) && kk_str_empty(r->name_en) && !json_object_get(err->fields, "name_ja") &&
	    !json_object_get(err->fields, "name_en"))
		kk_error_field(err, "name_ja", "%s", _("Give the name in Japanese or in English."));
	r->kind = case_text(body, "kind", 1, 32, 0, err);
	for (i = 0; r->kind && kinds[i] && strcmp(kinds[i], r->kind) != 0; i++)
		;
	if (r->kind && !kinds[i]) {
		kk_error_field(err, "kind", "%s", _("Must be \"government\" or \"critical_infrastructure\"."));
		r->kind = NULL;
	}
	/* G IV.4.8: a recipient must meet every condition */
	if (!json_is_true(accepted))
		kk_error_field(err, "conditions_accepted", "%s",
			       _("The recipient must have accepted all three conditions of priority provision (G IV.4.8)."));
	r->accepted_by = case_text(body, "accepted_by", 1, NAME_MAX_CHARS, 0, err);
	if (at && !json_is_null(at) && (!json_is_integer(at) || json_integer_value(at) < 0))
		kk_error_field(err, "accepted_at", "%s", _("Must be a time (unix seconds)."));
	else if (at && !json_is_null(at))
		r->accepted_at = json_integer_value(at);
	r->note = case_text(body, "note", 0, NOTE_MAX, 1, err);
}

enum kk_result kk_recipient_add(struct kk_store *s, const struct kk_user *actor, const json_t *body, json_t **out,
				struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	struct kk_recipient r = { 0 };
	struct kk_tx tx;
	json_t *arr = NULL, *detail = NULL;
	enum kk_result res;

	*out = NULL;
	if (!err)
		err = &mine;
	if (!kk_may(actor, KK_ACT_RECIPIENT_MANAGE, NULL)) {
		res = kk_error_set(err, KK_EDENIED, "%s", _("Only a coordinator or an administrator registers recipients."));
		goto done;
	}
	recipient_from_json(body, &r, err);
	if (kk_error_has_fields(err) || !json_is_object(body)) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The recipient could not be registered."));
		goto done;
	}
	r.created_at = kk_now();
	if (!r.accepted_at)
		r.accepted_at = r.created_at;
	r.created_by = actor->id;
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		goto done;
	res = kk_recipients_insert(&tx, &r, err);
	if (!res) {
		detail = json_pack("{s:o, s:o, s:s, s:s, s:I}", "name_ja", kk_json_str_or_null(r.name_ja), "name_en",
				   kk_json_str_or_null(r.name_en), "kind", r.kind, "accepted_by", r.accepted_by,
				   "accepted_at", (json_int_t)r.accepted_at);
		res = detail ? kk_audit_record(&tx, actor, "recipient", r.id, "recipient.add", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	if (!res && !(arr = json_array()))
		res = kk_error_nomem(err);
	if (!res)
		res = kk_recipients_json(&tx, r.id, arr, err);
	if (!res && !(*out = json_incref(json_array_get(arr, 0))))
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "recipient");
	res = case_end(&tx, res, out, err);
done:
	json_decref(detail);
	json_decref(arr);
	kk_error_release(&mine);
	return res;
}

enum kk_result kk_recipient_list(struct kk_store *s, const struct kk_user *viewer, json_t **out,
				 struct kk_error *err)
{
	struct kk_tx tx;
	json_t *arr;
	enum kk_result res;

	*out = NULL;
	if (!kk_may(viewer, KK_ACT_RECIPIENT_MANAGE, NULL))
		return kk_error_set(err, KK_EDENIED, "%s", _("Only a coordinator or an administrator sees the recipients."));
	if (!(arr = json_array()))
		return kk_error_nomem(err);
	res = kk_tx_begin(s, 0, &tx, err);
	if (!res) {
		res = kk_recipients_json(&tx, 0, arr, err);
		if (!res && !(*out = json_pack("{s:O}", "recipients", arr)))
			res = kk_error_nomem(err);
		res = case_end(&tx, res, out, err);
	}
	json_decref(arr);
	return res;
}

enum kk_result kk_recipient_exists(struct kk_store *s, int64_t id, struct kk_error *err)
{
	struct kk_tx tx;
	json_t *arr = json_array();
	enum kk_result res;

	if (!arr)
		return kk_error_nomem(err);
	res = kk_tx_begin(s, 0, &tx, err);
	if (!res) {
		res = kk_recipients_json(&tx, id, arr, err);
		if (!res && (id < 1 || json_array_size(arr) == 0))
			res = kk_error_set(err, KK_ENOTFOUND, _("There is no recipient %" PRId64 "."), id);
		res = kk_tx_end(&tx, res, err);
	}
	json_decref(arr);
	return res;
}
