/*
 * cmd_outbox.c: `keikai outbox list` shows the messages and where their
 * delivery stands; `keikai outbox send` delivers every message that is due,
 * once, and exits (issue 11: 0 all went or none was due, 75 (EX_TEMPFAIL)
 * some must be tried again, 1 no relay set or the store failed).
 * docs/cli/outbox.md is the manual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/clock.h"
#include "keikai/deliver.h"
#include "keikai/i18n.h"
#include "keikai/mail.h"
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
		json_array_foreach(list, i, m) {
			const char *error = json_string_value(json_object_get(m, "last_error"));

			printf("%-5lld %s  %-15s %-7s %-3lld %-30s %s\n", (long long)json_integer_value(json_object_get(m, "id")),
			       json_string_value(json_object_get(m, "created_at")),
			       json_string_value(json_object_get(m, "kind")),
			       json_string_value(json_object_get(m, "status")),
			       (long long)json_integer_value(json_object_get(m, "tries")),
			       json_string_value(json_object_get(m, "recipient")),
			       json_string_value(json_object_get(m, "subject")));
			/* issue 11: why the last try failed, under its message */
			if (error)
				printf("      %s: %s\n", _("last error"), error);
		}
		printf(_("%zu message(s)\n"), json_array_size(list));
	}
	rc = 0;
out:
	json_decref(list);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

/* One line per message a run tried: id, recipient, outcome. */
static void send_log(const struct kk_deliver_outcome *o, void *arg)
{
	char at[KK_TIME_LEN];

	(void)arg;
	if (o->state[0] == 's')
		printf("%lld %s %s %s%s\n", (long long)o->id, o->recipient, _("sent"), o->message_id,
		       o->encrypted ? _(" (encrypted)") : "");
	else if (o->state[0] == 'q')
		printf(_("%lld %s try %lld failed, next try at %s: %s\n"), (long long)o->id, o->recipient,
		       (long long)o->tries, kk_time_format(o->next_at, at), o->error);
	else
		printf(_("%lld %s failed after %lld tries: %s\n"), (long long)o->id, o->recipient, (long long)o->tries,
		       o->error);
	fflush(stdout);
}

static int outbox_send(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_deliver_counts counts;
	struct kk_store *s = cli_open(a);
	int rc;

	if (!s)
		return 1;
	if (kk_deliver_due(s, NULL, send_log, NULL, &counts, &err))
		rc = cli_fail(a->name, &err);
	else
		rc = counts.retry ? 75 : 0; /* sysexits EX_TEMPFAIL: run me again later */
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_command send = {
	.name = "send",
	.run = outbox_send,
	.flags = CLI_DB,
	.summary = N_("deliver every message that is due, once"),
	.description = N_("Sends every message that is due to the relay smtp.url, once, printing a line\n"
			  "per message (id, recipient, outcome), and exits: 0 when all went (or none\n"
			  "was due), 75 when some must be tried again later, 1 when smtp.url or\n"
			  "smtp.from is not set or the database failed. A 5xx answer marks the\n"
			  "message, its contact attempt and the vendor's contact failed."),
};

static const struct cli_command list = {
	.name = "list",
	.run = outbox_list,
	.flags = CLI_DB | CLI_JSON,
	.summary = N_("list the messages and their delivery"),
	.description = N_("Lists the messages, oldest first: id, time, kind, state (queued, sending,\n"
			  "sent, failed), tries, recipient, subject, and the last error under a\n"
			  "message that has one. --json prints them as one JSON array, bodies,\n"
			  "next_at, sent_at, message_id, reply_token and encrypted included."),
};

/* issue 11 (compose): a message as it would go now, for operators and tests */
static int outbox_preview(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_out out = { 0 };
	struct kk_store *s;
	int64_t id;
	int rc = 1;

	if (kk_parse_id(a->argv[0], &id) != 0)
		return cli_usage_error(a, _("%s is not a message id."), a->argv[0]);
	if (!(s = cli_open(a)))
		return 1;
	if (kk_mail_preview(s, id, &out, &err)) {
		rc = cli_fail(a->name, &err);
	} else if (a->json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:b, s:s%}", "from", out.from, "rcpt", out.rcpt, "message_id",
				      out.message_id, "encrypted", out.encrypted, "data", out.data, out.n);
		char *text = j ? kk_json_dumps(j, JSON_INDENT(1)) : NULL;

		rc = text && printf("%s\n", text) >= 0 && fflush(stdout) == 0 ? 0 : 1;
		free(text);
		json_decref(j);
	} else {
		/* the message as the relay gets it, CRLF line ends and all */
		rc = fwrite(out.data, 1, out.n, stdout) == out.n && fflush(stdout) == 0 ? 0 : 1;
	}
	if (rc == 1 && !err.code) {
		kk_error_set(&err, KK_EIO, "%s", _("The message could not be written out."));
		rc = cli_fail(a->name, &err);
	}
	kk_mail_out_release(&out);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_command preview = {
	.name = "preview",
	.run = outbox_preview,
	.flags = CLI_DB | CLI_JSON,
	.operands = "ID",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("print a queued message as it would be sent now"),
	.description = N_("Composes message ID as delivery would now (headers, MIME, OpenPGP\n"
			  "encryption or the content-free notice) and prints it. Nothing is stored.\n"
			  "--json prints the envelope sender, recipient, Message-ID, whether it is\n"
			  "encrypted, and the message."),
};

static const struct cli_command *const subs[] = { &list, &send, &preview, NULL };

const struct cli_command cmd_outbox = {
	.name = "outbox",
	.summary = N_("messages to people outside keikai (outbox list, send, preview)"),
	.description = N_("The messages keikai queued for people outside it (finders, vendors): list\n"
			  "them and where their delivery stands, or send the due ones over SMTP\n"
			  "(keikai serve does that by itself). docs/cli/outbox.md is the manual."),
	.subs = subs,
};
