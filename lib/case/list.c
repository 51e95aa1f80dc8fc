/*
 * list.c: the cases a viewer may see, newest first (kk_case_list; case.h,
 * issue 9 capability 7): for staff with what the coordinator's dashboard
 * counts (vulnerabilities, vendors, vendors that have not answered the
 * summary, messages waiting for staff), for a vendor only the cases it was
 * notified of (SPEC 1) with the stage its own statuses have reached.
 */
#include <string.h>

#include "keikai/authz.h"
#include "keikai/i18n.h"
#include "internal.h"
#include "store/case_messages.h"
#include "store/case_views.h"

struct listing {
	struct kk_tx *tx;
	const struct kk_user *viewer;
	int staff;
	json_t *cases;
};

/* A vendor's own stage in case c: the earliest of its statuses in the
 * vendor-status flow's order (SPEC 2.7), or NULL when it has none. */
static enum kk_result own_stage(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, const char **stage,
				struct kk_error *err)
{
	struct kk_case_vendor cv;
	struct kk_vendor_status *sts = NULL;
	size_t n = 0;
	int best = -1;
	enum kk_result res = kk_case_vendors_load(tx, case_id, vendor_id, &cv, err);

	*stage = NULL;
	if (res == KK_ENOTFOUND)
		return KK_OK;
	if (res)
		return res;
	res = kk_vendor_statuses_list(tx, cv.id, &sts, &n, err);
	for (size_t i = 0; !res && i < n; i++) {
		int k = kk_flow_state_index(&kk_vendor_status_flow, sts[i].status);

		if (k >= 0 && (best < 0 || k < best))
			best = k;
	}
	if (best >= 0)
		*stage = kk_vendor_status_flow.states[best].name;
	kk_vendor_statuses_free(sts, n);
	kk_case_vendor_release(&cv);
	return res;
}

static enum kk_result add_case(const struct kk_case *c, void *arg, struct kk_error *err)
{
	struct listing *l = arg;
	struct kk_case_counts counts;
	json_t *o;
	enum kk_result res = kk_case_views_counts(l->tx, c->id, &counts, err);
	int bad = 0;

	if (res)
		return res;
	o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:I}", "id", c->ref, "title", c->title ? c->title : "",
		      "state", c->state, "state_label", kk_flow_state_label(&kk_case_flow, c->state), "day0",
		      case_time(c->day0), "created_at", case_time(c->created_at), "updated_at", case_time(c->updated_at),
		      "vulnerabilities", (json_int_t)counts.vulns);
	if (!o)
		return kk_error_nomem(err);
	if (l->staff) {
		int64_t unanswered = 0;

		/* SPEC 2.13: finder questions and vendor messages waiting for staff */
		res = kk_case_messages_unanswered(l->tx, c->id, &unanswered, err);
		bad |= json_object_set_new(o, "vendors", json_integer(counts.vendors)) != 0;
		bad |= json_object_set_new(o, "waiting_on", json_integer(counts.waiting_on)) != 0;
		bad |= json_object_set_new(o, "unanswered", json_integer(unanswered)) != 0;
		bad |= json_object_set_new(o, "coordinator_id", c->coordinator_id ? json_integer(c->coordinator_id)
										   : json_null()) != 0;
	} else {
		const char *stage = NULL;

		res = own_stage(l->tx, c->id, l->viewer->vendor_id, &stage, err);
		bad |= json_object_set_new(o, "stage", stage ? json_string(stage) : json_null()) != 0;
		bad |= json_object_set_new(o, "stage_label", stage ? json_string(kk_flow_state_label(&kk_vendor_status_flow,
													     stage))
								 : json_null()) != 0;
	}
	if (!res && (bad || json_array_append(l->cases, o) != 0))
		res = kk_error_nomem(err);
	json_decref(o);
	return res;
}

enum kk_result kk_case_list(struct kk_store *s, const struct kk_user *viewer, const char *filter, json_t **out,
			    struct kk_error *err)
{
	struct listing l = { .viewer = viewer };
	int vendor;
	int64_t coordinator = 0;
	const char *state = NULL;
	char names[128];
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	l.staff = kk_may(viewer, KK_ACT_CASE_VENDORS_READ, NULL);
	vendor = !l.staff && viewer->role == KK_ROLE_VENDOR;
	if (!l.staff && !vendor)
		return kk_error_set(err, KK_EDENIED, "%s", _("Only staff and vendors read cases."));
	if (filter && !strcmp(filter, "mine"))
		coordinator = viewer->id;
	else if (filter && *filter && kk_flow_state_index(&kk_case_flow, filter) >= 0)
		state = filter;
	else if (filter && *filter)
		return kk_error_field(err, "filter", _("Must be \"mine\" or a state of a case: %s."),
				      kk_flow_state_names(&kk_case_flow, names, sizeof(names)));
	if (!(l.cases = json_array()))
		return kk_error_nomem(err);
	res = kk_tx_begin(s, 0, &tx, err);
	if (!res) {
		l.tx = &tx;
		/* SPEC 1: a vendor only the cases it was notified of; a vendor user of no vendor none */
		if ((!vendor || viewer->vendor_id) && (!filter || strcmp(filter, "mine") || viewer->id))
			res = kk_cases_each(&tx, vendor ? viewer->vendor_id : 0, coordinator, state, add_case, &l, err);
		res = kk_tx_end(&tx, res, err);
	}
	if (!res && !(*out = json_pack("{s:O}", "cases", l.cases)))
		res = kk_error_nomem(err);
	json_decref(l.cases);
	return res;
}
