/*
 * record.c: a vendor's record in the registry (vendor.h; issue 8 capability
 * 1, SPEC 2.5): registering one (G IV.4.2: a coordinator on the spot),
 * reading it, changing its profile, listing the vendors a viewer may see, and
 * its audit history. Every call asks the access policy first; what the
 * viewer may not see is KK_ENOTFOUND. Input is validated here into a struct
 * kk_vendor with every fault a field error, and stored with its audit record
 * in one transaction (lib/store/vendor_records.c), or not at all.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/pgp.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "record_internal.h"
#include "store/vendor_records.h"

/* The members of a vendor's profile (kk_vendor_update), and of a new
 * vendor (kk_vendor_add: the profile and its first contacts). */
static const char *const profile_members[] = {
	"name_ja", "name_en", "aliases", "country", "website", "registration_type", "listed_publicly",
	"accepts_direct_reports", "intake_email", "policy_url", "pgp_key", "preferred_lang", NULL,
};
static const char *const add_members[] = {
	"name_ja", "name_en", "aliases", "country", "website", "registration_type", "listed_publicly",
	"accepts_direct_reports", "intake_email", "policy_url", "pgp_key", "preferred_lang", "contacts", NULL,
};

static void free_aliases(struct kk_vendor *v)
{
	for (size_t i = 0; i < v->n_aliases; i++)
		free(v->aliases[i]);
	free(v->aliases);
	v->aliases = NULL;
	v->n_aliases = 0;
}

/* "aliases": a list of distinct names, replacing the vendor's. */
static void aliases_member(const json_t *body, struct kk_vendor *v, struct kk_error *err)
{
	const json_t *list = json_object_get(body, "aliases"), *item;
	char **out;
	size_t i, n = 0;
	int bad = 0;

	if (!list)
		return;
	if (json_is_null(list)) {
		free_aliases(v);
		return;
	}
	if (!json_is_array(list)) {
		kk_error_field(err, "aliases", "%s", _("Must be a list."));
		return;
	}
	if (json_array_size(list) > KK_VENDOR_ALIASES_MAX) {
		kk_error_field(err, "aliases", _("At most %d names."), KK_VENDOR_ALIASES_MAX);
		return;
	}
	if (!(out = kk_calloc(json_array_size(list) + 1, sizeof(*out)))) {
		kk_error_nomem(err);
		return;
	}
	json_array_foreach(list, i, item) {
		char path[KK_VF_PATH_MAX], *alias;
		const char *a = json_string_value(item);
		const char *p = a;

		snprintf(path, sizeof(path), "aliases[%zu]", i);
		while (p && (*p == ' ' || *p == '\t'))
			p++;
		if (!a || strlen(a) != json_string_length(item) || !*p || kk_has_control(a, 0) ||
		    kk_utf8_len(a) > KK_VENDOR_SHORT_MAX) {
			kk_error_field(err, path, _("Must be a name of 1 to %d characters, without control characters."),
				       KK_VENDOR_SHORT_MAX);
			bad = 1;
			continue;
		}
		if (!(alias = kk_strdup(a))) {
			kk_error_nomem(err);
			bad = 1;
			break;
		}
		for (size_t k = 0; k < n; k++) {
			if (strcmp(out[k], alias) == 0) {
				kk_error_field(err, path, "%s", _("Given twice."));
				bad = 1;
			}
		}
		out[n++] = alias;
	}
	if (bad) {
		for (size_t k = 0; k < n; k++)
			free(out[k]);
		free(out);
		return;
	}
	free_aliases(v);
	v->aliases = out;
	v->n_aliases = n;
}

/* Reads the profile members body gives into v, then checks the record as a
 * whole (SPEC 2.5). */
static void profile_apply(const json_t *body, struct kk_vendor *v, struct kk_error *err)
{
	char *reg = NULL, *lang = NULL;

	kk_vf_text(body, "", "name_ja", KK_VENDOR_SHORT_MAX, 0, &v->name_ja, err);
	kk_vf_text(body, "", "name_en", KK_VENDOR_SHORT_MAX, 0, &v->name_en, err);
	aliases_member(body, v, err);
	kk_vf_text(body, "", "country", 2, 0, &v->country, err);
	for (char *c = v->country; json_object_get(body, "country") && c && *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A'); /* "jp" is JP */
	if (json_object_get(body, "country") && v->country && !kk_vf_country_valid(v->country))
		kk_error_field(err, "country", "%s", _("Must be an ISO 3166-1 alpha-2 country code such as JP."));
	kk_vf_text(body, "", "website", KK_VENDOR_TEXT_MAX, 0, &v->website, err);
	if (json_object_get(body, "website") && v->website && !kk_vf_url_valid(v->website))
		kk_error_field(err, "website", "%s", _("Must be an http:// or https:// URL with a host name."));
	if (json_object_get(body, "registration_type")) {
		kk_vf_text(body, "", "registration_type", 20, 0, &reg, err);
		if (reg && strcmp(reg, "individual") == 0)
			v->registration_type = KK_VENDOR_INDIVIDUAL;
		else if (reg && strcmp(reg, "general") == 0)
			v->registration_type = KK_VENDOR_GENERAL;
		else
			kk_error_field(err, "registration_type", "%s", _("Must be \"general\" or \"individual\"."));
		free(reg);
	}
	kk_vf_bool(body, "", "listed_publicly", &v->listed_publicly, err);
	kk_vf_bool(body, "", "accepts_direct_reports", &v->accepts_direct_reports, err);
	kk_vf_text(body, "", "intake_email", 254, 0, &v->intake_email, err);
	if (json_object_get(body, "intake_email") && v->intake_email && !kk_email_valid(v->intake_email))
		kk_error_field(err, "intake_email", "%s", _("Not a valid e-mail address."));
	kk_vf_text(body, "", "policy_url", KK_VENDOR_TEXT_MAX, 0, &v->policy_url, err);
	if (json_object_get(body, "policy_url") && v->policy_url && !kk_vf_url_valid(v->policy_url))
		kk_error_field(err, "policy_url", "%s", _("Must be an http:// or https:// URL with a host name."));
	kk_vf_text(body, "", "pgp_key", KK_VENDOR_PGP_MAX, 1, &v->pgp_key, err);
	/* issue 11: mail to the vendor is encrypted to this key: one public key
	 * that can be encrypted to, checked by gpg without keeping it (pgp.h) */
	if (json_object_get(body, "pgp_key") && v->pgp_key)
		kk_pgp_key_check(NULL, v->pgp_key, "pgp_key", NULL, err);
	if (json_object_get(body, "preferred_lang")) {
		kk_vf_text(body, "", "preferred_lang", 2, 0, &lang, err);
		if (!lang)
			v->preferred_lang[0] = '\0';
		else if (strcmp(lang, "ja") == 0 || strcmp(lang, "en") == 0)
			memcpy(v->preferred_lang, lang, 3);
		else
			kk_error_field(err, "preferred_lang", "%s", _("Must be \"ja\" or \"en\"."));
		free(lang);
	}

	/* the record as a whole */
	if (!v->name_ja && !v->name_en) {
		kk_error_field(err, "name_ja", "%s", _("Give the name in Japanese, in English, or both."));
		kk_error_field(err, "name_en", "%s", _("Give the name in Japanese, in English, or both."));
	}
	/* issue 8: a vendor that takes reports directly says where */
	if (v->accepts_direct_reports && !v->intake_email)
		kk_error_field(err, "intake_email", "%s",
			       _("Required when the vendor accepts reports directly from finders."));
}

/* The profile as JSON, for the audit's before and after. */
static json_t *profile_state(const struct kk_vendor *v)
{
	struct kk_vendor shallow = *v;
	json_t *full, *out = json_object();

	shallow.details = 0;
	full = kk_vendor_to_json(&shallow, "en");
	for (size_t i = 0; full && out && profile_members[i]; i++)
		if (json_object_set(out, profile_members[i], json_object_get(full, profile_members[i])))
			break;
	json_decref(full);
	if (!full || !out || json_object_size(out) != sizeof(profile_members) / sizeof(profile_members[0]) - 1) {
		json_decref(out);
		return NULL;
	}
	return out;
}

enum kk_result kk_vrecord_insert(struct kk_tx *tx, const struct kk_user *actor, struct kk_vendor *v,
				 int64_t request_id, int64_t now, struct kk_error *err)
{
	enum kk_result res = kk_vrec_vendor_insert(tx, v, now, &v->id, err);
	json_t *detail;

	if (res != KK_OK)
		return res;
	v->created_at = v->updated_at = now;
	detail = profile_state(v);
	/* G IV.4.2: a vendor registered on request names the request */
	if (!detail || (request_id && json_object_set_new(detail, "request_id", json_integer(request_id)))) {
		json_decref(detail);
		return kk_error_nomem(err);
	}
	res = kk_audit_record(tx, actor, "vendor", v->id, "vendor.add", NULL, NULL, detail, err);
	json_decref(detail);
	return res;
}

/* Lends an error object when the caller gives none, so field errors are
 * collected and a failure is never reported as KK_OK. */
#define LEND_ERR(err, mine) ((err) ? (err) : (mine))

enum kk_result kk_vendor_add(struct kk_store *s, const struct kk_user *viewer, const json_t *body,
			     int64_t *id_out, struct kk_error *err_in)
{
	struct kk_error mine = KK_ERROR_INIT, *err = LEND_ERR(err_in, &mine);
	struct kk_vendor v = { 0 };
	struct kk_vendor_contact *contacts = NULL;
	const json_t *list = NULL, *item;
	size_t n_contacts = 0, i;
	struct kk_tx tx;
	enum kk_result res;
	int64_t id = 0, now = kk_now();

	/* field errors are collected in err: start from none */
	kk_error_clear(err);
	/* G IV.4.2: a coordinator registers a vendor on the spot */
	if (!kk_may(viewer, KK_ACT_VENDOR_ADD, NULL)) {
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
		goto out;
	}
	if (!json_is_object(body)) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
		goto out;
	}
	kk_vf_unknown(body, "", add_members, err);
	profile_apply(body, &v, err);
	list = json_object_get(body, "contacts");
	if (list && !json_is_null(list) && !json_is_array(list))
		kk_error_field(err, "contacts", "%s", _("Must be a list."));
	else if (json_array_size(list) > KK_VENDOR_CONTACTS_MAX)
		kk_error_field(err, "contacts", _("At most %d contacts."), KK_VENDOR_CONTACTS_MAX);
	else if (json_array_size(list) > 0 && !(contacts = kk_calloc(json_array_size(list), sizeof(*contacts))))
		kk_error_nomem(err);
	else if (json_array_size(list) > 0) {
		json_array_foreach(list, i, item) {
			char prefix[KK_VF_PATH_MAX];

			snprintf(prefix, sizeof(prefix), "contacts[%zu].", i);
			kk_vcontact_apply(item, prefix, 1, &contacts[n_contacts++], err);
		}
	}
	if (err->code != KK_OK) {
		res = err->code;
		goto out;
	}

	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		goto out;
	res = kk_vrecord_insert(&tx, viewer, &v, 0, now, err);
	id = v.id;
	for (i = 0; res == KK_OK && i < n_contacts; i++) {
		contacts[i].vendor_id = id;
		res = kk_vcontact_insert(&tx, viewer, &contacts[i], now, err);
	}
	res = kk_tx_end(&tx, res, err);
	if (res == KK_OK && id_out)
		*id_out = id;
out:
	for (i = 0; i < n_contacts; i++)
		kk_vendor_contact_release(&contacts[i]);
	free(contacts);
	kk_vendor_release(&v);
	kk_error_release(&mine);
	return res;
}

/* Loads vendor id for viewer, who must be allowed action on it. */
static enum kk_result load_for(struct kk_tx *tx, const struct kk_user *viewer, enum kk_action action, int64_t id,
			       int details, struct kk_vendor *out, struct kk_error *err)
{
	enum kk_result res;

	/* SPEC 2.5: a vendor user sees only its own record; denied looks like missing */
	if (!kk_may(viewer, action, &(struct kk_object){ .vendor_id = id })) {
		memset(out, 0, sizeof(*out));
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	}
	res = kk_vrec_vendor_load(tx, id, details, out, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	return res;
}

enum kk_result kk_vendor_get(struct kk_store *s, const struct kk_user *viewer, int64_t id,
			     struct kk_vendor *out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!kk_may(viewer, KK_ACT_VENDOR_READ, &(struct kk_object){ .vendor_id = id }))
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = load_for(&tx, viewer, KK_ACT_VENDOR_READ, id, 1, out, err);
	return kk_tx_end(&tx, res, err);
}

enum kk_result kk_vendor_update(struct kk_store *s, const struct kk_user *viewer, int64_t id,
				const json_t *patch, struct kk_error *err_in)
{
	struct kk_error mine = KK_ERROR_INIT, *err = LEND_ERR(err_in, &mine);
	struct kk_vendor v = { 0 };
	json_t *before = NULL, *after = NULL, *detail = NULL;
	struct kk_tx tx;
	enum kk_result res;
	int changed = 0;

	/* field errors are collected in err: start from none */
	kk_error_clear(err);
	if (!kk_may(viewer, KK_ACT_VENDOR_WRITE, &(struct kk_object){ .vendor_id = id })) {
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
		goto done;
	}
	if (!json_is_object(patch)) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
		goto done;
	}
	kk_vf_unknown(patch, "", profile_members, err);
	if (err->code != KK_OK) {
		res = err->code;
		goto done;
	}
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		goto done;
	res = load_for(&tx, viewer, KK_ACT_VENDOR_WRITE, id, 0, &v, err);
	if (res == KK_OK && !(before = profile_state(&v)))
		res = kk_error_nomem(err);
	if (res == KK_OK) {
		profile_apply(patch, &v, err);
		res = err->code;
	}
	if (res == KK_OK && (!(after = profile_state(&v)) || !(detail = kk_vf_diff(before, after, &changed))))
		res = kk_error_nomem(err);
	/* an empty patch, or one that gives the stored values, changes nothing */
	if (res == KK_OK && changed)
		res = kk_vrec_vendor_update(&tx, &v, kk_now(), err);
	if (res == KK_OK && changed)
		res = kk_audit_record(&tx, viewer, "vendor", id, "vendor.update", NULL, NULL, detail, err);
	if (res == KK_ENOTFOUND)
		kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	res = kk_tx_end(&tx, res, err);
done:
	json_decref(before);
	json_decref(after);
	json_decref(detail);
	kk_vendor_release(&v);
	kk_error_release(&mine);
	return res;
}

void kk_vf_page_bounds(const struct kk_vendor_page *page, size_t *offset, size_t *limit)
{
	size_t p = page && page->page > 0 ? page->page : 1;

	*limit = page && page->limit > 0 ? page->limit : KK_VENDOR_PAGE_DEFAULT;
	if (*limit > KK_VENDOR_PAGE_MAX)
		*limit = KK_VENDOR_PAGE_MAX;
	*offset = (p - 1) * *limit;
	if (*offset / *limit != p - 1) /* a page past any list */
		*offset = SIZE_MAX / 2;
}

enum kk_result kk_vendor_list(struct kk_store *s, const struct kk_user *viewer, const struct kk_vendor_page *page,
			      struct kk_vendor_list *out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;
	size_t offset, limit;
	int64_t only;

	memset(out, 0, sizeof(*out));
	/* vendor_id 0 is no one's own vendor: a row that holds for it holds for all */
	if (kk_may(viewer, KK_ACT_VENDOR_READ, &(struct kk_object){ .vendor_id = 0 }))
		only = 0;
	else if (viewer->vendor_id && kk_may(viewer, KK_ACT_VENDOR_READ, &(struct kk_object){ .vendor_id = viewer->vendor_id }))
		only = viewer->vendor_id; /* SPEC 2.5: a vendor user lists its own */
	else
		return KK_OK;
	kk_vf_page_bounds(page, &offset, &limit);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_vrec_vendor_list(&tx, only, offset, limit, out, err);
	return kk_tx_end(&tx, res, err);
}

int kk_vendor_actor_masked(const struct kk_user *viewer, int64_t org_id, const char *role, const char *org,
			   json_t **shown)
{
	if (!viewer || kk_may(viewer, KK_ACT_REGISTRY_SEARCH, NULL) || (org_id && org_id == viewer->org_id))
		return 0;
	*shown = org ? json_sprintf("%s (%s)", role ? role : "", org) : json_string(role ? role : "");
	return 1;
}

/* SPEC 1: a vendor viewer reads its vendor's history without the personal
 * addresses of other organisations' users (kk_vendor_actor_masked). */
static enum kk_result history_mask(struct kk_store *s, const struct kk_user *viewer, int64_t id, json_t *trail,
				   struct kk_error *err)
{
	json_t *actors = NULL, *row;
	struct kk_tx tx;
	enum kk_result res;
	size_t i;

	if (kk_may(viewer, KK_ACT_REGISTRY_SEARCH, NULL))
		return KK_OK;
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_tx_end(&tx, kk_vrec_history_actors(&tx, id, &actors, err), err);
	json_array_foreach(trail, i, row) {
		const char *actor = json_string_value(json_object_get(row, "actor"));
		const char *role = json_string_value(json_object_get(row, "role"));
		const json_t *who = json_object_get(actors, actor ? actor : "");
		json_t *shown;

		if (res || !actor || strcmp(actor, "anonymous") == 0)
			continue;
		/* an actor missing from actors (recorded since) is masked too */
		if (kk_vendor_actor_masked(viewer, json_integer_value(json_object_get(who, "org_id")), role,
					   json_string_value(json_object_get(who, "org")), &shown) &&
		    json_object_set_new(row, "actor", shown))
			res = kk_error_nomem(err);
	}
	json_decref(actors);
	return res;
}

enum kk_result kk_vendor_history(struct kk_store *s, const struct kk_user *viewer, int64_t id, json_t **out,
				 struct kk_error *err)
{
	struct kk_vendor v;
	enum kk_result res;

	*out = NULL;
	res = kk_vendor_get(s, viewer, id, &v, err);
	kk_vendor_release(&v);
	if (res == KK_OK)
		res = kk_audit_list(s, "vendor", id, out, err);
	if (res == KK_OK && (res = history_mask(s, viewer, id, *out, err)) != KK_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return res;
}
