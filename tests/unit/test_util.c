/* Unit tests of lib/util.c: capped buffers (failures sticky), escaping, UTF-8,
 * e-mail, base64, JSON text. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
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

/* Issue 7: a failed append is sticky. Nothing is added after it, and the text is
 * never handed out half-written, so a writer may check once at the end. */
Test(buf, a_failure_is_sticky_until_reset)
{
	struct kk_buf b;
	char *out = (char *)"unset";

	kk_buf_init(&b, 10);
	cr_assert_eq(kk_buf_adds(&b, "01234"), KK_OK);
	cr_assert_eq(kk_buf_adds(&b, "56789x"), KK_ETOOBIG);
	cr_assert_eq(kk_buf_adds(&b, "5"), KK_ETOOBIG, "nothing fits after a failure");
	cr_assert_eq(kk_buf_addf(&b, "%d", 5), KK_ETOOBIG);
	cr_assert_eq(kk_buf_add_html(&b, "5"), KK_ETOOBIG);
	cr_assert_eq(kk_buf_add_urlenc(&b, "5"), KK_ETOOBIG);
	cr_assert_str_eq(b.data, "01234");
	cr_assert_eq(kk_buf_result(&b), KK_ETOOBIG);
	cr_assert_eq(kk_buf_finish(&b, &out), KK_ETOOBIG);
	cr_assert_null(out, "a half-written text is never handed out");
	cr_assert_null(b.data, "and the buffer is released");

	kk_buf_init(&b, 10);
	cr_assert_eq(kk_buf_adds(&b, "0123456789x"), KK_ETOOBIG);
	kk_buf_reset(&b);
	cr_assert_eq(kk_buf_result(&b), KK_OK, "reset starts again");
	cr_assert_eq(kk_buf_adds(&b, "ok"), KK_OK);
	cr_assert_str_eq(out = kk_buf_detach(&b), "ok");
	free(out);
}

Test(buf, out_of_memory_is_sticky_and_reported_at_the_end)
{
	struct kk_buf b;
	char *out;

	kk_buf_init(&b, 1 << 20);
	kk_alloc_fail_at(1);
	cr_assert_eq(kk_buf_adds(&b, "lost"), KK_ENOMEM);
	kk_alloc_fail_at(0);
	cr_assert_eq(kk_buf_adds(&b, "kept?"), KK_ENOMEM, "memory is back, but the text already has a hole");
	cr_assert_null(kk_buf_detach(&b));

	kk_buf_init(&b, 16);
	cr_assert_eq(kk_buf_finish(&b, &out), KK_OK);
	cr_assert_str_eq(out, "", "an empty text is the empty string");
	free(out);
}

/* jansson 2.14's json_dumps goes on when writing an object's key fails and
 * returns the text without the key; kk_json_dumps returns the whole text or
 * nothing, whichever of its allocations fails. */
Test(json, dumps_whole_or_not_at_all)
{
	json_t *o = json_pack("{s:n, s:s, s:[i, i]}", "reason", "note", "対象外", "n", 1, 2);
	char *whole = kk_json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	int failures = 0;

	cr_assert_str_eq(whole, "{\"n\":[1,2],\"note\":\"対象外\",\"reason\":null}");
	for (long n = 1; n < 1000; n++) {
		char *s;
		int injected;

		kk_alloc_fail_at(n);
		s = kk_json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		injected = kk_alloc_injected();
		kk_alloc_fail_at(0);
		if (!injected) {
			cr_assert_str_eq(s, whole);
			free(s);
			break;
		}
		failures++;
		cr_assert(!s || strcmp(s, whole) == 0, "allocation %ld failed and the text came out as %s", n, s);
		free(s);
	}
	cr_assert_gt(failures, 0);
	free(whole);
	json_decref(o);
}

Test(base64, out_of_memory_is_told_apart_from_bad_input)
{
	size_t n;
	int too_big = 0;

	kk_alloc_fail_at(1);
	cr_assert_null(kk_base64_decode("aGVsbG8=", 100, &n, &too_big));
	kk_alloc_fail_at(0);
	cr_assert_eq(too_big, -1);
}

/* Row ids in URLs and options: digits only, from 1, no overflow. */
Test(strings, parses_row_ids)
{
	const char *bad[] = { NULL, "", "0", "007", "-1", "+1", " 1", "1 ", "1a", "0x10", "9223372036854775808",
			      "99999999999999999999" };
	int64_t v = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(kk_parse_id(bad[i], &v), -1, "'%s' is not an id", bad[i] ? bad[i] : "(null)");
		cr_assert_eq(v, 42, "a refused id leaves the value alone");
	}
	cr_assert_eq(kk_parse_id("1", &v), 0);
	cr_assert_eq(v, 1);
	cr_assert_eq(kk_parse_id("9223372036854775807", &v), 0);
	cr_assert_eq(v, INT64_MAX);
}

Test(strings, hex_digits)
{
	const char *digits = "0123456789abcdefABCDEF";
	const int values[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 10, 11, 12, 13, 14, 15 };

	for (size_t i = 0; digits[i]; i++)
		cr_assert_eq(kk_hex_digit((unsigned char)digits[i]), values[i], "%c", digits[i]);
	cr_assert_eq(kk_hex_digit('g'), -1);
	cr_assert_eq(kk_hex_digit('/'), -1);
	cr_assert_eq(kk_hex_digit(0xff), -1);
}
