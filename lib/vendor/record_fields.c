/*
 * record_fields.c: the vocabulary of the maintained vendor registry
 * (vendor.h; issue 8, SPEC 2.5): the contact channels and the one table of
 * product types with their labels, the readers that turn JSON members into
 * typed values with field errors (record_internal.h), and the JSON views of
 * vendors, contacts and products for the API and pages.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keikai/cpe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "record_internal.h"

/* ---- channels and product types ---- */

static const struct {
	const char *name;
	const char *label; /* msgid */
} channels[KK_CONTACT_CHANNEL_COUNT] = {
	[KK_CONTACT_EMAIL] = { "email", N_("E-mail") },
	[KK_CONTACT_POSTAL] = { "postal", N_("Postal address") },
	[KK_CONTACT_PHONE] = { "phone", N_("Phone") },
	[KK_CONTACT_FAX] = { "fax", N_("FAX") },
	[KK_CONTACT_WEB_FORM] = { "web_form", N_("Web form") },
};

const char *kk_contact_channel_name(enum kk_contact_channel c)
{
	return (unsigned)c < KK_CONTACT_CHANNEL_COUNT ? channels[c].name : "";
}

const char *kk_contact_channel_label(enum kk_contact_channel c)
{
	return (unsigned)c < KK_CONTACT_CHANNEL_COUNT ? _(channels[c].label) : "";
}

int kk_contact_channel_parse(const char *s, enum kk_contact_channel *out)
{
	for (unsigned i = 0; s && i < KK_CONTACT_CHANNEL_COUNT; i++) {
		if (strcmp(s, channels[i].name) == 0) {
			*out = (enum kk_contact_channel)i;
			return 0;
		}
	}
	return -1;
}

/* issue 8 capability 2: the one table of product types */
const struct kk_product_type_info kk_product_types[] = {
	{ KK_PRODUCT_APPLICATION, "application", N_("Application") },
	{ KK_PRODUCT_OS, "os", N_("Operating system") },
	{ KK_PRODUCT_NETWORK_DEVICE, "network_device", N_("Network device") },
	{ KK_PRODUCT_CONTROL_SYSTEM, "control_system", N_("Control system") },
	{ KK_PRODUCT_IOT_DEVICE, "iot_device", N_("IoT device") },
	{ KK_PRODUCT_LIBRARY, "library", N_("Library") },
	{ KK_PRODUCT_SERVICE, "service", N_("Service") },
	{ KK_PRODUCT_HARDWARE, "hardware", N_("Hardware") },
	{ KK_PRODUCT_FIRMWARE, "firmware", N_("Firmware") },
	{ KK_PRODUCT_OTHER, "other", N_("Other") },
	{ KK_PRODUCT_TYPE_NONE, NULL, NULL },
};
_Static_assert(sizeof(kk_product_types) / sizeof(kk_product_types[0]) == KK_PRODUCT_TYPE_COUNT,
	       "a row per product type, and the end");

const char *kk_product_type_name(enum kk_product_type t)
{
	return t > KK_PRODUCT_TYPE_NONE && t < KK_PRODUCT_TYPE_COUNT ? kk_product_types[t - 1].name : "";
}

const char *kk_product_type_label(enum kk_product_type t)
{
	return t > KK_PRODUCT_TYPE_NONE && t < KK_PRODUCT_TYPE_COUNT ? _(kk_product_types[t - 1].label) : "";
}

int kk_product_type_parse(const char *s, enum kk_product_type *out)
{
	for (size_t i = 0; s && kk_product_types[i].name; i++) {
		if (strcmp(s, kk_product_types[i].name) == 0) {
			*out = kk_product_types[i].type;
			return 0;
		}
	}
	return -1;
}

/* ---- release ---- */

void kk_vendor_contact_release(struct kk_vendor_contact *c)
{
	if (!c)
		return;
	free(c->value);
	free(c->department);
	memset(c, 0, sizeof(*c));
}

void kk_vendor_release(struct kk_vendor *v)
{
	if (!v)
		return;
	free(v->name_ja);
	free(v->name_en);
	free(v->cpe23);
	for (size_t i = 0; i < v->n_aliases; i++)
		free(v->aliases[i]);
	free(v->aliases);
	free(v->country);
	free(v->website);
	free(v->intake_email);
	free(v->policy_url);
	free(v->pgp_key);
	for (size_t i = 0; i < v->n_contacts; i++)
		kk_vendor_contact_release(&v->contacts[i]);
	free(v->contacts);
	memset(v, 0, sizeof(*v));
}

void kk_product_release(struct kk_product *p)
{
	if (!p)
		return;
	free(p->name_ja);
	free(p->name_en);
	free(p->cpe23);
	free(p->versions);
	memset(p, 0, sizeof(*p));
}

void kk_vendor_list_release(struct kk_vendor_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		kk_vendor_release(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void kk_product_list_release(struct kk_product_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		kk_product_release(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* ---- readers ---- */

void kk_vf_path(char *path, const char *prefix, const char *key)
{
	snprintf(path, KK_VF_PATH_MAX, "%s%s", prefix, key);
}

void kk_vf_unknown(const json_t *obj, const char *prefix, const char *const *allowed, struct kk_error *err)
{
	const char *key;
	const json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		size_t i;
		char path[KK_VF_PATH_MAX];

		for (i = 0; allowed[i] && strcmp(allowed[i], key) != 0; i++)
			;
		if (allowed[i])
			continue;
		/* a key of any length or content: cut, so the path stays printable */
		snprintf(path, sizeof(path), "%s%.40s", prefix, kk_has_control(key, 0) ? "?" : key);
		kk_error_field(err, path, "%s", _("Not a field of this object."));
	}
}

void kk_vf_text(const json_t *obj, const char *prefix, const char *key, size_t max_chars, int multiline,
		char **slot, struct kk_error *err)
{
	const json_t *v = json_object_get(obj, key);
	char path[KK_VF_PATH_MAX];
	const char *s;
	char *copy = NULL;

	if (!v)
		return;
	kk_vf_path(path, prefix, key);
	if (!json_is_null(v) && !json_is_string(v)) {
		kk_error_field(err, path, "%s", _("Must be text."));
		return;
	}
	s = json_is_string(v) ? json_string_value(v) : "";
	if (json_is_string(v) && strlen(s) != json_string_length(v)) {
		kk_error_field(err, path, "%s", _("Must not contain NUL characters."));
		return;
	}
	if (kk_utf8_len(s) > max_chars) {
		kk_error_field(err, path, _("At most %zu characters."), max_chars);
		return;
	}
	if (kk_has_control(s, multiline)) {
		kk_error_field(err, path, "%s", _("Must not contain control characters."));
		return;
	}
	/* only blanks: as good as nothing */
	for (const char *p = s; *p; p++) {
		if (!isspace((unsigned char)*p)) {
			if (!(copy = kk_strdup(s))) {
				kk_error_nomem(err);
				return;
			}
			break;
		}
	}
	free(*slot);
	*slot = copy;
}

void kk_vf_bool(const json_t *obj, const char *prefix, const char *key, int *slot, struct kk_error *err)
{
	const json_t *v = json_object_get(obj, key);
	char path[KK_VF_PATH_MAX];

	if (!v)
		return;
	kk_vf_path(path, prefix, key);
	if (!json_is_boolean(v))
		kk_error_field(err, path, "%s", _("Must be true or false."));
	else
		*slot = json_is_true(v);
}

int kk_vf_url_valid(const char *u)
{
	const char *host;
	size_t n = 0;

	if (strncasecmp(u, "https://", 8) == 0)
		host = u + 8;
	else if (strncasecmp(u, "http://", 7) == 0)
		host = u + 7;
	else
		return 0;
	while (isalnum((unsigned char)host[n]) || host[n] == '.' || host[n] == '-' || host[n] == '_' ||
	       (unsigned char)host[n] >= 0x80)
		n++;
	if (n == 0 || host[0] == '.' || host[0] == '-')
		return 0;
	if (host[n] && host[n] != '/' && host[n] != ':' && host[n] != '?' && host[n] != '#')
		return 0;
	for (const char *p = u; *p; p++)
		if (isspace((unsigned char)*p) || *p == '<' || *p == '>' || *p == '"')
			return 0;
	return 1;
}

/* ISO 3166-1 alpha-2: the assigned codes (as tzdata's iso3166.tab lists them). */
static const char countries[] =
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS "
	"BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE "
	"EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
	"HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC "
	"LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA "
	"NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
	"TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW ";

int kk_vf_country_valid(const char *s)
{
	if (strlen(s) != 2 || !isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1]))
		return 0;
	for (const char *p = countries; *p; p += 3)
		if (p[0] == s[0] && p[1] == s[1])
			return 1;
	return 0;
}

int kk_vf_phone_valid(const char *s)
{
	int digits = 0;

	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!strchr(" +-()", *p))
			return 0;
	}
	return digits > 0;
}

void kk_vf_cpe(const json_t *obj, const char *prefix, const char *key, char **slot, struct kk_error *err)
{
	char path[KK_VF_PATH_MAX], buf[KK_VENDOR_NAME_MAX + 1];
	char *text = NULL;
	struct kk_cpe_error cerr;
	struct kk_cpe cpe;
	enum kk_result res;
	size_t n;

	if (!json_object_get(obj, key))
		return;
	kk_vf_path(path, prefix, key);
	kk_vf_text(obj, prefix, key, KK_VENDOR_NAME_MAX, 0, &text, err);
	if (kk_error_has_fields(err) && err->fields && json_object_get(err->fields, path)) {
		free(text);
		return;
	}
	if (!text) {
		free(*slot);
		*slot = NULL;
		return;
	}
	/* SPEC 2.5: a CPE 2.2 URI is accepted and converted to 2.3 with the CPE module */
	res = kk_cpe_parse(text, &cpe, &cerr);
	free(text);
	if (res == KK_ENOMEM) {
		kk_error_nomem(err);
		return;
	}
	if (res != KK_OK) {
		kk_error_field(err, path, _("Not a CPE name: %s: %s (column %zu)."), kk_cpe_attr_name(cerr.attribute),
			       _(kk_cpe_strerror(cerr.code)), cerr.offset + 1);
		return;
	}
	n = kk_cpe_to_fs(&cpe, buf, sizeof(buf));
	kk_cpe_release(&cpe);
	if (n >= sizeof(buf)) {
		kk_error_field(err, path, _("At most %d bytes as a CPE 2.3 name."), KK_VENDOR_NAME_MAX);
		return;
	}
	if (!(text = kk_strdup(buf))) {
		kk_error_nomem(err);
		return;
	}
	free(*slot);
	*slot = text;
}

json_t *kk_vf_diff(const json_t *before, const json_t *after, int *changed)
{
	json_t *b = json_object(), *a = json_object(), *out;
	const char *key;
	json_t *v;

	*changed = 0;
	if (!a || !b) {
		json_decref(a);
		json_decref(b);
		return NULL;
	}
	json_object_foreach((json_t *)after, key, v) {
		json_t *old = json_object_get(before, key);

		if (old && json_equal(old, v))
			continue;
		*changed = 1;
		if (json_object_set(b, key, old ? old : json_null()) || json_object_set(a, key, v)) {
			json_decref(a);
			json_decref(b);
			return NULL;
		}
	}
	out = json_pack("{s:o, s:o}", "before", b, "after", a);
	return out;
}

/* ---- JSON views ---- */

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

const char *kk_vendor_name_in(const char *lang, const char *ja, const char *en)
{
	if (lang && strcmp(lang, "ja") == 0)
		return ja ? ja : en;
	return en ? en : ja;
}

json_t *kk_vendor_contact_to_json(const struct kk_vendor_contact *c)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:b, s:o, s:o}", "id", (json_int_t)c->id, "channel",
			 kk_contact_channel_name(c->channel), "channel_label", kk_contact_channel_label(c->channel),
			 "value", c->value ? c->value : "", "department", kk_json_str_or_null(c->department), "is_primary",
			 c->is_primary, "is_valid", c->is_valid, "created_at", kk_json_time(c->created_at),
			 "updated_at", kk_json_time(c->updated_at));
}

json_t *kk_vendor_to_json(const struct kk_vendor *v, const char *lang)
{
	json_t *aliases = json_array(), *o;

	if (!aliases)
		return NULL;
	for (size_t i = 0; i < v->n_aliases; i++) {
		if (json_array_append_new(aliases, json_string(v->aliases[i]))) {
			json_decref(aliases);
			return NULL;
		}
	}
	o = json_pack("{s:I, s:o, s:s?, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:b, s:b, s:o, s:o, s:o, s:o, s:o,"
		      " s:o, s:o}",
		      "id", (json_int_t)v->id, "myjvn_vid", id_or_null(v->myjvn_vid), "name",
		      kk_vendor_name_in(lang, v->name_ja, v->name_en), "name_ja", kk_json_str_or_null(v->name_ja), "name_en",
		      kk_json_str_or_null(v->name_en), "aliases", aliases, "cpe", kk_json_str_or_null(v->cpe23), "country",
		      kk_json_str_or_null(v->country), "website", kk_json_str_or_null(v->website), "registration_type_label",
		      json_string(v->registration_type == KK_VENDOR_INDIVIDUAL ? _("Individual") : _("General")),
		      "registration_type", v->registration_type == KK_VENDOR_INDIVIDUAL ? "individual" : "general",
		      "listed_publicly", v->listed_publicly, "accepts_direct_reports", v->accepts_direct_reports,
		      "intake_email", kk_json_str_or_null(v->intake_email), "policy_url", kk_json_str_or_null(v->policy_url),
		      "pgp_key", kk_json_str_or_null(v->pgp_key), "preferred_lang",
		      v->preferred_lang[0] ? json_string(v->preferred_lang) : json_null(), "last_contact_at",
		      kk_json_time(v->last_contact_at), "created_at", kk_json_time(v->created_at), "updated_at",
		      kk_json_time(v->updated_at));
	if (!o || !v->details)
		return o;
	{
		json_t *contacts = json_array();

		for (size_t i = 0; contacts && i < v->n_contacts; i++) {
			if (json_array_append_new(contacts, kk_vendor_contact_to_json(&v->contacts[i]))) {
				json_decref(contacts);
				contacts = NULL;
			}
		}
		if (!contacts || json_object_set_new(o, "contacts", contacts) ||
		    json_object_set_new(o, "product_count", json_integer(v->n_products))) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

json_t *kk_product_to_json(const struct kk_product *p, const char *lang)
{
	return json_pack("{s:I, s:I, s:o, s:s?, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "id",
			 (json_int_t)p->id, "vendor_id", (json_int_t)p->vendor_id, "myjvn_pid",
			 id_or_null(p->myjvn_pid), "name", kk_vendor_name_in(lang, p->name_ja, p->name_en), "name_ja",
			 kk_json_str_or_null(p->name_ja), "name_en", kk_json_str_or_null(p->name_en), "cpe", kk_json_str_or_null(p->cpe23),
			 "product_type", p->type ? json_string(kk_product_type_name(p->type)) : json_null(),
			 "product_type_label", p->type ? json_string(kk_product_type_label(p->type)) : json_null(),
			 "versions", kk_json_str_or_null(p->versions), "end_of_support", p->end_of_support, "created_at",
			 kk_json_time(p->created_at), "updated_at", kk_json_time(p->updated_at));
}
