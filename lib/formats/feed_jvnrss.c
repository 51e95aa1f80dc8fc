/*
 * feed_jvnrss.c: the portal's RSS 1.0 feed in the JVNRSS 3.2 format (issue 12,
 * capability 6: /feed/jvnrss.rdf; SPEC 6 "RSS feeds"), as JVN iPedia and MyJVN
 * publish it: JVN's jvnrss_3.2.xsd with jvnrss_rdf_3.2.xsd, jvnrss_dc.xsd,
 * jvnrss_dcterms.xsd and mod_sec_3.0.xsd define it; MyJVN's dataFeed and
 * getVulnOverviewList documents show how JVN fills it.
 *
 *   rdf:RDF xml:lang
 *     channel rdf:about=feed URL: title, link (the portal), description,
 *       dc:language, dc:publisher?, dc:date, dcterms:modified,
 *       items/rdf:Seq/rdf:li rdf:resource=each advisory's URL
 *     item rdf:about=advisory URL: title, link, description (the overview)?,
 *       dc:creator?, sec:identifier, sec:references*, sec:cpe*, sec:cvss*,
 *       dc:date (last revision), dcterms:issued (first publication),
 *       dcterms:modified (last revision)
 *
 * The elements of channel and item come in the order of the schema's sequences.
 */
#include <stdint.h>

#include "keikai/feed.h"
#include "formats/feed_impl.h"

static void channel(struct feed_writer *fw, const struct kk_feed *f)
{
	int64_t updated = feed_updated(f);

	feed_start(fw, "channel");
	feed_attr(fw, "rdf:about", f->url);
	feed_elem(fw, "title", f->title);
	feed_elem(fw, "link", f->site_url);
	/* required by rss:channel; the title says what the feed is when nothing else does */
	feed_elem(fw, "description", !kk_str_empty(f->description) ? f->description : f->title);
	feed_elem(fw, "dc:language", f->lang);
	if (!kk_str_empty(f->publisher))
		feed_elem(fw, "dc:publisher", f->publisher);
	feed_elem_time(fw, "dc:date", updated);
	feed_elem_time(fw, "dcterms:modified", updated);
	feed_start(fw, "items");
	feed_start(fw, "rdf:Seq");
	for (size_t i = 0; i < f->n_items; i++) {
		feed_start(fw, "rdf:li");
		feed_attr(fw, "rdf:resource", f->items[i].url);
		feed_end(fw);
	}
	feed_end(fw); /* rdf:Seq */
	feed_end(fw); /* items */
	feed_end(fw); /* channel */
}

static void item(struct feed_writer *fw, const struct kk_feed *f, const struct kk_feed_item *it)
{
	feed_start(fw, "item");
	feed_attr(fw, "rdf:about", it->url);
	feed_elem(fw, "title", it->title);
	feed_elem(fw, "link", it->url);
	if (!kk_str_empty(it->summary))
		feed_elem(fw, "description", it->summary);
	if (!kk_str_empty(f->publisher))
		feed_elem(fw, "dc:creator", f->publisher);
	feed_sec(fw, it);
	feed_elem_time(fw, "dc:date", feed_item_updated(it));
	feed_elem_time(fw, "dcterms:issued", it->published);
	feed_elem_time(fw, "dcterms:modified", feed_item_updated(it));
	feed_end(fw);
}

enum kk_result kk_feed_jvnrss(const struct kk_feed *f, struct kk_buf *out, struct kk_error *err)
{
	struct feed_writer fw;
	enum kk_result res;

	res = feed_begin(f, &fw, out, err);
	if (res)
		return res;
	feed_start(&fw, "rdf:RDF");
	feed_attr(&fw, "xmlns", FEED_NS_RSS);
	feed_attr(&fw, "xmlns:rdf", FEED_NS_RDF);
	feed_attr(&fw, "xmlns:dc", FEED_NS_DC);
	feed_attr(&fw, "xmlns:dcterms", FEED_NS_DCTERMS);
	feed_attr(&fw, "xmlns:sec", FEED_NS_SEC);
	feed_attr(&fw, "xmlns:xsi", FEED_NS_XSI);
	feed_attr(&fw, "xsi:schemaLocation", FEED_NS_RSS " https://jvndb.jvn.jp/schema/jvnrss_3.2.xsd");
	feed_attr(&fw, "xml:lang", f->lang);
	channel(&fw, f);
	for (size_t i = 0; i < f->n_items; i++)
		item(&fw, f, &f->items[i]);
	feed_end(&fw);
	return feed_close(&fw, out, err);
}
