/*
 * page_inbound.c: the review queue of mail in as a page (/inbound; issue 11,
 * item 4): the open entries, newest first, one entry with the message as it
 * came (as text, escaped: never rendered as HTML), and a button that
 * dismisses it. Intake and coordinators only (inbound.review); for anyone
 * else the queue does not exist. Everything shown is mailin.h's.
 */
#include <string.h>

#include "handlers.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/mailin.h"
#include "page.h"

/* Adds "received_at_iso" and "received_at_text" to o. -1 without memory. */
static int add_time(struct kk_req *r, json_t *o)
{
	int64_t t = json_integer_value(json_object_get(o, "received_at"));
	char iso[KK_TIME_LEN], text[KK_TIME_TEXT_LEN];

	return json_object_set_new(o, "received_at_iso", json_string(kk_time_format(t, iso))) ||
	       json_object_set_new(o, "received_at_text", json_string(kk_time_text(t, r->lang, NULL, text)));
}

/* GET /inbound[?dismissed=1] and GET /inbound/{id} */
static void show(struct kk_req *r, int64_t id)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *list = NULL, *one = NULL, *e;
	enum kk_result res = id ? kk_inbound_get(r->store, &r->user, id, &one, &err)
				: kk_inbound_list(r->store, &r->user, &list, &err);
	size_t i;

	if (res) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	json_array_foreach(json_object_get(list, "inbound"), i, e) {
		if (add_time(r, e)) {
			res = KK_ENOMEM;
			break;
		}
	}
	if (!res && one && add_time(r, one))
		res = KK_ENOMEM;
	if (res) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	res = page_begin(r, _("Mail to review"), "/inbound");
	if (res == KK_OK)
		res = tmpl_inbound(&r->reply, r, json_object_get(list, "inbound"), one,
				   kk_req_query(r, "dismissed") != NULL);
	page_end(r, 200, res);
out:
	json_decref(list);
	json_decref(one);
	kk_error_release(&err);
}

void page_inbound(struct kk_req *r)
{
	show(r, 0);
}

void page_inbound_one(struct kk_req *r)
{
	int64_t id = kk_req_param_id(r, 0, 0);

	if (!id) {
		page_error(r, 404, NULL);
		return;
	}
	show(r, id);
}

/* POST /inbound/{id}/dismiss: back to the list */
void page_inbound_dismiss(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = kk_req_param_id(r, 0, 0);
	enum kk_result res = id ? kk_inbound_dismiss_entry(r->store, &r->user, id, &err) : KK_ENOTFOUND;

	if (res == KK_OK)
		kk_reply_redirect(r, "/inbound?dismissed=1");
	else
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
	kk_error_release(&err);
}
