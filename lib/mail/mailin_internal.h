/*
 * mailin_internal.h: what mail-in reads in a message besides the parser's
 * work (mailin_text.c): the reply tokens it carries (mail.h's contract), the
 * signs of an automatic reply, addresses compared as mail systems compare
 * them, and its text made fit to keep as a message. Internal to lib/mail/.
 */
#ifndef KEIKAI_MAIL_MAILIN_INTERNAL_H
#define KEIKAI_MAIL_MAILIN_INTERNAL_H

#include <stddef.h>

#include "keikai/mail.h"
#include "keikai/mime.h"

#define MAILIN_MAX_TOKENS 16

/*
 * The reply tokens m carries, in the order they are most likely to be
 * right: in a recipient address LOCAL+TOKEN@DOMAIN (To, Cc, Delivered-To,
 * X-Original-To; a DSN's Final-Recipient), then in a Message-ID
 * <kk.TOKEN@DOMAIN> of In-Reply-To, a DSN's returned message, and
 * References. At most max go to out (lower case, NUL-terminated); returns
 * how many there are (out may be NULL with max 0, to count them).
 */
size_t mailin_tokens(const struct kk_mime_message *m, char (*out)[KK_MAIL_TOKEN_LEN + 1], size_t max);

/* 1 when m is an automatic reply: Auto-Submitted other than "no" (RFC
 * 3834), or a subject an out-of-office reply typically has. */
int mailin_is_auto_reply(const struct kk_mime_message *m);

/* The address in "Name <local@domain>" or "local@domain" (a pointer into s,
 * which is cut at the ">"; "" for NULL). */
const char *mailin_bare_address(char *s);

/* 1 when a and b are the same address (without case). */
int mailin_same_address(const char *a, const char *b);

/* text fit to keep as a message: CR LF and CR made LF, other control
 * characters but tab removed, invalid UTF-8 replaced by U+FFFD, cut at max
 * bytes on a character's boundary (saying so). A new string the caller
 * frees; NULL when out of memory. */
char *mailin_clean_text(const char *text, size_t max);

/* Removes trailing blanks of s. */
void mailin_trim_end(char *s);

#endif
