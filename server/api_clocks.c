/*
 * api_clocks.c: the scheduler's dashboard over the JSON API
 * (docs/api/clocks.md; issue 10, SPEC 8): what every clock waits for and the
 * reminders it fired, and a reminder marked done. Staff only (clocks.read):
 * the front stops every other role at the gate, and the core asks again.
 */
#include <jansson.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/schedule.h"

/* GET /api/v1/clocks */
void api_clocks(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_clocks_view(r->store, &r->user, &out, &err);

	kk_reply_result(r, res, &err, 200, out);
	kk_error_release(&err);
}

/* POST /api/v1/reminders/{id}/done -> 200 {"id", "done": true} */
void api_reminder_done(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = kk_req_param_id(r, 0, 1);
	enum kk_result res;

	if (!id)
		return;
	res = kk_reminder_done(r->store, &r->user, id, &err);
	kk_reply_result(r, res, &err, 200, res ? NULL : json_pack("{s:I, s:b}", "id", (json_int_t)id, "done", 1));
	kk_error_release(&err);
}
