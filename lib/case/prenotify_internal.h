/*
 * prenotify_internal.h: what prenotify.c hands the flow of a vendor's
 * pre-notification request (prenotify_flow.c; issue 10, G IV.4.9).
 */
#ifndef KEIKAI_CASE_PRENOTIFY_INTERNAL_H
#define KEIKAI_CASE_PRENOTIFY_INTERNAL_H

#include "store/prenotify.h"

/* The object of kk_prenotify_flow: the request, and its case. */
struct prenotify_object {
	struct kk_prenotify r;
	int64_t case_id;
	const char *ref;
};

/* The input of its events: the coordinator's note (required to refuse). */
struct prenotify_input {
	const char *note;
};

#endif
