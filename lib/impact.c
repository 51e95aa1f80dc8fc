/*
 * impact.c: impact scope and impact level (impact.h; SPEC 7, G 付録4).
 *
 * The guideline gives impact as a grid of CVSS v3 base score bands against
 * impact scope. This is keikai's reading of that grid (docs/internals/impact.md):
 *
 *                 0.0–3.9   4.0–6.9   7.0–10.0
 *   wide          medium    high      high
 *   medium        low       medium    high
 *   narrow        low       low       medium
 */
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/impact.h"
#include "keikai/util.h"

/*
 * (3) published attack code or observed attacks make the scope wide; so do three
 * unknowns. Otherwise (1) and (2) weigh in: many users or critical
 * infrastructure count 2, unknown 1, few users or no critical infrastructure 0;
 * 3 or more is wide, 2 medium, less narrow.
 */
enum kk_scope kk_scope_judge(const struct kk_scope_factors *f)
{
	static const int users_weight[] = { [KK_USERS_UNKNOWN] = 1, [KK_USERS_MANY] = 2, [KK_USERS_FEW] = 0 };
	static const int infra_weight[] = { [KK_ANSWER_UNKNOWN] = 1, [KK_ANSWER_YES] = 2, [KK_ANSWER_NO] = 0 };
	int weight;

	if (f->attack_public == KK_ANSWER_YES)
		return KK_SCOPE_WIDE;
	if (f->users == KK_USERS_UNKNOWN && f->critical_infrastructure == KK_ANSWER_UNKNOWN &&
	    f->attack_public == KK_ANSWER_UNKNOWN)
		return KK_SCOPE_WIDE;
	weight = users_weight[f->users] + infra_weight[f->critical_infrastructure];
	return weight >= 3 ? KK_SCOPE_WIDE : weight == 2 ? KK_SCOPE_MEDIUM : KK_SCOPE_NARROW;
}

enum kk_impact kk_impact_judge(int tenths, enum kk_scope scope)
{
	static const enum kk_impact grid[3][3] = {
		/* 0.0–3.9, 4.0–6.9, 7.0–10.0 */
		[KK_SCOPE_WIDE] = { KK_IMPACT_MEDIUM, KK_IMPACT_HIGH, KK_IMPACT_HIGH },
		[KK_SCOPE_MEDIUM] = { KK_IMPACT_LOW, KK_IMPACT_MEDIUM, KK_IMPACT_HIGH },
		[KK_SCOPE_NARROW] = { KK_IMPACT_LOW, KK_IMPACT_LOW, KK_IMPACT_MEDIUM },
	};

	if (tenths < 0 || tenths > 100)
		return KK_IMPACT_UNRATED;
	return grid[scope][tenths >= 70 ? 2 : tenths >= 40 ? 1 : 0];
}

static const char *const scope_names[] = { "narrow", "medium", "wide" };
static const char *const scope_labels[] = { N_("Narrow"), N_("Medium"), N_("Wide") };
static const char *const impact_names[] = { "low", "medium", "unrated", "high" };
static const char *const impact_labels[] = { N_("Low impact"), N_("Medium impact"), N_("Not yet rated"),
					     N_("High impact") };
static const char *const users_names[] = { "unknown", "many", "few" };
static const char *const answer_names[] = { "unknown", "yes", "no" };

const char *kk_scope_name(enum kk_scope s)
{
	return scope_names[s];
}

const char *kk_scope_label(enum kk_scope s)
{
	return _(scope_labels[s]);
}

const char *kk_impact_name(enum kk_impact i)
{
	return impact_names[i];
}

const char *kk_impact_label(enum kk_impact i)
{
	return _(impact_labels[i]);
}

const char *kk_users_name(enum kk_users u)
{
	return users_names[u];
}

const char *kk_answer_name(enum kk_answer a)
{
	return answer_names[a];
}

static int parse(const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

int kk_users_parse(const char *s, enum kk_users *out)
{
	int i = parse(s, users_names, 3);

	if (i < 0)
		return -1;
	*out = (enum kk_users)i;
	return 0;
}

int kk_answer_parse(const char *s, enum kk_answer *out)
{
	int i = parse(s, answer_names, 3);

	if (i < 0)
		return -1;
	*out = (enum kk_answer)i;
	return 0;
}
