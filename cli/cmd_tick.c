/*
 * cmd_tick.c: `keikai tick` runs every clock of the scheduler once (SPEC 8;
 * schedule.h kk_tick), for cron, and prints what fired. Running it twice sends
 * nothing twice; a run that was missed catches up. docs/cli/tick.md is the
 * manual.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "keikai/i18n.h"
#include "keikai/schedule.h"
#include "keikai/util.h"

static int tick(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = cli_open(a);
	json_t *out = NULL, *r;
	enum kk_result res;
	int rc = 0;
	size_t i;

	if (!s)
		return 1;
	res = kk_tick(s, &out, &err);
	if (out && a->json) {
		if (cli_print_json(a->name, out) != 0)
			rc = 1;
	} else if (out) {
		json_array_foreach(json_object_get(out, "reminders"), i, r) {
			const char *c = json_string_value(json_object_get(r, "case"));
			const char *rep = json_string_value(json_object_get(r, "report"));
			const char *v = json_string_value(json_object_get(r, "vendor"));

			printf("%-15s %-14s %s%s%s\n", json_string_value(json_object_get(r, "clock")),
			       c ? c : rep ? rep : "-", v ? v : "", v ? ": " : "",
			       json_string_value(json_object_get(r, "what")));
		}
		printf(ngettext("%lld reminder fired\n", "%lld reminders fired\n",
				(unsigned long)json_integer_value(json_object_get(out, "total"))),
		       (long long)json_integer_value(json_object_get(out, "total")));
	}
	/* a reminder that failed is tried again next time; say so, and fail */
	if (out) {
		json_array_foreach(json_object_get(out, "errors"), i, r)
			fprintf(stderr, "keikai %s: %s: %s\n", a->name, json_string_value(json_object_get(r, "clock")),
				json_string_value(json_object_get(r, "error")));
	}
	if (res) {
		if (!out)
			cli_fail(a->name, &err);
		rc = 1;
	}
	json_decref(out);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

const struct cli_command cmd_tick = {
	.name = "tick",
	.run = tick,
	.flags = CLI_DB | CLI_JSON,
	.summary = N_("run every clock of the scheduler once (for cron)"),
	.description = N_("Runs every clock once at the current time (KEIKAI_NOW may set it): reports to\n"
			  "acknowledge, silent vendors, publication dates, finders' questions, the\n"
			  "one-year mark, unreachable vendors. Prints each reminder fired, then how\n"
			  "many; --json prints the whole result as one JSON object. Running it twice\n"
			  "sends nothing twice, and a run that was missed catches up. `keikai serve`\n"
			  "runs the same every minute. Exit status 1 when a reminder failed (it is\n"
			  "tried again next time)."),
};
