/*
 * portal_cache.c: the kept replies of the public portal (portal_cache.h).
 *
 * Each slot holds at most one reply, in one allocation (the struct, then
 * the key, the content type, the header lines and the body). A put
 * replaces the slot's reply whatever its key: two addresses that share a
 * slot take turns, which costs a page made again, never a wrong one, as a
 * get compares the whole key. A put that would take the bytes over
 * PORTAL_CACHE_BYTES is not kept.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "portal_cache.h"

struct kept {
	struct kk_portal_version version;
	int64_t made;
	size_t key_len, size;
	struct portal_reply reply;
	char *key;
};

struct portal_cache {
	pthread_mutex_t lock;
	void (*release)(void *shared);
	struct kept *slots[PORTAL_CACHE_SLOTS];
	size_t replies, bytes;
	/* the version last read from the database: when, at which local count */
	struct kk_portal_version seen;
	int64_t seen_at;
	uint64_t seen_local;
	int has_seen;
	int reading; /* a request is reading it again (the others keep to seen) */
};

/* FNV-1a: the slot of a key. */
static size_t slot_of(const char *key, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211ull;
	return (size_t)(h % PORTAL_CACHE_SLOTS);
}

struct portal_cache *portal_cache_new(void (*release)(void *shared))
{
	struct portal_cache *c = kk_calloc(1, sizeof(*c));

	if (c && pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c);
		return NULL;
	}
	if (c)
		c->release = release;
	return c;
}

/* Frees k and hands its shared handle to release. */
static void kept_free(struct portal_cache *c, struct kept *k)
{
	if (k && k->reply.shared && c->release)
		c->release(k->reply.shared);
	free(k);
}

void portal_cache_free(struct portal_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < PORTAL_CACHE_SLOTS; i++)
		kept_free(c, c->slots[i]);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* Drops slot i's reply; under the lock. */
static void drop(struct portal_cache *c, size_t i)
{
	if (!c->slots[i])
		return;
	c->replies--;
	c->bytes -= c->slots[i]->size;
	kept_free(c, c->slots[i]);
	c->slots[i] = NULL;
}

/* Copies s (n bytes and a NUL) to *at, which moves past it. */
static const char *place(char **at, const char *s, size_t n)
{
	char *p = *at;

	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	*at = p + n + 1;
	return p;
}

int portal_cache_put(struct portal_cache *c, const char *key, size_t key_len, const struct kk_portal_version *version,
		     int64_t now, const struct portal_reply *reply)
{
	size_t ct = strlen(reply->content_type ? reply->content_type : ""), hd = strlen(reply->headers ? reply->headers : "");
	size_t size = sizeof(struct kept) + key_len + ct + hd + reply->body_len + 4, i = slot_of(key, key_len);
	struct kept *k;
	char *at;

	if (reply->body_len > PORTAL_CACHE_REPLY_MAX || size > PORTAL_CACHE_REPLY_MAX + 64 * 1024 || !(k = kk_malloc(size)))
		return -1;
	at = (char *)(k + 1);
	k->version = *version;
	k->made = now;
	k->key_len = key_len;
	k->size = size;
	k->reply = *reply;
	k->reply.shared = NULL; /* made by the front once kept */
	k->key = (char *)place(&at, key, key_len);
	k->reply.content_type = place(&at, reply->content_type ? reply->content_type : "", ct);
	k->reply.headers = place(&at, reply->headers ? reply->headers : "", hd);
	k->reply.body = place(&at, reply->body ? reply->body : "", reply->body_len);
	pthread_mutex_lock(&c->lock);
	drop(c, i);
	if (c->bytes + size > PORTAL_CACHE_BYTES) {
		pthread_mutex_unlock(&c->lock);
		free(k);
		return -1;
	}
	c->slots[i] = k;
	c->replies++;
	c->bytes += size;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

int portal_cache_get(struct portal_cache *c, const char *key, size_t key_len, const struct kk_portal_version *version,
		     int64_t now, void (*fn)(void *arg, struct portal_reply *reply), void *arg)
{
	size_t i = slot_of(key, key_len);
	struct kept *k;
	int found = 0;

	pthread_mutex_lock(&c->lock);
	k = c->slots[i];
	if (k && k->key_len == key_len && !memcmp(k->key, key, key_len)) {
		if (kk_portal_version_same(&k->version, version) && now >= k->made && now - k->made < PORTAL_CACHE_AGE) {
			fn(arg, &k->reply);
			found = 1;
		} else {
			drop(c, i); /* stale: nothing will serve it again */
		}
	}
	pthread_mutex_unlock(&c->lock);
	return found;
}

int portal_cache_version(struct portal_cache *c, int64_t now_ns, uint64_t local, struct kk_portal_version *v)
{
	int fresh;

	pthread_mutex_lock(&c->lock);
	fresh = c->has_seen && c->seen_local == local &&
		((now_ns >= c->seen_at && now_ns - c->seen_at < PORTAL_VERSION_NS) || c->reading);
	if (fresh)
		*v = c->seen;
	else
		c->reading = 1; /* one reads it again; the others meanwhile go by seen */
	pthread_mutex_unlock(&c->lock);
	return fresh;
}

void portal_cache_version_read(struct portal_cache *c, int64_t now_ns, uint64_t local,
			       const struct kk_portal_version *v)
{
	pthread_mutex_lock(&c->lock);
	c->reading = 0;
	/* a read that began earlier than the one kept does not replace it */
	if (v && (!c->has_seen || now_ns >= c->seen_at)) {
		c->seen = *v;
		c->seen_at = now_ns;
		c->seen_local = local;
		c->has_seen = 1;
	}
	pthread_mutex_unlock(&c->lock);
}

void portal_cache_usage(struct portal_cache *c, size_t *replies, size_t *bytes)
{
	pthread_mutex_lock(&c->lock);
	*replies = c->replies;
	*bytes = c->bytes;
	pthread_mutex_unlock(&c->lock);
}
