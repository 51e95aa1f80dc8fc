/*
 * flow.c: the workflow engine (flow.h). It knows nothing of any one flow: the
 * tables (lib/report/flow.c, …) say what may happen, this file makes it happen
 * in the same order for every flow: role, state, guard, action, audit, effects.
 */
#include <stdio.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/flow.h"
#include "keikai/i18n.h"

int kk_flow_state_index(const struct kk_flow *f, const char *name)
{
	for (size_t i = 0; name && i < f->n_states; i++)
		if (strcmp(f->states[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *kk_flow_state_label(const struct kk_flow *f, const char *name)
{
	int i = kk_flow_state_index(f, name);

	return i < 0 ? name : _(f->states[i].label);
}

const char *kk_flow_state_names(const struct kk_flow *f, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < f->n_states && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", f->states[i].name);
	return buf;
}

static int has_event(const struct kk_flow *f, const char *event)
{
	for (size_t i = 0; i < f->n_transitions; i++)
		if (strcmp(f->transitions[i].event, event) == 0)
			return 1;
	return 0;
}

int kk_flow_role_may_fire(const struct kk_flow *f, const char *event, enum kk_role role)
{
	for (size_t i = 0; i < f->n_transitions; i++)
		if (strcmp(f->transitions[i].event, event) == 0 && (f->transitions[i].roles & KK_ROLE_BIT(role)))
			return 1;
	return 0;
}

static const struct kk_flow_transition *find(const struct kk_flow *f, const char *from, const char *event)
{
	for (size_t i = 0; i < f->n_transitions; i++)
		if (strcmp(f->transitions[i].from, from) == 0 && strcmp(f->transitions[i].event, event) == 0)
			return &f->transitions[i];
	return NULL;
}

enum kk_result kk_flow_check(const struct kk_flow *f, const struct kk_flow_step *s, const char *from,
			     const char *event, const struct kk_flow_transition **t, struct kk_error *err)
{
	enum kk_role role = s->actor->role;

	*t = NULL;
	if (!has_event(f, event))
		return kk_error_set(err, KK_EINVAL, _("There is no action \"%s\" here."), event);
	/* a role that may never fire the event learns nothing about the state */
	if (!kk_flow_role_may_fire(f, event, role))
		return kk_error_set(err, KK_EDENIED, _("Your role may not do \"%s\"."), event);
	*t = find(f, from, event);
	if (!*t)
		return kk_error_set(err, KK_ECONFLICT, _("This cannot be done while the state is \"%s\"."),
				    kk_flow_state_label(f, from));
	if (!((*t)->roles & KK_ROLE_BIT(role))) {
		*t = NULL;
		return kk_error_set(err, KK_EDENIED, _("Your role may not do \"%s\"."), event);
	}
	if ((*t)->guard && !(*t)->guard->holds(s)) {
		enum kk_result res = kk_error_set(err, KK_ECONFLICT, "%s", _((*t)->guard->why));

		*t = NULL;
		return res;
	}
	return KK_OK;
}

enum kk_result kk_flow_fire(const struct kk_flow *f, struct kk_flow_step *s, const char *from, const char *event,
			    struct kk_error *err)
{
	enum kk_result res = kk_flow_check(f, s, from, event, &s->t, err);

	s->detail = NULL;
	if (!res)
		res = s->t->action(s, err);
	if (!res)
		res = kk_audit_record(s->tx, s->actor, f->object_type, s->object_id, event, from, s->t->to, s->detail,
				      err);
	for (size_t i = 0; !res && i < KK_FLOW_MAX_EFFECTS && s->t->effects[i]; i++)
		res = s->t->effects[i]->run(s, err);
	json_decref(s->detail);
	s->detail = NULL;
	return res;
}

size_t kk_flow_events(const struct kk_flow *f, const struct kk_flow_step *s, const char *from, const char **out,
		      size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n_transitions; i++) {
		const struct kk_flow_transition *t = &f->transitions[i];

		if (strcmp(t->from, from) != 0 || !(t->roles & KK_ROLE_BIT(s->actor->role)))
			continue;
		if (t->guard && !t->guard->holds(s))
			continue;
		if (n < max)
			out[n] = t->event;
		n++;
	}
	return n;
}
