#!/usr/bin/env python3
"""tmplc.py: compiles keikai's templates into C: the HTML pages (templates/NAME.html)
and, with --text, the plain-text mail (templates/mail/NAME.txt).

The design follows h2o's picotemplate: a template is text with C in it, turned
into one C function that appends the output to a struct kk_buf with plain
appends, so nothing is parsed per use.

Syntax of a template:

  line 1    ? enum kk_result tmpl_NAME(struct kk_buf *o, ...)
            the generated function's signature; it must be called tmpl_NAME,
            return enum kk_result and write to a struct kk_buf named o. A text
            template also takes the language to write in, "enum kk_lang lang":
            the function switches the thread to it and back (see below).
  ? code    a line whose first non-blank character is `?` is C, copied as is.
  text      any other line is output byte for byte (an HTML template drops its
            indentation; a text template keeps it; the line break is kept),
            except for these tags:
  <?= e ?>        e (a const char *; NULL prints nothing), HTML-escaped in a
                  page, as is in a text template
  <?raw e ?>      e unescaped. e must be a string literal or one call of a
                  helper that the runtime header marks safe (its declaration
                  follows a comment ending in "tmplc:safe */": its output is
                  safe whatever its arguments); anything else is a build error,
                  so no data reaches a page unescaped.
  <?_ "msgid" ?>  the gettext translation of the English msgid, HTML-escaped
                  in a page (the escaped translation is cached per language, the
                  C holds N_("msgid") so xgettext finds it), as is in text.
  <?_f "msgid", args ?>  text templates only: the translation of msgid used as
                  a printf format for args (the C holds _("msgid"), so the
                  compiler checks args against it and xgettext finds it).
  <?d e ?>        e as a decimal integer
  <?call e ?>     e is an expression returning enum kk_result (a helper or a
                  nested template writing to o); a failure ends the output.

Code lines may use TMPL_TRY(expr) for the same purpose. A failed append (the
buffer's cap, no memory) ends the function with that result.

A text template writes in the language it is given, not the thread's: the
generated function calls kk_i18n_use(lang) on entry and restores the thread's
language on every exit, so _() in its code lines and <?_ ?> tags translate into
lang.

Usage: tmplc.py [--text] [--runtime HEADER] OUTDIR TEMPLATE...
  writes OUTDIR/templates.h (OUTDIR/mail_templates.h with --text): every
  template's prototype, and OUTDIR/tmpl_NAME.c for each template. HEADER is the
  runtime header whose helpers may be marked safe (default templates/tmpl_rt.h,
  or templates/mail/mail_rt.h with --text).
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TAG_RE = re.compile(r'<\?(=|raw|_f|_|d|call)\s+(.*?)\s*\?>')
STRING_LIT = r'"(?:[^"\\\n]|\\.)*"'
MSGID_RE = re.compile(r'^"(?:[^"\\\n]|\\.)+"$')
MSGID_ARGS_RE = re.compile(r'^("(?:[^"\\\n]|\\.)+")\s*,\s*(\S.*)$')
LITERALS_RE = re.compile(rf'^{STRING_LIT}(?:\s*{STRING_LIT})*$')
CALL_RE = re.compile(r'^([A-Za-z_]\w*)\s*\(')
SIG_RE = re.compile(r'^\s*enum\s+kk_result\s+(tmpl_[a-z0-9_]+)\s*\((.*)\)\s*$')
SAFE_TAG = 'tmplc:safe'
SAFE_TAG_RE = re.compile(r'\btmplc:safe\s*\*/')
DECL_NAME_RE = re.compile(r'\s*(?![#/])[^;{}()#/]*?\b([A-Za-z_]\w*)\s*\(')

MODES = {
    'html': {'header': 'templates.h', 'includes': ['views.h', 'tmpl_rt.h'],
             'runtime': os.path.join(ROOT, 'templates', 'tmpl_rt.h')},
    'text': {'header': 'mail_templates.h', 'includes': ['mail_rt.h'],
             'runtime': os.path.join(ROOT, 'templates', 'mail', 'mail_rt.h')},
}


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


def safe_helpers(header):
    """The functions of the runtime header whose declaration directly follows a
    comment ending in tmplc:safe."""
    with open(header, encoding='utf-8') as f:
        text = f.read()
    names = set()
    for m in SAFE_TAG_RE.finditer(text):
        decl = DECL_NAME_RE.match(text, m.end())
        if not decl:
            line = text.count('\n', 0, m.start()) + 1
            raise TemplateError(f'{relative(header)}:{line}: {SAFE_TAG} is not followed by a function declaration')
        names.add(decl.group(1))
    return names


def is_safe_call(expr, safe):
    """Whether expr is exactly one call of a safe helper: NAME(...) where the
    parenthesis opened after NAME closes at the very end."""
    m = CALL_RE.match(expr)
    if not m or m.group(1) not in safe or '/*' in expr or '//' in expr:
        return False
    depth, quote, i = 0, None, m.end() - 1
    while i < len(expr):
        ch = expr[i]
        if quote:
            if ch == '\\':
                i += 1
            elif ch == quote:
                quote = None
        elif ch in '"\'':
            quote = ch
        elif ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
            if depth == 0:
                return i == len(expr) - 1
        i += 1
    return False


def relative(path):
    """path as written in messages and #line: from the source root when inside it."""
    full = os.path.abspath(path)
    if full.startswith(ROOT + os.sep):
        return os.path.relpath(full, ROOT)
    return path


class Compiler:
    def __init__(self, path, text_mode, safe):
        self.path = path
        self.text_mode = text_mode
        self.safe = safe
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.rel = relative(path)
        self.body = []     # lines of the function body
        self.pending = b''  # literal text not yet emitted
        self.msgs = 0      # number of <?_ ?> caches (pages)
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

    def check_raw(self, lineno, expr):
        if LITERALS_RE.match(expr) or is_safe_call(expr, self.safe):
            return
        self.fail(lineno, f'<?raw {expr} ?> is refused: <?raw ?> takes a string literal or one call of a '
                          f'helper marked {SAFE_TAG} ({", ".join(sorted(self.safe)) or "none"}); '
                          'print data with <?= ?>')

    def tag(self, lineno, kind, expr):
        if not expr:
            self.fail(lineno, f'empty <?{kind} ?>')
        if kind == '=':
            self.emit(lineno, f'TMPL_TRY({"tmpl_text" if self.text_mode else "tmpl_html"}(o, {expr}));')
        elif kind == 'raw':
            self.check_raw(lineno, expr)
            self.emit(lineno, f'TMPL_TRY(tmpl_raw(o, {expr}));')
        elif kind == 'd':
            self.emit(lineno, f'TMPL_TRY(tmpl_int(o, (long long)({expr})));')
        elif kind == 'call':
            self.emit(lineno, f'TMPL_TRY({expr});')
        elif kind == '_':
            if not MSGID_RE.match(expr):
                self.fail(lineno, '<?_ ?> takes one non-empty C string literal')
            if self.text_mode:
                self.emit(lineno, f'TMPL_TRY(tmpl_text(o, _({expr})));')
            else:
                self.emit(lineno, f'TMPL_TRY(tmpl_tr(o, &tmpl_msgs[{self.msgs}], tmpl_lang, N_({expr})));')
                self.msgs += 1
        elif kind == '_f':
            if not self.text_mode:
                self.fail(lineno, '<?_f ?> is for text templates (--text); '
                                  'in a page use <?= kk_req_printf(r, _("..."), ...) ?>')
            m = MSGID_ARGS_RE.match(expr)
            if not m:
                self.fail(lineno, '<?_f ?> takes a non-empty C string literal, a comma and the arguments')
            self.emit(lineno, f'TMPL_TRY(kk_buf_addf(o, _({m.group(1)}), {m.group(2)}));')

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
        if self.text_mode and not re.search(r'\benum\s+kk_lang\s+lang\b', m.group(2)):
            self.fail(1, 'a text template takes the language to write in: "enum kk_lang lang"')
        self.signature = sig
        for i, line in enumerate(lines[1:], start=2):
            stripped = line.lstrip(' \t')
            if stripped.startswith('?'):
                self.flush()
                self.line_mark(i)
                self.body.append(stripped[1:])
            else:
                self.text(i, line if self.text_mode else stripped)
        self.flush()

    def c_source(self, header):
        out = [f'/* Generated by scripts/tmplc.py from {self.rel}: edit the template, not this file. */',
               f'#include "{header}"', '']
        if self.msgs:
            out.append(f'static struct tmpl_msg tmpl_msgs[{self.msgs}];')
            out.append('')
        out.append(self.signature)
        out.append('{')
        out.append('\tenum kk_result tmpl_res = KK_OK;')
        if self.msgs:
            out.append('\tconst enum kk_lang tmpl_lang = kk_i18n_current();')
        if self.text_mode:
            out.append('\tconst enum kk_lang tmpl_saved_lang = kk_i18n_current();')
            out.append('')
            out.append('\tkk_i18n_use(lang);')
        out.extend(self.body)
        lines_so_far = '\n'.join(out).count('\n') + 1
        out.append(f'#line {lines_so_far + 2} "tmpl_{self.name}.c"')
        out.append('tmpl_out:')
        if self.text_mode:
            out.append('\tkk_i18n_use(tmpl_saved_lang);')
        out.append('\treturn tmpl_res;')
        out.append('}')
        return '\n'.join(out) + '\n'


def write(path, text):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def main(argv):
    ap = argparse.ArgumentParser(prog='tmplc.py', description='Compiles keikai templates into C.')
    ap.add_argument('--text', action='store_true', help='plain-text templates (mail): no HTML escaping')
    ap.add_argument('--runtime', help='the runtime header whose helpers may be marked tmplc:safe')
    ap.add_argument('outdir')
    ap.add_argument('templates', nargs='+')
    args = ap.parse_args(argv[1:])
    mode = MODES['text' if args.text else 'html']
    compilers = []
    try:
        safe = safe_helpers(args.runtime or mode['runtime'])
        for path in args.templates:
            c = Compiler(path, args.text, safe)
            c.compile()
            compilers.append(c)
    except (TemplateError, OSError, UnicodeDecodeError) as e:
        sys.stderr.write(f'tmplc: {e}\n')
        return 1
    guard = 'KEIKAI_' + re.sub(r'[^A-Za-z0-9]', '_', mode['header']).upper()
    what = 'mail templates (templates/mail/NAME.txt)' if args.text else 'templates (templates/NAME.html)'
    header = [f'/* Generated by scripts/tmplc.py: the compiled {what}. */',
              f'#ifndef {guard}', f'#define {guard}', '',
              '#include <stddef.h>', '#include <string.h>', '']
    header += [f'#include "{h}"' for h in mode['includes']] + ['']
    for c in compilers:
        header.append(c.signature + ';')
    header += ['', '#endif', '']
    write(os.path.join(args.outdir, mode['header']), '\n'.join(header))
    for c in compilers:
        write(os.path.join(args.outdir, f'tmpl_{c.name}.c'), c.c_source(mode['header']))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
