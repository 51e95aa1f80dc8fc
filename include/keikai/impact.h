/*
 * impact.h: impact-based triage (SPEC 2.3, SPEC 7; G 付録4). A report's impact is
 * judged from its CVSS v3 base score and its impact scope; high-impact reports are
 * handled first, regardless of the order they arrived in.
 *
 * Impact scope is "wide", "medium" or "narrow", judged from three factors: the
 * number of users, use in critical infrastructure, and whether attack code is
 * published or attacks are observed. When all three are unknown the scope is wide.
 */
#ifndef KEIKAI_IMPACT_H
#define KEIKAI_IMPACT_H

/* Each factor is unknown until staff judge it. */
enum kk_users { KK_USERS_UNKNOWN = 0, KK_USERS_MANY, KK_USERS_FEW };
enum kk_answer { KK_ANSWER_UNKNOWN = 0, KK_ANSWER_YES, KK_ANSWER_NO };

struct kk_scope_factors {
	enum kk_users users;                   /* (1) number of users */
	enum kk_answer critical_infrastructure; /* (2) used by critical infrastructure */
	enum kk_answer attack_public;          /* (3) attack code published or attacks seen */
};

enum kk_scope { KK_SCOPE_NARROW = 0, KK_SCOPE_MEDIUM, KK_SCOPE_WIDE };

/* Impact levels, ordered: the queue shows higher values first. A report with no
 * v3 base score yet is "unrated" and comes right after the high-impact ones, so
 * that it gets assessed. The values are stored with each report (the queue's
 * column impact_rank): never renumber them. A release that changes how impact
 * or the score is judged appends a migration setting impact_rank to -1, and
 * every report is ranked again when the store opens. */
enum kk_impact { KK_IMPACT_LOW = 0, KK_IMPACT_MEDIUM, KK_IMPACT_UNRATED, KK_IMPACT_HIGH };

/* G 付録4: the scope the three factors give. */
enum kk_scope kk_scope_judge(const struct kk_scope_factors *f);

/* G 付録4: impact from the v3 base score (tenths, -1 when unknown) and the scope. */
enum kk_impact kk_impact_judge(int v3_base_tenths, enum kk_scope scope);

/* Names used in the API ("wide", "many", "yes", "high", …) and translated labels. */
const char *kk_scope_name(enum kk_scope s);
const char *kk_scope_label(enum kk_scope s);
const char *kk_impact_name(enum kk_impact i);
const char *kk_impact_label(enum kk_impact i);
const char *kk_users_name(enum kk_users u);
const char *kk_answer_name(enum kk_answer a);
int kk_users_parse(const char *s, enum kk_users *out);
int kk_answer_parse(const char *s, enum kk_answer *out);

#endif
