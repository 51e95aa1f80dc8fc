/*
 * util.h: small pieces every module uses: a growable buffer with a size cap,
 * string checks, random secrets and hashes.
 *
 * Include keikai headers after the system headers: this one pulls in banned.h,
 * which turns unsafe libc functions into compile errors.
 */
#ifndef KEIKAI_UTIL_H
#define KEIKAI_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/alloc.h"
#include "keikai/error.h"

/* A growable byte buffer that refuses to grow past `max` (curl's dynbuf). Always
 * NUL-terminated when data != NULL.
 *
 * Failure is sticky: once an append fails (KK_ETOOBIG past the cap, KK_ENOMEM
 * when the heap says no), `failed` keeps that result, every later append
 * returns it without adding anything, and kk_buf_finish and kk_buf_detach hand
 * out nothing. So a writer may append a run of pieces and check once at the
 * end, and a half-written text is never mistaken for a whole one. Only
 * kk_buf_reset (start again) and kk_buf_release clear it. */
struct kk_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	enum kk_result failed; /* KK_OK, or the first failed append's result */
};

void kk_buf_init(struct kk_buf *b, size_t max);
/* Appends n bytes. KK_ETOOBIG past the cap, KK_ENOMEM on allocation failure,
 * or the result of an earlier failed append (see above). */
enum kk_result kk_buf_add(struct kk_buf *b, const void *p, size_t n);
enum kk_result kk_buf_adds(struct kk_buf *b, const char *s);
enum kk_result kk_buf_addf(struct kk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum kk_result kk_buf_vaddf(struct kk_buf *b, const char *fmt, va_list ap);
/* Appends s with &, <, >, " and ' escaped for HTML text and attributes, and
 * bidirectional controls (U+202E …) shown as "[U+202E]" rather than obeyed. */
enum kk_result kk_buf_add_html(struct kk_buf *b, const char *s);
/* Appends s percent-encoded for a URL path segment or query value. */
enum kk_result kk_buf_add_urlenc(struct kk_buf *b, const char *s);
/* Empties b and forgets an earlier failure; the cap stays. */
void kk_buf_reset(struct kk_buf *b);
/* KK_OK, or the result of the first append that failed since init or reset. */
enum kk_result kk_buf_result(const struct kk_buf *b);
/* Hands the text over: *out gets a string the caller frees ("" when nothing
 * was added) and b is left empty. When an append failed, or the empty string
 * cannot be allocated, *out is NULL, b is released and the result says why. */
enum kk_result kk_buf_finish(struct kk_buf *b, char **out);
/* kk_buf_finish without the reason: the text (the caller frees it), or NULL. */
char *kk_buf_detach(struct kk_buf *b);
void kk_buf_release(struct kk_buf *b);

/* A string printed as printf would, which the caller frees; NULL when out of
 * memory. */
char *kk_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* 1 when s is NULL or empty. */
int kk_str_empty(const char *s);
/* The value of the hexadecimal digit c (0-9, a-f, A-F), or -1. */
int kk_hex_digit(int c);
/* 0 and *out set when s is a row id: decimal digits only, from 1 to
 * INT64_MAX, no sign, space or leading zero; else -1 (*out untouched). */
int kk_parse_id(const char *s, int64_t *out);
/* 1 when s[0..n) is valid UTF-8. */
int kk_utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 s. */
size_t kk_utf8_len(const char *s);
/* 1 when s has a control character other than (if multiline) \n, \r and \t. */
int kk_has_control(const char *s, int multiline);
/* 1 when s looks like an e-mail address: local@domain.tld, no spaces, <= 254 bytes. */
int kk_email_valid(const char *s);
/* True when s holds a bidirectional control character (U+061C, U+200E, U+200F,
 * U+202A to U+202E, U+2066 to U+2069), which can make text read as other text. */
int kk_has_bidi_control(const char *s);

/* Writes a URL-safe base64 secret of `bytes` random bytes into out (at least
 * KK_SECRET_MAX bytes). */
#define KK_SECRET_MAX 64
void kk_random_secret(char *out, size_t bytes);
/* Writes the hex SHA-256 of data into out (65 bytes). */
void kk_sha256_hex(const void *data, size_t n, char out[65]);

/* s as a JSON string, or JSON null for NULL; a new reference, NULL when out
 * of memory. */
json_t *kk_json_str_or_null(const char *s);

/* A timestamp (clock.h) as an ISO 8601 JSON string, or JSON null for 0. */
json_t *kk_json_time(int64_t t);

/* j as JSON text (json_dumps' flags): a string the caller frees, or NULL when
 * it could not be written whole. Use it instead of json_dumps, which in
 * jansson 2.14 goes on when writing an object's key fails and returns the
 * text without it. */
char *kk_json_dumps(const json_t *j, size_t flags);

/* Standard base64 decode. Returns a buffer the caller frees, or NULL when s is not
 * valid base64, or decodes to more than max bytes (*too_big set to 1 then), or
 * memory ran out (*too_big set to -1 then). */
unsigned char *kk_base64_decode(const char *s, size_t max, size_t *out_len, int *too_big);

#include "keikai/banned.h"

/* Whether s is a CVE ID: "CVE-YYYY-NNNN", the year from 1000, four to 19
 * digits in the sequence (the CVE ID syntax of 2014). */
int kk_cve_id_valid(const char *s);

#endif
