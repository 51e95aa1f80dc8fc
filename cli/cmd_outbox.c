/*
 * cmd_outbox.c: `keikai outbox list` shows the messages queued for delivery.
 * docs/cli/outbox.md is the manual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/util.h"

static int outbox_list(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s;
	json_t *list = NULL, *m;
	int rc = 1;
	size_t i;

	s = cli_open(a);
	if (!s)
		return 1;
	if (kk_outbox_list(s, &list, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (a->json) {
		/* the whole array or an error, never a list cut short */
		char *text = kk_json_dumps(list, JSON_INDENT(1));
		int written = text && printf("%s\n", text) >= 0 && fflush(stdout) == 0;

		free(text);
		if (!written) {
			kk_error_set(&err, KK_EIO, "%s", _("The messages could not be written out."));
			rc = cli_fail(a->name, &err);
			goto out;
		}
	} else {
		json_array_foreach(list, i, m)
			printf("%-5lld %s  %-15s %-6s %-30s %s\n", (long long)json_integer_value(json_object_get(m, "id")),
			       json_string_value(json_object_get(m, "created_at")),
			       json_string_value(json_object_get(m, "kind")),
			       json_string_value(json_object_get(m, "status")),
			       json_string_value(json_object_get(m, "recipient")),
			       json_string_value(json_object_get(m, "subject")));
		printf(_("%zu message(s)\n"), json_array_size(list));
	}
	rc = 0;
out:
	json_decref(list);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_command list = {
	.name = "list",
	.run = outbox_list,
	.flags = CLI_DB | CLI_JSON,
	.summary = N_("list the queued messages"),
	.description = N_("Lists queued messages, oldest first: id, time, kind, status, recipient,\n"
			  "subject. --json prints them as one JSON array, bodies included."),
};

static const struct cli_command *const subs[] = { &list, NULL };

const struct cli_command cmd_outbox = {
	.name = "outbox",
	.summary = N_("show queued messages (outbox list)"),
	.description = N_("Shows the messages keikai queued for people outside it (finders)."),
	.subs = subs,
};
