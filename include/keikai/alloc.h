/*
 * alloc.h: the one door to the heap. Every allocation keikai's own code makes
 * goes through these wrappers (tests/check-alloc.sh fails the build's tests
 * when a direct malloc, calloc, realloc, strdup or strndup appears anywhere
 * else), and so does jansson's (json_set_alloc_funcs, set when the program
 * starts). What the libraries keikai links allocate for themselves (SQLite,
 * libpq, libmicrohttpd, libxml2, libsodium) is theirs and is not counted.
 *
 * Memory from the wrappers is released with free(), as always.
 *
 * Fault injection (curl's torture tests, SQLite's OOM tests): once armed with
 * kk_alloc_fail_at(n), the nth allocation through the wrappers from then on
 * returns NULL, as if the heap were exhausted, and every later one succeeds
 * again. The unit test tests/unit/test_fault_sweep.c arms it around one core
 * call at a time, for n = 1, 2, ... until a run sees no injected failure, and
 * checks that each run ends in a clean error with the database unchanged.
 * Outside the tests the counter stays disarmed and costs one relaxed atomic
 * load per allocation; KEIKAI_FAIL_ALLOC=N in the environment of the keikai
 * command arms it for the whole process (kk_alloc_arm_from_env).
 */
#ifndef KEIKAI_ALLOC_H
#define KEIKAI_ALLOC_H

#include <stddef.h>

/* malloc(n): n == 0 allocates one byte, so NULL always means "no memory". */
void *kk_malloc(size_t n);
/* calloc(count, size), NULL on overflow of count * size. */
void *kk_calloc(size_t count, size_t size);
/* realloc(p, n); on failure p is left as it was. n == 0 keeps one byte. */
void *kk_realloc(void *p, size_t n);
/* A copy of s the caller frees; NULL for s == NULL, or when out of memory. */
char *kk_strdup(const char *s);
/* A copy of at most n bytes of s, NUL-terminated, the caller frees; NULL for
 * s == NULL, or when out of memory. */
char *kk_strndup(const char *s, size_t n);

/* Arms the fault injector: the nth allocation through the wrappers from now on
 * (n >= 1) fails; n == 0 disarms it. Resets the count. */
void kk_alloc_fail_at(long n);
/* Allocations through the wrappers since kk_alloc_fail_at (0 when disarmed). */
long kk_alloc_count(void);
/* 1 when the allocation chosen by kk_alloc_fail_at has failed. */
int kk_alloc_injected(void);
/* Arms the injector from $KEIKAI_FAIL_ALLOC (a count >= 1) when it is set;
 * returns -1 when it is set to something else, else 0. For the fronts. */
int kk_alloc_arm_from_env(void);

#endif
