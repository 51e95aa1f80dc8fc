/*
 * markdown.c: the Markdown of advisories (issue 12, capability 1; SPEC 6):
 * the check before a text is stored, its HTML for the public pages and its
 * plain text for the feeds and search (include/keikai/markdown.h).
 *
 * cmark (Debian's libcmark) parses; every output is written here by walking
 * its tree with cmark's iterator (no recursion, so nesting costs no stack).
 * cmark's own HTML renderer is not used: it can give a link no rel and keeps
 * images, and writing the few elements an advisory needs ourselves means the
 * list of what the HTML can hold (docs/internals/markdown.md) is this file.
 * The rule for link destinations is one function, kk_markdown_link_ok, which
 * the check refuses by and the HTML writes an href by, so what the check let
 * through is exactly what becomes a link.
 *
 * cmark allocates its tree through its own allocator, which ends the process
 * when memory runs out; it does not survive an allocator that returns NULL, so
 * it is not given keikai's (alloc.h: a library's own allocations are its own).
 * The texts written here go through struct kk_buf.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "keikai/i18n.h"
#include "keikai/markdown.h"
#include "keikai/util.h"

/* CMARK_OPT_SAFE is cmark's default since 0.29 and named for the record; raw
 * HTML is never copied through anyway (see render_html). Bytes that are not
 * UTF-8 become U+FFFD. No CMARK_OPT_SMART: quotes and dashes stay as typed. */
#define PARSE_OPTIONS (CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8)

/* How much of a destination or of raw HTML a message quotes, in bytes: with
 * the longest translation the message stays inside kk_error's 256 bytes, so
 * it is never cut inside a character. */
#define SHOWN_MAX 64

/* ---- link destinations ---- */

/* 1 when s starts with the ASCII prefix p, in any case. */
static int prefix_ci(const char *s, const char *p)
{
	for (; *p; s++, p++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != *p)
			return 0;
	}
	return 1;
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The port after ':' in a[0..n): 1 to 5 digits. */
static int port_ok(const char *a, size_t n)
{
	if (n < 1 || n > 5)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_digit((unsigned char)a[i]))
			return 0;
	return 1;
}

/* The authority a[0..n) of an http(s) URL: a host and an optional port, no
 * user information (which makes "https://good.example@evil.example/" read as
 * the wrong host). */
static int authority_ok(const char *a, size_t n)
{
	size_t i = 0;
	int letters = 0;

	if (n == 0 || memchr(a, '@', n))
		return 0;
	if (a[0] == '[') { /* an IPv6 literal */
		const char *close = memchr(a, ']', n);
		int colons = 0;

		if (!close || close == a + 1)
			return 0;
		for (const char *p = a + 1; p < close; p++) {
			if (*p == ':')
				colons++;
			else if (*p != '.' && kk_hex_digit((unsigned char)*p) < 0)
				return 0;
		}
		i = (size_t)(close - a) + 1;
		if (colons < 2)
			return 0;
	} else {
		for (; i < n && a[i] != ':'; i++) {
			unsigned char c = (unsigned char)a[i];

			if (is_alnum(c) || c >= 0x80)
				letters = 1;
			else if (c != '-' && c != '.' && c != '_')
				return 0;
		}
		if (!letters)
			return 0;
	}
	if (i == n)
		return 1;
	return a[i] == ':' && port_ok(a + i + 1, n - i - 1);
}

/* What follows "mailto:": an address with something on each side of its '@'
 * (before any "?subject=…"). */
static int mailto_ok(const char *s)
{
	size_t n = strcspn(s, "?");
	const char *at = memchr(s, '@', n);

	return at && at > s && at < s + n - 1;
}

int kk_markdown_link_ok(const char *url)
{
	const unsigned char *p;
	const char *rest;

	if (!url)
		return 0;
	/* no blank, control (C0, DEL, C1) or backslash anywhere: browsers drop tabs
	 * and line ends inside a URL ("java\tscript:") and read '\' as '/' */
	for (p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '\\' || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return 0;
	if (!kk_utf8_valid(url, (size_t)((const char *)p - url)) || kk_has_bidi_control(url))
		return 0;
	if (prefix_ci(url, "mailto:"))
		return mailto_ok(url + 7);
	if (prefix_ci(url, "https://"))
		rest = url + 8;
	else if (prefix_ci(url, "http://"))
		rest = url + 7;
	else
		return 0; /* javascript:, data:, vbscript:, relative, "//host", "#part" … */
	return authority_ok(rest, strcspn(rest, "/?#"));
}

/* ---- parsing ---- */

/* The tree of md, or an error: NULL, over KK_MARKDOWN_MAX bytes. */
static enum kk_result parse(const char *md, cmark_node **doc, struct kk_error *err)
{
	size_t n;

	*doc = NULL;
	if (!md)
		return kk_error_set(err, KK_EINVAL, "%s", _("The Markdown text is missing."));
	n = strnlen(md, (size_t)KK_MARKDOWN_MAX + 1);
	if (n > KK_MARKDOWN_MAX)
		return kk_error_set(err, KK_ETOOBIG, _("The Markdown text is longer than %d bytes."),
				    KK_MARKDOWN_MAX);
	*doc = cmark_parse_document(md, n, PARSE_OPTIONS);
	return *doc ? KK_OK : kk_error_nomem(err);
}

/* 1 for the control characters the outputs drop: C0 but tab and newline, and DEL. */
static int dropped(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

/* The code point of the UTF-8 sequence at p (valid: cmark's tree is, and
 * what the check quotes was checked first) and its length in *len. */
static uint32_t code_point(const unsigned char *p, size_t *len)
{
	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if (p[0] < 0xe0) {
		*len = 2;
		return (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	}
	if (p[0] < 0xf0) {
		*len = 3;
		return (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	}
	*len = 4;
	return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 | (uint32_t)(p[2] & 0x3f) << 6 |
	       (p[3] & 0x3f);
}

/* Appends s[0..n) to b, escaped for HTML (kk_buf_add_html) when html is set,
 * without the control characters of dropped(). Through a buffer on the stack,
 * flushed between characters, so nothing is allocated but b's growth. */
static void add_span(struct kk_buf *b, const char *s, size_t n, int html)
{
	char chunk[512];
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (dropped(c))
			continue;
		if (w >= sizeof(chunk) - 8 && (c & 0xc0) != 0x80) {
			chunk[w] = '\0';
			html ? kk_buf_add_html(b, chunk) : kk_buf_add(b, chunk, w);
			w = 0;
		}
		chunk[w++] = (char)c;
	}
	chunk[w] = '\0';
	html ? kk_buf_add_html(b, chunk) : kk_buf_add(b, chunk, w);
}

static void add_text(struct kk_buf *b, const char *s, int html)
{
	if (s)
		add_span(b, s, strlen(s), html);
}

/* ---- the check ---- */

/* Characters a message shows by name rather than as themselves: C1 controls
 * and bidirectional controls (as util.c's kk_buf_add_html does), which would
 * make the quoted text read as other text. */
static int shown_by_name(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x61c || c == 0x200e || c == 0x200f ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* At most SHOWN_MAX bytes of s into out (SHOWN_MAX + 8 bytes), cut between
 * characters, "…" when cut; only its first line when first_line is set.
 * Controls are written as \t, \n, \r or \xNN, and the characters of
 * shown_by_name as [U+202E], so that "java\tscript:" reads as what it is. */
static void shown(char *out, const char *s, int first_line)
{
	size_t w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && !(first_line && *p == '\n');) {
		char esc[16] = "";
		size_t len;
		uint32_t c = code_point(p, &len);

		if (c == '\t' || c == '\n' || c == '\r')
			snprintf(esc, sizeof(esc), "\\%c", c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
		else if (c < 0x20 || c == 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02X", (unsigned)c);
		else if (shown_by_name(c))
			snprintf(esc, sizeof(esc), "[U+%04X]", (unsigned)c);
		if (w + (esc[0] ? strlen(esc) : len) > SHOWN_MAX) {
			memcpy(out + w, "\xe2\x80\xa6", 3); /* … */
			w += 3;
			break;
		}
		if (esc[0]) {
			memcpy(out + w, esc, strlen(esc));
			w += strlen(esc);
		} else {
			memcpy(out + w, p, len);
			w += len;
		}
		p += len;
	}
	out[w] = '\0';
}

/* The first fault of the tree, as a field error on field: KK_OK when none. */
static enum kk_result check_tree(cmark_node *doc, const char *field, struct kk_error *err)
{
	cmark_iter *it = cmark_iter_new(doc);
	enum kk_result res = KK_OK;
	cmark_event_type ev;
	char what[SHOWN_MAX + 8];

	while (res == KK_OK && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			/* issue 12: "rendered with raw HTML disabled" */
			shown(what, cmark_node_get_literal(node), 1);
			res = kk_error_field(err, field, _("Raw HTML is not allowed (%s); write it in Markdown."),
					     what);
			break;
		case CMARK_NODE_IMAGE:
			/* an advisory carries no images: nothing on its page is fetched
			 * from elsewhere */
			shown(what, cmark_node_get_url(node), 0);
			res = kk_error_field(err, field, _("An advisory carries no images; remove the image “%s”."),
					     what);
			break;
		case CMARK_NODE_LINK:
			/* issue 12: "links checked" */
			if (kk_markdown_link_ok(cmark_node_get_url(node)))
				break;
			shown(what, cmark_node_get_url(node), 0);
			res = kk_error_field(err, field,
					     _("The link to “%s” is not allowed: a link must be an absolute "
					       "http:// or https:// URL with a host, or a mailto: address."),
					     what);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return res;
}

enum kk_result kk_markdown_check(const char *md, const char *field, struct kk_error *err)
{
	cmark_node *doc;
	enum kk_result res;
	size_t n;

	if (!md)
		return kk_error_field(err, field, "%s", _("Must be text."));
	n = strnlen(md, (size_t)KK_MARKDOWN_MAX + 1);
	if (n > KK_MARKDOWN_MAX)
		return kk_error_field(err, field, _("At most %zu bytes."), (size_t)KK_MARKDOWN_MAX);
	if (!kk_utf8_valid(md, n))
		return kk_error_field(err, field, "%s", _("Must be UTF-8 text."));
	if (kk_has_control(md, 1))
		return kk_error_field(err, field, "%s", _("Must not contain control characters."));
	if ((res = parse(md, &doc, err)) != KK_OK)
		return res;
	res = check_tree(doc, field, err);
	cmark_node_free(doc);
	return res;
}

/* ---- HTML ---- */

struct html {
	struct kk_buf *out;
	size_t start;       /* out->len when this text began */
	cmark_node *plain;  /* the image whose text is being written as plain text */
};

/* A newline unless at the start of this text or after one (cmark's cr()). */
static void cr(struct html *h)
{
	if (h->out->data && h->out->len > h->start && h->out->data[h->out->len - 1] != '\n')
		kk_buf_adds(h->out, "\n");
}

/* url (kk_markdown_link_ok) as an attribute value: cmark's houdini_escape_href
 * (reserved characters kept, '&' and '\'' as entities, anything else %XX), and
 * '[' ']' kept for IPv6 hosts. */
static void add_href(struct kk_buf *b, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char keep[] = "-_.+!*(),%#@?=;:/$~[]";

	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		char pct[3] = { '%', hex[*p >> 4], hex[*p & 15] };

		if (is_alnum(*p) || (*p < 0x80 && strchr(keep, *p)))
			kk_buf_add(b, p, 1);
		else if (*p == '&')
			kk_buf_adds(b, "&amp;");
		else if (*p == '\'')
			kk_buf_adds(b, "&#x27;");
		else
			kk_buf_add(b, pct, 3);
	}
}

/* The fence's info string up to its first blank, escaped: class="language-…". */
static void add_language(struct kk_buf *b, const char *info)
{
	kk_buf_adds(b, " class=\"language-");
	add_span(b, info, strcspn(info, " \t\n\r\f\v"), 1);
	kk_buf_adds(b, "\"");
}

/* 1 when a paragraph in node's place is written without <p> (in a tight list). */
static int tight(cmark_node *para)
{
	cmark_node *list = cmark_node_parent(cmark_node_parent(para));

	return list && cmark_node_get_type(list) == CMARK_NODE_LIST && cmark_node_get_list_tight(list);
}

/* A heading's level on the page: the author's # is an h3, as the page's h1
 * is the advisory's title and its h2s the items; ###### and ##### stay h6. */
#define HEADING_SHIFT 2
static int heading_level(cmark_node *node)
{
	int level = cmark_node_get_heading_level(node) + HEADING_SHIFT;

	return level > 6 ? 6 : level;
}

static void render_html(struct html *h, cmark_node *node, cmark_event_type ev)
{
	struct kk_buf *b = h->out;
	int enter = ev == CMARK_EVENT_ENTER;
	const char *url;

	if (h->plain == node && !enter) {
		h->plain = NULL;
		return;
	}
	if (h->plain) { /* an image's description, as text (cmark's alt text) */
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			add_text(b, cmark_node_get_literal(node), 1);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			kk_buf_adds(b, " ");
			break;
		default:
			break;
		}
		return;
	}
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_BLOCK_QUOTE:
		cr(h);
		kk_buf_adds(b, enter ? "<blockquote>\n" : "</blockquote>\n");
		break;
	case CMARK_NODE_LIST:
		if (enter) {
			int start = cmark_node_get_list_start(node);

			cr(h);
			if (cmark_node_get_list_type(node) != CMARK_ORDERED_LIST)
				kk_buf_adds(b, "<ul>\n");
			else if (start == 1)
				kk_buf_adds(b, "<ol>\n");
			else
				kk_buf_addf(b, "<ol start=\"%d\">\n", start);
		} else {
			kk_buf_adds(b, cmark_node_get_list_type(node) == CMARK_ORDERED_LIST ? "</ol>\n" : "</ul>\n");
		}
		break;
	case CMARK_NODE_ITEM:
		if (enter) {
			cr(h);
			kk_buf_adds(b, "<li>");
		} else {
			kk_buf_adds(b, "</li>\n");
		}
		break;
	case CMARK_NODE_HEADING:
		/* below the page's own: its h1 (the title) and h2 (each item) */
		if (enter) {
			cr(h);
			kk_buf_addf(b, "<h%d>", heading_level(node));
		} else {
			kk_buf_addf(b, "</h%d>\n", heading_level(node));
		}
		break;
	case CMARK_NODE_CODE_BLOCK: {
		const char *info = cmark_node_get_fence_info(node);

		cr(h);
		kk_buf_adds(b, "<pre><code");
		if (info && *info)
			add_language(b, info);
		kk_buf_adds(b, ">");
		add_text(b, cmark_node_get_literal(node), 1); /* kept escaped */
		kk_buf_adds(b, "</code></pre>\n");
		break;
	}
	case CMARK_NODE_HTML_BLOCK:
		/* issue 12: raw HTML disabled; kk_markdown_check refuses it */
		cr(h);
		kk_buf_adds(b, "<!-- raw HTML omitted -->\n");
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		cr(h);
		kk_buf_adds(b, "<hr />\n");
		break;
	case CMARK_NODE_PARAGRAPH:
		if (tight(node))
			break;
		if (enter) {
			cr(h);
			kk_buf_adds(b, "<p>");
		} else {
			kk_buf_adds(b, "</p>\n");
		}
		break;
	case CMARK_NODE_TEXT:
		add_text(b, cmark_node_get_literal(node), 1);
		break;
	case CMARK_NODE_LINEBREAK:
		kk_buf_adds(b, "<br />\n");
		break;
	case CMARK_NODE_SOFTBREAK:
		kk_buf_adds(b, "\n");
		break;
	case CMARK_NODE_CODE:
		kk_buf_adds(b, "<code>");
		add_text(b, cmark_node_get_literal(node), 1);
		kk_buf_adds(b, "</code>");
		break;
	case CMARK_NODE_HTML_INLINE:
		kk_buf_adds(b, "<!-- raw HTML omitted -->");
		break;
	case CMARK_NODE_EMPH:
		kk_buf_adds(b, enter ? "<em>" : "</em>");
		break;
	case CMARK_NODE_STRONG:
		kk_buf_adds(b, enter ? "<strong>" : "</strong>");
		break;
	case CMARK_NODE_LINK:
		/* issue 12: links checked; a destination the check refuses is
		 * never an href, the link's text stays as text */
		url = cmark_node_get_url(node);
		if (!kk_markdown_link_ok(url))
			break;
		if (!enter) {
			kk_buf_adds(b, "</a>");
			break;
		}
		kk_buf_adds(b, "<a href=\"");
		add_href(b, url);
		kk_buf_adds(b, "\"");
		if (!kk_str_empty(cmark_node_get_title(node))) {
			kk_buf_adds(b, " title=\"");
			add_text(b, cmark_node_get_title(node), 1);
			kk_buf_adds(b, "\"");
		}
		kk_buf_adds(b, " rel=\"nofollow noopener\">");
		break;
	case CMARK_NODE_IMAGE:
		/* an advisory carries no images (the check refuses them): the
		 * description alone, as text, and nothing fetched */
		if (enter)
			h->plain = node;
		break;
	default: /* the document; custom nodes, which the parser never makes */
		break;
	}
}

enum kk_result kk_markdown_html(const char *md, struct kk_buf *out, struct kk_error *err)
{
	struct html h = { out, out ? out->len : 0, NULL };
	cmark_node *doc;
	cmark_iter *it;
	cmark_event_type ev;
	enum kk_result res;

	if (!out)
		return kk_error_set(err, KK_EINVAL, "%s", _("The Markdown text is missing."));
	if ((res = parse(md, &doc, err)) != KK_OK)
		return res;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE && kk_buf_result(out) == KK_OK)
		render_html(&h, cmark_iter_get_node(it), ev);
	cmark_iter_free(it);
	cmark_node_free(doc);
	res = kk_buf_result(out);
	if (res == KK_ETOOBIG)
		return kk_error_set(err, KK_ETOOBIG, "%s", _("The HTML of the Markdown text is too long."));
	return res == KK_OK ? KK_OK : kk_error_nomem(err);
}

/* ---- plain text ---- */

/* Plain text is at most about as long as its Markdown: entities and markup
 * shrink; only tabs of indented code can grow (to at most 4 spaces). */
#define TEXT_MAX (4 * (size_t)KK_MARKDOWN_MAX)

struct text {
	struct kk_buf b;
	int newline; /* a block boundary or hard break is due before more text */
	int space;   /* a soft break is */
};

/* East Asian wide and full-width characters, and half-width katakana: the
 * scripts written without spaces, between which CSS Text 3 (segment break
 * transformation) drops a line break rather than show a space. Not Hangul,
 * which is written with spaces. */
static int is_wide(uint32_t c)
{
	return (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff) || (c >= 0x3400 && c <= 0x4dbf) ||
	       (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
	       (c >= 0xff01 && c <= 0xff9f) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
}

/* The last character of b is wide. */
static int ends_wide(const struct kk_buf *b)
{
	size_t i = b->len, len;

	while (i > 0 && ((unsigned char)b->data[i - 1] & 0xc0) == 0x80)
		i--;
	return i > 0 && is_wide(code_point((const unsigned char *)b->data + i - 1, &len));
}

/* s[0..n) after what is due: a newline, or the space of a soft break unless
 * it falls between two wide characters ("脆弱性が\n存在します" is one line of
 * Japanese); neither at the start. */
static void text_add(struct text *t, const char *s, size_t n)
{
	size_t len;

	/* what would be dropped, and newlines at the start (a code block's first
	 * lines, an entity's &#10;), are not text that makes a line break due */
	while (n > 0 && (dropped((unsigned char)*s) || (t->b.len == 0 && *s == '\n'))) {
		s++;
		n--;
	}
	if (n == 0)
		return;
	if (t->b.len > 0 && t->newline)
		kk_buf_adds(&t->b, "\n");
	else if (t->b.len > 0 && t->space &&
		 !(ends_wide(&t->b) && is_wide(code_point((const unsigned char *)s, &len))))
		kk_buf_adds(&t->b, " ");
	t->newline = t->space = 0;
	add_span(&t->b, s, n, 0);
}

static void render_text(struct text *t, cmark_node *node)
{
	cmark_node_type type = cmark_node_get_type(node);
	const char *lit = cmark_node_get_literal(node);

	switch (type) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		text_add(t, lit, lit ? strlen(lit) : 0);
		break;
	case CMARK_NODE_SOFTBREAK:
		t->space = 1;
		break;
	case CMARK_NODE_LINEBREAK:
		t->newline = 1;
		break;
	case CMARK_NODE_CODE_BLOCK: {
		size_t n = lit ? strlen(lit) : 0;

		while (n > 0 && lit[n - 1] == '\n') /* its last line's end is the boundary */
			n--;
		t->newline = 1;
		text_add(t, lit, n);
		t->newline = 1;
		break;
	}
	default:
		/* entering or leaving a block is a boundary; raw HTML gives no text;
		 * emphasis, links and images give their text nodes' */
		if (type >= CMARK_NODE_FIRST_BLOCK && type <= CMARK_NODE_LAST_BLOCK)
			t->newline = 1;
		break;
	}
}

enum kk_result kk_markdown_text(const char *md, char **out, struct kk_error *err)
{
	struct text t = { .newline = 0, .space = 0 };
	cmark_node *doc;
	cmark_iter *it;
	cmark_event_type ev;
	enum kk_result res;

	*out = NULL;
	if ((res = parse(md, &doc, err)) != KK_OK)
		return res;
	kk_buf_init(&t.b, TEXT_MAX);
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE && kk_buf_result(&t.b) == KK_OK)
		render_text(&t, cmark_iter_get_node(it));
	cmark_iter_free(it);
	cmark_node_free(doc);
	while (t.b.len > 0 && t.b.data[t.b.len - 1] == '\n')
		t.b.data[--t.b.len] = '\0';
	res = kk_buf_finish(&t.b, out);
	if (res == KK_ETOOBIG)
		return kk_error_set(err, KK_ETOOBIG, "%s", _("The Markdown text is too long."));
	return res == KK_OK ? KK_OK : kk_error_nomem(err);
}
