/*
 * sbom_impl.h: what sbom.c shares with the two readers, sbom_cyclonedx.c and
 * sbom_spdx.c: the reading context, checked access to values, and the lists
 * being built. Private to lib/formats.
 *
 * Every helper records a fault as a field error at the JSON path it is given
 * and lets reading go on; sbom_stopped says when to give up (a fatal error, or
 * KK_SBOM_MAX_FIELD_ERRORS faults).
 */
#ifndef KEIKAI_SBOM_IMPL_H
#define KEIKAI_SBOM_IMPL_H

#include <jansson.h>
#include <stddef.h>

#include "keikai/sbom.h"

/* Room for a JSON path: components nested KK_SBOM_MAX_DEPTH deep fit. */
#define SBOM_PATH_MAX 1024

struct sbom_ctx {
	struct kk_sbom *sbom;
	struct kk_error *err;
	enum kk_result fatal; /* KK_OK, or KK_ENOMEM / KK_ETOOBIG: stop at once */
	int nfields;          /* field errors recorded */
	int lost_refs;        /* a faulty component may have lost its reference, so a
			       * reference that resolves to nothing is not news */
	size_t comp_cap, edge_cap;
	json_t *refs;  /* component reference -> index */
	json_t *other; /* references that are not components: CycloneDX services,
			* SPDX files, snippets and the document itself */
};

/* 1 when reading should stop. */
int sbom_stopped(const struct sbom_ctx *c);
/* Records that memory ran out (fatal). */
void sbom_nomem(struct sbom_ctx *c);
/* Records a fault at path (a printf message, already translated). */
void sbom_field(struct sbom_ctx *c, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Writes a path into buf (SBOM_PATH_MAX bytes) like snprintf and returns buf. */
const char *sbom_at(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The checked string at obj[key]: NULL when absent, empty or wrong (recorded at
 * path; a missing required one as "Required."). Borrowed from obj. */
const char *sbom_text(struct sbom_ctx *c, const json_t *obj, const char *key, const char *path, int required);
/* The array at obj[key], or NULL when absent or not an array (recorded). */
const json_t *sbom_list(struct sbom_ctx *c, const json_t *obj, const char *key, const char *path);
/* *dst = a copy of s; nothing for s == NULL. */
void sbom_keep(struct sbom_ctx *c, char **dst, const char *s);
/* Checks s as a package URL; keeps it in *dst when *dst is still NULL. */
void sbom_keep_purl(struct sbom_ctx *c, char **dst, const char *s, const char *path);
/* Checks s as a CPE name (allow: 1 a 2.3 formatted string, 2 a 2.2 URI, 3
 * either) and keeps its formatted string in *dst when *dst is still NULL. */
void sbom_keep_cpe(struct sbom_ctx *c, char **dst, const char *s, int allow, const char *path);

/* A new, zeroed component at the end of the list: its index, or -1 (fatal). */
long sbom_add_component(struct sbom_ctx *c);
/* Appends the edge from -> to. */
void sbom_add_edge(struct sbom_ctx *c, size_t from, size_t to, enum kk_sbom_relation rel);
/* Records ref as the reference of component idx; a duplicate is a fault at path. */
void sbom_add_ref(struct sbom_ctx *c, const char *ref, long idx, const char *path);
/* Records ref as an element that is not a component (service, file, snippet). */
void sbom_add_other(struct sbom_ctx *c, const char *ref);
/* A reference's component index; -1 for an element that is not a component;
 * -2 when it names nothing, recorded at path with the message `unknown`. */
long sbom_resolve(struct sbom_ctx *c, const char *ref, const char *path, const char *unknown);

/* The readers: fill c->sbom from doc, recording faults. */
void sbom_read_cyclonedx(struct sbom_ctx *c, const json_t *doc);
void sbom_read_spdx(struct sbom_ctx *c, const json_t *doc);

#endif
