/*
 * dsn.c: delivery status notifications (RFC 3464): the per-recipient fields
 * of a message/delivery-status part, and the Message-ID of the message it
 * returns (a message/rfc822 or text/rfc822-headers part). keikai matches that
 * Message-ID (<kk.TOKEN@DOMAIN>, mail.h) to the message it sent, and marks
 * the contact that failed (issue 11, item 4).
 *
 * The status body is groups of header fields separated by empty lines
 * (RFC 3464 §2.1): the first describes the message, each further one a
 * recipient. A group without Final-Recipient or Original-Recipient is not a
 * recipient and is skipped; at most KK_MIME_MAX_ADDRS recipients are kept.
 */
#include <string.h>

#include "mime_internal.h"

/* The value of an "address-type; address" field (RFC 3464 §2.3.2) without
 * its type and angle brackets, lower case; NULL when there is none. */
static char *typed_address(const char *raw, int *nomem)
{
	const char *semi = strchr(raw, ';');
	char *a, *s, *e;

	a = mime_header_plain(semi ? semi + 1 : raw);
	if (!a) {
		*nomem = 1;
		return NULL;
	}
	for (s = a; *s == ' ' || *s == '<'; s++)
		;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '>'))
		e--;
	*e = '\0';
	memmove(a, s, (size_t)(e - s) + 1);
	for (s = a; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
	if (!*a) {
		free(a);
		return NULL;
	}
	return a;
}

/* The first word of raw in a new string, lower-cased when low. */
static char *first_word(const char *raw, int low, int *nomem)
{
	char *w = mime_header_plain(raw), *s;

	if (!w) {
		*nomem = 1;
		return NULL;
	}
	for (s = w; *s == ' '; s++)
		;
	memmove(w, s, strlen(s) + 1);
	for (s = w; *s && *s != ' ' && *s != ';' && *s != '('; s++)
		if (low && *s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
	*s = '\0';
	if (!*w) {
		free(w);
		return NULL;
	}
	return w;
}

static enum kk_result add_recipient(const struct mime_headers *h, struct kk_mime_message *m)
{
	const char *fr = mime_header_get(h, "Final-Recipient"), *v;
	struct kk_mime_dsn_rcpt r = { 0 }, *grown;
	int nomem = 0;

	if (!fr)
		fr = mime_header_get(h, "Original-Recipient");
	if (!fr || m->n_dsn >= KK_MIME_MAX_ADDRS)
		return KK_OK;
	r.final_recipient = typed_address(fr, &nomem);
	if ((v = mime_header_get(h, "Action")) != NULL)
		r.action = first_word(v, 1, &nomem);
	if ((v = mime_header_get(h, "Status")) != NULL)
		r.status = first_word(v, 0, &nomem);
	if ((v = mime_header_get(h, "Diagnostic-Code")) != NULL && !(r.diagnostic = mime_header_decode(v)))
		nomem = 1;
	grown = nomem || !r.final_recipient ? NULL : kk_realloc(m->dsn, (m->n_dsn + 1) * sizeof(*m->dsn));
	if (!grown) {
		free(r.final_recipient);
		free(r.action);
		free(r.status);
		free(r.diagnostic);
		return nomem || r.final_recipient ? KK_ENOMEM : KK_OK;
	}
	m->dsn = grown;
	m->dsn[m->n_dsn++] = r;
	return KK_OK;
}

enum kk_result mime_dsn_fields(const char *body, size_t n, struct kk_mime_message *m)
{
	size_t pos = 0;

	while (pos < n) {
		struct mime_headers h;
		size_t used;
		enum kk_result rc;

		/* skip empty lines between groups */
		if (body[pos] == '\n' || (body[pos] == '\r' && pos + 1 < n && body[pos + 1] == '\n')) {
			pos += body[pos] == '\r' ? 2 : 1;
			continue;
		}
		if ((rc = mime_headers_read(body + pos, n - pos, &h, &used)) != KK_OK)
			return rc;
		if (used == 0) { /* a line that is no field: skip it */
			const char *nl = memchr(body + pos, '\n', n - pos);

			mime_headers_release(&h);
			pos = nl ? (size_t)(nl - body) + 1 : n;
			continue;
		}
		rc = add_recipient(&h, m);
		mime_headers_release(&h);
		if (rc != KK_OK)
			return rc;
		pos += used;
	}
	return KK_OK;
}

enum kk_result mime_dsn_returned(const char *data, size_t n, struct kk_mime_message *m)
{
	struct mime_headers h;
	size_t body;
	const char *id;
	enum kk_result rc;

	if (m->dsn_message_id)
		return KK_OK;
	if ((rc = mime_headers_read(data, n, &h, &body)) != KK_OK)
		return rc;
	id = mime_header_get(&h, "Message-ID");
	if (id && *id && !(m->dsn_message_id = mime_header_plain(id)))
		rc = KK_ENOMEM;
	mime_headers_release(&h);
	return rc;
}
