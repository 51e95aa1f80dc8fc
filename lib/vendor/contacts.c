/*
 * contacts.c: the ways to reach a vendor (vendor.h; issue 8 capability 1,
 * SPEC 2.5): e-mail, postal address, phone, FAX and web form, each with a
 * department or person, a primary flag and whether it is still valid. Every
 * change is audited on the vendor in the same transaction ("contact.add",
 * "contact.update" with the members before and after, "contact.remove"
 * with what was removed), so who changed how a vendor is reached, and when,
 * is never lost. A vendor user keeps its own contacts current; coordinators
 * all (the policy's vendor.write).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "record_internal.h"
#include "store/vendor_records.h"

/* The most other primary contacts an audit record names. */
#define DEMOTED_MAX 16

/* "address" is another name of "value" (issue 9's `{"channel": "email",
 * "address": …}`), for a body that gives one of them. */
static const char *const contact_members[] = { "channel", "value", "address", "department", "is_primary", "is_valid",
					       NULL };

void kk_vcontact_apply(const json_t *obj, const char *prefix, int adding, struct kk_vendor_contact *c,
		       struct kk_error *err)
{
	char path[KK_VF_PATH_MAX], *channel = NULL;
	const json_t *v;
	const char *value_key;
	int value_given, channel_bad = 0;

	if (!json_is_object(obj)) {
		snprintf(path, sizeof(path), "%.*s", (int)(strlen(prefix) ? strlen(prefix) - 1 : 0), prefix);
		if (*path)
			kk_error_field(err, path, "%s", _("Must be an object."));
		else
			kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
		return;
	}
	if (adding)
		c->is_valid = 1;
	kk_vf_unknown(obj, prefix, contact_members, err);
	v = json_object_get(obj, "channel");
	kk_vf_path(path, prefix, "channel");
	if (v || adding) {
		kk_vf_text(obj, prefix, "channel", 20, 0, &channel, err);
		channel_bad = !channel || kk_contact_channel_parse(channel, &c->channel) != 0;
		if (!channel)
			kk_error_field(err, path, "%s", _("Required: email, postal, phone, fax or web_form."));
		else if (channel_bad)
			kk_error_field(err, path, "%s", _("Must be email, postal, phone, fax or web_form."));
		free(channel);
	}
	value_key = json_object_get(obj, "address") && !json_object_get(obj, "value") ? "address" : "value";
	if (json_object_get(obj, "address") && json_object_get(obj, "value")) {
		kk_vf_path(path, prefix, "address");
		kk_error_field(err, path, "%s", _("Give the value or the address, not both."));
	}
	value_given = json_object_get(obj, value_key) != NULL;
	kk_vf_text(obj, prefix, value_key, KK_VENDOR_TEXT_MAX, c->channel == KK_CONTACT_POSTAL, &c->value, err);
	kk_vf_text(obj, prefix, "department", KK_VENDOR_SHORT_MAX, 0, &c->department, err);
	kk_vf_bool(obj, prefix, "is_primary", &c->is_primary, err);
	kk_vf_bool(obj, prefix, "is_valid", &c->is_valid, err);

	/* the contact as a whole: the value suits the channel */
	kk_vf_path(path, prefix, value_key);
	if (!c->value) {
		if (adding || value_given)
			kk_error_field(err, path, "%s", _("Required."));
		return;
	}
	/* a value is checked against a channel that is known, once */
	if (channel_bad || (err && err->fields && json_object_get(err->fields, path)))
		return;
	switch (c->channel) {
	case KK_CONTACT_EMAIL:
		if (!kk_email_valid(c->value))
			kk_error_field(err, path, "%s", _("Not a valid e-mail address."));
		break;
	case KK_CONTACT_WEB_FORM:
		if (!kk_vf_url_valid(c->value))
			kk_error_field(err, path, "%s", _("Must be an http:// or https:// URL with a host name."));
		break;
	case KK_CONTACT_PHONE:
	case KK_CONTACT_FAX:
		if (!kk_vf_phone_valid(c->value) || strlen(c->value) > 40)
			kk_error_field(err, path, "%s",
				       _("Must be a number of at most 40 digits, spaces and the characters + - ( )."));
		break;
	case KK_CONTACT_POSTAL:
	case KK_CONTACT_CHANNEL_COUNT:
		break;
	}
	/* a contact known to be out of date is not the first to use */
	if (!c->is_valid)
		c->is_primary = 0;
}

json_t *kk_vcontact_state(const struct kk_vendor_contact *c)
{
	return json_pack("{s:s, s:s, s:o, s:b, s:b}", "channel", kk_contact_channel_name(c->channel), "value",
			 c->value ? c->value : "", "department", kk_json_str_or_null(c->department),
			 "is_primary", c->is_primary, "is_valid", c->is_valid);
}

/* The demoted ids as a JSON array. */
static json_t *ids_json(const int64_t *ids, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n && i < DEMOTED_MAX; i++) {
		if (json_array_append_new(a, json_integer(ids[i]))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Makes the channel's other primary contacts not primary when c is primary;
 * their ids go into detail as "demoted". */
static enum kk_result demote_others(struct kk_tx *tx, const struct kk_vendor_contact *c, int64_t now, json_t *detail,
				    struct kk_error *err)
{
	int64_t ids[DEMOTED_MAX];
	size_t n = 0;
	enum kk_result res;
	json_t *list;

	if (!c->is_primary)
		return KK_OK;
	res = kk_vrec_contact_demote(tx, c->vendor_id, c->channel, c->id, now, ids, DEMOTED_MAX, &n, err);
	if (res != KK_OK || n == 0)
		return res;
	list = ids_json(ids, n);
	if (!list || json_object_set_new(detail, "demoted", list))
		return kk_error_nomem(err);
	return KK_OK;
}

enum kk_result kk_vcontact_insert(struct kk_tx *tx, const struct kk_user *actor, struct kk_vendor_contact *c,
				  int64_t now, struct kk_error *err)
{
	json_t *detail = NULL;
	enum kk_result res = kk_vrec_contact_insert(tx, c, now, &c->id, err);

	if (res == KK_OK && !(detail = json_pack("{s:I, s:o}", "contact_id", (json_int_t)c->id, "after",
						 kk_vcontact_state(c))))
		res = kk_error_nomem(err);
	if (res == KK_OK)
		res = demote_others(tx, c, now, detail, err);
	if (res == KK_OK)
		res = kk_audit_record(tx, actor, "vendor", c->vendor_id, "contact.add", NULL, NULL, detail, err);
	json_decref(detail);
	return res;
}

/* Begins a write on vendor_id for viewer: KK_ENOTFOUND when the policy says
 * no (denied looks like missing) or there is no such vendor. */
static enum kk_result begin_write(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
				  struct kk_tx *tx, struct kk_error *err)
{
	struct kk_vendor v;
	enum kk_result res;

	/* SPEC 2.5: a vendor keeps its own contacts current, coordinators all */
	if (!kk_may(viewer, KK_ACT_VENDOR_WRITE, &(struct kk_object){ .vendor_id = vendor_id }))
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	res = kk_tx_begin(s, 1, tx, err);
	if (res)
		return res;
	res = kk_vrec_vendor_load(tx, vendor_id, 0, &v, err);
	kk_vendor_release(&v);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	if (res)
		kk_tx_end(tx, res, NULL);
	return res;
}

#define LEND_ERR(err, mine) ((err) ? (err) : (mine))

enum kk_result kk_vendor_contact_add(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
				     const json_t *body, int64_t *id_out, struct kk_error *err_in)
{
	struct kk_error mine = KK_ERROR_INIT, *err = LEND_ERR(err_in, &mine);
	struct kk_vendor_contact c = { 0 };
	struct kk_tx tx;
	enum kk_result res;

	/* field errors are collected in err: start from none */
	kk_error_clear(err);
	if (!kk_may(viewer, KK_ACT_VENDOR_WRITE, &(struct kk_object){ .vendor_id = vendor_id })) {
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
		goto out;
	}
	kk_vcontact_apply(body, "", 1, &c, err);
	if ((res = err->code) != KK_OK)
		goto out;
	c.vendor_id = vendor_id;
	if ((res = begin_write(s, viewer, vendor_id, &tx, err)) != KK_OK)
		goto out;
	res = kk_vcontact_insert(&tx, viewer, &c, kk_now(), err);
	res = kk_tx_end(&tx, res, err);
	if (res == KK_OK && id_out)
		*id_out = c.id;
out:
	kk_vendor_contact_release(&c);
	kk_error_release(&mine);
	return res;
}

enum kk_result kk_vendor_contact_update(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
					int64_t contact_id, const json_t *patch, struct kk_error *err_in)
{
	struct kk_error mine = KK_ERROR_INIT, *err = LEND_ERR(err_in, &mine);
	struct kk_vendor_contact c = { 0 };
	json_t *before = NULL, *after = NULL, *detail = NULL;
	struct kk_tx tx;
	enum kk_result res;
	int changed = 0;
	int64_t now = kk_now();

	/* field errors are collected in err: start from none */
	kk_error_clear(err);
	if (!json_is_object(patch) && kk_may(viewer, KK_ACT_VENDOR_WRITE, &(struct kk_object){ .vendor_id = vendor_id })) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
		goto out;
	}
	if ((res = begin_write(s, viewer, vendor_id, &tx, err)) != KK_OK)
		goto out;
	res = kk_vrec_contact_load(&tx, vendor_id, contact_id, &c, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	if (res == KK_OK && !(before = kk_vcontact_state(&c)))
		res = kk_error_nomem(err);
	if (res == KK_OK) {
		kk_vcontact_apply(patch, "", 0, &c, err);
		res = err->code;
	}
	if (res == KK_OK && (!(after = kk_vcontact_state(&c)) || !(detail = kk_vf_diff(before, after, &changed)) ||
			     json_object_set_new(detail, "contact_id", json_integer(contact_id))))
		res = kk_error_nomem(err);
	if (res == KK_OK && changed)
		res = kk_vrec_contact_update(&tx, &c, now, err);
	if (res == KK_OK && changed)
		res = demote_others(&tx, &c, now, detail, err);
	if (res == KK_OK && changed)
		res = kk_audit_record(&tx, viewer, "vendor", vendor_id, "contact.update", NULL, NULL, detail, err);
	res = kk_tx_end(&tx, res, err);
out:
	json_decref(before);
	json_decref(after);
	json_decref(detail);
	kk_vendor_contact_release(&c);
	kk_error_release(&mine);
	return res;
}

enum kk_result kk_vendor_contact_remove(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
					int64_t contact_id, struct kk_error *err)
{
	struct kk_vendor_contact c = { 0 };
	json_t *detail = NULL;
	struct kk_tx tx;
	enum kk_result res;

	if ((res = begin_write(s, viewer, vendor_id, &tx, err)) != KK_OK)
		return res;
	res = kk_vrec_contact_load(&tx, vendor_id, contact_id, &c, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	if (res == KK_OK && !(detail = json_pack("{s:I, s:o}", "contact_id", (json_int_t)contact_id, "before",
						 kk_vcontact_state(&c))))
		res = kk_error_nomem(err);
	if (res == KK_OK)
		res = kk_vrec_contact_delete(&tx, vendor_id, contact_id, err);
	if (res == KK_OK)
		res = kk_audit_record(&tx, viewer, "vendor", vendor_id, "contact.remove", NULL, NULL, detail, err);
	res = kk_tx_end(&tx, res, err);
	json_decref(detail);
	kk_vendor_contact_release(&c);
	return res;
}
