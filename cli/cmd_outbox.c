/*
 * cmd_outbox.c: `keikai outbox list` shows the messages queued for delivery.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/outbox.h"
#include "keikai/util.h"

static const char usage[] =
	"usage: keikai outbox list --db ADDRESS [--json]\n"
	"  Lists queued messages, oldest first: id, time, kind, recipient, subject.\n"
	"  --json prints them as one JSON array, bodies included.\n";

static int outbox_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s;
	json_t *list = NULL, *m;
	int c, as_json = 0, rc = 1;
	size_t i;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'j': as_json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	s = cli_open("outbox list", db);
	if (!s)
		return 1;
	if (kk_outbox_list(s, &list, &err)) {
		rc = cli_fail("outbox list", &err);
		goto out;
	}
	if (as_json) {
		json_dumpf(list, stdout, JSON_INDENT(1));
		putchar('\n');
	} else {
		json_array_foreach(list, i, m)
			printf("%-5lld %s  %-15s %-6s %-30s %s\n", (long long)json_integer_value(json_object_get(m, "id")),
			       json_string_value(json_object_get(m, "created_at")),
			       json_string_value(json_object_get(m, "kind")),
			       json_string_value(json_object_get(m, "status")),
			       json_string_value(json_object_get(m, "recipient")),
			       json_string_value(json_object_get(m, "subject")));
		printf("%zu message(s)\n", json_array_size(list));
	}
	rc = 0;
out:
	json_decref(list);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

int cmd_outbox(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return outbox_list(argc - 1, argv + 1);
	fputs(usage, argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
	return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
}
