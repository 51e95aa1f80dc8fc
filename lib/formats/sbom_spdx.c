/*
 * sbom_spdx.c: the SPDX 2.3 JSON reader of kk_sbom_parse (SPEC 2.5, SPEC 5).
 *
 * It reads spdxVersion, the document's SPDXID, packages[] (SPDXID and name
 * required; versionInfo, supplier, and the externalRefs of type purl,
 * cpe23Type and cpe22Type), the SPDXIDs of files[] and snippets[] (elements a
 * relationship may name that are not components), documentDescribes, and
 * relationships[]. A relationship between two packages becomes an edge when
 * its type is in the table below; DESCRIBES (or DESCRIBED_BY) between the
 * document and a package names the subject; every other
 * type (dev, test and build dependencies, GENERATED_FROM, ...) is ignored, as
 * is one whose end is NONE, NOASSERTION, another document
 * ("DocumentRef-x:SPDXRef-y"), a file or a snippet.
 */
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/util.h"
#include "sbom_impl.h"

/* SPDX 2.3 clause 11.1: relationship types that say one package embeds or
 * needs another. reverse: the related element is the one that embeds/needs. */
static const struct {
	const char *type;
	enum kk_sbom_relation relation;
	int reverse;
} relationships[] = {
	{ "CONTAINS", KK_SBOM_CONTAINS, 0 },
	{ "CONTAINED_BY", KK_SBOM_CONTAINS, 1 },
	{ "STATIC_LINK", KK_SBOM_CONTAINS, 0 },
	{ "PACKAGE_OF", KK_SBOM_CONTAINS, 1 },
	{ "DEPENDS_ON", KK_SBOM_DEPENDS_ON, 0 },
	{ "DEPENDENCY_OF", KK_SBOM_DEPENDS_ON, 1 },
	{ "DYNAMIC_LINK", KK_SBOM_DEPENDS_ON, 0 },
	{ "RUNTIME_DEPENDENCY_OF", KK_SBOM_DEPENDS_ON, 1 },
	{ "OPTIONAL_DEPENDENCY_OF", KK_SBOM_DEPENDS_ON, 1 },
	{ "PROVIDED_DEPENDENCY_OF", KK_SBOM_DEPENDS_ON, 1 },
	{ "HAS_PREREQUISITE", KK_SBOM_DEPENDS_ON, 0 },
	{ "PREREQUISITE_FOR", KK_SBOM_DEPENDS_ON, 1 },
};

#define N_RELATIONSHIPS (sizeof(relationships) / sizeof(relationships[0]))

/* "Person: Jane (jane@example.org)" or "Organization: Example Inc." -> the name,
 * into buf; NULL for NOASSERTION or a malformed value (recorded at path). */
static const char *supplier_name(struct sbom_ctx *c, const char *s, char *buf, size_t size, const char *path)
{
	const char *name;
	size_t n;

	if (!s || !strcmp(s, "NOASSERTION"))
		return NULL;
	if (!strncmp(s, "Organization:", 13))
		name = s + 13;
	else if (!strncmp(s, "Person:", 7))
		name = s + 7;
	else {
		sbom_field(c, path, "%s", _("Must be NOASSERTION, or begin with \"Person:\" or \"Organization:\"."));
		return NULL;
	}
	while (*name == ' ')
		name++;
	n = strlen(name);
	/* an e-mail address in parentheses at the end is not part of the name */
	if (n && name[n - 1] == ')') {
		const char *open = strrchr(name, '(');

		if (open)
			n = (size_t)(open - name);
	}
	while (n && name[n - 1] == ' ')
		n--;
	if (!n) {
		sbom_field(c, path, "%s", _("The supplier's name is missing."));
		return NULL;
	}
	snprintf(buf, size, "%.*s", (int)n, name);
	return buf;
}

static void read_external_refs(struct sbom_ctx *c, const json_t *pkg, const char *path, long idx)
{
	char p[SBOM_PATH_MAX];
	const json_t *refs, *item;
	size_t i;

	refs = sbom_list(c, pkg, "externalRefs", sbom_at(p, "%s.externalRefs", path));
	json_array_foreach(refs, i, item) {
		struct kk_sbom_component *comp;
		const char *type, *locator;

		if (sbom_stopped(c))
			return;
		if (!json_is_object(item)) {
			sbom_field(c, sbom_at(p, "%s.externalRefs[%zu]", path, i), "%s", _("Must be an object."));
			continue;
		}
		sbom_text(c, item, "referenceCategory", sbom_at(p, "%s.externalRefs[%zu].referenceCategory", path, i), 1);
		type = sbom_text(c, item, "referenceType", sbom_at(p, "%s.externalRefs[%zu].referenceType", path, i), 1);
		locator = sbom_text(c, item, "referenceLocator",
				    sbom_at(p, "%s.externalRefs[%zu].referenceLocator", path, i), 1);
		if (!type || !locator || idx < 0)
			continue;
		comp = &c->sbom->components[idx];
		if (!strcmp(type, "purl"))
			sbom_keep_purl(c, &comp->purl, locator, p);
		else if (!strcmp(type, "cpe23Type"))
			sbom_keep_cpe(c, &comp->cpe, locator, 1, p);
		else if (!strcmp(type, "cpe22Type"))
			sbom_keep_cpe(c, &comp->cpe, locator, 2, p);
	}
}

static void read_package(struct sbom_ctx *c, const json_t *pkg, const char *path)
{
	char p[SBOM_PATH_MAX], sbuf[KK_SBOM_MAX_STRING + 1];
	struct kk_sbom_component *comp;
	const char *id, *name, *version, *supplier;
	int before = c->nfields;
	long idx;

	if (!json_is_object(pkg)) {
		sbom_field(c, path, "%s", _("Must be an object."));
		c->lost_refs = 1;
		return;
	}
	id = sbom_text(c, pkg, "SPDXID", sbom_at(p, "%s.SPDXID", path), 1);
	name = sbom_text(c, pkg, "name", sbom_at(p, "%s.name", path), 1);
	version = sbom_text(c, pkg, "versionInfo", sbom_at(p, "%s.versionInfo", path), 0);
	supplier = sbom_text(c, pkg, "supplier", sbom_at(p, "%s.supplier", path), 0);
	supplier = supplier_name(c, supplier, sbuf, sizeof(sbuf), p);
	idx = sbom_add_component(c);
	if (idx < 0)
		return;
	comp = &c->sbom->components[idx];
	sbom_keep(c, &comp->name, name);
	sbom_keep(c, &comp->version, version);
	sbom_keep(c, &comp->supplier, supplier);
	sbom_add_ref(c, id, idx, sbom_at(p, "%s.SPDXID", path));
	if (c->nfields > before)
		c->lost_refs = 1; /* its SPDXID may be what was wrong */
	read_external_refs(c, pkg, path, idx);
}

/* SPDXIDs of files[] or snippets[]: elements, not components. */
static void read_others(struct sbom_ctx *c, const json_t *doc, const char *key)
{
	char p[SBOM_PATH_MAX];
	int before = c->nfields;
	const json_t *items = sbom_list(c, doc, key, key), *item;
	size_t i;

	if (c->nfields > before)
		c->lost_refs = 1;

	json_array_foreach(items, i, item) {
		const char *id;

		if (sbom_stopped(c))
			return;
		if (!json_is_object(item)) {
			sbom_field(c, sbom_at(p, "%s[%zu]", key, i), "%s", _("Must be an object."));
			c->lost_refs = 1;
			continue;
		}
		id = sbom_text(c, item, "SPDXID", sbom_at(p, "%s[%zu].SPDXID", key, i), 1);
		if (!id)
			c->lost_refs = 1;
		else if (json_object_get(c->refs, id))
			sbom_field(c, p, "%s", _("Another element of the document has the same identifier."));
		else
			sbom_add_other(c, id);
	}
}

/* An element a relationship names, as a component index; -1 when it is no
 * package (another document, NONE, NOASSERTION, a file) or names nothing. */
static long element(struct sbom_ctx *c, const char *id, const char *path)
{
	if (!strcmp(id, "NONE") || !strcmp(id, "NOASSERTION") || !strncmp(id, "DocumentRef-", 12))
		return -1;
	return sbom_resolve(c, id, path, _("No package, file or snippet of the document has this SPDXID."));
}

static void read_relationships(struct sbom_ctx *c, const json_t *doc, const char *doc_id)
{
	char p[SBOM_PATH_MAX];
	const json_t *rels = sbom_list(c, doc, "relationships", "relationships"), *rel;
	size_t i, k;

	json_array_foreach(rels, i, rel) {
		const char *a_id, *b_id, *type;
		long a, b;

		if (sbom_stopped(c))
			return;
		if (!json_is_object(rel)) {
			sbom_field(c, sbom_at(p, "relationships[%zu]", i), "%s", _("Must be an object."));
			continue;
		}
		type = sbom_text(c, rel, "relationshipType", sbom_at(p, "relationships[%zu].relationshipType", i), 1);
		a_id = sbom_text(c, rel, "spdxElementId", sbom_at(p, "relationships[%zu].spdxElementId", i), 1);
		a = a_id ? element(c, a_id, p) : -1;
		b_id = sbom_text(c, rel, "relatedSpdxElement", sbom_at(p, "relationships[%zu].relatedSpdxElement", i), 1);
		b = b_id ? element(c, b_id, p) : -1;
		if (!type || a < 0 || b < 0) {
			/* the document DESCRIBES a package (or the package is DESCRIBED_BY it): the
			 * subject, unless documentDescribes or an earlier relationship named one */
			if (type && a_id && b >= 0 && !strcmp(type, "DESCRIBES") && !strcmp(a_id, doc_id) &&
			    c->sbom->subject < 0)
				c->sbom->subject = b;
			if (type && b_id && a >= 0 && !strcmp(type, "DESCRIBED_BY") && !strcmp(b_id, doc_id) &&
			    c->sbom->subject < 0)
				c->sbom->subject = a;
			continue;
		}
		for (k = 0; k < N_RELATIONSHIPS; k++)
			if (!strcmp(type, relationships[k].type))
				break;
		if (k == N_RELATIONSHIPS)
			continue;
		if (relationships[k].reverse)
			sbom_add_edge(c, (size_t)b, (size_t)a, relationships[k].relation);
		else
			sbom_add_edge(c, (size_t)a, (size_t)b, relationships[k].relation);
	}
}

void sbom_read_spdx(struct sbom_ctx *c, const json_t *doc)
{
	char p[SBOM_PATH_MAX];
	const char *version, *doc_id;
	const json_t *packages, *describes, *item;
	size_t i;
	int before;

	version = sbom_text(c, doc, "spdxVersion", "spdxVersion", 1);
	if (version && strcmp(version, "SPDX-2.3") != 0)
		sbom_field(c, "spdxVersion", "%s", _("keikai reads SPDX 2.3 documents: spdxVersion must be \"SPDX-2.3\"."));
	if (c->nfields)
		return; /* not a document this reader knows: say only that */
	c->sbom->format = KK_SBOM_SPDX;
	snprintf(c->sbom->spec_version, sizeof(c->sbom->spec_version), "2.3");

	doc_id = sbom_text(c, doc, "SPDXID", "SPDXID", 1);
	if (!doc_id)
		return;
	sbom_add_other(c, doc_id);
	before = c->nfields;
	packages = sbom_list(c, doc, "packages", "packages");
	if (c->nfields > before)
		c->lost_refs = 1;
	json_array_foreach(packages, i, item) {
		if (sbom_stopped(c))
			return;
		read_package(c, item, sbom_at(p, "packages[%zu]", i));
	}
	read_others(c, doc, "files");
	read_others(c, doc, "snippets");

	/* documentDescribes names the subject first; a DESCRIBES relationship otherwise */
	describes = sbom_list(c, doc, "documentDescribes", "documentDescribes");
	json_array_foreach(describes, i, item) {
		long idx;

		sbom_at(p, "documentDescribes[%zu]", i);
		if (!json_is_string(item)) {
			sbom_field(c, p, "%s", _("Must be text."));
			continue;
		}
		idx = element(c, json_string_value(item), p);
		if (idx >= 0 && c->sbom->subject < 0)
			c->sbom->subject = idx;
	}
	read_relationships(c, doc, doc_id);
}
