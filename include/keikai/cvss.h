/*
 * cvss.h: CVSS vectors of versions 2.0, 3.0, 3.1 and 4.0: parsing with an exact
 * reason for every rejection, scoring to the FIRST specifications, severity ratings
 * and the canonical vector string.
 *
 * Scores are held as integer tenths (98 means 9.8) and computed without floating
 * point, so they are exact: v2.0 and v3.0 round the exact value as their documents
 * say, v3.1 applies the Roundup of its Appendix A, v4.0 interpolates within the
 * macrovector as FIRST's reference calculator does (cvss_score.js) and rounds half
 * up. SPEC 2.3 and SPEC 7 rank reports by the CVSS v3 base score
 * (kk_cvss_v3_base_tenths).
 *
 * Nothing here allocates; a struct kk_cvss is a plain value the caller owns.
 * docs/internals/cvss.md says which clause of the specifications each rule comes
 * from and where keikai had to choose between two readings of them.
 */
#ifndef KEIKAI_CVSS_H
#define KEIKAI_CVSS_H

#include <stddef.h>

enum kk_cvss_version {
	KK_CVSS_V2_0 = 20, /* "AV:N/AC:L/Au:N/C:P/I:P/A:P", no prefix */
	KK_CVSS_V3_0 = 30, /* "CVSS:3.0/..." */
	KK_CVSS_V3_1 = 31, /* "CVSS:3.1/..." */
	KK_CVSS_V4_0 = 40, /* "CVSS:4.0/..." */
};

/* Qualitative ratings. v2.0 only knows LOW, MEDIUM and HIGH. */
enum kk_cvss_severity {
	KK_CVSS_NONE = 0,
	KK_CVSS_LOW,
	KK_CVSS_MEDIUM,
	KK_CVSS_HIGH,
	KK_CVSS_CRITICAL,
};

/* Why a vector was rejected. kk_cvss_strerror names the reason. */
enum kk_cvss_errcode {
	KK_CVSS_EOK = 0,
	KK_CVSS_EEMPTY,           /* the vector is empty */
	KK_CVSS_EPREFIX,          /* wrong prefix or unknown version after "CVSS:" */
	KK_CVSS_EEMPTY_COMPONENT, /* nothing between two slashes, or after the prefix */
	KK_CVSS_ETRAILING_SLASH,  /* the vector ends with '/' */
	KK_CVSS_ESYNTAX,          /* a component that is not METRIC:VALUE */
	KK_CVSS_EUNKNOWN_METRIC,  /* no such metric in this version */
	KK_CVSS_EDUPLICATE,       /* a metric given twice */
	KK_CVSS_EORDER,           /* v4.0 only: a metric before one that precedes it */
	KK_CVSS_EBAD_VALUE,       /* a value the metric does not have */
	KK_CVSS_EMISSING,         /* a mandatory (base) metric is absent */
};

/*
 * The details of a rejection, filled by kk_cvss_parse in storage the caller owns.
 * metric is the metric concerned ("AV"), empty when there is none (prefix, syntax,
 * unknown metric); value is the offending text (the bad value, the unknown metric
 * name, the malformed component or prefix), cut to fit and with bytes outside
 * printable ASCII shown as '?'; offset is the byte offset in the input of the
 * component at fault. msg is the English sentence, e.g. "bad value 'X' for
 * metric AV"; kk_cvss_format_error writes it in another language.
 */
struct kk_cvss_error {
	enum kk_cvss_errcode code;
	char metric[8];
	char value[40];
	size_t offset;
	char msg[160];
};

/* The most metrics a version has (v4.0: 11 base, 1 threat, 14 environmental,
 * 6 supplemental). */
#define KK_CVSS_MAX_METRICS 32

/* Bits of struct kk_cvss.flags: which optional groups hold a defined value
 * (anything but X / ND). */
#define KK_CVSS_HAS_TEMPORAL      0x1u /* v2.0 and v3.x: E, RL or RC */
#define KK_CVSS_HAS_THREAT        0x2u /* v4.0: E */
#define KK_CVSS_HAS_ENVIRONMENTAL 0x4u /* v2.0: CDP TD CR IR AR; v3.x: CR..MA; v4.0: CR..MSA */
#define KK_CVSS_HAS_SUPPLEMENTAL  0x8u /* v4.0: S AU R V RE U */

/*
 * A parsed and scored vector. Scores are tenths, -1 when the vector does not have
 * them:
 *   v2.0, v3.x: base always; temporal with KK_CVSS_HAS_TEMPORAL; environmental with
 *               KK_CVSS_HAS_ENVIRONMENTAL; score is the last of the three present.
 *   v4.0:       score only (the CVSS-B, -BT, -BE or -BTE score, kk_cvss_nomenclature);
 *               base, temporal and environmental are -1.
 * value[i] is 1 + the index of the value of the version's i-th metric in spec order,
 * 0 when the metric is absent; kk_cvss_metric reads it by name.
 */
struct kk_cvss {
	enum kk_cvss_version version;
	unsigned int flags;
	int base;
	int temporal;
	int environmental;
	int score;
	unsigned char value[KK_CVSS_MAX_METRICS];
};

/*
 * Parses the len bytes at vector (no NUL needed; a NUL byte among them is just an
 * invalid character) and scores them into *out. Returns 0, or the negative error
 * code -(enum kk_cvss_errcode) with err filled when err is not NULL; *out is then
 * unspecified. The input must be exactly a vector: no surrounding blanks, no "(...)".
 *
 * Order of metrics: v2.0 and v3.x accept any order (CVSS v3.1 §6: "other orderings
 * are valid"; the v2 guide only describes a predetermined order); v4.0 rejects any
 * order but that of its Table 23 (CVSS v4.0 §7: "every other ordering is invalid").
 */
int kk_cvss_parse(const char *vector, size_t len, struct kk_cvss *out,
		  struct kk_cvss_error *err);

/* kk_cvss_parse of a NUL-terminated string. */
int kk_cvss_parse_str(const char *vector, struct kk_cvss *out, struct kk_cvss_error *err);

/*
 * Writes the canonical vector into buf, at most size bytes including the NUL
 * (nothing when size is 0), and returns its length without the NUL, like snprintf:
 * the output was cut when the result is >= size. Canonical: the version prefix,
 * then every metric present in spec order, values that mean "not defined" (X, ND)
 * left out. KK_CVSS_VECTOR_MAX bytes always suffice.
 */
size_t kk_cvss_canonical(const struct kk_cvss *c, char *buf, size_t size);
#define KK_CVSS_VECTOR_MAX 192

/* The value of the metric named name ("AV", "MSI") as written in a vector, or NULL
 * when the version has no such metric or the vector does not give it. */
const char *kk_cvss_metric(const struct kk_cvss *c, const char *name);

/* "2.0", "3.0", "3.1" or "4.0". */
const char *kk_cvss_version_name(enum kk_cvss_version v);

/* The rating of a score in tenths on version v's scale: v2.0 (NVD) Low 0.0-3.9,
 * Medium 4.0-6.9, High 7.0-10.0; v3.x and v4.0 None 0.0, Low 0.1-3.9, Medium
 * 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0. */
enum kk_cvss_severity kk_cvss_rate(enum kk_cvss_version v, int tenths);

/* "None", "Low", "Medium", "High" or "Critical" (static, marked N_()). */
const char *kk_cvss_severity_name(enum kk_cvss_severity s);

/* v4.0: "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE" after which groups the vector
 * defines (T: E is not X; E: any of CR..MSA is not X). NULL for other versions. */
const char *kk_cvss_nomenclature(const struct kk_cvss *c);

/* The English reason for an error code, static and marked N_(). Never NULL. */
const char *kk_cvss_strerror(enum kk_cvss_errcode code);

/*
 * Writes err's message into buf (at most size bytes with the NUL), each message
 * format passed through translate first (gettext, or NULL for English). Returns
 * the length like snprintf.
 */
size_t kk_cvss_format_error(const struct kk_cvss_error *err,
			    const char *(*translate)(const char *), char *buf, size_t size);

/*
 * SPEC 2.3, SPEC 7: the CVSS v3 base score of a NUL-terminated CVSS:3.0 or CVSS:3.1
 * vector in tenths (0..100), for impact-based triage. -1 when the string is not a
 * valid v3 vector (another version counts as invalid).
 */
int kk_cvss_v3_base_tenths(const char *vector);

#endif
