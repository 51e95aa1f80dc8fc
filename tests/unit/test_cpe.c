/*
 * test_cpe.c: unit tests of lib/formats/cpe.c and lib/formats/cpe_match.c (CPE 2.3 naming and
 * name matching, NISTIR 7695 and 7696).
 *
 * Most cases are data files in tests/data/cpe (found through KK_TEST_DATA, by
 * default "tests/data" under the current directory), each line an input and its
 * expected output side by side; the files carry the specifications' own examples,
 * marked SPEC. The NVD dictionary names in ../shared/data/cpe (KK_SHARED_DATA)
 * are checked when present and skipped with a message when not.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/cpe.h"

#define BIG 65536 /* room for any binding of a name of KK_CPE_MAX_LEN bytes */

/* One data file, read a line at a time. */
struct datafile {
	FILE *f;
	char path[PATH_MAX];
	int lineno;
	char line[BIG];
	char *field[8];
	int nfields;
};

static const char *data_dir(void)
{
	const char *d = getenv("KK_TEST_DATA");

	return d && *d ? d : "tests/data";
}

static void df_open(struct datafile *d, const char *name)
{
	snprintf(d->path, sizeof(d->path), "%s/cpe/%s", data_dir(), name);
	d->f = fopen(d->path, "r");
	d->lineno = 0;
	cr_assert_not_null(d->f, "cannot open %s (set KK_TEST_DATA)", d->path);
}

/* The next line that is neither blank nor a comment, split at tabs. 0 at EOF. */
static int df_next(struct datafile *d)
{
	while (fgets(d->line, sizeof(d->line), d->f)) {
		char *p = d->line;

		d->lineno++;
		d->line[strcspn(d->line, "\r\n")] = '\0';
		if (d->line[0] == '\0' || d->line[0] == '#')
			continue;
		d->nfields = 0;
		while (d->nfields < 8) {
			d->field[d->nfields++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		return 1;
	}
	fclose(d->f);
	d->f = NULL;
	return 0;
}

static void parse_ok(const struct datafile *d, const char *s, struct kk_cpe *c)
{
	struct kk_cpe_error err;

	cr_assert_eq(kk_cpe_parse(s, c, &err), KK_OK, "%s:%d: %s: %s", d->path, d->lineno, s,
		     err.msg);
	cr_assert_eq(err.code, KK_CPE_EOK);
}

static char *fs_of(const struct kk_cpe *c, char *buf)
{
	size_t n = kk_cpe_to_fs(c, buf, BIG);

	cr_assert_lt(n, BIG);
	cr_assert_eq(strlen(buf), n);
	return buf;
}

static char *uri_of(const struct kk_cpe *c, char *buf)
{
	size_t n = kk_cpe_to_uri(c, buf, BIG);

	cr_assert_lt(n, BIG);
	cr_assert_eq(strlen(buf), n);
	return buf;
}

static char *wfn_of(const struct kk_cpe *c, char *buf)
{
	size_t n = kk_cpe_to_wfn(c, buf, BIG);

	cr_assert_lt(n, BIG);
	cr_assert_eq(strlen(buf), n);
	return buf;
}

/* The same name: every attribute of the same kind with the same bytes. */
static int same_name(const struct kk_cpe *a, const struct kk_cpe *b)
{
	for (int i = 0; i < KK_CPE_NATTR; i++) {
		if (a->attr[i].kind != b->attr[i].kind || a->attr[i].len != b->attr[i].len ||
		    strcmp(a->attr[i].str, b->attr[i].str) != 0)
			return 0;
	}
	return 1;
}

static char out1[BIG], out2[BIG], out3[BIG];

/* SPEC 7695 6.2.3 unbind_fs: the examples of 6.2.3.3 and more. */
Test(cpe_data, fs_unbind)
{
	struct datafile d;
	int cases = 0;

	df_open(&d, "fs-unbind.txt");
	while (df_next(&d)) {
		struct kk_cpe c, w;

		cr_assert_eq(d.nfields, 2, "%s:%d: two fields expected", d.path, d.lineno);
		parse_ok(&d, d.field[0], &c);
		cr_expect_str_eq(wfn_of(&c, out1), d.field[1], "%s:%d: %s", d.path, d.lineno,
				 d.field[0]);
		/* the expected WFN, read back, is the same name */
		parse_ok(&d, d.field[1], &w);
		cr_expect(same_name(&c, &w), "%s:%d: WFN column reads differently", d.path, d.lineno);
		kk_cpe_release(&w);
		/* and binding to a formatted string again is stable */
		parse_ok(&d, fs_of(&c, out2), &w);
		cr_expect(same_name(&c, &w), "%s:%d: %s does not unbind back", d.path, d.lineno, out2);
		kk_cpe_release(&w);
		kk_cpe_release(&c);
		cases++;
	}
	cr_log_info("fs-unbind.txt: %d cases", cases);
	cr_assert_gt(cases, 0);
}

/* SPEC 7695 6.2.2 bind_to_fs: the examples of 6.2.2.3 and 5.5. */
Test(cpe_data, fs_bind)
{
	struct datafile d;
	int cases = 0;

	df_open(&d, "fs-bind.txt");
	while (df_next(&d)) {
		struct kk_cpe c, back;

		cr_assert_eq(d.nfields, 2, "%s:%d: two fields expected", d.path, d.lineno);
		parse_ok(&d, d.field[0], &c);
		cr_expect_str_eq(fs_of(&c, out1), d.field[1], "%s:%d: %s", d.path, d.lineno,
				 d.field[0]);
		parse_ok(&d, d.field[1], &back);
		cr_expect(same_name(&c, &back), "%s:%d: %s unbinds to %s", d.path, d.lineno,
			  d.field[1], wfn_of(&back, out2));
		kk_cpe_release(&back);
		kk_cpe_release(&c);
		cases++;
	}
	cr_log_info("fs-bind.txt: %d cases", cases);
	cr_assert_gt(cases, 0);
}

/* SPEC 7695 6.1.3 unbind_URI: the examples of 6.1.3.3 and more. */
Test(cpe_data, uri_unbind)
{
	struct datafile d;
	int cases = 0;

	df_open(&d, "uri-unbind.txt");
	while (df_next(&d)) {
		struct kk_cpe c, w;

		cr_assert_eq(d.nfields, 2, "%s:%d: two fields expected", d.path, d.lineno);
		parse_ok(&d, d.field[0], &c);
		cr_expect_str_eq(wfn_of(&c, out1), d.field[1], "%s:%d: %s", d.path, d.lineno,
				 d.field[0]);
		parse_ok(&d, d.field[1], &w);
		cr_expect(same_name(&c, &w), "%s:%d: WFN column reads differently", d.path, d.lineno);
		kk_cpe_release(&w);
		/* binding back gives a URI that unbinds to the same name */
		parse_ok(&d, uri_of(&c, out2), &w);
		cr_expect(same_name(&c, &w), "%s:%d: %s does not unbind back", d.path, d.lineno, out2);
		kk_cpe_release(&w);
		kk_cpe_release(&c);
		cases++;
	}
	cr_log_info("uri-unbind.txt: %d cases", cases);
	cr_assert_gt(cases, 0);
}

/* SPEC 7695 6.1.2 bind_to_URI: the examples of 6.1.2.4 and more. */
Test(cpe_data, uri_bind)
{
	struct datafile d;
	int cases = 0;

	df_open(&d, "uri-bind.txt");
	while (df_next(&d)) {
		struct kk_cpe c, back;

		cr_assert_eq(d.nfields, 2, "%s:%d: two fields expected", d.path, d.lineno);
		parse_ok(&d, d.field[0], &c);
		cr_expect_str_eq(uri_of(&c, out1), d.field[1], "%s:%d: %s", d.path, d.lineno,
				 d.field[0]);
		cr_expect_eq(kk_cpe_uri_lossless(&c), 1);
		parse_ok(&d, d.field[1], &back);
		cr_expect(same_name(&c, &back), "%s:%d: %s unbinds to %s", d.path, d.lineno,
			  d.field[1], wfn_of(&back, out2));
		kk_cpe_release(&back);
		kk_cpe_release(&c);
		cases++;
	}
	cr_log_info("uri-bind.txt: %d cases", cases);
	cr_assert_gt(cases, 0);
}

/* SPEC 7695 7.1 and 7.2: conversions, round-trip safe. */
Test(cpe_data, convert)
{
	struct datafile d;
	int cases = 0;

	df_open(&d, "convert.txt");
	while (df_next(&d)) {
		struct kk_cpe c, back;
		int to_fs = strncmp(d.field[1], "cpe:2.3:", 8) == 0;

		cr_assert_eq(d.nfields, 2, "%s:%d: two fields expected", d.path, d.lineno);
		parse_ok(&d, d.field[0], &c);
		cr_expect_str_eq(to_fs ? fs_of(&c, out1) : uri_of(&c, out1), d.field[1], "%s:%d: %s",
				 d.path, d.lineno, d.field[0]);
		parse_ok(&d, d.field[1], &back);
		cr_expect_str_eq(to_fs ? uri_of(&back, out2) : fs_of(&back, out2), d.field[0],
				 "%s:%d: %s does not convert back", d.path, d.lineno, d.field[1]);
		kk_cpe_release(&back);
		kk_cpe_release(&c);
		cases++;
	}
	cr_log_info("convert.txt: %d cases", cases);
	cr_assert_gt(cases, 0);
}

/* Every rule that rejects a name, with its exact reason and attribute. */
Test(cpe_data, invalid)
{
	struct datafile d;
	int cases = 0, seen[KK_CPE_NERR] = { 0 };

	df_open(&d, "invalid.txt");
	while (df_next(&d)) {
		struct kk_cpe c;
		struct kk_cpe_error err;
		enum kk_result r;
		const char *want_attr;

		cr_assert_eq(d.nfields, 3, "%s:%d: three fields expected", d.path, d.lineno);
		r = kk_cpe_parse(d.field[0], &c, &err);
		cr_expect_eq(r, KK_EINVAL, "%s:%d: %s was accepted", d.path, d.lineno, d.field[0]);
		if (r == KK_OK) {
			kk_cpe_release(&c);
			cases++;
			continue;
		}
		cr_expect_str_eq(kk_cpe_strerror(err.code), d.field[2], "%s:%d: %s: got \"%s\"",
				 d.path, d.lineno, d.field[0], err.msg);
		want_attr = strcmp(d.field[1], "-") == 0 ? "?" : d.field[1];
		cr_expect_str_eq(kk_cpe_attr_name(err.attribute), want_attr, "%s:%d: %s: got \"%s\"",
				 d.path, d.lineno, d.field[0], err.msg);
		cr_expect_leq(err.offset, strlen(d.field[0]));
		cr_expect_not_null(strstr(err.msg, kk_cpe_strerror(err.code)));
		/* a failed parse leaves nothing to free and every attribute ANY */
		cr_expect_null(c.buf);
		for (int a = 0; a < KK_CPE_NATTR; a++)
			cr_expect_eq(c.attr[a].kind, KK_CPE_ANY);
		if (err.code > 0 && err.code < KK_CPE_NERR)
			seen[err.code] = 1;
		cases++;
	}
	cr_log_info("invalid.txt: %d cases", cases);
	for (int code = 1; code < KK_CPE_NERR; code++)
		if (code != KK_CPE_ETOO_LONG && code != KK_CPE_ENOMEM)
			cr_expect(seen[code], "no case in invalid.txt for \"%s\"",
				  kk_cpe_strerror(code));
}

static char relation_code(enum kk_cpe_relation r)
{
	switch (r) {
	case KK_CPE_EQUAL: return '=';
	case KK_CPE_SUBSET: return '<';
	case KK_CPE_SUPERSET: return '>';
	case KK_CPE_DISJOINT: return '!';
	case KK_CPE_UNDEFINED: return 'u';
	}
	return '#';
}

/* SPEC 7696 Tables 6-2, 6-3, 6-4 and Appendix B, and the wild cards of 6.3. */
Test(cpe_data, match)
{
	struct datafile d;
	int cases = 0;

	df_open(&d, "match.txt");
	while (df_next(&d)) {
		struct kk_cpe src, tgt;
		enum kk_cpe_relation attrs[KK_CPE_NATTR];
		enum kk_cpe_relation rel;
		unsigned flags;
		char codes[KK_CPE_NATTR + 1];

		cr_assert(d.nfields == 3 || d.nfields == 4, "%s:%d: three or four fields expected",
			  d.path, d.lineno);
		parse_ok(&d, d.field[0], &src);
		parse_ok(&d, d.field[1], &tgt);
		rel = kk_cpe_compare(&src, &tgt);
		cr_expect_str_eq(kk_cpe_relation_name(rel), d.field[2], "%s:%d: %s vs %s", d.path,
				 d.lineno, d.field[0], d.field[1]);
		flags = kk_cpe_match(&src, &tgt, attrs);
		for (int a = 0; a < KK_CPE_NATTR; a++)
			codes[a] = relation_code(attrs[a]);
		codes[KK_CPE_NATTR] = '\0';
		if (d.nfields == 4)
			cr_expect_str_eq(codes, d.field[3], "%s:%d: attribute relations", d.path,
					 d.lineno);
		/* the flags are those of Table 6-4 over the attribute relations */
		cr_expect_eq(flags, kk_cpe_match(&src, &tgt, NULL));
		cr_expect_eq(!!(flags & KK_CPE_F_DISJOINT), strchr(codes, '!') != NULL);
		cr_expect_eq(!!(flags & KK_CPE_F_EQUAL), strspn(codes, "=") == KK_CPE_NATTR);
		cr_expect_eq(!!(flags & KK_CPE_F_SUBSET), strspn(codes, "=<") == KK_CPE_NATTR);
		cr_expect_eq(!!(flags & KK_CPE_F_SUPERSET), strspn(codes, "=>") == KK_CPE_NATTR);
		kk_cpe_release(&src);
		kk_cpe_release(&tgt);
		cases++;
	}
	cr_log_info("match.txt: %d cases", cases);
	cr_assert_gt(cases, 0);
}

Test(cpe_api, init_and_release)
{
	struct kk_cpe c;

	kk_cpe_init(&c);
	cr_expect_str_eq(fs_of(&c, out1), "cpe:2.3:*:*:*:*:*:*:*:*:*:*:*");
	cr_expect_str_eq(uri_of(&c, out1), "cpe:/");
	cr_expect_str_eq(wfn_of(&c, out1),
			 "wfn:[part=ANY,vendor=ANY,product=ANY,version=ANY,update=ANY,edition=ANY,"
			 "language=ANY,sw_edition=ANY,target_sw=ANY,target_hw=ANY,other=ANY]");
	kk_cpe_release(&c);
	kk_cpe_release(&c);
	kk_cpe_release(NULL);
}

/* The binders cut their output like snprintf and still return the full length. */
Test(cpe_api, binders_truncate_like_snprintf)
{
	const char *name = "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*";
	struct kk_cpe c;
	char small[16];
	size_t n;

	cr_assert_eq(kk_cpe_parse(name, &c, NULL), KK_OK);
	n = kk_cpe_to_fs(&c, NULL, 0);
	cr_expect_eq(n, strlen(name));
	memset(small, 'x', sizeof(small));
	cr_expect_eq(kk_cpe_to_fs(&c, small, sizeof(small)), n);
	cr_expect_eq(strlen(small), sizeof(small) - 1);
	cr_expect_eq(strncmp(small, name, sizeof(small) - 1), 0);

	n = kk_cpe_to_uri(&c, out1, BIG);
	cr_expect_str_eq(out1, "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~");
	cr_expect_eq(kk_cpe_to_uri(&c, small, 1), n);
	cr_expect_str_eq(small, "");
	cr_expect_eq(kk_cpe_to_uri(&c, small, sizeof(small)), n);
	cr_expect_eq(strncmp(small, out1, sizeof(small) - 1), 0);
	cr_expect_eq(kk_cpe_to_wfn(&c, small, sizeof(small)), kk_cpe_to_wfn(&c, out2, BIG));
	cr_expect_eq(strncmp(small, out2, sizeof(small) - 1), 0);
	kk_cpe_release(&c);
}

Test(cpe_api, copy_is_independent)
{
	struct kk_cpe a, b, any;

	cr_assert_eq(kk_cpe_parse("cpe:/a:foo%24:bar:1.0::~~~linux~~", &a, NULL), KK_OK);
	cr_assert_eq(kk_cpe_copy(&b, &a), KK_OK);
	cr_expect_neq(a.buf, b.buf);
	fs_of(&a, out1);
	kk_cpe_release(&a);
	cr_expect_str_eq(fs_of(&b, out2), out1);
	cr_expect_eq(kk_cpe_compare(&b, &b), KK_CPE_EQUAL);
	kk_cpe_release(&b);

	kk_cpe_init(&any);
	cr_assert_eq(kk_cpe_parse("cpe:2.3:-:*:*:-:*:*:*:*:*:*:-", &a, NULL), KK_OK);
	cr_assert_eq(kk_cpe_copy(&b, &a), KK_OK);
	cr_expect_str_eq(fs_of(&b, out1), "cpe:2.3:-:*:*:-:*:*:*:*:*:*:-");
	kk_cpe_release(&a);
	kk_cpe_release(&b);
}

/* kk_cpe_parse_n reads exactly n bytes: no NUL needed, a NUL inside is refused. */
Test(cpe_api, parse_n)
{
	const char text[] = "cpe:/a:foo:bar:1.0 and more";
	const char with_nul[] = "cpe:/a:fo\0o";
	struct kk_cpe c;
	struct kk_cpe_error err;

	cr_assert_eq(kk_cpe_parse_n(text, 18, &c, &err), KK_OK, "%s", err.msg);
	cr_expect_str_eq(fs_of(&c, out1), "cpe:2.3:a:foo:bar:1.0:*:*:*:*:*:*:*");
	kk_cpe_release(&c);

	cr_expect_eq(kk_cpe_parse_n(with_nul, sizeof(with_nul) - 1, &c, &err), KK_EINVAL);
	cr_expect_eq(err.code, KK_CPE_ECHAR);
	cr_expect_eq(err.attribute, KK_CPE_VENDOR);
	cr_expect_eq(err.offset, 9);
}

/* KK_CPE_MAX_LEN bytes are accepted, one more is refused before any work. */
Test(cpe_api, length_cap)
{
	static char name[KK_CPE_MAX_LEN + 2];
	const char *head = "cpe:2.3:a:", *tail = ":*:*:*:*:*:*:*:*:*";
	size_t fill = KK_CPE_MAX_LEN - strlen(head) - strlen(tail);
	struct kk_cpe c;
	struct kk_cpe_error err;

	memcpy(name, head, strlen(head));
	memset(name + strlen(head), 'v', fill);
	memcpy(name + strlen(head) + fill, tail, strlen(tail) + 1);
	cr_assert_eq(strlen(name), KK_CPE_MAX_LEN);
	cr_assert_eq(kk_cpe_parse(name, &c, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(c.attr[KK_CPE_VENDOR].len, fill);
	cr_expect_eq(kk_cpe_compare(&c, &c), KK_CPE_EQUAL);
	kk_cpe_release(&c);

	memmove(name + strlen(head) + 1, name + strlen(head), strlen(name) - strlen(head) + 1);
	cr_assert_eq(strlen(name), KK_CPE_MAX_LEN + 1);
	cr_expect_eq(kk_cpe_parse(name, &c, &err), KK_ETOOBIG);
	cr_expect_eq(err.code, KK_CPE_ETOO_LONG);
	cr_expect_str_eq(kk_cpe_strerror(err.code), "CPE name too long");
}

/* The error names the attribute and the byte of the fault, and is cleared on
 * success. SPEC 7695 6.2.3.3.3: an embedded unquoted asterisk. */
Test(cpe_api, error_position)
{
	const char *name = "cpe:2.3:a:hp:insight_diagnostics:7.4.*.1570:*:*:*:*:*:*";
	struct kk_cpe c;
	struct kk_cpe_error err;

	cr_assert_eq(kk_cpe_parse(name, &c, &err), KK_EINVAL);
	cr_expect_eq(err.code, KK_CPE_ESTAR_EMBEDDED);
	cr_expect_eq(err.attribute, KK_CPE_VERSION);
	cr_expect_eq(err.offset, (size_t)(strchr(name, '*') - name));
	cr_expect_str_eq(err.msg, "version: an unquoted * may appear only at the start or the "
				  "end of a value (column 38)");

	cr_assert_eq(kk_cpe_parse("cpe:/a:foo:bar:12.%02.1234", &c, &err), KK_EINVAL);
	cr_expect_eq(err.offset, 18); /* the %02, not its place in the decoded value */

	cr_assert_eq(kk_cpe_parse("cpe:2.3:a:foo:?*?:*:*:*:*:*:*:*:*", &c, &err), KK_EINVAL);
	cr_expect_eq(err.code, KK_CPE_EWILD_MIX);

	cr_assert_eq(kk_cpe_parse("cpe:/a:foo", &c, &err), KK_OK);
	cr_expect_eq(err.code, KK_CPE_EOK);
	cr_expect_eq(err.attribute, -1);
	cr_expect_str_eq(err.msg, "");
	kk_cpe_release(&c);
}

/* URI unbinding lowercases (SPEC 7695 6.1.3.2), so a name with capitals does not
 * survive a URI round trip; kk_cpe_uri_lossless says so. */
Test(cpe_api, uri_case)
{
	struct kk_cpe c, back;

	cr_assert_eq(kk_cpe_parse("cpe:2.3:a:Microsoft:Word:*:*:*:*:*:*:*:*", &c, NULL), KK_OK);
	cr_expect_eq(kk_cpe_uri_lossless(&c), 0);
	cr_expect_str_eq(uri_of(&c, out1), "cpe:/a:Microsoft:Word");
	cr_assert_eq(kk_cpe_parse(out1, &back, NULL), KK_OK);
	cr_expect_str_eq(fs_of(&back, out2), "cpe:2.3:a:microsoft:word:*:*:*:*:*:*:*:*");
	cr_expect_eq(kk_cpe_compare(&c, &back), KK_CPE_EQUAL); /* matching ignores case */
	kk_cpe_release(&back);
	kk_cpe_release(&c);
}

Test(cpe_api, names)
{
	cr_expect_str_eq(kk_cpe_relation_name(KK_CPE_DISJOINT), "DISJOINT");
	cr_expect_str_eq(kk_cpe_relation_name(KK_CPE_EQUAL), "EQUAL");
	cr_expect_str_eq(kk_cpe_relation_name(KK_CPE_SUBSET), "SUBSET");
	cr_expect_str_eq(kk_cpe_relation_name(KK_CPE_SUPERSET), "SUPERSET");
	cr_expect_str_eq(kk_cpe_relation_name(KK_CPE_UNDEFINED), "UNDEFINED");
	cr_expect_str_eq(kk_cpe_relation_name((enum kk_cpe_relation)99), "?");
	cr_expect_str_eq(kk_cpe_attr_name(KK_CPE_PART), "part");
	cr_expect_str_eq(kk_cpe_attr_name(KK_CPE_TARGET_HW), "target_hw");
	cr_expect_str_eq(kk_cpe_attr_name(-1), "?");
	cr_expect_str_eq(kk_cpe_attr_name(KK_CPE_NATTR), "?");
	cr_expect_str_eq(kk_cpe_strerror((enum kk_cpe_errcode)KK_CPE_NERR), "unknown error");
	/* every reason is present and distinct */
	for (int i = 0; i < KK_CPE_NERR; i++) {
		cr_expect_gt(strlen(kk_cpe_strerror(i)), 0);
		for (int j = 0; j < i; j++)
			cr_expect_str_neq(kk_cpe_strerror(i), kk_cpe_strerror(j));
	}
}

/* SPEC 7696 Table 6-2 at the attribute level, including UNDEFINED. */
Test(cpe_api, compare_value)
{
	struct kk_cpe a, b;

	cr_assert_eq(kk_cpe_parse("cpe:2.3:a:*:-:foo:9.*:foo*:*:*:*:*:*", &a, NULL), KK_OK);
	cr_assert_eq(kk_cpe_parse("cpe:2.3:a:ms:ms:FOO:9.3:bar?:*:*:*:*:*", &b, NULL), KK_OK);
	cr_expect_eq(kk_cpe_compare_value(&a.attr[KK_CPE_VENDOR], &b.attr[KK_CPE_VENDOR]),
		     KK_CPE_SUPERSET);
	cr_expect_eq(kk_cpe_compare_value(&a.attr[KK_CPE_PRODUCT], &b.attr[KK_CPE_PRODUCT]),
		     KK_CPE_DISJOINT);
	cr_expect_eq(kk_cpe_compare_value(&a.attr[KK_CPE_VERSION], &b.attr[KK_CPE_VERSION]),
		     KK_CPE_EQUAL);
	cr_expect_eq(kk_cpe_compare_value(&a.attr[KK_CPE_UPDATE], &b.attr[KK_CPE_UPDATE]),
		     KK_CPE_SUPERSET);
	cr_expect_eq(kk_cpe_compare_value(&a.attr[KK_CPE_EDITION], &b.attr[KK_CPE_EDITION]),
		     KK_CPE_UNDEFINED);
	cr_expect_eq(kk_cpe_compare_value(&b.attr[KK_CPE_VENDOR], &a.attr[KK_CPE_VENDOR]),
		     KK_CPE_SUBSET);
	kk_cpe_release(&a);
	kk_cpe_release(&b);

	/* an UNDEFINED attribute and no DISJOINT one: no name relation holds, and
	 * kk_cpe_compare reports DISJOINT */
	cr_assert_eq(kk_cpe_parse("cpe:2.3:a:foo:*:*:*:*:*:*:*:*:*", &a, NULL), KK_OK);
	cr_assert_eq(kk_cpe_parse("cpe:2.3:a:fo?:*:*:*:*:*:*:*:*:*", &b, NULL), KK_OK);
	cr_expect_eq(kk_cpe_match(&a, &b, NULL), 0u);
	cr_expect_eq(kk_cpe_compare(&a, &b), KK_CPE_DISJOINT);
	cr_expect_eq(kk_cpe_match(&b, &a, NULL), KK_CPE_F_SUPERSET);
	kk_cpe_release(&a);
	kk_cpe_release(&b);
}

/* The shared NVD data: $KK_SHARED_DATA/cpe/NAME, or ../shared/data/cpe/NAME. */
static FILE *open_shared(const char *name, char *path, size_t size)
{
	const char *dir = getenv("KK_SHARED_DATA");

	snprintf(path, size, "%s/cpe/%s", dir && *dir ? dir : "../shared/data", name);
	return fopen(path, "r");
}

/*
 * What bind_to_fs(unbind_fs(fs)) gives, computed independently of lib/formats/cpe.c:
 * add_quoting (7695 6.2.3.2) quotes every unquoted character that is not a
 * letter, a digit, "_", "*" or "?", and process_quoted_chars (6.2.2.2) then
 * drops the backslash before ".", "-" and "_". Fields are left alone.
 */
static void fs_normalised(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; in[i] && o + 3 < size; i++) {
		char c = in[i];

		if (c == '\\' && in[i + 1]) {
			char q = in[++i];

			if (q != '.' && q != '-' && q != '_')
				out[o++] = '\\';
			out[o++] = q;
		} else if (c == ':' || c == '.' || c == '-' || c == '_' || c == '*' || c == '?' ||
			   (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			out[o++] = c;
		} else {
			out[o++] = '\\';
			out[o++] = c;
		}
	}
	out[o] = '\0';
}

/*
 * Every 2.3 name of the 2018 NVD dictionary parses, matches itself as EQUAL,
 * binds back to itself except that unquoted punctuation comes back quoted (the
 * spec's add_quoting), and converts to a URI and back unchanged (7695 7).
 */
Test(cpe_nvd, formatted_strings, .timeout = 120)
{
	char path[PATH_MAX], line[4096], want[8192];
	FILE *f = open_shared("nvd-2018-cpe23-names.txt", path, sizeof(path));
	long n = 0, bad = 0, exact = 0, quoted = 0, wrong = 0, unstable = 0, not_equal = 0,
	     via_uri = 0;

	if (!f)
		cr_skip_test("NVD CPE names not found at %s (set KK_SHARED_DATA)", path);
	while (fgets(line, sizeof(line), f)) {
		struct kk_cpe c, again;
		struct kk_cpe_error err;

		line[strcspn(line, "\r\n")] = '\0';
		n++;
		if (kk_cpe_parse(line, &c, &err) != KK_OK) {
			if (bad++ < 5)
				cr_log_error("%s: %s", line, err.msg);
			continue;
		}
		fs_of(&c, out1);
		fs_normalised(line, want, sizeof(want));
		if (strcmp(out1, line) == 0)
			exact++;
		else if (strcmp(out1, want) == 0)
			quoted++;
		else if (wrong++ < 5)
			cr_log_error("%s binds to %s", line, out1);
		if (kk_cpe_parse(out1, &again, &err) != KK_OK ||
		    strcmp(fs_of(&again, out2), out1) != 0 || !same_name(&c, &again))
			unstable++;
		if (kk_cpe_compare(&c, &c) != KK_CPE_EQUAL || kk_cpe_compare(&c, &again) != KK_CPE_EQUAL)
			not_equal++;
		kk_cpe_release(&again);
		if (kk_cpe_parse(uri_of(&c, out2), &again, &err) != KK_OK ||
		    strcmp(fs_of(&again, out3), out1) != 0)
			via_uri++;
		kk_cpe_release(&again);
		kk_cpe_release(&c);
	}
	fclose(f);
	cr_log_info("%s: %ld names, %ld parse errors, %ld bound back exactly, %ld with "
		    "unquoted punctuation bound back quoted, %ld otherwise, %ld unstable, "
		    "%ld not EQUAL to themselves, %ld changed through a URI",
		    path, n, bad, exact, quoted, wrong, unstable, not_equal, via_uri);
	cr_expect_gt(n, 0);
	cr_expect_eq(bad, 0);
	cr_expect_eq(wrong, 0);
	cr_expect_eq(exact + quoted, n);
	cr_expect_eq(unstable, 0);
	cr_expect_eq(not_equal, 0);
	cr_expect_eq(via_uri, 0);
}

/* Every 2.2 URI of the 2018 NVD dictionary parses, binds back to itself, matches
 * itself as EQUAL and converts to a formatted string and back unchanged. */
Test(cpe_nvd, uris, .timeout = 120)
{
	char path[PATH_MAX], line[4096];
	FILE *f = open_shared("nvd-2018-cpe22-uris.txt", path, sizeof(path));
	long n = 0, bad = 0, exact = 0, not_equal = 0, via_fs = 0;

	if (!f)
		cr_skip_test("NVD CPE URIs not found at %s (set KK_SHARED_DATA)", path);
	while (fgets(line, sizeof(line), f)) {
		struct kk_cpe c, again;
		struct kk_cpe_error err;

		line[strcspn(line, "\r\n")] = '\0';
		n++;
		if (kk_cpe_parse(line, &c, &err) != KK_OK) {
			if (bad++ < 5)
				cr_log_error("%s: %s", line, err.msg);
			continue;
		}
		if (strcmp(uri_of(&c, out1), line) == 0)
			exact++;
		else if (n - exact < 5)
			cr_log_error("%s binds to %s", line, out1);
		if (kk_cpe_compare(&c, &c) != KK_CPE_EQUAL)
			not_equal++;
		if (kk_cpe_parse(fs_of(&c, out2), &again, &err) != KK_OK ||
		    strcmp(uri_of(&again, out3), out1) != 0 || kk_cpe_compare(&c, &again) != KK_CPE_EQUAL)
			via_fs++;
		kk_cpe_release(&again);
		kk_cpe_release(&c);
	}
	fclose(f);
	cr_log_info("%s: %ld URIs, %ld parse errors, %ld bound back exactly, %ld not EQUAL "
		    "to themselves, %ld changed through a formatted string",
		    path, n, bad, exact, not_equal, via_fs);
	cr_expect_gt(n, 0);
	cr_expect_eq(bad, 0);
	cr_expect_eq(exact, n);
	cr_expect_eq(not_equal, 0);
	cr_expect_eq(via_fs, 0);
}
