/*
 * main.c: the keikai binary. Sets up what every command needs (the language,
 * the clock, the password cost), then runs the command line through the table
 * of commands (cli/options.c parses it). Also the helpers of cli.h that the
 * commands share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "keikai/account.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

/* cmd_pgp.c: `keikai pgp`, the organisation's OpenPGP key (issue 11) */
extern const struct cli_command cmd_pgp;
/* cmd_recipient.c: `keikai recipient`, the recipients of priority provision (issue 10) */
extern const struct cli_command cmd_recipient;

/* The command table (git's commands[]); each command is defined, with its
 * flags, options and help, in its cmd_*.c. */
static const struct cli_command *const commands[] = {
	&cmd_init, &cmd_user, &cmd_token, &cmd_serve, &cmd_outbox, &cmd_demo,
	&cmd_cvss, &cmd_cpe, &cmd_import, &cmd_cwe, &cmd_db, &cmd_vendor, &cmd_case, &cmd_advisory,
	&cmd_tick, &cmd_calendar, &cmd_holidays, &cmd_settings, &cmd_config, &cmd_recipient, &cmd_mail_in, &cmd_pgp, NULL,
};

static const struct cli_command keikai = {
	.name = "keikai",
	.description = N_("A coordinated vulnerability disclosure platform. Every command takes --help;\n"
			  "--db ADDRESS may be left out when KEIKAI_DB holds it. keikai --version\n"
			  "prints the version. docs/cli/ is the manual."),
	.subs = commands,
};

int cli_fail(const char *cmd, const struct kk_error *err)
{
	fprintf(stderr, "keikai %s: %s\n", cmd, err->msg[0] ? err->msg : _("failed"));
	if (err->fields) {
		const char *key;
		json_t *v;

		json_object_foreach(err->fields, key, v)
			fprintf(stderr, "  %s: %s\n", key, json_string_value(v));
	}
	return 1;
}

struct kk_store *cli_open(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;

	if (kk_store_open(a->db, 0, &s, &err))
		cli_fail(a->name, &err);
	kk_error_release(&err);
	return s;
}

char *cli_read_line(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);

	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

int main(int argc, char **argv)
{
	const char *lang;
	enum kk_lang l = KK_LANG_EN;

	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("keikai %s\n", KK_VERSION);
		return 0;
	}
	if (kk_i18n_init() != 0)
		fprintf(stderr, "%s\n", _("keikai: the ja_JP.UTF-8 locale is missing; pages will be in English "
					 "(run scripts/install-deps.sh)"));
	if (kk_alloc_arm_from_env() != 0) {
		fprintf(stderr, "%s\n", _("keikai: KEIKAI_FAIL_ALLOC must be a count of allocations (1 or more)."));
		return 2;
	}
	/* The command line, its help included, speaks the user's language when LANG
	 * says Japanese. */
	lang = getenv("LANG");
	if (lang && kk_lang_parse(lang, &l) != 0)
		l = KK_LANG_EN;
	kk_i18n_use(lang ? l : KK_LANG_EN);
	kk_clock_from_env();
	kk_password_cost_from_env();
	return cli_run(&keikai, "", argc, argv);
}
