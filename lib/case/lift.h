/*
 * lift.h: what lift.c hands the lift flow's action (lift_flow.c).
 */
#ifndef KEIKAI_CASE_LIFT_H
#define KEIKAI_CASE_LIFT_H

#include <stdint.h>

/* The input of the event "answer": checked values (lift.c). */
struct lift_answer_input {
	const char *decision;    /* "lifted" | "not_yet" */
	const char *explanation; /* required */
	int64_t at;
};

#endif
