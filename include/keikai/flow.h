/*
 * flow.h: the one workflow engine. Every workflow of keikai (report triage now;
 * cases, vendor statuses, publication, web-site handling and the committee as
 * they come) is a table of states and transitions that this engine runs, the
 * documentation shows (docs/internals/flow.md) and the tests walk exhaustively
 * (tests/unit/test_flow.c): every state × event × role gets exactly the table's
 * answer.
 *
 * A transition {from, event, roles, guard, action, to, effects} reads: in state
 * `from`, a user whose role is in `roles` may fire `event` when `guard` holds;
 * `action` changes the object (and stores its new state `to`), the engine writes
 * the audit record, then each effect runs (a message queued to the outbox, …),
 * all in the caller's transaction, so a change and what it causes commit together
 * or not at all.
 */
#ifndef KEIKAI_FLOW_H
#define KEIKAI_FLOW_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/store.h"

/* A set of roles: KK_ROLE_BIT(KK_ROLE_INTAKE) | … */
#define KK_ROLE_BIT(role) (1u << (unsigned)(role))
/* every role a user may have (not KK_ROLE_SYSTEM) */
#define KK_ROLES_EVERYONE ((1u << (KK_ROLE_LAST_USER + 1)) - 1u)
#define KK_ROLES_SIGNED_IN (KK_ROLES_EVERYONE & ~KK_ROLE_BIT(KK_ROLE_NONE))

struct kk_flow_state {
	const char *name;  /* stored and in the API: "received" */
	const char *label; /* N_() message id, translated on use: "Received" */
};

struct kk_flow_step;

/* A condition on the object beyond the role (the guard's `why` is the N_()
 * message an actor sees when it does not hold). */
struct kk_flow_guard {
	const char *name;
	int (*holds)(const struct kk_flow_step *s);
	const char *why;
};

/* Something a transition causes (name is what the docs' table shows). */
struct kk_flow_effect {
	const char *name;
	enum kk_result (*run)(struct kk_flow_step *s, struct kk_error *err);
};

#define KK_FLOW_MAX_EFFECTS 4

struct kk_flow_transition {
	const char *from, *event;
	unsigned roles;
	const struct kk_flow_guard *guard; /* NULL: none */
	/* Changes the object and stores its new state s->t->to; may set s->detail. */
	enum kk_result (*action)(struct kk_flow_step *s, struct kk_error *err);
	const char *to;
	const struct kk_flow_effect *effects[KK_FLOW_MAX_EFFECTS]; /* NULL-terminated */
};

struct kk_flow {
	const char *name;        /* "triage" */
	const char *object_type; /* what the audit records name: "report" */
	const char *doc;         /* the page under docs/ that shows the table */
	const struct kk_flow_state *states; /* the first is where objects start */
	size_t n_states;
	const struct kk_flow_transition *transitions;
	size_t n_transitions;
};

/* One application of an event: what the caller hands the engine. */
struct kk_flow_step {
	struct kk_tx *tx;
	const struct kk_user *actor;
	int64_t object_id;
	void *object;      /* the loaded object, e.g. struct kk_report * */
	const void *input; /* what came with the event, e.g. struct kk_decision * */
	/* set by the engine */
	const struct kk_flow_transition *t;
	/* set by the action: the audit record's detail (the engine releases it) */
	json_t *detail;
};

/* Every flow of keikai, NULL-terminated: what the walk test and the docs check. */
extern const struct kk_flow *const kk_flows[];

/* Whether objects of f may also start in state `name`, besides the first
 * state (issue 11: a report that came by mail starts in "mail"); the
 * entries are listed in lib/flow/flows.c. */
int kk_flow_is_entry(const struct kk_flow *f, const char *name);

/* The index of state `name` in f, or -1. */
int kk_flow_state_index(const struct kk_flow *f, const char *name);
/* The translated label of state `name` (the name itself when f has no such state). */
const char *kk_flow_state_label(const struct kk_flow *f, const char *name);
/* The state names of f joined with ", " into buf (n bytes), for messages. */
const char *kk_flow_state_names(const struct kk_flow *f, char *buf, size_t n);
/* Whether some transition of f lets `role` fire `event` from some state. */
int kk_flow_role_may_fire(const struct kk_flow *f, const char *event, enum kk_role role);

/*
 * The table's answer for firing `event` in state `from` as s->actor: KK_OK with
 * *t set; KK_EINVAL when f has no such event; KK_EDENIED when no transition of f
 * lets the role fire it, or this one does not; KK_ECONFLICT when the event does
 * not apply in `from` or its guard does not hold. Nothing runs and err is set.
 */
enum kk_result kk_flow_check(const struct kk_flow *f, const struct kk_flow_step *s, const char *from,
			     const char *event, const struct kk_flow_transition **t, struct kk_error *err);

/*
 * Fires `event` on the object in state `from` inside s->tx: checks as above,
 * runs the action, writes the audit record (actor, event, from, to, s->detail)
 * and runs the effects. Any failure fails the whole step; the caller's
 * transaction then rolls back.
 */
enum kk_result kk_flow_fire(const struct kk_flow *f, struct kk_flow_step *s, const char *from, const char *event,
			    struct kk_error *err);

/* The events s->actor may fire now in state `from`, in table order, into out
 * (at most max); returns how many there are. */
size_t kk_flow_events(const struct kk_flow *f, const struct kk_flow_step *s, const char *from, const char **out,
		      size_t max);

#endif
