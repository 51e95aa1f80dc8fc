/*
 * mime.h: reading one RFC 5322 message (issue 11, item 4): its headers
 * (unfolded, RFC 2047 words decoded, every charset iconv knows turned into
 * UTF-8), its addresses, its MIME tree (RFC 2045-2046: multipart, base64,
 * quoted-printable), the parts keikai acts on (the first text/plain body, a
 * PGP/MIME or inline-armored OpenPGP message), and delivery status
 * notifications (RFC 3464). Bad input is normal: anything that is not a
 * well-formed message still parses as far as it goes, with limits on size,
 * depth and parts, and what could not be read is said in errors. The fuzz
 * target tests/fuzz/fuzz_mime.c runs it.
 */
#ifndef KEIKAI_MIME_H
#define KEIKAI_MIME_H

#include <stddef.h>

#include "keikai/error.h"

#define KK_MIME_MAX_BYTES (25u << 20) /* a bigger message is refused */
#define KK_MIME_MAX_DEPTH 8
#define KK_MIME_MAX_PARTS 200
#define KK_MIME_MAX_ADDRS 100

enum kk_mime_pgp {
	KK_MIME_PGP_NONE = 0,
	KK_MIME_PGP_MIME,   /* multipart/encrypted; protocol="application/pgp-encrypted" */
	KK_MIME_PGP_INLINE, /* -----BEGIN PGP MESSAGE----- in a text part */
};

/* One recipient of a delivery status notification (RFC 3464 §2.3). */
struct kk_mime_dsn_rcpt {
	char *final_recipient; /* the address, without "rfc822;" */
	char *action;          /* "failed", "delayed", "delivered", "relayed", "expanded" (lower case) */
	char *status;          /* "5.1.1" */
	char *diagnostic;      /* Diagnostic-Code as written ("smtp; 550 5.1.1 ..."), may be NULL */
};

/* Every string is UTF-8 and the caller releases the whole with
 * kk_mime_release. Header strings hold no control characters. message_id,
 * in_reply_to, references, date, auto_submitted and dsn_message_id are the
 * values as written, unfolded ("<kk.TOKEN@DOMAIN>", brackets included);
 * subject and from_name are RFC 2047-decoded. docs/internals/mime.md says
 * what is read and how. */
struct kk_mime_message {
	/* headers, decoded to UTF-8; NULL when absent */
	char *subject, *message_id, *in_reply_to, *references, *date, *auto_submitted;
	char *from;          /* the From address (lower case), NULL when none parses */
	char *from_name;     /* its display name, may be NULL */
	char **recipients;   /* every address of To, Cc, Delivered-To, X-Original-To (lower case) */
	size_t n_recipients;
	char *content_type;  /* the top-level type/subtype, lower case ("text/plain" when absent) */

	char *text;          /* the first text/plain part (or the text of text/html, tags removed), UTF-8;
	                      * NULL when the message has no text part */
	enum kk_mime_pgp pgp;
	char *pgp_data;      /* the OpenPGP message (armored) when pgp != NONE */
	size_t pgp_len;

	int is_dsn;          /* multipart/report; report-type=delivery-status */
	struct kk_mime_dsn_rcpt *dsn;
	size_t n_dsn;
	char *dsn_message_id; /* the Message-ID of the message returned in the DSN */

	int incomplete;      /* a limit (depth, parts) or a missing boundary cut the reading short */
};

/* Parses n bytes. KK_EINVAL (err names why) only when the input cannot be
 * read as a message at all (empty, binary, no header); otherwise KK_OK with
 * whatever could be read. KK_ETOOBIG past KK_MIME_MAX_BYTES. */
enum kk_result kk_mime_parse(const char *data, size_t n, struct kk_mime_message *out, struct kk_error *err);
void kk_mime_release(struct kk_mime_message *m);

/* Parses an armored or MIME-transported OpenPGP plaintext again as a MIME
 * entity (the inside of a PGP/MIME message: its own headers and parts) into
 * out->text; when plain is not a MIME entity, out->text is plain itself. */
enum kk_result kk_mime_parse_inner(const char *plain, size_t n, struct kk_mime_message *out, struct kk_error *err);

#endif
