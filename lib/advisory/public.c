/*
 * public.c: the published advisories, for everyone (advisory.h; issue 12,
 * SPEC 6, SPEC 1 "published material only"). Only a published advisory is
 * here: one that is not, whatever its state, has no public ID yet, and an ID
 * that names none answers exactly like one that never existed. The public
 * advisory is the same rendering the draft's preview shows (view.c), with
 * every vendor and the acknowledgements.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "internal.h"

/* {"id", "slug", "url"} members of public ID id into o. */
static int put_id(json_t *o, const char *id, const char *base)
{
	char slug[KK_ADVISORY_ID_MAX];

	kk_advisory_id_slug(id, slug, sizeof(slug));
	return json_object_set_new(o, "id", json_string(id)) || json_object_set_new(o, "slug", json_string(slug)) ||
	       json_object_set_new(o, "url", json_sprintf("%s/advisories/%s", base ? base : "", slug));
}

/* One row of the list (kk_advisories_public_page) as the API shows it. */
static json_t *list_entry(const json_t *row, const char *base, struct kk_error *err)
{
	json_t *content = adv_content_load(json_string_value(json_object_get(row, "content")), err);
	const json_t *texts = json_object_get(content, "texts");
	json_t *o;

	if (!content)
		return NULL;
	o = json_pack("{s:O, s:{s:O, s:O}, s:o, s:o, s:O, s:O, s:O}", "kind", json_object_get(row, "kind"), "title", "ja",
		      json_object_get(json_object_get(texts, "ja"), "title"), "en",
		      json_object_get(json_object_get(texts, "en"), "title"), "cvss3",
		      adv_cvss_json(json_string_value(json_object_get(content, "cvss3"))), "cvss4",
		      adv_cvss_json(json_string_value(json_object_get(content, "cvss4"))), "published_at",
		      json_object_get(row, "published_at"), "updated_at", json_object_get(row, "updated_at"), "revision",
		      json_object_get(row, "public_revision"));
	json_decref(content);
	if (o && put_id(o, json_string_value(json_object_get(row, "id")), base)) {
		json_decref(o);
		o = NULL;
	}
	if (!o)
		kk_error_nomem(err);
	return o;
}

enum kk_result kk_advisory_public_list(struct kk_store *s, int limit, int64_t page, json_t **out, int64_t *total,
				       struct kk_error *err)
{
	json_t *rows = json_array(), *list = json_array(), *r;
	char *base = NULL;
	struct kk_tx tx;
	size_t i;
	enum kk_result res = rows && list ? KK_OK : kk_error_nomem(err);

	*out = NULL;
	*total = 0;
	if (!res && (limit < 1 || limit > KK_ADVISORY_LIMIT_MAX))
		kk_error_field(err, "limit", _("Must be a whole number from 1 to %d."), KK_ADVISORY_LIMIT_MAX);
	if (!res && (page < 1 || page > KK_ADVISORY_PAGE_MAX))
		kk_error_field(err, "page", _("Must be a whole number from 1 to %d."), KK_ADVISORY_PAGE_MAX);
	if (!res && kk_error_has_fields(err))
		res = KK_EINVAL;
	if (!res)
		res = kk_tx_begin(s, 0, &tx, err);
	if (!res) {
		/* SPEC 6: newest first; the database pages it */
		res = kk_advisories_public_page(&tx, limit, (page - 1) * limit, rows, total, err);
		if (!res)
			res = kk_setting_read(&tx, "base_url", "", &base, err);
		res = kk_tx_end(&tx, res, err);
	}
	json_array_foreach(rows, i, r) {
		json_t *e;

		if (res)
			break;
		if (!(e = list_entry(r, base, err)) || json_array_append_new(list, e))
			res = kk_error_result(err, KK_ENOMEM);
	}
	if (!res && !(*out = json_pack("{s:O}", "advisories", list)))
		res = kk_error_nomem(err);
	free(base);
	json_decref(rows);
	json_decref(list);
	return res;
}

/* The public advisory a of case c, in tx. */
static enum kk_result public_json(struct kk_tx *tx, const struct kk_advisory *a, const struct kk_case *c,
				  json_t **out, struct kk_error *err)
{
	struct adv_reader reader = { 0, 0, 1 };
	json_t *content = adv_content_load(a->content, err), *o = NULL;
	char *base = NULL;
	enum kk_result res = content ? KK_OK : kk_error_result(err, KK_EDB);

	*out = NULL;
	if (!res)
		res = adv_rendered(tx, a, c, content, &reader, &o, err);
	if (!res)
		res = kk_setting_read(tx, "base_url", "", &base, err);
	if (!res && (put_id(o, a->public_id, base) || json_object_set_new(o, "kind", json_string(a->kind)) ||
		     json_object_set(o, "content", content) ||
		     json_object_set_new(o, "published_at", json_integer(a->published_at)) ||
		     json_object_set_new(o, "updated_at", json_integer(a->updated_at ? a->updated_at : a->published_at)) ||
		     json_object_set_new(o, "revision", json_integer(a->public_revision))))
		res = kk_error_nomem(err);
	if (res)
		json_decref(o);
	else
		*out = o;
	free(base);
	json_decref(content);
	return res;
}

enum kk_result kk_advisory_public_get(struct kk_store *s, const char *id, json_t **out, struct kk_error *err)
{
	char parsed[KK_ADVISORY_ID_MAX];
	struct kk_advisory a;
	struct kk_case c;
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	memset(&a, 0, sizeof(a));
	memset(&c, 0, sizeof(c));
	/* SPEC 1: a malformed ID, a missing one and one not yet published answer alike */
	if (kk_advisory_id_parse(id, parsed, sizeof(parsed)) != 0)
		return adv_missing(id, err);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_advisories_load(&tx, 0, 0, parsed, &a, err);
	if (!res)
		res = kk_cases_load(&tx, NULL, a.case_id, &c, err);
	if (res == KK_ENOTFOUND)
		res = adv_missing(parsed, err);
	if (!res)
		res = public_json(&tx, &a, &c, out, err);
	res = case_end(&tx, res, out, err);
	kk_advisory_release(&a);
	kk_case_release(&c);
	return res;
}
