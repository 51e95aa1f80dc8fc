/*
 * mime_parse.c: one RFC 5322 message read into struct kk_mime_message
 * (include/keikai/mime.h; issue 11, item 4, which `keikai mail-in` acts on).
 *
 * The top-level headers give the subject, ids, sender and recipients; a walk
 * of the MIME tree, depth-bounded (KK_MIME_MAX_DEPTH) and counting every
 * entity against KK_MIME_MAX_PARTS, finds the first text/plain body (or the
 * text of the first HTML part), an OpenPGP message (PGP/MIME, RFC 3156 §4, or
 * an inline armored block) and the parts of a delivery status notification
 * (RFC 3464, dsn.c). The walk recurses only into multipart entities, at most
 * KK_MIME_MAX_DEPTH deep, so hostile nesting cannot exhaust the stack; a
 * limit reached sets `incomplete` and the walk goes on with what it has.
 */
#include <string.h>
#include <strings.h>

#include "keikai/i18n.h"
#include "mime_internal.h"

static const char armor_begin[] = "-----BEGIN PGP MESSAGE-----";
static const char armor_end[] = "-----END PGP MESSAGE-----";

struct walk {
	struct kk_mime_message *m;
	size_t parts;
	char *html;       /* the text of the first text/html part */
	char *attached;   /* the first text/plain part sent as an attachment */
	int in_report;    /* inside multipart/report; report-type=delivery-status */
};

/* The armored block of text[0..n) (BEGIN at a line start to END), or 0. */
static int find_armor(const char *text, size_t n, size_t *at, size_t *len)
{
	const char *p = text, *end = text + n;

	while ((p = memmem(p, (size_t)(end - p), armor_begin, sizeof(armor_begin) - 1)) != NULL) {
		const char *e;

		if (p == text || p[-1] == '\n') {
			e = memmem(p, (size_t)(end - p), armor_end, sizeof(armor_end) - 1);
			if (!e)
				return 0;
			*at = (size_t)(p - text);
			*len = (size_t)(e - p) + sizeof(armor_end) - 1;
			return 1;
		}
		p += sizeof(armor_begin) - 1;
	}
	return 0;
}

static enum kk_result set_pgp(struct kk_mime_message *m, enum kk_mime_pgp kind, const char *data, size_t n)
{
	m->pgp_data = kk_strndup(data, n);
	if (!m->pgp_data)
		return KK_ENOMEM;
	m->pgp_len = strlen(m->pgp_data); /* armor is text: a NUL ends it */
	m->pgp = kind;
	return KK_OK;
}

/* The decoded body of an entity, as bytes (NUL-terminated). */
static enum kk_result decoded(const struct mime_headers *h, const char *body, size_t n, struct kk_buf *out)
{
	kk_buf_init(out, KK_MIME_MAX_BYTES + 1);
	return mime_decode_body(mime_header_get(h, "Content-Transfer-Encoding"), body, n, out);
}

/* The body as UTF-8 text in its charset; *text gets a string the caller frees. */
static enum kk_result as_text(const struct mime_headers *h, const char *bytes, size_t n, char **text)
{
	const char *ct = mime_header_get(h, "Content-Type");
	char *charset = NULL;
	int nomem = 0;
	struct kk_buf b;

	if (ct)
		charset = mime_param(ct, "charset", &nomem);
	if (nomem)
		return KK_ENOMEM;
	kk_buf_init(&b, MIME_MAX_TEXT);
	kk_buf_add(&b, "", 0);
	mime_to_utf8(charset, bytes, n, &b);
	free(charset);
	return kk_buf_finish(&b, text);
}

static int is_attachment(const struct mime_headers *h)
{
	const char *cd = mime_header_get(h, "Content-Disposition");

	return cd && strncasecmp(cd, "attachment", 10) == 0;
}

/* A part that is not multipart: text, HTML, DSN fields, a returned message. */
static enum kk_result leaf(struct walk *w, const struct mime_headers *h, const char *type, const char *body, size_t n)
{
	struct kk_mime_message *m = w->m;
	struct kk_buf b;
	enum kk_result rc;
	char *text = NULL;
	size_t at, len;
	int plain = strcmp(type, "text/plain") == 0, html = strcmp(type, "text/html") == 0;
	int attach, want_text, want_pgp;

	if (w->in_report && strcmp(type, "message/delivery-status") == 0) {
		if ((rc = decoded(h, body, n, &b)) == KK_OK)
			rc = mime_dsn_fields(b.data, b.len, m);
		kk_buf_release(&b);
		return rc;
	}
	if (w->in_report && (strcmp(type, "text/rfc822-headers") == 0 || strcmp(type, "message/rfc822") == 0)) {
		if ((rc = decoded(h, body, n, &b)) == KK_OK)
			rc = mime_dsn_returned(b.data, b.len, m);
		kk_buf_release(&b);
		return rc;
	}
	if (!plain && !html)
		return KK_OK;
	attach = is_attachment(h);
	want_text = html ? !w->html : attach ? !w->attached : !m->text;
	want_pgp = plain && m->pgp == KK_MIME_PGP_NONE;
	if (!want_text && !want_pgp)
		return KK_OK; /* nothing more to learn from it */
	if ((rc = decoded(h, body, n, &b)) != KK_OK)
		goto out;
	/* an inline armored OpenPGP message, in any text/plain part */
	if (want_pgp && find_armor(b.data, b.len, &at, &len) &&
	    (rc = set_pgp(m, KK_MIME_PGP_INLINE, b.data + at, len)) != KK_OK)
		goto out;
	if (!want_text)
		goto out;
	if ((rc = as_text(h, b.data, b.len, &text)) != KK_OK)
		goto out;
	if (html) {
		struct kk_buf t;

		kk_buf_init(&t, MIME_MAX_TEXT);
		mime_html_text(text, strlen(text), &t);
		rc = kk_buf_finish(&t, &w->html);
	} else if (attach) {
		w->attached = text;
		text = NULL;
	} else {
		m->text = text;
		text = NULL;
	}
out:
	free(text);
	kk_buf_release(&b);
	return rc;
}

static enum kk_result walk(struct walk *w, const struct mime_headers *h, const char *body, size_t n, int depth,
			   const char *default_type);

/* The parts of a multipart entity. */
static enum kk_result multipart(struct walk *w, const struct mime_headers *h, const char *type, const char *body,
				size_t n, int depth)
{
	struct kk_mime_message *m = w->m;
	const char *ct = mime_header_get(h, "Content-Type");
	struct mime_splitter sp;
	const char *p;
	size_t len, index = 0;
	char *boundary, *param = NULL;
	int nomem = 0, report = 0, was_in_report = w->in_report, encrypted = 0;
	enum kk_result rc = KK_OK;

	boundary = mime_param(ct, "boundary", &nomem);
	if (!nomem && strcmp(type, "multipart/encrypted") == 0) {
		/* RFC 3156 §4: version part, then the armored message */
		param = mime_param(ct, "protocol", &nomem);
		encrypted = param && strcasecmp(param, "application/pgp-encrypted") == 0;
	} else if (!nomem && strcmp(type, "multipart/report") == 0) {
		param = mime_param(ct, "report-type", &nomem);
		report = param && strcasecmp(param, "delivery-status") == 0;
	}
	free(param);
	if (nomem) {
		free(boundary);
		return KK_ENOMEM;
	}
	if (!boundary || !*boundary) {
		free(boundary);
		m->incomplete = 1; /* no boundary: its parts cannot be told apart */
		return KK_OK;
	}
	if (report) {
		m->is_dsn = 1;
		w->in_report = 1;
	}
	mime_split_init(&sp, body, n, boundary);
	while (rc == KK_OK && mime_split_next(&sp, &p, &len)) {
		if (encrypted && index == 1 && m->pgp == KK_MIME_PGP_NONE) {
			struct mime_headers ph;
			struct kk_buf b;
			size_t off;

			if (++w->parts > KK_MIME_MAX_PARTS) {
				m->incomplete = 1;
				break;
			}
			if ((rc = mime_headers_read(p, len, &ph, &off)) != KK_OK)
				break;
			if ((rc = decoded(&ph, p + off, len - off, &b)) == KK_OK)
				rc = set_pgp(m, KK_MIME_PGP_MIME, b.data, b.len);
			kk_buf_release(&b);
			mime_headers_release(&ph);
		} else if (!encrypted) {
			/* RFC 2046 §5.1.5: the parts of a digest are messages */
			rc = walk(w, NULL, p, len, depth + 1,
				  strcmp(type, "multipart/digest") == 0 ? "message/rfc822" : "text/plain");
		}
		index++;
		if (w->parts > KK_MIME_MAX_PARTS)
			break;
	}
	if (!sp.closed)
		m->incomplete = 1;
	w->in_report = was_in_report;
	free(boundary);
	return rc;
}

/* One entity: its headers (h, or read from data when NULL) and body. */
static enum kk_result walk(struct walk *w, const struct mime_headers *given, const char *data, size_t n, int depth,
			   const char *default_type)
{
	struct mime_headers own;
	const struct mime_headers *h = given;
	size_t off = 0;
	const char *ct;
	char *type = NULL;
	int nomem = 0;
	enum kk_result rc = KK_OK;

	if (depth > KK_MIME_MAX_DEPTH || ++w->parts > KK_MIME_MAX_PARTS) {
		w->m->incomplete = 1;
		return KK_OK;
	}
	if (!h) {
		if ((rc = mime_headers_read(data, n, &own, &off)) != KK_OK)
			return rc;
		h = &own;
	}
	ct = mime_header_get(h, "Content-Type");
	if (ct)
		type = mime_ctype(ct, &nomem);
	if (nomem) {
		rc = KK_ENOMEM;
		goto out;
	}
	if (type && strncmp(type, "multipart/", 10) == 0)
		rc = multipart(w, h, type, data + off, n - off, depth);
	else
		rc = leaf(w, h, type ? type : default_type, data + off, n - off);
out:
	free(type);
	if (h == &own)
		mime_headers_release(&own);
	return rc;
}

/* The decoded value of the first field name, or NULL; KK_ENOMEM when it
 * could not be kept. */
static enum kk_result field(const struct mime_headers *h, const char *name, int decode, char **out)
{
	const char *v = mime_header_get(h, name);

	if (!v)
		return KK_OK;
	*out = decode ? mime_header_decode(v) : mime_header_plain(v);
	return *out ? KK_OK : KK_ENOMEM;
}

/* The top-level fields of m. */
static enum kk_result envelope(const struct mime_headers *h, struct kk_mime_message *m)
{
	static const char *const to[] = { "To", "Cc", "Delivered-To", "X-Original-To" };
	enum kk_result rc = KK_OK;
	const char *from = mime_header_get(h, "From"), *ct = mime_header_get(h, "Content-Type");
	char **list = NULL;
	size_t nlist = 0;
	int nomem = 0;

	if (field(h, "Subject", 1, &m->subject) || field(h, "Message-ID", 0, &m->message_id) ||
	    field(h, "In-Reply-To", 0, &m->in_reply_to) || field(h, "References", 0, &m->references) ||
	    field(h, "Date", 0, &m->date) || field(h, "Auto-Submitted", 0, &m->auto_submitted))
		return KK_ENOMEM;
	if (from) {
		rc = mime_addr_list(from, &list, &nlist, 1, &m->from_name);
		if (nlist)
			m->from = list[0];
		free(list);
		if (rc != KK_OK)
			return rc;
	}
	/* every recipient field, each field as often as it comes */
	for (size_t k = 0; k < sizeof(to) / sizeof(to[0]) && rc == KK_OK; k++)
		for (size_t i = 0; i < h->n && rc == KK_OK; i++)
			if (strcasecmp(h->f[i].name, to[k]) == 0)
				rc = mime_addr_list(h->f[i].value, &m->recipients, &m->n_recipients, KK_MIME_MAX_ADDRS, NULL);
	if (rc != KK_OK)
		return rc;
	m->content_type = ct ? mime_ctype(ct, &nomem) : NULL;
	if (!m->content_type && !nomem)
		m->content_type = kk_strdup("text/plain");
	return m->content_type ? KK_OK : KK_ENOMEM;
}

/* Reads data as an entity whose headers are h (already read, body at off). */
static enum kk_result read_entity(const struct mime_headers *h, const char *data, size_t n, size_t off,
				  struct kk_mime_message *m)
{
	struct walk w = { .m = m };
	enum kk_result rc;

	rc = walk(&w, h, data + off, n - off, 0, "text/plain");
	if (rc == KK_OK && !m->text) {
		/* no plain text: the HTML's, else a text attachment's */
		if (w.html) {
			m->text = w.html;
			w.html = NULL;
		} else if (w.attached) {
			m->text = w.attached;
			w.attached = NULL;
		}
	}
	free(w.html);
	free(w.attached);
	return rc;
}

static enum kk_result failed(struct kk_mime_message *m, struct kk_error *err, enum kk_result rc)
{
	kk_mime_release(m);
	if (rc == KK_ENOMEM)
		return kk_error_nomem(err);
	/* a text that outgrew its cap (see MIME_MAX_TEXT) */
	return kk_error_set(err, rc, _("The message is larger than %u bytes."), KK_MIME_MAX_BYTES);
}

enum kk_result kk_mime_parse(const char *data, size_t n, struct kk_mime_message *out, struct kk_error *err)
{
	struct mime_headers h;
	size_t off = 0, body;
	enum kk_result rc;

	memset(out, 0, sizeof(*out));
	if (n > KK_MIME_MAX_BYTES)
		return kk_error_set(err, KK_ETOOBIG, _("The message is larger than %u bytes."), KK_MIME_MAX_BYTES);
	if (n == 0)
		return kk_error_set(err, KK_EINVAL, "%s", _("The message is empty."));
	/* an mbox "From " line before the headers (procmail, fetchmail) */
	if (n > 5 && memcmp(data, "From ", 5) == 0) {
		const char *nl = memchr(data, '\n', n);

		off = nl ? (size_t)(nl - data) + 1 : n;
	}
	if ((rc = mime_headers_read(data + off, n - off, &h, &body)) != KK_OK)
		return failed(out, err, rc);
	if (h.lines == 0) {
		mime_headers_release(&h);
		return kk_error_set(err, KK_EINVAL, "%s",
				    memchr(data, '\0', n < 1024 ? n : 1024) ? _("The message is binary data, not mail.")
									   : _("The message has no header fields."));
	}
	rc = envelope(&h, out);
	if (rc == KK_OK)
		rc = read_entity(&h, data + off, n - off, body, out);
	mime_headers_release(&h);
	return rc == KK_OK ? KK_OK : failed(out, err, rc);
}

enum kk_result kk_mime_parse_inner(const char *plain, size_t n, struct kk_mime_message *out, struct kk_error *err)
{
	struct mime_headers h;
	size_t body;
	enum kk_result rc;
	struct kk_buf b;

	memset(out, 0, sizeof(*out));
	if (n > KK_MIME_MAX_BYTES)
		return kk_error_set(err, KK_ETOOBIG, _("The message is larger than %u bytes."), KK_MIME_MAX_BYTES);
	if ((rc = mime_headers_read(plain, n, &h, &body)) != KK_OK)
		return failed(out, err, rc);
	/* a MIME entity: fields, then an empty line, one of them Content-Type
	 * (RFC 3156 §4 says the plaintext is one); anything else is bare text */
	if (h.lines && mime_header_get(&h, "Content-Type") && body > 0 &&
	    (plain[body - 1] == '\n' || body == n)) {
		rc = field(&h, "Subject", 1, &out->subject); /* protected headers */
		if (rc == KK_OK) {
			int nomem = 0;

			out->content_type = mime_ctype(mime_header_get(&h, "Content-Type"), &nomem);
			if (!out->content_type)
				out->content_type = kk_strdup("text/plain");
			rc = out->content_type ? read_entity(&h, plain, n, body, out) : KK_ENOMEM;
		}
		mime_headers_release(&h);
		return rc == KK_OK ? KK_OK : failed(out, err, rc);
	}
	mime_headers_release(&h);
	kk_buf_init(&b, MIME_MAX_TEXT);
	kk_buf_add(&b, "", 0);
	mime_to_utf8(NULL, plain, n, &b);
	rc = kk_buf_finish(&b, &out->text);
	if (rc == KK_OK && !(out->content_type = kk_strdup("text/plain")))
		rc = KK_ENOMEM;
	return rc == KK_OK ? KK_OK : failed(out, err, rc);
}

void kk_mime_release(struct kk_mime_message *m)
{
	if (!m)
		return;
	free(m->subject);
	free(m->message_id);
	free(m->in_reply_to);
	free(m->references);
	free(m->date);
	free(m->auto_submitted);
	free(m->from);
	free(m->from_name);
	for (size_t i = 0; i < m->n_recipients; i++)
		free(m->recipients[i]);
	free(m->recipients);
	free(m->content_type);
	free(m->text);
	free(m->pgp_data);
	for (size_t i = 0; i < m->n_dsn; i++) {
		free(m->dsn[i].final_recipient);
		free(m->dsn[i].action);
		free(m->dsn[i].status);
		free(m->dsn[i].diagnostic);
	}
	free(m->dsn);
	free(m->dsn_message_id);
	memset(m, 0, sizeof(*m));
}
