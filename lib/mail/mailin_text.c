/*
 * mailin_text.c: what mail-in reads in a message besides the parser's work
 * (mailin_internal.h; issue 11, item 4): reply tokens (mail.h: 20
 * characters of [a-z2-7], in LOCAL+TOKEN@DOMAIN and <kk.TOKEN@DOMAIN>),
 * automatic replies (RFC 3834), addresses, and the text kept as a message.
 * Pure functions of their input: the fuzz target and the unit tests call
 * them directly.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "mailin_internal.h"

static int token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7');
}

/* 1 when p starts with a token followed by '@'. */
static int token_at(const char *p)
{
	for (int i = 0; i < KK_MAIL_TOKEN_LEN; i++)
		if (!token_char(p[i]))
			return 0;
	return p[KK_MAIL_TOKEN_LEN] == '@';
}

/* Adds the token at p unless out has it already; *n counts every distinct one. */
static void add(const char *p, char (*out)[KK_MAIL_TOKEN_LEN + 1], size_t max, size_t *n)
{
	char t[KK_MAIL_TOKEN_LEN + 1];

	for (int i = 0; i < KK_MAIL_TOKEN_LEN; i++)
		t[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] - 'A' + 'a' : p[i]);
	t[KK_MAIL_TOKEN_LEN] = '\0';
	for (size_t i = 0; out && i < *n && i < max; i++)
		if (strcmp(out[i], t) == 0)
			return;
	if (out && *n < max)
		memcpy(out[*n], t, sizeof(t));
	(*n)++;
}

/* A token in an address: "+TOKEN@" (the local part's detail). */
static void from_address(const char *a, char (*out)[KK_MAIL_TOKEN_LEN + 1], size_t max, size_t *n)
{
	const char *plus = a ? strrchr(a, '+') : NULL;

	if (plus && token_at(plus + 1))
		add(plus + 1, out, max, n);
}

/* Every "<kk.TOKEN@" in a header of Message-IDs. */
static void from_ids(const char *h, char (*out)[KK_MAIL_TOKEN_LEN + 1], size_t max, size_t *n)
{
	for (const char *p = h; p && (p = strstr(p, "<kk.")) != NULL; p += 4)
		if (token_at(p + 4))
			add(p + 4, out, max, n);
}

size_t mailin_tokens(const struct kk_mime_message *m, char (*out)[KK_MAIL_TOKEN_LEN + 1], size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n_recipients; i++)
		from_address(m->recipients[i], out, max, &n);
	for (size_t i = 0; i < m->n_dsn; i++)
		from_address(m->dsn[i].final_recipient, out, max, &n);
	from_ids(m->in_reply_to, out, max, &n);
	from_ids(m->dsn_message_id, out, max, &n);
	from_ids(m->references, out, max, &n);
	return n;
}

int mailin_is_auto_reply(const struct kk_mime_message *m)
{
	/* subjects out-of-office replies typically have, in both languages */
	static const char *const subjects[] = { "out of office", "out of the office", "automatic reply",
						"auto-reply", "autoreply", "auto reply", "vacation", "不在",
						"自動応答", "自動返信" };
	const char *a = m->auto_submitted;

	if (a) {
		while (*a == ' ' || *a == '\t')
			a++;
		if (strncasecmp(a, "no", 2) != 0 || (a[2] && a[2] != ' ' && a[2] != ';' && a[2] != '\t'))
			return 1;
	}
	for (size_t i = 0; m->subject && i < sizeof(subjects) / sizeof(subjects[0]); i++)
		if (strcasestr(m->subject, subjects[i]))
			return 1;
	return 0;
}

const char *mailin_bare_address(char *s)
{
	char *lt, *gt;

	if (!s)
		return "";
	lt = strchr(s, '<');
	if (lt && (gt = strchr(lt, '>')) != NULL) {
		*gt = '\0';
		s = lt + 1;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	mailin_trim_end(s);
	return s;
}

int mailin_same_address(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

void mailin_trim_end(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
}

/* The length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0) || (p[0] == 0xF0 && p[1] < 0x90) ||
	    (p[0] == 0xF4 && p[1] >= 0x90))
		return 0; /* overlong, a surrogate, past U+10FFFF */
	return n;
}

char *mailin_clean_text(const char *text, size_t max)
{
	static const char replacement[] = "\xEF\xBF\xBD";
	const char *cut_note = _("\n[The text was cut here; the whole message is kept as evidence.]");
	size_t len = strlen(text), note = strlen(cut_note), o = 0;
	/* each byte becomes at most 3 (U+FFFD for one invalid byte) */
	char *out = kk_malloc((len < max ? len : max) * 3 + note + 1);
	const unsigned char *p = (const unsigned char *)text;

	if (!out)
		return NULL;
	while (*p) {
		size_t n = utf8_len(p);
		const char *put = (const char *)p;
		size_t put_n = n;

		if (p[0] == '\r') {
			put = "\n";
			put_n = 1;
			n = p[1] == '\n' ? 2 : 1;
		} else if (n == 0) {
			put = replacement;
			put_n = 3;
			n = 1;
		} else if (n == 1 && ((p[0] < 0x20 && p[0] != '\n' && p[0] != '\t') || p[0] == 0x7F)) {
			put_n = 0;
		}
		if (o + put_n > max - note) {
			memcpy(out + o, cut_note, note);
			o += note;
			break;
		}
		memcpy(out + o, put, put_n);
		o += put_n;
		p += n;
	}
	out[o] = '\0';
	mailin_trim_end(out);
	return out;
}
