/*
 * cwe_import.c: loading the CWE catalogue (cwe.h) from MITRE's XML release and
 * Japanese names from JPCERT/CC's cwe-1003-ja JSON.
 *
 * The XML (cwec_v4.x.xml, about 15 MB) is read with libxml2's streaming reader,
 * so memory stays small whatever the file's size; the JSON (about 50 KB) is
 * loaded whole with jansson, under a size cap. The file is trusted no more than
 * any upload: no network, no document type declaration (so no entity is ever
 * expanded), every text under a cap. Each import runs in one write transaction
 * that is rolled back on the first fault, so a bad file leaves the catalogue as
 * it was. The rows are written through the repository store/cwe_entries.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <libxml/xmlreader.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keikai/clock.h"
#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "store/cwe_entries.h"

#define NAME_MAX_BYTES 1024        /* an entry's name; MITRE's longest is under 200 */
#define TEXT_MAX_BYTES (64 * 1024) /* a description */
#define JA_FILE_MAX (16 * 1024 * 1024)
#define JA_NEST_MAX 8              /* levels of "children" */

/* The ids an import has seen, one bit each, grown on demand. */
struct id_set {
	unsigned char *bits;
	size_t size;
};

/* 1 when id was already in the set, 0 when added now, -1 without memory. */
static int id_set_add(struct id_set *set, int id)
{
	size_t byte = (size_t)id / 8;
	unsigned char bit = (unsigned char)(1u << (id % 8));

	if (byte >= set->size) {
		size_t size = set->size ? set->size : 256;
		unsigned char *p;

		while (size <= byte)
			size *= 2;
		p = kk_realloc(set->bits, size);
		if (!p)
			return -1;
		memset(p + set->size, 0, size - set->size);
		set->bits = p;
		set->size = size;
	}
	if (set->bits[byte] & bit)
		return 1;
	set->bits[byte] |= bit;
	return 0;
}

/* Collapses every run of white space in s to one space and trims both ends. */
static void squeeze(char *s)
{
	char *w = s;
	int space = 1; /* drops leading white space */

	for (const char *r = s; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			if (!space)
				*w++ = ' ';
			space = 1;
		} else {
			*w++ = *r;
			space = 0;
		}
	}
	if (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

/*
 * The XML release.
 *
 * Depth 0 is Weakness_Catalog, depth 1 its sections, depth 2 the entries; the
 * entry's Description (weakness), Summary (category) or Objective (view) is a
 * child at depth 3, its text possibly split by markup below it.
 */
struct xml_import {
	struct kk_tx *tx;
	const char *path;
	xmlTextReaderPtr reader;
	struct kk_error *err;
	struct kk_cwe_counts *counts;
	struct id_set seen;

	int text_line;  /* where the last text node ended, for node_line */
	int parse_line; /* the first error libxml2 reported */
	char parse_msg[160];

	int saw_root;
	int section;    /* kind of the current section, or -1 outside the three */
	int in_entry, in_text, have_text;
	int line;       /* of the entry's start tag */
	int id;
	enum kk_cwe_kind kind;
	xmlChar *name, *abstraction, *status;
	struct kk_buf text;
};

static const struct {
	const char *section, *entry, *text;
} xml_kinds[] = {
	[KK_CWE_WEAKNESS] = { "Weaknesses", "Weakness", "Description" },
	[KK_CWE_CATEGORY] = { "Categories", "Category", "Summary" },
	[KK_CWE_VIEW] = { "Views", "View", "Objective" },
};

/* libxml2 2.12 made the error it passes const. */
#if LIBXML_VERSION >= 21200
#define XML_ERROR_CONST const
#else
#define XML_ERROR_CONST
#endif

static void on_xml_error(void *arg, XML_ERROR_CONST xmlError *e)
{
	struct xml_import *x = arg;

	if (!e || e->level < XML_ERR_ERROR || x->parse_msg[0])
		return;
	x->parse_line = e->line;
	snprintf(x->parse_msg, sizeof(x->parse_msg), "%s", e->message ? e->message : "");
	squeeze(x->parse_msg);
}

/*
 * The line of the reader's current node. libxml2 records it in the node up to
 * 65535 (MITRE's file has 230,000 lines); beyond, an element starts on the line
 * where the white space before it ended, which XML_PARSE_BIG_LINES keeps in text
 * nodes; failing both, where the parser is (a few lines on).
 */
static int node_line(struct xml_import *x)
{
	xmlNodePtr node = xmlTextReaderCurrentNode(x->reader);
	long line = node ? xmlGetLineNo(node) : -1;

	if (line > 0 && line < 65535)
		return (int)line;
	if (node && node->type == XML_ELEMENT_NODE && x->text_line >= 65535)
		return x->text_line;
	return xmlTextReaderGetParserLineNumber(x->reader);
}

/* Fails the import with "FILE:LINE: message". */
__attribute__((format(printf, 4, 5))) static enum kk_result xml_fail(struct xml_import *x, enum kk_result code,
								      int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return kk_error_set(x->err, code, _("%s:%d: %s"), x->path, line, msg);
}

static void entry_reset(struct xml_import *x)
{
	xmlFree(x->name);
	xmlFree(x->abstraction);
	xmlFree(x->status);
	x->name = x->abstraction = x->status = NULL;
	kk_buf_reset(&x->text);
	x->in_entry = x->in_text = x->have_text = 0;
}

/* Reads the start tag of an entry: its ID, Name, Abstraction and Status. */
static enum kk_result entry_begin(struct xml_import *x)
{
	const char *tag = xml_kinds[x->section].entry;
	struct kk_error id_err = KK_ERROR_INIT;
	xmlChar *id = xmlTextReaderGetAttribute(x->reader, BAD_CAST "ID");
	enum kk_result res = KK_OK;

	x->kind = (enum kk_cwe_kind)x->section;
	x->line = node_line(x);
	x->in_entry = 1;
	x->name = xmlTextReaderGetAttribute(x->reader, BAD_CAST "Name");
	x->abstraction = xmlTextReaderGetAttribute(x->reader, BAD_CAST "Abstraction");
	x->status = xmlTextReaderGetAttribute(x->reader, BAD_CAST "Status");
	if (!id) {
		res = xml_fail(x, KK_EINVAL, x->line, _("%s without an ID."), tag);
	} else if (id[0] < '0' || id[0] > '9' || kk_cwe_parse_id((const char *)id, &x->id, &id_err) != KK_OK) {
		res = xml_fail(x, KK_EINVAL, x->line, _("%s ID \"%.40s\" is not a CWE number."), tag,
			       (const char *)id);
	} else if (!x->name) {
		res = xml_fail(x, KK_EINVAL, x->line, _("%s %d has no Name."), tag, x->id);
	}
	xmlFree(id);
	kk_error_release(&id_err);
	return res;
}

/* Stores the entry whose end tag (or empty start tag) the reader is at. */
static enum kk_result entry_end(struct xml_import *x)
{
	const char *tag = xml_kinds[x->kind].entry;
	char *name = (char *)x->name, *description = x->text.data;
	struct kk_cwe c = { .id = x->id, .kind = x->kind, .name_en = name };
	enum kk_result res;
	int seen;

	squeeze(name);
	if (name[0] == '\0')
		return xml_fail(x, KK_EINVAL, x->line, _("%s %d has an empty Name."), tag, x->id);
	if (strlen(name) > NAME_MAX_BYTES)
		return xml_fail(x, KK_ETOOBIG, x->line, _("the Name of %s %d is over %d bytes."), tag, x->id,
				NAME_MAX_BYTES);
	seen = id_set_add(&x->seen, x->id);
	if (seen < 0)
		return kk_error_set(x->err, KK_ENOMEM, "%s", _("Out of memory."));
	if (seen)
		return xml_fail(x, KK_EINVAL, x->line, _("ID %d appears a second time."), x->id);
	if (description) {
		squeeze(description);
		if (description[0] == '\0')
			description = NULL;
	}
	if (x->status)
		squeeze((char *)x->status);
	if (x->abstraction)
		squeeze((char *)x->abstraction);

	if (x->kind == KK_CWE_WEAKNESS && x->abstraction && x->abstraction[0])
		c.abstraction = (char *)x->abstraction;
	if (x->status && x->status[0])
		c.status = (char *)x->status;
	c.description = description;
	res = kk_cwe_entries_upsert(x->tx, &c, x->err);
	if (res)
		return res;
	if (x->kind == KK_CWE_WEAKNESS)
		x->counts->weaknesses++;
	else if (x->kind == KK_CWE_CATEGORY)
		x->counts->categories++;
	else
		x->counts->views++;
	entry_reset(x);
	return KK_OK;
}

/* Adds the text of the current node to the entry's description. */
static enum kk_result text_add(struct xml_import *x, const char *s)
{
	enum kk_result res = kk_buf_adds(&x->text, s ? s : "");

	if (res == KK_ETOOBIG)
		return xml_fail(x, KK_ETOOBIG, node_line(x), _("the %s of %s %d is over %d bytes."),
				xml_kinds[x->kind].text, xml_kinds[x->kind].entry, x->id, TEXT_MAX_BYTES);
	if (res)
		return kk_error_set(x->err, res, "%s", _("Out of memory."));
	return KK_OK;
}

/* Checks the root element and records the release it names. */
static enum kk_result root_begin(struct xml_import *x, const char *local)
{
	xmlChar *version, *date;
	enum kk_result res;

	if (strcmp(local, "Weakness_Catalog") != 0)
		return xml_fail(x, KK_EINVAL, node_line(x),
				_("not a CWE catalogue: the root element is %.40s, not Weakness_Catalog."), local);
	version = xmlTextReaderGetAttribute(x->reader, BAD_CAST "Version");
	date = xmlTextReaderGetAttribute(x->reader, BAD_CAST "Date");
	res = kk_cwe_entries_record_release(x->tx, KK_CWE_SOURCE_MITRE, (const char *)version, (const char *)date,
					    kk_now(), x->err);
	xmlFree(version);
	xmlFree(date);
	return res;
}

/* Handles one node of the stream. */
static enum kk_result xml_node(struct xml_import *x)
{
	int type = xmlTextReaderNodeType(x->reader), depth = xmlTextReaderDepth(x->reader);
	const char *local = (const char *)xmlTextReaderConstLocalName(x->reader);
	int empty = type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(x->reader) == 1;
	enum kk_result res = KK_OK;

	/* libxml2 keeps no line for a DTD, so this one names the file alone */
	if (type == XML_READER_TYPE_DOCUMENT_TYPE)
		return kk_error_set(x->err, KK_EINVAL,
				    _("%s: a document type declaration (<!DOCTYPE ...>) is not accepted in a CWE "
				      "catalogue."),
				    x->path);
	if (type == XML_READER_TYPE_ENTITY_REFERENCE)
		return xml_fail(x, KK_EINVAL, node_line(x), "%s", _("entity references are not accepted."));
	if (type == XML_READER_TYPE_ELEMENT && !local)
		return kk_error_set(x->err, KK_ENOMEM, "%s", _("Out of memory."));
	if (type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE ||
	    type == XML_READER_TYPE_TEXT) {
		xmlNodePtr node = xmlTextReaderCurrentNode(x->reader);

		x->text_line = node ? (int)xmlGetLineNo(node) : -1;
	} else if (type != XML_READER_TYPE_ELEMENT) {
		x->text_line = -1;
	}

	if (type == XML_READER_TYPE_ELEMENT && depth == 0) {
		x->saw_root = 1;
		return root_begin(x, local);
	}
	if (type == XML_READER_TYPE_ELEMENT && depth == 1) {
		x->section = -1;
		for (int k = 0; k < (int)(sizeof(xml_kinds) / sizeof(xml_kinds[0])); k++)
			if (strcmp(local, xml_kinds[k].section) == 0)
				x->section = k;
		return KK_OK;
	}
	if (type == XML_READER_TYPE_ELEMENT && depth == 2 && x->section >= 0 &&
	    strcmp(local, xml_kinds[x->section].entry) == 0) {
		res = entry_begin(x);
		if (!res && empty)
			res = entry_end(x);
		return res;
	}
	if (!x->in_entry)
		return KK_OK;
	if (type == XML_READER_TYPE_END_ELEMENT && depth == 2)
		return entry_end(x);
	if (type == XML_READER_TYPE_ELEMENT && depth == 3 && !empty && !x->have_text &&
	    strcmp(local, xml_kinds[x->kind].text) == 0) {
		x->in_text = x->have_text = 1;
		return KK_OK;
	}
	if (!x->in_text)
		return KK_OK;
	if (type == XML_READER_TYPE_END_ELEMENT && depth == 3) {
		x->in_text = 0;
		return KK_OK;
	}
	if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE)
		return text_add(x, (const char *)xmlTextReaderConstValue(x->reader));
	if (type == XML_READER_TYPE_ELEMENT || type == XML_READER_TYPE_END_ELEMENT)
		return text_add(x, " "); /* markup inside the text separates words */
	return KK_OK;
}

/* libxml2 wants its globals set up once before threads use it. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static enum kk_result read_xml(struct kk_tx *tx, const char *path, struct kk_cwe_counts *counts,
			       struct kk_error *err)
{
	struct xml_import x = { .tx = tx, .path = path, .err = err, .counts = counts, .section = -1 };
	enum kk_result res = KK_OK;
	int fd, rc = 0;

	pthread_once(&xml_once, xmlInitParser);
	kk_buf_init(&x.text, TEXT_MAX_BYTES);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kk_error_set(err, KK_EIO, _("Cannot open %s: %s"), path, strerror(errno));
	/* No network, no DTD, no entity substitution: XML_PARSE_NOENT and
	 * XML_PARSE_DTDLOAD stay off. */
	x.reader = xmlReaderForFd(fd, path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT |
					      XML_PARSE_BIG_LINES);
	if (!x.reader) {
		res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
		goto out;
	}
	xmlTextReaderSetStructuredErrorHandler(x.reader, on_xml_error, &x);
	while (!res && (rc = xmlTextReaderRead(x.reader)) == 1)
		res = xml_node(&x);
	if (!res && rc < 0) {
		if (x.parse_msg[0] && !x.saw_root)
			res = xml_fail(&x, KK_EINVAL, x.parse_line, _("not an XML document: %s"), x.parse_msg);
		else if (x.parse_msg[0])
			res = xml_fail(&x, KK_EINVAL, x.parse_line, _("malformed XML: %s"), x.parse_msg);
		else
			res = xml_fail(&x, KK_EINVAL, xmlTextReaderGetParserLineNumber(x.reader), "%s",
				       _("malformed XML."));
	}
	if (!res && x.parse_msg[0]) /* an error the reader recovered from */
		res = xml_fail(&x, KK_EINVAL, x.parse_line, _("malformed XML: %s"), x.parse_msg);
	if (!res && counts->weaknesses + counts->categories + counts->views == 0)
		res = kk_error_set(err, KK_EINVAL, _("%s holds no CWE weakness, category or view."), path);
out:
	entry_reset(&x);
	kk_buf_release(&x.text);
	free(x.seen.bits);
	xmlFreeTextReader(x.reader);
	close(fd);
	return res;
}

/*
 * The Japanese names.
 *
 * JPCERT/CC's titles double as search patterns: "(Off-by-one|オフバイワン)エラー",
 * "（不適切な|不十分な|正しくない）権限チェック", "… | 確認が不十分". A name
 * keeps the first choice of each.
 */

/* 1, 2 or 0 for an opening bracket, a closing one or neither at p (ASCII or
 * full-width); *len is its length in bytes. '|' and '｜' give 3. */
static int mark_at(const char *p, size_t *len)
{
	*len = 1;
	if (*p == '(')
		return 1;
	if (*p == ')')
		return 2;
	if (*p == '|')
		return 3;
	*len = 3;
	if (strncmp(p, "\xef\xbc\x88", 3) == 0) /* （ */
		return 1;
	if (strncmp(p, "\xef\xbc\x89", 3) == 0) /* ） */
		return 2;
	if (strncmp(p, "\xef\xbd\x9c", 3) == 0) /* ｜ */
		return 3;
	*len = 1;
	return 0;
}

/* The end of the first choice in s[0..end): the first bar outside brackets, or end. */
static size_t first_choice(const char *s, size_t end)
{
	int depth = 0;
	size_t i = 0, len;

	while (i < end) {
		int m = mark_at(s + i, &len);

		if (m == 1)
			depth++;
		else if (m == 2 && depth > 0)
			depth--;
		else if (m == 3 && depth == 0)
			return i;
		i += len;
	}
	return end;
}

/* A title made a name, in a string the caller frees (NULL without memory). */
static char *ja_title_name(const char *title)
{
	struct kk_buf out;
	size_t end = first_choice(title, strlen(title)), i = 0, len;

	kk_buf_init(&out, NAME_MAX_BYTES * 4);
	if (kk_buf_add(&out, "", 0))
		return NULL;
	while (i < end) {
		size_t j, close = 0, inner;
		int depth = 1, bar = 0;

		if (mark_at(title + i, &len) != 1) {
			if (kk_buf_add(&out, title + i, len))
				goto fail;
			i += len;
			continue;
		}
		/* a group: find its closing bracket and whether it offers choices */
		for (j = i + len; j < end && !close; j += inner) {
			int m = mark_at(title + j, &inner);

			if (m == 1)
				depth++;
			else if (m == 2 && --depth == 0)
				close = j;
			else if (m == 3 && depth == 1)
				bar = 1;
		}
		if (!close || !bar) {
			size_t upto = close ? j : end;

			if (kk_buf_add(&out, title + i, upto - i))
				goto fail;
			i = upto;
			continue;
		}
		if (kk_buf_add(&out, title + i + len, first_choice(title + i + len, close - i - len)))
			goto fail;
		i = j;
	}
	squeeze(out.data);
	return kk_buf_detach(&out);
fail:
	kk_buf_release(&out);
	return NULL;
}

struct ja_import {
	struct kk_tx *tx;
	const char *path;
	struct kk_error *err;
	struct kk_cwe_counts *counts;
	struct id_set seen;
};

/* Fails the import with "FILE: entry: message". */
__attribute__((format(printf, 4, 5))) static enum kk_result ja_fail(struct ja_import *j, const char *where,
								     enum kk_result code, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return kk_error_set(j->err, code, _("%s: %s: %s"), j->path, where, msg);
}

static enum kk_result ja_entries(struct ja_import *j, json_t *list, const char *where, int nest);

/* The id of an entry: a number, or a string as kk_cwe_parse_id reads it. */
static enum kk_result ja_id(struct ja_import *j, json_t *v, const char *where, int *id)
{
	struct kk_error id_err = KK_ERROR_INIT;
	enum kk_result res = KK_OK;

	if (json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) <= KK_CWE_ID_MAX)
		*id = (int)json_integer_value(v);
	else if (json_is_string(v) && kk_cwe_parse_id(json_string_value(v), id, &id_err) == KK_OK)
		;
	else if (json_is_string(v))
		res = ja_fail(j, where, KK_EINVAL, "id: %s", id_err.msg);
	else
		res = ja_fail(j, where, KK_EINVAL, "%s", _("\"id\" must be a CWE number."));
	kk_error_release(&id_err);
	return res;
}

static enum kk_result ja_entry(struct ja_import *j, json_t *e, const char *where, int nest)
{
	json_t *title, *ja, *t, *children;
	char *name = NULL;
	size_t i;
	int id, seen, found;
	enum kk_result res;

	if (!json_is_object(e))
		return ja_fail(j, where, KK_EINVAL, "%s", _("an entry must be an object."));
	res = ja_id(j, json_object_get(e, "id"), where, &id);
	if (res)
		return res;
	title = json_object_get(e, "title");
	ja = json_object_get(title, "ja");
	if (title && !json_is_object(title))
		return ja_fail(j, where, KK_EINVAL, "%s", _("\"title\" must be an object."));
	if (ja && !json_is_array(ja))
		return ja_fail(j, where, KK_EINVAL, "%s", _("\"title\".\"ja\" must be a list of strings."));
	json_array_foreach(ja, i, t) {
		if (!json_is_string(t))
			return ja_fail(j, where, KK_EINVAL, "%s", _("\"title\".\"ja\" must be a list of strings."));
		if (!kk_utf8_valid(json_string_value(t), json_string_length(t)))
			return ja_fail(j, where, KK_EINVAL, "%s", _("a title is not valid UTF-8."));
		if (strlen(json_string_value(t)) > NAME_MAX_BYTES)
			return ja_fail(j, where, KK_ETOOBIG, _("a title is over %d bytes."), NAME_MAX_BYTES);
		if (!name) {
			name = ja_title_name(json_string_value(t));
			if (!name)
				return kk_error_set(j->err, KK_ENOMEM, "%s", _("Out of memory."));
			if (name[0] == '\0') {
				free(name);
				name = NULL;
			}
		}
	}
	seen = name ? id_set_add(&j->seen, id) : 0;
	if (seen < 0)
		res = kk_error_set(j->err, KK_ENOMEM, "%s", _("Out of memory."));
	if (name && seen == 0 && !res) {
		res = kk_cwe_entries_set_name_ja(j->tx, id, name, &found, j->err);
		if (!res && found)
			j->counts->named_ja++;
		else if (!res)
			j->counts->unknown_ja++;
	}
	free(name);
	children = json_object_get(e, "children");
	if (!res && children) {
		char list[160];

		snprintf(list, sizeof(list), "%s.children", where);
		res = ja_entries(j, children, list, nest + 1);
	}
	return res;
}

/* The entries of the list at `where` ("weaknesses", "weaknesses[3].children"). */
static enum kk_result ja_entries(struct ja_import *j, json_t *list, const char *where, int nest)
{
	enum kk_result res = KK_OK;
	json_t *e;
	size_t i;

	if (!json_is_array(list))
		return ja_fail(j, where, KK_EINVAL, "%s", _("must be a list of entries."));
	if (nest > JA_NEST_MAX)
		return ja_fail(j, where, KK_EINVAL, _("entries nest more than %d levels deep."), JA_NEST_MAX);
	json_array_foreach(list, i, e) {
		char here[160];

		snprintf(here, sizeof(here), "%s[%zu]", where, i);
		res = ja_entry(j, e, here, nest);
		if (res)
			break;
	}
	return res;
}

/* Loads the file whole, under JA_FILE_MAX. */
static enum kk_result ja_load(const char *path, json_t **out, struct kk_error *err)
{
	json_error_t jerr;
	struct stat st;
	FILE *f = fopen(path, "rb");

	*out = NULL;
	if (!f)
		return kk_error_set(err, KK_EIO, _("Cannot open %s: %s"), path, strerror(errno));
	if (fstat(fileno(f), &st) == 0 && st.st_size > JA_FILE_MAX) {
		fclose(f);
		return kk_error_set(err, KK_ETOOBIG, _("%s is over %d MB."), path, JA_FILE_MAX / (1024 * 1024));
	}
	*out = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	fclose(f);
	if (!*out)
		return kk_error_set(err, KK_EINVAL, _("%s:%d:%d: malformed JSON: %s"), path, jerr.line, jerr.column,
				    jerr.text);
	return KK_OK;
}

static enum kk_result read_ja(struct kk_tx *tx, const char *path, struct kk_cwe_counts *counts,
			      struct kk_error *err)
{
	struct ja_import j = { .tx = tx, .path = path, .err = err, .counts = counts };
	json_t *root = NULL, *view = NULL, *v, *version;
	const char *key;
	enum kk_result res;
	int filled;

	res = ja_load(path, &root, err);
	if (res)
		return res;
	/* {"cwe-1003": {"version": …, "weaknesses": […]}}: the view's key may differ */
	json_object_foreach(root, key, v) {
		if (!view && json_is_object(v) && json_object_get(v, "weaknesses"))
			view = v;
	}
	if (!view) {
		res = kk_error_set(err, KK_EINVAL,
				   _("%s: no list of weaknesses (expected {\"cwe-1003\": {\"weaknesses\": [...]}})."),
				   path);
		goto out;
	}
	version = json_object_get(view, "version");
	if (version && !json_is_string(version)) {
		res = kk_error_set(err, KK_EINVAL, _("%s: \"version\" must be a string."), path);
		goto out;
	}
	res = kk_cwe_entries_filled(tx, &filled, err);
	if (!res && !filled)
		res = kk_error_set(err, KK_ECONFLICT, "%s",
				   _("The CWE catalogue is empty; import MITRE's CWE XML first."));
	if (res)
		goto out;
	res = ja_entries(&j, json_object_get(view, "weaknesses"), "weaknesses", 0);
	if (!res)
		res = kk_cwe_entries_record_release(tx, KK_CWE_SOURCE_JA, json_string_value(version), NULL, kk_now(),
						    err);
out:
	free(j.seen.bits);
	json_decref(root);
	return res;
}

enum kk_result kk_cwe_import(struct kk_store *s, const char *xml_path, const char *ja_path,
			     struct kk_cwe_counts *counts, struct kk_error *err)
{
	struct kk_cwe_counts ignored;
	struct kk_tx tx;
	enum kk_result res;

	if (!counts)
		counts = &ignored;
	memset(counts, 0, sizeof(*counts));
	if (!xml_path && !ja_path)
		return kk_error_set(err, KK_EINVAL, "%s", _("Name a CWE XML file, a Japanese names file or both."));
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	if (xml_path)
		res = read_xml(&tx, xml_path, counts, err);
	if (!res && ja_path)
		res = read_ja(&tx, ja_path, counts, err);
	res = kk_tx_end(&tx, res, err);
	if (res)
		memset(counts, 0, sizeof(*counts));
	return res;
}

enum kk_result kk_cwe_import_xml(struct kk_store *s, const char *path, struct kk_cwe_counts *counts,
				 struct kk_error *err)
{
	return kk_cwe_import(s, path ? path : "", NULL, counts, err);
}

enum kk_result kk_cwe_import_ja(struct kk_store *s, const char *path, struct kk_cwe_counts *counts,
				struct kk_error *err)
{
	return kk_cwe_import(s, NULL, path ? path : "", counts, err);
}
