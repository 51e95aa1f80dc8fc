/*
 * i18n.h: Japanese and English through gettext.
 *
 * Message ids are English. Each thread has a current language (kk_i18n_use), so the
 * HTTP front sets the requester's language once per request and every message the
 * core produces on that thread, errors included, comes out in it.
 */
#ifndef KEIKAI_I18N_H
#define KEIKAI_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

enum kk_lang { KK_LANG_JA = 0, KK_LANG_EN = 1 };

/* Binds the text domain. Looks for catalogs next to the binary, then in the build
 * tree, then in the installed locale dir. Returns 0, or -1 when Japanese is
 * unavailable (no catalog or no ja_JP.UTF-8 locale); English always works. */
int kk_i18n_init(void);

/* Switches the calling thread's language. */
void kk_i18n_use(enum kk_lang lang);

/* The calling thread's language. */
enum kk_lang kk_i18n_current(void);

/* "ja" or "en". */
const char *kk_lang_code(enum kk_lang lang);

/* Parses "ja"/"en" (any case, region ignored). 0 on success, -1 otherwise. */
int kk_lang_parse(const char *s, enum kk_lang *out);

/* Picks ja or en from an Accept-Language header (q-values honoured); Japanese when
 * the header is absent or names neither. */
enum kk_lang kk_lang_from_accept(const char *accept_language);

#endif
