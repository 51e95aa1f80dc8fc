/*
 * test_markdown.c: unit tests of lib/formats/markdown.c, the Markdown of
 * advisories (issue 12, capability 1: "Text in Markdown (cmark) rendered with
 * raw HTML disabled and links checked"; SPEC 6).
 *
 * Most cases are data files in tests/data/markdown (README.md there): NAME.md
 * with the HTML (NAME.html) and plain text (NAME.txt) it must give, and the
 * refused texts bad/NAME.md with the message of bad.txt and the inert HTML of
 * bad/NAME.html. Every HTML, good or bad, also goes through markdown_inert.h,
 * which allows only the elements and attributes of docs/internals/markdown.md.
 * What a file cannot say is tested here: the rule for link destinations as a
 * table, NULL, the size cap, bytes that are not UTF-8, control characters,
 * appending to a buffer and its cap, messages in Japanese and cut to fit, deep
 * nesting, and failed allocations.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/markdown.h"
#include "keikai/util.h"
#include "markdown_inert.h"
#include "unit.h"

#define FIELD "texts.ja.description"

static void setup(void)
{
	kk_i18n_init();
	kk_i18n_use(KK_LANG_EN);
}

TestSuite(markdown, .init = setup);

/* The bytes of tests/data/markdown/rel, or NULL when there is no such file;
 * the caller frees them. */
static char *data(const char *rel)
{
	char path[PATH_MAX];
	FILE *f;
	char *buf;
	long len;

	snprintf(path, sizeof(path), "%s/markdown/%s", unit_data_dir(), rel);
	if (!(f = fopen(path, "rb")))
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = kk_malloc((size_t)len + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* The HTML of md (the test fails when there is none); the caller frees it. */
static char *html_of(const char *md)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf b;
	char *out;

	kk_buf_init(&b, 1 << 24);
	cr_assert_eq(kk_markdown_html(md, &b, &err), KK_OK, "%s", err.msg);
	out = kk_buf_detach(&b);
	cr_assert_not_null(out);
	kk_error_release(&err);
	return out;
}

/* The plain text of md; the caller frees it. */
static char *text_of(const char *md)
{
	struct kk_error err = KK_ERROR_INIT;
	char *out = NULL;

	cr_assert_eq(kk_markdown_text(md, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_not_null(out);
	kk_error_release(&err);
	return out;
}

/* The message kk_markdown_check gives md on FIELD, or NULL when it accepts
 * it; asserts that a refusal is KK_EINVAL with one message on FIELD alone.
 * The caller frees it. */
static char *check_of(const char *md)
{
	struct kk_error err = KK_ERROR_INIT;
	enum kk_result rc = kk_markdown_check(md, FIELD, &err);
	char *msg = NULL;

	if (rc == KK_OK) {
		cr_assert_null(err.fields);
		return NULL;
	}
	cr_assert_eq(rc, KK_EINVAL, "result %d: %s", rc, err.msg);
	cr_assert_eq(err.code, KK_EINVAL);
	cr_assert_eq(json_object_size(err.fields), 1, "one message, on the field alone");
	cr_assert_not_null(json_object_get(err.fields, FIELD));
	msg = kk_strdup(json_string_value(json_object_get(err.fields, FIELD)));
	cr_assert_not_null(msg);
	kk_error_release(&err);
	return msg;
}

static void expect_inert(const char *name, const char *html)
{
	char why[160];

	cr_expect(markdown_inert(html, why), "%s: %s", name, why);
}

/* ---- the data files ---- */

/* issue 12: headings, lists, emphasis, code, links, Japanese text, blocks:
 * accepted, and their HTML and plain text exactly as the files say. */
Test(markdown, good_files_render_as_written)
{
	char path[PATH_MAX];
	DIR *dir;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof(path), "%s/markdown", unit_data_dir());
	dir = opendir(path);
	cr_assert_not_null(dir, "cannot open %s (set KK_TEST_DATA)", path);
	while ((e = readdir(dir))) {
		size_t len = strlen(e->d_name);
		char name[256], rel[300];
		char *md, *want_html, *want_text, *html, *text, *msg;

		if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0 || strcmp(e->d_name, "README.md") == 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 3), e->d_name);
		md = data(e->d_name);
		snprintf(rel, sizeof(rel), "%s.html", name);
		want_html = data(rel);
		snprintf(rel, sizeof(rel), "%s.txt", name);
		want_text = data(rel);
		cr_assert_not_null(want_html, "%s: no %s.html", name, name);
		cr_assert_not_null(want_text, "%s: no %s.txt", name, name);
		/* the file's one newline at its end is the file's, not the text's */
		if (*want_text && want_text[strlen(want_text) - 1] == '\n')
			want_text[strlen(want_text) - 1] = '\0';

		msg = check_of(md);
		cr_expect_null(msg, "%s: refused: %s", name, msg);
		html = html_of(md);
		cr_expect_str_eq(html, want_html, "%s: the HTML differs", name);
		expect_inert(name, html);
		text = text_of(md);
		cr_expect_str_eq(text, want_text, "%s: the plain text differs", name);
		cr_expect(kk_utf8_valid(text, strlen(text)) && !kk_has_control(text, 1), "%s", name);
		free(md), free(want_html), free(want_text), free(html), free(text), free(msg);
		n++;
	}
	closedir(dir);
	cr_assert_geq(n, 8, "only %d Markdown files", n);
	cr_log_info("markdown: %d files", n);
}

/* issue 12: "raw HTML disabled and links checked"; no images. Each bad file
 * is refused with its message, and its HTML is still inert and as written. */
Test(markdown, bad_files_refused_with_their_message)
{
	char path[PATH_MAX], line[1024];
	FILE *f;
	int n = 0, files = 0;
	DIR *dir;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/markdown/bad.txt", unit_data_dir());
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s (set KK_TEST_DATA)", path);
	while (fgets(line, sizeof(line), f)) {
		char *tab, rel[600];
		char *md, *want_html, *html, *msg;

		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		tab = strchr(line, '\t');
		cr_assert_not_null(tab, "%s: no tab in %s", path, line);
		*tab++ = '\0';
		snprintf(rel, sizeof(rel), "bad/%s.md", line);
		md = data(rel);
		cr_assert_not_null(md, "no %s", rel);
		snprintf(rel, sizeof(rel), "bad/%s.html", line);
		want_html = data(rel);
		cr_assert_not_null(want_html, "no %s", rel);

		msg = check_of(md);
		cr_expect_not_null(msg, "%s: accepted", line);
		if (msg)
			cr_expect_str_eq(msg, tab, "%s: the message differs", line);
		/* the same answer without an error object */
		cr_expect_eq(kk_markdown_check(md, FIELD, NULL), KK_EINVAL, "%s", line);
		html = html_of(md);
		cr_expect_str_eq(html, want_html, "%s: the HTML differs", line);
		expect_inert(line, html);
		free(md), free(want_html), free(html), free(msg);
		n++;
	}
	fclose(f);

	/* and no bad file is left out of bad.txt */
	snprintf(path, sizeof(path), "%s/markdown/bad", unit_data_dir());
	cr_assert_not_null(dir = opendir(path));
	while ((e = readdir(dir)))
		if (strlen(e->d_name) > 3 && strcmp(e->d_name + strlen(e->d_name) - 3, ".md") == 0)
			files++;
	closedir(dir);
	cr_expect_eq(files, n, "%d files in bad/, %d lines in bad.txt", files, n);
	cr_assert_geq(n, 40);
}

/* ---- link destinations ---- */

/* issue 12: "links checked": absolute http(s) with a host, or mailto:. */
Test(markdown, link_destinations)
{
	static const char *const allowed[] = {
		"http://jvn.jp/",
		"https://jvn.jp",
		"https://jvn.jp/vu/JVNVU12345678/index.html",
		"HTTPS://JVN.JP/",
		"Http://example.com?q=1",
		"https://example.com#fix",
		"https://example.com:8443/a?b=c&d=e#f",
		"https://sub_domain.example.com/",
		"https://xn--r8jz45g.jp/",
		"https://日本語.jp/パス",
		"http://192.0.2.1/",
		"http://[2001:db8::1]/",
		"http://[::ffff:192.0.2.1]:80",
		"https://example.com/a\"b'c<d>",
		"mailto:psirt@example.jp",
		"MAILTO:psirt@example.jp",
		"mailto:psirt@example.jp?subject=JVN%23123",
		"mailto:a@example.jp,b@example.jp",
	};
	static const char *const refused[] = {
		"",
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		"java\tscript:alert(1)",
		"java\nscript:alert(1)",
		" javascript:alert(1)",
		"javascript :alert(1)",
		"\x01javascript:alert(1)",
		"data:text/html,<script>alert(1)</script>",
		"DATA:text/html,x",
		"vbscript:msgbox(1)",
		"file:///etc/passwd",
		"ftp://ftp.example.jp/",
		"/admin",
		"admin/users",
		"./x",
		"../x",
		"#top",
		"?q=1",
		"//evil.example/",
		"///evil.example/",
		"http:/evil.example/",
		"https:evil.example",
		"https:\\\\evil.example",
		"https://evil.example\\@jvn.jp/",
		"https://",
		"https:///path",
		"https://?q",
		"https://#f",
		"https://:443/",
		"https://.../",
		"https://jvn.jp@evil.example/",
		"https://user:pass@jvn.jp/",
		"https://@jvn.jp/",
		"https://jvn.jp:/",
		"https://jvn.jp:http/",
		"https://jvn.jp:123456/",
		"https://jvn.jp:443:443/",
		"https://jvn%2ejp/",
		"https://jv n.jp/",
		"https://jvn.jp/a b",
		"https://jvn.jp/\x7f",
		"https://jvn.jp/\xc2\x85",
		"https://jvn.jp/\xe2\x80\xae",
		"https://jvn.jp/\xff",
		"http://[]/",
		"http://[::1/",
		"http://[g::1]/",
		"http://[1]/",
		"http://[::1]x/",
		"mailto:",
		"mailto:@example.jp",
		"mailto:psirt@",
		"mailto:psirt",
		"mailto:?to=psirt@example.jp",
		"tel:+81-3-0000-0000",
		"http",
		"https:",
	};

	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		cr_expect(kk_markdown_link_ok(allowed[i]), "refused: %s", allowed[i]);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		cr_expect(!kk_markdown_link_ok(refused[i]), "allowed: %s", refused[i]);
	cr_expect(!kk_markdown_link_ok(NULL));
}

/* A link the check refuses is never an href, however it is written: inline,
 * autolink, reference, entity-encoded; its text stays. */
Test(markdown, refused_links_never_become_an_href)
{
	static const char *const md[] = {
		"[t](javascript:alert(1))",
		"[t](JAVASCRIPT:alert(1))",
		"[t](<java\tscript:alert(1)>)",
		"[t](java&#9;script:alert(1))",
		"[t](java&#10;script:alert(1))",
		"[t](&#x6A;avascript:alert(1))",
		"[t](javascript&colon;alert(1))",
		"[t](javas&#99;ript:alert(1))",
		"[t](data:text/html;base64,PHNjcmlwdD4=)",
		"[t](vbscript:x)",
		"[t](/relative)",
		"[t](//evil.example/)",
		"[t][r]\n\n[r]: javascript:alert(1)",
		"<javascript:alert(1)>",
		"<JaVaScRiPt:alert(1)>",
		"[t](<javascript:alert(1)> \"title\")",
	};

	for (size_t i = 0; i < sizeof(md) / sizeof(md[0]); i++) {
		char *html = html_of(md[i]), *msg = check_of(md[i]);

		cr_expect_null(strstr(html, "href"), "%s: %s", md[i], html);
		cr_expect_null(strstr(html, "<a"), "%s: %s", md[i], html);
		cr_expect_not_null(msg, "%s: accepted", md[i]);
		cr_expect(msg && strncmp(msg, "The link to “", strlen("The link to “")) == 0, "%s: %s", md[i], msg);
		expect_inert(md[i], html);
		free(html), free(msg);
	}
}

/* ---- what a file cannot say ---- */

Test(markdown, null)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf b;
	char *out = (char *)"x";

	cr_assert_eq(kk_markdown_check(NULL, FIELD, &err), KK_EINVAL);
	cr_expect_str_eq(json_string_value(json_object_get(err.fields, FIELD)), "Must be text.");
	kk_error_release(&err);

	kk_buf_init(&b, 1024);
	cr_expect_eq(kk_markdown_html(NULL, &b, &err), KK_EINVAL);
	cr_expect_str_eq(err.msg, "The Markdown text is missing.");
	cr_expect_eq(b.len, 0);
	cr_expect_eq(kk_markdown_html("x", NULL, NULL), KK_EINVAL);
	kk_buf_release(&b);
	kk_error_release(&err);

	cr_expect_eq(kk_markdown_text(NULL, &out, &err), KK_EINVAL);
	cr_expect_null(out);
	kk_error_release(&err);
}

/* KK_MARKDOWN_MAX bytes are taken, one more is not. */
Test(markdown, size_cap)
{
	char *md = kk_malloc(KK_MARKDOWN_MAX + 2);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf b;
	char *out = NULL, want[64];

	cr_assert_not_null(md);
	memset(md, 'a', KK_MARKDOWN_MAX);
	md[KK_MARKDOWN_MAX] = '\0';
	cr_expect_eq(kk_markdown_check(md, FIELD, &err), KK_OK);
	kk_buf_init(&b, 2 * KK_MARKDOWN_MAX);
	cr_expect_eq(kk_markdown_html(md, &b, &err), KK_OK);
	cr_expect_eq(b.len, strlen("<p></p>\n") + KK_MARKDOWN_MAX);
	cr_expect_eq(kk_markdown_text(md, &out, &err), KK_OK);
	cr_expect_eq(strlen(out), KK_MARKDOWN_MAX);
	free(out);
	kk_buf_reset(&b);

	md[KK_MARKDOWN_MAX] = 'a';
	md[KK_MARKDOWN_MAX + 1] = '\0';
	cr_expect_eq(kk_markdown_check(md, FIELD, &err), KK_EINVAL);
	snprintf(want, sizeof(want), "At most %d bytes.", KK_MARKDOWN_MAX);
	cr_expect_str_eq(json_string_value(json_object_get(err.fields, FIELD)), want);
	kk_error_clear(&err);
	cr_expect_eq(kk_markdown_html(md, &b, &err), KK_ETOOBIG);
	cr_expect_eq(err.code, KK_ETOOBIG);
	cr_expect_eq(b.len, 0, "nothing written");
	kk_error_clear(&err);
	cr_expect_eq(kk_markdown_text(md, &out, &err), KK_ETOOBIG);
	cr_expect_null(out);
	kk_buf_release(&b);
	kk_error_release(&err);
	free(md);
}

/* The HTML is appended to what the buffer holds; the buffer's cap holds. */
Test(markdown, html_appends_within_the_cap)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf b;

	kk_buf_init(&b, 4096);
	kk_buf_adds(&b, "<div class=\"advisory\">");
	cr_assert_eq(kk_markdown_html("# T\n\ntext", &b, &err), KK_OK);
	/* no newline is put between what was there and the first block */
	cr_expect_str_eq(b.data, "<div class=\"advisory\"><h3>T</h3>\n<p>text</p>\n");
	kk_buf_release(&b);

	kk_buf_init(&b, 16);
	cr_expect_eq(kk_markdown_html("A paragraph longer than the cap.", &b, &err), KK_ETOOBIG);
	cr_expect_eq(err.code, KK_ETOOBIG);
	cr_expect_str_eq(err.msg, "The HTML of the Markdown text is too long.");
	cr_expect_eq(kk_buf_result(&b), KK_ETOOBIG, "the buffer has failed: no half HTML goes out");
	kk_buf_release(&b);
	kk_error_release(&err);
}

/* Bytes that are not UTF-8 are refused by the check and shown as U+FFFD. */
Test(markdown, not_utf8)
{
	static const char *const md[] = { "\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80" };

	for (size_t i = 0; i < sizeof(md) / sizeof(md[0]); i++) {
		char *msg = check_of(md[i]), *html = html_of(md[i]), *text = text_of(md[i]);

		cr_expect_str_eq(msg, "Must be UTF-8 text.", "%zu", i);
		cr_expect(kk_utf8_valid(html, strlen(html)), "%zu: %s", i, html);
		cr_expect(kk_utf8_valid(text, strlen(text)), "%zu", i);
		cr_expect_not_null(strstr(text, "\xef\xbf\xbd"), "%zu: %s", i, text);
		free(msg), free(html), free(text);
	}
}

/* Control characters other than tab and line ends are refused, and left out
 * of both outputs, also when an entity writes them. */
Test(markdown, control_characters)
{
	char *msg = check_of("a\x01" "b"), *html, *text;

	cr_expect_str_eq(msg, "Must not contain control characters.");
	free(msg);
	cr_expect_null(check_of("tab\there\r\nCRLF lines\r\n"));

	html = html_of("a\x01" "b\x1b[31m &#1;c&#127;d `e\x02`");
	cr_expect_str_eq(html, "<p>ab[31m cd <code>e</code></p>\n");
	text = text_of("a\x01" "b\x1b[31m &#1;c&#127;d\n\n\tcode\x7f\n");
	cr_expect_str_eq(text, "ab[31m cd\ncode");
	free(html), free(text);
}

/* issue 12: Japanese text intact, and the soft break inside a Japanese
 * sentence left out of the plain text. */
Test(markdown, japanese_text_intact)
{
	const char *md = "脆弱性が\n存在します。Version\n1.0 と\nRX-100、\nＲＸ\nｻﾝﾌﾟﾙ\n한국어\n텍스트";
	char *html = html_of(md), *text = text_of(md);

	cr_expect_str_eq(html, "<p>脆弱性が\n存在します。Version\n1.0 と\nRX-100、\nＲＸ\nｻﾝﾌﾟﾙ\n한국어\n텍스트</p>\n");
	cr_expect_str_eq(text, "脆弱性が存在します。Version 1.0 と RX-100、ＲＸｻﾝﾌﾟﾙ 한국어 텍스트");
	free(html), free(text);
}

/* The plain text: text nodes joined, blocks on lines of their own, no markup,
 * no destinations, no raw HTML. */
Test(markdown, plain_text)
{
	static const struct {
		const char *md, *text;
	} cases[] = {
		{ "", "" },
		{ "\n\n   \n", "" },
		{ "<div>\n<b>only HTML</b>\n</div>", "" },
		{ "a <b>bold</b> c", "a bold c" },
		{ "one\ntwo", "one two" },
		{ "one  \ntwo", "one\ntwo" },
		{ "one\\\ntwo", "one\ntwo" },
		{ "# H\npara\n\n- a\n- b\n\n> q", "H\npara\na\nb\nq" },
		{ "[text](https://example.com/ \"title\") <https://jvn.jp/>", "text https://jvn.jp/" },
		{ "![alt *text*](https://example.com/x.png)", "alt text" },
		{ "`a < b` &amp; &lt;tag&gt;", "a < b & <tag>" },
		{ "```\nline 1\n\nline 3\n\n\n```\nafter", "line 1\n\nline 3\nafter" },
		{ "```\n```\nafter", "after" },
		{ "a\n\n---\n\nb", "a\nb" },
		{ "*a*\n_b_", "a b" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = text_of(cases[i].md);

		cr_expect_str_eq(text, cases[i].text, "%s", cases[i].md);
		free(text);
	}
}

/* Messages name what is wrong in the reader's language (po/ja.po). */
Test(markdown, messages_in_japanese)
{
	char *msg;

	kk_i18n_use(KK_LANG_JA);
	msg = check_of("[x](javascript:alert(1))");
	cr_expect_str_eq(msg, "リンク先「javascript:alert(1)」は使えません。ホスト名のある http:// か https:// の"
			      "絶対 URL、または mailto: のアドレスにしてください。");
	free(msg);
	msg = check_of("<script>alert(1)</script>");
	cr_expect_str_eq(msg, "HTML はそのまま書けません（<script>alert(1)</script>）。Markdown で書いてください。");
	free(msg);
	msg = check_of("![logo](https://example.com/logo.png)");
	cr_expect_str_eq(msg, "公表する情報には画像を載せられません。画像「https://example.com/logo.png」を削除してください。");
	free(msg);
	msg = check_of("\xff");
	cr_expect_str_eq(msg, "UTF-8 の文字列で指定してください。");
	free(msg);
	kk_i18n_use(KK_LANG_EN);
}

/* What a message quotes is cut between characters to fit, so the message is
 * whole, in either language, however long the destination or the HTML. */
Test(markdown, quoted_text_cut_to_fit)
{
	static const char *const md[] = {
		"[x](javascript:あああああああああああああああああああああああああああああああああああああああ)",
		"<span title=\"あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめも\">",
		"![x](https://example.com/画像画像画像画像画像画像画像画像画像画像画像画像画像画像画像画像画像.png)",
		"[x](<javascript:\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\ta>)",
	};
	static const char *const end_en[] = { "mailto: address.", "write it in Markdown.", "”." };
	static const char *const end_ja[] = { "してください。", "書いてください。", "してください。" };

	for (int lang = 0; lang < 2; lang++) {
		kk_i18n_use(lang ? KK_LANG_JA : KK_LANG_EN);
		for (size_t i = 0; i < sizeof(md) / sizeof(md[0]); i++) {
			char *msg = check_of(md[i]);
			const char *end = lang ? end_ja[i % 3] : end_en[i % 3];

			cr_expect(kk_utf8_valid(msg, strlen(msg)), "%s", msg);
			cr_expect_not_null(strstr(msg, "…"), "cut: %s", msg);
			cr_expect(strlen(msg) >= strlen(end) && strcmp(msg + strlen(msg) - strlen(end), end) == 0,
				  "whole: %s", msg);
			free(msg);
		}
	}
	kk_i18n_use(KK_LANG_EN);
}

/* Deep nesting costs no stack: the tree is walked with cmark's iterator. */
Test(markdown, deep_nesting)
{
	size_t depth = KK_MARKDOWN_MAX / 2 - 1;
	char *md = kk_malloc(depth * 2 + 2), *html, *text;
	size_t n = 0;

	cr_assert_not_null(md);
	for (size_t i = 0; i < depth; i++) {
		md[2 * i] = '>';
		md[2 * i + 1] = ' ';
	}
	md[2 * depth] = 'q';
	md[2 * depth + 1] = '\0';
	cr_expect_null(check_of(md));
	html = html_of(md);
	for (const char *p = html; (p = strstr(p, "<blockquote>")); p++)
		n++;
	cr_expect_eq(n, depth);
	text = text_of(md);
	cr_expect_str_eq(text, "q");
	free(md), free(html), free(text);
}

/* A failed allocation is an error (never a crash, a leak or a half text),
 * whichever one fails (docs/internals/errors.md). */
Test(markdown, allocation_failures)
{
	const char *md = "# 概要\n\n*a* [b](https://example.com/?a=1&b=2) `c`\n\n```\nd\n```\n\n"
			 "- e\n- f\n\n> g";
	char *want_html = html_of(md), *want_text = text_of(md);
	long n;

	for (n = 1;; n++) {
		struct kk_error err = KK_ERROR_INIT;
		struct kk_buf b;
		char *text = NULL;
		enum kk_result rh, rt, rc;
		int injected;

		kk_buf_init(&b, 1 << 20);
		kk_alloc_fail_at(n);
		rh = kk_markdown_html(md, &b, &err);
		injected = kk_alloc_injected();
		kk_alloc_fail_at(0);
		if (injected) {
			cr_expect_eq(rh, KK_ENOMEM, "html, allocation %ld: %d", n, rh);
			cr_expect_eq(err.code, KK_ENOMEM);
		} else {
			cr_expect_eq(rh, KK_OK);
			cr_expect_str_eq(b.data, want_html);
		}
		kk_buf_release(&b);
		kk_error_clear(&err);

		kk_alloc_fail_at(n);
		rt = kk_markdown_text(md, &text, &err);
		injected |= kk_alloc_injected() << 1;
		kk_alloc_fail_at(0);
		if (injected & 2) {
			cr_expect_eq(rt, KK_ENOMEM, "text, allocation %ld: %d", n, rt);
			cr_expect_null(text);
		} else {
			cr_expect_eq(rt, KK_OK);
			cr_expect_str_eq(text, want_text);
		}
		free(text);
		kk_error_clear(&err);

		kk_alloc_fail_at(n);
		rc = kk_markdown_check("[x](javascript:alert(1))", FIELD, &err);
		injected |= kk_alloc_injected() << 2;
		kk_alloc_fail_at(0);
		/* a message that cannot be kept is "out of memory", never a quiet pass */
		cr_expect(rc == KK_EINVAL || ((injected & 4) && rc == KK_ENOMEM), "check, allocation %ld: %d", n, rc);
		kk_error_release(&err);
		if (!injected)
			break;
		cr_assert_lt(n, 200, "the sweep does not end");
	}
	cr_expect_gt(n, 1, "no allocation was made");
	free(want_html), free(want_text);
}

/* The allow-list of markdown_inert.h refuses what it must, so that its
 * passing the outputs above means something. */
Test(markdown, inert_check_refuses_active_html)
{
	static const char *const active[] = {
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		"<p onclick=\"alert(1)\">x</p>",
		"<a href=\"javascript:alert(1)\" rel=\"nofollow noopener\">x</a>",
		"<a href=\"/admin\" rel=\"nofollow noopener\">x</a>",
		"<a href=\"https://jvn.jp/\">x</a>",
		"<a href=\"https://jvn.jp/\" rel=\"nofollow noopener\" onclick=\"x\">x</a>",
		"<a href=\"https://jvn.jp/\" title=\"a\"b\" rel=\"nofollow noopener\">x</a>",
		"<code class=\"language-c\" onclick=\"x\">",
		"<ol start=\"1\" onclick=\"x\">",
		"<!-- raw HTML omitted --><!-- x -->",
		"text with a \" quote",
		"text with a > sign",
		"&unknown;",
		"<P>",
	};
	char why[160];

	for (size_t i = 0; i < sizeof(active) / sizeof(active[0]); i++)
		cr_expect(!markdown_inert(active[i], why), "passed: %s", active[i]);
	cr_expect(markdown_inert("<p>a &amp; <a href=\"https://jvn.jp/?a=1&amp;b=&#x27;\" title=\"&quot;t&quot;\" "
				 "rel=\"nofollow noopener\">b</a></p>\n<ol start=\"7\">\n<li><code class=\"language-c\">"
				 "x</code></li>\n</ol>\n",
				 why),
		  "%s", why);
}

/* docs/internals/markdown.md names every element the HTML may hold. */
Test(markdown, documented_elements)
{
	char *doc = unit_read_source("docs/internals/markdown.md");

	for (size_t i = 0; i < sizeof(markdown_inert_tags) / sizeof(markdown_inert_tags[0]); i++)
		if (markdown_inert_tags[i][1] != '/')
			cr_expect_not_null(strstr(doc, markdown_inert_tags[i]), "not in the doc: %s", markdown_inert_tags[i]);
	cr_expect_not_null(strstr(doc, "<ol start=\"N\">"));
	cr_expect_not_null(strstr(doc, "<code class=\"language-"));
	cr_expect_not_null(strstr(doc, "rel=\"nofollow noopener\""));
	free(doc);
}
