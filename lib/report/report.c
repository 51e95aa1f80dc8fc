/*
 * report.c: the report as data: validation of a submitted body (SPEC 2.1, 3.1), the
 * names and labels of kinds, statuses and reasons, and the JSON views of a report
 * for each kind of reader (SPEC 1). Storage is in report/store.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keikai/clock.h"
#include "keikai/cvss.h"
#include "keikai/i18n.h"
#include "keikai/pgp.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "internal.h"

/* Length caps, in characters. */
enum { SHORT_MAX = 200, SUMMARY_MAX = 1000, TEXT_MAX = 100000, URL_MAX = 2000, FILENAME_MAX_BYTES = 255 };

const enum kk_reject_reason kk_reject_reasons[] = {
	KK_REJECT_INCOMPLETE,    KK_REJECT_CONTRADICTORY, KK_REJECT_OUT_OF_SCOPE, KK_REJECT_NOT_A_VULNERABILITY,
	KK_REJECT_ALREADY_KNOWN, KK_REJECT_ILLEGALLY_OBTAINED, KK_REJECT_NONE,
};

static const struct {
	const char *name;
	const char *text; /* msgid */
} reasons[] = {
	[KK_REJECT_NONE] = { "", "" },
	[KK_REJECT_INCOMPLETE] = { "incomplete", N_("The report lacks items the guideline requires.") },
	[KK_REJECT_CONTRADICTORY] = { "contradictory", N_("The report contradicts itself.") },
	[KK_REJECT_OUT_OF_SCOPE] = { "out_of_scope", N_("The product or site is outside the scope of this program.") },
	[KK_REJECT_NOT_A_VULNERABILITY] = { "not_a_vulnerability", N_("What the report describes is not a vulnerability.") },
	[KK_REJECT_ALREADY_KNOWN] = { "already_known", N_("The vulnerability is already known and published, or already fixed.") },
	[KK_REJECT_ILLEGALLY_OBTAINED] = { "illegally_obtained", N_("The information was clearly obtained illegally.") },
};

const char *kk_reject_reason_name(enum kk_reject_reason r)
{
	return (unsigned)r < sizeof(reasons) / sizeof(reasons[0]) ? reasons[r].name : "";
}

const char *kk_reject_reason_text(enum kk_reject_reason r)
{
	return r == KK_REJECT_NONE || (unsigned)r >= sizeof(reasons) / sizeof(reasons[0]) ? "" : _(reasons[r].text);
}

int kk_reject_reason_parse(const char *s, enum kk_reject_reason *out)
{
	for (unsigned i = 1; s && i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		if (strcmp(s, reasons[i].name) == 0) {
			*out = (enum kk_reject_reason)i;
			return 0;
		}
	}
	return -1;
}

const char *kk_report_kind_name(enum kk_report_kind k)
{
	return k == KK_REPORT_WEBSITE ? "website" : "product";
}

void kk_report_release(struct kk_report *r)
{
	if (!r)
		return;
	free(r->decision_note);
	free(r->finder.name);
	free(r->finder.email);
	free(r->finder.organization);
	free(r->finder.phone);
	free(r->finder.pgp_key);
	free(r->credit_name);
	free(r->product_vendor);
	free(r->product_name);
	free(r->product_version);
	free(r->website_url);
	free(r->summary);
	free(r->environment);
	free(r->steps);
	free(r->result);
	free(r->impact);
	free(r->workaround);
	free(r->cvss_vector);
	free(r->reported_to);
	free(r->coordinated_by);
	free(r->assessed_vector);
	free(r->encrypted_fields);
	free(r->ciphertext);
	kk_attachments_free(r->attachments, r->n_attachments);
	memset(r, 0, sizeof(*r));
}

void kk_attachments_free(struct kk_attachment *a, size_t n)
{
	if (!a)
		return;
	for (size_t i = 0; i < n; i++) {
		free(a[i].filename);
		free(a[i].content_type);
		free(a[i].data);
	}
	free(a);
}

/* ---- validation ---- */

/* The value at a dotted path ("finder.name"), or NULL when absent or null. A
 * parent that is there but not an object is reported once, on its own path. */
static const json_t *lookup(const json_t *body, const char *path, struct kk_error *err)
{
	const char *dot = strchr(path, '.');
	const json_t *parent = body, *v;
	char key[32];

	if (dot) {
		size_t n = (size_t)(dot - path);

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		parent = json_object_get(body, key);
		if (!parent || json_is_null(parent))
			return NULL;
		if (!json_is_object(parent)) {
			kk_error_field(err, key, "%s", _("Must be an object."));
			return NULL;
		}
		path = dot + 1;
	}
	v = json_object_get(parent, path);
	return json_is_null(v) ? NULL : v;
}

/* Reads an optional (required = 0) or required text field into *out. */
static void text_field(const json_t *body, const char *path, int required, size_t max_chars, int multiline,
		       char **out, struct kk_error *err)
{
	const json_t *v = lookup(body, path, err);
	const char *s;

	if (!v) {
		if (required)
			kk_error_field(err, path, "%s", _("Required."));
		return;
	}
	if (!json_is_string(v)) {
		kk_error_field(err, path, "%s", _("Must be text."));
		return;
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) {
		kk_error_field(err, path, "%s", _("Must not contain NUL characters."));
		return;
	}
	if (required) {
		const char *p = s;

		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p) {
			kk_error_field(err, path, "%s", _("Required."));
			return;
		}
	}
	if (kk_utf8_len(s) > max_chars) {
		kk_error_field(err, path, _("At most %zu characters."), max_chars);
		return;
	}
	if (kk_has_control(s, multiline)) {
		kk_error_field(err, path, "%s", _("Must not contain control characters."));
		return;
	}
	if (*s && !(*out = kk_strdup(s)))
		kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
}

/* Reads a required yes/no answer. */
static void bool_field(const json_t *body, const char *path, int *out, struct kk_error *err)
{
	const json_t *v = lookup(body, path, err);

	if (!v)
		kk_error_field(err, path, "%s", _("Required: answer yes or no."));
	else if (!json_is_boolean(v))
		kk_error_field(err, path, "%s", _("Must be true or false."));
	else
		*out = json_is_true(v);
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
	while (isalnum((unsigned char)host[n]) || host[n] == '.' || host[n] == '-' || host[n] == '_' ||
	       (unsigned char)host[n] >= 0x80)
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

static const char *translate(const char *msgid)
{
	return gettext(msgid);
}

/* An optional CVSS vector of any version, checked by the CVSS module; the fault is
 * named exactly (unknown metric, bad value, ...) in the reader's language. */
static void cvss_field(const char *path, const char *vector, struct kk_error *err)
{
	struct kk_cvss_error cerr;
	struct kk_cvss c;
	char msg[256];

	if (!vector || kk_cvss_parse_str(vector, &c, &cerr) == 0)
		return;
	kk_cvss_format_error(&cerr, translate, msg, sizeof(msg));
	kk_error_field(err, path, "%s", msg);
}

static int content_type_valid(const char *s)
{
	const char *slash = strchr(s, '/');

	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return 0;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/!#$&^_.+-", *p))
			return 0;
	return 1;
}

static int filename_valid(const char *s)
{
	if (!*s || strlen(s) > FILENAME_MAX_BYTES || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	return !strchr(s, '/') && !strchr(s, '\\') && !kk_has_control(s, 0);
}

void kk_attachments_from_json(const json_t *body, struct kk_attachment **out, size_t *n, struct kk_error *err)
{
	const json_t *list = json_object_get(body, "attachments");
	size_t total = 0, i;
	const json_t *item;

	*out = NULL;
	*n = 0;
	if (!list || json_is_null(list))
		return;
	if (!json_is_array(list)) {
		kk_error_field(err, "attachments", "%s", _("Must be a list."));
		return;
	}
	if (json_array_size(list) > KK_ATTACHMENTS_MAX_COUNT) {
		kk_error_field(err, "attachments", _("At most %d attachments."), KK_ATTACHMENTS_MAX_COUNT);
		return;
	}
	*out = kk_calloc(json_array_size(list) + 1, sizeof(**out));
	if (!*out) {
		kk_error_nomem(err);
		return;
	}
	json_array_foreach(list, i, item) {
		struct kk_attachment *a = &(*out)[(*n)++];
		const char *name = json_string_value(json_object_get(item, "filename"));
		const char *type = json_string_value(json_object_get(item, "content_type"));
		const json_t *data_json = json_object_get(item, "data_base64");
		const char *data = json_string_value(data_json);
		char path[48];
		int too_big = 0;

		if (!json_is_object(item)) {
			snprintf(path, sizeof(path), "attachments[%zu]", i);
			kk_error_field(err, path, "%s", _("Must be an object."));
			continue;
		}
		snprintf(path, sizeof(path), "attachments[%zu].filename", i);
		if (!name || !filename_valid(name))
			kk_error_field(err, path, "%s",
				       _("A file name is required: at most 255 bytes, without slashes or control characters."));
		else if (kk_has_bidi_control(name))
			kk_error_field(err, path, "%s",
				       _("A file name must not hold characters that reverse the direction of text "
					 "(such as U+202E), which make it read as another name."));
		snprintf(path, sizeof(path), "attachments[%zu].content_type", i);
		if (!type || !content_type_valid(type))
			kk_error_field(err, path, "%s", _("A media type such as text/plain is required."));
		snprintf(path, sizeof(path), "attachments[%zu].data_base64", i);
		if (!data) {
			kk_error_field(err, path, "%s", _("Required."));
			continue;
		}
		a->data = strlen(data) == json_string_length(data_json)
				  ? kk_base64_decode(data, KK_ATTACHMENT_MAX, &a->size, &too_big)
				  : NULL;
		if (!a->data) {
			if (too_big < 0)
				kk_error_nomem(err);
			else if (too_big)
				kk_error_field(err, path, _("The file is larger than %u MiB."),
					       KK_ATTACHMENT_MAX / (1024 * 1024));
			else
				kk_error_field(err, path, "%s", _("Not valid base64."));
			continue;
		}
		total += a->size;
		a->filename = kk_strdup(name);
		a->content_type = kk_strdup(type);
		if ((name && !a->filename) || (type && !a->content_type))
			kk_error_nomem(err);
		kk_sha256_hex(a->data, a->size, a->sha256);
	}
	if (total > KK_ATTACHMENTS_TOTAL_MAX)
		kk_error_field(err, "attachments", _("The files together are larger than %u MiB."),
			       KK_ATTACHMENTS_TOTAL_MAX / (1024 * 1024));
}

/* SPEC 2.1 (G IV.2.5 ア–ケ), SPEC 3.1 (G V.2.4), P 1: every item the guideline asks for. */
static enum kk_result report_from_json(const json_t *body, struct kk_report *r, struct kk_error *err)
{
	const char *kind;

	memset(r, 0, sizeof(*r));
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));

	kind = json_string_value(json_object_get(body, "kind"));
	if (!json_object_get(body, "kind"))
		kk_error_field(err, "kind", "%s", _("Required."));
	else if (kind && strcmp(kind, "product") == 0)
		r->kind = KK_REPORT_PRODUCT;
	else if (kind && strcmp(kind, "website") == 0)
		r->kind = KK_REPORT_WEBSITE;
	else
		kk_error_field(err, "kind", "%s", _("Must be \"product\" or \"website\"."));

	/* (ア) (イ) who the finder is and how to reach them */
	text_field(body, "finder.name", 1, SHORT_MAX, 0, &r->finder.name, err);
	text_field(body, "finder.email", 1, 254, 0, &r->finder.email, err);
	if (r->finder.email && !kk_email_valid(r->finder.email))
		kk_error_field(err, "finder.email", "%s", _("Not a valid e-mail address."));
	text_field(body, "finder.organization", 0, SHORT_MAX, 0, &r->finder.organization, err);
	text_field(body, "finder.phone", 0, SHORT_MAX, 0, &r->finder.phone, err);
	text_field(body, "finder.pgp_key", 0, TEXT_MAX, 1, &r->finder.pgp_key, err);
	/* issue 11: one public key that can be encrypted to, read by gpg in a
	 * private home so checking keeps nothing (pgp.h) */
	if (r->finder.pgp_key)
		kk_pgp_key_check(NULL, r->finder.pgp_key, "finder.pgp_key", NULL, err);

	/* (ウ) (エ) (オ) (ク) consents, each stated explicitly */
	bool_field(body, "consent.share_identity", &r->share_identity, err);
	bool_field(body, "consent.direct_contact", &r->direct_contact, err);
	bool_field(body, "consent.credit", &r->credit, err);
	text_field(body, "consent.credit_name", r->credit, SHORT_MAX, 0, &r->credit_name, err);
	/* SPEC 1: the name to credit is the finder's identity; without consent to
	 * credit it is not kept at all (issue 7) */
	if (!r->credit) {
		free(r->credit_name);
		r->credit_name = NULL;
	}

	/* (カ) the product, or the site (SPEC 3.1) */
	if (r->kind == KK_REPORT_PRODUCT && kind) {
		text_field(body, "product.vendor", 0, SHORT_MAX, 0, &r->product_vendor, err);
		text_field(body, "product.name", 1, SHORT_MAX, 0, &r->product_name, err);
		text_field(body, "product.version", 0, SHORT_MAX, 0, &r->product_version, err);
	} else if (r->kind == KK_REPORT_WEBSITE) {
		text_field(body, "website.url", 1, URL_MAX, 0, &r->website_url, err);
		if (r->website_url && !url_valid(r->website_url))
			kk_error_field(err, "website.url", "%s", _("Must be an http:// or https:// URL with a host name."));
	}

	/* (キ) the vulnerability: environment, steps, result; P 1: impact, workaround */
	text_field(body, "details.summary", 1, SUMMARY_MAX, 1, &r->summary, err);
	text_field(body, "details.environment", 1, TEXT_MAX, 1, &r->environment, err);
	text_field(body, "details.steps", 1, TEXT_MAX, 1, &r->steps, err);
	text_field(body, "details.result", 1, TEXT_MAX, 1, &r->result, err);
	text_field(body, "details.impact", 0, TEXT_MAX, 1, &r->impact, err);
	text_field(body, "details.workaround", 0, TEXT_MAX, 1, &r->workaround, err);
	text_field(body, "details.cvss_vector", 0, KK_CVSS_VECTOR_MAX, 0, &r->cvss_vector, err);
	cvss_field("details.cvss_vector", r->cvss_vector, err);
	/* issue 11: encrypted details are opened by kk_report_from_body, never dropped */
	if (lookup(body, "details.encrypted", err))
		kk_error_field(err, "details.encrypted", "%s", _("Encrypted details are not read here."));

	/* (ケ) reports made to others; G IV.2.3 who coordinates from now on */
	bool_field(body, "other_reports.reported_elsewhere", &r->reported_elsewhere, err);
	text_field(body, "other_reports.to_whom", r->reported_elsewhere, 1000, 1, &r->reported_to, err);
	bool_field(body, "other_reports.vendor_told_directly", &r->vendor_told_directly, err);
	if (r->vendor_told_directly) {
		text_field(body, "other_reports.coordinated_by", 1, 20, 0, &r->coordinated_by, err);
		if (r->coordinated_by && strcmp(r->coordinated_by, "receiving_org") != 0 &&
		    strcmp(r->coordinated_by, "direct") != 0)
			kk_error_field(err, "other_reports.coordinated_by", "%s",
				       _("Must be \"receiving_org\" or \"direct\"."));
	}

	/* P 1: wish to hear the final result, wish for encrypted contact */
	bool_field(body, "wants_final_result", &r->wants_final_result, err);
	bool_field(body, "encrypted_contact", &r->encrypted_contact, err);
	if (r->encrypted_contact && !r->finder.pgp_key)
		kk_error_field(err, "finder.pgp_key", "%s", _("Encrypted contact needs your PGP public key."));

	kk_attachments_from_json(body, &r->attachments, &r->n_attachments, err);
	return err->code;
}

/* The validators above need an error object to collect field errors in; one
 * is lent when the caller gives none, so a failure is never reported as KK_OK. */
enum kk_result kk_report_from_json(const json_t *body, struct kk_report *r, struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	enum kk_result res = report_from_json(body, r, err ? err : &mine);

	kk_error_release(&mine);
	return res;
}

static enum kk_result decision_from_json(const json_t *body, struct kk_decision *d, struct kk_error *err)
{
	const json_t *decision, *reason, *note;

	memset(d, 0, sizeof(*d));
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	decision = json_object_get(body, "decision");
	reason = json_object_get(body, "reason");
	note = json_object_get(body, "note");
	/* A client that always sends every field sends "" for "no reason" (issue 6). */
	if (json_is_string(reason) && !*json_string_value(reason))
		reason = NULL;
	if (!decision)
		kk_error_field(err, "decision", "%s", _("Required."));
	else if (json_is_string(decision) && strcmp(json_string_value(decision), "accept") == 0)
		d->accept = 1;
	else if (!json_is_string(decision) || strcmp(json_string_value(decision), "reject") != 0)
		kk_error_field(err, "decision", "%s", _("Must be \"accept\" or \"reject\"."));

	if (reason && !json_is_null(reason) && d->accept)
		kk_error_field(err, "reason", "%s", _("An acceptance takes no reason."));
	else if (decision && !d->accept && (!reason || json_is_null(reason)))
		kk_error_field(err, "reason", "%s", _("A rejection needs a reason."));
	else if (reason && !json_is_null(reason) &&
		 (!json_is_string(reason) || kk_reject_reason_parse(json_string_value(reason), &d->reason) != 0))
		kk_error_field(err, "reason", "%s", _("Not one of the reasons for rejection."));

	if (note && !json_is_null(note)) {
		if (!json_is_string(note))
			kk_error_field(err, "note", "%s", _("Must be text."));
		/* one limit, checked in characters and in bytes, so what passes here
		 * always fits in the finder's message (report/mail.c) */
		else if (kk_utf8_len(json_string_value(note)) > KK_DECISION_NOTE_MAX ||
			 json_string_length(note) > KK_DECISION_NOTE_MAX_BYTES)
			kk_error_field(err, "note", _("At most %d characters."), KK_DECISION_NOTE_MAX);
		else if (kk_has_control(json_string_value(note), 1) ||
			 strlen(json_string_value(note)) != json_string_length(note)) /* "\u0000" */
			kk_error_field(err, "note", "%s", _("Must not contain control characters."));
		else if (*json_string_value(note))
			d->note = json_string_value(note);
	}
	return err->code;
}

enum kk_result kk_decision_from_json(const json_t *body, struct kk_decision *d, struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	enum kk_result res = decision_from_json(body, d, err ? err : &mine);

	kk_error_release(&mine);
	return res;
}

/* ---- impact (SPEC 2.3, 7) ---- */

enum kk_impact kk_report_impact(const struct kk_report *r, int *tenths, enum kk_scope *scope,
				const char **vector_out)
{
	const char *vector = r->assessed_vector ? r->assessed_vector : r->cvss_vector;
	int score = vector ? kk_cvss_v3_base_tenths(vector) : -1;

	*scope = kk_scope_judge(&r->scope);
	*tenths = score;
	if (vector_out)
		*vector_out = score >= 0 ? vector : NULL;
	return kk_impact_judge(score, *scope);
}

static void factor_field(const json_t *scope, const char *key, int users, int *out, struct kk_error *err)
{
	const json_t *v = json_object_get(scope, key);
	const char *s = json_string_value(v);
	char path[64];
	int ok;

	if (!v || json_is_null(v))
		return;
	ok = users ? kk_users_parse(s, (enum kk_users *)out) == 0 : kk_answer_parse(s, (enum kk_answer *)out) == 0;
	if (!ok) {
		snprintf(path, sizeof(path), "scope.%s", key);
		kk_error_field(err, path, "%s", users ? _("Must be \"many\", \"few\" or \"unknown\".")
					 : _("Must be \"yes\", \"no\" or \"unknown\"."));
	}
}

static enum kk_result assessment_from_json(const json_t *body, struct kk_assessment *a, struct kk_error *err)
{
	const json_t *vector, *scope;
	struct kk_cvss c;

	memset(a, 0, sizeof(*a));
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	vector = json_object_get(body, "cvss_vector");
	if (vector && !json_is_null(vector)) {
		a->cvss_vector = json_string_value(vector);
		if (!a->cvss_vector) {
			kk_error_field(err, "cvss_vector", "%s", _("Must be text."));
		} else if (!*a->cvss_vector) {
			a->cvss_vector = NULL;
		} else {
			cvss_field("cvss_vector", a->cvss_vector, err);
			if (kk_cvss_parse_str(a->cvss_vector, &c, NULL) == 0 && c.version != KK_CVSS_V3_0 &&
			    c.version != KK_CVSS_V3_1)
				kk_error_field(err, "cvss_vector", "%s",
					       _("Impact is judged from a CVSS v3 base score: give a CVSS:3.0 or CVSS:3.1 vector."));
		}
	}
	scope = json_object_get(body, "scope");
	if (scope && !json_is_null(scope) && !json_is_object(scope)) {
		kk_error_field(err, "scope", "%s", _("Must be an object."));
	} else if (scope) {
		int users = 0, infra = 0, attack = 0;

		factor_field(scope, "users", 1, &users, err);
		factor_field(scope, "critical_infrastructure", 0, &infra, err);
		factor_field(scope, "attack_public", 0, &attack, err);
		a->scope.users = (enum kk_users)users;
		a->scope.critical_infrastructure = (enum kk_answer)infra;
		a->scope.attack_public = (enum kk_answer)attack;
	}
	return err->code;
}

enum kk_result kk_assessment_from_json(const json_t *body, struct kk_assessment *a, struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	enum kk_result res = assessment_from_json(body, a, err ? err : &mine);

	kk_error_release(&mine);
	return res;
}

char *kk_report_title(const struct kk_report *r)
{
	struct kk_buf b;

	if (r->kind == KK_REPORT_WEBSITE)
		return kk_strdup(r->website_url ? r->website_url : "");
	kk_buf_init(&b, 4096);
	if (!kk_str_empty(r->product_vendor))
		kk_buf_addf(&b, "%s ", r->product_vendor);
	kk_buf_adds(&b, r->product_name ? r->product_name : "");
	if (!kk_str_empty(r->product_version))
		kk_buf_addf(&b, " %s", r->product_version);
	return kk_buf_detach(&b); /* NULL when an append failed (the buffer's failure is sticky) */
}
