/*
 * feed_atom.c: the portal's Atom 1.0 feed (issue 12, capability 6:
 * /feed/atom.xml; RFC 4287), for readers that do not read RSS 1.0.
 *
 *   feed xml:lang: id (the feed's URL), title, subtitle?, updated,
 *     link rel=self, link rel=alternate (the portal), author, generator
 *     entry: id (the advisory's URL, which never changes: RFC 4287 4.2.6),
 *       title, link rel=alternate, published, updated, summary (the overview)?,
 *       category per CVE id, CWE id and vendor, link rel=related per related
 *       link, and JVN's mod_sec elements as in JVNRSS (mod_sec 3.0 is made for
 *       "RSS 1.0, RSS 2.0 and Atom"; Atom admits them as foreign markup, 6.4)
 *
 * RFC 4287 4.1.1: a feed has an author unless every entry has one; here the
 * feed has it (the publisher, else the feed's title) and entries inherit it.
 */
#include <stdint.h>

#include "keikai/feed.h"
#include "formats/feed_impl.h"

/* atom:category term= scheme= label=; NULL attributes left out. */
static void category(struct feed_writer *fw, const char *term, const char *scheme, const char *label)
{
	feed_start(fw, "category");
	feed_attr(fw, "term", term);
	if (scheme)
		feed_attr(fw, "scheme", scheme);
	if (!kk_str_empty(label))
		feed_attr(fw, "label", label);
	feed_end(fw);
}

/* atom:link rel= type= href= title=; NULL attributes left out. */
static void atom_link(struct feed_writer *fw, const char *rel, const char *type, const char *href, const char *title)
{
	feed_start(fw, "link");
	feed_attr(fw, "rel", rel);
	if (type)
		feed_attr(fw, "type", type);
	feed_attr(fw, "href", href);
	if (!kk_str_empty(title))
		feed_attr(fw, "title", title);
	feed_end(fw);
}

static void entry(struct feed_writer *fw, const struct kk_feed_item *it)
{
	feed_start(fw, "entry");
	feed_elem(fw, "id", it->url);
	feed_elem(fw, "title", it->title);
	atom_link(fw, "alternate", "text/html", it->url, NULL);
	feed_elem_time(fw, "published", it->published);
	feed_elem_time(fw, "updated", feed_item_updated(it));
	if (!kk_str_empty(it->summary))
		feed_elem(fw, "summary", it->summary);
	for (size_t i = 0; i < it->n_cves; i++)
		category(fw, it->cves[i], "https://www.cve.org/", NULL);
	for (size_t i = 0; i < it->n_cwes; i++)
		category(fw, it->cwes[i], "https://cwe.mitre.org/", feed_at(it->cwe_names, i));
	for (size_t i = 0; i < it->n_vendors; i++)
		category(fw, it->vendors[i], NULL, NULL);
	for (size_t i = 0; i < it->n_refs; i++)
		atom_link(fw, "related", NULL, it->refs[i].url, it->refs[i].title);
	feed_sec(fw, it);
	feed_end(fw);
}

enum kk_result kk_feed_atom(const struct kk_feed *f, struct kk_buf *out, struct kk_error *err)
{
	struct feed_writer fw;
	enum kk_result res;

	res = feed_begin(f, &fw, out, err);
	if (res)
		return res;
	feed_start(&fw, "feed");
	feed_attr(&fw, "xmlns", FEED_NS_ATOM);
	feed_attr(&fw, "xmlns:sec", FEED_NS_SEC);
	feed_attr(&fw, "xml:lang", f->lang);
	feed_elem(&fw, "id", f->url);
	feed_elem(&fw, "title", f->title);
	if (!kk_str_empty(f->description))
		feed_elem(&fw, "subtitle", f->description);
	feed_elem_time(&fw, "updated", feed_updated(f));
	atom_link(&fw, "self", "application/atom+xml", f->url, NULL);
	atom_link(&fw, "alternate", "text/html", f->site_url, NULL);
	feed_start(&fw, "author");
	feed_elem(&fw, "name", !kk_str_empty(f->publisher) ? f->publisher : f->title);
	feed_elem(&fw, "uri", f->site_url);
	feed_end(&fw);
	feed_elem(&fw, "generator", "keikai");
	for (size_t i = 0; i < f->n_items; i++)
		entry(&fw, &f->items[i]);
	feed_end(&fw);
	return feed_close(&fw, out, err);
}
