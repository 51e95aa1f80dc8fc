/*
 * fold.c: search keys of vendor and product names and their similarity (issue 8,
 * capabilities 4 and 5; SPEC 2.5 vendor identification).
 *
 * The Unicode work is libunistring's (Debian libunistring-dev): u8_casefold with
 * UNINORM_NFKC does the compatibility decomposition, the full case folding and
 * the canonical composition in one call, which is what turns "ＡＢＣ" into "abc"
 * and "ｻﾝﾌﾟﾙ" into "サンプル". Around it this file adds what NFKC leaves alone and
 * names vary in: hiragana to katakana, dash variants, white space and invisible
 * characters; and, for ranking, legal forms and punctuation. The input is checked
 * as UTF-8 first, since libunistring would silently replace a bad sequence.
 *
 * Every allocation of this file is a struct kk_buf; libunistring writes into a
 * buffer on the stack and allocates for itself (released with free(), as
 * alloc.h allows) only for a name that expands past it. docs/internals/fold.md
 * gives the rules and the scale of kk_name_similarity.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "keikai/fold.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

/* Room for the folded form of most names without libunistring allocating. */
#define FOLD_STACK 8192

/* ---- code points ---- */

/* Appends code point c as UTF-8 (c is a valid scalar value). */
static void add_cp(struct kk_buf *b, ucs4_t c)
{
	uint8_t u[6];
	int n = u8_uctomb(u, c, (int)sizeof(u));

	if (n > 0)
		kk_buf_add(b, u, (size_t)n);
}

/* White space (Unicode White_Space) and control characters: a word break. */
static int is_space(ucs4_t c)
{
	return c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
	       c == 0x202f || c == 0x205f || c == 0x3000;
}

/* Characters that do not show and that copies of one name may or may not carry:
 * soft hyphen, combining grapheme joiner, zero-width characters, bidirectional
 * controls, invisible operators, variation selectors (the ideographic ones of
 * Japanese kanji included), the byte-order mark and tags. */
static int is_invisible(ucs4_t c)
{
	return c == 0xad || c == 0x34f || c == 0x61c || c == 0x180e ||
	       (c >= 0x180b && c <= 0x180d) || (c >= 0x200b && c <= 0x200f) ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) ||
	       (c >= 0xfe00 && c <= 0xfe0f) || c == 0xfeff ||
	       (c >= 0xe0000 && c <= 0xe0fff);
}

/* The one spelling kept of characters NFKC keeps apart. */
static ucs4_t fold_cp(ucs4_t c)
{
	/* hiragana to katakana: ぁ..ゖ -> ァ..ヶ, ゝゞ -> ヽヾ (the blocks are parallel) */
	if ((c >= 0x3041 && c <= 0x3096) || c == 0x309d || c == 0x309e)
		return c + 0x60;
	/* hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus */
	if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212)
		return '-';
	return c;
}

/* ---- kk_fold ---- */

/*
 * NFKC once more over out, after a character between a letter and its marks was
 * dropped or a kana got a form that composes otherwise (ワ + ゛ is ヷ, わ + ゛ is
 * nothing): so the key of a key is the key. stack (size bytes) is scratch.
 */
static enum kk_result renormalize(struct kk_buf *out, uint8_t *stack, size_t size)
{
	size_t len = size;
	uint8_t *nf = u8_normalize(UNINORM_NFKC, (const uint8_t *)out->data, out->len, stack, &len);

	if (!nf)
		return errno == ENOMEM ? KK_ENOMEM : KK_EINVAL;
	kk_buf_reset(out);
	kk_buf_add(out, nf, len);
	if (nf != stack)
		free(nf);
	return kk_buf_result(out);
}

/*
 * Appends the search key of s to out (empty on entry). On failure err says why;
 * out may hold part of a key then and the caller releases it.
 */
static enum kk_result fold_into(const char *s, struct kk_buf *out, struct kk_error *err)
{
	uint8_t pre[KK_FOLD_MAX + 1];
	uint8_t stack[FOLD_STACK];
	const uint8_t *in = (const uint8_t *)s, *bad;
	uint8_t *cf;
	size_t n, len = sizeof(stack), i;
	int pending_space = 0, recompose = 0;
	enum kk_result rc = KK_OK;

	if (!s)
		return kk_error_set(err, KK_EINVAL, _("no name given to fold"));
	n = strlen(s);
	if (n > KK_FOLD_MAX)
		return kk_error_set(err, KK_ETOOBIG, _("name is longer than %d bytes"), KK_FOLD_MAX);
	bad = u8_check(in, n);
	if (bad)
		return kk_error_set(err, KK_EINVAL, _("name is not valid UTF-8 (at byte %zu)"),
				    (size_t)(bad - in));

	/* The spacing (han)dakuten ゛ ゜ (U+309B, U+309C), which NFKC turns into a
	 * space and a combining mark, become the combining marks U+3099 and U+309A
	 * themselves, so that "は゛" composes to "ば" as "ﾊﾞ" does. Same length. */
	if (memmem(in, n, "\xe3\x82\x9b", 3) || memmem(in, n, "\xe3\x82\x9c", 3)) {
		memcpy(pre, in, n);
		for (i = 0; i + 2 < n; i++)
			if (pre[i] == 0xe3 && pre[i + 1] == 0x82 && (pre[i + 2] == 0x9b || pre[i + 2] == 0x9c))
				pre[i + 2] -= 2;
		in = pre;
	}

	cf = u8_casefold(in, n, NULL, UNINORM_NFKC, stack, &len);
	if (!cf) {
		if (errno == ENOMEM)
			return kk_error_set(err, KK_ENOMEM, _("out of memory while folding a name"));
		return kk_error_set(err, KK_EINVAL, _("name could not be normalized"));
	}

	for (i = 0; i < len;) {
		ucs4_t c, f;
		int step = u8_mbtouc(&c, cf + i, len - i);

		i += (size_t)step;
		if (is_space(c)) {
			pending_space = out->len > 0;
			continue;
		}
		if (is_invisible(c)) {
			recompose = 1;
			continue;
		}
		if (pending_space)
			kk_buf_add(out, " ", 1);
		pending_space = 0;
		f = fold_cp(c);
		if (f != c && f != '-')
			recompose = 1; /* a kana changed script */
		add_cp(out, f);
	}
	if (cf != stack)
		free(cf);
	rc = kk_buf_result(out);
	if (rc == KK_OK && recompose)
		rc = renormalize(out, stack, sizeof(stack));
	if (rc == KK_ENOMEM)
		return kk_error_set(err, KK_ENOMEM, _("out of memory while folding a name"));
	if (rc == KK_EINVAL)
		return kk_error_set(err, KK_EINVAL, _("name could not be normalized"));
	if (rc != KK_OK)
		return kk_error_set(err, rc, _("folded name is too long"));
	return KK_OK;
}

/* Hands the text of b to *out, or reports why it cannot. */
static enum kk_result finish(struct kk_buf *b, char **out, struct kk_error *err)
{
	enum kk_result rc = kk_buf_finish(b, out);

	if (rc == KK_ENOMEM)
		return kk_error_set(err, KK_ENOMEM, _("out of memory while folding a name"));
	if (rc != KK_OK)
		return kk_error_set(err, rc, _("folded name is too long"));
	return KK_OK;
}

/* The cap of a key's buffer: NFKC and case folding expand a name at most 18 and
 * 3 times, in bytes, and the rules after them never lengthen it. */
#define KEY_MAX ((size_t)KK_FOLD_MAX * 18 * 3 + 1)

enum kk_result kk_fold(const char *s, char **out, struct kk_error *err)
{
	struct kk_buf b;
	enum kk_result rc;

	*out = NULL;
	kk_buf_init(&b, KEY_MAX);
	rc = fold_into(s, &b, err);
	if (rc == KK_OK)
		rc = finish(&b, out, err);
	kk_buf_release(&b);
	return rc;
}

/* ---- kk_fold_company ---- */

/*
 * Japanese legal forms as they read after kk_fold (so "（株）" and "㈱" are
 * "(株)" and "ＮＰＯ" is "npo"), dropped wherever they stand: a company may put
 * its form before its name (前株) or after it (後株). Longest first where one
 * ends another.
 */
static const char *const legal_ja[] = {
	"地方独立行政法人", "国立研究開発法人", "特定非営利活動法人",
	"一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人",
	"独立行政法人", "国立大学法人", "公立大学法人", "社会福祉法人",
	"npo法人", "学校法人", "医療法人", "宗教法人",
	"株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "相互会社",
	"(株)", "(有)", "(同)", "(合)", "(資)", "(名)", "(社)", "(財)", "(学)",
	"(医)", "(福)", "(独)", "(特)",
};

/* English and other Latin-script legal forms, written without dots, dropped
 * from the end of a name ("Example Co., Ltd." -> "example"). */
static const char *const legal_trail[] = {
	"inc", "incorporated", "corp", "corporation", "co", "company", "ltd",
	"limited", "llc", "llp", "lp", "plc", "gmbh", "ag", "kg", "sa", "sas",
	"sarl", "srl", "spa", "bv", "nv", "oy", "oyj", "ab", "as", "asa", "aps",
	"kk", "pty", "pte", "sdn", "bhd", "pvt", "kabushiki", "kaisha", "gaisha",
	"kabushikikaisha", "kabushikigaisha", "yugen",
};

/* Romanised Japanese legal forms, dropped from the start of a name as well
 * ("Kabushiki Kaisha Example" -> "example"). */
static const char *const legal_lead[] = {
	"kabushiki", "kaisha", "gaisha", "kabushikikaisha", "kabushikigaisha", "yugen",
};

/* 1 when s[0..n) is one of list[0..count). */
static int word_in(const char *s, size_t n, const char *const *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strlen(list[i]) == n && memcmp(s, list[i], n) == 0)
			return 1;
	return 0;
}

#define IN_LIST(s, n, list) word_in((s), (n), (list), sizeof(list) / sizeof((list)[0]))

/* A word of a ranking key: s[start, start + len). Words written together with
 * dots only ("k.k.", "co.,ltd" is two groups) share a group number. */
struct word {
	size_t start, len;
	size_t group;
};

/* Appends the words of s[0..n) to words (an array of struct word in a kk_buf):
 * spaces, dots, punctuation and symbols (Unicode categories P and S) separate them. */
static void split_words(const char *s, size_t n, struct kk_buf *words)
{
	const uint8_t *u = (const uint8_t *)s;
	struct word w = { 0, 0, 0 };
	size_t i = 0, group = 0;
	int in_word = 0;

	while (i < n) {
		ucs4_t c;
		size_t at = i;

		i += (size_t)u8_mbtouc(&c, u + at, n - at);
		if (c == ' ' || c == '.' || uc_is_general_category(c, UC_CATEGORY_P) ||
		    uc_is_general_category(c, UC_CATEGORY_S)) {
			if (in_word)
				kk_buf_add(words, &w, sizeof(w));
			in_word = 0;
			if (c != '.')
				group++;
			continue;
		}
		if (!in_word) {
			in_word = 1;
			w.start = at;
			w.group = group;
		}
		w.len = i - w.start;
	}
	if (in_word)
		kk_buf_add(words, &w, sizeof(w));
}

/* How many of the last words of w[lo..hi) make one trailing legal form: the last
 * word itself, or two or three one-letter words of one dotted group ("k.k.",
 * "s.r.l."). 0 when they do not. */
static size_t legal_tail(const char *s, const struct word *w, size_t lo, size_t hi)
{
	char joined[4];
	size_t k, i;

	if (IN_LIST(s + w[hi - 1].start, w[hi - 1].len, legal_trail))
		return 1;
	for (k = 2; k <= 3 && k <= hi - lo; k++) {
		for (i = hi - k; i < hi; i++) {
			if (w[i].len != 1 || w[i].group != w[hi - 1].group)
				return 0;
			joined[i - (hi - k)] = s[w[i].start];
		}
		if (IN_LIST(joined, k, legal_trail))
			return k;
	}
	return 0;
}

/* Appends to out the ranking key of key (a kk_fold key); tmp and words are
 * scratch buffers. A failure shows in the buffers' results. */
static void company_into(const char *key, struct kk_buf *out, struct kk_buf *tmp,
			 struct kk_buf *words)
{
	size_t n = strlen(key), i = 0, k, lo = 0, hi, cut;
	const struct word *w;
	const char *s;

	/* Japanese legal forms become spaces. */
	while (i < n) {
		for (k = 0; k < sizeof(legal_ja) / sizeof(legal_ja[0]); k++) {
			size_t m;

			if (legal_ja[k][0] != key[i]) /* most bytes start none of them */
				continue;
			m = strlen(legal_ja[k]);
			if (m <= n - i && memcmp(key + i, legal_ja[k], m) == 0)
				break;
		}
		if (k < sizeof(legal_ja) / sizeof(legal_ja[0])) {
			kk_buf_add(tmp, " ", 1);
			i += strlen(legal_ja[k]);
		} else {
			kk_buf_add(tmp, key + i, 1);
			i++;
		}
	}
	s = tmp->data ? tmp->data : "";
	split_words(s, tmp->len, words);
	if (kk_buf_result(tmp) != KK_OK || kk_buf_result(words) != KK_OK)
		return;
	w = (const struct word *)words->data;
	hi = words->len / sizeof(*w);

	/* Romanised legal forms at the start, Latin-script ones at the end. */
	while (lo < hi && IN_LIST(s + w[lo].start, w[lo].len, legal_lead))
		lo++;
	while (lo < hi && (cut = legal_tail(s, w, lo, hi)) > 0)
		hi -= cut;

	if (lo == hi) {
		/* Nothing but legal forms: keep the Latin-script ones, or when there are
		 * none the search key itself (Japanese forms and punctuation only). */
		lo = 0;
		hi = words->len / sizeof(*w);
		if (hi == 0) {
			kk_buf_add(out, key, n);
			return;
		}
	}
	for (i = lo; i < hi; i++) {
		if (i > lo)
			kk_buf_add(out, " ", 1);
		kk_buf_add(out, s + w[i].start, w[i].len);
	}
}

/* kk_fold_company of the name key (a kk_fold key) was folded from; key is
 * NULL when the caller folds s here. */
static enum kk_result company(const char *s, const char *key_in, char **out, struct kk_error *err)
{
	struct kk_buf key, tmp, words, b;
	enum kk_result rc = KK_OK;

	*out = NULL;
	kk_buf_init(&key, KEY_MAX);
	kk_buf_init(&tmp, KEY_MAX);
	kk_buf_init(&words, KEY_MAX * sizeof(struct word));
	kk_buf_init(&b, KEY_MAX);
	if (!key_in)
		rc = fold_into(s, &key, err);
	if (rc != KK_OK)
		goto out;
	company_into(key_in ? key_in : key.data ? key.data : "", &b, &tmp, &words);
	rc = kk_buf_result(&tmp);
	if (rc == KK_OK)
		rc = kk_buf_result(&words);
	if (rc == KK_OK)
		rc = kk_buf_result(&b);
	if (rc == KK_ENOMEM) {
		rc = kk_error_set(err, KK_ENOMEM, _("out of memory while folding a name"));
		goto out;
	}
	if (rc != KK_OK) {
		rc = kk_error_set(err, rc, _("folded name is too long"));
		goto out;
	}
	rc = finish(&b, out, err);
out:
	kk_buf_release(&key);
	kk_buf_release(&tmp);
	kk_buf_release(&words);
	kk_buf_release(&b);
	return rc;
}

enum kk_result kk_fold_company(const char *s, char **out, struct kk_error *err)
{
	return company(s, NULL, out, err);
}

enum kk_result kk_fold_company_key(const char *key, char **out, struct kk_error *err)
{
	*out = NULL;
	if (!key)
		return kk_error_set(err, KK_EINVAL, "%s", _("no name given to fold"));
	return company(NULL, key, out, err);
}

/* ---- kk_name_similarity ---- */

/* The code points of key without its spaces, at most KK_SIMILARITY_MAX_CHARS. */
static size_t decode_compact(const char *key, ucs4_t *cp)
{
	const uint8_t *u = (const uint8_t *)key;
	size_t n = strlen(key), i = 0, m = 0;

	while (i < n && m < KK_SIMILARITY_MAX_CHARS) {
		ucs4_t c;

		i += (size_t)u8_mbtouc(&c, u + i, n - i);
		if (c != ' ')
			cp[m++] = c;
	}
	return m;
}

/* 1 when needle[0..nn) occurs in hay[0..nh). */
static int contains(const ucs4_t *hay, size_t nh, const ucs4_t *needle, size_t nn)
{
	size_t i;

	for (i = 0; i + nn <= nh; i++)
		if (memcmp(hay + i, needle, nn * sizeof(*needle)) == 0)
			return 1;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The bigrams of cp[0..n) as sorted 64-bit keys; returns their count. */
static size_t bigrams(const ucs4_t *cp, size_t n, uint64_t *out)
{
	size_t i;

	if (n < 2)
		return 0;
	for (i = 0; i + 1 < n; i++)
		out[i] = (uint64_t)cp[i] << 32 | cp[i + 1];
	qsort(out, n - 1, sizeof(*out), cmp_u64);
	return n - 1;
}

int kk_name_similarity(const char *a, const char *b)
{
	ucs4_t ca[KK_SIMILARITY_MAX_CHARS], cb[KK_SIMILARITY_MAX_CHARS];
	uint64_t ga[KK_SIMILARITY_MAX_CHARS], gb[KK_SIMILARITY_MAX_CHARS];
	const ucs4_t *shorter, *longer;
	size_t na, nb, ns, nl, x, y, i = 0, j = 0, common = 0;

	if (!a || !b)
		return 0;
	na = decode_compact(a, ca);
	nb = decode_compact(b, cb);
	if (na == 0 || nb == 0)
		return 0;
	if (strcmp(a, b) == 0)
		return 1000;
	if (na == nb && memcmp(ca, cb, na * sizeof(*ca)) == 0)
		return 990;

	shorter = na < nb ? ca : cb;
	longer = na < nb ? cb : ca;
	ns = na < nb ? na : nb;
	nl = na < nb ? nb : na;
	if (ns >= 2 && ns < nl) {
		if (memcmp(shorter, longer, ns * sizeof(*shorter)) == 0)
			return 900 + (int)(89 * ns / nl);
		if (contains(longer, nl, shorter, ns))
			return 800 + (int)(89 * ns / nl);
	}

	/* Dice coefficient of the bigram multisets: 2 |A ∩ B| / (|A| + |B|) */
	x = bigrams(ca, na, ga);
	y = bigrams(cb, nb, gb);
	if (x + y == 0)
		return 0;
	while (i < x && j < y) {
		if (ga[i] == gb[j]) {
			common++;
			i++;
			j++;
		} else if (ga[i] < gb[j]) {
			i++;
		} else {
			j++;
		}
	}
	return (int)(799 * 2 * common / (x + y));
}
