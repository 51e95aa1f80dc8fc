/* Unit tests of lib/util.c: capped buffers, escaping, UTF-8, e-mail, base64. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/util.h"

Test(buf, refuses_to_grow_past_its_cap)
{
	struct kk_buf b;

	kk_buf_init(&b, 10);
	cr_assert_eq(kk_buf_adds(&b, "0123456789"), KK_OK);
	cr_assert_eq(kk_buf_adds(&b, "x"), KK_ETOOBIG);
	cr_assert_eq(b.len, 10);
	cr_assert_str_eq(b.data, "0123456789");
	kk_buf_release(&b);
}

Test(buf, formats_and_escapes_html)
{
	struct kk_buf b;

	kk_buf_init(&b, 1024);
	kk_buf_addf(&b, "%d-", 42);
	kk_buf_add_html(&b, "<a href=\"x\">'&'</a>");
	cr_assert_str_eq(b.data, "42-&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	kk_buf_reset(&b);
	kk_buf_add_urlenc(&b, "IPA#123 /é");
	cr_assert_str_eq(b.data, "IPA%23123%20%2F%C3%A9");
	kk_buf_release(&b);
}

/* Bidirectional controls are shown, not obeyed, wherever text reaches a page
 * (issue 7): "inv\u202etxt.exe" must not read as "invexe.txt". */
Test(buf, shows_bidirectional_controls_in_html)
{
	struct kk_buf b;

	kk_buf_init(&b, 1024);
	cr_assert_eq(kk_buf_add_html(&b, "inv\xe2\x80\xaetxt.exe <\xe2\x81\xa6x\xe2\x81\xa9> \xd8\x9c\xe2\x80\x8f \xe2\x80\x94"),
		     KK_OK);
	cr_assert_str_eq(b.data, "inv[U+202E]txt.exe &lt;[U+2066]x[U+2069]&gt; [U+061C][U+200F] \xe2\x80\x94");
	kk_buf_release(&b);
	cr_assert(kk_has_bidi_control("a\xe2\x80\xaab"));
	cr_assert(!kk_has_bidi_control("日本語 \xe2\x80\x94 text"));
	cr_assert(!kk_has_bidi_control(NULL));
}

Test(utf8, accepts_valid_and_rejects_broken_sequences)
{
	cr_assert(kk_utf8_valid("山田 abc", strlen("山田 abc")));
	cr_assert_not(kk_utf8_valid("\xff", 1));
	cr_assert_not(kk_utf8_valid("\xc0\xaf", 2), "overlong");
	cr_assert_not(kk_utf8_valid("\xed\xa0\x80", 3), "surrogate");
	cr_assert_not(kk_utf8_valid("\xe5\xb1", 2), "truncated");
	cr_assert_eq(kk_utf8_len("山田x"), 3);
}

Test(strings, control_characters)
{
	cr_assert(kk_has_control("a\x01", 1));
	cr_assert_not(kk_has_control("a\nb\tc", 1));
	cr_assert(kk_has_control("a\nb", 0));
}

Test(email, shapes)
{
	cr_assert(kk_email_valid("taro@example.jp"));
	cr_assert_not(kk_email_valid("taro@example"));
	cr_assert_not(kk_email_valid("taro example.jp"));
	cr_assert_not(kk_email_valid("@example.jp"));
	cr_assert_not(kk_email_valid("a@b@example.jp"));
	cr_assert_not(kk_email_valid("a@example..jp"));
	cr_assert_not(kk_email_valid(""));
}

Test(base64, decodes_and_caps)
{
	size_t n;
	int too_big;
	unsigned char *d = kk_base64_decode("aGVsbG8=", 100, &n, &too_big);

	cr_assert_not_null(d);
	cr_assert_eq(n, 5);
	cr_assert_eq(memcmp(d, "hello", 5), 0);
	free(d);
	cr_assert_null(kk_base64_decode("aGVsbG8", 100, &n, &too_big), "missing padding");
	cr_assert_null(kk_base64_decode("!!!!", 100, &n, &too_big));
	cr_assert_eq(too_big, 0);
	cr_assert_null(kk_base64_decode("aGVsbG8=", 4, &n, &too_big));
	cr_assert_eq(too_big, 1);
}

Test(secret, has_at_least_128_bits_and_differs)
{
	char a[KK_SECRET_MAX], b[KK_SECRET_MAX];

	kk_random_secret(a, 32);
	kk_random_secret(b, 32);
	cr_assert_geq(strlen(a), 43, "256 bits in base64url is 43 characters");
	cr_assert_str_neq(a, b);
	for (const char *p = a; *p; p++)
		cr_assert(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
}
