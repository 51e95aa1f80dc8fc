/*
 * mime_internal.h: the pieces of the message reader (include/keikai/mime.h)
 * that its files share: header blocks, parameters, encoded words, charsets,
 * addresses, transfer encodings, multipart bodies, HTML text and DSNs.
 * Nothing here is public; lib/mail/mime_*.c and lib/mail/dsn.c only.
 *
 * Every function takes its input as (pointer, length): a message may hold NUL
 * bytes anywhere and nothing may read past its end. Strings handed out are
 * NUL-terminated UTF-8 that the caller frees.
 */
#ifndef KEIKAI_MIME_INTERNAL_H
#define KEIKAI_MIME_INTERNAL_H

#include <stddef.h>

#include "keikai/mime.h"
#include "keikai/util.h"

/* fields kept of one header block; the rest are skipped (a flood of fields
 * costs a scan, not memory) */
#define MIME_MAX_FIELDS 500
/* RFC 2231 continuations kept of one parameter */
#define MIME_MAX_SECTIONS 32
/* nested comments read in an address before the rest is taken as text */
#define MIME_MAX_COMMENT_DEPTH 16
/* cap of one decoded text: converting to UTF-8 may triple the bytes */
#define MIME_MAX_TEXT (3 * (size_t)KK_MIME_MAX_BYTES + 16)

struct mime_field {
	char *name;  /* as written */
	char *value; /* unfolded (line breaks removed), trimmed, NUL bytes made spaces; raw bytes */
};

struct mime_headers {
	struct mime_field *f;
	size_t n;
	size_t lines; /* header field lines read, also those past MIME_MAX_FIELDS */
};

/* mime_header.c */
/* Reads the header block at data[0..n) into h (which it initialises); *body
 * gets the offset where the body begins (after the empty line, or at the
 * first line that is not a field, or n). KK_ENOMEM, else KK_OK. */
enum kk_result mime_headers_read(const char *data, size_t n, struct mime_headers *h, size_t *body);
void mime_headers_release(struct mime_headers *h);
/* The raw value of the first field called name (any case), or NULL. */
const char *mime_header_get(const struct mime_headers *h, const char *name);
/* The value decoded to UTF-8: RFC 2047 words, bare 8-bit bytes or
 * ISO-2022-JP escapes; control characters become spaces. The caller frees
 * it; NULL when out of memory. */
char *mime_header_decode(const char *raw);
/* A copy of raw with control characters made spaces (no decoding): for
 * Message-ID, References, Date. NULL when out of memory. */
char *mime_header_plain(const char *raw);
/* "type/subtype" of a Content-Type value, lower case; NULL when value has
 * none (or out of memory: *nomem set). */
char *mime_ctype(const char *value, int *nomem);
/* The parameter name of a Content-Type or Content-Disposition value, with
 * quoted strings and RFC 2231 continuations and charsets, as UTF-8; NULL when
 * absent (or out of memory: *nomem set). */
char *mime_param(const char *value, const char *name, int *nomem);

/* mime_charset.c */
/* Appends in[0..n), written in charset, to out as UTF-8. Unknown charsets
 * keep valid UTF-8; bytes that cannot be read become U+FFFD, NUL too. */
enum kk_result mime_to_utf8(const char *charset, const char *in, size_t n, struct kk_buf *out);
/* The length of the valid UTF-8 sequence at p (n bytes left), or 0. */
size_t mime_utf8_seq(const unsigned char *p, size_t n);

/* mime_addr.c */
/* Adds the addresses of an address-list value to list (lower case, at most
 * max in all); when name is not NULL and *name is NULL, the display name of
 * the first address goes there. KK_ENOMEM or KK_OK. */
enum kk_result mime_addr_list(const char *raw, char ***list, size_t *n, size_t max, char **name);

/* mime_part.c */
/* Appends the body in[0..n) decoded from its Content-Transfer-Encoding (NULL
 * or unknown: as it is) to out. */
enum kk_result mime_decode_body(const char *cte, const char *in, size_t n, struct kk_buf *out);
/* Lenient base64 and RFC 2047 Q (q_header: '_' is a space) decoders. */
enum kk_result mime_base64(const char *in, size_t n, struct kk_buf *out);
enum kk_result mime_qp(const char *in, size_t n, int q_header, struct kk_buf *out);
/* Appends the text of HTML (tags removed, entities decoded; UTF-8 in). */
enum kk_result mime_html_text(const char *in, size_t n, struct kk_buf *out);

/* Walks the bodies of a multipart entity between its boundary lines. */
struct mime_splitter {
	const char *body;
	size_t n;
	const char *boundary;
	size_t blen;
	size_t pos;
	int started, done;
	int closed; /* the closing boundary was seen */
};
void mime_split_init(struct mime_splitter *s, const char *body, size_t n, const char *boundary);
/* 1 and the next part in (*p, *len), or 0 when there are no more. */
int mime_split_next(struct mime_splitter *s, const char **p, size_t *len);

/* dsn.c */
/* Reads a message/delivery-status body (RFC 3464 §2) into m->dsn. */
enum kk_result mime_dsn_fields(const char *body, size_t n, struct kk_mime_message *m);
/* Reads the Message-ID of the returned message's headers into
 * m->dsn_message_id (when not yet set). */
enum kk_result mime_dsn_returned(const char *data, size_t n, struct kk_mime_message *m);

#endif
