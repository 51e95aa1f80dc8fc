/*
 * sbom.c: what the CycloneDX and SPDX readers share (sbom_impl.h), and the entry
 * point kk_sbom_parse, which reads CycloneDX 1.4-1.6 and SPDX 2.3 JSON into the
 * components and edges of sbom.h (SPEC 2.5, SPEC 5: a product's composition).
 *
 * One pass over the document. Every field that is read is checked (type, size,
 * NUL and control characters, package URL and CPE syntax, references that
 * resolve); each fault becomes a field error at its JSON path, and reading goes
 * on so that one answer names many faults, up to KK_SBOM_MAX_FIELD_ERRORS. Any
 * fault discards everything read: a caller gets the whole document or nothing.
 * References (bom-ref, SPDXID) are resolved through a jansson object used as a
 * hash table from the reference to the component's index.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "keikai/cpe.h"
#include "keikai/i18n.h"
#include "keikai/purl.h"
#include "keikai/sbom.h"
#include "keikai/util.h"
#include "sbom_impl.h"

void kk_sbom_init(struct kk_sbom *sbom)
{
	memset(sbom, 0, sizeof(*sbom));
	sbom->subject = -1;
}

static void component_release(struct kk_sbom_component *c)
{
	free(c->ref);
	free(c->name);
	free(c->group);
	free(c->version);
	free(c->supplier);
	free(c->purl);
	free(c->cpe);
}

void kk_sbom_release(struct kk_sbom *sbom)
{
	if (!sbom)
		return;
	for (size_t i = 0; i < sbom->ncomponents; i++)
		component_release(&sbom->components[i]);
	free(sbom->components);
	free(sbom->edges);
	kk_sbom_init(sbom);
}

long kk_sbom_find(const struct kk_sbom *sbom, const char *ref)
{
	for (size_t i = 0; ref && i < sbom->ncomponents; i++)
		if (sbom->components[i].ref && !strcmp(sbom->components[i].ref, ref))
			return (long)i;
	return -1;
}

const char *kk_sbom_format_name(enum kk_sbom_format format)
{
	switch (format) {
	case KK_SBOM_CYCLONEDX:
		return "CycloneDX";
	case KK_SBOM_SPDX:
		return "SPDX";
	}
	return "?";
}

/* ---- errors ---------------------------------------------------------------- */

int sbom_stopped(const struct sbom_ctx *c)
{
	return c->fatal != KK_OK || c->nfields >= KK_SBOM_MAX_FIELD_ERRORS;
}

void sbom_nomem(struct sbom_ctx *c)
{
	c->fatal = kk_error_nomem(c->err);
}

void sbom_field(struct sbom_ctx *c, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->nfields++;
	if (kk_error_field(c->err, path, "%s", msg) == KK_ENOMEM)
		c->fatal = KK_ENOMEM;
}

/* path + suffix, built like printf into buf (SBOM_PATH_MAX bytes). */
const char *sbom_at(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, SBOM_PATH_MAX, fmt, ap);
	va_end(ap);
	return buf;
}

/* ---- reading values ----------------------------------------------------------- */

/*
 * The string at obj[key] (path names it), checked: text, at most
 * KK_SBOM_MAX_STRING bytes, no NUL or control character. NULL when absent, null,
 * empty or wrong (a required one then gets "Required."); wrong ones are
 * recorded.
 */
const char *sbom_text(struct sbom_ctx *c, const json_t *obj, const char *key, const char *path, int required)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;

	if (!v || json_is_null(v)) {
		if (required)
			sbom_field(c, path, "%s", _("Required."));
		return NULL;
	}
	if (!json_is_string(v)) {
		sbom_field(c, path, "%s", _("Must be text."));
		return NULL;
	}
	s = json_string_value(v);
	if (json_string_length(v) > KK_SBOM_MAX_STRING) {
		sbom_field(c, path, _("At most %d bytes."), KK_SBOM_MAX_STRING);
		return NULL;
	}
	if (strlen(s) != json_string_length(v)) {
		sbom_field(c, path, "%s", _("Must not contain NUL characters."));
		return NULL;
	}
	if (kk_has_control(s, 0)) {
		sbom_field(c, path, "%s", _("Must not contain control characters."));
		return NULL;
	}
	if (!*s) {
		if (required)
			sbom_field(c, path, "%s", _("Required."));
		return NULL;
	}
	return s;
}

/* The array at obj[key], or NULL when absent (a wrong type is recorded). */
const json_t *sbom_list(struct sbom_ctx *c, const json_t *obj, const char *key, const char *path)
{
	const json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		sbom_field(c, path, "%s", _("Must be a list."));
		return NULL;
	}
	return v;
}

/* *dst = a copy of s (NULL stays NULL). */
void sbom_keep(struct sbom_ctx *c, char **dst, const char *s)
{
	if (!s || c->fatal)
		return;
	*dst = kk_strdup(s);
	if (!*dst)
		sbom_nomem(c);
}

/* Checks a package URL and keeps it as written. */
void sbom_keep_purl(struct sbom_ctx *c, char **dst, const char *s, const char *path)
{
	struct kk_error perr = KK_ERROR_INIT;
	struct kk_purl purl;
	enum kk_result rc;

	if (!s)
		return;
	rc = kk_purl_parse(s, &purl, &perr);
	if (rc == KK_ENOMEM)
		sbom_nomem(c);
	else if (rc != KK_OK)
		sbom_field(c, path, _("Not a package URL: %s"), perr.msg);
	else if (!*dst)
		sbom_keep(c, dst, s);
	kk_purl_release(&purl);
	kk_error_release(&perr);
}

/*
 * Checks a CPE name and keeps it as a CPE 2.3 formatted string. allow says which
 * spellings are accepted: 1 the formatted string, 2 the 2.2 URI, 3 either.
 */
void sbom_keep_cpe(struct sbom_ctx *c, char **dst, const char *s, int allow, const char *path)
{
	struct kk_cpe_error cerr;
	struct kk_cpe cpe;
	enum kk_result rc;
	size_t n;

	if (!s)
		return;
	if (!((allow & 1) && !strncasecmp(s, "cpe:2.3:", 8)) && !((allow & 2) && !strncasecmp(s, "cpe:/", 5))) {
		sbom_field(c, path, "%s",
		      allow == 1 ? _("Must be a CPE 2.3 formatted string (cpe:2.3:...).")
		      : allow == 2 ? _("Must be a CPE 2.2 URI (cpe:/...).")
				   : _("Must be a CPE 2.3 formatted string (cpe:2.3:...) or a CPE 2.2 URI (cpe:/...)."));
		return;
	}
	rc = kk_cpe_parse(s, &cpe, &cerr);
	if (rc == KK_ENOMEM) {
		sbom_nomem(c);
		return;
	}
	if (rc != KK_OK) {
		sbom_field(c, path, _("Not a CPE name: %s (column %zu)."), _(kk_cpe_strerror(cerr.code)),
		      cerr.offset + 1);
		return;
	}
	if (!*dst) {
		n = kk_cpe_to_fs(&cpe, NULL, 0);
		*dst = kk_malloc(n + 1);
		if (!*dst)
			sbom_nomem(c);
		else
			kk_cpe_to_fs(&cpe, *dst, n + 1);
	}
	kk_cpe_release(&cpe);
}

/* ---- the lists being built ------------------------------------------------------ */

/* A new, empty component at the end; its index, or -1 (fatal set). */
long sbom_add_component(struct sbom_ctx *c)
{
	struct kk_sbom *s = c->sbom;

	if (s->ncomponents >= KK_SBOM_MAX_COMPONENTS) {
		c->fatal = kk_error_set(c->err, KK_ETOOBIG, _("The SBOM lists more than %d components."),
					KK_SBOM_MAX_COMPONENTS);
		return -1;
	}
	if (s->ncomponents == c->comp_cap) {
		size_t cap = c->comp_cap ? c->comp_cap * 2 : 16;
		struct kk_sbom_component *p = kk_realloc(s->components, cap * sizeof(*p));

		if (!p) {
			sbom_nomem(c);
			return -1;
		}
		s->components = p;
		c->comp_cap = cap;
	}
	memset(&s->components[s->ncomponents], 0, sizeof(s->components[0]));
	return (long)s->ncomponents++;
}

void sbom_add_edge(struct sbom_ctx *c, size_t from, size_t to, enum kk_sbom_relation rel)
{
	struct kk_sbom *s = c->sbom;

	if (c->fatal)
		return;
	if (s->nedges >= KK_SBOM_MAX_EDGES) {
		c->fatal = kk_error_set(c->err, KK_ETOOBIG, _("The SBOM has more than %d dependencies."),
					KK_SBOM_MAX_EDGES);
		return;
	}
	if (s->nedges == c->edge_cap) {
		size_t cap = c->edge_cap ? c->edge_cap * 2 : 16;
		struct kk_sbom_edge *p = kk_realloc(s->edges, cap * sizeof(*p));

		if (!p) {
			sbom_nomem(c);
			return;
		}
		s->edges = p;
		c->edge_cap = cap;
	}
	s->edges[s->nedges].from = from;
	s->edges[s->nedges].to = to;
	s->edges[s->nedges].relation = rel;
	s->nedges++;
}

/* Records ref as component idx; a ref given twice is a fault at path. */
void sbom_add_ref(struct sbom_ctx *c, const char *ref, long idx, const char *path)
{
	json_t *n;

	if (!ref || c->fatal)
		return;
	if (json_object_get(c->refs, ref) || json_object_get(c->other, ref)) {
		sbom_field(c, path, "%s", _("Another element of the document has the same identifier."));
		return;
	}
	n = json_integer(idx);
	if (!n || json_object_set_new(c->refs, ref, n) != 0)
		sbom_nomem(c);
	else
		sbom_keep(c, &c->sbom->components[idx].ref, ref);
}

/* Records ref as an element that is not a component (a service, a file). */
void sbom_add_other(struct sbom_ctx *c, const char *ref)
{
	if (!ref || c->fatal || json_object_get(c->other, ref))
		return;
	if (json_object_set_new(c->other, ref, json_true()) != 0)
		sbom_nomem(c);
}

/*
 * Resolves a reference: its component index (>= 0), -1 when it names an element
 * that is not a component, or -2 when it names nothing (recorded at path).
 */
long sbom_resolve(struct sbom_ctx *c, const char *ref, const char *path, const char *unknown)
{
	const json_t *v = json_object_get(c->refs, ref);

	if (v)
		return (long)json_integer_value(v);
	if (json_object_get(c->other, ref))
		return -1;
	if (!c->lost_refs)
		sbom_field(c, path, "%s", unknown);
	return -2;
}

/* ---- the entry point ------------------------------------------------------------- */

enum kk_result kk_sbom_parse(const json_t *doc, struct kk_sbom *out, struct kk_error *err)
{
	struct sbom_ctx c;
	enum kk_result rc;

	kk_sbom_init(out);
	memset(&c, 0, sizeof(c));
	c.sbom = out;
	c.err = err;
	if (!json_is_object(doc))
		return kk_error_set(err, KK_EINVAL, "%s", _("An SBOM must be a JSON object."));
	if (!json_object_get(doc, "bomFormat") && !json_object_get(doc, "spdxVersion"))
		return kk_error_set(err, KK_EINVAL, "%s",
				    _("Not an SBOM keikai reads: a CycloneDX document has bomFormat, an SPDX "
				      "document spdxVersion, and this one has neither."));
	c.refs = json_object();
	c.other = json_object();
	if (!c.refs || !c.other)
		sbom_nomem(&c);
	else if (json_object_get(doc, "bomFormat"))
		sbom_read_cyclonedx(&c, doc);
	else
		sbom_read_spdx(&c, doc);
	json_decref(c.refs);
	json_decref(c.other);
	rc = c.fatal != KK_OK ? c.fatal : c.nfields ? KK_EINVAL : KK_OK;
	if (rc != KK_OK) {
		kk_sbom_release(out);
		return kk_error_result(err, rc);
	}
	return KK_OK;
}
