/*
 * requests.c: vendor registration requests (vendor_request.h; G IV.4.2,
 * SPEC 2.5). A vendor not yet in the registry asks to be registered; a
 * coordinator approves, which registers it, or rejects with a reason. The
 * states are the flow table below, run by the flow engine (flow.h), shown in
 * docs/internals/vendor-requests.md and walked by tests/unit/test_flow.c; the
 * schema's CHECK on vendor_requests.status admits exactly these states
 * (tested). The statements are store/vendor_requests.c's.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor_request.h"
#include "record_internal.h"
#include "report/submit.h"
#include "store/vendor_records.h"
#include "store/vendor_requests.h"

static const struct kk_flow_state states[] = {
	[KK_VREQ_PENDING] = { "pending", N_("Pending") },
	[KK_VREQ_APPROVED] = { "approved", N_("Approved") },
	[KK_VREQ_REJECTED] = { "rejected", N_("Rejected") },
};

/* G IV.4.2: the coordinator registers the vendor the request describes: its
 * names, country, website and language, and the contact e-mail (with its
 * department) as its primary, valid contact; stored and audited as
 * kk_vendor_add stores a vendor ("vendor.add", naming the request). */
static enum kk_result approve(struct kk_flow_step *s, struct kk_error *err)
{
	struct kk_vendor_request *r = s->object;
	struct kk_vendor v = { .name_ja = r->name_ja, .name_en = r->name_en, .country = r->country,
			       .website = r->website };
	struct kk_vendor_contact c = { .channel = KK_CONTACT_EMAIL, .value = r->contact_email,
				       .department = r->department, .is_primary = 1, .is_valid = 1 };
	int64_t now = kk_now(), contact_id;
	enum kk_result res;

	/* the vendor's record borrows the request's texts: not released here */
	snprintf(v.preferred_lang, sizeof(v.preferred_lang), "%s", r->lang);
	res = kk_vrecord_insert(s->tx, s->actor, &v, r->id, now, err);
	if (res)
		return res;
	c.vendor_id = r->vendor_id = v.id;
	res = kk_vrec_contact_insert(s->tx, &c, now, &contact_id, err);
	if (res)
		return res;
	r->status = KK_VREQ_APPROVED;
	r->decided_at = now;
	r->decided_by = s->actor->id;
	free(r->reason);
	r->reason = NULL;
	s->detail = json_pack("{s:I}", "vendor_id", (json_int_t)r->vendor_id);
	if (!s->detail)
		return kk_error_nomem(err);
	return kk_vendor_requests_decide(s->tx, r, KK_VREQ_PENDING, err);
}

/* G IV.4.2: a rejection says why (the requester may ask again). */
static enum kk_result reject(struct kk_flow_step *s, struct kk_error *err)
{
	struct kk_vendor_request *r = s->object;
	const struct kk_vendor_request_decision *d = s->input;

	if (!d || kk_str_empty(d->reason))
		return kk_error_field(err, "reason", "%s", _("Give the reason for the rejection."));
	free(r->reason);
	r->reason = kk_strdup(d->reason);
	if (!r->reason)
		return kk_error_nomem(err);
	r->status = KK_VREQ_REJECTED;
	r->decided_at = kk_now();
	r->decided_by = s->actor->id;
	s->detail = json_pack("{s:s}", "reason", d->reason);
	if (!s->detail)
		return kk_error_nomem(err);
	return kk_vendor_requests_decide(s->tx, r, KK_VREQ_PENDING, err);
}

#define DECIDERS (KK_ROLE_BIT(KK_ROLE_COORDINATOR) | KK_ROLE_BIT(KK_ROLE_ADMIN))

static const struct kk_flow_transition transitions[] = {
	/* G IV.4.2: the coordinator approves the request: the vendor is registered */
	{ "pending", "approve", DECIDERS, NULL, approve, "approved", { NULL } },
	/* G IV.4.2: or rejects it, with a reason */
	{ "pending", "reject", DECIDERS, NULL, reject, "rejected", { NULL } },
};

const struct kk_flow kk_vendor_request_flow = {
	"vendor request",
	"vendor_request",
	"docs/internals/vendor-requests.md",
	states,
	sizeof(states) / sizeof(states[0]),
	transitions,
	sizeof(transitions) / sizeof(transitions[0]),
};

const char *kk_vendor_request_status_name(enum kk_vendor_request_status st)
{
	return (size_t)st < kk_vendor_request_flow.n_states ? states[st].name : "";
}

const char *kk_vendor_request_status_label(enum kk_vendor_request_status st)
{
	return (size_t)st < kk_vendor_request_flow.n_states ? _(states[st].label) : "";
}

int kk_vendor_request_status_parse(const char *s, enum kk_vendor_request_status *out)
{
	int i = kk_flow_state_index(&kk_vendor_request_flow, s);

	if (i < 0)
		return -1;
	*out = (enum kk_vendor_request_status)i;
	return 0;
}

void kk_vendor_request_release(struct kk_vendor_request *r)
{
	if (!r)
		return;
	free(r->name_ja);
	free(r->name_en);
	free(r->country);
	free(r->website);
	free(r->contact_email);
	free(r->department);
	free(r->note);
	free(r->reason);
	memset(r, 0, sizeof(*r));
}

/* ---- validation ---- */

/* An optional text member of body into *out ("" and null: absent). */
static void text_member(const json_t *body, const char *name, size_t max_chars, int multiline, char **out,
			struct kk_error *err)
{
	const json_t *v = json_object_get(body, name);
	const char *s;

	if (!v || json_is_null(v))
		return;
	if (!json_is_string(v)) {
		kk_error_field(err, name, "%s", _("Must be text."));
		return;
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) {
		kk_error_field(err, name, "%s", _("Must not contain NUL characters."));
		return;
	}
	while (*s && isspace((unsigned char)*s))
		s++;
	if (!*s)
		return;
	if (kk_utf8_len(s) > max_chars)
		kk_error_field(err, name, _("At most %zu characters."), max_chars);
	else if (kk_has_control(s, multiline) || kk_has_bidi_control(s))
		kk_error_field(err, name, "%s", _("Must not contain control characters."));
	else if (!(*out = kk_strdup(s)))
		kk_error_nomem(err);
}

static int url_valid(const char *u)
{
	const char *host;
	size_t n = 0;

	if (strncasecmp(u, "https://", 8) == 0)
		host = u + 8;
	else if (strncasecmp(u, "http://", 7) == 0)
		host = u + 7;
	else
		return 0;
	while (isalnum((unsigned char)host[n]) || host[n] == '.' || host[n] == '-' || (unsigned char)host[n] >= 0x80)
		n++;
	if (n == 0 || host[0] == '.' || host[0] == '-')
		return 0;
	if (host[n] && host[n] != '/' && host[n] != ':' && host[n] != '?' && host[n] != '#')
		return 0;
	for (const char *p = u; *p; p++)
		if (*p == ' ' || *p == '<' || *p == '>' || *p == '"')
			return 0;
	return 1;
}

static const char *const members[] = { "name_ja", "name_en", "country", "website", "contact_email",
				       "department", "lang", "note" };

enum kk_result kk_vendor_request_from_json(const json_t *body, struct kk_vendor_request *out, struct kk_error *err)
{
	char *lang = NULL;
	const char *key;
	json_t *v;

	memset(out, 0, sizeof(*out));
	snprintf(out->lang, sizeof(out->lang), "%s", kk_lang_code(kk_i18n_current()));
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	json_object_foreach ((json_t *)body, key, v) {
		size_t i = 0;

		while (i < sizeof(members) / sizeof(members[0]) && strcmp(members[i], key) != 0)
			i++;
		if (i == sizeof(members) / sizeof(members[0]))
			kk_error_field(err, key, "%s", _("Unknown field."));
	}
	/* SPEC 2.5: names in Japanese and English; one is enough to register */
	text_member(body, "name_ja", KK_VREQ_NAME_MAX, 0, &out->name_ja, err);
	text_member(body, "name_en", KK_VREQ_NAME_MAX, 0, &out->name_en, err);
	if (!out->name_ja && !out->name_en && !json_object_get(err->fields, "name_ja") &&
	    !json_object_get(err->fields, "name_en"))
		kk_error_field(err, "name_ja", "%s", _("Give the vendor's name in Japanese or in English."));
	text_member(body, "country", 16, 0, &out->country, err);
	if (out->country) {
		if (!isalpha((unsigned char)out->country[0]) || !isalpha((unsigned char)out->country[1]) ||
		    out->country[2])
			kk_error_field(err, "country", "%s", _("Must be a two-letter country code such as JP."));
		else
			for (char *p = out->country; *p; p++)
				*p = (char)toupper((unsigned char)*p);
	}
	text_member(body, "website", KK_VREQ_URL_MAX, 0, &out->website, err);
	if (out->website && !url_valid(out->website))
		kk_error_field(err, "website", "%s", _("Must be an http:// or https:// URL with a host name."));
	text_member(body, "contact_email", 254, 0, &out->contact_email, err);
	if (!out->contact_email && !json_object_get(err->fields, "contact_email"))
		kk_error_field(err, "contact_email", "%s", _("Required."));
	else if (out->contact_email && !kk_email_valid(out->contact_email))
		kk_error_field(err, "contact_email", "%s", _("Not a valid e-mail address."));
	text_member(body, "department", KK_VREQ_NAME_MAX, 0, &out->department, err);
	text_member(body, "lang", 16, 0, &lang, err);
	if (lang) {
		enum kk_lang l;

		if (strlen(lang) != 2 || kk_lang_parse(lang, &l) != 0)
			kk_error_field(err, "lang", "%s", _("Must be \"ja\" or \"en\"."));
		else
			snprintf(out->lang, sizeof(out->lang), "%s", kk_lang_code(l));
		free(lang);
	}
	text_member(body, "note", KK_VREQ_NOTE_MAX, 1, &out->note, err);
	return kk_error_result(err, KK_OK);
}

enum kk_result kk_vendor_request_decision_from_json(const json_t *body, struct kk_vendor_request_decision *d,
						    struct kk_error *err)
{
	const json_t *decision, *reason;
	const char *key;
	json_t *v;

	memset(d, 0, sizeof(*d));
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	json_object_foreach ((json_t *)body, key, v)
		if (strcmp(key, "decision") != 0 && strcmp(key, "reason") != 0)
			kk_error_field(err, key, "%s", _("Unknown field."));
	decision = json_object_get(body, "decision");
	reason = json_object_get(body, "reason");
	if (json_is_string(reason) && !*json_string_value(reason))
		reason = NULL;
	if (!decision || json_is_null(decision))
		kk_error_field(err, "decision", "%s", _("Required."));
	else if (json_is_string(decision) && strcmp(json_string_value(decision), "approve") == 0)
		d->approve = 1;
	else if (!json_is_string(decision) || strcmp(json_string_value(decision), "reject") != 0)
		kk_error_field(err, "decision", "%s", _("Must be \"approve\" or \"reject\"."));
	if (reason && !json_is_null(reason)) {
		if (!json_is_string(reason))
			kk_error_field(err, "reason", "%s", _("Must be text."));
		else if (d->approve)
			kk_error_field(err, "reason", "%s", _("An approval takes no reason."));
		else if (kk_utf8_len(json_string_value(reason)) > KK_VREQ_REASON_MAX)
			kk_error_field(err, "reason", _("At most %d characters."), KK_VREQ_REASON_MAX);
		else if (kk_has_control(json_string_value(reason), 1) ||
			 strlen(json_string_value(reason)) != json_string_length(reason))
			kk_error_field(err, "reason", "%s", _("Must not contain control characters."));
		else
			d->reason = json_string_value(reason);
	} else if (decision && json_is_string(decision) && !d->approve &&
		   strcmp(json_string_value(decision), "reject") == 0) {
		kk_error_field(err, "reason", "%s", _("Give the reason for the rejection."));
	}
	return kk_error_result(err, KK_OK);
}

/* ---- submission, reading, deciding ---- */

struct submission {
	struct kk_vendor_request *r;
	struct kk_submit_opts *opts;
};

static enum kk_result store_request(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	struct submission *sub = arg;
	struct kk_vendor_request *r = sub->r;
	json_t *detail;
	enum kk_result res;

	/* the same hourly budget per source address as reports (issue 7) */
	res = kk_submit_limit(tx, sub->opts, r->created_at, err);
	if (!res)
		res = kk_vendor_requests_insert(tx, r, err);
	if (res)
		return res;
	detail = json_pack("{s:s?, s:s?}", "name_ja", r->name_ja, "name_en", r->name_en);
	if (!detail)
		return kk_error_nomem(err);
	res = kk_audit_record(tx, &kk_anonymous, "vendor_request", r->id, "submit", NULL, "pending", detail, err);
	json_decref(detail);
	return res;
}

enum kk_result kk_vendor_request_submit(struct kk_store *s, struct kk_vendor_request *r, struct kk_submit_opts *opts,
					struct kk_error *err)
{
	struct submission sub = { r, opts };

	if (!r->contact_email || (!r->name_ja && !r->name_en))
		return kk_error_set(err, KK_EINVAL, "%s", _("A vendor request needs a name and a contact e-mail."));
	r->status = KK_VREQ_PENDING;
	r->created_at = kk_now();
	return kk_tx_grouped(s, store_request, &sub, err);
}

static enum kk_result not_found(int64_t id, struct kk_error *err)
{
	return kk_error_set(err, KK_ENOTFOUND, _("There is no vendor request %lld."), (long long)id);
}

enum kk_result kk_vendor_request_get(struct kk_store *s, const struct kk_user *viewer, int64_t id,
				     struct kk_vendor_request *out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	/* G IV.4.2: only those who decide see requests; to others none exists */
	if (!kk_may(viewer, KK_ACT_VENDOR_REQUEST_DECIDE, NULL))
		return not_found(id, err);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_tx_end(&tx, kk_vendor_requests_load(&tx, id, out, err), err);
	return res == KK_ENOTFOUND ? not_found(id, err) : res;
}

static enum kk_result append(const struct kk_vendor_request *r, void *arg, struct kk_error *err)
{
	json_t *j = kk_vendor_request_to_json(r);

	if (!j || json_array_append_new(arg, j))
		return kk_error_nomem(err);
	return KK_OK;
}

enum kk_result kk_vendor_request_list(struct kk_store *s, const struct kk_user *viewer, int status, int limit,
				      json_t **out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;
	json_t *list;

	*out = NULL;
	if (!kk_may(viewer, KK_ACT_VENDOR_REQUEST_DECIDE, NULL))
		return kk_error_set(err, KK_EDENIED, "%s", _("Only coordinators see vendor requests."));
	if (limit < 1 || limit > 500)
		return kk_error_field(err, "limit", "%s", _("Must be a number from 1 to 500."));
	if (!(list = json_array()))
		return kk_error_nomem(err);
	res = kk_tx_begin(s, 0, &tx, err);
	if (!res)
		res = kk_tx_end(&tx, kk_vendor_requests_each(&tx, status, limit, append, list, err), err);
	if (res)
		json_decref(list);
	else
		*out = list;
	return res;
}

enum kk_result kk_vendor_request_decide(struct kk_store *s, const struct kk_user *actor, int64_t id,
					const struct kk_vendor_request_decision *d, struct kk_vendor_request *out,
					struct kk_error *err)
{
	struct kk_flow_step step = { .actor = actor, .input = d, .object_id = id };
	struct kk_vendor_request r;
	struct kk_tx tx;
	enum kk_result res;

	memset(&r, 0, sizeof(r));
	if (out)
		memset(out, 0, sizeof(*out));
	/* a role that may never decide learns nothing, not even whether the request exists */
	if (!kk_may_some(actor->role, KK_ACT_VENDOR_REQUEST_DECIDE))
		return kk_error_set(err, KK_EDENIED, "%s", _("Only coordinators decide on vendor requests."));
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = kk_vendor_requests_load(&tx, id, &r, err);
	if (res == KK_ENOTFOUND)
		res = not_found(id, err);
	if (!res) {
		step.tx = &tx;
		step.object = &r;
		res = kk_flow_fire(&kk_vendor_request_flow, &step, kk_vendor_request_status_name(r.status),
				   d->approve ? "approve" : "reject", err);
	}
	res = kk_tx_end(&tx, res, err);
	if (!res && out)
		*out = r;
	else
		kk_vendor_request_release(&r);
	return res;
}

json_t *kk_vendor_request_to_json(const struct kk_vendor_request *r)
{
	json_t *j = json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:s?, s:s, s:s?, s:o}", "id",
			      (json_int_t)r->id, "status", kk_vendor_request_status_name(r->status), "name_ja",
			      r->name_ja, "name_en", r->name_en, "country", r->country, "website", r->website,
			      "contact_email", r->contact_email ? r->contact_email : "", "department", r->department,
			      "lang", r->lang, "note", r->note, "created_at", kk_json_time(r->created_at));

	if (j && json_object_update_new(j, json_pack("{s:o, s:o, s:o, s:s?}", "decided_at",
							  kk_json_time(r->decided_at), "decided_by",
							  r->decided_by ? json_integer(r->decided_by) : json_null(),
							  "vendor_id",
							  r->vendor_id ? json_integer(r->vendor_id) : json_null(), "reason",
							  r->reason)) != 0) {
		json_decref(j);
		j = NULL;
	}
	return j;
}
