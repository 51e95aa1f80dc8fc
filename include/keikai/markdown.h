/*
 * markdown.h: the Markdown of advisories' texts (issue 12, capability 1; SPEC 6):
 * checked before it is stored, rendered to HTML for the public pages and to
 * plain text for the feeds and search.
 *
 * The parser is cmark (CommonMark, Debian's libcmark). Nothing an author
 * writes reaches a reader as markup of their own: raw HTML is refused by the
 * check and replaced by a comment in the HTML; a link keeps its href only
 * when its destination is an absolute http:// or https:// URL with a host, or
 * a mailto: address (kk_markdown_link_ok), and becomes plain text otherwise;
 * an image is refused and rendered as its alternative text. The HTML is
 * written here from cmark's tree, never by cmark's own renderer, so every
 * element and attribute it can contain is listed in docs/internals/markdown.md.
 *
 * cmark allocates its tree with its own allocator (which ends the process when
 * memory runs out, as alloc.h allows of a library); what this module keeps or
 * hands out goes through keikai/alloc.h. Texts are capped at KK_MARKDOWN_MAX
 * bytes, which also bounds cmark's worst cases.
 */
#ifndef KEIKAI_MARKDOWN_H
#define KEIKAI_MARKDOWN_H

#include <stddef.h>

#include "keikai/error.h"
#include "keikai/util.h"

/* Longest Markdown text, in bytes, that the three functions below take. */
#define KK_MARKDOWN_MAX 65536

/*
 * Checks Markdown text md given in field `field` (e.g. "texts.ja.description")
 * (issue 12: "rendered with raw HTML disabled and links checked"): every link
 * destination must pass kk_markdown_link_ok; raw HTML (blocks or inline) is
 * refused, naming it; images are refused (an advisory carries no images). md
 * must also be UTF-8 of at most KK_MARKDOWN_MAX bytes without control
 * characters other than tab and line ends. NULL md is "Must be text."
 *
 * The first fault, in the order of the text, is a field error on `field`
 * (kk_error_field) in the reader's language, naming the offending destination
 * or construct. Returns KK_OK or KK_EINVAL (KK_ENOMEM when the message could
 * not be kept).
 */
enum kk_result kk_markdown_check(const char *md, const char *field, struct kk_error *err);

/*
 * Appends the HTML of md to out (struct kk_buf, keikai/util.h), escaped by
 * construction: text is escaped; raw HTML becomes "<!-- raw HTML omitted -->"
 * (cmark's CMARK_OPT_SAFE); a link whose destination passes
 * kk_markdown_link_ok becomes <a href="…" rel="nofollow noopener">, any other
 * link (javascript:, data:, vbscript:, relative, protocol-relative …) its text
 * alone, never an href; an image its alternative text; no smart punctuation
 * (CMARK_OPT_SMART off). Bytes that are not UTF-8 become U+FFFD and control
 * characters other than tab and newline are dropped. docs/internals/markdown.md
 * lists every element and attribute the HTML can hold.
 *
 * Returns KK_OK; KK_EINVAL when md is NULL; KK_ETOOBIG when md is longer
 * than KK_MARKDOWN_MAX bytes or out reached its cap; KK_ENOMEM. On failure out
 * holds what it held before, or has failed (kk_buf's failures are sticky).
 */
enum kk_result kk_markdown_html(const char *md, struct kk_buf *out, struct kk_error *err);

/*
 * The plain text of md (for feeds' descriptions and search): the text of its
 * text, code and code block nodes joined, a soft line break as a space (none
 * between two East Asian wide characters: "脆弱性が" and "存在します" on two
 * lines are one sentence), a hard one and every boundary between blocks as
 * one newline, without raw HTML, link destinations or markup, nor a newline
 * at either end. Not escaped for any format. Bytes that are not UTF-8 become U+FFFD and control characters
 * other than tab and newline are dropped.
 *
 * On KK_OK *out is a string the caller frees ("" for a text of no words). On
 * failure *out is NULL: KK_EINVAL when md is NULL, KK_ETOOBIG when it is
 * longer than KK_MARKDOWN_MAX bytes, KK_ENOMEM.
 */
enum kk_result kk_markdown_text(const char *md, char **out, struct kk_error *err);

/*
 * 1 when url may be a link's destination in an advisory, else 0 (NULL too):
 * "http://" or "https://" (any case) and a host (letters, digits, "-", ".",
 * "_" or non-ASCII UTF-8, or an IPv6 literal in brackets) with an optional
 * ":port" of digits, then nothing or "/", "?" or "#" and the rest; or
 * "mailto:" (any case) and an address with "@" inside. Never a space, a
 * control or bidirectional control character, a backslash, or user
 * information ("https://good.example@evil.example/") anywhere in it.
 */
int kk_markdown_link_ok(const char *url);

#endif
