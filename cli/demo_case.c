/*
 * demo_case.c: the case of `keikai demo` (issue 9; SPEC 2.4-2.7, 2.13, G IV.4-5),
 * made from the demo's accepted SD-Camera report through the same core calls
 * (include/keikai/case.h) the server makes, so the demo shows a case under way:
 * two more vendors in the registry (the maker of the camera's module, with a
 * user, and an open-source firmware project), the case with its vulnerability
 * described and scored, four vendors notified in one action (SPEC 2.6) and left
 * in different states -- サンプル電機 affected, then fixed, with a
 * countermeasure and a statement; Example Corp "not applicable" with its
 * reason; the module maker investigating, asking for the finder's environment
 * (G IV.5.5) and naming another vendor; the firmware project only notified --
 * and messages in the coordinator's threads with the vendors and with the
 * finder, who asks for progress from the status page (SPEC 2.13); and its
 * publication date agreed (demo_date.c, issue 10). The demo's
 * other accepted report (Example Router) stays out of any case, for a user to
 * walk from report to "fixed". docs/cli/demo.md is the manual.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "demo_case.h"
#include "keikai/account.h"
#include "keikai/case.h"
#include "keikai/vendor.h"

const char *const demo_case_login[3] = { "vendor", "psirt@toa-camera.example", "東亜カメラモジュール" };

/* The two vendors the case adds to the registry (SPEC 2.5), each with its
 * primary e-mail contact, which the summary notice goes to. */
static const char *const more_vendors[] = {
	"{\"name_ja\":\"東亜カメラモジュール\",\"name_en\":\"Toa Camera Module\",\"country\":\"JP\","
	"\"website\":\"https://toa-camera.example/\",\"preferred_lang\":\"ja\",\"contacts\":[{\"channel\":\"email\","
	"\"value\":\"psirt@toa-camera.example\",\"department\":\"品質保証部\",\"is_primary\":true}]}",
	"{\"name_en\":\"OpenCam Firmware Project\",\"country\":\"US\",\"website\":\"https://opencam-firmware.example/\","
	"\"preferred_lang\":\"en\",\"contacts\":[{\"channel\":\"email\",\"value\":\"security@opencam-firmware.example\","
	"\"is_primary\":true}]}",
};

int demo_change(struct kk_store *s, demo_case_change fn, const struct kk_user *u, const char *ref, json_t *body,
		struct kk_error *err)
{
	json_t *out = NULL;
	int rc;

	if (!body)
		return kk_error_nomem(err), 1;
	rc = fn(s, u, ref, body, &out, err) != KK_OK;
	json_decref(out);
	json_decref(body);
	return rc;
}

/* A vendor's user reads the case (its first read marks the summary read) and answers (R §5.1.2). */
static int read_and_answer(struct kk_store *s, const struct kk_user *u, const char *ref, json_t *answer,
			   struct kk_error *err)
{
	json_t *out = NULL;

	if (kk_case_get(s, u, ref, &out, err)) {
		json_decref(answer);
		return 1;
	}
	json_decref(out);
	return demo_change(s, kk_case_answer, u, ref, answer, err);
}

static json_t *text(const char *json)
{
	return json_loads(json, 0, NULL);
}

/* The vendor whose user takes a step of vendor_steps. */
enum demo_vendor { BY_SD, BY_EX, BY_TOA };

/* A step of the vendors' work: fn on the case as the vendor's user, with the
 * JSON body; fn NULL: the user reads the case, then answers with the body. */
struct demo_step {
	demo_case_change fn;
	enum demo_vendor by;
	const char *body;
};

/* The vendors' work after サンプル電機 has asked for the detail and the
 * coordinator has written to it (SPEC 2.7, G IV.5), in order. */
static const struct demo_step vendor_steps[] = {
	{ kk_case_status_set, BY_SD,
	  "{\"vulnerability\":1,\"status\":\"investigating\",\"note\":\"社内で再現を確認中です。\"}" },
	{ kk_case_status_set, BY_SD,
	  "{\"vulnerability\":1,\"status\":\"affected\",\"fixed_versions\":[\"2.0.1\"],"
	  "\"note\":\"ファームウェア 1.x と 2.0 で再現しました。2.0.1 で修正します。\"}" },
	/* the same vulnerability and product as the fixed version of the status: replaces it */
	{ kk_case_countermeasure_put, BY_SD,
	  "{\"vulnerability\":1,\"fixed_versions\":[\"2.0.1\"],"
	  "\"urls\":[\"https://sample-denki.example/security/sd-camera-2026-01\"],"
	  "\"workaround_ja\":\"修正版を適用するまで、カメラをインターネットから直接到達できない"
	  "ネットワークに置いてください。\",\"workaround_en\":\"Until the fix is applied, keep the "
	  "camera on a network that cannot be reached directly from the Internet.\"}" },
	{ kk_case_status_set, BY_SD,
	  "{\"vulnerability\":1,\"status\":\"fixed\",\"note\":\"ファームウェア 2.0.1 を公開しました。\"}" },
	{ kk_case_statement_put, BY_SD,
	  "{\"ja\":\"本脆弱性を修正したファームウェア 2.0.1 を公開しました。速やかな更新をお願いします。\","
	  "\"en\":\"Firmware 2.0.1, which fixes this vulnerability, is available. Please update "
	  "promptly.\"}" },
	{ kk_case_message_post, BY_SD,
	  "{\"thread\":\"vendor\",\"body\":\"修正版 2.0.1 を公開しました。公表日のご相談をさせてください。\"}" },
	{ NULL, BY_EX,
	  "{\"answer\":\"not_applicable\",\"reason\":\"Example Router does not use the "
	  "SD-Camera firmware or any part of it.\"}" },
	{ NULL, BY_TOA, "{\"answer\":\"send_detail\"}" },
	{ kk_case_status_set, BY_TOA,
	  "{\"vulnerability\":1,\"status\":\"investigating\",\"note\":\"当社モジュールの出荷時設定を"
	  "調査しています。\"}" },
	/* G IV.5.5: a vendor that cannot reproduce asks for the environment behind the report */
	{ kk_case_message_post, BY_TOA,
	  "{\"thread\":\"vendor\",\"kind\":\"environment_request\",\"body\":\"当社の評価機では"
	  "再現できていません。発見者が使ったファームウェアの入手経路と型番を教えてください。\"}" },
	/* SPEC 2.7: other vendors whose products are likely affected */
	{ kk_case_suggest, BY_TOA, "{\"name\":\"北光学\",\"note\":\"同じモジュールを自社のカメラに組み込んでいます。\"}" },
};

/* The case's vendors' work, each as its own user (SPEC 2.7, G IV.5). */
static int vendors_answer(struct kk_store *s, const struct kk_user *coord, const struct kk_user *sd,
			  const struct kk_user *ex, const struct kk_user *toa, int64_t sd_id, const char *ref,
			  struct kk_error *err)
{
	const struct kk_user *by[] = { [BY_SD] = sd, [BY_EX] = ex, [BY_TOA] = toa };

	if (read_and_answer(s, sd, ref, text("{\"answer\":\"send_detail\"}"), err) ||
	    demo_change(s, kk_case_message_post, coord, ref,
		   json_pack("{s:s, s:I, s:s}", "thread", "vendor", "vendor_id", (json_int_t)sd_id, "body",
			     "詳細情報を開示しました。再現の可否と、修正の見込みをお知らせください。"),
		   err))
		return 1;
	for (size_t i = 0; i < sizeof(vendor_steps) / sizeof(vendor_steps[0]); i++) {
		const struct demo_step *st = &vendor_steps[i];

		if (st->fn ? demo_change(s, st->fn, by[st->by], ref, text(st->body), err)
			   : read_and_answer(s, by[st->by], ref, text(st->body), err))
			return 1;
	}
	return 0;
}

int demo_case(struct kk_store *s, const struct demo_case_from *from, char *ref, size_t size, int64_t more[2],
	      struct kk_error *err)
{
	struct kk_user coord = { 0 }, sd = { 0 }, ex = { 0 }, toa = { 0 };
	json_t *body = NULL, *out = NULL;
	const char *id;
	int rc = 1;

	for (size_t i = 0; i < sizeof(more_vendors) / sizeof(more_vendors[0]); i++) {
		json_t *v = json_loads(more_vendors[i], 0, NULL);
		enum kk_result res = v ? kk_vendor_add(s, &cli_system, v, &more[i], err) : kk_error_nomem(err);

		json_decref(v);
		if (res)
			goto out;
	}
	/* the module maker's PSIRT keeps its own standing in the case */
	if (kk_user_add(s, demo_case_login[2], KK_ROLE_VENDOR, demo_case_login[1], "東亜カメラモジュール PSIRT",
			from->password, more[0], NULL, err) ||
	    kk_user_by_email(s, "coordinator@jpcert.example", &coord, err) ||
	    kk_user_by_email(s, "psirt@sample-denki.example", &sd, err) ||
	    kk_user_by_email(s, "psirt@example-corp.example", &ex, err) || kk_user_by_email(s, demo_case_login[1], &toa, err))
		goto out;

	/* SPEC 2.4: the coordinator opens the case from the accepted report */
	body = json_pack("{s:[s], s:s, s:s, s:s}", "reports", from->tracking_id, "title",
			 "SDカメラのファームウェアに全製品共通の root パスワード", "summary",
			 "SDカメラ（ファームウェア 1.x、2.0）に、全製品共通の固定 root パスワードが存在します。"
			 "ネットワーク経由で機器を制御される可能性があります。",
			 "detail",
			 "ファームウェアイメージを展開すると、/etc/shadow に全製品共通の root パスワードのハッシュが"
			 "含まれており、その平文は公開されている辞書で求まります。telnet（既定で有効）からこの"
			 "パスワードで root としてログインできます。発見者の検証環境: SDカメラ ファームウェア 2.0。");
	if (!body) {
		kk_error_nomem(err);
		goto out;
	}
	if (kk_case_open(s, &coord, body, &out, err))
		goto out;
	id = json_string_value(json_object_get(out, "id"));
	snprintf(ref, size, "%s", id ? id : "");
	json_decref(out);
	out = NULL;
	json_decref(body);
	body = json_pack("{s:s, s:i, s:s, s:[{s:s, s:s, s:s, s:I}]}", "description",
			 "全製品共通の固定 root パスワード（CWE-798）により、telnet 経由で root 権限を取得される。",
			 "cwe", 798, "cvss3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "products", "name", "SD-Camera",
			 "cpe", "cpe:2.3:h:sample_denki:sd-camera:*:*:*:*:*:*:*:*", "versions", "firmware 1.x, 2.0",
			 "vendor_id", (json_int_t)from->sample_denki);
	if (!body) {
		kk_error_nomem(err);
		goto out;
	}
	if (kk_case_vuln_update(s, &coord, ref, 1, body, &out, err))
		goto out;

	/* SPEC 2.6: four vendors on the case, notified in one action (day 0) */
	if (demo_change(s, kk_case_vendor_add, &coord, ref, json_pack("{s:I}", "vendor_id", (json_int_t)from->sample_denki),
		   err) ||
	    demo_change(s, kk_case_vendor_add, &coord, ref, json_pack("{s:I}", "vendor_id", (json_int_t)from->example_corp),
		   err) ||
	    demo_change(s, kk_case_vendor_add, &coord, ref, json_pack("{s:I}", "vendor_id", (json_int_t)more[0]), err) ||
	    demo_change(s, kk_case_vendor_add, &coord, ref, json_pack("{s:I}", "vendor_id", (json_int_t)more[1]), err) ||
	    demo_change(s, kk_case_notify, &coord, ref,
		   json_pack("{s:[I, I, I, I]}", "vendor_ids", (json_int_t)from->sample_denki,
			     (json_int_t)from->example_corp, (json_int_t)more[0], (json_int_t)more[1]),
		   err))
		goto out;
	if (vendors_answer(s, &coord, &sd, &ex, &toa, from->sample_denki, ref, err) ||
	    demo_case_date(s, &coord, &sd, &toa, ref, err))
		goto out;

	/* SPEC 2.13: the finder asks for progress from the status page; the
	 * coordinator answers (the finder consented to pass on their identity) */
	json_decref(out);
	out = NULL;
	json_decref(body);
	body = text("{\"body\":\"その後の進捗を教えていただけますか。\",\"question\":true}");
	if (!body) {
		kk_error_nomem(err);
		goto out;
	}
	if (kk_case_finder_post(s, from->secret, body, &out, err) ||
	    demo_change(s, kk_case_message_post, &coord, ref,
		   text("{\"thread\":\"finder\",\"finder\":\"Finder A\",\"body\":\"製品開発者が修正版を公開しました。"
			"公表日が決まりましたらお知らせします。\"}"),
		   err))
		goto out;
	rc = 0;
out:
	json_decref(out);
	json_decref(body);
	kk_user_release(&coord);
	kk_user_release(&sd);
	kk_user_release(&ex);
	kk_user_release(&toa);
	return rc;
}
