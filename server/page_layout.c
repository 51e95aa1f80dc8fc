/*
 * page_layout.c: the frame of every HTML page (header with the language switch
 * and the sign-in state, footer), the error page the front and the handlers
 * show for 403, 404 and the like, and small display helpers (page.h).
 *
 * Pages are rendered into r->reply by the compiled templates; a failed append
 * (the reply's size cap, no memory) turns into a plain 500 page.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "page.h"

/* Percent-encodes a path segment by segment, keeping the slashes. */
static enum kk_result add_path(struct kk_buf *b, const char *path)
{
	char seg[1024];

	while (*path) {
		size_t n = strcspn(path, "/");
		enum kk_result res;

		if (n) {
			if (n >= sizeof(seg))
				return KK_ETOOBIG;
			memcpy(seg, path, n);
			seg[n] = '\0';
			res = kk_buf_add_urlenc(b, seg);
			if (res != KK_OK)
				return res;
			path += n;
		}
		if (*path == '/') {
			res = kk_buf_add(b, "/", 1);
			if (res != KK_OK)
				return res;
			path++;
		}
	}
	return KK_OK;
}

enum kk_result page_begin(struct kk_req *r, const char *title, const char *self)
{
	struct layout_view v = { .title = title, .self = self };

	kk_buf_reset(&r->reply);
	if (!v.self) {
		struct kk_buf b;
		enum kk_result res;

		kk_buf_init(&b, 8192);
		res = add_path(&b, r->path ? r->path : "/");
		v.self = res == KK_OK && b.data ? kk_req_strdup(r, b.data) : "/";
		kk_buf_release(&b);
		if (!v.self)
			v.self = "/";
	}
	return tmpl_layout_head(&r->reply, r, &v);
}

/* The page when a page could not be made; should even this fail, the reply
 * buffer's sticky failure makes queue_reply (http.c) send its own 500. */
static void reply_plain_500(struct kk_req *r)
{
	kk_buf_reset(&r->reply);
	kk_buf_adds(&r->reply, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>500 | keikai</title></head>"
			       "<body><h1>500</h1><p>");
	kk_buf_add_html(&r->reply, _("The page could not be made. Please try again later."));
	kk_buf_adds(&r->reply, "</p></body></html>\n");
	kk_reply_html(r, 500);
}

void page_end(struct kk_req *r, unsigned status, enum kk_result res)
{
	if (res == KK_OK)
		res = tmpl_layout_foot(&r->reply, r);
	if (res == KK_OK)
		kk_reply_html(r, status);
	else
		reply_plain_500(r);
}

static const char *error_title(unsigned status)
{
	switch (status) {
	case 400: return _("The request could not be understood");
	case 403: return _("You may not open this page");
	case 404: return _("Page not found");
	case 405: return _("This page does not take that kind of request");
	case 409: return _("This cannot be done now");
	case 413: return _("What you sent is too large");
	case 415: return _("This page does not take that kind of data");
	case 429: return _("Too many attempts");
	default: return status >= 500 ? _("Something went wrong on our side") : _("The request failed");
	}
}

void page_error(struct kk_req *r, unsigned status, const char *message)
{
	struct error_view v = { .status = status, .title = error_title(status), .message = message };
	enum kk_result res;

	res = page_begin(r, v.title, NULL);
	if (res == KK_OK)
		res = tmpl_error(&r->reply, r, &v);
	page_end(r, status, res);
}

void page_when(int64_t t, struct page_when *out)
{
	struct tm tm;
	time_t local;

	out->iso[0] = out->text[0] = '\0';
	if (t <= 0)
		return;
	kk_time_format(t, out->iso);
	local = (time_t)(t + 9 * 3600); /* SPEC 8: the guideline's days are Japan's */
	if (!gmtime_r(&local, &tm) || !strftime(out->text, sizeof(out->text), "%Y-%m-%d %H:%M JST", &tm))
		out->text[0] = '\0';
}

void page_when_iso(const char *iso, struct page_when *out)
{
	int64_t t = 0;

	if (!iso || kk_time_parse(iso, &t) != 0)
		t = 0;
	page_when(t, out);
}

void page_report_state(const struct kk_report *rep, struct report_state_view *out)
{
	memset(out, 0, sizeof(*out));
	out->kind_label = page_kind_label(rep->kind);
	out->status_name = kk_report_status_name(rep->status);
	out->status_label = kk_report_status_label(rep->status);
	page_when(rep->received_at, &out->received);
	page_when(rep->accepted_at, &out->accepted);
	if (rep->status == KK_REPORT_REJECTED) {
		page_when(rep->decided_at, &out->decided);
		out->reason_text = kk_reject_reason_text(rep->reject_reason);
	}
}

const char *page_kind_label(enum kk_report_kind kind)
{
	return kind == KK_REPORT_WEBSITE ? _("Web site") : _("Software product");
}

char *page_urlenc(struct kk_req *r, const char *s)
{
	struct kk_buf b;
	char *out = NULL;

	kk_buf_init(&b, 8192);
	if (kk_buf_add_urlenc(&b, s ? s : "") == KK_OK)
		out = kk_req_strdup(r, b.data ? b.data : "");
	kk_buf_release(&b);
	return out;
}
