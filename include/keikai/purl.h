/*
 * purl.h: package URLs ("pkg:type/namespace/name@version?qualifiers#subpath"),
 * as the purl specification (github.com/package-url/purl-spec, PURL-SPECIFICATION.rst)
 * defines them: the name an SBOM gives a component, and what keikai matches
 * "libfoo 1.2" against (SPEC 2.5: the products that embed a component).
 *
 * kk_purl_parse follows the specification's "how to parse" steps: the subpath is
 * split off at the last '#', the qualifiers at the last '?', the scheme at the first
 * ':', the type at the first '/', the version at the last '@', the name at the last
 * '/'; what remains is the namespace. The type is lowercased; namespace segments,
 * name, version and subpath segments are percent-decoded. It refuses what the
 * specification forbids: another scheme, a type with characters other than
 * letters, digits, '.', '+' and '-' or one that starts with a digit, an empty
 * name, a malformed percent escape, a decoded NUL or byte sequence that is not
 * UTF-8, a qualifier without '=' or with a key outside [a-z0-9.-_] (any case),
 * starting with a digit or given twice, "." or ".." as a subpath segment, and
 * (stricter than the specification, which only asks encoders for it) a byte
 * outside printable ASCII that is not percent-encoded. No type-specific rule
 * (npm's lowercase names, PyPI's '_' to '-') is applied.
 */
#ifndef KEIKAI_PURL_H
#define KEIKAI_PURL_H

#include <stddef.h>

#include "keikai/error.h"

/* Longest package URL kk_purl_parse accepts, in bytes. */
#define KK_PURL_MAX_LEN 4096

/*
 * A parsed package URL. Every string lives in one block owned by the struct
 * (buf): release it with kk_purl_release. namespace, version, qualifiers and
 * subpath are NULL when the URL has none.
 */
struct kk_purl {
	const char *type;       /* lowercased: "npm", "maven", "generic" */
	const char *namespace;  /* decoded segments joined by '/': "@babel", "org.apache" */
	const char *name;       /* decoded, never empty */
	const char *version;    /* decoded */
	const char *qualifiers; /* as written (still percent-encoded), without the '?' */
	const char *subpath;    /* decoded segments joined by '/' */
	char *buf;              /* owned */
};

/* Leaves purl empty, owning nothing. */
void kk_purl_init(struct kk_purl *purl);

/* Frees what purl owns and leaves it as kk_purl_init does. Accepts NULL. */
void kk_purl_release(struct kk_purl *purl);

/*
 * Parses s. On success fills *out, which then owns a block the caller frees with
 * kk_purl_release, and returns KK_OK. On failure leaves *out as kk_purl_init
 * does and returns KK_EINVAL (malformed: err's message, translated, says why),
 * KK_ETOOBIG (longer than KK_PURL_MAX_LEN) or KK_ENOMEM. err may be NULL; no
 * field is recorded in it, so that a caller names the field itself. *out is
 * overwritten without being released first.
 */
enum kk_result kk_purl_parse(const char *s, struct kk_purl *out, struct kk_error *err);

#endif
