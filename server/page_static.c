/*
 * page_static.c: the static assets (static/), embedded into the binary at build
 * time by scripts/embed.py (assets.h) and served from memory without a copy.
 *
 * Pages link an asset with its content hash (/static/style.css?v=HASH, see
 * layout_head.html), so a changed file gets a new URL and browsers may keep
 * every version for a year.
 */
#include <string.h>

#include "assets.h"
#include "handlers.h"
#include "keikai/i18n.h"

void page_static(struct kk_req *r)
{
	const char *name = r->params[0];

	for (const struct kk_asset *a = kk_assets; a->name; a++) {
		if (name && strcmp(a->name, name) == 0) {
			kk_reply_header(r, "Cache-Control", "public, max-age=31536000, immutable");
			kk_reply_static(r, 200, a->content_type, a->data, a->size);
			return;
		}
	}
	page_error(r, 404, _("There is no such file."));
}
