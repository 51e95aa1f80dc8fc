/*
 * import.c: `keikai holidays import FILE` (calendar.h, kk_holidays_import;
 * issue 10 capability 1): the Cabinet Office's list of national holidays
 * (syukujitsu.csv) becomes the administrator's list, which wins over the
 * rules for every year it covers.
 *
 * The file: a header line ("国民の祝日・休日月日,国民の祝日・休日名称"), then
 * "1955/1/1,元日" a line, CRLF or LF. The Cabinet Office publishes it in
 * Shift_JIS (Windows code page 932); UTF-8, with or without a byte order
 * mark, is accepted too. Text that is not valid UTF-8 is read as CP932 and
 * converted with iconv(3).
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/calendar.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "store/holidays.h"

#define MAX_FAULTS 20 /* lines named in the error's fields */

static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;

		if (!len || (len == 2 && c < 0xC2) || i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

/* data as UTF-8 text with a terminating NUL, in *out (the caller frees). */
static enum kk_result to_utf8(const char *data, size_t size, char **out, struct kk_error *err)
{
	iconv_t cd;
	char *buf, *in, *o, path[32];
	size_t cap = size * 3 / 2 + 1, inleft, outleft;

	if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		size -= 3;
	}
	in = (char *)data;
	inleft = size;
	if (valid_utf8((const unsigned char *)data, size)) {
		*out = kk_strndup(data, size);
		return *out ? KK_OK : kk_error_nomem(err);
	}
	/* Shift_JIS: at most 3 bytes of UTF-8 for every 2 bytes, 1 for 1 */
	if (!(buf = kk_malloc(cap)))
		return kk_error_nomem(err);
	if ((cd = iconv_open("UTF-8", "CP932")) == (iconv_t)-1) {
		free(buf);
		return kk_error_set(err, KK_EIO, "%s", _("This system cannot convert Shift_JIS text (iconv)."));
	}
	o = buf;
	outleft = cap - 1;
	if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
		size_t line = 1;

		for (const char *p = data; p < in; p++)
			line += *p == '\n';
		iconv_close(cd);
		free(buf);
		snprintf(path, sizeof(path), "line %zu", line);
		if (kk_error_field(err, path, "%s", _("the file is neither UTF-8 nor Shift_JIS text.")) == KK_ENOMEM)
			return KK_ENOMEM;
		return kk_error_set(err, KK_EINVAL, _("Line %zu: %s"), line, _("the file is neither UTF-8 nor Shift_JIS text."));
	}
	iconv_close(cd);
	*o = '\0';
	*out = buf;
	return KK_OK;
}

/* "1955/1/1" (month and day with or without a leading zero) into *d. */
static int parse_slash_date(const char *s, size_t n, kk_day *d)
{
	int v[3] = { 0, 0, 0 }, digits = 0, part = 0;
	char iso[KK_DATE_LEN];

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '/' && part < 2 && digits) {
			part++;
			digits = 0;
		} else if (s[i] >= '0' && s[i] <= '9' && digits < (part ? 2 : 4)) {
			v[part] = v[part] * 10 + (s[i] - '0');
			digits++;
		} else {
			return -1;
		}
	}
	if (part != 2 || !digits || v[0] < 1000)
		return -1;
	snprintf(iso, sizeof(iso), "%04d-%02d-%02d", v[0], v[1] % 100, v[2] % 100);
	return kk_day_parse(iso, d);
}

struct parsed {
	char (*days)[KK_DATE_LEN];
	struct kk_holiday_row *rows;
	size_t n, cap, faults;
	char first[256];
};

static enum kk_result fault(struct parsed *p, size_t line, struct kk_error *err, const char *fmt, const char *what)
{
	char path[32], msg[256];

	snprintf(msg, sizeof(msg), fmt, what);
	if (!p->faults++)
		snprintf(p->first, sizeof(p->first), _("Line %zu: %s"), line, msg);
	if (p->faults > MAX_FAULTS)
		return KK_EINVAL;
	snprintf(path, sizeof(path), "line %zu", line);
	return kk_error_field(err, path, "%s", msg);
}

static enum kk_result parse_line(struct parsed *p, char *s, size_t line, struct kk_error *err)
{
	char *comma = strchr(s, ','), *name, *end;
	kk_day d;

	if (!comma)
		return fault(p, line, err, _("\"%s\" is not \"date,name\"."), s);
	for (name = comma + 1; *name == ' '; name++)
		;
	for (end = name + strlen(name); end > name && end[-1] == ' '; end--)
		;
	*end = '\0';
	if (parse_slash_date(s, (size_t)(comma - s), &d)) {
		*comma = '\0';
		return fault(p, line, err, _("\"%s\" is not a date written YYYY/M/D."), s);
	}
	if (!*name || strchr(name, ','))
		return fault(p, line, err, _("the holiday's name is missing or has a comma: \"%s\"."), name);
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		void *days = kk_realloc(p->days, cap * sizeof(*p->days));

		if (!days)
			return kk_error_nomem(err);
		p->days = days;
		if (!(days = kk_realloc(p->rows, cap * sizeof(*p->rows))))
			return kk_error_nomem(err);
		p->rows = days;
		p->cap = cap;
	}
	kk_day_format(d, p->days[p->n]);
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->days[i], p->days[p->n]) == 0)
			return fault(p, line, err, _("the day %s is listed twice."), p->days[p->n]);
	p->rows[p->n].name = name;
	p->n++;
	return KK_OK;
}

static enum kk_result store_rows(struct kk_store *s, struct parsed *p, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 1, &tx, err);

	if (res)
		return res;
	for (size_t i = 0; i < p->n; i++)
		p->rows[i].day = p->days[i];
	res = kk_holiday_rows_replace(&tx, p->rows, p->n, kk_now(), err);
	return kk_tx_end(&tx, res, err);
}

enum kk_result kk_holidays_import(struct kk_store *s, const char *data, size_t size, size_t *count,
				  struct kk_error *err)
{
	struct parsed p;
	char *text, *line, *next;
	size_t number = 0;
	enum kk_result res;

	memset(&p, 0, sizeof(p));
	*count = 0;
	if ((res = to_utf8(data, size, &text, err)))
		return res;
	for (line = text; line && res != KK_ENOMEM; line = next) {
		size_t len;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		number++;
		len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (!len)
			continue;
		/* the header names the columns; it is the first line, whatever the
		 * Cabinet Office calls them that year */
		if (number == 1 && (line[0] < '0' || line[0] > '9'))
			continue;
		res = parse_line(&p, line, number, err);
	}
	if (res != KK_ENOMEM && !p.faults && !p.n)
		fault(&p, number, err, "%s", _("the file lists no holidays."));
	if (res != KK_ENOMEM && p.faults)
		res = kk_error_set(err, KK_EINVAL, "%s", p.first);
	else if (!res)
		res = store_rows(s, &p, err);
	if (!res)
		*count = p.n;
	free(p.days);
	free(p.rows);
	free(text);
	return res;
}
