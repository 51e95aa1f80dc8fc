/*
 * http_internal.h: the small pure pieces of the HTTP front (http.c), exposed only so
 * that tests/unit/test_http.c can check them: route matching, header parsing
 * (Content-Type, Accept, Cookie, Authorization), percent-decoding, the listen
 * address and the Content-Disposition of downloads.
 *
 * None of these allocate except through the kk_buf they are given; none reads
 * the network. Handlers use http.h, not this file.
 */
#ifndef KEIKAI_SERVER_HTTP_INTERNAL_H
#define KEIKAI_SERVER_HTTP_INTERNAL_H

#include <stddef.h>
#include <sys/socket.h>

#include "http.h"

#define HTTP_MAX_PARAMS 4

/* A piece of a string: offset and length. */
struct http_span {
	size_t off, len;
};

/*
 * 1 when path matches pattern segment by segment: literal segments exactly,
 * "{}" one non-empty segment (which may hold any byte but '/'). The captured
 * segments' positions in path go to caps (at most HTTP_MAX_PARAMS), their count
 * to *n_caps. A trailing slash is a segment of its own, so "/report/" does not
 * match "/report" nor "/report/{}".
 */
int http_route_match(const char *pattern, const char *path, struct http_span caps[HTTP_MAX_PARAMS],
		     size_t *n_caps);

/*
 * The route of table for method and path, or NULL. HEAD is served by GET routes.
 * When the path matches but no route has the method, *path_known is set and
 * allow receives the methods that would do, comma-separated ("GET, HEAD, POST"),
 * for the Allow header of a 405.
 */
const struct kk_route *http_route_find(const struct kk_route *table, const char *method, const char *path,
				       struct http_span caps[HTTP_MAX_PARAMS], size_t *n_caps, int *path_known,
				       char *allow, size_t allow_size);

/* 1 when the media type of a Content-Type value is `type` (case-insensitive),
 * parameters such as "; charset=utf-8" allowed. NULL never matches. */
int http_media_type_is(const char *content_type, const char *type);

/* 1 when an Accept header prefers application/json to text/html (q-values
 * honoured; ties go to the one named first). NULL or no JSON: 0. */
int http_accept_wants_json(const char *accept);

/* The value of cookie `name` in a Cookie header, not NUL-terminated: a pointer
 * into header and its length in *len; surrounding double quotes are dropped. The
 * first of several cookies with that name wins. NULL when absent. */
const char *http_cookie_find(const char *header, const char *name, size_t *len);

/* The token of an Authorization header "Bearer TOKEN" (scheme case-insensitive),
 * or NULL for another scheme or none. An empty token gives "". */
const char *http_bearer_token(const char *authorization);

/* 1 when s is a plausible secret of ours: 1 to KK_TOKEN_MAX - 1 characters of
 * the URL-safe base64 alphabet. Lets junk cookies skip the database. */
int http_token_syntax_ok(const char *s);

/*
 * Decodes %HH escapes in place and returns the new length. "%00" is left as it is,
 * so a decoded path or argument never holds a NUL that would cut it short; a '%'
 * not followed by two hex digits is kept. (MHD turns '+' into ' ' in query
 * arguments before this runs; paths keep their '+'.)
 */
size_t http_unescape(char *s);

/*
 * Parses a listen address "ADDR:PORT": a dotted IPv4 address, "[IPv6]" or
 * "localhost" (= 127.0.0.1); PORT 0 to 65535, 0 picking a free one. Fills ss and
 * *len. 0 on success, -1 when s is malformed.
 */
int http_listen_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len);

/* Appends a Content-Disposition value for a download named filename:
 * `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded`.
 * Control characters, quotes, backslashes, slashes and non-ASCII bytes become '_'
 * in the fallback. A NULL or empty name gives "download". */
enum kk_result http_content_disposition(struct kk_buf *b, const char *filename);

/* Parses a non-negative decimal index ("0", "12"; no sign, no spaces, at most 9
 * digits). 0 on success, -1 otherwise. */
int http_parse_index(const char *s, size_t *out);

#endif
