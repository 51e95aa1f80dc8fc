/*
 * cmd_demo.c: `keikai demo --db ADDRESS` fills a fresh database with the parties of
 * a small partnership (receiving organisation, coordinator, two vendors, a web-site
 * operator, a committee member, an administrator), the two vendors in the vendor
 * registry with their contacts and products, a few reports in each state, and a
 * case with vendors in several states (demo_case.c), through the same core calls
 * the server uses. Prints the demo logins. docs/cli/demo.md is the manual.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "demo_case.h"
#include "keikai/account.h"
#include "keikai/case.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "keikai/vendor.h"

#define DEMO_PASSWORD "keikai-demo"

/* The vendors of the demo's product reports, in the registry (SPEC 2.5), each
 * with its primary e-mail contact, listed publicly (G IV.4.1), and a product. */
static const struct {
	const char *vendor, *product;
} vendors[] = {
	{ "{\"name_en\":\"Example Corp\",\"country\":\"US\",\"website\":\"https://example-corp.example/\","
	  "\"listed_publicly\":true,\"accepts_direct_reports\":true,\"intake_email\":\"psirt@example-corp.example\","
	  "\"preferred_lang\":\"en\",\"contacts\":[{\"channel\":\"email\",\"value\":\"psirt@example-corp.example\","
	  "\"department\":\"Product Security\",\"is_primary\":true},"
	  "{\"channel\":\"web_form\",\"value\":\"https://example-corp.example/security/report\"}]}",
	  "{\"name_en\":\"Example Router\",\"cpe\":\"cpe:2.3:h:example:example_router:*:*:*:*:*:*:*:*\","
	  "\"product_type\":\"network_device\",\"versions\":\"1.0 - 1.2.3\"}" },
	{ "{\"name_ja\":\"サンプル電機\",\"name_en\":\"Sample Denki\",\"aliases\":[\"サンプル電機株式会社\"],"
	  "\"country\":\"JP\",\"website\":\"https://sample-denki.example/\",\"listed_publicly\":true,"
	  "\"preferred_lang\":\"ja\",\"contacts\":[{\"channel\":\"email\",\"value\":\"psirt@sample-denki.example\","
	  "\"department\":\"品質保証部 PSIRT\",\"is_primary\":true},"
	  "{\"channel\":\"phone\",\"value\":\"+81-3-0000-0000\",\"department\":\"品質保証部\"}]}",
	  "{\"name_ja\":\"SDカメラ\",\"name_en\":\"SD-Camera\","
	  "\"cpe\":\"cpe:2.3:h:sample_denki:sd-camera:*:*:*:*:*:*:*:*\",\"product_type\":\"iot_device\","
	  "\"versions\":\"firmware 1.x, 2.0\"}" },
};

/* vendor: 1 + the index in vendors[] of the vendor the organisation belongs to, 0 none */
static const struct {
	const char *org, *role, *email, *name;
	int vendor;
} people[] = {
	{ "IPA", "intake", "intake@ipa.example", "受付 花子", 0 },
	{ "JPCERT/CC", "coordinator", "coordinator@jpcert.example", "調整 一郎", 0 },
	{ "Example Corp", "vendor", "psirt@example-corp.example", "Example PSIRT", 1 },
	{ "サンプル電機", "vendor", "psirt@sample-denki.example", "サンプル電機 PSIRT", 2 },
	{ "Example Shop", "operator", "webmaster@shop.example", "Shop Webmaster", 0 },
	{ "公表判定委員会", "committee", "committee@ipa.example", "委員 三郎", 0 },
	{ "IPA", "admin", "admin@ipa.example", "Administrator", 0 },
};

/* Registers the demo's vendors with their products; ids[i] gets vendors[i]'s id. */
static int add_vendors(struct kk_store *s, int64_t *ids, struct kk_error *err)
{
	for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++) {
		json_t *vendor = json_loads(vendors[i].vendor, 0, NULL), *product = json_loads(vendors[i].product, 0, NULL);
		int rc = !vendor || !product ? (kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory.")), 1)
					    : kk_vendor_add(s, &cli_system, vendor, &ids[i], err) ||
						      kk_product_add(s, &cli_system, ids[i], product, NULL, err);

		json_decref(vendor);
		json_decref(product);
		if (rc)
			return 1;
	}
	return 0;
}

static const char *const reports[] = {
	"{\"kind\":\"product\",\"finder\":{\"name\":\"山田 太郎\",\"email\":\"taro@example.jp\"},"
	"\"consent\":{\"share_identity\":false,\"direct_contact\":false,\"credit\":true,\"credit_name\":\"Taro Yamada\"},"
	"\"product\":{\"vendor\":\"Example Corp\",\"name\":\"Example Router\",\"version\":\"1.2.3\"},"
	"\"details\":{\"summary\":\"管理画面にOSコマンドインジェクション\",\"environment\":\"Example Router 1.2.3 初期設定\","
	"\"steps\":\"1. 管理画面にログイン\\n2. ping 診断のホスト欄に ;id を入力\",\"result\":\"id コマンドの結果が表示される\","
	"\"cvss_vector\":\"CVSS:3.1/AV:A/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H\"},"
	"\"other_reports\":{\"reported_elsewhere\":false,\"vendor_told_directly\":false},"
	"\"wants_final_result\":true,\"encrypted_contact\":false}",

	"{\"kind\":\"product\",\"finder\":{\"name\":\"Alice Finder\",\"email\":\"alice@example.org\"},"
	"\"consent\":{\"share_identity\":true,\"direct_contact\":true,\"credit\":false},"
	"\"product\":{\"vendor\":\"サンプル電機\",\"name\":\"SD-Camera\",\"version\":\"2.0\"},"
	"\"details\":{\"summary\":\"Hard-coded credentials in the firmware\",\"environment\":\"SD-Camera firmware 2.0\","
	"\"steps\":\"Extract the firmware and read /etc/shadow.\",\"result\":\"A fixed root password works on every unit.\"},"
	"\"other_reports\":{\"reported_elsewhere\":true,\"to_whom\":\"CERT/CC\",\"vendor_told_directly\":true,"
	"\"coordinated_by\":\"receiving_org\"},\"wants_final_result\":true,\"encrypted_contact\":false}",

	"{\"kind\":\"website\",\"finder\":{\"name\":\"佐藤 次郎\",\"email\":\"jiro@example.jp\"},"
	"\"consent\":{\"share_identity\":false,\"direct_contact\":false,\"credit\":false},"
	"\"website\":{\"url\":\"https://shop.example/search\"},"
	"\"details\":{\"summary\":\"検索ページにクロスサイトスクリプティング\",\"environment\":\"Chromium 最新版\","
	"\"steps\":\"検索語に <script> を含めて検索する\",\"result\":\"スクリプトが実行される\"},"
	"\"other_reports\":{\"reported_elsewhere\":false,\"vendor_told_directly\":false},"
	"\"wants_final_result\":false,\"encrypted_contact\":false}",

	"{\"kind\":\"product\",\"finder\":{\"name\":\"Bob\",\"email\":\"bob@example.net\"},"
	"\"consent\":{\"share_identity\":false,\"direct_contact\":false,\"credit\":false},"
	"\"product\":{\"name\":\"Unknown Gadget\"},"
	"\"details\":{\"summary\":\"It crashes sometimes\",\"environment\":\"?\",\"steps\":\"Use it.\",\"result\":\"Crash.\"},"
	"\"other_reports\":{\"reported_elsewhere\":false,\"vendor_told_directly\":false},"
	"\"wants_final_result\":false,\"encrypted_contact\":false}",
};

int demo_submit(struct kk_store *s, const char *text, char *tracking_id, char *secret, struct kk_error *err)
{
	struct kk_report r;
	json_t *body = json_loads(text, 0, NULL);
	int rc;

	rc = kk_report_from_json(body, &r, err) || kk_report_submit(s, &r, secret, err);
	if (!rc)
		snprintf(tracking_id, 24, "%s", r.tracking_id);
	kk_report_release(&r);
	json_decref(body);
	return rc;
}

static int demo(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	char ids[sizeof(reports) / sizeof(reports[0])][24];
	char secrets[sizeof(reports) / sizeof(reports[0])][KK_TOKEN_MAX];
	enum kk_lang ui = kk_i18n_current();
	struct kk_user intake = { 0 };
	int64_t vendor_ids[sizeof(vendors) / sizeof(vendors[0])] = { 0 };
	struct kk_store *s;
	struct kk_decision accept = { 1, KK_REJECT_NONE, NULL };
	struct kk_decision reject = { 0, KK_REJECT_INCOMPLETE, "再現手順と環境をもう少し詳しくお知らせください。" };
	/* SPEC 2.3: the camera's fixed root password, used in many plants, is high impact */
	struct kk_assessment camera = { "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
					 { KK_USERS_MANY, KK_ANSWER_YES, KK_ANSWER_NO } };
	struct demo_case_from from;
	struct demo_advisory_from adv;
	struct kk_user coord = { 0 }, sd = { 0 }, ex = { 0 }, toa = { 0 };
	int64_t more[2] = { 0, 0 };
	char ref[KK_CASE_REF_MAX] = "";
	int rc = 1;

	s = cli_open(a);
	if (!s)
		return 1;
	/* Finders of the demo wrote in Japanese; what is printed is in the user's language. */
	kk_i18n_use(KK_LANG_JA);
	if (add_vendors(s, vendor_ids, &err))
		goto fail;
	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		enum kk_role role = KK_ROLE_NONE;
		int64_t vendor_id = people[i].vendor ? vendor_ids[people[i].vendor - 1] : 0;

		kk_role_parse(people[i].role, &role);
		/* a vendor user's organisation belongs to its vendor (issue 8) */
		if (kk_user_add(s, people[i].org, role, people[i].email, people[i].name, DEMO_PASSWORD, vendor_id, NULL,
				&err))
			goto fail;
	}
	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
		if (demo_submit(s, reports[i], ids[i], secrets[i], &err))
			goto fail;
	if (kk_user_by_email(s, "intake@ipa.example", &intake, &err) ||
	    kk_report_decide(s, &intake, ids[0], &accept, NULL, &err) ||
	    kk_report_decide(s, &intake, ids[3], &reject, NULL, &err) ||
	    kk_report_assess(s, &intake, ids[1], &camera, NULL, &err) ||
	    kk_report_decide(s, &intake, ids[1], &accept, NULL, &err))
		goto fail;
	/* issue 9: the camera's report becomes a case under way; the router's stays free */
	from = (struct demo_case_from){ ids[1], secrets[1], vendor_ids[0], vendor_ids[1], DEMO_PASSWORD };
	if (demo_case(s, &from, ref, sizeof(ref), more, &err))
		goto fail;
	/* issue 12: three advisories published on the portal, the case's under embargo */
	if (kk_user_by_email(s, "coordinator@jpcert.example", &coord, &err) ||
	    kk_user_by_email(s, "psirt@sample-denki.example", &sd, &err) ||
	    kk_user_by_email(s, "psirt@example-corp.example", &ex, &err) ||
	    kk_user_by_email(s, demo_case_login[1], &toa, &err))
		goto fail;
	adv = (struct demo_advisory_from){ &intake, &coord, &sd, &ex, &toa, vendor_ids[1], vendor_ids[0],
					   more[0], more[1], ref };
	if (demo_advisories(s, &adv, &err))
		goto fail;
	kk_i18n_use(ui);
	printf(_("demo logins (password \"%s\" for every one):\n"), DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++)
		printf("  %-12s %-28s %s\n", people[i].role, people[i].email, people[i].org);
	printf("  %-12s %-28s %s\n", demo_case_login[0], demo_case_login[1], demo_case_login[2]);
	printf("%s\n", _("demo reports:"));
	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
		printf(_("  report %s  status page /r/%s\n"), ids[i], secrets[i]);
	/* both product reports accepted: the coordinator finds their vendors (SPEC 2.5) */
	printf(_("  %s and %s accepted (%s assessed as high impact), %s rejected (incomplete); the other waits\n"),
	       ids[0], ids[1], ids[1], ids[3]);
	/* SPEC 2.4-2.7: the case of the camera's report, its vendors in four states */
	printf(_("  case %s opened from %s: one vendor fixed, one not affected, one investigating, one notified\n"),
	       ref, ids[1]);
	/* issue 12: the portal */
	printf(_("  three advisories published on /advisories/ (one of four vendors, one of them \"no response\"); "
		 "the advisory of %s approved, under embargo until its date\n"),
	       ref);
	rc = 0;
	goto out;
fail:
	kk_i18n_use(ui);
	rc = cli_fail(a->name, &err);
out:
	kk_user_release(&intake);
	kk_user_release(&coord);
	kk_user_release(&sd);
	kk_user_release(&ex);
	kk_user_release(&toa);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

const struct cli_command cmd_demo = {
	.name = "demo",
	.run = demo,
	.flags = CLI_DB,
	.summary = N_("fill a database with demo data"),
	.description = N_("Adds demo organisations, users and reports to a database made by keikai init,\n"
			  "and prints the demo logins."),
};
