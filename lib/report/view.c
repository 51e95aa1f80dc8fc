/*
 * view.c: a report as one viewer may see it (report_view.h; SPEC 1), and
 * the one JSON serialiser of a report and of what its finder sees. The policy
 * (authz.h) decides what is in a view; the flow (report/flow.c) which events it
 * offers.
 */
#include "keikai/authz.h"
#include "keikai/cvss.h"
#include "keikai/report_view.h"
#include "keikai/util.h"
#include "internal.h"

/* The view's impact fields: what kk_report_view_impact_json needs, nothing more. */
static void impact_of(const struct kk_report *r, struct kk_report_view *v)
{
	v->impact_rank = kk_report_impact(r, &v->score_tenths, &v->scope, &v->score_vector);
	v->factors = r->scope;
	v->assessed_at = r->assessed_at;
}

void kk_report_view_make(const struct kk_report *r, const struct kk_user *viewer, struct kk_report_view *out)
{
	const struct kk_object obj = { .report = r };
	struct kk_flow_step step = { .actor = viewer, .object = (struct kk_report *)r };

	*out = (struct kk_report_view){
		.tracking_id = r->tracking_id,
		.kind = r->kind,
		.status = r->status,
		.received_at = r->received_at,
		.accepted_at = r->accepted_at,
		.decided_at = r->decided_at,
		.reject_reason = r->status == KK_REPORT_REJECTED ? r->reject_reason : KK_REJECT_NONE,
		.decision_note = r->decision_note,
		.finder = kk_may(viewer, KK_ACT_FINDER_READ, &obj) ? &r->finder : NULL,
		.share_identity = r->share_identity,
		.direct_contact = r->direct_contact,
		.credit = r->credit,
		.credit_name = r->credit ? r->credit_name : NULL,
		.product_vendor = r->kind == KK_REPORT_PRODUCT ? r->product_vendor : NULL,
		.product_name = r->kind == KK_REPORT_PRODUCT ? r->product_name : NULL,
		.product_version = r->kind == KK_REPORT_PRODUCT ? r->product_version : NULL,
		.website_url = r->kind == KK_REPORT_WEBSITE ? r->website_url : NULL,
		.summary = r->summary,
		.environment = r->environment,
		.steps = r->steps,
		.result = r->result,
		.impact = r->impact,
		.workaround = r->workaround,
		.cvss_vector = r->cvss_vector,
		.reported_elsewhere = r->reported_elsewhere,
		.vendor_told_directly = r->vendor_told_directly,
		.wants_final_result = r->wants_final_result,
		.encrypted_contact = r->encrypted_contact,
		.reported_to = r->reported_to,
		.coordinated_by = r->coordinated_by,
		.attachments = r->attachments,
		.n_attachments = r->n_attachments,
		.encrypted_fields = r->encrypted_fields,
		.may_download = kk_may(viewer, KK_ACT_EVIDENCE_READ, &obj),
		.may_assess = kk_may(viewer, KK_ACT_REPORT_ASSESS, &obj),
	};
	impact_of(r, out);
	out->n_events = kk_flow_events(&kk_report_triage, &step, kk_report_status_name(r->status), out->events,
				       KK_VIEW_MAX_EVENTS);
	if (out->n_events > KK_VIEW_MAX_EVENTS)
		out->n_events = KK_VIEW_MAX_EVENTS;
}

static json_t *str_or_empty(const char *s)
{
	return json_string(s ? s : "");
}

static json_t *decision_json(enum kk_report_status status, enum kk_reject_reason reason, const char *note,
			     int64_t decided_at, int with_text)
{
	if (status == KK_REPORT_RECEIVED)
		return json_null();
	if (with_text)
		return json_pack("{s:s, s:o, s:o, s:o, s:o}", "decision", status == KK_REPORT_ACCEPTED ? "accept" : "reject",
				 "reason", reason ? json_string(kk_reject_reason_name(reason)) : json_null(), "note",
				 kk_json_str_or_null(note), "decided_at", kk_json_time(decided_at), "reason_text",
				 reason ? json_string(kk_reject_reason_text(reason)) : json_null());
	return json_pack("{s:s, s:o, s:o, s:o}", "decision", status == KK_REPORT_ACCEPTED ? "accept" : "reject",
			 "reason", reason ? json_string(kk_reject_reason_name(reason)) : json_null(), "note",
			 kk_json_str_or_null(note), "decided_at", kk_json_time(decided_at));
}

json_t *kk_report_view_impact_json(const struct kk_report_view *v)
{
	int t = v->score_tenths;

	return json_pack("{s:o, s:o, s:o, s:s, s:{s:s, s:s, s:s}, s:s, s:o}", "cvss_vector", kk_json_str_or_null(v->score_vector),
			 "base_score", t >= 0 ? json_real(t / 10.0) : json_null(), "severity",
			 t >= 0 ? json_string(kk_cvss_severity_name(kk_cvss_rate(KK_CVSS_V3_1, t))) : json_null(),
			 "scope", kk_scope_name(v->scope), "factors", "users", kk_users_name(v->factors.users),
			 "critical_infrastructure", kk_answer_name(v->factors.critical_infrastructure), "attack_public",
			 kk_answer_name(v->factors.attack_public), "impact", kk_impact_name(v->impact_rank),
			 "assessed_at", kk_json_time(v->assessed_at));
}

static json_t *attachments_json(const struct kk_report_view *v)
{
	json_t *list = json_array();

	for (size_t i = 0; list && i < v->n_attachments; i++) {
		const struct kk_attachment *a = &v->attachments[i];

		if (json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I, s:s}", "index", (json_int_t)i, "filename",
							  a->filename, "content_type", a->content_type, "size",
							  (json_int_t)a->size, "sha256", a->sha256)) != 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

static json_t *finder_json(const struct kk_finder *f)
{
	if (!f)
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "name", str_or_empty(f->name), "email", str_or_empty(f->email),
			 "organization", str_or_empty(f->organization), "phone", str_or_empty(f->phone), "pgp_key",
			 str_or_empty(f->pgp_key));
}

/* The JSON of docs/api/reports.md; any failed part fails the whole (NULL). */
json_t *kk_report_view_json(const struct kk_report_view *v)
{
	json_t *o = json_pack(
		"{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:b, s:o, s:{s:b, s:b, s:b, s:o},"
		" s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o}, s:{s:b, s:o, s:b, s:o}, s:b, s:b, s:o}",
		"tracking_id", v->tracking_id, "kind", kk_report_kind_name(v->kind), "status",
		kk_report_status_name(v->status), "received_at", kk_json_time(v->received_at), "accepted_at",
		kk_json_time(v->accepted_at), "decision",
		decision_json(v->status, v->reject_reason, v->decision_note, v->decided_at, 0), "attachments",
		attachments_json(v), "finder_withheld", !v->finder, "finder", finder_json(v->finder), "consent",
		"share_identity", v->share_identity, "direct_contact", v->direct_contact, "credit", v->credit,
		"credit_name", str_or_empty(v->credit_name), "details", "summary", str_or_empty(v->summary),
		"environment", str_or_empty(v->environment), "steps", str_or_empty(v->steps), "result",
		str_or_empty(v->result), "impact", str_or_empty(v->impact), "workaround", str_or_empty(v->workaround),
		"cvss_vector", str_or_empty(v->cvss_vector), "other_reports", "reported_elsewhere",
		v->reported_elsewhere, "to_whom", str_or_empty(v->reported_to), "vendor_told_directly",
		v->vendor_told_directly, "coordinated_by", kk_json_str_or_null(v->coordinated_by), "wants_final_result",
		v->wants_final_result, "encrypted_contact", v->encrypted_contact, "impact", kk_report_view_impact_json(v));
	json_t *where = v->kind == KK_REPORT_PRODUCT
				? json_pack("{s:o, s:o, s:o}", "vendor", str_or_empty(v->product_vendor), "name",
					    str_or_empty(v->product_name), "version", str_or_empty(v->product_version))
				: json_pack("{s:o}", "url", str_or_empty(v->website_url));

	json_t *sealed = v->encrypted_fields ? json_loads(v->encrypted_fields, 0, NULL) : json_array();

	if (!json_is_array(sealed)) { /* never stored so; an empty list rather than no answer */
		json_decref(sealed);
		sealed = json_array();
	}
	if (!o || !where || !sealed || json_object_set(o, "encrypted_fields", sealed) != 0 ||
	    json_object_set_new(o, v->kind == KK_REPORT_PRODUCT ? "product" : "website", json_incref(where)) != 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(where);
	json_decref(sealed);
	return o;
}

json_t *kk_report_to_json(const struct kk_report *r, const struct kk_user *viewer)
{
	struct kk_report_view v;

	kk_report_view_make(r, viewer, &v);
	return kk_report_view_json(&v);
}

json_t *kk_impact_json(const struct kk_report *r)
{
	struct kk_report_view v = { 0 };

	impact_of(r, &v);
	return kk_report_view_impact_json(&v);
}

/* SPEC 2.2, 2.13: what the finder sees of their own report: where it stands and
 * the decision, nothing about the finder or the details. */
json_t *kk_report_status_json(const struct kk_report *r)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "tracking_id", r->tracking_id, "kind",
			 kk_report_kind_name(r->kind), "status", kk_report_status_name(r->status), "status_label",
			 kk_report_status_label(r->status), "received_at", kk_json_time(r->received_at),
			 "accepted_at", kk_json_time(r->accepted_at), "decision",
			 decision_json(r->status, r->status == KK_REPORT_REJECTED ? r->reject_reason : KK_REJECT_NONE,
				       r->decision_note, r->decided_at, 1));
}
