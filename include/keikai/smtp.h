/*
 * smtp.h: handing a composed message (mail.h) to a relay over SMTP with
 * libcurl (issue 11, item 1). The relay is the settings' smtp.url
 * (smtp://host:port or smtps://host:port, optionally user:password@ for
 * AUTH), TLS as smtp.starttls says (required | try | off, for smtp:// only;
 * smtps:// is TLS from the first byte), certificates checked against
 * smtp.ca_file or the system's. The outcome is classified for delivery
 * (deliver.h): the relay's 2xx is sent, a 5xx reply is permanent, a 4xx
 * reply, a refused or lost connection and a TLS failure are transient.
 */
#ifndef KEIKAI_SMTP_H
#define KEIKAI_SMTP_H

#include <stdatomic.h>

#include "keikai/mail.h"
#include "keikai/store.h"

enum kk_smtp_starttls { KK_SMTP_STARTTLS_TRY, KK_SMTP_STARTTLS_REQUIRED, KK_SMTP_STARTTLS_OFF };

#define KK_SMTP_MAX_TRIES_DEFAULT "10"

/* The settings delivery runs with (strings owned: kk_smtp_config_release). */
struct kk_smtp_config {
	char *url;     /* smtp.url; "" when not set */
	char *from;    /* smtp.from; "" when not set */
	char *ca_file; /* smtp.ca_file; "" for the system's */
	enum kk_smtp_starttls starttls;
	int max_tries;
};

/* Reads the smtp.* settings inside tx. A value that cannot be read is an
 * error, never a default. */
enum kk_result kk_smtp_config_load(struct kk_tx *tx, struct kk_smtp_config *c, struct kk_error *err);
void kk_smtp_config_release(struct kk_smtp_config *c); /* accepts NULL; zeroes c */

/* The settings' validators (settings_keys.c): 1 for a value keikai can use. */
int kk_smtp_url_valid(const char *v);      /* "", or smtp[s]://[user[:password]@]host[:port][/] */
int kk_smtp_from_valid(const char *v);     /* "", "a@b.example" or "Name <a@b.example>" */
int kk_smtp_starttls_valid(const char *v); /* required, try, off */
int kk_smtp_ca_file_valid(const char *v);  /* "", or an absolute path */
int kk_smtp_max_tries_valid(const char *v); /* 1 to 100 */

/* url with any password replaced by "***" (settings list, logs). Returns a
 * string the caller frees; NULL when out of memory. */
char *kk_smtp_url_redact(const char *url);

/* The address part of smtp.from ("Name <a@b>" gives "a@b") into a string the
 * caller frees; NULL when out of memory or when from holds no address. */
char *kk_smtp_from_address(const char *from);

enum kk_smtp_outcome { KK_SMTP_SENT, KK_SMTP_TRANSIENT, KK_SMTP_PERMANENT };

/* What one try came to: the outcome, the relay's last reply code (0 when it
 * gave none, as when the connection failed), and a message for the outbox's
 * last_error and the logs, in English as the relay and libcurl wrote it. */
struct kk_smtp_result {
	enum kk_smtp_outcome outcome;
	long code;
	char error[512];
};

/* A connection to the relay, reused from one message to the next (one per
 * thread). stop, when not NULL, is watched during a transfer: set, the try
 * ends at once as transient (a server shutting down). */
struct kk_smtp;
enum kk_result kk_smtp_open(const struct kk_smtp_config *c, const atomic_int *stop, struct kk_smtp **out,
			    struct kk_error *err);
void kk_smtp_close(struct kk_smtp *s); /* accepts NULL */

/* Sends m: MAIL FROM m->from, RCPT TO m->rcpt, DATA m->data as it is. */
void kk_smtp_send(struct kk_smtp *s, const struct kk_mail_out *m, struct kk_smtp_result *r);

#endif
