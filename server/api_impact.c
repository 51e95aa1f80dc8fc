/*
 * api_impact.c: impact-based triage over the API (SPEC 2.3, SPEC 7): staff record a
 * report's CVSS v3 vector and impact-scope factors, and anyone may score a vector
 * with the CVSS calculator the report page uses for its live score.
 */
#include <jansson.h>
#include <string.h>

#include "handlers.h"
#include "keikai/cvss.h"
#include "keikai/report.h"

/* POST /api/v1/reports/{tracking_id}/impact */
void api_report_assess(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_report rep = { 0 };
	struct kk_assessment a;
	enum kk_result res;
	json_t *body = api_load_body(r, 0);

	if (!body)
		return;
	res = kk_assessment_from_json(body, &a, &err);
	if (res == KK_OK)
		res = kk_report_assess(r->store, &r->user, r->params[0], &a, &rep, &err);
	if (res == KK_OK)
		kk_reply_json(r, 200, kk_report_to_json(&rep, &r->user));
	else
		kk_reply_error(r, kk_status_for(res), &err);
	kk_report_release(&rep);
	json_decref(body);
	kk_error_release(&err);
}

static const char *translate(const char *msgid)
{
	return gettext(msgid);
}

static json_t *score(int tenths)
{
	return tenths >= 0 ? json_real(tenths / 10.0) : json_null();
}

/* GET /api/v1/cvss?vector=...: the scores of one vector, as `keikai cvss --json`
 * prints them. */
void api_cvss(struct kk_req *r)
{
	const char *vector = kk_req_query(r, "vector");
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cvss_error cerr;
	struct kk_cvss c;
	char canonical[KK_CVSS_VECTOR_MAX], msg[256];
	json_t *o;

	if (kk_str_empty(vector)) {
		kk_error_field(&err, "vector", "%s", _("Required."));
	} else if (kk_cvss_parse_str(vector, &c, &cerr) != 0) {
		kk_cvss_format_error(&cerr, translate, msg, sizeof(msg));
		kk_error_field(&err, "vector", "%s", msg);
	}
	if (err.code) {
		kk_reply_error(r, 400, &err);
		kk_error_release(&err);
		return;
	}
	kk_cvss_canonical(&c, canonical, sizeof(canonical));
	o = json_pack("{s:s, s:s}", "vector", canonical, "version", kk_cvss_version_name(c.version));
	if (c.version == KK_CVSS_V4_0) {
		json_object_set_new(o, "score", score(c.score));
		json_object_set_new(o, "severity", json_string(kk_cvss_severity_name(kk_cvss_rate(c.version, c.score))));
		json_object_set_new(o, "nomenclature", json_string(kk_cvss_nomenclature(&c)));
	} else {
		json_object_set_new(o, "base_score", score(c.base));
		json_object_set_new(o, "base_severity",
				    json_string(kk_cvss_severity_name(kk_cvss_rate(c.version, c.base))));
		if (c.temporal >= 0)
			json_object_set_new(o, "temporal_score", score(c.temporal));
		if (c.environmental >= 0)
			json_object_set_new(o, "environmental_score", score(c.environmental));
	}
	json_object_set_new(o, "severity_label",
			    json_string(_(kk_cvss_severity_name(kk_cvss_rate(c.version, c.version == KK_CVSS_V4_0
											     ? c.score
											     : c.base)))));
	kk_reply_json(r, 200, o);
}
