/*
 * portal_cache.h: the bytes of public pages and feeds kept in memory (issue
 * 12 item 6, "an advisory page and the RSS feed ... against nginx";
 * docs/internals/portal-cache.md). A public page is the same for every
 * anonymous reader of one language at one address, so the server makes it
 * once and serves the same bytes again while nothing it shows has changed:
 * each kept reply carries the portal's version (keikai/portal.h) read before
 * it was made, and is served only while the version read for the request is
 * the same, and for at most PORTAL_CACHE_AGE seconds (what Cache-Control
 * already lets any cache keep it). The version is read from the database
 * again after a change this process committed, and at most a millisecond
 * after the last read for changes of other processes (the CLI, another
 * server on the same PostgreSQL).
 *
 * This is the store of kept replies, without HTTP (http_portal.c is the
 * front's part): direct-mapped, a key's slot chosen by its hash, a newer
 * reply replacing the one there; bounded in count (PORTAL_CACHE_SLOTS) and
 * bytes (PORTAL_CACHE_BYTES). Safe from any thread.
 */
#ifndef KEIKAI_SERVER_PORTAL_CACHE_H
#define KEIKAI_SERVER_PORTAL_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/portal.h"

#define PORTAL_CACHE_SLOTS 2048
#define PORTAL_CACHE_BYTES ((size_t)64 * 1024 * 1024)
/* A reply bigger than this is not kept. */
#define PORTAL_CACHE_REPLY_MAX ((size_t)4 * 1024 * 1024)
/* Seconds a kept reply is served at most (page_advisory.h PAGE_PUBLIC_MAX_AGE). */
#define PORTAL_CACHE_AGE 300
#define PORTAL_ETAG_MAX 40

/* A reply as it is kept: the handler's content type and header lines, the
 * body, and what a conditional request is compared with. */
struct portal_reply {
	const char *content_type;
	const char *headers; /* "Name: value\n" lines */
	const char *body;
	size_t body_len;
	char etag[PORTAL_ETAG_MAX];
	int64_t last_modified;
	/* what the front made of it once to serve it again as it is (an MHD
	 * response), or NULL; the cache hands it to its release function when
	 * the reply is dropped */
	void *shared;
};

struct portal_cache;

/* NULL without memory. release (may be NULL) is given each reply's shared
 * handle when the reply is dropped. */
struct portal_cache *portal_cache_new(void (*release)(void *shared));
void portal_cache_free(struct portal_cache *c);

/*
 * Keeps reply under key (key_len bytes, any bytes), made at version, now
 * (seconds of a monotonic clock). 0, or -1 when it was not kept (too big,
 * no memory).
 */
int portal_cache_put(struct portal_cache *c, const char *key, size_t key_len, const struct kk_portal_version *version,
		     int64_t now, const struct portal_reply *reply);

/*
 * The reply kept under key while version is the one it was made at and it
 * is younger than PORTAL_CACHE_AGE at now: fn(arg, reply) is called with it
 * (under the cache's lock: fn copies what it needs, and may set its shared
 * handle) and 1 returned; else 0 (a stale reply is dropped).
 */
int portal_cache_get(struct portal_cache *c, const char *key, size_t key_len, const struct kk_portal_version *version,
		     int64_t now, void (*fn)(void *arg, struct portal_reply *reply), void *arg);

/*
 * The portal's version as last read from the database (the read costs as
 * much as serving a kept page): usable while it was read less than
 * PORTAL_VERSION_NS before now_ns (a monotonic clock) and this process has
 * committed no change since (local: kk_portal_local() taken before the
 * read). While one request reads it again, the others go by the last
 * read (unless this process committed a change since). 1 and *v, or 0:
 * the caller reads the version, then tells it with
 * portal_cache_version_read (local as taken before that read; v NULL when
 * the read failed).
 */
#define PORTAL_VERSION_NS 1000000
int portal_cache_version(struct portal_cache *c, int64_t now_ns, uint64_t local, struct kk_portal_version *v);
void portal_cache_version_read(struct portal_cache *c, int64_t now_ns, uint64_t local,
			       const struct kk_portal_version *v);

/* What is kept: replies and their bytes (bodies, headers and keys). */
void portal_cache_usage(struct portal_cache *c, size_t *replies, size_t *bytes);

#endif
