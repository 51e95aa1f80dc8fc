/*
 * cvss4.c: CVSS v4.0 (FIRST specification document, §8 "CVSS v4.0 Scoring"): the
 * metric table and the score, computed as FIRST's reference calculator does
 * (cvss_score.js): the macrovector of the six equivalence classes EQ1-EQ6 (Tables
 * 24-29), its score from the lookup table (cvss4_table.c), minus the mean of the
 * proportional severity distances to the next lower macrovectors, rounded half up
 * to one decimal.
 *
 * The reference works in binary floating point and lifts the value by 10^-6 before
 * rounding so that exact .x5 ties, which its arithmetic can land one ULP below,
 * round up. Here every quantity is an integer number of tenths and the mean is kept
 * as a fraction with the denominator 840 x n (840 = lcm of the depths
 * 1, 2, 4, 5, 6, 7, 8, 10), so ties are seen exactly and rounded up, and no value
 * within 10^-6 of a tie exists that is not one (the nearest is 1 / (2 x 4200) of a
 * tenth away): the result is the reference's, without floating point.
 */
#include "cvss_impl.h"
#include "keikai/banned.h"

/* v4.0 Table 23: the metrics in the one order a vector may have. */
static const struct cvss_metric v4_metrics[V4_NMETRICS] = {
	[V4_AV] = CVSS_BASE("AV", "N", "A", "L", "P"),
	[V4_AC] = CVSS_BASE("AC", "L", "H"),
	[V4_AT] = CVSS_BASE("AT", "N", "P"),
	[V4_PR] = CVSS_BASE("PR", "N", "L", "H"),
	[V4_UI] = CVSS_BASE("UI", "N", "P", "A"),
	[V4_VC] = CVSS_BASE("VC", "H", "L", "N"),
	[V4_VI] = CVSS_BASE("VI", "H", "L", "N"),
	[V4_VA] = CVSS_BASE("VA", "H", "L", "N"),
	[V4_SC] = CVSS_BASE("SC", "H", "L", "N"),
	[V4_SI] = CVSS_BASE("SI", "H", "L", "N"),
	[V4_SA] = CVSS_BASE("SA", "H", "L", "N"),
	[V4_E] = CVSS_OPT("E", CVSS_GROUP_THREAT, 1, "X", "A", "P", "U"),
	[V4_CR] = CVSS_OPT("CR", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "M", "L"),
	[V4_IR] = CVSS_OPT("IR", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "M", "L"),
	[V4_AR] = CVSS_OPT("AR", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "M", "L"),
	[V4_MAV] = CVSS_OPT("MAV", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "N", "A", "L", "P"),
	[V4_MAC] = CVSS_OPT("MAC", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "L", "H"),
	[V4_MAT] = CVSS_OPT("MAT", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "N", "P"),
	[V4_MPR] = CVSS_OPT("MPR", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "N", "L", "H"),
	[V4_MUI] = CVSS_OPT("MUI", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "N", "P", "A"),
	[V4_MVC] = CVSS_OPT("MVC", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "L", "N"),
	[V4_MVI] = CVSS_OPT("MVI", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "L", "N"),
	[V4_MVA] = CVSS_OPT("MVA", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "L", "N"),
	[V4_MSC] = CVSS_OPT("MSC", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "H", "L", "N"),
	[V4_MSI] = CVSS_OPT("MSI", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "S", "H", "L", "N"),
	[V4_MSA] = CVSS_OPT("MSA", CVSS_GROUP_ENVIRONMENTAL, 1, "X", "S", "H", "L", "N"),
	[V4_S] = CVSS_OPT("S", CVSS_GROUP_SUPPLEMENTAL, 1, "X", "N", "P"),
	[V4_AU] = CVSS_OPT("AU", CVSS_GROUP_SUPPLEMENTAL, 1, "X", "N", "Y"),
	[V4_R] = CVSS_OPT("R", CVSS_GROUP_SUPPLEMENTAL, 1, "X", "A", "U", "I"),
	[V4_V] = CVSS_OPT("V", CVSS_GROUP_SUPPLEMENTAL, 1, "X", "D", "C"),
	[V4_RE] = CVSS_OPT("RE", CVSS_GROUP_SUPPLEMENTAL, 1, "X", "L", "M", "H"),
	[V4_U] = CVSS_OPT("U", CVSS_GROUP_SUPPLEMENTAL, 1, "X", "Clear", "Green", "Amber", "Red"),
};

const struct cvss_spec cvss4_spec = {
	KK_CVSS_V4_0, "CVSS:4.0/", 9, V4_NMETRICS, 11, 1, v4_metrics, cvss4_score,
};

/*
 * The metrics that enter the score, as severity levels: the index of the reference
 * calculator's *_levels tables (AV N 0 A 1 L 2 P 3; VC H 0 L 1 N 2; SC H 1 L 2 N 3;
 * SI and SA S 0 H 1 L 2 N 3; CR H 0 M 1 L 2; ...). One step is 0.1 there.
 */
enum { L_AV, L_PR, L_UI, L_AC, L_AT, L_VC, L_VI, L_VA, L_CR, L_IR, L_AR, L_SC, L_SI, L_SA,
       L_N };

/*
 * The value a metric takes in scoring, the reference's m(): a modified base metric
 * that is not X replaces the base metric; E = X counts as A, CR/IR/AR = X as H.
 */
static void effective_levels(const struct kk_cvss *c, int lv[L_N], int *e)
{
	static const struct {
		int level, base, modified, offset;
	} map[] = {
		{ L_AV, V4_AV, V4_MAV, 0 }, { L_PR, V4_PR, V4_MPR, 0 },
		{ L_UI, V4_UI, V4_MUI, 0 }, { L_AC, V4_AC, V4_MAC, 0 },
		{ L_AT, V4_AT, V4_MAT, 0 }, { L_VC, V4_VC, V4_MVC, 0 },
		{ L_VI, V4_VI, V4_MVI, 0 }, { L_VA, V4_VA, V4_MVA, 0 },
		{ L_SC, V4_SC, V4_MSC, 1 },
	};

	for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		int m = c->value[map[i].modified];

		/* the modified list is X, then the base values in the same order */
		lv[map[i].level] = (m > 1 ? m - 2 : c->value[map[i].base] - 1) + map[i].offset;
	}
	/* SI, SA: base H L N are levels 1..3; MSI, MSA: X S H L N, S is level 0 */
	lv[L_SI] = c->value[V4_MSI] > 1 ? c->value[V4_MSI] - 2 : c->value[V4_SI];
	lv[L_SA] = c->value[V4_MSA] > 1 ? c->value[V4_MSA] - 2 : c->value[V4_SA];
	/* CR, IR, AR: X H M L, X counts as H */
	lv[L_CR] = c->value[V4_CR] > 1 ? c->value[V4_CR] - 2 : 0;
	lv[L_IR] = c->value[V4_IR] > 1 ? c->value[V4_IR] - 2 : 0;
	lv[L_AR] = c->value[V4_AR] > 1 ? c->value[V4_AR] - 2 : 0;
	/* E: X A P U, X counts as A; EQ5 is 0 for A, 1 for P, 2 for U */
	*e = c->value[V4_E] > 1 ? c->value[V4_E] - 2 : 0;
}

/*
 * The highest severity vectors of each macrovector (the reference's max_composed.js),
 * as levels of the metrics of each equivalence class. EQ5 holds only E, whose
 * distance the score does not use.
 */
struct max_set {
	int n;
	signed char v[5][6];
};

/* EQ1: AV PR UI */
static const struct max_set eq1_max[3] = {
	{ 1, { { 0, 0, 0 } } },                           /* AV:N/PR:N/UI:N */
	{ 3, { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } } }, /* AV:A/PR:N/UI:N, AV:N/PR:L/UI:N, AV:N/PR:N/UI:P */
	{ 2, { { 3, 0, 0 }, { 1, 1, 1 } } },              /* AV:P/PR:N/UI:N, AV:A/PR:L/UI:P */
};

/* EQ2: AC AT */
static const struct max_set eq2_max[2] = {
	{ 1, { { 0, 0 } } },           /* AC:L/AT:N */
	{ 2, { { 1, 0 }, { 0, 1 } } }, /* AC:H/AT:N, AC:L/AT:P */
};

/* EQ3 and EQ6 together, by cvss4_eq36_code: VC VI VA CR IR AR */
static const struct max_set eq36_max[5] = {
	/* 00: VC:H/VI:H/VA:H/CR:H/IR:H/AR:H */
	{ 1, { { 0, 0, 0, 0, 0, 0 } } },
	/* 01: VC:H/VI:H/VA:L/CR:M/IR:M/AR:H, VC:H/VI:H/VA:H/CR:M/IR:M/AR:M */
	{ 2, { { 0, 0, 1, 1, 1, 0 }, { 0, 0, 0, 1, 1, 1 } } },
	/* 10: VC:L/VI:H/VA:H/CR:H/IR:H/AR:H, VC:H/VI:L/VA:H/CR:H/IR:H/AR:H */
	{ 2, { { 1, 0, 0, 0, 0, 0 }, { 0, 1, 0, 0, 0, 0 } } },
	/* 11: VC:L/VI:H/VA:L/CR:H/IR:M/AR:H, VC:L/VI:H/VA:H/CR:H/IR:M/AR:M,
	 *     VC:H/VI:L/VA:H/CR:M/IR:H/AR:M, VC:H/VI:L/VA:L/CR:M/IR:H/AR:H,
	 *     VC:L/VI:L/VA:H/CR:H/IR:H/AR:M */
	{ 5, { { 1, 0, 1, 0, 1, 0 }, { 1, 0, 0, 0, 1, 1 }, { 0, 1, 0, 1, 0, 1 },
	       { 0, 1, 1, 1, 0, 0 }, { 1, 1, 0, 0, 0, 1 } } },
	/* 21: VC:L/VI:L/VA:L/CR:H/IR:H/AR:H */
	{ 1, { { 1, 1, 1, 0, 0, 0 } } },
};

/* EQ4: SC SI SA */
static const struct max_set eq4_max[3] = {
	{ 1, { { 1, 0, 0 } } }, /* SC:H/SI:S/SA:S */
	{ 1, { { 1, 1, 1 } } }, /* SC:H/SI:H/SA:H */
	{ 1, { { 2, 2, 2 } } }, /* SC:L/SI:L/SA:L */
};

/* The depth of each macrovector in steps (the reference's max_severity, "+1"). */
static const int eq1_depth[3] = { 1, 4, 5 };
static const int eq2_depth[2] = { 1, 2 };
static const int eq36_depth[5] = { 7, 6, 8, 8, 10 };
static const int eq4_depth[3] = { 6, 5, 4 };

/* The first highest severity vector of set that lies at or above the levels lv[0..n)
 * in every metric, or -1. */
static int first_dominating(const struct max_set *set, const int *lv, int n)
{
	for (int i = 0; i < set->n; i++) {
		int ok = 1;

		for (int k = 0; k < n; k++)
			ok &= lv[k] >= set->v[i][k];
		if (ok)
			return i;
	}
	return -1;
}

static int distance(const signed char *max, const int *lv, int n)
{
	int d = 0;

	for (int k = 0; k < n; k++)
		d += lv[k] - max[k];
	return d;
}

void cvss4_score(struct kk_cvss *c)
{
	int lv[L_N], e;
	int eq1, eq2, eq3, eq4, eq6, eq36, idx, value, n = 0;
	int pick1, pick2, pick36, pick4;
	long num = 0, den;

	c->base = c->temporal = c->environmental = -1;
	effective_levels(c, lv, &e);

	/* Exception for no impact on system: every impact None, score 0.0. */
	if (lv[L_VC] == 2 && lv[L_VI] == 2 && lv[L_VA] == 2 && lv[L_SC] == 3 &&
	    lv[L_SI] == 3 && lv[L_SA] == 3) {
		c->score = 0;
		return;
	}

	/* Table 24, EQ1: 0 AV:N and PR:N and UI:N; 1 (AV:N or PR:N or UI:N) and not
	 * (AV:N and PR:N and UI:N) and not AV:P; 2 AV:P or not (AV:N or PR:N or UI:N) */
	if (lv[L_AV] == 0 && lv[L_PR] == 0 && lv[L_UI] == 0)
		eq1 = 0;
	else if ((lv[L_AV] == 0 || lv[L_PR] == 0 || lv[L_UI] == 0) && lv[L_AV] != 3)
		eq1 = 1;
	else
		eq1 = 2;
	/* Table 25, EQ2: 0 AC:L and AT:N; 1 otherwise */
	eq2 = lv[L_AC] == 0 && lv[L_AT] == 0 ? 0 : 1;
	/* Table 26, EQ3: 0 VC:H and VI:H; 1 not that but VC:H or VI:H or VA:H; 2 none H */
	if (lv[L_VC] == 0 && lv[L_VI] == 0)
		eq3 = 0;
	else if (lv[L_VC] == 0 || lv[L_VI] == 0 || lv[L_VA] == 0)
		eq3 = 1;
	else
		eq3 = 2;
	/* Table 27, EQ4: 0 MSI:S or MSA:S; 1 not that but SC:H or SI:H or SA:H; 2 else */
	if (lv[L_SI] == 0 || lv[L_SA] == 0)
		eq4 = 0;
	else if (lv[L_SC] == 1 || lv[L_SI] == 1 || lv[L_SA] == 1)
		eq4 = 1;
	else
		eq4 = 2;
	/* Table 28, EQ5: E:A 0, E:P 1, E:U 2 (X as A) */
	/* Table 29, EQ6: 0 (CR:H and VC:H) or (IR:H and VI:H) or (AR:H and VA:H); 1 else */
	eq6 = (lv[L_CR] == 0 && lv[L_VC] == 0) || (lv[L_IR] == 0 && lv[L_VI] == 0) ||
			      (lv[L_AR] == 0 && lv[L_VA] == 0) ?
		      0 :
		      1;
	eq36 = cvss4_eq36_code(eq3, eq6);
	idx = cvss4_macro_index(eq1, eq2, eq36, eq4, e);
	value = cvss4_macro_score[idx];

	/*
	 * The severity distance to the highest severity vector: the reference tries the
	 * combinations of the classes' highest vectors in order and takes the first that
	 * is at or above the vector in every metric; as each metric belongs to one class
	 * that is the first suitable one of each class. Should a class have none, its
	 * loop would end on the last combination, the last vector of every class.
	 */
	pick1 = first_dominating(&eq1_max[eq1], &lv[L_AV], 3);
	pick2 = first_dominating(&eq2_max[eq2], &lv[L_AC], 2);
	pick36 = first_dominating(&eq36_max[eq36], &lv[L_VC], 6);
	pick4 = first_dominating(&eq4_max[eq4], &lv[L_SC], 3);
	if (pick1 < 0 || pick2 < 0 || pick36 < 0 || pick4 < 0) {
		pick1 = eq1_max[eq1].n - 1;
		pick2 = eq2_max[eq2].n - 1;
		pick36 = eq36_max[eq36].n - 1;
		pick4 = eq4_max[eq4].n - 1;
	}

	/*
	 * For each class with a next lower macrovector: the maximal scoring difference
	 * (value - score of that macrovector) times the proportion of the distance
	 * (severity distance / depth). The mean over the classes that have a lower
	 * macrovector is subtracted. In tenths, over the denominator 840.
	 */
	if (eq1 < 2) {
		int avail = value - cvss4_macro_score[cvss4_macro_index(eq1 + 1, eq2, eq36, eq4, e)];

		num += (long)avail * distance(eq1_max[eq1].v[pick1], &lv[L_AV], 3) *
		       (840 / eq1_depth[eq1]);
		n++;
	}
	if (eq2 < 1) {
		int avail = value - cvss4_macro_score[cvss4_macro_index(eq1, eq2 + 1, eq36, eq4, e)];

		num += (long)avail * distance(eq2_max[eq2].v[pick2], &lv[L_AC], 2) *
		       (840 / eq2_depth[eq2]);
		n++;
	}
	if (eq36 != 4) {
		/* 00 -> the higher of 01 and 10; 01 -> 11; 10 -> 11; 11 -> 21; 21 -> none */
		static const int next[4] = { -1, 3, 3, 4 };
		int lower;

		if (eq36 == 0) {
			int l01 = cvss4_macro_score[cvss4_macro_index(eq1, eq2, 1, eq4, e)];
			int l10 = cvss4_macro_score[cvss4_macro_index(eq1, eq2, 2, eq4, e)];

			lower = l01 > l10 ? l01 : l10;
		} else {
			lower = cvss4_macro_score[cvss4_macro_index(eq1, eq2, next[eq36], eq4, e)];
		}
		num += (long)(value - lower) * distance(eq36_max[eq36].v[pick36], &lv[L_VC], 6) *
		       (840 / eq36_depth[eq36]);
		n++;
	}
	if (eq4 < 2) {
		int avail = value - cvss4_macro_score[cvss4_macro_index(eq1, eq2, eq36, eq4 + 1, e)];

		num += (long)avail * distance(eq4_max[eq4].v[pick4], &lv[L_SC], 3) *
		       (840 / eq4_depth[eq4]);
		n++;
	}
	if (e < 2)
		n++; /* EQ5 counts, with a proportion of 0 */

	/* score = value - num / (840 n), clamped to [0, 10], rounded half up */
	if (n == 0) {
		c->score = value;
		return;
	}
	den = 840L * n;
	num = (long)value * den - num;
	if (num <= 0)
		c->score = 0;
	else if (num >= 100 * den)
		c->score = 100;
	else
		c->score = (int)((2 * num + den) / (2 * den));
}
