/*
 * tracking_id.h: the policy for the tracking numbers finders are given
 * ("IPA#12345678"). Internal to the core.
 */
#ifndef KEIKAI_TRACKING_ID_H
#define KEIKAI_TRACKING_ID_H

#include <stddef.h>

/* Tries made to find a free number before giving up. */
#define KK_TRACKING_ID_TRIES 8

/* Writes "<prefix>#<8 random digits>" to out. The number is uniformly random, so
 * it says nothing about volume or order, and several servers on one database
 * never coordinate: the store's unique index catches the rare collision and the
 * caller draws again. */
void kk_tracking_id_make(const char *prefix, char *out, size_t size);

#endif
