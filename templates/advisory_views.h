/*
 * advisory_views.h: what the advisory pages (server/page_advisory_*.c,
 * server/page_feed.c) hand to their templates (templates/advisory_*.html;
 * issue 12, SPEC 6, 2.11); included by views.h. The pages show only what the
 * core's functions of keikai/advisory.h return; the views hold that JSON and
 * the few things a page works out (its language, its addresses, the form's
 * values and faults).
 *
 * The advisory's Markdown members reach a page only through adv_markdown,
 * which renders them with kk_markdown_html (markdown.h: text escaped, raw HTML
 * dropped, links checked), so a template never inserts stored HTML; every other
 * value is printed escaped (<?= ?>).
 */
#ifndef KEIKAI_ADVISORY_VIEWS_H
#define KEIKAI_ADVISORY_VIEWS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/i18n.h"
#include "keikai/util.h"

/* layout_head.html: the links in the <head> of a public page (issue 12):
 * every address absolute, or NULL for none. */
struct layout_links {
	const char *canonical;          /* this page in this language */
	const char *alt_ja, *alt_en;    /* the page in each language (hreflang) */
	const char *alt_default;        /* the page without a language (x-default) */
	const char *rss, *atom;         /* the feeds in this page's language */
};

/* advisory_body.html: one advisory as its reader reads it, in one language:
 * the 11 items of the publication manual (SPEC 6) and every vendor's status
 * (SPEC 2.11). The public page, the staff's preview and a vendor's preview
 * all show it, so what is previewed is what is published. */
struct advisory_body_view {
	const json_t *rendered; /* RENDERED (advisory.h) */
	const json_t *content;  /* the canonical content (its Markdown) */
	enum kk_lang lang;      /* the language of the texts and of the labels */
	const char *id;         /* the public ID, or NULL before publication */
	int64_t published_at, updated_at; /* 0: not yet */
	int level;              /* the heading level of the title (1 on its own page, 3 in a preview) */
	int link_vendors;       /* each vendor's name links its page (the public page) */
	const char *anchor;     /* the prefix of the element ids ("adv", "preview-ja") */
};

/* advisory_public.html: GET /advisories/{id} */
struct advisory_public_view {
	struct advisory_body_view body;
	const char *other_href;   /* the advisory in the other language (a path) */
	const char *index_href;   /* the index in this language */
};

/* advisory_index.html: GET /advisories/, the published advisories newest first,
 * and GET /advisories/vendors/{id}, those of one vendor */
struct advisory_index_view {
	const char *title;       /* the heading, translated */
	const char *vendor;      /* the vendor's name on its page, or NULL on the index */
	const json_t *list;      /* kk_advisory_public_list's "advisories" (or kk_advisory_search's) */
	int64_t total, page, pages;
	const char *prev, *next; /* the addresses of the pages before and after, or NULL */
	const char *rss, *atom;  /* the feeds in this page's language (paths) */
	const char *lang_query;  /* "lang=ja" or "lang=en": carried by the links */
};

/* advisory_rows.html: a table of advisories (the index, a vendor's page, the
 * search's results). */
struct advisory_rows_view {
	const json_t *list;       /* kk_advisory_public_list's or kk_advisory_search's "advisories" */
	const char *lang_query;   /* "lang=ja" or "lang=en": carried by the links */
	const char *table_id, *described_by, *row_class;
};

/* One field of the advisory form with a fault the core named, for the summary
 * at the top (as report_form.html's). */
struct advisory_problem {
	const char *anchor;  /* the id of the form control, or NULL */
	const char *label;   /* its label, translated, or NULL */
	const char *message;
};

/* advisory_case.html: GET /cases/{ref}/advisory, the draft through its case:
 * for the coordinator the form and the flow's buttons, for intake and admin
 * the same read-only, for a notified vendor the preview of its own entry and
 * the comment form. */
struct advisory_case_view {
	const json_t *a;        /* kk_advisory_get */
	const char *ref, *ref_enc;
	const char *public_href; /* the public page once published (a path), else NULL */
	int staff;              /* a reader of every vendor; else a vendor */
	int editing;            /* the form is shown: may write, and a draft or published */
	const char *form_action; /* where the form posts (save or revise) */
	const json_t *values;   /* the form's values: field name -> string */
	const char *saved;      /* what was just done, translated, or NULL */
	/* a refused form ("save", "revise", "approve", "withdraw", "comment"),
	 * each field's fault (name -> message), the summary's lead */
	const char *failed;
	const json_t *errors;
	const char *error;
	const struct advisory_problem *problems;
	size_t n_problems;
	struct advisory_body_view preview[2]; /* ja, en */
};

/* The members of one language's texts, in the order of the manual, with
 * their labels (msgids) and whether they are Markdown (page_advisory_view.c). */
struct advisory_text_field {
	const char *name;  /* "title", "overview", … (advisory.h kk_advisory_text_members) */
	const char *label; /* msgid */
	const char *help;  /* msgid or NULL */
	int markdown;      /* a textarea of Markdown; else one line */
};
extern const struct advisory_text_field advisory_text_fields[];

/* Appends the HTML of the Markdown md (NULL: nothing): kk_markdown_html,
 * escaped by construction (markdown.h). */
enum kk_result adv_markdown(struct kk_buf *o, const char *md);
/* Appends <time datetime="ISO">text</time> for the unix time of the JSON
 * integer t in lang, in Japan's time (kk_time_text); nothing for another value. */
enum kk_result adv_time(struct kk_buf *o, const json_t *t, enum kk_lang lang);
/* The same for unix time t (0: nothing). */
enum kk_result adv_when(struct kk_buf *o, int64_t t, enum kk_lang lang);
/* Appends a link to url with the escaped text text (url when NULL), or the
 * text alone when url is not an address a link may have (kk_markdown_link_ok). */
enum kk_result adv_link(struct kk_buf *o, const char *url, const char *text);
/* The string member k of o in lang: k_ja or k_en (k NULL: "ja" or "en"), the
 * other one when it is empty (e.g. "name" -> "name_ja"), or NULL. */
const char *adv_pick(const json_t *o, const char *k, enum kk_lang lang);
/* The title of a list entry or of texts in lang, else in the other language. */
const char *adv_title(const json_t *titles, enum kk_lang lang);

/* The name in lang of vendor vendor_id among the vendors of the public advisory
 * adv (kk_advisory_public_get), or NULL. */
const char *adv_vendor_name(const json_t *adv, int64_t vendor_id, enum kk_lang lang);

/* Renders advisory v (advisory_body.html) in its own language: the thread
 * switched to v->lang for its labels and back (server/page_advisory_view.c). */
enum kk_result page_advisory_body(struct kk_buf *o, struct kk_req *r, const struct advisory_body_view *v);

#endif
