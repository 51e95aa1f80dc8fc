/*
 * fuzz_markdown.c: libFuzzer target for the Markdown of advisories
 * (lib/formats/markdown.c; include/keikai/markdown.h; issue 12, capability 1:
 * "rendered with raw HTML disabled and links checked").
 *
 * Any input must go through the check, the HTML and the plain text without a
 * crash, a leak or undefined behaviour, and keep the contract: the check
 * answers KK_OK, or KK_EINVAL with one message on its field, whole UTF-8;
 * the HTML is UTF-8 and inert (tests/unit/markdown_inert.h: only the elements
 * of docs/internals/markdown.md, an href only to an allowed destination);
 * when the check accepted, the HTML holds no "<!-- raw HTML omitted -->", every
 * link of cmark's tree became an <a> (none was dropped as refused); the plain
 * text is UTF-8 without control characters other than tab and newline, and
 * neither starts nor ends with a newline. Any violation aborts, which
 * libFuzzer reports as a crash.
 *
 * Build and run: tests/fuzz/run.sh (seeds: the .md files of tests/data/markdown), or
 *   FUZZ_TARGETS=fuzz_markdown tests/fuzz/run.sh 300
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "keikai/markdown.h"
#include "keikai/util.h"
#include "../unit/markdown_inert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what, const char *text)
{
	if (!ok) {
		fprintf(stderr, "fuzz_markdown: %s: %.300s\n", what, text ? text : "");
		abort();
	}
}

/* Occurrences of needle in s. */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The links in cmark's tree of md. */
static size_t links(const char *md)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_VALIDATE_UTF8);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	size_t n = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(cmark_iter_get_node(it)) == CMARK_NODE_LINK)
			n++;
	cmark_iter_free(it);
	cmark_node_free(doc);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf b;
	char *md, *text = NULL, why[160];
	enum kk_result rc, accepted;

	if (size > KK_MARKDOWN_MAX + 16)
		return 0;
	/* the text as a C string: up to its first NUL, as callers pass it */
	md = kk_strndup((const char *)data, size);
	if (!md)
		abort();

	accepted = kk_markdown_check(md, "f", &err);
	check(accepted == KK_OK || accepted == KK_EINVAL, "check: unexpected result", err.msg);
	if (accepted == KK_EINVAL) {
		const char *msg = json_string_value(json_object_get(err.fields, "f"));

		check(json_object_size(err.fields) == 1 && msg != NULL, "check: not one message on the field", NULL);
		check(kk_utf8_valid(msg, strlen(msg)), "check: message not UTF-8", msg);
	}
	kk_error_release(&err);

	kk_buf_init(&b, 1 << 24);
	rc = kk_markdown_html(md, &b, &err);
	check(rc == KK_OK || (rc == KK_ETOOBIG && strlen(md) > KK_MARKDOWN_MAX), "html: unexpected result", err.msg);
	if (rc == KK_OK && b.data) {
		check(kk_utf8_valid(b.data, b.len), "html: not UTF-8", b.data);
		check(markdown_inert(b.data, why), why, b.data);
		check(count(b.data, "<a href=") == count(b.data, "</a>"), "html: unbalanced links", b.data);
		if (accepted == KK_OK) {
			check(!strstr(b.data, "<!-- raw HTML omitted -->"), "html: raw HTML in an accepted text", md);
			check(count(b.data, "<a href=") == links(md), "html: a link of an accepted text dropped", md);
		}
	}
	kk_buf_release(&b);
	kk_error_release(&err);

	rc = kk_markdown_text(md, &text, &err);
	check(rc == KK_OK || (rc == KK_ETOOBIG && strlen(md) > KK_MARKDOWN_MAX), "text: unexpected result", err.msg);
	if (rc == KK_OK) {
		size_t n = strlen(text);

		check(kk_utf8_valid(text, n), "text: not UTF-8", text);
		for (size_t i = 0; i < n; i++)
			check(!(((unsigned char)text[i] < 0x20 && text[i] != '\t' && text[i] != '\n') || text[i] == 0x7f),
			      "text: a control character", text);
		check(n == 0 || (text[0] != '\n' && text[n - 1] != '\n'), "text: a newline at an end", text);
	} else {
		check(text == NULL, "text: a refusal holds memory", NULL);
	}
	free(text);
	kk_error_release(&err);
	free(md);
	return 0;
}
