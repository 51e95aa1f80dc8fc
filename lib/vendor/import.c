/*
 * import.c: loading the MyJVN vendor/product dictionary into the vendor registry
 * (vendor.h; issue 8, capability 3; SPEC 2.5).
 *
 * The file is read through zlib's gzread, which reads gzip and plain files
 * alike, into a buffer of its own that is cut into lines (a NUL byte or an
 * over-long line cannot shift the line numbers). Each line is parsed with
 * jansson, checked, its CPE names turned into CPE 2.3 formatted strings by the
 * CPE module, and written through the repository store/vendors.c in
 * transactions of KK_VENDOR_IMPORT_BATCH lines. A malformed line is refused and
 * the import goes on; a failure of the file or the database stops it, keeping
 * the batches already committed.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "keikai/alloc.h"
#include "keikai/clock.h"
#include "keikai/cpe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "store/vendors.h"

#define READ_CHUNK (192 * 1024)
#define BUF_SIZE (KK_VENDOR_IMPORT_LINE_MAX + READ_CHUNK)
#define CPE23_MAX 2048 /* a bound CPE 2.3 name; an input of KK_VENDOR_NAME_MAX bytes binds shorter */
#define ID_MAX 9007199254740991LL /* 2^53 - 1: exact in any JSON reader */

/*
 * Lines.
 */

struct line_reader {
	gzFile f;
	char *buf;
	size_t start, end; /* unread bytes are buf[start, end) */
	int eof;
};

/* The next line into *line, *len (without its newline): 1, or 2 when the line
 * was over KK_VENDOR_IMPORT_LINE_MAX (it is skipped, *len 0); 0 at the end;
 * -1 when the file cannot be read (gzerror says why). */
static int next_line(struct line_reader *r, const char **line, size_t *len)
{
	int too_long = 0;

	for (;;) {
		char *nl = r->start < r->end ? memchr(r->buf + r->start, '\n', r->end - r->start) : NULL;
		int n;

		if (nl) {
			*line = r->buf + r->start;
			too_long |= (size_t)(nl - *line) > KK_VENDOR_IMPORT_LINE_MAX;
			*len = too_long ? 0 : (size_t)(nl - *line);
			r->start = (size_t)(nl - r->buf) + 1;
			return too_long ? 2 : 1;
		}
		if (r->eof) {
			if (r->start == r->end && !too_long)
				return 0;
			*line = r->buf + r->start;
			too_long |= r->end - r->start > KK_VENDOR_IMPORT_LINE_MAX;
			*len = too_long ? 0 : r->end - r->start;
			r->start = r->end;
			return too_long ? 2 : 1;
		}
		if (too_long || r->end - r->start > KK_VENDOR_IMPORT_LINE_MAX) {
			too_long = 1; /* drop what is held and read on to the newline */
			r->start = r->end = 0;
		} else if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->start = 0;
		}
		n = gzread(r->f, r->buf + r->end, (unsigned)(BUF_SIZE - r->end));
		if (n < 0)
			return -1;
		if (n == 0) {
			int zerr;

			/* the end of the file: Z_BUF_ERROR when it ends inside a gzip stream */
			gzerror(r->f, &zerr);
			if (zerr != Z_OK)
				return -1;
			r->eof = 1;
		}
		r->end += (size_t)n;
	}
}

/*
 * Names.
 */

/* The code point at *p (advancing it), or -1 for a byte that starts no UTF-8
 * sequence (skipped alone). */
static long next_code_point(const unsigned char **p)
{
	const unsigned char *s = *p;
	int n = s[0] < 0x80		? 0
		: (s[0] & 0xe0) == 0xc0 ? 1
		: (s[0] & 0xf0) == 0xe0 ? 2
		: (s[0] & 0xf8) == 0xf0 ? 3
					: -1;
	long cp;

	*p = s + 1;
	if (n < 0)
		return -1;
	cp = n == 0 ? s[0] : s[0] & (0x3f >> n);
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*p = s + n + 1;
	return cp;
}

int kk_vendor_name_is_japanese(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (p && *p) {
		long cp = next_code_point(&p);

		if ((cp >= 0x3000 && cp <= 0x30ff) ||   /* CJK symbols and punctuation, hiragana, katakana */
		    (cp >= 0x31f0 && cp <= 0x31ff) ||   /* katakana phonetic extensions */
		    (cp >= 0x3400 && cp <= 0x9fff) ||   /* CJK ideographs (extension A and unified) */
		    (cp >= 0xf900 && cp <= 0xfaff) ||   /* CJK compatibility ideographs */
		    (cp >= 0xff00 && cp <= 0xffef) ||   /* half-width and full-width forms */
		    (cp >= 0x20000 && cp <= 0x3ffff))   /* CJK ideographs beyond the BMP */
			return 1;
	}
	return 0;
}

/*
 * One line.
 */

/* A checked entry of the dictionary: a vendor or a product. */
struct entry {
	int64_t id;
	const char *name; /* borrowed from the parsed line */
	char cpe23[CPE23_MAX];
	int has_cpe;
};

/* Reads id field key of o into *id; else writes the reason into msg. */
static int read_id(json_t *o, const char *key, int64_t *id, char *msg, size_t size)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	char *end;
	long long n;

	if (!v) {
		snprintf(msg, size, _("\"%s\" is missing."), key);
		return -1;
	}
	if (json_is_integer(v)) {
		n = json_integer_value(v);
	} else if (json_is_string(v)) {
		s = json_string_value(v);
		errno = 0;
		n = s[0] >= '0' && s[0] <= '9' ? strtoll(s, &end, 10) : -1;
		if (n >= 0 && (errno || *end))
			n = -1;
	} else {
		n = -1;
	}
	if (n < 1 || n > ID_MAX) {
		snprintf(msg, size, _("\"%s\" must be a MyJVN id, a whole number from 1."), key);
		return -1;
	}
	*id = n;
	return 0;
}

/* Reads the name field key of o; else writes the reason into msg. */
static int read_name(json_t *o, const char *key, const char **name, char *msg, size_t size)
{
	json_t *v = json_object_get(o, key);

	if (!v) {
		snprintf(msg, size, _("\"%s\" is missing."), key);
		return -1;
	}
	if (!json_is_string(v)) {
		snprintf(msg, size, _("\"%s\" must be a string."), key);
		return -1;
	}
	*name = json_string_value(v);
	if (strspn(*name, " \t\r\n") == strlen(*name)) {
		snprintf(msg, size, _("\"%s\" is empty."), key);
		return -1;
	}
	if (strlen(*name) > KK_VENDOR_NAME_MAX) {
		snprintf(msg, size, _("\"%s\" is over %d bytes."), key, KK_VENDOR_NAME_MAX);
		return -1;
	}
	/* jansson checks UTF-8, but its lexer drops a byte when an allocation
	 * fails (lex_save ignores strbuffer_append_byte's error): never store that */
	if (!kk_utf8_valid(*name, strlen(*name))) {
		snprintf(msg, size, _("\"%s\" is not valid UTF-8."), key);
		return -1;
	}
	return 0;
}

/*
 * MyJVN writes a few URIs with punctuation a CPE 2.2 URI must percent-encode
 * ("cpe:/o:nec:aterm_w1200ex(-ms)", "cpe:/o:centurysys:futurenet_nxr-350/c") or
 * with a space next to a colon ("cpe:/o:emerson: roc800_firmware"). The URI s
 * (of n bytes, "cpe:/" first) with such punctuation percent-encoded and such
 * spaces dropped, into buf; 0, or -1 when it does not fit.
 */
static int repair_uri(const char *s, size_t n, char *buf, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int keep = i < 5 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   strchr(":._-~%", c) || c >= 0x80;

		if (c == ' ' && ((i > 0 && s[i - 1] == ':') || i + 1 == n || s[i + 1] == ':' || s[i + 1] == ' '))
			continue;
		if (keep || c <= ' ' || c == 0x7f) { /* a space or control left: the parser refuses it */
			if (o + 1 >= size)
				return -1;
			buf[o++] = (char)c;
		} else {
			if (o + 3 >= size)
				return -1;
			snprintf(buf + o, 4, "%%%02x", c);
			o += 3;
		}
	}
	buf[o] = '\0';
	return 0;
}

/* Reads the CPE field key of o (absent, null or "" for none) into e as a CPE 2.3
 * formatted string, *repaired set when a URI had to be repaired (repair_uri);
 * else writes the reason into msg. KK_ENOMEM is the one failure that is not the
 * line's. */
static enum kk_result read_cpe(json_t *o, const char *key, struct entry *e, int *repaired, char *msg, size_t size)
{
	json_t *v = json_object_get(o, key);
	struct kk_cpe_error cerr;
	struct kk_cpe cpe;
	enum kk_result res;
	char fixed[CPE23_MAX];
	size_t n;

	e->has_cpe = 0;
	if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
		return KK_OK;
	if (!json_is_string(v)) {
		snprintf(msg, size, _("\"%s\" must be a string."), key);
		return KK_EINVAL;
	}
	if (json_string_length(v) > KK_VENDOR_NAME_MAX) {
		snprintf(msg, size, _("\"%s\" is over %d bytes."), key, KK_VENDOR_NAME_MAX);
		return KK_EINVAL;
	}
	res = kk_cpe_parse(json_string_value(v), &cpe, &cerr);
	if (res == KK_EINVAL && strncasecmp(json_string_value(v), "cpe:/", 5) == 0 &&
	    repair_uri(json_string_value(v), json_string_length(v), fixed, sizeof(fixed)) == 0) {
		struct kk_cpe_error again;

		res = kk_cpe_parse(fixed, &cpe, &again);
		if (res == KK_OK)
			*repaired = 1;
	}
	if (res == KK_ENOMEM)
		return res;
	if (res) {
		/* SPEC 2.5: a CPE 2.2 URI is accepted and converted with the CPE module */
		snprintf(msg, size, _("\"%s\" is not a CPE name: %s: %s (column %zu)."), key,
			 kk_cpe_attr_name(cerr.attribute), _(kk_cpe_strerror(cerr.code)), cerr.offset + 1);
		return KK_EINVAL;
	}
	n = kk_cpe_to_fs(&cpe, e->cpe23, sizeof(e->cpe23));
	kk_cpe_release(&cpe);
	if (n >= sizeof(e->cpe23)) {
		snprintf(msg, size, _("\"%s\" is over %d bytes."), key, KK_VENDOR_NAME_MAX);
		return KK_EINVAL;
	}
	e->has_cpe = 1;
	return KK_OK;
}

/* The entry's row: its name in the column of its script. */
static void to_row(const struct entry *e, struct kk_myjvn_entry *row)
{
	int ja = kk_vendor_name_is_japanese(e->name);

	row->myjvn_id = e->id;
	row->name_ja = ja ? e->name : NULL;
	row->name_en = ja ? NULL : e->name;
	row->cpe23 = e->has_cpe ? e->cpe23 : NULL;
}

struct import {
	struct kk_store *store;
	const char *path;
	struct kk_vendor_import_summary *sum;
	struct kk_error *err;
	struct kk_vendors_writer w; /* of the open batch */
	struct kk_tx tx;
	int in_tx;
	size_t pending;        /* lines stored in the open batch */
	size_t pending_repaired; /* those of them with a CPE URI repaired */
	struct entry vendor, product;
	/* the vendor the previous line stored, not stored again for its next product */
	int64_t last_vid, last_vendor_row;
	char *last_vendor; /* its name and CPE name, "name\ncpe" */
};

static void refuse(struct import *im, size_t line, const char *msg)
{
	struct kk_vendor_import_summary *sum = im->sum;

	if (sum->listed < KK_VENDOR_IMPORT_REFUSED_MAX) {
		sum->refusals[sum->listed].line = line;
		snprintf(sum->refusals[sum->listed].msg, sizeof(sum->refusals[0].msg), "%s", msg);
		sum->listed++;
	}
	sum->refused++;
}

/* Checks the parsed line o into im->vendor and im->product: KK_OK (*repaired
 * set when a CPE URI was repaired), KK_EINVAL with the reason in msg, or
 * KK_ENOMEM. */
static enum kk_result check_line(struct import *im, json_t *o, int *repaired, char *msg, size_t size)
{
	enum kk_result res;

	if (!json_is_object(o)) {
		snprintf(msg, size, "%s", _("not a JSON object."));
		return KK_EINVAL;
	}
	if (read_id(o, "vid", &im->vendor.id, msg, size) || read_name(o, "vname", &im->vendor.name, msg, size) ||
	    read_id(o, "pid", &im->product.id, msg, size) || read_name(o, "pname", &im->product.name, msg, size))
		return KK_EINVAL;
	*repaired = 0;
	res = read_cpe(o, "vcpe", &im->vendor, repaired, msg, size);
	if (!res)
		res = read_cpe(o, "pcpe", &im->product, repaired, msg, size);
	return res;
}

/* Stores the checked line: its vendor unless the previous line stored the same,
 * then its product. */
static enum kk_result store_line(struct import *im)
{
	struct kk_myjvn_entry row;
	size_t nlen = strlen(im->vendor.name), clen = im->vendor.has_cpe ? strlen(im->vendor.cpe23) : 0;
	enum kk_result res;
	int same = im->last_vendor && im->last_vid == im->vendor.id &&
		   strncmp(im->last_vendor, im->vendor.name, nlen) == 0 && im->last_vendor[nlen] == '\n' &&
		   strcmp(im->last_vendor + nlen + 1, im->vendor.has_cpe ? im->vendor.cpe23 : "") == 0;

	if (!same) {
		free(im->last_vendor);
		im->last_vendor = NULL;
		to_row(&im->vendor, &row);
		res = kk_vendors_upsert_myjvn(&im->w, &row, &im->last_vendor_row, im->err);
		if (res)
			return res;
		im->last_vendor = kk_malloc(nlen + clen + 2);
		if (!im->last_vendor)
			return kk_error_nomem(im->err);
		memcpy(im->last_vendor, im->vendor.name, nlen);
		im->last_vendor[nlen] = '\n';
		memcpy(im->last_vendor + nlen + 1, im->vendor.has_cpe ? im->vendor.cpe23 : "", clen + 1);
		im->last_vid = im->vendor.id;
	}
	to_row(&im->product, &row);
	return kk_products_upsert_myjvn(&im->w, im->last_vendor_row, &row, im->err);
}

/* Reads, checks and stores one line (number lineno); a malformed one is refused. */
static enum kk_result import_line(struct import *im, size_t lineno, const char *line, size_t len)
{
	char msg[sizeof(im->sum->refusals[0].msg)];
	json_error_t jerr;
	json_t *o;
	enum kk_result res;
	int repaired = 0;
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
		i++;
	if (i == len) /* blank */
		return KK_OK;
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	/* jansson's lexer reports a failed allocation as a syntax error ("invalid
	 * token"): a line is malformed only when a second parse fails too */
	if (!o)
		o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o) {
		/* jansson leaves the text empty when it could not even start (no memory) */
		if (json_error_code(&jerr) == json_error_out_of_memory || jerr.text[0] == '\0')
			return kk_error_nomem(im->err);
		snprintf(msg, sizeof(msg), _("malformed JSON at column %d: %s"), jerr.column, jerr.text);
		refuse(im, lineno, msg);
		return KK_OK;
	}
	res = check_line(im, o, &repaired, msg, sizeof(msg));
	if (res == KK_EINVAL) {
		/* jansson's lexer drops a byte when an allocation fails: a line is
		 * refused only when a second parse gives the same verdict */
		json_t *again = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);

		if (again) {
			json_decref(o);
			o = again;
			res = check_line(im, o, &repaired, msg, sizeof(msg));
		}
	}
	if (res == KK_EINVAL) {
		refuse(im, lineno, msg);
		res = KK_OK;
	} else if (res == KK_ENOMEM) {
		res = kk_error_nomem(im->err);
	} else {
		res = store_line(im);
		if (!res) {
			im->pending++;
			im->pending_repaired += repaired;
		}
	}
	json_decref(o);
	return res;
}

static enum kk_result batch_begin(struct import *im)
{
	enum kk_result res = kk_tx_begin(im->store, 1, &im->tx, im->err);

	if (res)
		return res;
	im->in_tx = 1;
	im->pending = im->pending_repaired = 0;
	res = kk_vendors_writer_begin(&im->w, &im->tx, kk_now(), im->err);
	if (res) {
		kk_tx_end(&im->tx, res, NULL);
		im->in_tx = 0;
	}
	return res;
}

/* Commits the open batch (or, when res is an error, rolls it back). */
static enum kk_result batch_end(struct import *im, enum kk_result res)
{
	if (!im->in_tx)
		return res;
	if (!res)
		res = kk_vendors_writer_flush(&im->w, im->err);
	if (!res)
		res = kk_vendors_registry_touch(&im->tx, im->err);
	kk_vendors_writer_end(&im->w);
	res = kk_tx_end(&im->tx, res, im->err);
	im->in_tx = 0;
	if (!res) {
		im->sum->loaded += im->pending;
		im->sum->repaired += im->pending_repaired;
	}
	im->pending = im->pending_repaired = 0;
	return res;
}

enum kk_result kk_vendor_import_myjvn(struct kk_store *s, const char *path, kk_vendor_progress_fn *progress,
				      void *arg, struct kk_vendor_import_summary *out, struct kk_error *err)
{
	struct import im = { .store = s, .path = path, .sum = out, .err = err };
	struct line_reader r = { 0 };
	int64_t vendors_before = 0, products_before = 0;
	enum kk_result res;
	struct stat st;
	const char *line;
	size_t len;
	int fd, got;

	memset(out, 0, sizeof(*out));
	res = kk_vendor_registry_counts(s, &vendors_before, &products_before, err);
	if (res)
		return res;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		res = kk_error_set(err, KK_EIO, _("Cannot open %s: %s"), path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == 0)
		out->bytes_total = (uint64_t)st.st_size;
	r.f = gzdopen(fd, "rb");
	r.buf = kk_malloc(BUF_SIZE);
	if (!r.f || !r.buf) {
		if (!r.f)
			close(fd);
		res = kk_error_nomem(err);
		goto out;
	}
	while ((got = next_line(&r, &line, &len)) > 0) {
		out->lines++;
		if (!im.in_tx && (res = batch_begin(&im)))
			break;
		if (got == 2)
			refuse(&im, out->lines, _("the line is too long."));
		else if ((res = import_line(&im, out->lines, line, len)))
			break;
		if (out->lines % KK_VENDOR_IMPORT_BATCH == 0) {
			if ((res = batch_end(&im, KK_OK)))
				break;
			out->bytes_read = (uint64_t)gzoffset(r.f);
			if (progress)
				progress(arg, out);
		}
	}
	if (!res && got < 0) {
		int zerr, saved = errno;
		const char *why = gzerror(r.f, &zerr);

		if (zerr == Z_MEM_ERROR)
			res = kk_error_nomem(err);
		else
			res = kk_error_set(err, KK_EIO, _("%s: cannot read after line %zu: %s"), path, out->lines,
					   zerr == Z_ERRNO	  ? strerror(saved)
					   : zerr == Z_BUF_ERROR ? _("the compressed file ends too early (cut short?).")
					   : zerr == Z_DATA_ERROR ? _("the compressed data is corrupt.")
								  : why);
	}
	res = batch_end(&im, res);
	out->bytes_read = out->bytes_total;
out:
	if (kk_vendor_registry_counts(s, &out->vendors, &out->products, res ? NULL : err) == KK_OK) {
		out->counted = 1;
		out->vendors_added = out->vendors - vendors_before;
		out->products_added = out->products - products_before;
	} else if (!res) {
		res = kk_error_result(err, KK_EDB);
	}
	if (!res && progress)
		progress(arg, out);
	free(im.last_vendor);
	free(r.buf);
	if (r.f)
		gzclose(r.f);
	return res;
}

enum kk_result kk_vendor_registry_counts(struct kk_store *s, int64_t *vendors, int64_t *products,
					 struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);

	*vendors = *products = 0;
	if (res)
		return res;
	res = kk_vendors_counts(&tx, vendors, products, err);
	return kk_tx_end(&tx, res, err);
}
