/*
 * advisory.c: writing an advisory and reading its draft (advisory.h; issue
 * 12, SPEC 6). An advisory is reached through its case (adv_begin), so the
 * policy decides before anything is read: staff and the case's notified
 * vendors read the draft, a coordinator writes it, a notified vendor
 * comments; to anyone else it does not exist (SPEC 1). A save is checked
 * whole before anything is stored (kk_advisory_check) and keeps a revision;
 * the events run through the flow (flow.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "internal.h"

void adv_ctx_release(struct adv_ctx *ax)
{
	if (!ax)
		return;
	case_ctx_release(&ax->cx);
	kk_advisory_release(&ax->a);
}

int adv_may(const struct kk_user *user, enum kk_action action, const struct adv_ctx *ax)
{
	return case_may(user, action, &ax->cx);
}

enum kk_result adv_missing(const char *id, struct kk_error *err)
{
	char parsed[KK_ADVISORY_ID_MAX];

	return kk_error_set(err, KK_ENOTFOUND, _("There is no advisory %s."),
			    kk_advisory_id_parse(id, parsed, sizeof(parsed)) == 0 ? parsed : "");
}

enum kk_result adv_begin(struct kk_store *s, int write, const struct kk_user *user, const char *ref,
			 enum kk_action action, struct kk_tx *tx, struct adv_ctx *ax, struct kk_error *err)
{
	enum kk_result res;

	memset(ax, 0, sizeof(*ax));
	res = case_begin(s, write, user, ref, action, tx, &ax->cx, err);
	if (res)
		return res;
	res = kk_advisories_load(tx, ax->cx.c.id, 0, NULL, &ax->a, err);
	if (res == KK_ENOTFOUND)
		res = KK_OK; /* no advisory yet: a.id 0 */
	if (res) {
		adv_ctx_release(ax);
		return kk_tx_end(tx, res, err);
	}
	return KK_OK;
}

/* Staff: those who see every vendor of a case (SPEC 1). */
static int staff(const struct kk_user *viewer, const struct adv_ctx *ax)
{
	return adv_may(viewer, KK_ACT_CASE_VENDORS_READ, ax);
}

/* kk_advisory_get's object, built in tx. */
static enum kk_result view(struct kk_tx *tx, const struct kk_user *viewer, const struct adv_ctx *ax, json_t **out,
			   struct kk_error *err)
{
	const struct kk_advisory *a = &ax->a;
	const struct kk_case *c = &ax->cx.c;
	int is_staff = staff(viewer, ax), exists = a->id != 0, may_write = adv_may(viewer, KK_ACT_ADVISORY_WRITE, ax);
	struct adv_reader reader = { is_staff, ax->cx.party.vendor_id, exists && !strcmp(a->state, "published") };
	json_t *content = NULL, *rendered = NULL, *comments = json_array(), *revisions = json_array(), *events,
	       *o = NULL;
	char *url = NULL;
	enum kk_result res = comments && revisions ? KK_OK : kk_error_nomem(err);

	*out = NULL;
	if (!res && exists) {
		content = adv_content_load(a->content, err);
		res = content ? KK_OK : kk_error_result(err, KK_EDB);
	} else if (!res) {
		/* SPEC 6 (6), (7): the coordinator's first draft starts from the vendors' countermeasures */
		content = adv_content_empty();
		res = !content ? kk_error_nomem(err) : may_write ? adv_prefill(tx, c->id, content, err) : KK_OK;
	}
	if (!res)
		res = adv_rendered(tx, exists ? a : NULL, c, content, &reader, &rendered, err);
	if (!res && exists)
		res = kk_advisory_comments_json(tx, a->id, is_staff ? 0 : ax->cx.party.vendor_id, comments, err);
	if (!res && exists && is_staff)
		res = kk_advisory_revisions_json(tx, a->id, revisions, err);
	if (!res && a->public_id)
		res = adv_id_url(tx, a->public_id, &url, err);
	if (!(events = json_array()) && !res)
		res = kk_error_nomem(err);
	if (!res && exists) {
		struct adv_object obj = { (struct kk_advisory *)a, c };
		struct kk_flow_step step = { .tx = tx, .actor = viewer, .object_id = a->id, .object = &obj };
		const char *names[8];
		size_t n = kk_flow_events(&kk_advisory_flow, &step, a->state, names, 8);

		for (size_t i = 0; i < n && i < 8; i++)
			if (json_array_append_new(events, json_string(names[i])))
				res = kk_error_nomem(err);
	}
	if (!res) {
		const char *state = exists ? a->state : "draft";

		o = json_pack("{s:s, s:b, s:s, s:s, s:o, s:o, s:o, s:I, s:I, s:o, s:o, s:o, s:o, s:{s:s, s:o}, s:O, s:O,"
			      " s:O, s:O, s:O, s:{s:b, s:b}}",
			      "case", c->ref, "exists", exists, "state", state, "state_label",
			      kk_flow_state_label(&kk_advisory_flow, state), "kind",
			      a->kind[0] ? json_string(a->kind) : kk_json_str_or_null(json_string_value(json_object_get(
									   content, "kind"))),
			      "id", kk_json_str_or_null(a->public_id), "url", kk_json_str_or_null(url), "revision",
			      (json_int_t)a->revision, "public_revision", (json_int_t)a->public_revision, "saved_at",
			      case_time(a->saved_at), "approved_at", case_time(a->approved_at), "published_at",
			      case_time(a->published_at), "updated_at", case_time(a->updated_at), "publication", "state",
			      c->date_state ? c->date_state : "undated", "at", case_time(c->publication_at), "content",
			      content, "rendered", rendered, "comments", comments, "revisions", revisions, "events",
			      events, "may", "write", may_write, "comment",
			      exists && strcmp(a->state, "published") != 0 && adv_may(viewer, KK_ACT_ADVISORY_COMMENT, ax));
		if (!o)
			res = kk_error_nomem(err);
	}
	*out = o;
	free(url);
	json_decref(content);
	json_decref(rendered);
	json_decref(comments);
	json_decref(revisions);
	json_decref(events);
	return res;
}

enum kk_result kk_advisory_get(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
			       struct kk_error *err)
{
	struct adv_ctx ax;
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	res = adv_begin(s, 0, viewer, ref, KK_ACT_ADVISORY_READ, &tx, &ax, err);
	if (res)
		return res;
	res = case_end(&tx, view(&tx, viewer, &ax, out, err), out, err);
	adv_ctx_release(&ax);
	return res;
}

/* Member `name` of body: absent or null (NULL), or text of at most max
 * characters without control characters but line ends (a field error). */
static const char *note_member(const json_t *body, const char *name, struct kk_error *err)
{
	const json_t *v = json_object_get(body, name);
	const char *s;

	if (!v || json_is_null(v))
		return NULL;
	s = json_string_value(v);
	if (!s || kk_has_control(s, 1) || kk_has_bidi_control(s) || kk_utf8_len(s) > KK_ADVISORY_NOTE_MAX) {
		kk_error_field(err, name, _("Must be text of at most %d characters."), KK_ADVISORY_NOTE_MAX);
		return NULL;
	}
	return kk_str_empty(s) ? NULL : s;
}

/* The body without the members that are not content (notes), and those
 * members checked: *content the canonical content. */
static enum kk_result content_and_notes(struct kk_tx *tx, const json_t *body, const char *const *notes,
					const char **values, json_t **content, struct kk_error *err)
{
	json_t *rest;
	enum kk_result res;

	*content = NULL;
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	if (!(rest = json_copy((json_t *)body)))
		return kk_error_nomem(err);
	for (size_t i = 0; notes[i]; i++) {
		values[i] = note_member(body, notes[i], err);
		json_object_del(rest, notes[i]);
	}
	res = kk_advisory_check(tx, rest, content, err);
	json_decref(rest);
	if (!res && kk_error_has_fields(err)) {
		json_decref(*content);
		*content = NULL;
		res = KK_EINVAL;
	}
	return res;
}

enum kk_result kk_advisory_save(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
				json_t **out, struct kk_error *err)
{
	static const char *const notes[] = { "note", NULL };
	const char *note = NULL;
	struct adv_ctx ax;
	struct kk_tx tx;
	json_t *content = NULL, *detail = NULL;
	struct kk_advisory *a = &ax.a;
	int64_t now = kk_now();
	char *text = NULL;
	struct kk_error mine = KK_ERROR_INIT;
	enum kk_result res;

	if (out)
		*out = NULL;
	if (!err)
		err = &mine;
	res = adv_begin(s, 1, actor, ref, KK_ACT_ADVISORY_WRITE, &tx, &ax, err);
	if (res) {
		kk_error_release(&mine);
		return res;
	}
	res = content_and_notes(&tx, body, notes, &note, &content, err);
	/* a save changes the draft only: an approved one is withdrawn first,
	 * a published one revised (G IV.4.9) */
	if (!res && a->id && !strcmp(a->state, "approved"))
		res = kk_error_set(err, KK_ECONFLICT, "%s",
				   _("The advisory is approved: withdraw the approval to change it."));
	else if (!res && a->id && !strcmp(a->state, "published"))
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("The advisory is published: revise it instead."));
	if (!res && !(text = adv_content_dump(content)))
		res = kk_error_nomem(err);
	if (!res) {
		free(a->content);
		a->content = text;
		text = NULL;
		a->revision++;
		a->saved_at = now;
		a->saved_by = actor->id;
		adv_content_scores(content, &a->cvss3_tenths, &a->cvss4_tenths);
		if (a->id) {
			res = kk_advisories_update(&tx, a, "draft", err);
		} else {
			a->case_id = ax.cx.c.id;
			a->created_at = now;
			snprintf(a->state, sizeof(a->state), "%s", kk_advisory_flow.states[0].name);
			res = kk_advisories_insert(&tx, a, err);
		}
	}
	/* every saved revision is kept: the texts as saved, who, when, the note */
	if (!res)
		res = kk_advisory_revisions_insert(&tx, a->id, a->revision, a->content, note, 0, actor->id, now, err);
	if (!res && !(detail = json_pack("{s:I, s:s?}", "revision", (json_int_t)a->revision, "note", note)))
		res = kk_error_nomem(err);
	if (!res)
		res = kk_audit_record(&tx, actor, "advisory", a->id, "save", NULL, NULL, detail, err);
	if (!res && out)
		res = view(&tx, actor, &ax, out, err);
	res = case_end(&tx, res, out, err);
	free(text);
	json_decref(detail);
	json_decref(content);
	adv_ctx_release(&ax);
	kk_error_release(&mine);
	return res;
}

/* Checks the members of event's body into in (*content for revise). */
static enum kk_result event_body(struct kk_tx *tx, const char *event, const json_t *body, struct adv_input *in,
				 json_t **content, struct kk_error *err)
{
	static const char *const notes[] = { "note", NULL };
	static const char *const revise_notes[] = { "note_ja", "note_en", NULL };
	const char *values[2] = { NULL, NULL };
	const char *key;
	json_t *v;

	memset(in, 0, sizeof(*in));
	*content = NULL;
	if (!strcmp(event, "revise")) {
		enum kk_result res = content_and_notes(tx, body, revise_notes, values, content, err);

		in->note_ja = values[0];
		in->note_en = values[1];
		/* SPEC 6 (10): every update says what changed */
		if (!in->note_ja && !in->note_en)
			kk_error_field(err, "note_ja", "%s",
				       _("Say what changed, in Japanese (note_ja), in English (note_en) or both."));
		in->content = *content;
		return res ? res : kk_error_has_fields(err) ? KK_EINVAL : KK_OK;
	}
	if (body && !json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	json_object_foreach((json_t *)body, key, v)
		if (strcmp(key, "note") != 0)
			kk_error_field(err, key, "%s", _("Not a member of this request."));
	in->note = note_member(body, notes[0], err);
	return kk_error_has_fields(err) ? KK_EINVAL : KK_OK;
}

enum kk_result kk_advisory_event(struct kk_store *s, const struct kk_user *actor, const char *ref, const char *event,
				 const json_t *body, json_t **out, struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	const struct kk_flow_transition *t = NULL;
	struct adv_input in;
	struct adv_ctx ax;
	struct kk_tx tx;
	json_t *content = NULL, *stored = NULL;
	enum kk_result res;

	if (out)
		*out = NULL;
	if (!err)
		err = &mine;
	res = adv_begin(s, 1, actor, ref, KK_ACT_ADVISORY_WRITE, &tx, &ax, err);
	if (res)
		goto done;
	if (!ax.a.id) {
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("This case has no advisory yet: save a draft first."));
		goto end;
	}
	res = event_body(&tx, event, body, &in, &content, err);
	if (!res) {
		struct adv_object obj = { &ax.a, &ax.cx.c };
		struct kk_flow_step step = { .tx = &tx, .actor = actor, .object_id = ax.a.id, .object = &obj };

		res = kk_flow_check(&kk_advisory_flow, &step, ax.a.state, event, &t, err);
	}
	/* SPEC 6: every item but the workarounds, in both languages, before approval */
	if (!res && !strcmp(event, "approve")) {
		stored = adv_content_load(ax.a.content, err);
		res = stored ? adv_content_complete(stored, err) : kk_error_result(err, KK_EDB);
	}
	if (!res)
		res = adv_fire(&tx, actor, &ax.a, &ax.cx.c, &in, event, err);
	if (!res && out)
		res = view(&tx, actor, &ax, out, err);
end:
	res = case_end(&tx, res, out, err);
	adv_ctx_release(&ax);
done:
	json_decref(content);
	json_decref(stored);
	kk_error_release(&mine);
	return res;
}

enum kk_result kk_advisory_comment(struct kk_store *s, const struct kk_user *actor, const char *ref,
				   const json_t *body, json_t **out, struct kk_error *err)
{
	const json_t *v = json_object_get(body, "body");
	const char *text = json_string_value(v), *key;
	json_t *m, *detail = NULL;
	struct adv_ctx ax;
	struct kk_tx tx;
	int64_t id = 0, now = kk_now();
	struct kk_error mine = KK_ERROR_INIT;
	enum kk_result res;

	*out = NULL;
	if (!err)
		err = &mine;
	res = adv_begin(s, 1, actor, ref, KK_ACT_ADVISORY_COMMENT, &tx, &ax, err);
	if (res) {
		kk_error_release(&mine);
		return res;
	}
	if (!json_is_object(body)) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
		goto end;
	}
	json_object_foreach((json_t *)body, key, m)
		if (strcmp(key, "body") != 0)
			kk_error_field(err, key, "%s", _("Not a member of this request."));
	if (kk_str_empty(text))
		kk_error_field(err, "body", "%s", _("Required."));
	else if (kk_has_control(text, 1) || kk_has_bidi_control(text) || kk_utf8_len(text) > KK_ADVISORY_COMMENT_MAX)
		kk_error_field(err, "body", _("Must be text of at most %d characters."), KK_ADVISORY_COMMENT_MAX);
	if (kk_error_has_fields(err)) {
		res = KK_EINVAL;
		goto end;
	}
	/* SPEC 6: vendors preview the draft and may comment before the date */
	if (!ax.a.id)
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("There is no draft of the advisory to comment on yet."));
	else if (!strcmp(ax.a.state, "published"))
		res = kk_error_set(err, KK_ECONFLICT, "%s",
				   _("The advisory is published; write to the coordinator in your thread of the case."));
	if (!res)
		res = kk_advisory_comments_insert(&tx, ax.a.id, ax.cx.party.vendor_id, actor->id, ax.a.revision, text, now,
						  &id, err);
	if (!res && !(detail = json_pack("{s:I, s:I}", "comment", (json_int_t)id, "vendor_id",
					 (json_int_t)ax.cx.party.vendor_id)))
		res = kk_error_nomem(err);
	if (!res)
		res = kk_audit_record(&tx, actor, "advisory", ax.a.id, "comment", NULL, NULL, detail, err);
	if (!res &&
	    !(*out = json_pack("{s:I, s:I, s:s?, s:I, s:s, s:I}", "id", (json_int_t)id, "vendor_id",
			       (json_int_t)ax.cx.party.vendor_id, "vendor",
			       case_vendor_name(ax.cx.own.name_ja, ax.cx.own.name_en), "revision",
			       (json_int_t)ax.a.revision, "body", text, "at", (json_int_t)now)))
		res = kk_error_nomem(err);
end:
	res = case_end(&tx, res, out, err);
	json_decref(detail);
	adv_ctx_release(&ax);
	kk_error_release(&mine);
	return res;
}

enum kk_result kk_advisory_list(struct kk_store *s, const struct kk_user *viewer, const char *state, json_t **out,
				struct kk_error *err)
{
	json_t *rows = json_array(), *list = json_array(), *r;
	struct kk_tx tx;
	size_t i;
	enum kk_result res;

	*out = NULL;
	if (!rows || !list) {
		res = kk_error_nomem(err);
		goto out;
	}
	/* staff only: the advisory.read row that holds for any case */
	if (!kk_may(viewer, KK_ACT_ADVISORY_READ, NULL)) {
		res = kk_error_set(err, KK_EDENIED, "%s", _("You may not list the advisories."));
		goto out;
	}
	if (state && kk_flow_state_index(&kk_advisory_flow, state) < 0) {
		char names[128];

		res = kk_error_field(err, "state", _("Must be one of: %s."),
				     kk_flow_state_names(&kk_advisory_flow, names, sizeof(names)));
		goto out;
	}
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		goto out;
	res = kk_tx_end(&tx, kk_advisories_all_json(&tx, state, rows, err), err);
	json_array_foreach(rows, i, r) {
		json_t *content = res ? NULL : adv_content_load(json_string_value(json_object_get(r, "content")), err);
		const json_t *texts = json_object_get(content, "texts");
		const char *st = json_string_value(json_object_get(r, "state"));
		json_t *o;

		if (!content) {
			res = kk_error_result(err, KK_EDB);
			break;
		}
		o = json_pack("{s:O, s:s, s:s, s:O, s:{s:O, s:O}, s:O, s:O, s:O}", "case", json_object_get(r, "case"),
			      "state", st, "state_label", kk_flow_state_label(&kk_advisory_flow, st), "id",
			      json_object_get(r, "id"), "title", "ja", json_object_get(json_object_get(texts, "ja"), "title"),
			      "en", json_object_get(json_object_get(texts, "en"), "title"), "saved_at",
			      json_object_get(r, "saved_at"), "published_at", json_object_get(r, "published_at"),
			      "updated_at", json_object_get(r, "updated_at"));
		json_decref(content);
		if (!o || json_array_append_new(list, o)) {
			res = kk_error_nomem(err);
			break;
		}
	}
	if (!res && !(*out = json_pack("{s:O}", "advisories", list)))
		res = kk_error_nomem(err);
out:
	json_decref(rows);
	json_decref(list);
	return res;
}
