/*
 * error.h: the one result type of the core and the error object that carries details.
 *
 * Every core function that can fail returns an enum kk_result and, when given a
 * struct kk_error, fills it with a message already translated into the calling
 * thread's language (see i18n.h) and, for input errors, a map from field path to
 * message. The caller owns the error object; only the fronts print it.
 */
#ifndef KEIKAI_ERROR_H
#define KEIKAI_ERROR_H

#include <jansson.h>

enum kk_result {
	KK_OK = 0,
	KK_ENOMEM,     /* an allocation failed */
	KK_EINVAL,     /* input is malformed; fields says where */
	KK_ENOTFOUND,  /* no such object, or none the caller may see */
	KK_EDENIED,    /* the caller's role may not do this */
	KK_EAUTH,      /* wrong credentials */
	KK_ETHROTTLED, /* too many attempts; try later */
	KK_ECONFLICT,  /* the object is not in a state that allows this */
	KK_EEXISTS,    /* the object already exists */
	KK_ETOOBIG,    /* input over its size cap */
	KK_EDB,        /* the database failed */
	KK_EIO,        /* a file or system call failed */
	KK_EUNAVAILABLE, /* the database cannot be reached now (connection lost or refused) */
};

struct kk_error {
	enum kk_result code;
	char msg[256];
	json_t *fields; /* NULL or an object: field path -> message string */
};

#define KK_ERROR_INIT { KK_OK, "", NULL }

/* Resets e to "no error", releasing its fields. Accepts NULL. */
void kk_error_clear(struct kk_error *e);

/* Releases what e holds. Accepts NULL. */
void kk_error_release(struct kk_error *e);

/* Sets code and message (printf format) and returns code. Accepts e == NULL. */
enum kk_result kk_error_set(struct kk_error *e, enum kk_result code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* kk_error_set(e, KK_ENOMEM, "Out of memory."), translated: KK_ENOMEM. */
enum kk_result kk_error_nomem(struct kk_error *e);

/*
 * Records that field `path` is wrong, with a message (printf format). The first
 * message for a path wins. Sets the code to KK_EINVAL and, if no message was set,
 * a generic one. Returns KK_EINVAL, or KK_ENOMEM (code and message set so)
 * when the message could not be kept. Accepts e == NULL.
 */
enum kk_result kk_error_field(struct kk_error *e, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* e's code when e is set and holds one, else def: for a callee that reported
 * its failure only through e. */
static inline enum kk_result kk_error_result(const struct kk_error *e, enum kk_result def)
{
	return e && e->code != KK_OK ? e->code : def;
}

/* True when e holds at least one field error. */
int kk_error_has_fields(const struct kk_error *e);

/* Copies the error from src to dst (dst is cleared first). */
void kk_error_copy(struct kk_error *dst, const struct kk_error *src);

#endif
