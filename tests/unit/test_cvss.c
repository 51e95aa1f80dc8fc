/*
 * test_cvss.c: unit tests of lib/formats/cvss.c and the scoring files. Most cases are data:
 * the files in tests/data/cvss (found through $KK_TEST_DATA, default "tests/data")
 * hold vectors with their expected scores, canonical forms and rejection reasons side
 * by side; the Red Hat
 * and FIRST reference files in $KK_SHARED_DATA/cvss (default "../shared/data") are
 * read when present and skipped with a message when not.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/cvss_impl.h"
#include "keikai/cvss.h"

/* ---- data files ---- */

static const char *test_data_dir(void)
{
	const char *d = getenv("KK_TEST_DATA");

	return d && *d ? d : "tests/data";
}

static const char *shared_data_dir(void)
{
	const char *d = getenv("KK_SHARED_DATA");

	return d && *d ? d : "../shared/data";
}

static FILE *open_data(const char *dir, const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", dir, name);
	return fopen(path, "r");
}

/* Splits line at tabs into at most max fields (the line is modified). Drops the
 * newline. Returns the count. */
static int split_tabs(char *line, char **field, int max)
{
	int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		char *tab = strchr(p, '\t');

		field[n++] = p;
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	return n;
}

static int is_comment(const char *line)
{
	return line[0] == '#' || line[0] == '\n' || line[0] == '\0';
}

/* "9.8" -> 98, "-" -> -1 */
static int tenths_of(const char *s)
{
	char *end;
	long whole, frac = 0;

	if (strcmp(s, "-") == 0)
		return -1;
	whole = strtol(s, &end, 10);
	if (*end == '.')
		frac = strtol(end + 1, &end, 10);
	cr_assert_eq(*end, '\0', "bad score '%s' in a data file", s);
	return (int)(whole * 10 + frac);
}

static void assert_parses(const char *vector, struct kk_cvss *c)
{
	struct kk_cvss_error err;
	int rc = kk_cvss_parse_str(vector, c, &err);

	cr_assert_eq(rc, 0, "%s: rejected: %s", vector, err.msg);
	cr_assert_eq(err.code, KK_CVSS_EOK);
}

/* The canonical form of c parses to the same scores and is its own canonical form. */
static void assert_canonical_stable(const char *vector, const struct kk_cvss *c)
{
	char canon[KK_CVSS_VECTOR_MAX], again[KK_CVSS_VECTOR_MAX];
	struct kk_cvss d;
	size_t n = kk_cvss_canonical(c, canon, sizeof(canon));

	cr_assert_lt(n, sizeof(canon), "%s: canonical form too long", vector);
	assert_parses(canon, &d);
	cr_assert_eq(d.version, c->version, "%s", vector);
	cr_assert_eq(d.base, c->base, "%s -> %s: base", vector, canon);
	cr_assert_eq(d.temporal, c->temporal, "%s -> %s: temporal", vector, canon);
	cr_assert_eq(d.environmental, c->environmental, "%s -> %s: environmental", vector, canon);
	cr_assert_eq(d.score, c->score, "%s -> %s: score", vector, canon);
	kk_cvss_canonical(&d, again, sizeof(again));
	cr_assert_str_eq(again, canon, "%s", vector);
}

/* The vector with its components in reverse order (the prefix stays in front). */
static void reversed(const char *vector, char *out, size_t size)
{
	char buf[512], *comp[64];
	const char *body = vector;
	int n = 0;
	size_t len = 0;

	out[0] = '\0';
	if (strncmp(vector, "CVSS:", 5) == 0) {
		const char *slash = strchr(vector, '/');

		len = (size_t)(slash - vector + 1);
		snprintf(out, size, "%.*s", (int)len, vector);
		body = slash + 1;
	}
	snprintf(buf, sizeof(buf), "%s", body);
	for (char *p = buf, *save; n < 64; p = NULL) {
		char *t = strtok_r(p, "/", &save);

		if (!t)
			break;
		comp[n++] = t;
	}
	for (int i = n - 1; i >= 0; i--) {
		size_t used = strlen(out);

		snprintf(out + used, size - used, "%s%s", comp[i], i ? "/" : "");
	}
}

/* Checks one file of v2.0 / v3.x rows; returns the number of rows. */
static int check_scores_file(const char *name, enum kk_cvss_version version)
{
	char path[1024], line[1024];
	FILE *f = open_data(test_data_dir(), name, path, sizeof(path));
	int rows = 0;

	cr_assert_not_null(f, "cannot open %s (set KK_TEST_DATA)", path);
	while (fgets(line, sizeof(line), f)) {
		char *field[6];
		struct kk_cvss c, r;
		char rev[512];

		if (is_comment(line))
			continue;
		cr_assert_geq(split_tabs(line, field, 6), 5, "%s: short line", path);
		assert_parses(field[0], &c);
		cr_assert_eq(c.version, version, "%s", field[0]);
		cr_assert_eq(c.base, tenths_of(field[1]), "%s: base %d.%d, expected %s", field[0],
			     c.base / 10, c.base % 10, field[1]);
		cr_assert_eq(c.temporal, tenths_of(field[2]), "%s: temporal %d, expected %s",
			     field[0], c.temporal, field[2]);
		cr_assert_eq(c.environmental, tenths_of(field[3]), "%s: environmental %d, expected %s",
			     field[0], c.environmental, field[3]);
		cr_assert_str_eq(kk_cvss_severity_name(kk_cvss_rate(version, c.base)), field[4], "%s",
				 field[0]);
		cr_assert_eq(c.score, c.environmental >= 0 ? c.environmental :
				      c.temporal >= 0      ? c.temporal :
							     c.base, "%s", field[0]);
		assert_canonical_stable(field[0], &c);
		/* v2.0 and v3.x accept any order: the same vector backwards scores the same */
		reversed(field[0], rev, sizeof(rev));
		assert_parses(rev, &r);
		cr_assert(r.base == c.base && r.temporal == c.temporal &&
				  r.environmental == c.environmental,
			  "%s: reversed %s scores differently", field[0], rev);
		rows++;
	}
	fclose(f);
	cr_assert_gt(rows, 0, "%s has no rows", path);
	cr_log_info("%s: %d vectors", name, rows);
	return rows;
}

Test(cvss_data, v2)
{
	check_scores_file("cvss/v2.txt", KK_CVSS_V2_0);
}

/* SPEC 2.3, SPEC 7: the v3 base score is what triage ranks by */
Test(cvss_data, v30)
{
	check_scores_file("cvss/v30.txt", KK_CVSS_V3_0);
}

/* SPEC 2.3, SPEC 7 */
Test(cvss_data, v31)
{
	check_scores_file("cvss/v31.txt", KK_CVSS_V3_1);
}

Test(cvss_data, v40)
{
	char path[1024], line[1024];
	FILE *f = open_data(test_data_dir(), "cvss/v40.txt", path, sizeof(path));
	int rows = 0;

	cr_assert_not_null(f, "cannot open %s (set KK_TEST_DATA)", path);
	while (fgets(line, sizeof(line), f)) {
		char *field[5];
		struct kk_cvss c;

		if (is_comment(line))
			continue;
		cr_assert_geq(split_tabs(line, field, 5), 4, "%s: short line", path);
		assert_parses(field[0], &c);
		cr_assert_eq(c.version, KK_CVSS_V4_0);
		cr_assert_eq(c.score, tenths_of(field[1]), "%s: score %d.%d, expected %s", field[0],
			     c.score / 10, c.score % 10, field[1]);
		cr_assert_str_eq(kk_cvss_severity_name(kk_cvss_rate(c.version, c.score)), field[2],
				 "%s", field[0]);
		cr_assert_str_eq(kk_cvss_nomenclature(&c), field[3], "%s", field[0]);
		cr_assert(c.base == -1 && c.temporal == -1 && c.environmental == -1);
		assert_canonical_stable(field[0], &c);
		rows++;
	}
	fclose(f);
	cr_assert_gt(rows, 0);
	cr_log_info("cvss/v40.txt: %d vectors", rows);
}

Test(cvss_data, canonical)
{
	char path[1024], line[1024];
	FILE *f = open_data(test_data_dir(), "cvss/canonical.txt", path, sizeof(path));
	int rows = 0;

	cr_assert_not_null(f, "cannot open %s (set KK_TEST_DATA)", path);
	while (fgets(line, sizeof(line), f)) {
		char *field[2], canon[KK_CVSS_VECTOR_MAX];
		struct kk_cvss c;

		if (is_comment(line))
			continue;
		cr_assert_eq(split_tabs(line, field, 2), 2, "%s: short line", path);
		assert_parses(field[0], &c);
		cr_assert_eq(kk_cvss_canonical(&c, canon, sizeof(canon)), strlen(field[1]));
		cr_assert_str_eq(canon, field[1], "%s", field[0]);
		assert_canonical_stable(field[0], &c);
		rows++;
	}
	fclose(f);
	cr_assert_gt(rows, 0);
	cr_log_info("cvss/canonical.txt: %d vectors", rows);
}

static const struct {
	const char *name;
	enum kk_cvss_errcode code;
} reasons[] = {
	{ "empty", KK_CVSS_EEMPTY },
	{ "prefix", KK_CVSS_EPREFIX },
	{ "empty-component", KK_CVSS_EEMPTY_COMPONENT },
	{ "trailing-slash", KK_CVSS_ETRAILING_SLASH },
	{ "syntax", KK_CVSS_ESYNTAX },
	{ "unknown-metric", KK_CVSS_EUNKNOWN_METRIC },
	{ "duplicate", KK_CVSS_EDUPLICATE },
	{ "order", KK_CVSS_EORDER },
	{ "bad-value", KK_CVSS_EBAD_VALUE },
	{ "missing", KK_CVSS_EMISSING },
};
#define NREASONS (sizeof(reasons) / sizeof(reasons[0]))

Test(cvss_data, invalid)
{
	char path[1024], line[1024];
	FILE *f = open_data(test_data_dir(), "cvss/invalid.txt", path, sizeof(path));
	int rows = 0, seen[NREASONS] = { 0 };

	cr_assert_not_null(f, "cannot open %s (set KK_TEST_DATA)", path);
	while (fgets(line, sizeof(line), f)) {
		char *field[4];
		const char *vector;
		struct kk_cvss_error err;
		struct kk_cvss c;
		int n, rc;
		size_t r;

		if (is_comment(line))
			continue;
		n = split_tabs(line, field, 4);
		cr_assert_geq(n, 3, "%s: short line", path);
		vector = strcmp(field[0], "(empty)") == 0 ? "" : field[0];
		for (r = 0; r < NREASONS; r++)
			if (strcmp(reasons[r].name, field[1]) == 0)
				break;
		cr_assert_lt(r, NREASONS, "%s: unknown reason %s", path, field[1]);
		seen[r]++;
		rc = kk_cvss_parse_str(vector, &c, &err);
		cr_assert_eq(rc, -(int)reasons[r].code, "'%s': expected %s, got %d (%s)", vector,
			     field[1], rc, err.msg);
		cr_assert_eq(err.code, reasons[r].code);
		cr_assert_str_eq(err.metric, strcmp(field[2], "-") == 0 ? "" : field[2], "'%s': %s",
				 vector, err.msg);
		if (n == 4)
			cr_assert_str_eq(err.msg, field[3], "'%s'", vector);
		/* the same answer without an error object */
		cr_assert_eq(kk_cvss_parse_str(vector, &c, NULL), rc);
		rows++;
	}
	fclose(f);
	for (size_t i = 0; i < NREASONS; i++)
		cr_expect_gt(seen[i], 0, "no invalid case for the rule %s", reasons[i].name);
	cr_log_info("cvss/invalid.txt: %d vectors", rows);
}

/* ---- reference files of Red Hat (vectors_simple*) and FIRST (first_macro-*) ---- */

/* "(9.8, 9.8, 9.8)", "(-0.0, None, None)", "(9.2,)" -> tenths, -1 for None */
static int parse_ref_scores(const char *s, int *out, int max)
{
	int n = 0;

	s = strchr(s, '(');
	if (!s)
		return 0;
	s++;
	while (n < max && *s && *s != ')') {
		char *end;
		double d;

		while (*s == ' ')
			s++;
		if (strncmp(s, "None", 4) == 0) {
			out[n++] = -1;
			s += 4;
		} else {
			d = strtod(s, &end);
			if (end == s)
				break;
			/* "-0.0" is Python's Decimal zero of a negative product: 0 */
			out[n++] = d <= 0 ? 0 : (int)(d * 10 + 0.5);
			s = end;
		}
		while (*s == ',' || *s == ' ')
			s++;
	}
	return n;
}

/* Checks a "VECTOR - (base, temporal, environmental)" file; 0 when it is absent. */
static int check_reference_file(const char *name)
{
	char path[1024], line[1024];
	FILE *f = open_data(shared_data_dir(), name, path, sizeof(path));
	int rows = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - (");
		int want[3], n;
		struct kk_cvss c, e;

		if (!sep)
			continue;
		*sep = '\0';
		n = parse_ref_scores(sep + 3, want, 3);
		cr_assert_geq(n, 1, "%s: cannot read '%s'", path, sep + 3);
		assert_parses(line, &c);
		if (c.version == KK_CVSS_V4_0) {
			cr_assert_eq(c.score, want[0], "%s: %s scores %d, reference %d", name, line,
				     c.score, want[0]);
		} else if (c.version == KK_CVSS_V2_0) {
			cr_assert_eq(n, 3);
			cr_assert_eq(c.base, want[0], "%s: %s base %d, reference %d", name, line, c.base,
				     want[0]);
			cr_assert_eq(c.temporal, want[1], "%s", line);
			cr_assert_eq(c.environmental, want[2], "%s", line);
		} else {
			/* The reference computes temporal and environmental scores of a base
			 * vector; E:H and CR:M weigh 1.0, so the same vector with them gives
			 * them here without changing anything. */
			char ext[1100];

			cr_assert_eq(n, 3);
			cr_assert_eq(c.base, want[0], "%s: %s base %d, reference %d", name, line, c.base,
				     want[0]);
			snprintf(ext, sizeof(ext), "%s/E:H/CR:M", line);
			assert_parses(ext, &e);
			cr_assert_eq(e.base, want[0], "%s", ext);
			cr_assert_eq(e.temporal, want[1], "%s: temporal %d, reference %d", ext, e.temporal,
				     want[1]);
			cr_assert_eq(e.environmental, want[2], "%s: environmental %d, reference %d", ext,
				     e.environmental, want[2]);
		}
		rows++;
	}
	fclose(f);
	cr_assert_gt(rows, 0, "%s has no vectors", path);
	cr_log_info("%s: %d vectors", path, rows);
	return rows;
}

#define REFERENCE_TEST(tname, file)                                                       \
	Test(cvss_reference, tname)                                                       \
	{                                                                                 \
		if (!check_reference_file("cvss/" file))                                  \
			cr_skip("%s/cvss/%s is absent (set KK_SHARED_DATA): skipped",     \
				shared_data_dir(), file);                                 \
	}

REFERENCE_TEST(red_hat_v2, "vectors_simple2")
REFERENCE_TEST(red_hat_v30, "vectors_simple3") /* SPEC 2.3, SPEC 7 */
REFERENCE_TEST(red_hat_v31, "vectors_simple31") /* SPEC 2.3, SPEC 7 */
REFERENCE_TEST(red_hat_v4, "vectors_simple4")

/*
 * FIRST's representatives of the 270 macrovectors and their scores: each is a
 * highest severity vector of its macrovector, so it scores exactly the table entry;
 * together they check every entry of lib/formats/cvss4_table.c.
 */
Test(cvss_reference, first_macrovectors)
{
	char vpath[1024], spath[1024], vline[512], sline[1024];
	FILE *fv = open_data(shared_data_dir(), "cvss/first_macro-vectors", vpath, sizeof(vpath));
	FILE *fs = open_data(shared_data_dir(), "cvss/first_macro-scores", spath, sizeof(spath));
	int rows = 0;

	if (!fv || !fs) {
		if (fv)
			fclose(fv);
		if (fs)
			fclose(fs);
		cr_skip("%s/cvss/first_macro-* are absent (set KK_SHARED_DATA): skipped",
			shared_data_dir());
	}
	while (fgets(vline, sizeof(vline), fv)) {
		char vector[512], severity[32] = "";
		const char *p;
		struct kk_cvss c;
		double score;

		cr_assert_not_null(fgets(sline, sizeof(sline), fs), "%s is shorter", spath);
		vline[strcspn(vline, "\r\n")] = '\0';
		/* {'vector': 'CVSS:4.0/...', 'score': 9.8, 'severity': 'Critical'} */
		cr_assert_eq(sscanf(sline, "{'vector': '%511[^']', 'score': %lf, 'severity': '%31[^']'",
				    vector, &score, severity),
			     3, "%s: cannot read '%s'", spath, sline);
		cr_assert_str_eq(vector, vline, "the two files disagree");
		assert_parses(vline, &c);
		cr_assert_eq(c.score, (int)(score * 10 + 0.5), "%s scores %d, FIRST %g", vline,
			     c.score, score);
		cr_assert_str_eq(kk_cvss_severity_name(kk_cvss_rate(c.version, c.score)), severity,
				 "%s", vline);
		p = kk_cvss_nomenclature(&c);
		cr_assert_not_null(p);
		rows++;
	}
	cr_assert_eq(rows, 270, "%s: %d macrovectors, expected 270", vpath, rows);
	fclose(fv);
	fclose(fs);
	cr_log_info("first_macro-vectors: %d macrovectors", rows);
}

/* ---- the API ---- */

/* SPEC 2.3, SPEC 7: impact-based triage reads the CVSS v3 base score. */
Test(cvss_api, v3_base_tenths)
{
	cr_assert_eq(kk_cvss_v3_base_tenths("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 98);
	cr_assert_eq(kk_cvss_v3_base_tenths("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 100);
	cr_assert_eq(kk_cvss_v3_base_tenths("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O"),
		     98, "the base score, not the temporal one");
	cr_assert_eq(kk_cvss_v3_base_tenths("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N"), 0);
	cr_assert_eq(kk_cvss_v3_base_tenths("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"), -1);
	cr_assert_eq(kk_cvss_v3_base_tenths("AV:N/AC:L/Au:N/C:P/I:P/A:P"), -1, "v2 is not v3");
	cr_assert_eq(kk_cvss_v3_base_tenths(
			     "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
		     -1, "v4 is not v3");
	cr_assert_eq(kk_cvss_v3_base_tenths(""), -1);
	cr_assert_eq(kk_cvss_v3_base_tenths(NULL), -1);
}

Test(cvss_api, severity)
{
	static const struct {
		enum kk_cvss_version v;
		int tenths;
		const char *name;
	} cases[] = {
		{ KK_CVSS_V3_1, 0, "None" },    { KK_CVSS_V3_1, 1, "Low" },
		{ KK_CVSS_V3_1, 39, "Low" },    { KK_CVSS_V3_1, 40, "Medium" },
		{ KK_CVSS_V3_1, 69, "Medium" }, { KK_CVSS_V3_1, 70, "High" },
		{ KK_CVSS_V3_1, 89, "High" },   { KK_CVSS_V3_1, 90, "Critical" },
		{ KK_CVSS_V3_0, 100, "Critical" }, { KK_CVSS_V4_0, 0, "None" },
		{ KK_CVSS_V4_0, 90, "Critical" }, { KK_CVSS_V2_0, 0, "Low" },
		{ KK_CVSS_V2_0, 39, "Low" },    { KK_CVSS_V2_0, 40, "Medium" },
		{ KK_CVSS_V2_0, 69, "Medium" }, { KK_CVSS_V2_0, 70, "High" },
		{ KK_CVSS_V2_0, 100, "High" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_str_eq(kk_cvss_severity_name(kk_cvss_rate(cases[i].v, cases[i].tenths)),
				 cases[i].name, "v%d %d", cases[i].v, cases[i].tenths);
}

Test(cvss_api, names_and_metrics)
{
	struct kk_cvss c;

	assert_parses("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/MSI:S/U:Amber",
		      &c);
	cr_assert_str_eq(kk_cvss_version_name(c.version), "4.0");
	cr_assert_str_eq(kk_cvss_metric(&c, "AV"), "N");
	cr_assert_str_eq(kk_cvss_metric(&c, "MSI"), "S");
	cr_assert_str_eq(kk_cvss_metric(&c, "U"), "Amber");
	cr_assert_str_eq(kk_cvss_metric(&c, "E"), "X", "given, even though not defined");
	cr_assert_null(kk_cvss_metric(&c, "CR"), "absent");
	cr_assert_null(kk_cvss_metric(&c, "Au"), "not a v4.0 metric");
	cr_assert_null(kk_cvss_metric(&c, ""));
	cr_assert_null(kk_cvss_metric(&c, "MAVX"));
	cr_assert_str_eq(kk_cvss_nomenclature(&c), "CVSS-BE");
	cr_assert_eq(c.flags, KK_CVSS_HAS_ENVIRONMENTAL | KK_CVSS_HAS_SUPPLEMENTAL);

	assert_parses("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC", &c);
	cr_assert_str_eq(kk_cvss_version_name(c.version), "2.0");
	cr_assert_str_eq(kk_cvss_metric(&c, "E"), "POC");
	cr_assert_null(kk_cvss_nomenclature(&c));
	cr_assert_eq(c.flags, KK_CVSS_HAS_TEMPORAL);
	assert_parses("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &c);
	cr_assert_str_eq(kk_cvss_version_name(c.version), "3.0");
	cr_assert_eq(c.flags, 0u);
}

Test(cvss_api, parse_length_and_bytes)
{
	static const char v[] = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U";
	struct kk_cvss_error err;
	struct kk_cvss c;

	/* only len bytes count: the vector without "/E:U" */
	cr_assert_eq(kk_cvss_parse(v, strlen(v) - 4, &c, &err), 0, "%s", err.msg);
	cr_assert_eq(c.temporal, -1);
	/* a NUL byte inside is an invalid character, not the end */
	cr_assert_eq(kk_cvss_parse("AV:N\0/AC:L/Au:N/C:P/I:P/A:P", 27, &c, &err),
		     -KK_CVSS_EBAD_VALUE);
	cr_assert_str_eq(err.value, "N?");
	cr_assert_str_eq(err.msg, "bad value 'N?' for metric AV");
	/* long junk is cut in the message */
	cr_assert_eq(kk_cvss_parse_str("CVSS:3.1/AV:NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN",
				       &c, &err),
		     -KK_CVSS_EBAD_VALUE);
	cr_assert_eq(strlen(err.value), sizeof(err.value) - 1);
	cr_assert_str_eq(err.value + sizeof(err.value) - 4, "...");
	cr_assert_eq(err.offset, 9u);
}

static const char *translate_one(const char *s)
{
	/* a stand-in translation: a fixed catalog of one message */
	if (strcmp(s, "bad value '%s' for metric %s") == 0)
		return "metric %2$s has the bad value '%1$s'";
	return s;
}

Test(cvss_api, translated_messages)
{
	struct kk_cvss_error err;
	struct kk_cvss c;
	char buf[160];

	cr_assert_eq(kk_cvss_parse_str("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &c, &err),
		     -KK_CVSS_EBAD_VALUE);
	kk_cvss_format_error(&err, translate_one, buf, sizeof(buf));
	cr_assert_str_eq(buf, "metric AV has the bad value 'Q'");
	kk_cvss_format_error(&err, NULL, buf, sizeof(buf));
	cr_assert_str_eq(buf, err.msg);
	for (int code = KK_CVSS_EOK; code <= KK_CVSS_EMISSING; code++)
		cr_assert_neq(kk_cvss_strerror((enum kk_cvss_errcode)code)[0], '\0');
	cr_assert_str_eq(kk_cvss_strerror(KK_CVSS_EORDER), "metric out of order");
}

Test(cvss_api, canonical_buffer)
{
	static const char longest[] =
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/CR:H/IR:M/"
		"AR:L/MAV:A/MAC:H/MAT:P/MPR:H/MUI:A/MVC:L/MVI:L/MVA:L/MSC:L/MSI:S/MSA:S/S:P/AU:Y/"
		"R:I/V:C/RE:H/U:Amber";
	struct kk_cvss c;
	char small[10], exact[sizeof(longest)];

	assert_parses(longest, &c);
	cr_assert_eq(kk_cvss_canonical(&c, NULL, 0), strlen(longest));
	cr_assert_lt(strlen(longest), (size_t)KK_CVSS_VECTOR_MAX);
	cr_assert_eq(kk_cvss_canonical(&c, small, sizeof(small)), strlen(longest));
	cr_assert_str_eq(small, "CVSS:4.0/");
	cr_assert_eq(kk_cvss_canonical(&c, exact, sizeof(exact)), strlen(longest));
	cr_assert_str_eq(exact, longest);
}

/*
 * Every CVSS v4.0 base vector (104,976) and every v3.x vector over the values that
 * enter the environmental score scores within 0.0-10.0 and the same from its
 * canonical form; and a v3.x vector whose modified metrics repeat the base ones
 * keeps its base score as the environmental score in v3.0.
 */
Test(cvss_api, exhaustive_v4_base)
{
	static const char *const av = "NALP", *const ac = "LH", *const at = "NP",
				 *const pr = "NLH", *const ui = "NPA", *const cia = "HLN";
	char v[128];
	struct kk_cvss c;
	int n = 0;

	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 2; b++)
			for (int t = 0; t < 2; t++)
				for (int p = 0; p < 3; p++)
					for (int u = 0; u < 3; u++)
						for (int i = 0; i < 729; i++) {
							int x = i;
							char im[6];

							for (int k = 0; k < 6; k++, x /= 3)
								im[k] = cia[x % 3];
							snprintf(v, sizeof(v),
								 "CVSS:4.0/AV:%c/AC:%c/AT:%c/PR:%c/UI:%c/"
								 "VC:%c/VI:%c/VA:%c/SC:%c/SI:%c/SA:%c",
								 av[a], ac[b], at[t], pr[p], ui[u], im[0],
								 im[1], im[2], im[3], im[4], im[5]);
							assert_parses(v, &c);
							cr_assert(c.score >= 0 && c.score <= 100, "%s", v);
							n++;
						}
	cr_assert_eq(n, 104976);
}

Test(cvss_api, v30_environmental_equals_base)
{
	static const char *const av = "NALP", *const ac = "LH", *const pr = "NLH",
				 *const ui = "NR", *const s = "UC", *const cia = "HLN";
	char v[160];
	struct kk_cvss c;

	/* v3.0 uses the same equations for the modified impact; CR:M weighs 1.0 */
	for (int i = 0; i < 2592; i++) {
		int x = i;
		char m[8];

		m[0] = av[x % 4], x /= 4;
		m[1] = ac[x % 2], x /= 2;
		m[2] = pr[x % 3], x /= 3;
		m[3] = ui[x % 2], x /= 2;
		m[4] = s[x % 2], x /= 2;
		m[5] = cia[x % 3], x /= 3;
		m[6] = cia[x % 3], x /= 3;
		m[7] = cia[x % 3];
		snprintf(v, sizeof(v),
			 "CVSS:3.0/AV:%c/AC:%c/PR:%c/UI:%c/S:%c/C:%c/I:%c/A:%c/CR:M/MAV:%c/MS:%c", m[0],
			 m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[0], m[4]);
		assert_parses(v, &c);
		cr_assert_eq(c.environmental, c.base, "%s", v);
	}
}

/*
 * Every value of every metric of every version, alone in an otherwise minimal
 * vector: it is read as that value (the parser finds components through a hash
 * built from the metric tables, so this checks the hash holds every one of them),
 * sets the right group flag and survives the canonical form.
 */
Test(cvss_api, every_metric_value)
{
	const struct cvss_spec *specs[] = { &cvss2_spec, &cvss30_spec, &cvss31_spec, &cvss4_spec };
	int checked = 0;

	for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
		const struct cvss_spec *spec = specs[k];

		for (int i = 0; i < spec->nmetrics; i++) {
			const struct cvss_metric *m = &spec->metrics[i];

			for (int v = 0; v < m->nvalues; v++) {
				char vector[256];
				size_t n = (size_t)snprintf(vector, sizeof(vector), "%.*s",
							    spec->prefix_len, spec->prefix);
				struct kk_cvss c;

				for (int b = 0; b < spec->nmandatory; b++)
					n += (size_t)snprintf(vector + n, sizeof(vector) - n, "%s%s:%s",
							      b ? "/" : "", spec->metrics[b].name,
							      spec->metrics[b].values[b == i ? v : 0]);
				if (!m->mandatory)
					snprintf(vector + n, sizeof(vector) - n, "/%s:%s", m->name,
						 m->values[v]);
				assert_parses(vector, &c);
				cr_assert_eq(c.version, spec->version);
				cr_assert_eq(c.value[i], v + 1, "%s", vector);
				cr_assert_str_eq(kk_cvss_metric(&c, m->name), m->values[v], "%s", vector);
				if (!m->mandatory && v + 1 != m->undefined)
					cr_assert_neq(c.flags, 0u, "%s", vector);
				if (!m->mandatory && v + 1 == m->undefined)
					cr_assert_eq(c.flags, 0u, "%s", vector);
				assert_canonical_stable(vector, &c);
				checked++;
			}
		}
	}
	cr_log_info("every_metric_value: %d vectors", checked);
}
