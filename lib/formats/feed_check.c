/*
 * feed_check.c: checking a feed before it is written (kk_feed_check), and reading
 * the values the writers need from it: times in JST, the CVSS of sec:cvss, the
 * names of sec:cpe (feed_impl.h).
 *
 * A feed is public (issue 12, capability 6), so nothing is written that does not
 * say exactly what the advisory says: identifiers, addresses, CVE, CWE, CPE and
 * CVSS are checked and a malformed one is refused with a field error at its path
 * ("items[2].cves[0]"); a CVSS score or severity must be the vector's. Free text
 * is never refused: feed_write.c makes it fit for XML.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "keikai/cpe.h"
#include "keikai/cvss.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "formats/feed_impl.h"

/* Japan Standard Time: UTC+09:00, no daylight saving. */
#define JST_OFFSET (9 * 3600)
/* 9999-12-31T23:59:59+09:00, the last time a four-digit year can write. */
#define FEED_TIME_LAST (INT64_C(253402300799) - JST_OFFSET)
/* The longest CVE sequence number keikai reads (as lib/case/vulns.c). */
/* The largest CWE id (cwe.h's KK_CWE_ID_MAX has room for MITRE's). */
#define CWE_DIGITS_MAX 7

int feed_time_valid(int64_t t)
{
	return t > 0 && t <= FEED_TIME_LAST;
}

void feed_time(int64_t t, char out[FEED_TIME_LEN])
{
	time_t jst = (time_t)(t + JST_OFFSET);
	struct tm tm;

	gmtime_r(&jst, &tm);
	snprintf(out, FEED_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d+09:00", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int64_t feed_item_updated(const struct kk_feed_item *it)
{
	return it->updated ? it->updated : it->published;
}

int64_t feed_updated(const struct kk_feed *f)
{
	int64_t t = 0;

	if (f->updated)
		return f->updated;
	for (size_t i = 0; i < f->n_items; i++)
		if (feed_item_updated(&f->items[i]) > t)
			t = feed_item_updated(&f->items[i]);
	return t;
}

static const char *translate(const char *msgid)
{
	return _(msgid);
}

/* Appends an entry of type with the score in tenths to out. */
static void cvss_entry(struct feed_cvss *out, enum kk_cvss_version v, const char *type, int tenths)
{
	out->e[out->n].type = type;
	out->e[out->n].severity = kk_cvss_severity_name(kk_cvss_rate(v, tenths));
	snprintf(out->e[out->n].score, sizeof(out->e[out->n].score), "%d.%d", tenths / 10, tenths % 10);
	out->n++;
}

int feed_cvss_read(const char *vector, double score, const char *severity, int family, struct feed_cvss *out,
		   const char **member, char *msg, size_t n)
{
	struct kk_cvss_error cerr;
	struct kk_cvss c;
	int tenths;

	memset(out, 0, sizeof(*out));
	*member = "vector";
	if (kk_cvss_parse_str(vector, &c, &cerr) != 0) {
		kk_cvss_format_error(&cerr, translate, msg, n);
		return -1;
	}
	if (family == 3 && c.version != KK_CVSS_V3_0 && c.version != KK_CVSS_V3_1) {
		snprintf(msg, n, "%s", _("Must be a CVSS v3.1 vector (CVSS:3.1/…)."));
		return -1;
	}
	if (family == 4 && c.version != KK_CVSS_V4_0) {
		snprintf(msg, n, "%s", _("Must be a CVSS v4.0 vector (CVSS:4.0/…)."));
		return -1;
	}
	out->vector = vector;
	out->version = kk_cvss_version_name(c.version);
	if (family == 3) {
		cvss_entry(out, c.version, "Base", c.base);
		if (c.flags & KK_CVSS_HAS_TEMPORAL)
			cvss_entry(out, c.version, "Temporal", c.temporal);
		if (c.flags & KK_CVSS_HAS_ENVIRONMENTAL)
			cvss_entry(out, c.version, "Environmental", c.environmental);
		tenths = c.base;
	} else {
		cvss_entry(out, c.version,
			   c.flags & KK_CVSS_HAS_ENVIRONMENTAL ? "Environmental"
			   : c.flags & KK_CVSS_HAS_THREAT    ? "Temporal"
							     : "Base",
			   c.score);
		tenths = c.score;
	}

	*member = "score";
	if (isnan(score) || score > 10.0) {
		snprintf(msg, n, "%s", _("Must be a score from 0.0 to 10.0."));
		return -1;
	}
	if (score >= 0) {
		long given = lround(score * 10.0);

		if (given != tenths || fabs(score * 10.0 - (double)given) > 1e-6) {
			snprintf(msg, n, _("The vector's score is %s, not %g."), out->e[0].score, score);
			return -1;
		}
	}
	*member = "severity";
	if (severity && strcasecmp(severity, out->e[0].severity) != 0) {
		int known = 0;

		for (int s = KK_CVSS_NONE; s <= KK_CVSS_CRITICAL; s++)
			known |= !strcasecmp(severity, kk_cvss_severity_name((enum kk_cvss_severity)s));
		if (!known)
			snprintf(msg, n, "%s", _("Must be None, Low, Medium, High or Critical."));
		else
			snprintf(msg, n, _("The vector's severity is %s."), _(out->e[0].severity));
		return -1;
	}
	return 0;
}

/* A WFN value without its quoting ("contiki\-ng" -> "contiki-ng"), or NULL for
 * ANY and NA; *nomem set when the copy failed. */
static char *wfn_plain(const struct kk_cpe_value *v, int *nomem)
{
	char *s, *w;

	if (v->kind != KK_CPE_STRING)
		return NULL;
	if (!(s = w = kk_malloc(v->len + 1))) {
		*nomem = 1;
		return NULL;
	}
	for (const char *r = v->str; *r; r++) {
		if (*r == '\\' && r[1])
			r++;
		*w++ = *r;
	}
	*w = '\0';
	return s;
}

enum kk_result feed_cpe_read(const char *name, const char *vendor, const char *product, struct feed_cpe *out,
			     char *msg, size_t n)
{
	struct kk_cpe_error cerr;
	struct kk_cpe cpe;
	enum kk_result res;
	int nomem = 0;
	size_t len;

	memset(out, 0, sizeof(*out));
	res = kk_cpe_parse(name, &cpe, &cerr);
	if (res == KK_ENOMEM)
		return KK_ENOMEM;
	if (res != KK_OK) {
		snprintf(msg, n, _("Not a CPE name: %s: %s (column %zu)."), kk_cpe_attr_name(cerr.attribute),
			 _(kk_cpe_strerror(cerr.code)), cerr.offset + 1);
		return KK_EINVAL;
	}
	/* JVN's feeds name products by CPE 2.2 URI (sec:cpe version="2.2"), and
	 * every WFN binds to one (NISTIR 7695 6.1.2) */
	len = kk_cpe_to_uri(&cpe, NULL, 0);
	if ((out->uri = kk_malloc(len + 1)))
		kk_cpe_to_uri(&cpe, out->uri, len + 1);
	else
		nomem = 1;
	if (!kk_str_empty(vendor))
		nomem |= !(out->vendor = kk_strdup(vendor));
	else
		out->vendor = wfn_plain(&cpe.attr[KK_CPE_VENDOR], &nomem);
	if (!kk_str_empty(product))
		nomem |= !(out->product = kk_strdup(product));
	else
		out->product = wfn_plain(&cpe.attr[KK_CPE_PRODUCT], &nomem);
	kk_cpe_release(&cpe);
	if (nomem)
		return KK_ENOMEM;
	if (!out->vendor) {
		/* sec:cpe's vendor is required: a product without one is no product */
		snprintf(msg, n, "%s", _("The CPE name names no vendor: give the vendor's name."));
		return KK_EINVAL;
	}
	return KK_OK;
}

void feed_cpe_release(struct feed_cpe *c)
{
	free(c->uri);
	free(c->vendor);
	free(c->product);
	memset(c, 0, sizeof(*c));
}

/* An absolute http or https URL with a host, as one token of printable text:
 * what rdf:about, link, atom:id and sec:references (xs:anyURI) may carry. */
static int url_valid(const char *u)
{
	const char *host;
	size_t n = 0;

	if (strncasecmp(u, "https://", 8) == 0)
		host = u + 8;
	else if (strncasecmp(u, "http://", 7) == 0)
		host = u + 7;
	else
		return 0;
	while ((host[n] >= 'a' && host[n] <= 'z') || (host[n] >= 'A' && host[n] <= 'Z') ||
	       (host[n] >= '0' && host[n] <= '9') || host[n] == '.' || host[n] == '-' || host[n] == '_' ||
	       (unsigned char)host[n] >= 0x80)
		n++;
	if (n == 0 || host[0] == '.' || host[0] == '-')
		return 0;
	if (host[n] && host[n] != '/' && host[n] != ':' && host[n] != '?' && host[n] != '#')
		return 0;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == '"')
			return 0;
	return kk_utf8_valid(u, strlen(u));
}

/* "CWE-79": digits without a leading zero. */
static int cwe_valid(const char *s)
{
	size_t n = 0;

	if (strncmp(s, "CWE-", 4) != 0 || s[4] == '0')
		return 0;
	s += 4;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n >= 1 && n <= CWE_DIGITS_MAX && s[n] == '\0';
}

/* One line of valid UTF-8 without control characters: an item's public ID. */
static int line_valid(const char *s)
{
	return !kk_str_empty(s) && !kk_has_control(s, 0) && kk_utf8_valid(s, strlen(s));
}

/* Checking: every fault is recorded at its path; the first ENOMEM stops. */
struct check {
	struct kk_error *err;
	int bad;
	int nomem;
};

static void fault(struct check *c, const char *path, const char *msg)
{
	c->bad = 1;
	if (kk_error_field(c->err, path, "%s", msg) == KK_ENOMEM)
		c->nomem = 1;
}

static void check_url(struct check *c, const char *path, const char *u)
{
	if (kk_str_empty(u))
		fault(c, path, _("Required."));
	else if (!url_valid(u))
		fault(c, path, _("Must be an http:// or https:// address."));
}

static void check_cvss(struct check *c, const char *at, int family, const char *vector, double score,
		       const char *severity)
{
	char path[80], msg[256];
	const char *member;
	struct feed_cvss cv;

	if (!vector)
		return;
	if (feed_cvss_read(vector, score, severity, family, &cv, &member, msg, sizeof(msg)) != 0) {
		snprintf(path, sizeof(path), "%s.cvss%d_%s", at, family, member);
		fault(c, path, msg);
	}
}

static void check_item(struct check *c, const struct kk_feed_item *it, size_t i)
{
	char at[32], path[96], msg[256];

	snprintf(at, sizeof(at), "items[%zu]", i);
#define AT(member) (snprintf(path, sizeof(path), "%s.%s", at, member), path)
	if (kk_str_empty(it->id))
		fault(c, AT("id"), _("Required."));
	else if (!line_valid(it->id))
		fault(c, AT("id"), _("Must be one line without control characters."));
	if (kk_str_empty(it->title))
		fault(c, AT("title"), _("Required."));
	check_url(c, AT("url"), it->url);
	if (!feed_time_valid(it->published))
		fault(c, AT("published"), _("Must be a time from 1970 to 9999."));
	if (it->updated && !feed_time_valid(it->updated))
		fault(c, AT("updated"), _("Must be a time from 1970 to 9999."));
	else if (it->updated && it->updated < it->published)
		fault(c, AT("updated"), _("Cannot be before the first publication."));
	check_cvss(c, at, 3, it->cvss3_vector, it->cvss3_score, it->cvss3_severity);
	check_cvss(c, at, 4, it->cvss4_vector, it->cvss4_score, it->cvss4_severity);
	for (size_t j = 0; j < it->n_cves && !c->nomem; j++) {
		const char *s = feed_at(it->cves, j);

		snprintf(path, sizeof(path), "%s.cves[%zu]", at, j);
		if (!s || !kk_cve_id_valid(s))
			fault(c, path, _("Must be a CVE id such as CVE-2026-12345."));
	}
	for (size_t j = 0; j < it->n_cwes && !c->nomem; j++) {
		const char *s = feed_at(it->cwes, j);

		snprintf(path, sizeof(path), "%s.cwes[%zu]", at, j);
		if (!s || !cwe_valid(s))
			fault(c, path, _("Must be a CWE id such as \"CWE-79\"."));
	}
	for (size_t j = 0; j < it->n_cpes && !c->nomem; j++) {
		const char *s = feed_at(it->cpes, j);
		struct feed_cpe cpe;
		enum kk_result res;

		snprintf(path, sizeof(path), "%s.cpes[%zu]", at, j);
		if (!s) {
			fault(c, path, _("Required."));
			continue;
		}
		res = feed_cpe_read(s, feed_at(it->cpe_vendors, j), feed_at(it->cpe_products, j), &cpe, msg,
				    sizeof(msg));
		feed_cpe_release(&cpe);
		if (res == KK_ENOMEM)
			c->nomem = 1;
		else if (res)
			fault(c, path, msg);
	}
	for (size_t j = 0; j < it->n_vendors && !c->nomem; j++) {
		snprintf(path, sizeof(path), "%s.vendors[%zu]", at, j);
		if (kk_str_empty(feed_at(it->vendors, j)))
			fault(c, path, _("Required."));
	}
	for (size_t j = 0; j < it->n_refs && !c->nomem; j++) {
		snprintf(path, sizeof(path), "%s.refs[%zu].url", at, j);
		check_url(c, path, it->refs ? it->refs[j].url : NULL);
	}
#undef AT
}

enum kk_result kk_feed_check(const struct kk_feed *f, struct kk_error *err)
{
	struct check c = { err, 0, 0 };

	assert(f && (f->items || !f->n_items));
	if (kk_str_empty(f->title))
		fault(&c, "title", _("Required."));
	check_url(&c, "url", f->url);
	check_url(&c, "site_url", f->site_url);
	if (kk_str_empty(f->lang))
		fault(&c, "lang", _("Required."));
	else if (strcmp(f->lang, "ja") != 0 && strcmp(f->lang, "en") != 0)
		fault(&c, "lang", _("Must be \"ja\" or \"en\"."));
	if (f->updated && !feed_time_valid(f->updated))
		fault(&c, "updated", _("Must be a time from 1970 to 9999."));
	else if (!f->updated && !f->n_items)
		fault(&c, "updated", _("Required."));
	if (f->n_items > KK_FEED_ITEMS_MAX) {
		char msg[128];

		snprintf(msg, sizeof(msg), _("At most %d items."), KK_FEED_ITEMS_MAX);
		fault(&c, "items", msg);
	} else {
		for (size_t i = 0; i < f->n_items && !c.nomem; i++)
			check_item(&c, &f->items[i], i);
	}
	if (c.nomem)
		return kk_error_nomem(err);
	return c.bad ? KK_EINVAL : KK_OK;
}
