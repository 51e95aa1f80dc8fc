/*
 * markdown_inert.h: what the HTML of kk_markdown_html may contain, checked
 * character by character (issue 12: "raw HTML disabled, links checked"), for
 * tests/unit/test_markdown.c and tests/fuzz/fuzz_markdown.c.
 *
 * Outside tags there is text: no '>' or '"', and '&' only in &amp; &lt; &gt;
 * &quot; &#39;. Every '<' opens one of the elements of docs/internals/markdown.md,
 * written exactly so: no attribute but <ol start="N">, <code class="language-…">
 * and the link's href, title and rel="nofollow noopener", and an href only to
 * a destination kk_markdown_link_ok allows. So nothing in the HTML can run a
 * script, load anything, or take the reader to a javascript:, data: or
 * relative address, whatever the Markdown was.
 *
 * markdown_inert(html, why) returns 1, or 0 with the reason and the offset in
 * why (at least 160 bytes). markdown_inert_tags lists the fixed tags, for the
 * test that the documentation names each of them.
 */
#ifndef KEIKAI_TEST_MARKDOWN_INERT_H
#define KEIKAI_TEST_MARKDOWN_INERT_H

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "keikai/markdown.h"
#include "keikai/util.h"

static const char *const markdown_inert_tags[] = {
	"<p>", "</p>", "<h1>", "</h1>", "<h2>", "</h2>", "<h3>", "</h3>", "<h4>", "</h4>", "<h5>", "</h5>",
	"<h6>", "</h6>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>", "<blockquote>", "</blockquote>",
	"<pre>", "</pre>", "<code>", "</code>", "<em>", "</em>", "<strong>", "</strong>", "<br />", "<hr />",
	"</a>", "<!-- raw HTML omitted -->",
};

static const char *const markdown_inert_entities[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };

/* The length of the prefix of s in set, or 0. */
static size_t markdown_inert_one_of(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strncmp(s, set[i], strlen(set[i])) == 0)
			return strlen(set[i]);
	return 0;
}

/* An attribute value from p (after its opening quote) to the closing quote:
 * text as outside tags. Its length, or -1. */
static long markdown_inert_value(const char *p)
{
	const char *s = p;

	while (*s && *s != '"') {
		if (*s == '<' || *s == '>')
			return -1;
		if (*s == '&') {
			size_t n = markdown_inert_one_of(s, markdown_inert_entities, 5);

			if (!n && strncmp(s, "&#x27;", 6) == 0)
				n = 6;
			if (!n)
				return -1;
			s += n;
			continue;
		}
		s++;
	}
	return *s == '"' ? (long)(s - p) : -1;
}

/* The %XX of an http(s) URL's host decoded, in place: an allowed host has no
 * '%' of its own, so each one there is the encoding of a byte of a non-ASCII
 * host name ("日本語.jp"); the rest of the URL stays as written. */
static void markdown_inert_host(char *url)
{
	char *p = strstr(url, "://"), *w;

	if (!p || (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0))
		return;
	for (p += 3, w = p; *p && !strchr("/?#", *p);) {
		int hi = p[0] == '%' ? kk_hex_digit((unsigned char)p[1]) : -1;
		int lo = hi >= 0 ? kk_hex_digit((unsigned char)p[2]) : -1;

		if (lo >= 0) {
			*w++ = (char)(hi << 4 | lo);
			p += 3;
		} else {
			*w++ = *p++;
		}
	}
	memmove(w, p, strlen(p) + 1);
}

/* "<a href=\"…\"( title=\"…\")? rel=\"nofollow noopener\">" at s: its length,
 * or 0 when it is not that or its destination is not allowed. */
static size_t markdown_inert_link(const char *s)
{
	const char *p = s + strlen("<a href=\"");
	char url[KK_MARKDOWN_MAX + 1];
	size_t w = 0;
	long n;

	if (strncmp(s, "<a href=\"", 9) != 0 || (n = markdown_inert_value(p)) < 0)
		return 0;
	/* the href as the browser reads it: &amp; and &#x27; decoded */
	for (long i = 0; i < n && w < sizeof(url) - 1;) {
		if (strncmp(p + i, "&amp;", 5) == 0) {
			url[w++] = '&';
			i += 5;
		} else if (strncmp(p + i, "&#x27;", 6) == 0) {
			url[w++] = '\'';
			i += 6;
		} else if (p[i] == '&') {
			return 0;
		} else {
			url[w++] = p[i++];
		}
	}
	url[w] = '\0';
	markdown_inert_host(url);
	if (!kk_markdown_link_ok(url))
		return 0;
	p += n + 1;
	if (strncmp(p, " title=\"", 8) == 0) {
		if ((n = markdown_inert_value(p + 8)) < 0)
			return 0;
		p += 8 + n + 1;
	}
	if (strncmp(p, " rel=\"nofollow noopener\">", 25) != 0)
		return 0;
	return (size_t)(p + 25 - s);
}

/* "<ol start=\"N\">" or "<code class=\"language-…\">" at s: its length, or 0. */
static size_t markdown_inert_attr_tag(const char *s)
{
	const char *p;
	long n;

	if (strncmp(s, "<ol start=\"", 11) == 0) {
		p = s + 11;
		while (*p >= '0' && *p <= '9')
			p++;
		return p > s + 11 && strncmp(p, "\">", 2) == 0 ? (size_t)(p + 2 - s) : 0;
	}
	if (strncmp(s, "<code class=\"language-", 22) == 0) {
		if ((n = markdown_inert_value(s + 22)) < 0 || s[22 + n + 1] != '>')
			return 0;
		return (size_t)(22 + n + 2);
	}
	return 0;
}

static int markdown_inert(const char *html, char *why)
{
	const char *s = html;

	while (*s) {
		size_t n = 0;

		if (*s == '<') {
			n = markdown_inert_one_of(s, markdown_inert_tags,
						  sizeof(markdown_inert_tags) / sizeof(markdown_inert_tags[0]));
			if (!n)
				n = markdown_inert_attr_tag(s);
			if (!n)
				n = markdown_inert_link(s);
			if (!n) {
				snprintf(why, 160, "a tag that is not allowed at %ld: %.60s", (long)(s - html), s);
				return 0;
			}
		} else if (*s == '&') {
			if (!(n = markdown_inert_one_of(s, markdown_inert_entities, 5))) {
				snprintf(why, 160, "an '&' that starts no allowed entity at %ld: %.40s", (long)(s - html),
					 s);
				return 0;
			}
		} else if (*s == '>' || *s == '"') {
			snprintf(why, 160, "a bare '%c' at %ld: %.40s", *s, (long)(s - html), s);
			return 0;
		} else {
			n = 1;
		}
		s += n;
	}
	return 1;
}

#endif
