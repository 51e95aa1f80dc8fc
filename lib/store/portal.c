/*
 * portal.c: the version of the public portal (keikai/portal.h; issue 12
 * item 6, docs/internals/portal-cache.md). One row (portal_version, id 1,
 * written by the first change, like registry_version) counts every change
 * of what the public pages show: an advisory's search entry put or dropped
 * (published, revised, a vendor's part updated after publication, the
 * index rebuilt) and a setting written. The version a reader compares
 * holds it, the registry's version (vendor names) and the CWE catalogues'
 * imports (the weaknesses' names), so each of them makes every kept page
 * stale in the same transaction that changes it.
 *
 * A transaction that changes any of them is marked (kk_portal_mark), and its
 * commit moves this process's count of such commits (kk_portal_local), so a
 * server that reads the database's version only now and then still sees its
 * own changes at once.
 */
#include <stdatomic.h>

#include "keikai/portal.h"

static atomic_uint_fast64_t local_commits;

void kk_portal_mark(struct kk_tx *tx)
{
	tx->portal_touched = 1;
}

void kk_portal_committed(void)
{
	atomic_fetch_add(&local_commits, 1);
}

uint64_t kk_portal_local(void)
{
	return atomic_load(&local_commits);
}

enum kk_result kk_portal_touch(struct kk_tx *tx, struct kk_error *err)
{
	kk_portal_mark(tx);
	return kk_stmt_once(kk_stmt_prepare(tx, "INSERT INTO portal_version(id, version) VALUES(1, 1)"
						" ON CONFLICT(id) DO UPDATE SET version = portal_version.version + 1",
					    err),
			    err);
}

/* The version read in tx. */
static enum kk_result version_in(struct kk_tx *tx, struct kk_portal_version *v, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT (SELECT COALESCE(MAX(version), 0) FROM portal_version),"
					     " (SELECT COALESCE(MAX(version), 0) FROM registry_version),"
					     " (SELECT COALESCE(SUM(imported_at), 0) FROM cwe_catalog)",
					     err);
	enum kk_result res;

	*v = (struct kk_portal_version){ 0 };
	if (!st)
		return kk_error_result(err, KK_EDB);
	res = kk_stmt_first(st, err);
	if (!res) {
		v->portal = kk_stmt_int(st, 0);
		v->registry = kk_stmt_int(st, 1);
		v->cwe = kk_stmt_int(st, 2);
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_portal_version(struct kk_store *s, struct kk_portal_version *v, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);

	if (res)
		return res;
	res = version_in(&tx, v, err);
	return kk_tx_end(&tx, res, err);
}

int kk_portal_version_same(const struct kk_portal_version *a, const struct kk_portal_version *b)
{
	return a->portal == b->portal && a->registry == b->registry && a->cwe == b->cwe;
}
