/*
 * cpe.h: CPE 2.3 product names (NISTIR 7695, Naming) and name matching
 * (NISTIR 7696, Name Matching).
 *
 * A name is held as its well-formed name (WFN): eleven attributes, each the logical
 * value ANY or NA or a value string in WFN form, that is with every character other
 * than a letter, a digit or the underscore quoted by a backslash ("8\.0", "foo\-bar"),
 * and with unquoted * and ? kept as wild cards, which may only stand at the start or
 * the end of a value. kk_cpe_parse reads the three spellings of a name (the
 * formatted string "cpe:2.3:...", the URI "cpe:/..." and the WFN notation
 * "wfn:[...]") and rejects every malformed input with an exact reason;
 * kk_cpe_to_fs, kk_cpe_to_uri and kk_cpe_to_wfn bind a name back. kk_cpe_compare
 * and kk_cpe_match compare a source name with a target name without allocating.
 *
 * docs/internals/cpe.md says which clause of the specifications each rule comes
 * from and where keikai had to choose between two readings of them.
 */
#ifndef KEIKAI_CPE_H
#define KEIKAI_CPE_H

#include <stddef.h>

#include "keikai/error.h"

/* The eleven WFN attributes, in the order of the formatted string. */
enum kk_cpe_attr {
	KK_CPE_PART,
	KK_CPE_VENDOR,
	KK_CPE_PRODUCT,
	KK_CPE_VERSION,
	KK_CPE_UPDATE,
	KK_CPE_EDITION,
	KK_CPE_LANGUAGE,
	KK_CPE_SW_EDITION,
	KK_CPE_TARGET_SW,
	KK_CPE_TARGET_HW,
	KK_CPE_OTHER,
	KK_CPE_NATTR
};

/* What an attribute holds: a logical value (NISTIR 7695 5.3.1) or a value string. */
enum kk_cpe_kind {
	KK_CPE_ANY = 0,
	KK_CPE_NA,
	KK_CPE_STRING
};

/* Longest input kk_cpe_parse accepts, in bytes. */
#define KK_CPE_MAX_LEN 8192

/* kk_cpe_value.lead and .trail: a single unquoted '*'. Other values count '?'s. */
#define KK_CPE_STAR 0xffffu

struct kk_cpe_value {
	enum kk_cpe_kind kind;
	unsigned len;     /* bytes in str */
	const char *str;  /* WFN form, NUL-terminated; "" for ANY and NA */
	/*
	 * Filled in by the parser so that matching needs no second look at str.
	 * Read-only for callers. str = lead wild cards, body, trail wild cards.
	 */
	unsigned lead;       /* 0, the number of leading unquoted '?', or KK_CPE_STAR */
	unsigned trail;      /* the same for the end of the value */
	unsigned body_off;   /* bytes of str before the body */
	unsigned body_len;   /* bytes in the body */
	unsigned body_chars; /* characters in the body; a quoted pair counts as one */
};

/*
 * A parsed name. The value strings live in one block owned by the struct: release
 * it with kk_cpe_release, and do not copy the struct by assignment (use
 * kk_cpe_copy), since both copies would own the same block.
 */
struct kk_cpe {
	struct kk_cpe_value attr[KK_CPE_NATTR];
	char *buf; /* owned; NULL after kk_cpe_init and for a failed parse */
};

/* Why a name was rejected. The code selects the reason (kk_cpe_strerror). */
enum kk_cpe_errcode {
	KK_CPE_EOK = 0,
	KK_CPE_EPREFIX,         /* not cpe:2.3:, cpe:/ or wfn:[ */
	KK_CPE_ECOUNT,          /* wrong number of components */
	KK_CPE_EPART,           /* part is not a, o, h, ANY or NA */
	KK_CPE_EEMPTY,          /* an empty value in a formatted string or WFN */
	KK_CPE_ECHAR,           /* a byte outside printable ASCII, or a space */
	KK_CPE_EURI_CHAR,       /* a character a URI must percent-encode */
	KK_CPE_EUNQUOTED,       /* unquoted punctuation in the WFN notation */
	KK_CPE_EQUOTED_ALNUM,   /* a letter or digit after a backslash */
	KK_CPE_EESCAPE_END,     /* a backslash that ends a value */
	KK_CPE_ESTAR_EMBEDDED,  /* an unquoted * inside a value */
	KK_CPE_EQMARK_EMBEDDED, /* an unquoted ? inside a value */
	KK_CPE_ESTAR_ALONE,     /* a value that is a lone unquoted * */
	KK_CPE_ESTAR_REPEAT,    /* two unquoted * in sequence */
	KK_CPE_EWILD_MIX,       /* unquoted * and ? mixed in a run next to text */
	KK_CPE_EHYPHEN_ALONE,   /* a value that is a lone quoted hyphen */
	KK_CPE_EPERCENT,        /* % not followed by two hex digits */
	KK_CPE_EPERCENT_FORM,   /* a percent-encoded form a CPE URI does not allow */
	KK_CPE_EPACKED,         /* a packed edition without its five fields */
	KK_CPE_ELANGUAGE,       /* language is not language[-region] */
	KK_CPE_ETOO_LONG,       /* input longer than KK_CPE_MAX_LEN */
	KK_CPE_ENOMEM,          /* an allocation failed */
	KK_CPE_EWFN_SYNTAX,     /* the WFN notation is malformed */
	KK_CPE_EWFN_ATTRIBUTE,  /* an unknown attribute in the WFN notation */
	KK_CPE_EWFN_DUPLICATE,  /* an attribute given twice in the WFN notation */
	KK_CPE_NERR
};

/*
 * Details of a rejected name; the caller owns it. msg is the complete English
 * sentence, "ATTRIBUTE: REASON[: DETAIL] (column N)", e.g. "version: an unquoted
 * * may appear only at the start or the end of a value (column 38)". A front
 * that translates builds its own from _(kk_cpe_strerror(code)), the attribute
 * name (a term of the specification, not translated), detail and offset.
 */
struct kk_cpe_error {
	enum kk_cpe_errcode code;
	int attribute;   /* enum kk_cpe_attr the fault is in, or -1 */
	size_t offset;   /* byte offset in the input where the fault is */
	char detail[64]; /* "" or a fact in English: "%07", "10 attributes after ..." */
	char msg[256];
};

/* Relations of NISTIR 7696 Table 6-1, plus UNDEFINED for attribute comparisons
 * whose target holds wild cards (Table 6-2 lines 4, 8, 11 and 17). */
enum kk_cpe_relation {
	KK_CPE_DISJOINT = 0,
	KK_CPE_EQUAL,
	KK_CPE_SUBSET,
	KK_CPE_SUPERSET,
	KK_CPE_UNDEFINED
};

/* Bits returned by kk_cpe_match: which of the four name comparison functions of
 * NISTIR 7696 7.2 (CPE_DISJOINT, CPE_EQUAL, CPE_SUBSET, CPE_SUPERSET) hold. */
#define KK_CPE_F_DISJOINT 0x1u
#define KK_CPE_F_EQUAL    0x2u
#define KK_CPE_F_SUBSET   0x4u
#define KK_CPE_F_SUPERSET 0x8u

/* Sets every attribute to ANY, owning nothing. */
void kk_cpe_init(struct kk_cpe *cpe);

/* Frees what cpe owns and leaves it as kk_cpe_init does. Accepts NULL. */
void kk_cpe_release(struct kk_cpe *cpe);

/*
 * Parses a formatted string, a URI or the WFN notation, chosen by the prefix
 * (cpe:2.3:, cpe:/ and wfn:[, in any letter case). On success fills *out, which
 * then owns a block the caller frees with kk_cpe_release, and returns KK_OK. On
 * failure leaves *out as kk_cpe_init does, fills *err when it is not NULL and
 * returns KK_EINVAL (malformed), KK_ETOOBIG (longer than KK_CPE_MAX_LEN) or
 * KK_ENOMEM. *out is overwritten without being released first.
 */
enum kk_result kk_cpe_parse(const char *s, struct kk_cpe *out, struct kk_cpe_error *err);

/* kk_cpe_parse for the n bytes at s, which need not be NUL-terminated; a NUL byte
 * among them is an illegal character. */
enum kk_result kk_cpe_parse_n(const char *s, size_t n, struct kk_cpe *out,
			      struct kk_cpe_error *err);

/* Makes dst an independent copy of src (dst is overwritten, not released).
 * KK_OK or KK_ENOMEM; on failure dst is as kk_cpe_init leaves it. */
enum kk_result kk_cpe_copy(struct kk_cpe *dst, const struct kk_cpe *src);

/*
 * Binders. Each writes the name into buf, at most size bytes including the
 * terminating NUL (nothing when size is 0), and returns the length of the whole
 * binding without the NUL, like snprintf: the output was cut when the result is
 * >= size.
 *
 * kk_cpe_to_fs:  bind_to_fs of NISTIR 7695 6.2.2, "cpe:2.3:a:microsoft:...".
 * kk_cpe_to_uri: bind_to_URI of NISTIR 7695 6.1.2, "cpe:/a:microsoft:...", with the
 *                extended attributes packed into the edition. Every WFN binds, but
 *                unbinding a URI lowercases it, so a name with capital letters does
 *                not come back unchanged (kk_cpe_uri_lossless).
 * kk_cpe_to_wfn: the notation of NISTIR 7695 5.1 with all eleven attributes,
 *                'wfn:[part="a",vendor="microsoft",...,other=ANY]'.
 */
size_t kk_cpe_to_fs(const struct kk_cpe *cpe, char *buf, size_t size);
size_t kk_cpe_to_uri(const struct kk_cpe *cpe, char *buf, size_t size);
size_t kk_cpe_to_wfn(const struct kk_cpe *cpe, char *buf, size_t size);

/* 1 when unbinding kk_cpe_to_uri's output gives cpe back exactly, that is when no
 * value holds a capital letter; 0 otherwise. */
int kk_cpe_uri_lossless(const struct kk_cpe *cpe);

/* "part", "vendor", ..., "other"; "?" for a value out of range. */
const char *kk_cpe_attr_name(int attr);

/* The English reason for an error code, a static string marked N_() for
 * translation. Never NULL. */
const char *kk_cpe_strerror(enum kk_cpe_errcode code);

/*
 * Matching (NISTIR 7696). The source may hold wild cards; a target that holds
 * them yields UNDEFINED for that attribute. Letter case is ignored. Nothing here
 * allocates.
 */

/* The attribute comparison of 7696 7.3 compare(source, target), Table 6-2. */
enum kk_cpe_relation kk_cpe_compare_value(const struct kk_cpe_value *source,
					  const struct kk_cpe_value *target);

/*
 * Compare_WFNs followed by the four name comparison functions of 7696 7.2. Returns
 * the KK_CPE_F_* bits of those that hold: F_DISJOINT alone, F_EQUAL with
 * F_SUBSET and F_SUPERSET (the relations are non-proper), F_SUBSET or F_SUPERSET
 * alone, or 0 when none holds (an UNDEFINED attribute, or SUBSET and SUPERSET
 * attributes mixed). When attrs is not NULL it receives the eleven attribute
 * relations; when it is NULL the comparison stops at the first DISJOINT attribute.
 */
unsigned kk_cpe_match(const struct kk_cpe *source, const struct kk_cpe *target,
		      enum kk_cpe_relation attrs[KK_CPE_NATTR]);

/*
 * The single name relation keikai reports, from kk_cpe_match's bits checked in
 * this order: DISJOINT, EQUAL, SUPERSET, SUBSET. When none of the four functions
 * holds the result is DISJOINT (see docs/internals/cpe.md). Never UNDEFINED.
 */
enum kk_cpe_relation kk_cpe_compare(const struct kk_cpe *source, const struct kk_cpe *target);

/* "DISJOINT", "EQUAL", "SUBSET", "SUPERSET" or "UNDEFINED"; "?" out of range. */
const char *kk_cpe_relation_name(enum kk_cpe_relation rel);

#endif
