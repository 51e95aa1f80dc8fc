/*
 * vault_internal.h: the evidence key's file name and size, shared by keys.c
 * (which creates it) and vault.c (which reads it).
 */
#ifndef KEIKAI_VAULT_INTERNAL_H
#define KEIKAI_VAULT_INTERNAL_H

#include <sodium.h>

#define KK_VAULT_KEY_FILE "evidence.key"
#define KK_VAULT_KEY_BYTES crypto_secretstream_xchacha20poly1305_KEYBYTES

#endif
