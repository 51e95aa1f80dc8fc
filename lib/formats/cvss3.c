/*
 * cvss3.c: CVSS v3.0 and v3.1 (FIRST specification documents, §7 "CVSS v3.x
 * Equations" and, for 3.1, Appendix A "Floating Point Rounding"): the metric table
 * and the base, temporal and environmental scores.
 *
 * Exact arithmetic. All weights are decimals, so every term is an integer at the
 * common scale 10^13 (S below) except the scope-changed power term
 * 3.25 x (ISS - 0.02)^15 (v3.1 environmental: 3.25 x (MISS x 0.9731 - 0.02)^13),
 * whose exact value has up to 170 digits. The rounding functions only need floor
 * and ceiling of the score at S, and of such a difference Q - r (Q an integer, r
 * the power term) they only need floor(r) and where frac(r) lies (0, in (0, 1/2],
 * above 1/2). pow_term() computes those exactly with a small decimal bignum; the
 * term only depends on the impact weights, so each of its few hundred possible
 * values is computed once and kept in a lock-free cache.
 *
 * Rounding: v3.0's Roundup is the exact ceiling to one decimal ("the smallest
 * number, specified to one decimal place, that is equal to or higher than its
 * input"); v3.1's is Appendix A's: round to the nearest 10^-5 (half up, as
 * Math.round in FIRST's calculator), then up to one decimal.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "cvss_impl.h"
#include "keikai/banned.h"

/* v3.1 Table 15 (v3.0 Table 12): the metrics in the order of the vector. */
static const struct cvss_metric v3_metrics[V3_NMETRICS] = {
	[V3_AV] = CVSS_BASE("AV", "N", "A", "L", "P"),
	[V3_AC] = CVSS_BASE("AC", "L", "H"),
	[V3_PR] = CVSS_BASE("PR", "N", "L", "H"),
	[V3_UI] = CVSS_BASE("UI", "N", "R"),
	[V3_S] = CVSS_BASE("S", "U", "C"),
	[V3_C] = CVSS_BASE("C", "H", "L", "N"),
	[V3_I] = CVSS_BASE("I", "H", "L", "N"),
	[V3_A] = CVSS_BASE("A", "H", "L", "N"),
	[V3_E] = CVSS_OPT("E", CVSS_GROUP_TEMPORAL, 1, "X", "H", "F", "P", "U"),
	[V3_RL] = CVSS_OPT("RL", CVSS_GROUP_TEMPORAL, 1, "X", "U", "W", "T", "O"),
	[V3_RC] = CVSS_OPT("RC", CVSS_GROUP_TEMPORAL, 1, "X", "C", "R", "U"),
	[V3_CR] = CVSS_OPT("CR", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "M", "L"),
	[V3_IR] = CVSS_OPT("IR", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "M", "L"),
	[V3_AR] = CVSS_OPT("AR", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "M", "L"),
	[V3_MAV] = CVSS_OPT("MAV", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "N", "A", "L", "P"),
	[V3_MAC] = CVSS_OPT("MAC", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "L", "H"),
	[V3_MPR] = CVSS_OPT("MPR", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "N", "L", "H"),
	[V3_MUI] = CVSS_OPT("MUI", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "N", "R"),
	[V3_MS] = CVSS_OPT("MS", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "U", "C"),
	[V3_MC] = CVSS_OPT("MC", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "L", "N"),
	[V3_MI] = CVSS_OPT("MI", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "L", "N"),
	[V3_MA] = CVSS_OPT("MA", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "L", "N"),
};

const struct cvss_spec cvss30_spec = {
	KK_CVSS_V3_0, "CVSS:3.0/", 9, V3_NMETRICS, 8, 0, v3_metrics, cvss3_score,
};

const struct cvss_spec cvss31_spec = {
	KK_CVSS_V3_1, "CVSS:3.1/", 9, V3_NMETRICS, 8, 0, v3_metrics, cvss3_score,
};

/* §7.4 weights in hundredths, in the order of the base value lists above; the
 * modified metrics list X first, then the same values. */
static const int64_t w_av[] = { 85, 62, 55, 20 };
static const int64_t w_ac[] = { 77, 44 };
static const int64_t w_pr_unchanged[] = { 85, 62, 27 };
static const int64_t w_pr_changed[] = { 85, 68, 50 };
static const int64_t w_ui[] = { 85, 62 };
static const int64_t w_cia[] = { 56, 22, 0 };
static const int64_t w_e[] = { 100, 100, 97, 94, 91 };
static const int64_t w_rl[] = { 100, 100, 97, 96, 95 };
static const int64_t w_rc[] = { 100, 100, 96, 92 };
/* CR, IR, AR in tenths: X, H, M, L */
static const int64_t w_req[] = { 10, 15, 10, 5 };

#define S 10000000000000LL /* the common scale, 10^13 */

/* ---- The power term, exactly ---- */

/* A decimal bignum: little-endian limbs of nine digits. */
#define BN_BASE 1000000000u
#define BN_LIMBS 24

struct bignum {
	int n;
	uint32_t limb[BN_LIMBS];
};

static void bn_set(struct bignum *a, uint64_t v)
{
	a->n = 0;
	do {
		a->limb[a->n++] = (uint32_t)(v % BN_BASE);
		v /= BN_BASE;
	} while (v);
}

/* a *= b */
static void bn_mul(struct bignum *a, const struct bignum *b)
{
	uint64_t acc[BN_LIMBS * 2] = { 0 };
	int n = a->n + b->n;

	for (int i = 0; i < a->n; i++) {
		uint64_t carry = 0;

		for (int j = 0; j < b->n; j++) {
			uint64_t t = acc[i + j] + (uint64_t)a->limb[i] * b->limb[j] + carry;

			acc[i + j] = t % BN_BASE;
			carry = t / BN_BASE;
		}
		for (int k = i + b->n; carry; k++) {
			uint64_t t = acc[k] + carry;

			acc[k] = t % BN_BASE;
			carry = t / BN_BASE;
		}
	}
	while (n > 1 && acc[n - 1] == 0)
		n--;
	/* the operands of pow_term never come near BN_LIMBS limbs */
	a->n = n < BN_LIMBS ? n : BN_LIMBS;
	for (int i = 0; i < a->n; i++)
		a->limb[i] = (uint32_t)acc[i];
}

/* floor(a / 10^e) into *q (which must fit in 64 bits); returns 1 when exact. */
static int bn_div_pow10(const struct bignum *a, int e, uint64_t *q)
{
	static const uint32_t p10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
					10000000, 100000000 };
	int whole = e / 9, part = e % 9, exact = 1;
	uint32_t limb[BN_LIMBS];
	uint64_t rem = 0;
	int n = a->n - whole;

	for (int i = 0; i < whole && i < a->n; i++)
		exact &= a->limb[i] == 0;
	if (n <= 0) {
		*q = 0;
		return exact; /* every limb was below 10^e: exact when all are zero */
	}
	memcpy(limb, a->limb + whole, sizeof(limb[0]) * (size_t)n);
	for (int i = n - 1; i >= 0; i--) {
		uint64_t cur = rem * BN_BASE + limb[i];

		limb[i] = (uint32_t)(cur / p10[part]);
		rem = cur % p10[part];
	}
	exact &= rem == 0;
	*q = 0;
	for (int i = n - 1; i >= 0; i--)
		*q = *q * BN_BASE + limb[i];
	return exact;
}

/* Where r lies between two integers: r = floor + f with f = 0, 0 < f <= 1/2, or
 * f > 1/2. */
struct pow_term {
	int64_t floor;
	int frac_zero;
	int frac_over_half;
};

/* r = 3.51 x (d / 10^digits)^k x S = 351 d^k / 10^(digits k + 2 - 13), d > 0:
 * 1.08 x 3.25 x y^k at the scale S, the power term of the scope-changed equations
 * times the 1.08 they are multiplied by. */
static struct pow_term pow_term(uint64_t d, int digits, int k)
{
	struct bignum acc, base;
	struct pow_term t;
	uint64_t q2;
	int exact;

	bn_set(&acc, 702); /* 2 x 351: the quotient by 2 keeps the half */
	bn_set(&base, d);
	for (int i = 0; i < k; i++)
		bn_mul(&acc, &base);
	exact = bn_div_pow10(&acc, digits * k + 2 - 13, &q2);
	/* q2 = floor(2r); 2r exact <=> exact */
	t.floor = (int64_t)(q2 >> 1);
	t.frac_zero = !(q2 & 1) && exact;
	t.frac_over_half = (q2 & 1) && !exact;
	return t;
}

/* Cache entries: 0 = not computed, else floor << 3 | over_half << 2 | zero << 1 | 1.
 * Threads that race compute the same value and store the same word. */
static _Atomic uint64_t base_cache[27];
static _Atomic uint64_t env30_cache[729];
static _Atomic uint64_t env31_cache[729];

static struct pow_term cached_pow_term(_Atomic uint64_t *slot, uint64_t d, int digits, int k)
{
	uint64_t w = atomic_load_explicit(slot, memory_order_relaxed);
	struct pow_term t;

	if (!w) {
		t = pow_term(d, digits, k);
		w = (uint64_t)t.floor << 3 | (uint64_t)t.frac_over_half << 2 |
		    (uint64_t)t.frac_zero << 1 | 1;
		atomic_store_explicit(slot, w, memory_order_relaxed);
	}
	t.floor = (int64_t)(w >> 3);
	t.frac_over_half = (int)(w >> 2 & 1);
	t.frac_zero = (int)(w >> 1 & 1);
	return t;
}

static const struct pow_term no_term = { 0, 1, 0 };

/* ---- Rounding ---- */

/*
 * Roundup(Minimum(x, 10)) in tenths, where x = (q - r) / S > 0 exactly. v3.0: the
 * exact ceiling. v3.1 Appendix A: int_input = round_to_nearest_integer(x * 100000);
 * if int_input % 10000 == 0 the result is int_input / 100000, otherwise
 * (floor(int_input / 10000) + 1) / 10. Everything is positive here, so the integer
 * divisions are floors.
 */
static int roundup(enum kk_cvss_version v, int64_t q, struct pow_term r)
{
	const uint64_t m = S / 100000; /* 10^-5 at the scale S */
	int64_t ceil_r = r.floor + !r.frac_zero;
	uint64_t ceil_2r, int_input, tenths;

	if (q - 10 * S >= ceil_r)
		return 100; /* Minimum(x, 10) = 10 */
	if (v == KK_CVSS_V3_0) /* ceil((q - r) / (S / 10)), ceil(q - r) = q - floor(r) */
		return (int)(((uint64_t)(q - r.floor) + S / 10 - 1) / (S / 10));
	/* floor(x * 10^5 + 1/2) = floor((floor(2q - 2r) + m) / 2m), floor(-2r) = -ceil(2r) */
	ceil_2r = 2 * (uint64_t)r.floor + (r.frac_zero ? 0 : r.frac_over_half ? 2 : 1);
	int_input = (2 * (uint64_t)q - ceil_2r + m) / (2 * m);
	tenths = int_input / 10000;
	return (int)(tenths + (int_input != tenths * 10000));
}

/* Roundup(score x ExploitCodeMaturity x RemediationLevel x ReportConfidence), the
 * score in tenths and the three factors in hundredths (10^7 in all). */
static int temporal_roundup(enum kk_cvss_version v, int score, int64_t e, int64_t rl,
			    int64_t rc)
{
	return roundup(v, (int64_t)score * e * rl * rc * (S / 10000000), no_term);
}

/* ---- Scores ---- */

/* 0-based index into a base value list of the base metric b, or of its modified
 * metric m when that is given and not X. */
static int effective(const struct kk_cvss *c, int b, int m)
{
	return c->value[m] > 1 ? c->value[m] - 2 : c->value[b] - 1;
}

#define OPTW(c, i, w) ((c)->value[i] ? (w)[(c)->value[i] - 1] : (w)[0])

void cvss3_score(struct kk_cvss *c)
{
	enum kk_cvss_version v = c->version;
	int ci = c->value[V3_C] - 1, ii = c->value[V3_I] - 1, ai = c->value[V3_A] - 1;
	int changed = c->value[V3_S] == 2;
	const int64_t *w_pr = changed ? w_pr_changed : w_pr_unchanged;
	int64_t e = OPTW(c, V3_E, w_e), rl = OPTW(c, V3_RL, w_rl), rc = OPTW(c, V3_RC, w_rc);
	/* ISS = 1 - [(1 - Confidentiality) x (1 - Integrity) x (1 - Availability)], 10^6 */
	int64_t iss = 1000000 - (100 - w_cia[ci]) * (100 - w_cia[ii]) * (100 - w_cia[ai]);
	/* Exploitability = 8.22 x AttackVector x AttackComplexity x PrivilegesRequired x
	 * UserInteraction, 10^10 -> S */
	int64_t expl = 822 * w_av[c->value[V3_AV] - 1] * w_ac[c->value[V3_AC] - 1] *
		       w_pr[c->value[V3_PR] - 1] * w_ui[c->value[V3_UI] - 1] * 1000;

	if (iss == 0) {
		c->base = 0; /* Impact <= 0 */
	} else if (!changed) {
		/* Impact = 6.42 x ISS; Roundup(Minimum[(Impact + Exploitability), 10]) */
		c->base = roundup(v, 642 * iss * 100000 + expl, no_term);
	} else {
		/* Impact = 7.52 x (ISS - 0.029) - 3.25 x (ISS - 0.02)^15;
		 * Roundup(Minimum[1.08 x (Impact + Exploitability), 10]) */
		int64_t a = 752 * (iss - 29000) * 100000;
		struct pow_term r = cached_pow_term(&base_cache[ci * 9 + ii * 3 + ai],
						    (uint64_t)(iss - 20000), 6, 15);

		if (108 * a / 100 <= r.floor)
			c->base = 0; /* Impact <= 0 */
		else
			c->base = roundup(v, 108 * (a + expl) / 100, r);
	}
	c->temporal = -1;
	c->environmental = -1;
	c->score = c->base;
	if (c->flags & KK_CVSS_HAS_TEMPORAL) {
		c->temporal = temporal_roundup(v, c->base, e, rl, rc);
		c->score = c->temporal;
	}
	if (c->flags & KK_CVSS_HAS_ENVIRONMENTAL) {
		int mci = effective(c, V3_C, V3_MC), mii = effective(c, V3_I, V3_MI),
		    mai = effective(c, V3_A, V3_MA);
		int cri = c->value[V3_CR] ? c->value[V3_CR] - 1 : 0;
		int iri = c->value[V3_IR] ? c->value[V3_IR] - 1 : 0;
		int ari = c->value[V3_AR] ? c->value[V3_AR] - 1 : 0;
		int mchanged = effective(c, V3_S, V3_MS) == 1;
		const int64_t *w_mpr = mchanged ? w_pr_changed : w_pr_unchanged;
		/* MISS = Minimum(1 - [(1 - CR x MC) x (1 - IR x MI) x (1 - AR x MA)], 0.915),
		 * 10^9 */
		int64_t miss = 1000000000 - (1000 - w_cia[mci] * w_req[cri]) *
						    (1000 - w_cia[mii] * w_req[iri]) *
						    (1000 - w_cia[mai] * w_req[ari]);
		int64_t mexpl = 822 * w_av[effective(c, V3_AV, V3_MAV)] *
				w_ac[effective(c, V3_AC, V3_MAC)] *
				w_mpr[effective(c, V3_PR, V3_MPR)] *
				w_ui[effective(c, V3_UI, V3_MUI)] * 1000;
		int modified;

		if (miss > 915000000)
			miss = 915000000;
		if (miss == 0) {
			modified = -1; /* ModifiedImpact <= 0 */
		} else if (!mchanged) {
			/* ModifiedImpact = 6.42 x MISS */
			modified = roundup(v, 642 * miss * 100 + mexpl, no_term);
		} else {
			/* v3.0: 7.52 x (MISS - 0.029) - 3.25 x (MISS - 0.02)^15
			 * v3.1: 7.52 x (MISS - 0.029) - 3.25 x (MISS x 0.9731 - 0.02)^13 */
			int64_t a = 752 * (miss - 29000000) * 100;
			/* the cache key: each impact with its requirement, X as M */
			int slot = (mci * 3 + (cri ? cri - 1 : 1)) * 81 +
			       (mii * 3 + (iri ? iri - 1 : 1)) * 9 + (mai * 3 + (ari ? ari - 1 : 1));
			struct pow_term r;

			if (v == KK_CVSS_V3_0)
				r = cached_pow_term(&env30_cache[slot], (uint64_t)(miss - 20000000), 9,
						    15);
			else
				r = cached_pow_term(&env31_cache[slot],
						    (uint64_t)(miss * 9731 - 200000000000), 13, 13);
			modified = 108 * a / 100 <= r.floor ? -1 :
							      roundup(v, 108 * (a + mexpl) / 100, r);
		}
		c->environmental = modified < 0 ? 0 : temporal_roundup(v, modified, e, rl, rc);
		c->score = c->environmental;
	}
}
