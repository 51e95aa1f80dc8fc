/*
 * page_pgp.c: GET /pgp-key.asc, the organisation's OpenPGP public key
 * (issue 11, item 3; SPEC 1), for finders who encrypt a report to it and
 * for whoever checks the signature on keikai's mail. Public; the normal
 * not-found page when keikai pgp init has made no key.
 *
 * Exporting runs gpg, so the armored key is kept in memory with the
 * fingerprint it belongs to: a request reads the setting pgp_fingerprint
 * (one query) and runs gpg only when it names another key than the one
 * kept. The route is public, and anyone may ask for it as often as they like.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "keikai/i18n.h"
#include "keikai/pgp.h"
#include "keikai/settings.h"
#include "keikai/util.h"

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static char cache_fpr[KK_PGP_FPR_LEN];
static char *cache_key; /* armored, for cache_fpr; lives as long as the process */

/* The armored key for fpr from the cache, copied into the request's memory. */
static char *cached(struct kk_req *r, const char *fpr)
{
	char *out = NULL;

	pthread_mutex_lock(&cache_lock);
	if (cache_key && strcmp(cache_fpr, fpr) == 0)
		out = kk_req_strdup(r, cache_key);
	pthread_mutex_unlock(&cache_lock);
	return out;
}

static void keep(const char *fpr, const char *armored)
{
	char *copy = kk_strdup(armored);

	if (!copy)
		return; /* served without being kept: the next request exports again */
	pthread_mutex_lock(&cache_lock);
	free(cache_key);
	cache_key = copy;
	snprintf(cache_fpr, sizeof(cache_fpr), "%s", fpr);
	pthread_mutex_unlock(&cache_lock);
}

void page_pgp_key(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	char fpr[KK_PGP_FPR_LEN], *set = kk_setting_get(r->store, "pgp_fingerprint", "");
	char *armored = NULL, *body = NULL;
	struct kk_pgp *p = NULL;
	enum kk_result res;

	if (!set) {
		page_error(r, 500, NULL);
		return;
	}
	if (!set[0]) {
		free(set);
		page_error(r, 404, _("This organisation has no OpenPGP key yet."));
		return;
	}
	body = cached(r, set);
	free(set);
	if (!body) {
		res = kk_pgp_open(r->store, &p, &err);
		if (!res)
			res = kk_pgp_org_key(p, r->store, &armored, fpr, &err);
		kk_pgp_close(p);
		if (res == KK_ENOTFOUND) {
			page_error(r, 404, _("This organisation has no OpenPGP key yet."));
			goto out;
		}
		if (res) {
			/* the reason names the keys directory: not for the public */
			page_error(r, 500, NULL);
			goto out;
		}
		keep(fpr, armored);
		body = armored;
	}
	kk_reply_bytes(r, 200, "application/pgp-keys", body, strlen(body), NULL);
out:
	free(armored);
	kk_error_release(&err);
}
