/*
 * mime_addr.c: address lists of From, To, Cc and the like (RFC 5322 §3.4):
 * "Name" <local@domain>, local@domain (Name), groups "Team: a@x, b@y;",
 * quoted strings, comments, obsolete routes <@relay:local@domain>. What comes
 * out is the addr-spec in lower case (keikai matches senders to contacts by
 * it) and the display name decoded to UTF-8. An entry without an '@' or with
 * blanks inside is not an address and is skipped; one pass, no recursion.
 */
#include <string.h>

#include "mime_internal.h"

struct mailbox {
	struct kk_buf phrase;  /* the words before '<' (or the whole addr-spec) */
	struct kk_buf angle;   /* what is inside <…> */
	struct kk_buf comment; /* the first comment, a name when there is no phrase */
	int has_angle;         /* a '<' was seen */
	int angle_open;        /* … and its '>' not yet */
};

static void mailbox_reset(struct mailbox *m)
{
	kk_buf_reset(&m->phrase);
	kk_buf_reset(&m->angle);
	kk_buf_reset(&m->comment);
	m->has_angle = 0;
	m->angle_open = 0;
}

/* Trims blanks of s in place and returns it. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	return s;
}

/* The addr-spec of text (a route "@a,@b:" dropped), lower case, in a new
 * string; NULL (and *nomem unset) when text is no address. */
static char *addr_spec(const char *text, int *nomem)
{
	struct kk_buf b;
	const char *s = text, *colon;
	char *a;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '@' && (colon = strchr(s, ':')) != NULL)
		s = colon + 1;
	kk_buf_init(&b, strlen(s) + 1);
	kk_buf_add(&b, "", 0);
	for (; *s; s++) {
		char c = *s;

		if (c == ' ' || c == '\t')
			continue; /* "a @ b" as written by old software */
		kk_buf_add(&b, &c, 1);
	}
	a = kk_buf_detach(&b);
	if (!a) {
		*nomem = 1;
		return NULL;
	}
	for (char *c = a; *c; c++) {
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c + 32);
		else if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '<' || *c == '>' || *c == ',' || *c == ';' ||
			 *c == '"' || *c == '(' || *c == ')') {
			free(a);
			return NULL;
		}
	}
	{
		char *at = strrchr(a, '@');

		/* raw 8-bit bytes are kept only when UTF-8 (RFC 6532) */
		if (!at || at == a || !at[1] || strlen(a) > 254 || !kk_utf8_valid(a, strlen(a))) {
			free(a);
			return NULL;
		}
	}
	return a;
}

/* Adds the mailbox read so far to the list. */
static enum kk_result finish(struct mailbox *m, char ***list, size_t *n, size_t max, char **name)
{
	int nomem = 0;
	char *text, *addr, *display = NULL;
	const char *src;
	enum kk_result rc = KK_OK;

	if (kk_buf_result(&m->phrase) || kk_buf_result(&m->angle) || kk_buf_result(&m->comment))
		return KK_ENOMEM;
	if (m->phrase.len == 0 && m->angle.len == 0) { /* ",," or a lone comment: nothing to read */
		mailbox_reset(m);
		return KK_OK;
	}
	kk_buf_add(&m->phrase, "", 0);
	kk_buf_add(&m->angle, "", 0);
	kk_buf_add(&m->comment, "", 0);
	if (kk_buf_result(&m->phrase) || kk_buf_result(&m->angle) || kk_buf_result(&m->comment))
		return KK_ENOMEM;
	src = m->has_angle ? m->angle.data : m->phrase.data;
	addr = addr_spec(src, &nomem);
	if (nomem)
		return KK_ENOMEM;
	if (!addr || *n >= max) {
		free(addr);
		mailbox_reset(m);
		return KK_OK;
	}
	/* the display name: the phrase before <…>, else a comment */
	text = trim(m->has_angle ? m->phrase.data : m->comment.data);
	if (name && !*name && *text) {
		display = mime_header_decode(text);
		if (!display) {
			rc = KK_ENOMEM;
		} else {
			char *t = trim(display);

			memmove(display, t, strlen(t) + 1);
			if (*display)
				*name = display;
			else
				free(display);
		}
	}
	for (size_t i = 0; i < *n && rc == KK_OK; i++)
		if (strcmp((*list)[i], addr) == 0) { /* already there */
			free(addr);
			mailbox_reset(m);
			return KK_OK;
		}
	if (rc == KK_OK && *n % 8 == 0) {
		char **grown = kk_realloc(*list, (*n + 8) * sizeof(char *));

		if (!grown)
			rc = KK_ENOMEM;
		else
			*list = grown;
	}
	if (rc != KK_OK) {
		free(addr);
		return rc;
	}
	(*list)[(*n)++] = addr;
	mailbox_reset(m);
	return KK_OK;
}

enum kk_result mime_addr_list(const char *raw, char ***list, size_t *n, size_t max, char **name)
{
	struct mailbox m;
	size_t len = strlen(raw);
	const char *p = raw;
	enum kk_result rc = KK_OK;
	int in_group = 0;

	kk_buf_init(&m.phrase, len + 1);
	kk_buf_init(&m.angle, len + 1);
	kk_buf_init(&m.comment, len + 1);
	m.has_angle = 0;
	m.angle_open = 0;
	while (*p && rc == KK_OK) {
		/* text goes into <…> while it is open; after it, only comments count */
		struct kk_buf *to = m.angle_open ? &m.angle : m.has_angle ? NULL : &m.phrase;

		switch (*p) {
		case '"': /* a quoted string: its text, the quotes and escapes removed */
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (to)
					kk_buf_add(to, p, 1);
			}
			if (*p)
				p++;
			break;
		case '(': { /* a comment, nested up to a depth */
			int depth = 0;
			struct kk_buf *c = m.comment.len == 0 ? &m.comment : NULL;

			for (; *p; p++) {
				if (*p == '\\' && p[1]) {
					p++;
				} else if (*p == '(') {
					if (depth < MIME_MAX_COMMENT_DEPTH)
						depth++;
					if (depth == 1)
						continue;
				} else if (*p == ')') {
					if (--depth == 0) {
						p++;
						break;
					}
				}
				if (c)
					kk_buf_add(c, p, 1);
			}
			if (to)
				kk_buf_add(to, " ", 1);
			break;
		}
		case '<':
			if (!m.has_angle) {
				m.has_angle = 1;
				m.angle_open = 1;
			}
			p++;
			break;
		case '>':
			m.angle_open = 0;
			p++;
			break;
		case ':':
			if (!m.has_angle && !in_group) { /* "group name:" starts a group */
				in_group = 1;
				mailbox_reset(&m);
				p++;
				break;
			}
			if (to)
				kk_buf_add(to, p, 1);
			p++;
			break;
		case ';':
		case ',':
			/* inside <…> a ',' belongs to a route "@a,@b:" */
			if (m.angle_open) {
				kk_buf_add(&m.angle, p++, 1);
				break;
			}
			if (*p == ';')
				in_group = 0;
			rc = finish(&m, list, n, max, name);
			p++;
			break;
		default:
			if (to)
				kk_buf_add(to, p, 1);
			p++;
			break;
		}
	}
	if (rc == KK_OK)
		rc = finish(&m, list, n, max, name);
	kk_buf_release(&m.phrase);
	kk_buf_release(&m.angle);
	kk_buf_release(&m.comment);
	return rc;
}
