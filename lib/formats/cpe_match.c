/*
 * cpe_match.c: CPE name matching (NISTIR 7696).
 *
 * Matching works on parsed names (cpe.c), whose values are in canonical WFN
 * form: every character that is not a letter, a digit or "_" is quoted, so two
 * values name the same string exactly when their bytes are equal ignoring letter
 * case, and a quoted pair in one lines up with the same pair in the other. The
 * parser has already split each value into leading wild cards, body and trailing
 * wild cards, so comparing two attributes is a length check and at most a few
 * byte comparisons; nothing here allocates. This is the hot path of product
 * filtering: bench/cpe_bench.c measures it against the NVD dictionary.
 */
#include <stddef.h>

#include "keikai/cpe.h"
#include "keikai/banned.h"

static unsigned char fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* SPEC 7696 6.1: "When comparing string literals, matching results MUST be
 * insensitive to lexical case." */
static int same_nocase(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i] && fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
			return 0;
	return 1;
}

/*
 * SPEC 7696 6.3 and Table 6-2 line 14: does the source, read as a pattern, match
 * the wild-card-free target? An unquoted '*' stands for zero or more characters
 * and each unquoted '?' for zero or one, at the start and the end only. So the
 * body must occur in the target with at most `lead` characters before it (any
 * number for '*') and at most `trail` after it. Characters, not bytes, are
 * counted: a quoted pair is one character.
 */
static int wildcard_match(const struct kk_cpe_value *s, const struct kk_cpe_value *t)
{
	const char *body = s->str + s->body_off;
	size_t tchars = t->body_chars, bchars = s->body_chars;
	size_t room, min_pc = 0, max_pc, pc, i = 0;

	if (bchars > tchars)
		return 0;
	room = tchars - bchars; /* characters the wild cards must cover */
	max_pc = room;
	if (s->lead != KK_CPE_STAR && s->lead < max_pc)
		max_pc = s->lead;
	if (s->trail != KK_CPE_STAR && room > s->trail)
		min_pc = room - s->trail;
	for (pc = 0; pc <= max_pc; pc++) {
		if (pc >= min_pc && t->len - i >= s->body_len &&
		    same_nocase(t->str + i, body, s->body_len))
			return 1;
		i += t->str[i] == '\\' ? 2 : 1;
	}
	return 0;
}

/* SPEC 7696 7.3 compare(source, target), whose steps follow Table 6-2. */
enum kk_cpe_relation kk_cpe_compare_value(const struct kk_cpe_value *s,
					  const struct kk_cpe_value *t)
{
	/* Table 6-2 lines 4, 8, 11, 17: wild cards in the target */
	if (t->kind == KK_CPE_STRING && (t->lead || t->trail))
		return KK_CPE_UNDEFINED;
	if (s->kind != KK_CPE_STRING || t->kind != KK_CPE_STRING) {
		if (s->kind == t->kind)
			return KK_CPE_EQUAL;      /* lines 1, 6 */
		if (s->kind == KK_CPE_ANY)
			return KK_CPE_SUPERSET;   /* lines 2, 3 */
		if (t->kind == KK_CPE_ANY)
			return KK_CPE_SUBSET;     /* lines 5, 13, 15 */
		return KK_CPE_DISJOINT;           /* lines 7, 12, 16 */
	}
	if (s->len == t->len && same_nocase(s->str, t->str, s->len))
		return KK_CPE_EQUAL;              /* line 9 */
	if (!s->lead && !s->trail)
		return KK_CPE_DISJOINT;           /* line 10 */
	return wildcard_match(s, t) ? KK_CPE_SUPERSET : KK_CPE_DISJOINT; /* line 14 */
}

/* SPEC 7696 7.2 Compare_WFNs, then CPE_DISJOINT, CPE_EQUAL, CPE_SUBSET and
 * CPE_SUPERSET over the relation list (Table 6-4). */
unsigned kk_cpe_match(const struct kk_cpe *source, const struct kk_cpe *target,
		      enum kk_cpe_relation attrs[KK_CPE_NATTR])
{
	const unsigned eq = 1u << KK_CPE_EQUAL, sub = 1u << KK_CPE_SUBSET,
		       sup = 1u << KK_CPE_SUPERSET;
	unsigned seen = 0;
	int a;

	for (a = 0; a < KK_CPE_NATTR; a++) {
		enum kk_cpe_relation r = kk_cpe_compare_value(&source->attr[a], &target->attr[a]);

		if (attrs)
			attrs[a] = r;
		else if (r == KK_CPE_DISJOINT)
			return KK_CPE_F_DISJOINT; /* nothing later can change it */
		seen |= 1u << r;
	}
	if (seen & (1u << KK_CPE_DISJOINT))
		return KK_CPE_F_DISJOINT;
	if (seen == eq)
		return KK_CPE_F_EQUAL | KK_CPE_F_SUBSET | KK_CPE_F_SUPERSET;
	if ((seen & ~(eq | sub)) == 0)
		return KK_CPE_F_SUBSET;
	if ((seen & ~(eq | sup)) == 0)
		return KK_CPE_F_SUPERSET;
	return 0;
}

/*
 * The one relation the CLI and the product filters report. EQUAL is checked
 * before SUPERSET and SUBSET because SPEC 7696 6 defines them as non-proper, so
 * EQUAL names satisfy all three. When no function of Table 6-4 holds, the result
 * is DISJOINT: see docs/internals/cpe.md.
 */
enum kk_cpe_relation kk_cpe_compare(const struct kk_cpe *source, const struct kk_cpe *target)
{
	unsigned f = kk_cpe_match(source, target, NULL);

	if (f & KK_CPE_F_DISJOINT)
		return KK_CPE_DISJOINT;
	if (f & KK_CPE_F_EQUAL)
		return KK_CPE_EQUAL;
	if (f & KK_CPE_F_SUPERSET)
		return KK_CPE_SUPERSET;
	if (f & KK_CPE_F_SUBSET)
		return KK_CPE_SUBSET;
	return KK_CPE_DISJOINT;
}

const char *kk_cpe_relation_name(enum kk_cpe_relation rel)
{
	switch (rel) {
	case KK_CPE_DISJOINT:
		return "DISJOINT";
	case KK_CPE_EQUAL:
		return "EQUAL";
	case KK_CPE_SUBSET:
		return "SUBSET";
	case KK_CPE_SUPERSET:
		return "SUPERSET";
	case KK_CPE_UNDEFINED:
		return "UNDEFINED";
	}
	return "?";
}
