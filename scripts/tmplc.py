#!/usr/bin/env python3
"""tmplc.py: compiles keikai's HTML templates (templates/NAME.html) into C.

The design follows h2o's picotemplate: a template is HTML with C in it, turned
into one C function that appends the page to a struct kk_buf with plain appends,
so nothing is parsed per request.

Syntax of templates/NAME.html:

  line 1    ? enum kk_result tmpl_NAME(struct kk_buf *o, ...)
            the generated function's signature; it must be called tmpl_NAME,
            return enum kk_result and write to a struct kk_buf named o.
  ? code    a line whose first non-blank character is `?` is C, copied as is.
  text      any other line is HTML, emitted byte for byte (its indentation is
            dropped; the line break is kept), except for these tags:
  <?= e ?>        e (a const char *; NULL prints nothing), HTML-escaped
  <?raw e ?>      e unescaped: only for text that is already HTML (rare)
  <?_ "msgid" ?>  the gettext translation of the English msgid, HTML-escaped.
                  The escaped translation is cached per language, and the C
                  holds N_("msgid") so xgettext finds it.
  <?d e ?>        e as a decimal integer
  <?call e ?>     e is an expression returning enum kk_result (a helper or a
                  nested template writing to o); a failure ends the page.

Code lines may use TMPL_TRY(expr) for the same purpose. A failed append (the
reply buffer's cap, no memory) ends the function with that result.

Usage: tmplc.py OUTDIR TEMPLATE...   writes OUTDIR/templates.h (every template's
prototype) and OUTDIR/tmpl_NAME.c for each template.
"""
import os
import re
import sys

TAG_RE = re.compile(r'<\?(=|raw|_|d|call)\s+(.*?)\s*\?>')
MSGID_RE = re.compile(r'^"(?:[^"\\\n]|\\.)+"$')
SIG_RE = re.compile(r'^\s*enum\s+kk_result\s+(tmpl_[a-z0-9_]+)\s*\((.*)\)\s*$')


class TemplateError(Exception):
    pass


def c_string(data):
    """A C string literal for data (bytes), split at line breaks for reading."""
    out = ['"']
    for b in data:
        ch = chr(b)
        if ch == '"':
            out.append('\\"')
        elif ch == '\\':
            out.append('\\\\')
        elif ch == '\n':
            out.append('\\n"\n\t\t"')
        elif ch == '\t':
            out.append('\\t')
        elif ch == '?':
            out.append('\\?')  # no trigraphs
        elif 0x20 <= b < 0x7f:
            out.append(ch)
        else:
            out.append('\\%03o' % b)
    out.append('"')
    s = ''.join(out)
    if s.endswith('\n\t\t""'):
        s = s[: -len('\n\t\t""')]
    return s


class Compiler:
    def __init__(self, path):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.rel = 'templates/' + os.path.basename(path)
        self.body = []     # lines of the function body
        self.pending = b''  # literal HTML not yet emitted
        self.msgs = 0      # number of <?_ ?> caches
        self.signature = None

    def fail(self, lineno, msg):
        raise TemplateError(f'{self.rel}:{lineno}: {msg}')

    def flush(self):
        if self.pending:
            self.body.append(f'\tTMPL_TRY(kk_buf_add(o, {c_string(self.pending)}, {len(self.pending)}));')
            self.pending = b''

    def line_mark(self, lineno):
        self.body.append(f'#line {lineno} "{self.rel}"')

    def emit(self, lineno, stmt):
        self.flush()
        self.line_mark(lineno)
        self.body.append('\t' + stmt)

    def tag(self, lineno, kind, expr):
        if not expr:
            self.fail(lineno, f'empty <?{kind} ?>')
        if kind == '=':
            self.emit(lineno, f'TMPL_TRY(tmpl_html(o, {expr}));')
        elif kind == 'raw':
            self.emit(lineno, f'TMPL_TRY(tmpl_raw(o, {expr}));')
        elif kind == 'd':
            self.emit(lineno, f'TMPL_TRY(tmpl_int(o, (long long)({expr})));')
        elif kind == 'call':
            self.emit(lineno, f'TMPL_TRY({expr});')
        elif kind == '_':
            if not MSGID_RE.match(expr):
                self.fail(lineno, '<?_ ?> takes one non-empty C string literal')
            self.emit(lineno, f'TMPL_TRY(tmpl_tr(o, &tmpl_msgs[{self.msgs}], tmpl_lang, N_({expr})));')
            self.msgs += 1

    def text(self, lineno, line):
        pos = 0
        for m in TAG_RE.finditer(line):
            self.pending += line[pos:m.start()].encode('utf-8')
            self.tag(lineno, m.group(1), m.group(2))
            pos = m.end()
        rest = line[pos:]
        if '<?' in rest or '?>' in rest:
            self.fail(lineno, 'unknown or unterminated <? ?> tag (tags do not span lines)')
        self.pending += rest.encode('utf-8') + b'\n'

    def compile(self):
        with open(self.path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        if lines and lines[-1] == '':
            lines.pop()
        if not lines or not lines[0].startswith('?'):
            self.fail(1, 'the first line must be "? enum kk_result tmpl_NAME(struct kk_buf *o, ...)"')
        sig = lines[0][1:].strip()
        m = SIG_RE.match(sig)
        if not m:
            self.fail(1, 'the signature must read "enum kk_result tmpl_NAME(...)"')
        if m.group(1) != 'tmpl_' + self.name:
            self.fail(1, f'the function must be called tmpl_{self.name}')
        if not re.search(r'struct\s+kk_buf\s*\*\s*o\b', m.group(2)):
            self.fail(1, 'the output buffer must be "struct kk_buf *o"')
        self.signature = sig
        for i, line in enumerate(lines[1:], start=2):
            stripped = line.lstrip(' \t')
            if stripped.startswith('?'):
                self.flush()
                self.line_mark(i)
                self.body.append(stripped[1:])
            else:
                self.text(i, stripped)
        self.flush()

    def c_source(self):
        out = [f'/* Generated by scripts/tmplc.py from {self.rel}: edit the template, not this file. */',
               '#include "templates.h"', '']
        if self.msgs:
            out.append(f'static struct tmpl_msg tmpl_msgs[{self.msgs}];')
            out.append('')
        out.append(self.signature)
        out.append('{')
        out.append('\tenum kk_result tmpl_res = KK_OK;')
        if self.msgs:
            out.append('\tconst enum kk_lang tmpl_lang = kk_i18n_current();')
        out.extend(self.body)
        lines_so_far = '\n'.join(out).count('\n') + 1
        out.append(f'#line {lines_so_far + 2} "tmpl_{self.name}.c"')
        out.append('tmpl_out:')
        out.append('\treturn tmpl_res;')
        out.append('}')
        return '\n'.join(out) + '\n'


def write(path, text):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write('usage: tmplc.py OUTDIR TEMPLATE...\n')
        return 2
    outdir = argv[1]
    compilers = []
    try:
        for path in argv[2:]:
            c = Compiler(path)
            c.compile()
            compilers.append(c)
    except (TemplateError, OSError, UnicodeDecodeError) as e:
        sys.stderr.write(f'tmplc: {e}\n')
        return 1
    header = ['/* Generated by scripts/tmplc.py: the compiled templates (templates/NAME.html). */',
              '#ifndef KEIKAI_TEMPLATES_H', '#define KEIKAI_TEMPLATES_H', '',
              '#include <stddef.h>', '#include <string.h>', '',
              '#include "views.h"', '#include "tmpl_rt.h"', '']
    for c in compilers:
        header.append(c.signature + ';')
    header += ['', '#endif', '']
    write(os.path.join(outdir, 'templates.h'), '\n'.join(header))
    for c in compilers:
        write(os.path.join(outdir, f'tmpl_{c.name}.c'), c.c_source())
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
