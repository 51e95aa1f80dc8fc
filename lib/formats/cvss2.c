/*
 * cvss2.c: CVSS v2.0 (FIRST, "A Complete Guide to the Common Vulnerability Scoring
 * System Version 2.0", 2007): the metric table and the base, temporal and
 * environmental equations of guide §3.2.
 *
 * Every weight has at most three decimals, so each equation is evaluated exactly in
 * scaled integers and round_to_1_decimal rounds the exact value half up, as the
 * guide's examples and Red Hat's reference implementation (Python Decimal) do. The
 * widest intermediate, the adjusted base score (21 decimals), is rounded from two
 * 64-bit halves.
 */
#include <stdint.h>

#include "cvss_impl.h"
#include "keikai/banned.h"

/* Guide §2.4 and Table 13: the metrics in the order of the vector. */
static const struct cvss_metric v2_metrics[V2_NMETRICS] = {
	[V2_AV] = CVSS_BASE("AV", "L", "A", "N"),
	[V2_AC] = CVSS_BASE("AC", "H", "M", "L"),
	[V2_AU] = CVSS_BASE("Au", "M", "S", "N"),
	[V2_C] = CVSS_BASE("C", "N", "P", "C"),
	[V2_I] = CVSS_BASE("I", "N", "P", "C"),
	[V2_A] = CVSS_BASE("A", "N", "P", "C"),
	[V2_E] = CVSS_OPT("E", CVSS_GROUP_TEMPORAL, 5, "U", "POC", "F", "H", "ND"),
	[V2_RL] = CVSS_OPT("RL", CVSS_GROUP_TEMPORAL, 5, "OF", "TF", "W", "U", "ND"),
	[V2_RC] = CVSS_OPT("RC", CVSS_GROUP_TEMPORAL, 4, "UC", "UR", "C", "ND"),
	[V2_CDP] = CVSS_OPT("CDP", CVSS_GROUP_ENVIRONMENTAL, 6, "N", "L", "LM", "MH", "H", "ND"),
	[V2_TD] = CVSS_OPT("TD", CVSS_GROUP_ENVIRONMENTAL, 5, "N", "L", "M", "H", "ND"),
	[V2_CR] = CVSS_OPT("CR", CVSS_GROUP_ENVIRONMENTAL, 4, "L", "M", "H", "ND"),
	[V2_IR] = CVSS_OPT("IR", CVSS_GROUP_ENVIRONMENTAL, 4, "L", "M", "H", "ND"),
	[V2_AR] = CVSS_OPT("AR", CVSS_GROUP_ENVIRONMENTAL, 4, "L", "M", "H", "ND"),
};

const struct cvss_spec cvss2_spec = {
	KK_CVSS_V2_0, "", 0, V2_NMETRICS, 6, 0, v2_metrics, cvss2_score,
};

/* Guide §3.2.1-3.2.3 weights, in the order of the value lists above. The
 * thousandths of AV, AC, Au and C/I/A; the hundredths of the temporal factors,
 * TD and CR/IR/AR; the tenths of CDP. Not defined (ND) weighs 1.0 (CDP: 0). */
static const int32_t w_av[] = { 395, 646, 1000 };
static const int32_t w_ac[] = { 350, 610, 710 };
static const int32_t w_au[] = { 450, 560, 704 };
static const int32_t w_cia[] = { 0, 275, 660 };
static const int32_t w_e[] = { 85, 90, 95, 100, 100 };
static const int32_t w_rl[] = { 87, 90, 95, 100, 100 };
static const int32_t w_rc[] = { 90, 95, 100, 100 };
static const int32_t w_cdp[] = { 0, 1, 3, 4, 5, 0 };
static const int32_t w_td[] = { 0, 25, 75, 100, 100 };
static const int32_t w_req[] = { 50, 100, 151, 100 };

/* The weight of metric i in table w, that of "not defined" when absent. */
#define W(c, i, w, nd) ((c)->value[i] ? (w)[(c)->value[i] - 1] : (nd))

/* round_to_1_decimal(v / 10^scale) for v >= 0, in tenths: half up. */
static int round_tenths(int64_t v, int64_t unit)
{
	return v <= 0 ? 0 : (int)((v + unit / 2) / unit);
}

/*
 * BaseScore = round_to_1_decimal(((0.6*Impact)+(0.4*Exploitability)-1.5)*f(Impact))
 * with Impact at the scale 10^11 and Exploitability at 10^9. A negative value
 * (impossible with the guide's weights) counts as 0, as in Red Hat's calculator.
 */
static int base_equation(int64_t impact11, int64_t expl9)
{
	/* at 10^12: 0.6 * Impact + 0.4 * Exploitability - 1.5; x 1.176 at 10^15 */
	int64_t v = 1176 * (6 * impact11 + 4 * expl9 * 100 - 1500000000000);

	if (impact11 == 0)
		return 0; /* f(Impact) = 0 */
	return round_tenths(v, 100000000000000);
}

/*
 * The same with the AdjustedImpact at 10^17: the sum at 10^18 fits 64 bits unsigned
 * (it is below 1.3 x 10^19 and, when positive, what matters), its product by 1.176
 * at 10^21 does not, so the rounding is done on its two halves.
 */
static int adjusted_base_equation(uint64_t impact17, int64_t expl9)
{
	uint64_t pos = 6 * impact17 + 4 * (uint64_t)expl9 * 100000000;
	uint64_t s, hi, lo;

	if (impact17 == 0)
		return 0;
	if (pos <= 1500000000000000000u)
		return 0; /* not positive */
	s = pos - 1500000000000000000u;
	/* round(1176 s / 10^21 tenths) = floor((1176 s + 5 x 10^19) / 10^20), with
	 * s = hi 10^9 + lo: floor((1176 hi + 5 x 10^10 + floor(1176 lo / 10^9)) / 10^11) */
	hi = s / 1000000000;
	lo = s % 1000000000;
	return (int)((1176 * hi + 50000000000u + 1176 * lo / 1000000000) / 100000000000u);
}

/* TemporalScore = round_to_1_decimal(BaseScore*Exploitability*RemediationLevel*
 * ReportConfidence); base in tenths, the factors in hundredths. */
static int temporal_equation(const struct kk_cvss *c, int base)
{
	int64_t v = (int64_t)base * W(c, V2_E, w_e, 100) * W(c, V2_RL, w_rl, 100) *
		    W(c, V2_RC, w_rc, 100);

	return round_tenths(v, 1000000);
}

void cvss2_score(struct kk_cvss *c)
{
	int64_t cw = w_cia[c->value[V2_C] - 1], iw = w_cia[c->value[V2_I] - 1],
		aw = w_cia[c->value[V2_A] - 1];
	int64_t expl9 = 20 * (int64_t)w_av[c->value[V2_AV] - 1] * w_ac[c->value[V2_AC] - 1] *
			w_au[c->value[V2_AU] - 1];
	/* Impact = 10.41*(1-(1-ConfImpact)*(1-IntegImpact)*(1-AvailImpact)), 10^11 */
	int64_t impact = 1041 * (1000000000 - (1000 - cw) * (1000 - iw) * (1000 - aw));

	c->base = base_equation(impact, expl9);
	c->temporal = -1;
	c->environmental = -1;
	c->score = c->base;
	if (c->flags & KK_CVSS_HAS_TEMPORAL) {
		c->temporal = temporal_equation(c, c->base);
		c->score = c->temporal;
	}
	if (c->flags & KK_CVSS_HAS_ENVIRONMENTAL) {
		/* AdjustedImpact = min(10, 10.41*(1-(1-ConfImpact*ConfReq)*
		 * (1-IntegImpact*IntegReq)*(1-AvailImpact*AvailReq))), at 10^17 */
		int64_t cr = W(c, V2_CR, w_req, 100), ir = W(c, V2_IR, w_req, 100),
			ar = W(c, V2_AR, w_req, 100);
		int64_t rest = (100000 - cw * cr) * (100000 - iw * ir) * (100000 - aw * ar);
		uint64_t adj_impact = 1041 * (uint64_t)(1000000000000000 - rest);
		uint64_t ten = 1000000000000000000u; /* 10 at 10^17 */
		int adj_base, adj_temporal, cdp, td;
		int64_t env;

		if (adj_impact > ten)
			adj_impact = ten;
		/* AdjustedTemporal = TemporalScore recomputed with the BaseScore's Impact
		 * sub-equation replaced with the AdjustedImpact equation */
		adj_base = adjusted_base_equation(adj_impact, expl9);
		adj_temporal = temporal_equation(c, adj_base);
		/* EnvironmentalScore = round_to_1_decimal((AdjustedTemporal+
		 * (10-AdjustedTemporal)*CollateralDamagePotential)*TargetDistribution) */
		cdp = W(c, V2_CDP, w_cdp, 0);
		td = W(c, V2_TD, w_td, 100);
		env = ((int64_t)adj_temporal * 10 + (int64_t)(100 - adj_temporal) * cdp) * td;
		c->environmental = round_tenths(env, 1000);
		c->score = c->environmental;
	}
}
