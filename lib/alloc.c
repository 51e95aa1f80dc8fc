/*
 * alloc.c: the allocation wrappers and the fault injector of alloc.h. The only
 * file of keikai that calls malloc, calloc, realloc, strdup or strndup.
 *
 * The injector is two atomic counters: fail_at (0: disarmed) and the number of
 * allocations seen since it was armed. It is process-wide, so a test arms it
 * around one call on one thread.
 */
#include <errno.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"

static atomic_long fail_at;
static atomic_long seen;
static atomic_int injected;

/* Whether this allocation is the one chosen to fail. */
static int fail_now(void)
{
	long n = atomic_load_explicit(&fail_at, memory_order_relaxed);

	if (n <= 0)
		return 0;
	if (atomic_fetch_add_explicit(&seen, 1, memory_order_relaxed) + 1 != n)
		return 0;
	atomic_store_explicit(&injected, 1, memory_order_relaxed);
	errno = ENOMEM;
	return 1;
}

void *kk_malloc(size_t n)
{
	return fail_now() ? NULL : malloc(n ? n : 1);
}

void *kk_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	if (!count || !size)
		count = size = 1;
	return fail_now() ? NULL : calloc(count, size);
}

void *kk_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : realloc(p, n ? n : 1);
}

char *kk_strdup(const char *s)
{
	return s ? kk_strndup(s, strlen(s)) : NULL;
}

char *kk_strndup(const char *s, size_t n)
{
	char *copy;

	if (!s)
		return NULL;
	n = strnlen(s, n);
	if (!(copy = kk_malloc(n + 1)))
		return NULL;
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
}

void kk_alloc_fail_at(long n)
{
	atomic_store(&fail_at, 0);
	atomic_store(&seen, 0);
	atomic_store(&injected, 0);
	atomic_store(&fail_at, n > 0 ? n : 0);
}

long kk_alloc_count(void)
{
	return atomic_load(&fail_at) ? atomic_load(&seen) : 0;
}

int kk_alloc_injected(void)
{
	return atomic_load(&injected);
}

int kk_alloc_arm_from_env(void)
{
	const char *s = getenv("KEIKAI_FAIL_ALLOC");
	char *end;
	long n;

	if (!s)
		return 0;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < 1)
		return -1;
	kk_alloc_fail_at(n);
	return 0;
}

/* jansson allocates through the wrappers too, from before main() runs, so its
 * failures are injected and counted like keikai's own (free() stays free()). */
__attribute__((constructor)) static void alloc_init(void)
{
	json_set_alloc_funcs(kk_malloc, free);
}
