/*
 * portal.h: the version of what the public portal shows (issue 12 item 6;
 * docs/internals/portal-cache.md). The server keeps the bytes of public
 * pages and feeds it has made, each with the version it was made at, and
 * serves them again while the version is the same: every change the pages
 * show moves it, in the transaction that makes the change, so a page kept
 * is never older than the last commit (any process, any server on one
 * database).
 */
#ifndef KEIKAI_PORTAL_H
#define KEIKAI_PORTAL_H

#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

struct kk_portal_version {
	int64_t portal;   /* portal_version: advisories' public parts, settings */
	int64_t registry; /* registry_version: vendors and products */
	int64_t cwe;      /* the CWE catalogues' imports */
};

/* Counts a change of what the portal shows, in tx (the store calls it where
 * an advisory's search entry is put or dropped and a setting is written). */
enum kk_result kk_portal_touch(struct kk_tx *tx, struct kk_error *err);

/* Marks tx as changing what the portal shows without counting it in
 * portal_version (the registry's and the CWE catalogues' changes, which
 * count themselves); kk_portal_touch marks too. */
void kk_portal_mark(struct kk_tx *tx);
/* The store calls this after a marked transaction committed. */
void kk_portal_committed(void);
/* How many marked transactions this process has committed. */
uint64_t kk_portal_local(void);

/* The version now (all zero in a database never changed). */
enum kk_result kk_portal_version(struct kk_store *s, struct kk_portal_version *v, struct kk_error *err);

/* 1 when a and b are the same version. */
int kk_portal_version_same(const struct kk_portal_version *a, const struct kk_portal_version *b);

#endif
