/* Unit tests of lib/i18n.c: per-thread language and Accept-Language. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/report.h"

Test(i18n, accept_language_with_q_values)
{
	cr_assert_eq(kk_lang_from_accept(NULL), KK_LANG_JA);
	cr_assert_eq(kk_lang_from_accept("en"), KK_LANG_EN);
	cr_assert_eq(kk_lang_from_accept("en-US,en;q=0.9"), KK_LANG_EN);
	cr_assert_eq(kk_lang_from_accept("fr, ja;q=0.5, en;q=0.4"), KK_LANG_JA);
	cr_assert_eq(kk_lang_from_accept("ja;q=0.2, en-GB;q=0.8"), KK_LANG_EN);
	cr_assert_eq(kk_lang_from_accept("de"), KK_LANG_JA);
	cr_assert_eq(kk_lang_from_accept("ja-JP"), KK_LANG_JA);
}

static void *english_thread(void *arg)
{
	kk_i18n_use(KK_LANG_EN);
	*(const char **)arg = kk_report_status_label(KK_REPORT_ACCEPTED);
	return NULL;
}

/* Bilingual: the same message in two threads comes out in each thread's language. */
Test(i18n, each_thread_has_its_language)
{
	const char *en = NULL, *ja;
	pthread_t t;

	cr_assert_eq(kk_i18n_init(), 0, "Japanese catalog and ja_JP.UTF-8 locale must be available");
	kk_i18n_use(KK_LANG_JA);
	pthread_create(&t, NULL, english_thread, &en);
	pthread_join(t, NULL);
	ja = kk_report_status_label(KK_REPORT_ACCEPTED);
	cr_assert_str_eq(en, "Accepted");
	cr_assert_str_eq(ja, "受理");
	cr_assert_eq(kk_i18n_current(), KK_LANG_JA);
}
