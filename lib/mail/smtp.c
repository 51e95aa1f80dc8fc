/*
 * smtp.c: SMTP with libcurl (smtp.h; issue 11, item 1). One easy handle per
 * struct kk_smtp, so a run of messages to one relay shares one connection
 * (libcurl keeps it open between transfers). The message goes up as it was
 * composed: libcurl only adds the dot-stuffing and the final ".". What a
 * try came to is read from libcurl's result and the relay's last reply code
 * (CURLINFO_RESPONSE_CODE): a 5xx reply is permanent, anything else that is
 * not success is worth another try later.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/settings.h"
#include "keikai/smtp.h"
#include "keikai/util.h"

/* a relay that says nothing for this long is as good as gone (the try is
 * transient); long enough for a slow content filter after DATA */
#define SMTP_CONNECT_SECONDS 30L
#define SMTP_TRANSFER_SECONDS 300L

struct kk_smtp {
	CURL *curl;
	const atomic_int *stop;
	char *url, *ca_file;
	enum kk_smtp_starttls starttls;
};

static int curl_ready;

static void curl_init_once(void)
{
	curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

/* ---- the settings ---- */

static int has_ctl_or_space(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v <= ' ' || *v == 0x7f)
			return 1;
	return 0;
}

int kk_smtp_url_valid(const char *v)
{
	const char *host, *at, *end;

	if (!*v)
		return 1;
	if (strlen(v) > 2000 || has_ctl_or_space(v))
		return 0;
	if (strncmp(v, "smtp://", 7) == 0)
		host = v + 7;
	else if (strncmp(v, "smtps://", 8) == 0)
		host = v + 8;
	else
		return 0;
	end = host + strcspn(host, "/?#");
	/* user:password@ is before the last '@' of the authority */
	for (at = end; at > host && at[-1] != '@'; at--)
		;
	if (at > host)
		host = at;
	if (host == end || *host == ':')
		return 0;
	/* the path names nothing but an optional EHLO domain: no query, no fragment */
	return *end == '\0' || (*end == '/' && !strpbrk(end, "?#"));
}

/* one address: local@domain, no spaces, no angle brackets */
static int address_valid(const char *a, size_t n)
{
	const char *at = memchr(a, '@', n);

	if (!at || at == a || at == a + n - 1 || memchr(at + 1, '@', (size_t)(a + n - at - 1)))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)a[i] <= ' ' || strchr("<>()[]\\,;:\"", a[i]))
			return 0;
	return memchr(at + 1, '.', (size_t)(a + n - at - 1)) != NULL;
}

int kk_smtp_from_valid(const char *v)
{
	const char *lt, *gt;
	size_t n = strlen(v);

	if (n == 0)
		return 1;
	if (n > 500 || strpbrk(v, "\r\n"))
		return 0;
	lt = strchr(v, '<');
	if (!lt)
		return address_valid(v, n);
	gt = strchr(lt, '>');
	/* "Name <address>": the name may not carry another bracket or quote */
	if (!gt || gt[1] != '\0' || lt == v || memchr(v, '>', (size_t)(lt - v)) || memchr(v, '"', (size_t)(lt - v)))
		return 0;
	return address_valid(lt + 1, (size_t)(gt - lt - 1));
}

char *kk_smtp_from_address(const char *from)
{
	const char *lt = strchr(from, '<'), *gt;

	if (!lt)
		return address_valid(from, strlen(from)) ? kk_strdup(from) : NULL;
	gt = strchr(lt, '>');
	if (!gt || !address_valid(lt + 1, (size_t)(gt - lt - 1)))
		return NULL;
	return kk_strndup(lt + 1, (size_t)(gt - lt - 1));
}

static int starttls_parse(const char *v, enum kk_smtp_starttls *out)
{
	static const struct {
		const char *name;
		enum kk_smtp_starttls value;
	} names[] = { { "try", KK_SMTP_STARTTLS_TRY },
		      { "required", KK_SMTP_STARTTLS_REQUIRED },
		      { "off", KK_SMTP_STARTTLS_OFF } };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v, names[i].name) == 0) {
			*out = names[i].value;
			return 0;
		}
	return -1;
}

int kk_smtp_starttls_valid(const char *v)
{
	enum kk_smtp_starttls t;

	return starttls_parse(v, &t) == 0;
}

int kk_smtp_ca_file_valid(const char *v)
{
	return *v == '\0' || (*v == '/' && strlen(v) < 4096 && !strpbrk(v, "\r\n"));
}

static int max_tries_parse(const char *v, int *out)
{
	char *end;
	long n;

	if (*v < '0' || *v > '9')
		return -1;
	n = strtol(v, &end, 10);
	if (*end || n < 1 || n > 100)
		return -1;
	*out = (int)n;
	return 0;
}

int kk_smtp_max_tries_valid(const char *v)
{
	int n;

	return max_tries_parse(v, &n) == 0;
}

char *kk_smtp_url_redact(const char *url)
{
	const char *scheme = strstr(url, "://"), *auth, *end, *colon, *at;

	if (!scheme)
		return kk_strdup(url);
	auth = scheme + 3;
	end = auth + strcspn(auth, "/?#");
	for (at = end; at > auth && at[-1] != '@'; at--)
		;
	if (at == auth)
		return kk_strdup(url);
	colon = memchr(auth, ':', (size_t)(at - 1 - auth));
	if (!colon)
		return kk_strdup(url);
	return kk_strdupf("%.*s:***%s", (int)(colon - url), url, at - 1);
}

enum kk_result kk_smtp_config_load(struct kk_tx *tx, struct kk_smtp_config *c, struct kk_error *err)
{
	char *starttls = NULL, *tries = NULL;
	enum kk_result res;

	memset(c, 0, sizeof(*c));
	if ((res = kk_setting_read(tx, "smtp.url", "", &c->url, err)) ||
	    (res = kk_setting_read(tx, "smtp.from", "", &c->from, err)) ||
	    (res = kk_setting_read(tx, "smtp.ca_file", "", &c->ca_file, err)) ||
	    (res = kk_setting_read(tx, "smtp.starttls", "try", &starttls, err)) ||
	    (res = kk_setting_read(tx, "smtp.max_tries", KK_SMTP_MAX_TRIES_DEFAULT, &tries, err)))
		goto out;
	/* the settings were checked when they were set; a value stored some other
	 * way is named rather than guessed at */
	if (starttls_parse(starttls, &c->starttls) != 0)
		res = kk_error_set(err, KK_EINVAL, _("The setting %s cannot be \"%s\": it must be %s."), "smtp.starttls",
				   starttls, "required, try, off");
	else if (max_tries_parse(tries, &c->max_tries) != 0)
		res = kk_error_set(err, KK_EINVAL, _("The setting %s cannot be \"%s\": it must be %s."), "smtp.max_tries",
				   tries, _("a whole number from 1 to 100"));
out:
	free(starttls);
	free(tries);
	if (res)
		kk_smtp_config_release(c);
	return res;
}

void kk_smtp_config_release(struct kk_smtp_config *c)
{
	if (!c)
		return;
	free(c->url);
	free(c->from);
	free(c->ca_file);
	memset(c, 0, sizeof(*c));
}

/* ---- the transfer ---- */

struct upload {
	const char *data;
	size_t n, off;
};

static size_t read_data(char *buf, size_t size, size_t nitems, void *p)
{
	struct upload *u = p;
	size_t room = size * nitems, left = u->n - u->off;

	if (room > left)
		room = left;
	memcpy(buf, u->data + u->off, room);
	u->off += room;
	return room;
}

/* libcurl calls this during a transfer: non-zero ends it (a server stopping) */
static int watch_stop(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	const atomic_int *stop = p;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return stop && atomic_load(stop);
}

enum kk_result kk_smtp_open(const struct kk_smtp_config *c, const atomic_int *stop, struct kk_smtp **out,
			    struct kk_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct kk_smtp *s;

	*out = NULL;
	pthread_once(&once, curl_init_once);
	if (!curl_ready)
		return kk_error_set(err, KK_EIO, "%s", _("libcurl could not be initialised."));
	if (!(s = kk_calloc(1, sizeof(*s))))
		return kk_error_nomem(err);
	s->stop = stop;
	s->starttls = c->starttls;
	if (!(s->url = kk_strdup(c->url)) || !(s->ca_file = kk_strdup(c->ca_file))) {
		kk_smtp_close(s);
		return kk_error_nomem(err);
	}
	if (!(s->curl = curl_easy_init())) {
		kk_smtp_close(s);
		return kk_error_set(err, KK_EIO, "%s", _("libcurl could not be initialised."));
	}
	*out = s;
	return KK_OK;
}

void kk_smtp_close(struct kk_smtp *s)
{
	if (!s)
		return;
	if (s->curl)
		curl_easy_cleanup(s->curl);
	free(s->url);
	free(s->ca_file);
	free(s);
}

static void classify(CURLcode rc, long code, const char *detail, struct kk_smtp_result *r)
{
	r->code = code;
	if (rc == CURLE_OK) {
		r->outcome = KK_SMTP_SENT;
		r->error[0] = '\0';
		return;
	}
	/* issue 11: the relay's own "never" is a 5xx reply; everything else (a
	 * 4xx, no connection, a TLS failure, a timeout) may go next time */
	r->outcome = code >= 500 && code <= 599 ? KK_SMTP_PERMANENT : KK_SMTP_TRANSIENT;
	/* a refused login (535) is the relay's settings, not the recipient's
	 * address: the message waits for the operator to fix smtp.url */
	if (rc == CURLE_LOGIN_DENIED)
		r->outcome = KK_SMTP_TRANSIENT;
	if (code)
		snprintf(r->error, sizeof(r->error), "%ld %s", code, detail[0] ? detail : curl_easy_strerror(rc));
	else
		snprintf(r->error, sizeof(r->error), "%s", detail[0] ? detail : curl_easy_strerror(rc));
}

void kk_smtp_send(struct kk_smtp *s, const struct kk_mail_out *m, struct kk_smtp_result *r)
{
	char detail[CURL_ERROR_SIZE] = "";
	struct upload up = { m->data, m->n, 0 };
	struct curl_slist *rcpt = NULL;
	char *from = kk_strdupf("<%s>", m->from), *to = kk_strdupf("<%s>", m->rcpt);
	CURL *c = s->curl;
	CURLcode rc;
	long code = 0;

	memset(r, 0, sizeof(*r));
	if (!from || !to || !(rcpt = curl_slist_append(NULL, to))) {
		r->outcome = KK_SMTP_TRANSIENT;
		snprintf(r->error, sizeof(r->error), "%s", "out of memory");
		goto out;
	}
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, s->url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_data);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)m->n);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, SMTP_CONNECT_SECONDS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, SMTP_TRANSFER_SECONDS);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_USE_SSL,
			 s->starttls == KK_SMTP_STARTTLS_REQUIRED ? (long)CURLUSESSL_ALL
			 : s->starttls == KK_SMTP_STARTTLS_TRY    ? (long)CURLUSESSL_TRY
								  : (long)CURLUSESSL_NONE);
	/* certificates are always checked: against the private CA when one is named */
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->ca_file[0])
		curl_easy_setopt(c, CURLOPT_CAINFO, s->ca_file);
	if (s->stop) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, watch_stop);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)s->stop);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	classify(rc, code, detail, r);
out:
	curl_slist_free_all(rcpt);
	free(from);
	free(to);
}
