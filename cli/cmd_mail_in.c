/*
 * cmd_mail_in.c: `keikai mail-in` takes one RFC 5322 message on standard
 * input, as an MTA's pipe, procmail or fetchmail --mda hands it (issue 11,
 * item 4; mailin.h kk_mail_in), prints one line saying what it became, and
 * exits with the sysexits(3) code the MTA acts on:
 *
 *    0 taken, whatever it became (the review queue included)
 *   64 EX_USAGE     wrong command line
 *   65 EX_DATAERR   larger than KK_MIME_MAX_BYTES: the MTA bounces it to its
 *                   sender, who learns it was not taken (nothing is stored)
 *   70 EX_SOFTWARE  a bug
 *   74 EX_IOERR     standard input could not be read
 *   75 EX_TEMPFAIL  the store is unavailable or busy: nothing is stored, the
 *                   MTA tries again later
 *   78 EX_CONFIG    no such store, or no evidence key
 *
 * docs/cli/mail-in.md is the manual; docs/admin/mail.md shows the MTA side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/mailin.h"
#include "keikai/mime.h"

#define EX_OK_ 0
#define EX_USAGE_ 64
#define EX_DATAERR_ 65
#define EX_SOFTWARE_ 70
#define EX_IOERR_ 74
#define EX_TEMPFAIL_ 75
#define EX_CONFIG_ 78

/* Reads standard input whole, up to one byte past max (so a bigger message
 * is told apart): *n its length. NULL on a read error (errno) or no memory. */
static char *read_stdin(size_t max, size_t *n, int *too_big)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = kk_malloc(cap), *grown;

	*too_big = 0;
	while (buf) {
		size_t got;

		if (len == cap) {
			if (cap > max) {
				*too_big = 1;
				break;
			}
			cap *= 2;
			if (!(grown = kk_realloc(buf, cap))) {
				free(buf);
				return NULL;
			}
			buf = grown;
		}
		got = fread(buf + len, 1, cap - len, stdin);
		len += got;
		if (got == 0) {
			if (ferror(stdin)) {
				free(buf);
				return NULL;
			}
			break;
		}
	}
	if (buf && len > max)
		*too_big = 1;
	*n = len;
	return buf;
}

/* The exit status for a store that would not open. */
static int open_status(enum kk_result res)
{
	switch (res) {
	case KK_EUNAVAILABLE:
	case KK_EDB:
	case KK_EIO:
		return EX_TEMPFAIL_;
	case KK_ENOMEM:
		return EX_TEMPFAIL_;
	default:
		return EX_CONFIG_;
	}
}

/* The exit status for kk_mail_in's result. */
static int take_status(enum kk_result res)
{
	switch (res) {
	case KK_OK:
		return EX_OK_;
	case KK_ETOOBIG:
		return EX_DATAERR_;
	case KK_EUNAVAILABLE:
	case KK_EDB:
	case KK_EIO:
	case KK_ENOMEM:
	case KK_ETHROTTLED:
	case KK_ECONFLICT:
		return EX_TEMPFAIL_;
	case KK_ENOTFOUND:
		return EX_CONFIG_; /* the evidence key cannot be found */
	default:
		return EX_SOFTWARE_;
	}
}

/* One line: the kind as a word (for scripts, never translated), then what it became. */
static void print_result(const struct kk_mail_in_result *r)
{
	printf("%s: ", kk_mail_in_kind_name(r->kind));
	switch (r->kind) {
	case KK_MAIL_IN_REPLY:
		printf(_("message %lld in thread %lld (inbound %lld)\n"), (long long)r->message_id,
		       (long long)r->thread_id, (long long)r->inbound_id);
		break;
	case KK_MAIL_IN_BOUNCE:
		printf(r->failed ? _("message %lld failed, %s (inbound %lld)\n")
				 : _("message %lld delayed, recorded: %s (inbound %lld)\n"),
		       (long long)r->outbox_id, r->reason, (long long)r->inbound_id);
		break;
	case KK_MAIL_IN_REPORT:
		printf(r->encrypted ? _("%s, received by mail, encrypted (inbound %lld)\n")
				    : _("%s, received by mail (inbound %lld)\n"),
		       r->tracking_id, (long long)r->inbound_id);
		break;
	case KK_MAIL_IN_REVIEW:
		printf(_("%s (inbound %lld)\n"), r->reason, (long long)r->inbound_id);
		break;
	}
}

static int mail_in(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_in_result r;
	struct kk_store *s = NULL;
	enum kk_result res;
	size_t n = 0;
	int too_big, rc;
	char *data;

	/* the message first: an MTA that cannot deliver it is told before the store is touched */
	data = read_stdin(KK_MIME_MAX_BYTES, &n, &too_big);
	if (!data) {
		fprintf(stderr, "keikai %s: %s\n", a->name, _("Standard input could not be read."));
		return EX_IOERR_;
	}
	if (too_big) {
		fprintf(stderr, _("keikai %s: The message is larger than %u MiB; it was not taken.\n"), a->name,
			(unsigned)(KK_MIME_MAX_BYTES >> 20));
		free(data);
		return EX_DATAERR_;
	}
	res = kk_store_open(a->db, 0, &s, &err);
	if (res) {
		cli_fail(a->name, &err);
		kk_error_release(&err);
		free(data);
		return open_status(res);
	}
	res = kk_mail_in(s, data, n, &r, &err);
	rc = take_status(res);
	if (res)
		cli_fail(a->name, &err);
	else if (a->json)
		rc = cli_print_json(a->name, json_pack("{s:s, s:I, s:s, s:I, s:I, s:I, s:s?, s:b}", "kind",
							kk_mail_in_kind_name(r.kind), "inbound",
							(json_int_t)r.inbound_id, "reason", r.reason, "thread",
							(json_int_t)r.thread_id, "message", (json_int_t)r.message_id,
							"outbox", (json_int_t)r.outbox_id,
							"report", r.tracking_id[0] ? r.tracking_id : NULL, "encrypted",
							r.encrypted))
			     ? EX_SOFTWARE_
			     : EX_OK_;
	else
		print_result(&r);
	kk_store_close(s);
	kk_error_release(&err);
	free(data);
	return rc;
}

const struct cli_command cmd_mail_in = {
	.name = "mail-in",
	.run = mail_in,
	.flags = CLI_DB | CLI_JSON | CLI_SYSEXITS,
	.summary = N_("take one mail message on standard input (for an MTA)"),
	.description = N_("Reads one RFC 5322 message on standard input, as an MTA pipe, procmail or\n"
			  "fetchmail --mda hands it, keeps it as evidence and routes it: a bounce marks\n"
			  "the message and the contact failed, a reply becomes a message in its thread,\n"
			  "a new report by mail becomes a report received by mail, anything else waits\n"
			  "in the review queue. Prints what it became. Exit status (sysexits): 0 taken,\n"
			  "64 wrong usage, 65 too large (bounce it), 74 standard input unreadable,\n"
			  "75 the store is unavailable (try again), 78 no such store or no key, 70 a bug."),
};
