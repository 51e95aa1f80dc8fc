/*
 * i18n.c: Japanese and English through gettext, one language per thread.
 *
 * glibc's gettext follows the calling thread's locale (uselocale), so each thread
 * carries a locale object whose LC_MESSAGES is ja_JP.UTF-8 or C.UTF-8; numbers and
 * everything else stay in the C locale, so JSON and printf output do not change.
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

static locale_t locales[2];
static _Thread_local enum kk_lang current = KK_LANG_JA;

static int catalog_in(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/ja/LC_MESSAGES/%s.mo", dir, KK_GETTEXT_PACKAGE);
	return stat(path, &st) == 0;
}

/* The first directory holding a catalog: $KEIKAI_LOCALEDIR, beside the binary,
 * the build tree, the installed location. */
static const char *find_localedir(char *buf, size_t size)
{
	const char *env = getenv("KEIKAI_LOCALEDIR");
	ssize_t n;
	char *slash;

	if (env && catalog_in(env))
		return env;
	n = readlink("/proc/self/exe", buf, size - 8);
	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash) {
			snprintf(slash, size - (size_t)(slash - buf), "/po");
			if (catalog_in(buf))
				return buf;
		}
	}
	if (catalog_in(KK_BUILD_LOCALEDIR))
		return KK_BUILD_LOCALEDIR;
	return KK_LOCALEDIR;
}

int kk_i18n_init(void)
{
	char buf[PATH_MAX];
	int rc = 0;

	if (locales[KK_LANG_EN])
		return locales[KK_LANG_JA] ? 0 : -1;
	/* LANGUAGE would override the per-thread choice. */
	unsetenv("LANGUAGE");
	bindtextdomain(KK_GETTEXT_PACKAGE, find_localedir(buf, sizeof(buf)));
	bind_textdomain_codeset(KK_GETTEXT_PACKAGE, "UTF-8");
	textdomain(KK_GETTEXT_PACKAGE);
	locales[KK_LANG_EN] = newlocale(LC_CTYPE_MASK | LC_MESSAGES_MASK, "C.UTF-8", (locale_t)0);
	locales[KK_LANG_JA] = newlocale(LC_CTYPE_MASK | LC_MESSAGES_MASK, "ja_JP.UTF-8", (locale_t)0);
	/* only the fronts print: the caller says that Japanese is missing */
	if (!locales[KK_LANG_JA])
		rc = -1;
	if (!locales[KK_LANG_EN])
		locales[KK_LANG_EN] = newlocale(LC_CTYPE_MASK | LC_MESSAGES_MASK, "C", (locale_t)0);
	kk_i18n_use(current);
	return rc;
}

void kk_i18n_use(enum kk_lang lang)
{
	locale_t loc = locales[lang];

	current = lang;
	if (!loc)
		loc = locales[KK_LANG_EN];
	if (loc)
		uselocale(loc);
}

enum kk_lang kk_i18n_current(void)
{
	return current;
}

const char *kk_lang_code(enum kk_lang lang)
{
	return lang == KK_LANG_EN ? "en" : "ja";
}

int kk_lang_parse(const char *s, enum kk_lang *out)
{
	if (!s)
		return -1;
	if (strncasecmp(s, "ja", 2) == 0 && (s[2] == '\0' || s[2] == '-' || s[2] == '_')) {
		*out = KK_LANG_JA;
		return 0;
	}
	if (strncasecmp(s, "en", 2) == 0 && (s[2] == '\0' || s[2] == '-' || s[2] == '_')) {
		*out = KK_LANG_EN;
		return 0;
	}
	return -1;
}

enum kk_lang kk_lang_from_accept(const char *h)
{
	enum kk_lang best = KK_LANG_JA, lang;
	double best_q = -1.0;

	while (h && *h) {
		char tag[16];
		size_t n = 0;
		double q = 1.0;
		const char *end = strchr(h, ',');
		const char *semi;

		if (!end)
			end = h + strlen(h);
		while (h < end && (*h == ' ' || *h == '\t'))
			h++;
		while (h + n < end && h[n] != ';' && h[n] != ' ' && n < sizeof(tag) - 1) {
			tag[n] = h[n];
			n++;
		}
		tag[n] = '\0';
		semi = memchr(h, ';', (size_t)(end - h));
		if (semi) {
			const char *qp = strstr(semi, "q=");
			if (qp && qp < end)
				q = strtod(qp + 2, NULL);
		}
		if (q > best_q && q > 0.0 && kk_lang_parse(tag, &lang) == 0) {
			best = lang;
			best_q = q;
		}
		h = *end ? end + 1 : end;
	}
	return best;
}
