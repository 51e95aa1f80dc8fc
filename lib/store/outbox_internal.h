/*
 * outbox_internal.h: what the outbox's two files share (outbox.c queues,
 * outbox_delivery.c claims and records).
 */
#ifndef KEIKAI_OUTBOX_INTERNAL_H
#define KEIKAI_OUTBOX_INTERNAL_H

#include "keikai/mail.h"

/* A new reply token (mail.h): KK_MAIL_TOKEN_LEN characters of [a-z2-7]. */
void kk_outbox_token_new(char out[KK_MAIL_TOKEN_LEN + 1]);

#endif
