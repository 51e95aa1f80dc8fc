/*
 * compose_internal.h: what the parts of message composition share (mail.h is
 * the public side; issue 11 items 2 and 3, SPEC 1). kinds.c is the table of
 * every kind of message keikai queues: who reads it, the generic phrase its
 * subject carries in clear, and the content-free notice that goes in its
 * place when the reader has no usable OpenPGP key. mime_build.c writes the
 * RFC 5322 / MIME text. compose.c puts a message together. Internal to lib/.
 */
#ifndef KEIKAI_MAIL_COMPOSE_INTERNAL_H
#define KEIKAI_MAIL_COMPOSE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/i18n.h"
#include "keikai/util.h"

/* Who reads a kind of message: where its content-free notice points. */
enum kk_mail_audience {
	KK_MAIL_FINDER,    /* a report's finder: their status page (link in the acknowledgement) */
	KK_MAIL_VENDOR,    /* a vendor's contact or user: the case in keikai */
	KK_MAIL_STAFF,     /* intake, coordinators: the case or the dashboard */
	KK_MAIL_RECIPIENT, /* a recipient of priority provision: its provisions */
};

/* Which content-free notice a kind has (templates/mail/notice_*.txt). */
enum kk_mail_notice {
	KK_NOTICE_FINDER,    /* notice_finder.txt */
	KK_NOTICE_PARTY,     /* notice_party.txt: vendors and staff */
	KK_NOTICE_PROVISION, /* notice_provision.txt */
};

struct kk_mail_kind {
	const char *name;   /* outbox.kind */
	enum kk_mail_audience audience;
	const char *phrase; /* N_(): the subject in clear after "[REF] " */
	enum kk_mail_notice notice;
	int bilingual;      /* 1: written in Japanese and English at once (staff alerts) */
};

extern const struct kk_mail_kind kk_mail_kinds[];
extern const size_t kk_mail_n_kinds;

/* The kind named name, or NULL when keikai does not know it. */
const struct kk_mail_kind *kk_mail_kind_find(const char *name);

/* The content-free notice of kind k in lang into o: ref (the case's ref or
 * the tracking number), url (where to read it; "" for a finder, who has the
 * secret link only in the acknowledgement). */
enum kk_result kk_mail_notice_write(struct kk_buf *o, const struct kk_mail_kind *k, enum kk_lang lang,
				    const char *ref, const char *url, int to_finder);

/* ---- the MIME writer (mime_build.c) ---- */

/* A header "Name: value" with value as it is (ASCII, no line ends), folded
 * at spaces to lines under 78 characters, CRLF-ended. */
enum kk_result kk_mime_header(struct kk_buf *o, const char *name, const char *value);
/* A header whose value is UTF-8 text: as it is when it is printable ASCII,
 * else RFC 2047 B-encoded words ("=?UTF-8?B?...?="), each under 76
 * characters and never splitting a character, on folded lines. */
enum kk_result kk_mime_header_text(struct kk_buf *o, const char *name, const char *text);
/* An address header: "Display <addr>" with the display name RFC 2047-encoded
 * when it is not plain ASCII; just addr when display is NULL or empty. */
enum kk_result kk_mime_header_addr(struct kk_buf *o, const char *name, const char *display, const char *addr);
/* n bytes as base64 in lines of 76 characters, each CRLF-ended. */
enum kk_result kk_mime_base64(struct kk_buf *o, const void *data, size_t n);
/* text with every line end (LF or CRLF) made CRLF, and a final CRLF. */
enum kk_result kk_mime_crlf(struct kk_buf *o, const char *text);
/* The RFC 5322 date of t (Unix seconds) in UTC: "Wed, 02 Dec 2026 18:24:27 +0000"
 * into out (at least 32 bytes). */
void kk_mime_date(int64_t t, char out[32]);
/* A fresh multipart boundary into out (at least 40 bytes). */
void kk_mime_boundary(char out[40]);
/* Splits an address setting ("addr" or "Name <addr>") into *display (may
 * be "") and *addr, both the caller frees. -1 when it holds no address
 * local@domain; 0 otherwise. */
int kk_mime_split_from(const char *from, char **display, char **addr);

#endif
