/*
 * http_parse.c: the HTTP front's pure helpers (http_internal.h): route
 * matching, Allow lists, media types and Accept, cookies and bearer tokens,
 * percent-decoding, listen addresses, Content-Disposition and indexes. They take
 * strings and return values, touch no request or socket, and are unit-tested
 * alone (tests/unit/test_http.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "keikai/util.h"
#include "http_internal.h"

int http_route_match(const char *pattern, const char *path, struct http_span caps[HTTP_MAX_PARAMS],
		     size_t *n_caps)
{
	const char *p = pattern, *s = path;

	*n_caps = 0;
	if (*p != '/' || *s != '/')
		return 0;
	while (*p == '/' && *s == '/') {
		size_t plen, slen;

		p++;
		s++;
		plen = strcspn(p, "/");
		slen = strcspn(s, "/");
		if (plen == 2 && p[0] == '{' && p[1] == '}') {
			if (slen == 0 || *n_caps >= HTTP_MAX_PARAMS)
				return 0;
			caps[*n_caps].off = (size_t)(s - path);
			caps[*n_caps].len = slen;
			(*n_caps)++;
		} else if (plen != slen || memcmp(p, s, plen) != 0) {
			return 0;
		}
		p += plen;
		s += slen;
	}
	return *p == '\0' && *s == '\0';
}

static void allow_add(char *allow, size_t size, const char *method)
{
	size_t n = strlen(allow), m = strlen(method);
	const char *q = allow;

	/* already listed? */
	while ((q = strstr(q, method)) != NULL) {
		if ((q == allow || q[-1] == ' ') && (q[m] == ',' || q[m] == '\0'))
			return;
		q += m;
	}
	if (n + (n ? 2 : 0) + m + 1 > size)
		return;
	if (n) {
		memcpy(allow + n, ", ", 2);
		n += 2;
	}
	memcpy(allow + n, method, m + 1);
}

const struct kk_route *http_route_find(const struct kk_route *table, const char *method, const char *path,
				       struct http_span caps[HTTP_MAX_PARAMS], size_t *n_caps, int *path_known,
				       char *allow, size_t allow_size)
{
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	struct http_span tmp[HTTP_MAX_PARAMS];
	size_t n_tmp;

	*path_known = 0;
	if (allow_size)
		allow[0] = '\0';
	for (const struct kk_route *rt = table; rt->method; rt++) {
		if (!http_route_match(rt->pattern, path, tmp, &n_tmp))
			continue;
		if (strcmp(rt->method, want) == 0) {
			memcpy(caps, tmp, sizeof(tmp));
			*n_caps = n_tmp;
			return rt;
		}
		*path_known = 1;
		allow_add(allow, allow_size, rt->method);
		if (strcmp(rt->method, "GET") == 0)
			allow_add(allow, allow_size, "HEAD");
	}
	return NULL;
}

int http_media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	if (!ct)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, type, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* The q-value of one Accept entry (the text between commas). */
static double accept_q(const char *entry, const char *end)
{
	const char *semi = memchr(entry, ';', (size_t)(end - entry));

	while (semi && semi < end) {
		const char *p = semi + 1;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
			return strtod(p + 2, NULL);
		semi = memchr(p, ';', (size_t)(end - p));
	}
	return 1.0;
}

int http_accept_wants_json(const char *h)
{
	double q_json = 0.0, q_html = 0.0;
	int pos = 0, pos_json = -1, pos_html = -1;

	while (h && *h) {
		const char *end = strchr(h, ',');
		size_t n;

		if (!end)
			end = h + strlen(h);
		while (h < end && (*h == ' ' || *h == '\t'))
			h++;
		n = strcspn(h, ";, \t");
		if (n == 16 && strncasecmp(h, "application/json", 16) == 0 && pos_json < 0) {
			q_json = accept_q(h, end);
			pos_json = pos;
		} else if (n == 9 && strncasecmp(h, "text/html", 9) == 0 && pos_html < 0) {
			q_html = accept_q(h, end);
			pos_html = pos;
		}
		pos++;
		h = *end ? end + 1 : end;
	}
	if (pos_json < 0 || q_json <= 0.0)
		return 0;
	if (pos_html < 0 || q_json > q_html)
		return 1;
	return q_json == q_html && pos_json < pos_html;
}

const char *http_cookie_find(const char *h, const char *name, size_t *len)
{
	size_t n = strlen(name);

	while (h && *h) {
		const char *end, *eq;

		while (*h == ' ' || *h == '\t' || *h == ';')
			h++;
		end = h + strcspn(h, ";");
		eq = memchr(h, '=', (size_t)(end - h));
		if (eq) {
			const char *k_end = eq;

			while (k_end > h && (k_end[-1] == ' ' || k_end[-1] == '\t'))
				k_end--;
			if ((size_t)(k_end - h) == n && memcmp(h, name, n) == 0) {
				const char *v = eq + 1, *v_end = end;

				while (v < v_end && (*v == ' ' || *v == '\t'))
					v++;
				while (v_end > v && (v_end[-1] == ' ' || v_end[-1] == '\t'))
					v_end--;
				if (v_end - v >= 2 && *v == '"' && v_end[-1] == '"') {
					v++;
					v_end--;
				}
				*len = (size_t)(v_end - v);
				return v;
			}
		}
		h = end;
	}
	return NULL;
}

const char *http_bearer_token(const char *h)
{
	if (!h)
		return NULL;
	while (*h == ' ' || *h == '\t')
		h++;
	if (strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t' && h[6] != '\0'))
		return NULL;
	h += 6;
	while (*h == ' ' || *h == '\t')
		h++;
	return h;
}

int http_token_syntax_ok(const char *s)
{
	size_t n = 0;

	if (!s)
		return 0;
	for (; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_'))
			return 0;
	}
	return n > 0 && n < KK_TOKEN_MAX;
}

size_t http_unescape(char *s)
{
	char *w = s;
	const char *p = s;

	while (*p) {
		int hi, lo;

		if (*p == '%' && (hi = kk_hex_digit((unsigned char)p[1])) >= 0 && (lo = kk_hex_digit((unsigned char)p[2])) >= 0 && (hi | lo) != 0) {
			*w++ = (char)(hi << 4 | lo);
			p += 3;
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

int http_listen_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	const char *colon, *port_s;
	char host[64];
	size_t hlen;
	unsigned long port;
	char *end;

	if (!s)
		return -1;
	colon = strrchr(s, ':');
	if (!colon || colon == s)
		return -1;
	port_s = colon + 1;
	if (*port_s < '0' || *port_s > '9' || strlen(port_s) > 5)
		return -1;
	errno = 0;
	port = strtoul(port_s, &end, 10);
	if (errno || *end || port > 65535)
		return -1;
	hlen = (size_t)(colon - s);
	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

		if (hlen < 3 || s[hlen - 1] != ']' || hlen - 2 >= sizeof(host))
			return -1;
		memcpy(host, s + 1, hlen - 2);
		host[hlen - 2] = '\0';
		if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1)
			return -1;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a6);
		return 0;
	}
	{
		struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

		if (hlen >= sizeof(host))
			return -1;
		memcpy(host, s, hlen);
		host[hlen] = '\0';
		if (strcmp(host, "localhost") == 0)
			snprintf(host, sizeof(host), "127.0.0.1");
		if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
			return -1;
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*len = sizeof(*a4);
		return 0;
	}
}

enum kk_result http_content_disposition(struct kk_buf *b, const char *name)
{
	enum kk_result res;

	if (kk_str_empty(name))
		name = "download";
	res = kk_buf_adds(b, "attachment; filename=\"");
	for (const char *p = name; *p && !res; p++) {
		unsigned char c = (unsigned char)*p;
		char out = (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '/') ? '_' : (char)c;

		res = kk_buf_add(b, &out, 1);
	}
	if (!res)
		res = kk_buf_adds(b, "\"; filename*=UTF-8''");
	if (!res)
		res = kk_buf_add_urlenc(b, name);
	return res;
}

int http_parse_index(const char *s, size_t *out)
{
	size_t v = 0, n = 0;

	if (!s)
		return -1;
	for (; s[n]; n++) {
		if (s[n] < '0' || s[n] > '9' || n >= 9)
			return -1;
		v = v * 10 + (size_t)(s[n] - '0');
	}
	if (n == 0)
		return -1;
	*out = v;
	return 0;
}
