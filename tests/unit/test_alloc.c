/*
 * Unit tests of lib/alloc.c: the allocation wrappers every allocation of keikai
 * goes through, jansson's included, and the fault injector the fault sweep
 * (test_fault_sweep.c) arms (docs/internals/errors.md).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"

Test(alloc, wrappers_behave_like_the_c_library)
{
	char *s = kk_strndup("keikai", 3), *t = kk_strdup("警戒"), *z = kk_malloc(0);
	int *zeros = kk_calloc(4, sizeof(int));

	cr_assert_str_eq(s, "kei");
	cr_assert_str_eq(t, "警戒");
	cr_assert_not_null(z, "a zero-byte allocation is not a failure");
	cr_assert(zeros && !zeros[0] && !zeros[3]);
	cr_assert_null(kk_strdup(NULL));
	cr_assert_null(kk_strndup(NULL, 3));
	cr_assert_null(kk_calloc(SIZE_MAX / 2, 4), "count * size overflows");
	s = kk_realloc(s, 64);
	cr_assert_str_eq(s, "kei");
	free(s);
	free(t);
	free(z);
	free(zeros);
}

/* The nth allocation from arming fails, and only that one. */
Test(alloc, the_injector_fails_exactly_the_nth_allocation)
{
	void *p[5];

	kk_alloc_fail_at(3);
	for (int i = 0; i < 5; i++)
		p[i] = kk_malloc(8);
	cr_assert_not_null(p[0]);
	cr_assert_not_null(p[1]);
	cr_assert_null(p[2]);
	cr_assert_not_null(p[3]);
	cr_assert_not_null(p[4]);
	cr_assert_eq(kk_alloc_count(), 5);
	cr_assert(kk_alloc_injected());
	kk_alloc_fail_at(0);
	cr_assert_eq(kk_alloc_count(), 0);
	cr_assert(!kk_alloc_injected());
	for (int i = 0; i < 5; i++)
		free(p[i]);

	kk_alloc_fail_at(1);
	cr_assert_null(kk_strdup("x"));
	kk_alloc_fail_at(1);
	cr_assert_null(kk_calloc(1, 1));
	p[0] = kk_malloc(4);
	kk_alloc_fail_at(1);
	cr_assert_null(kk_realloc(p[0], 64), "and the old block stays the caller's");
	free(p[0]);
	kk_alloc_fail_at(0);
}

/* jansson allocates through the wrappers, so its failures are injected too. */
Test(alloc, jansson_allocates_through_the_wrappers)
{
	json_t *o;

	kk_alloc_fail_at(1);
	o = json_object();
	cr_assert(kk_alloc_injected());
	kk_alloc_fail_at(0);
	cr_assert_null(o);
	o = json_string("ok");
	cr_assert_not_null(o);
	json_decref(o);
}

Test(alloc, keikai_fail_alloc_arms_the_injector)
{
	setenv("KEIKAI_FAIL_ALLOC", "many", 1);
	cr_assert_eq(kk_alloc_arm_from_env(), -1);
	setenv("KEIKAI_FAIL_ALLOC", "0", 1);
	cr_assert_eq(kk_alloc_arm_from_env(), -1);
	setenv("KEIKAI_FAIL_ALLOC", "2", 1);
	cr_assert_eq(kk_alloc_arm_from_env(), 0);
	free(kk_malloc(1));
	cr_assert_null(kk_malloc(1));
	kk_alloc_fail_at(0);
	unsetenv("KEIKAI_FAIL_ALLOC");
	cr_assert_eq(kk_alloc_arm_from_env(), 0);
	cr_assert_eq(kk_alloc_count(), 0, "unset: not armed");
}
