/*
 * sealed.c: details that come encrypted (issue 11, item 5; SPEC 2.1 キ, P 1).
 * A finder may give, in place of the detail fields, one armored OpenPGP
 * message encrypted to the organisation's key (details.encrypted). It is
 * decrypted here, before the validator runs, and what it holds is put into
 * the body's details: written under headings ("Environment:", "環境:", …)
 * or as a JSON object with the fields' names. The ciphertext is kept as
 * evidence when the report is stored (report/store.c, report/complete.c);
 * reports.encrypted_fields says which fields it filled, for staff.
 *
 * Every fault is a field error on details.encrypted, in the reader's language;
 * a clear field given as well is refused, naming both.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/pgp.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "internal.h"

#define FIELD "details.encrypted"
#define CIPHERTEXT_MAX (4u * 1024 * 1024) /* bytes of armor: the body's limit is lower */

/* The details an encrypted message may fill, with the headings that start
 * each (English, matched without case, and Japanese), in the form's order. */
static const struct detail {
	const char *name;
	int required;
	const char *headings[3];
} details[] = {
	{ "summary", 1, { "Summary", "概要", NULL } },
	{ "environment", 1, { "Environment", "環境", NULL } },
	{ "steps", 1, { "Steps to reproduce", "Steps", "再現手順" } },
	{ "result", 1, { "Result", "結果", NULL } },
	{ "impact", 0, { "Impact", "影響", NULL } },
	{ "workaround", 0, { "Workaround", "回避策", NULL } },
};

#define N_DETAILS (sizeof(details) / sizeof(details[0]))
#define SUMMARY 0 /* details[SUMMARY]: may be given in clear text instead */

/* The heading of d in the reader's language, with its colon. */
static const char *heading_text(const struct detail *d)
{
	static const char *const ja[N_DETAILS] = { "概要:", "環境:", "再現手順:", "結果:", "影響:", "回避策:" };
	static const char *const en[N_DETAILS] = { "Summary:", "Environment:", "Steps:", "Result:", "Impact:",
						   "Workaround:" };

	return kk_i18n_current() == KK_LANG_JA ? ja[d - details] : en[d - details];
}

/* When line (len bytes) starts with a heading and a colon (":" or "："),
 * after blanks and Markdown's "#": the detail, with *rest where its text
 * starts on that line. NULL otherwise. */
static const struct detail *heading_of(const char *line, size_t len, const char **rest)
{
	const char *end = line + len, *p = line;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '#'))
		p++;
	for (size_t i = 0; i < N_DETAILS; i++) {
		for (size_t h = 0; h < 3 && details[i].headings[h]; h++) {
			const char *w = details[i].headings[h], *q = p + strlen(w);

			if (q > end || strncasecmp(p, w, strlen(w)) != 0)
				continue;
			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			if (q < end && *q == ':')
				q++;
			else if (end - q >= 3 && memcmp(q, "\xEF\xBC\x9A", 3) == 0) /* U+FF1A, the full-width colon */
				q += 3;
			else
				continue;
			*rest = q;
			return &details[i];
		}
	}
	return NULL;
}

/* Narrows text[0..*n) to what is between the blank lines and spaces around it. */
static const char *trim(const char *text, size_t *n)
{
	while (*n && isspace((unsigned char)*text))
		text++, (*n)--;
	while (*n && isspace((unsigned char)text[*n - 1]))
		(*n)--;
	return text;
}

/* Sets into.<name> to text[0..n) trimmed (nothing when that leaves nothing);
 * -1 when out of memory. */
static int put_text(json_t *into, const char *name, const char *text, size_t n)
{
	text = trim(text, &n);
	return n ? json_object_set_new(into, name, json_stringn(text, n)) : 0;
}

/* Splits plain text under its headings into into (an object). Text before the
 * first heading starts the steps. A heading given twice is a field error. */
static enum kk_result parse_sections(const char *text, json_t *into, struct kk_error *err)
{
	const char *starts[N_DETAILS] = { 0 }, *ends[N_DETAILS] = { 0 };
	const char *p = text, *preamble_end = NULL;
	const struct detail *cur = NULL;

	while (*p) {
		size_t len = strcspn(p, "\n");
		const char *rest;
		const struct detail *d = heading_of(p, len, &rest);

		if (d) {
			size_t i = (size_t)(d - details);

			if (starts[i])
				return kk_error_field(err, FIELD, _("The decrypted text has the heading “%s” twice."),
						      heading_text(d));
			if (cur)
				ends[cur - details] = p;
			else
				preamble_end = p;
			starts[i] = rest;
			cur = d;
		}
		p += len + (p[len] == '\n');
	}
	if (cur)
		ends[cur - details] = p;
	else
		preamble_end = p;
	for (size_t i = 0; i < N_DETAILS; i++) {
		size_t n = starts[i] ? (size_t)(ends[i] - starts[i]) : 0, pre = (size_t)(preamble_end - text);
		const char *sec = trim(starts[i] ? starts[i] : "", &n), *head = trim(text, &pre);
		char *joined;
		int bad;

		if (strcmp(details[i].name, "steps") != 0 || !pre) {
			if (put_text(into, details[i].name, sec, n) != 0)
				return kk_error_nomem(err);
			continue;
		}
		/* what came before the first heading begins the steps */
		joined = kk_strdupf("%.*s%s%.*s", (int)pre, head, n ? "\n\n" : "", (int)n, sec);
		bad = !joined || put_text(into, "steps", joined, strlen(joined)) != 0;
		free(joined);
		if (bad)
			return kk_error_nomem(err);
	}
	return KK_OK;
}

/* The detail named name, or NULL. */
static const struct detail *detail_named(const char *name)
{
	for (size_t i = 0; i < N_DETAILS; i++)
		if (strcmp(details[i].name, name) == 0)
			return &details[i];
	return NULL;
}

/* A JSON object of details into into; a member that is no detail is a field error. */
static enum kk_result parse_json(json_t *obj, json_t *into, struct kk_error *err)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		if (!detail_named(key))
			return kk_error_field(err, FIELD, _("The decrypted JSON has a member “%s”, which is not a detail."),
					      key);
		if (!json_is_string(v))
			return kk_error_field(err, FIELD, _("In the decrypted JSON, “%s” must be text."), key);
		if (put_text(into, key, json_string_value(v), json_string_length(v)) != 0)
			return kk_error_nomem(err);
	}
	return KK_OK;
}

/* What plain (n bytes) holds, into found (an object of details). */
static enum kk_result read_plain(const char *plain, size_t n, json_t *found, struct kk_error *err)
{
	const char *p = plain;
	json_t *obj;
	enum kk_result res;

	if (strlen(plain) != n || !kk_utf8_valid(plain, n))
		return kk_error_field(err, FIELD, "%s", _("The decrypted text is not UTF-8 text."));
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '{' && (obj = json_loads(p, JSON_REJECT_DUPLICATES, NULL)) != NULL) {
		res = json_is_object(obj) ? parse_json(obj, found, err) : parse_sections(plain, found, err);
		json_decref(obj);
		return res;
	}
	return parse_sections(plain, found, err);
}

/* Moves the details of found into det, refusing one given in clear text as
 * well, and names the required ones neither gave. fields gets the names. */
static enum kk_result merge(json_t *det, json_t *found, json_t *fields, struct kk_error *err)
{
	char missing[256] = "";

	for (size_t i = 0; i < N_DETAILS; i++) {
		const struct detail *d = &details[i];
		json_t *v = json_object_get(found, d->name);
		const json_t *clear = json_object_get(det, d->name);
		int given = clear && !json_is_null(clear) &&
			    !(json_is_string(clear) && kk_str_empty(json_string_value(clear)));

		if (v && given) {
			char path[32];

			snprintf(path, sizeof(path), "details.%s", d->name);
			kk_error_field(err, FIELD, _("“%s” came both encrypted and in clear text: give it once."),
				       heading_text(d));
			kk_error_field(err, path, "%s", _("Given in clear text as well as in the encrypted details."));
			continue;
		}
		if (v) {
			if (json_object_set(det, d->name, v) != 0 || json_array_append_new(fields, json_string(d->name)))
				return kk_error_nomem(err);
		} else if (d->required && !given && i != SUMMARY) {
			size_t len = strlen(missing);

			snprintf(missing + len, sizeof(missing) - len, "%s%s", len ? _(", ") : "", heading_text(d));
		}
	}
	if (missing[0])
		kk_error_field(err, FIELD,
			       _("The decrypted text has no %s. Write each detail under its heading (for example "
				 "“%s”) or send a JSON object of the details."),
			       missing, heading_text(&details[1]));
	return err->code;
}

/* Decrypts armor with the organisation's key into found. What is wrong with
 * the message is a field error; a fault of the key store is not. */
static enum kk_result open_armor(struct kk_store *s, const char *armor, json_t *found, struct kk_error *err)
{
	struct kk_error why = KK_ERROR_INIT;
	struct kk_pgp_plain plain = { 0 };
	struct kk_pgp *pgp = NULL;
	char *fpr = kk_setting_get(s, "pgp_fingerprint", "");
	enum kk_result res;

	if (!fpr)
		return kk_error_nomem(err);
	if (kk_str_empty(fpr)) {
		free(fpr);
		return kk_error_field(err, FIELD, "%s",
				      _("This site has no OpenPGP key, so it cannot read encrypted details: "
					"give them in the fields."));
	}
	free(fpr);
	res = kk_pgp_open(s, &pgp, &why);
	if (!res)
		res = kk_pgp_decrypt(pgp, armor, strlen(armor), &plain, &why);
	kk_pgp_close(pgp);
	if (res == KK_EINVAL)
		kk_error_field(err, FIELD, "%s", why.msg);
	else if (res)
		kk_error_set(err, res, "%s", why.msg);
	else
		res = read_plain(plain.data, plain.n, found, err);
	if (plain.data) {
		sodium_memzero(plain.data, plain.n);
		free(plain.data);
	}
	kk_error_release(&why);
	return res;
}

enum kk_result kk_report_from_body(struct kk_store *s, json_t *body, struct kk_report *r, struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	json_t *det = json_object_get(body, "details"), *enc = json_object_get(det, "encrypted");
	json_t *found = NULL, *fields = NULL;
	char *armor = NULL, *names = NULL;
	enum kk_result res = KK_OK;

	memset(r, 0, sizeof(*r));
	if (!err)
		err = &mine;
	if (!json_is_object(det) || !enc || json_is_null(enc) ||
	    (json_is_string(enc) && kk_str_empty(json_string_value(enc)))) {
		if (enc) /* empty: as if not given */
			json_object_del(det, "encrypted");
		res = kk_report_from_json(body, r, err);
		kk_error_release(&mine);
		return res;
	}
	if (!json_is_string(enc) || !strstr(json_string_value(enc), "-----BEGIN PGP MESSAGE-----"))
		res = kk_error_field(err, FIELD, "%s",
				     _("Must be an armored OpenPGP message (-----BEGIN PGP MESSAGE-----) encrypted to "
				       "our key."));
	else if (json_string_length(enc) > CIPHERTEXT_MAX)
		res = kk_error_field(err, FIELD, _("At most %u bytes."), CIPHERTEXT_MAX);
	else if (!(armor = kk_strdup(json_string_value(enc))) || !(found = json_object()) || !(fields = json_array()))
		res = kk_error_nomem(err);
	if (!res)
		res = open_armor(s, armor, found, err);
	if (!res || res == KK_EINVAL) {
		json_object_del(det, "encrypted");
		if (!res)
			merge(det, found, fields, err);
		/* the validator adds what else is wrong with the body */
		res = kk_report_from_json(body, r, err);
	}
	if (!res && !(names = kk_json_dumps(fields, JSON_COMPACT)))
		res = kk_error_nomem(err);
	if (!res) {
		r->ciphertext = armor;
		r->encrypted_fields = names;
		armor = NULL;
	} else {
		kk_report_release(r);
		free(names);
	}
	free(armor);
	json_decref(found);
	json_decref(fields);
	kk_error_release(&mine);
	return res;
}
