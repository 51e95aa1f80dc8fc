/*
 * sbom.h: reading a software bill of materials (CycloneDX 1.4, 1.5 and 1.6 JSON;
 * SPDX 2.3 JSON) into the list of components a product embeds and which embeds
 * or depends on which (SPEC 2.5: the products that embed an OSS component; SPEC
 * 5: each product's software composition on record). Pure: no store, no I/O.
 *
 * kk_sbom_parse takes a document already parsed by jansson, tells the format by
 * bomFormat/specVersion or spdxVersion, and yields every component with its
 * name, version, supplier, package URL and CPE (as a CPE 2.3 formatted string,
 * converted from a 2.2 URI when needed). Bad input is normal: every wrong field
 * is named by its JSON path ("components[3].purl", "packages[0].externalRefs[1]
 * .referenceLocator"), and nothing is returned unless the whole document was
 * read. docs/internals/sbom.md lists what is read and what is refused.
 */
#ifndef KEIKAI_SBOM_H
#define KEIKAI_SBOM_H

#include <jansson.h>
#include <stddef.h>

#include "keikai/error.h"

/* Limits: a document over them is refused (KK_ETOOBIG, or a field error). */
#define KK_SBOM_MAX_COMPONENTS 100000 /* components (packages), nested ones included */
#define KK_SBOM_MAX_EDGES 1000000     /* dependency and containment edges */
#define KK_SBOM_MAX_STRING 4096       /* bytes in any string that is read */
#define KK_SBOM_MAX_DEPTH 32          /* CycloneDX components nested in components */
#define KK_SBOM_MAX_FIELD_ERRORS 50   /* reading stops after this many wrong fields */

enum kk_sbom_format {
	KK_SBOM_CYCLONEDX = 1,
	KK_SBOM_SPDX,
};

/* One component (CycloneDX) or package (SPDX). Every string is owned by the
 * struct kk_sbom it belongs to; NULL when the document does not give it. */
struct kk_sbom_component {
	char *ref;      /* CycloneDX bom-ref, SPDX SPDXID */
	char *name;     /* never NULL */
	char *group;    /* CycloneDX group (npm scope, Maven groupId); NULL for SPDX */
	char *version;  /* CycloneDX version, SPDX versionInfo */
	char *supplier; /* CycloneDX supplier.name, else publisher; SPDX supplier's name */
	char *purl;     /* as written, checked with kk_purl_parse */
	char *cpe;      /* a CPE 2.3 formatted string (a 2.2 URI is converted) */
};

/* What an edge says: from embeds to (CycloneDX nesting, SPDX CONTAINS and the
 * links), or from depends on to (CycloneDX dependencies, SPDX DEPENDS_ON and
 * the *DEPENDENCY_OF family). */
enum kk_sbom_relation {
	KK_SBOM_CONTAINS = 1,
	KK_SBOM_DEPENDS_ON,
};

struct kk_sbom_edge {
	size_t from; /* index into components */
	size_t to;
	enum kk_sbom_relation relation;
};

struct kk_sbom {
	enum kk_sbom_format format;
	char spec_version[8]; /* "1.4", "1.5", "1.6" or "2.3" */
	/* Every component in document order: for CycloneDX metadata.component
	 * first, then components[] with nested components right after their
	 * parent; for SPDX packages[]. */
	struct kk_sbom_component *components;
	size_t ncomponents;
	/* The product the document describes (CycloneDX metadata.component; SPDX
	 * documentDescribes or the document's DESCRIBES relationship), or -1. */
	long subject;
	struct kk_sbom_edge *edges; /* in document order, as written (not deduplicated) */
	size_t nedges;
};

/* Leaves sbom empty, owning nothing. */
void kk_sbom_init(struct kk_sbom *sbom);

/* Frees what sbom owns and leaves it as kk_sbom_init does. Accepts NULL. */
void kk_sbom_release(struct kk_sbom *sbom);

/*
 * Reads doc into *out (overwritten without being released first). On success
 * *out owns its components and edges (kk_sbom_release) and the result is KK_OK.
 * On failure *out is left as kk_sbom_init does and the result is KK_EINVAL (not
 * a supported document, or wrong fields: err->fields maps each JSON path to its
 * message), KK_ETOOBIG (over a limit above) or KK_ENOMEM. err may be NULL.
 */
enum kk_result kk_sbom_parse(const json_t *doc, struct kk_sbom *out, struct kk_error *err);

/* The index of the component whose ref is ref, or -1. Linear: for tests and
 * small look-ups. */
long kk_sbom_find(const struct kk_sbom *sbom, const char *ref);

/* "CycloneDX" or "SPDX"; "?" out of range. */
const char *kk_sbom_format_name(enum kk_sbom_format format);

#endif
