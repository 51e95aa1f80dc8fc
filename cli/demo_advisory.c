/*
 * demo_advisory.c: the demo's advisories (issue 12; SPEC 6, 2.11, G IV.4):
 * three published on the portal and one under embargo, made through the
 * same core calls (include/keikai/case.h, advisory.h, schedule.h) the
 * server makes. A published advisory needs its agreed minute to have come,
 * so each of the three cases is handled with the core clock set back
 * (kk_clock_set): its report accepted, its vendors notified (day 0), their
 * answers, the date set to the one keikai proposed, the advisory written in
 * Japanese and English and approved; then, at the real time again, one tick
 * of the scheduler (kk_tick) reaches the dates and publishes all three, as
 * `keikai serve` would have. One of them has several vendors, one of which
 * never answered: the portal lists it as "no response". The demo case of
 * demo_case.c gets its advisory approved for its date in the future: under
 * embargo, seen by staff and its vendors only. docs/cli/demo.md is the manual.
 */
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "demo_case.h"
#include "keikai/advisory.h"
#include "keikai/calendar.h"
#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/report.h"
#include "keikai/schedule.h"

#define DAY 86400

/* The Japanese and English texts of an advisory (SPEC 6: the manual's items). */
#define TEXTS(title_ja, overview_ja, title_en, overview_en, product)                                              \
	"{\"texts\":{\"ja\":{\"title\":\"" title_ja "\",\"overview\":\"" overview_ja "\","                        \
	"\"affected\":\"- " product " の該当バージョン（製品の管理画面の「バージョン情報」で確認できます）\","       \
	"\"description\":\"" overview_ja "\","                                                                    \
	"\"impact\":\"遠隔の第三者によって、機器を不正に操作される可能性があります。\","                         \
	"\"countermeasures\":\"**アップデートする**\\n\\n開発者が提供する情報をもとに、最新版へアップデートしてください。\"," \
	"\"workarounds\":\"\",\"contact\":\"各開発者の窓口にお問い合わせください。\"},"                                 \
	"\"en\":{\"title\":\"" title_en "\",\"overview\":\"" overview_en "\","                                    \
	"\"affected\":\"- the affected versions of " product " (see \\\"Version\\\" on its administration page)\"," \
	"\"description\":\"" overview_en "\","                                                                    \
	"\"impact\":\"A remote attacker may take control of the device.\","                                        \
	"\"countermeasures\":\"**Update the software**\\n\\nApply the latest version, following the information "   \
	"from the developer.\",\"workarounds\":\"\",\"contact\":\"Ask the developer's contact.\"}},"

/* A published case: its report, its vulnerability, its vendors, its advisory. */
struct published {
	int days_ago;         /* when it was reported (the clock set back) */
	const char *report;   /* the finder's report (docs/api/reports.md) */
	const char *title, *summary, *detail; /* the case */
	const char *vuln;     /* the vulnerability (kk_case_vuln_update) */
	int vendors;          /* which of the demo's vendors: bits of enum who */
	const char *advisory; /* the advisory's content (kk_advisory_save) */
};

enum who { SD = 1, EX = 2, TOA = 4, OPENCAM = 8 };

static const struct published published[] = {
	{ 120,
	  "{\"kind\":\"product\",\"finder\":{\"name\":\"鈴木 一\",\"email\":\"hajime@example.jp\"},"
	  "\"consent\":{\"share_identity\":false,\"direct_contact\":false,\"credit\":true,\"credit_name\":\"鈴木 一\"},"
	  "\"product\":{\"vendor\":\"サンプル電機\",\"name\":\"SD-Camera\",\"version\":\"1.8\"},"
	  "\"details\":{\"summary\":\"管理画面のクロスサイトリクエストフォージェリ\",\"environment\":\"SD-Camera 1.8\","
	  "\"steps\":\"（非公開）\",\"result\":\"設定が変更される\"},"
	  "\"other_reports\":{\"reported_elsewhere\":false,\"vendor_told_directly\":false},"
	  "\"wants_final_result\":true,\"encrypted_contact\":false}",
	  "SDカメラの管理画面におけるクロスサイトリクエストフォージェリの脆弱性",
	  "SDカメラ 1.8 以前の管理画面に CSRF の脆弱性があります。", "（非公開の再現手順）",
	  "{\"description\":\"管理画面に CSRF 対策がない\",\"cwe\":352,"
	  "\"cvss3\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N\"}",
	  SD,
	  TEXTS("SDカメラにおけるクロスサイトリクエストフォージェリの脆弱性",
		"サンプル電機が提供する SDカメラには、クロスサイトリクエストフォージェリの脆弱性が存在します。",
		"SD-Camera vulnerable to cross-site request forgery",
		"SD-Camera provided by Sample Denki contains a cross-site request forgery vulnerability.", "SD-Camera")
	  "\"cvss3\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N\",\"cwes\":[352],"
	  "\"references\":[{\"title\":\"サンプル電機 セキュリティ情報\",\"url\":\"https://sample-denki.example/security/\"}]}" },
	{ 90,
	  "{\"kind\":\"product\",\"finder\":{\"name\":\"Carol\",\"email\":\"carol@example.org\"},"
	  "\"consent\":{\"share_identity\":true,\"direct_contact\":false,\"credit\":true,\"credit_name\":\"Carol Researcher\"},"
	  "\"product\":{\"vendor\":\"Toa Camera Module\",\"name\":\"TCM-100 camera module\",\"version\":\"3.2\"},"
	  "\"details\":{\"summary\":\"Stack overflow in the RTSP server of a camera module\",\"environment\":\"TCM-100 3.2\","
	  "\"steps\":\"(withheld)\",\"result\":\"The module restarts; code execution is likely\"},"
	  "\"other_reports\":{\"reported_elsewhere\":false,\"vendor_told_directly\":false},"
	  "\"wants_final_result\":true,\"encrypted_contact\":false}",
	  "カメラモジュール TCM-100 の RTSP サーバにおけるバッファオーバーフロー",
	  "TCM-100 を組み込んだ複数社のカメラに影響するスタックバッファオーバーフロー。", "（非公開の再現手順）",
	  "{\"description\":\"RTSP の要求行の長さを検査していない\",\"cwe\":121,"
	  "\"cvss3\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}",
	  SD | EX | TOA | OPENCAM,
	  TEXTS("複数のネットワークカメラで使われているカメラモジュール TCM-100 にバッファオーバーフローの脆弱性",
		"東亜カメラモジュールが提供するカメラモジュール TCM-100 の RTSP サーバには、スタックベースのバッファ"
		"オーバーフローの脆弱性が存在します。このモジュールは複数の開発者のネットワークカメラに組み込まれています。",
		"Camera module TCM-100 used in multiple network cameras vulnerable to buffer overflow",
		"The RTSP server of the camera module TCM-100 provided by Toa Camera Module contains a stack-based buffer "
		"overflow. The module is built into network cameras of several developers.", "TCM-100")
	  "\"cvss3\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\",\"cwes\":[121]}" },
	{ 70,
	  "{\"kind\":\"product\",\"finder\":{\"name\":\"田中 花子\",\"email\":\"hanako@example.jp\"},"
	  "\"consent\":{\"share_identity\":false,\"direct_contact\":false,\"credit\":false},"
	  "\"product\":{\"vendor\":\"サンプル電機\",\"name\":\"SD-Recorder\",\"version\":\"4.0\"},"
	  "\"details\":{\"summary\":\"録画一覧のパストラバーサル\",\"environment\":\"SD-Recorder 4.0\","
	  "\"steps\":\"（非公開）\",\"result\":\"任意のファイルを読める\"},"
	  "\"other_reports\":{\"reported_elsewhere\":false,\"vendor_told_directly\":false},"
	  "\"wants_final_result\":false,\"encrypted_contact\":false}",
	  "SDレコーダーの録画一覧におけるパストラバーサル", "SDレコーダー 4.0 で任意のファイルを読み取られる。",
	  "（非公開の再現手順）",
	  "{\"description\":\"録画ファイル名の検査が不十分\",\"cwe\":22,"
	  "\"cvss3\":\"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N\"}",
	  SD,
	  TEXTS("SDレコーダーにおけるパストラバーサルの脆弱性",
		"サンプル電機が提供する SDレコーダーには、パストラバーサルの脆弱性が存在します。",
		"SD-Recorder vulnerable to path traversal",
		"SD-Recorder provided by Sample Denki contains a path traversal vulnerability.", "SD-Recorder")
	  "\"cvss3\":\"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N\",\"cwes\":[22]}" },
};

/* An affected vendor's work: it asks for the detail, finds it affected,
 * fixes it and says so (SPEC 2.7, 2.11). */
static int vendor_fixes(struct kk_store *s, const struct kk_user *u, const char *ref, struct kk_error *err)
{
	json_t *out = NULL;

	if (kk_case_get(s, u, ref, &out, err))
		return 1;
	json_decref(out);
	return demo_change(s, kk_case_answer, u, ref, json_pack("{s:s}", "answer", "send_detail"), err) ||
	       demo_change(s, kk_case_status_set, u, ref,
			   json_pack("{s:i, s:s}", "vulnerability", 1, "status", "investigating"), err) ||
	       demo_change(s, kk_case_status_set, u, ref,
			   json_pack("{s:i, s:s, s:[s]}", "vulnerability", 1, "status", "affected", "fixed_versions",
				     "2.0"),
			   err) ||
	       demo_change(s, kk_case_status_set, u, ref, json_pack("{s:i, s:s}", "vulnerability", 1, "status", "fixed"),
			   err) ||
	       demo_change(s, kk_case_statement_put, u, ref,
			   json_pack("{s:s, s:s}", "ja", "修正版を公開しました。更新をお願いします。", "en",
				     "A fixed version is available. Please update."),
			   err);
}

/* A vendor whose products do not have it (R §5.1.2). */
static int vendor_not_affected(struct kk_store *s, const struct kk_user *u, const char *ref, struct kk_error *err)
{
	json_t *out = NULL;

	if (kk_case_get(s, u, ref, &out, err))
		return 1;
	json_decref(out);
	return demo_change(s, kk_case_answer, u, ref,
			   json_pack("{s:s, s:s}", "answer", "not_applicable", "reason",
				     "Our cameras use another module."),
			   err);
}

/* The coordinator sets the date keikai proposed at day 0 (SPEC 2.8). */
static int set_proposed_date(struct kk_store *s, const struct kk_user *coord, const char *ref, struct kk_error *err)
{
	json_t *d = NULL;
	char day[16];
	int rc;

	if (kk_case_date_get(s, coord, ref, &d, err))
		return 1;
	kk_day_format(kk_day_of_time(json_integer_value(json_object_get(d, "proposed_at"))), day);
	json_decref(d);
	rc = demo_change(s, kk_case_date_set, coord, ref,
			 json_pack("{s:s, s:s}", "date", day, "reason", "提案どおりの日付で合意しました。"), err);
	return rc;
}

/* kk_case_vuln_update of the case's first vulnerability, and the flow's
 * "approve", in the shape of demo_change. */
static enum kk_result vuln_1(struct kk_store *s, const struct kk_user *u, const char *ref, const json_t *body,
			     json_t **out, struct kk_error *err)
{
	return kk_case_vuln_update(s, u, ref, 1, body, out, err);
}

static enum kk_result approve(struct kk_store *s, const struct kk_user *u, const char *ref, const json_t *body,
			      json_t **out, struct kk_error *err)
{
	return kk_advisory_event(s, u, ref, "approve", body, out, err);
}

/* Case p from its report to an approved advisory, at the clock of its days. */
static int one_case(struct kk_store *s, const struct published *p, const struct demo_advisory_from *from,
		    char ref[KK_CASE_REF_MAX], struct kk_error *err)
{
	const int64_t vendor_ids[] = { from->sample_denki, from->example_corp, from->toa, from->opencam };
	struct kk_decision accept = { 1, KK_REJECT_NONE, NULL };
	char tid[24], secret[KK_TOKEN_MAX];
	json_t *ids = json_array(), *out = NULL, *body = NULL;
	int rc = 1;

	kk_clock_set((int64_t)time(NULL) - (int64_t)p->days_ago * DAY);
	if (!ids || demo_submit(s, p->report, tid, secret, err) ||
	    kk_report_decide(s, from->intake, tid, &accept, NULL, err))
		goto out;
	body = json_pack("{s:[s], s:s, s:s, s:s}", "reports", tid, "title", p->title, "summary", p->summary, "detail",
			 p->detail);
	if (!body || kk_case_open(s, from->coord, body, &out, err))
		goto out;
	snprintf(ref, KK_CASE_REF_MAX, "%s", json_string_value(json_object_get(out, "id")));
	if (demo_change(s, vuln_1, from->coord, ref, json_loads(p->vuln, 0, NULL), err))
		goto out;
	for (size_t i = 0; i < sizeof(vendor_ids) / sizeof(vendor_ids[0]); i++) {
		if (!(p->vendors & (1 << i)))
			continue;
		if (demo_change(s, kk_case_vendor_add, from->coord, ref,
				json_pack("{s:I}", "vendor_id", (json_int_t)vendor_ids[i]), err) ||
		    json_array_append_new(ids, json_integer(vendor_ids[i])))
			goto out;
	}
	if (demo_change(s, kk_case_notify, from->coord, ref, json_pack("{s:O}", "vendor_ids", ids), err))
		goto out;
	/* SPEC 2.11: サンプル電機 and Toa fix it, Example Corp is not affected,
	 * OpenCam never answers ("no response" on the advisory) */
	if (((p->vendors & SD) && vendor_fixes(s, from->sd, ref, err)) ||
	    ((p->vendors & TOA) && vendor_fixes(s, from->toa_user, ref, err)) ||
	    ((p->vendors & EX) && vendor_not_affected(s, from->ex, ref, err)) ||
	    set_proposed_date(s, from->coord, ref, err) ||
	    demo_change(s, kk_advisory_save, from->coord, ref, json_loads(p->advisory, 0, NULL), err) ||
	    demo_change(s, approve, from->coord, ref, json_object(), err))
		goto out;
	rc = 0;
out:
	json_decref(out);
	json_decref(body);
	json_decref(ids);
	return rc;
}

/* The advisory of the demo case, approved for its date to come: under embargo. */
static const char embargoed[] =
	TEXTS("SDカメラに全製品共通の root パスワードが存在する問題",
	      "サンプル電機が提供する SDカメラのファームウェアには、全製品共通の root パスワードが存在します。",
	      "SD-Camera uses a hard-coded root password",
	      "The firmware of SD-Camera provided by Sample Denki contains a root password common to every unit.",
	      "SD-Camera")
	"\"cvss3\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\",\"cwes\":[798]}";

/* The scheduler's tick one minute after case ref's agreed minute: the date is
 * reached and the advisory published then, as `keikai serve` would have. */
static int tick_at_date(struct kk_store *s, const struct kk_user *coord, const char *ref, struct kk_error *err)
{
	json_t *d = NULL, *out = NULL;
	int rc = kk_case_date_get(s, coord, ref, &d, err) != KK_OK;

	if (!rc) {
		kk_clock_set(json_integer_value(json_object_get(d, "publication_at")) + 60);
		rc = kk_tick(s, &out, err) != KK_OK;
	}
	json_decref(out);
	json_decref(d);
	return rc;
}

int demo_advisories(struct kk_store *s, const struct demo_advisory_from *from, struct kk_error *err)
{
	char refs[sizeof(published) / sizeof(published[0])][KK_CASE_REF_MAX];
	size_t n = sizeof(published) / sizeof(published[0]);
	int rc = 0;

	for (size_t i = 0; !rc && i < n; i++)
		rc = one_case(s, &published[i], from, refs[i], err);
	/* the dates come in the order of the cases: each published on its minute */
	for (size_t i = 0; !rc && i < n; i++)
		rc = tick_at_date(s, from->coord, refs[i], err);
	kk_clock_set((int64_t)time(NULL));
	if (!rc)
		rc = demo_change(s, kk_advisory_save, from->coord, from->embargo_ref, json_loads(embargoed, 0, NULL), err) ||
		     demo_change(s, approve, from->coord, from->embargo_ref, json_object(), err);
	return rc;
}
