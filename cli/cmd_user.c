/*
 * cmd_user.c: `keikai user add` creates a user (and the organisation when new).
 * The password comes from standard input so it never shows in `ps`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/account.h"
#include "keikai/util.h"

static const char usage[] =
	"usage: keikai user add --db ADDRESS --org NAME --role ROLE --email E --name N --password-stdin\n"
	"  Adds a user. ROLE is intake, coordinator, vendor, operator, committee or admin.\n"
	"  The password (at least 8 characters) is read as one line from standard input.\n";

static int user_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },     { "org", required_argument, NULL, 'o' },
		{ "role", required_argument, NULL, 'r' },   { "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },   { "password-stdin", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *org = NULL, *role_name = NULL, *email = NULL, *name = NULL;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;
	char *password = NULL;
	enum kk_role role;
	int c, from_stdin = 0, rc = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': org = optarg; break;
		case 'r': role_name = optarg; break;
		case 'e': email = optarg; break;
		case 'n': name = optarg; break;
		case 'p': from_stdin = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!(db = cli_db(db)) || !org || !role_name || !email || !name || !from_stdin) {
		fputs(usage, stderr);
		return 2;
	}
	if (kk_role_parse(role_name, &role) != 0) {
		fprintf(stderr, "keikai user add: unknown role '%s'\n", role_name);
		return 2;
	}
	password = cli_read_line();
	if (!password) {
		fprintf(stderr, "keikai user add: no password on standard input\n");
		return 1;
	}
	s = cli_open("user add", db);
	if (!s)
		goto out;
	if (kk_user_add(s, org, role, email, name, password, NULL, &err)) {
		rc = cli_fail("user add", &err);
		goto out;
	}
	printf("keikai: added %s (%s, %s)\n", email, role_name, org);
	rc = 0;
out:
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

int cmd_user(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(argc - 1, argv + 1);
	fputs(usage, argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
	return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
}
