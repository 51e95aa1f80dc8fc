/*
 * cvss_impl.h: what the CVSS files of the core share and nothing else sees: the
 * metric tables of each version (names, values, groups, spec order) and the scoring
 * entry points. cvss.c parses and prints through the tables; cvss2.c, cvss3.c and
 * cvss4.c own the tables of their versions and score them.
 *
 * A parsed vector keeps, per metric in spec order, 1 + the index of its value in
 * the metric's value list (0: absent), so the scoring files index their weight
 * arrays with the same order as the value lists below them.
 */
#ifndef KEIKAI_CVSS_IMPL_H
#define KEIKAI_CVSS_IMPL_H

#include "keikai/cvss.h"

enum cvss_group {
	CVSS_GROUP_BASE = 0,
	CVSS_GROUP_TEMPORAL,     /* v2.0, v3.x */
	CVSS_GROUP_THREAT,       /* v4.0 */
	CVSS_GROUP_ENVIRONMENTAL,
	CVSS_GROUP_SUPPLEMENTAL, /* v4.0 */
};

#define CVSS_MAX_VALUES 6 /* cvss.c's find_value compares exactly this many */

/* One metric: its abbreviation and values as written in vectors, NUL-padded so the
 * parser compares them as integers. undefined is 1 + the index of X / ND, or 0. */
struct cvss_metric {
	char name[4];
	unsigned char group;
	unsigned char mandatory;
	unsigned char nvalues;
	unsigned char undefined;
	char values[CVSS_MAX_VALUES][8];
};

/* Table entries: CVSS_BASE("AV", "N", "A", "L", "P") for a mandatory metric,
 * CVSS_OPT("E", group, 1 + index of X/ND, values...) for an optional one. */
#define CVSS_NARGS(...) ((unsigned char)(sizeof((const char *[]){ __VA_ARGS__ }) / \
					 sizeof(const char *)))
#define CVSS_BASE(n, ...) { n, CVSS_GROUP_BASE, 1, CVSS_NARGS(__VA_ARGS__), 0, { __VA_ARGS__ } }
#define CVSS_OPT(n, g, u, ...) { n, g, 0, CVSS_NARGS(__VA_ARGS__), u, { __VA_ARGS__ } }

/* A version: its prefix (with the slash), its metrics in spec order (the nmandatory
 * base metrics first, as in every version's table), whether that order is
 * mandatory, and its scoring function. */
struct cvss_spec {
	enum kk_cvss_version version;
	const char *prefix;
	unsigned char prefix_len;
	unsigned char nmetrics;
	unsigned char nmandatory;
	unsigned char strict_order;
	const struct cvss_metric *metrics;
	void (*score)(struct kk_cvss *c);
};

extern const struct cvss_spec cvss2_spec;
extern const struct cvss_spec cvss30_spec;
extern const struct cvss_spec cvss31_spec;
extern const struct cvss_spec cvss4_spec;

/* The spec of a version, NULL for an unknown one. */
const struct cvss_spec *cvss_spec_of(enum kk_cvss_version v);

/* Metric positions, in spec order, for each version. */
enum {
	V2_AV, V2_AC, V2_AU, V2_C, V2_I, V2_A,
	V2_E, V2_RL, V2_RC,
	V2_CDP, V2_TD, V2_CR, V2_IR, V2_AR,
	V2_NMETRICS
};

enum {
	V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A,
	V3_E, V3_RL, V3_RC,
	V3_CR, V3_IR, V3_AR, V3_MAV, V3_MAC, V3_MPR, V3_MUI, V3_MS, V3_MC, V3_MI, V3_MA,
	V3_NMETRICS
};

enum {
	V4_AV, V4_AC, V4_AT, V4_PR, V4_UI, V4_VC, V4_VI, V4_VA, V4_SC, V4_SI, V4_SA,
	V4_E,
	V4_CR, V4_IR, V4_AR, V4_MAV, V4_MAC, V4_MAT, V4_MPR, V4_MUI,
	V4_MVC, V4_MVI, V4_MVA, V4_MSC, V4_MSI, V4_MSA,
	V4_S, V4_AU, V4_R, V4_V, V4_RE, V4_U,
	V4_NMETRICS
};

/* Scoring: fill c->base, temporal, environmental and score from c->value and
 * c->flags, which the parser has set. */
void cvss2_score(struct kk_cvss *c);
void cvss3_score(struct kk_cvss *c);
void cvss4_score(struct kk_cvss *c);

/*
 * CVSS v4.0 macrovector scores in tenths, FIRST's cvss_lookup.js, indexed by
 * cvss4_macro_index(eq1, eq2, eq3, eq6, eq4, eq5). The pair (EQ3, EQ6) only takes
 * the five values 00, 01, 10, 11, 21, numbered 0..4.
 */
#define CVSS4_NMACRO 270
extern const unsigned char cvss4_macro_score[CVSS4_NMACRO];

static inline int cvss4_eq36_code(int eq3, int eq6)
{
	return eq3 == 2 ? 4 : eq3 * 2 + eq6;
}

static inline int cvss4_macro_index(int eq1, int eq2, int eq36, int eq4, int eq5)
{
	return (((eq1 * 2 + eq2) * 5 + eq36) * 3 + eq4) * 3 + eq5;
}

#endif
