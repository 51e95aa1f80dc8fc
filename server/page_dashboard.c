/*
 * page_dashboard.c: the scheduler's dashboard as a page (/dashboard; issue
 * 10, SPEC 8): for every clock its rule and setting, what it waits for
 * (soonest first, overdue ones marked) and the reminders it fired, each with
 * a button that marks it done. Staff only (clocks.read). Everything shown is
 * kk_clocks_view's; times are written in the reader's language (kk_time_text).
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/schedule.h"
#include "page.h"

/* Adds "KEY_iso" and "KEY_text" beside the unix time KEY of every object of
 * arr, in the reader's language. -1 without memory. */
static int add_times(struct kk_req *r, json_t *arr, const char *key)
{
	json_t *o;
	size_t i;

	json_array_foreach(arr, i, o) {
		int64_t t = json_integer_value(json_object_get(o, key));
		char iso[KK_TIME_LEN], text[KK_TIME_TEXT_LEN], k_iso[32], k_text[32];

		if (t <= 0)
			continue;
		snprintf(k_iso, sizeof(k_iso), "%s_iso", key);
		snprintf(k_text, sizeof(k_text), "%s_text", key);
		if (json_object_set_new(o, k_iso, json_string(kk_time_format(t, iso))) != 0 ||
		    json_object_set_new(o, k_text, json_string(kk_time_text(t, r->lang, NULL, text))) != 0)
			return -1;
	}
	return 0;
}

/* GET /dashboard[?done=ID] */
void page_dashboard(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *view = NULL, *c;
	enum kk_result res = kk_clocks_view(r->store, &r->user, &view, &err);
	size_t i;

	if (res) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	json_array_foreach(json_object_get(view, "clocks"), i, c) {
		if (add_times(r, json_object_get(c, "waiting"), "due_at") != 0 ||
		    add_times(r, json_object_get(c, "fired"), "fired_at") != 0) {
			page_error(r, 500, _("Out of memory."));
			goto out;
		}
	}
	res = page_begin(r, _("Clocks"), "/dashboard");
	if (res == KK_OK)
		res = tmpl_dashboard(&r->reply, r, view, kk_req_query(r, "done") != NULL);
	page_end(r, 200, res);
out:
	json_decref(view);
	kk_error_release(&err);
}

/* POST /dashboard/reminders/{id}/done: back to the dashboard */
void page_dashboard_done(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = kk_req_param_id(r, 0, 0);
	enum kk_result res = id ? kk_reminder_done(r->store, &r->user, id, &err) : KK_ENOTFOUND;

	/* done twice (two staff at once) is done */
	if (res == KK_OK || res == KK_ECONFLICT)
		kk_reply_redirect(r, "/dashboard?done=1");
	else
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
	kk_error_release(&err);
}
