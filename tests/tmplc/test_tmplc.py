#!/usr/bin/env python3
"""Tests of scripts/tmplc.py, the template compiler: what it refuses (with the
template's file:line) and what it writes. Run by `meson test tmplc`, or directly:
python3 tests/tmplc/test_tmplc.py

The rule under test (STYLE.md, "HTML is escaped by construction"): <?raw e ?>
takes only a string literal or one call of a helper that the runtime header
marks tmplc:safe; any other expression is a build error, so no data reaches a
page unescaped. Text templates (mail) are not HTML-escaped and write in the
language they are given.
"""
import glob
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TMPLC = os.path.join(ROOT, 'scripts', 'tmplc.py')
PAGE_SIG = '? enum kk_result tmpl_{name}(struct kk_buf *o, struct kk_req *r, const struct kk_report *rep)\n'
TEXT_SIG = '? enum kk_result tmpl_{name}(struct kk_buf *o, enum kk_lang lang, const struct kk_report *r)\n'


class Tmplc(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='tmplc-test-')
        self.dir = self.tmp.name
        self.out = os.path.join(self.dir, 'out')
        os.mkdir(self.out)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, filename, text):
        path = os.path.join(self.dir, filename)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        return path

    def run_tmplc(self, *args):
        return subprocess.run([sys.executable, TMPLC, *args], capture_output=True, text=True)

    def page(self, body, name='page'):
        """Compiles one page whose lines after the signature are body; returns the process."""
        path = self.write(name + '.html', PAGE_SIG.format(name=name) + body)
        return self.run_tmplc(self.out, path)

    def generated(self, name):
        with open(os.path.join(self.out, f'tmpl_{name}.c'), encoding='utf-8') as f:
            return f.read()

    def assert_refused(self, proc, where, *words):
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn(where, proc.stderr)
        for w in words:
            self.assertIn(w, proc.stderr)

    # ---- <?raw ?> in pages

    def test_raw_of_data_is_refused_naming_file_and_line(self):
        p = self.page('<h1>Report</h1>\n<p><?raw r->summary ?></p>\n')
        self.assert_refused(p, 'page.html:3: ', '<?raw r->summary ?> is refused', 'tmpl_checked')
        self.assertFalse(os.path.exists(os.path.join(self.out, 'tmpl_page.c')), 'nothing written')

    def test_raw_of_a_string_literal_is_accepted(self):
        p = self.page('<p>a<?raw "<br>" ?>b<?raw "&nbsp;" "x" ?></p>\n')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('TMPL_TRY(tmpl_raw(o, "<br>"));', self.generated('page'))

    def test_raw_of_a_safe_helper_call_is_accepted(self):
        p = self.page('<input type="radio"<?raw tmpl_checked(v->form, "a", "b") ?>>\n'
                      '<option<?raw tmpl_selected_if(cur && !strcmp(cur, "x)")) ?>>\n')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('tmpl_raw(o, tmpl_checked(v->form, "a", "b"))', self.generated('page'))

    def test_raw_of_other_expressions_is_refused(self):
        refused = [
            'tmpl_field(v->form, "a")',                  # a helper not marked safe: returns data
            'r->summary ? r->summary : ""',              # a conditional
            'on ? " checked" : ""',                      # even of literals: use a safe helper
            'tmpl_checked(v->form, "a", "b") ? r->summary : ""',  # a safe call, then more
            'tmpl_checked(v->form, "a", "b"), r->summary',
            'tmpl_checked(v->form, "a", "b") /* ) */',
            'KK_ASSET_STYLE_CSS_VERSION',                # a macro: print it with <?= ?>
            '"a" + 1',
        ]
        for expr in refused:
            with self.subTest(expr=expr):
                p = self.page(f'<p><?raw {expr} ?></p>\n')
                self.assert_refused(p, 'page.html:2: ', '<?raw ')

    def test_helpers_are_marked_safe_in_the_runtime_header(self):
        rt = self.write('rt.h', '/* tmplc:safe is explained here, not a mark */\n#ifndef X\n'
                        '/* " on" or "". tmplc:safe */\nconst char *my_on(int on);\n'
                        'const char *my_data(void);\n')
        path = self.write('page.html', PAGE_SIG.format(name='page') + '<p<?raw my_on(1) ?>>\n')
        p = self.run_tmplc('--runtime', rt, self.out, path)
        self.assertEqual(p.returncode, 0, p.stderr)
        path = self.write('page.html', PAGE_SIG.format(name='page') + '<p><?raw my_data() ?></p>\n')
        self.assert_refused(self.run_tmplc('--runtime', rt, self.out, path), 'page.html:2: ', 'my_on')

    def test_a_safe_mark_without_a_declaration_is_an_error(self):
        rt = self.write('rt.h', '/* tmplc:safe */\n#define X 1\n')
        path = self.write('page.html', PAGE_SIG.format(name='page') + '<p></p>\n')
        self.assert_refused(self.run_tmplc('--runtime', rt, self.out, path), 'rt.h:1: ',
                            'not followed by a function declaration')

    # ---- text templates (mail)

    def test_text_templates_are_not_escaped_and_switch_the_language(self):
        path = self.write('mail_x.txt', TEXT_SIG.format(name='mail_x') +
                          '<?_f "[%s] Received", r->tracking_id ?>\n\n  <?= r->summary ?> & <?_ "Thanks" ?>\n')
        p = self.run_tmplc('--text', self.out, path)
        self.assertEqual(p.returncode, 0, p.stderr)
        c = self.generated('mail_x')
        self.assertIn('#include "mail_templates.h"', c)
        self.assertIn('kk_buf_addf(o, _("[%s] Received"), r->tracking_id)', c)
        self.assertIn('tmpl_text(o, r->summary)', c)
        self.assertIn('tmpl_text(o, _("Thanks"))', c)
        self.assertNotIn('tmpl_html', c)
        self.assertIn('"  "', c, 'a text line keeps its indentation')
        self.assertIn('kk_i18n_use(lang);', c)
        self.assertIn('kk_i18n_use(tmpl_saved_lang);', c.split('tmpl_out:')[1], 'restored on every exit')
        with open(os.path.join(self.out, 'mail_templates.h'), encoding='utf-8') as f:
            self.assertIn('#include "mail_rt.h"', f.read())

    def test_text_templates_refuse_raw_data_too(self):
        path = self.write('mail_x.txt', TEXT_SIG.format(name='mail_x') + 'ok\n<?raw r->summary ?>\n')
        self.assert_refused(self.run_tmplc('--text', self.out, path), 'mail_x.txt:3: ', 'is refused')

    def test_text_templates_take_the_language(self):
        path = self.write('mail_x.txt', '? enum kk_result tmpl_mail_x(struct kk_buf *o, const struct kk_report *r)\n')
        self.assert_refused(self.run_tmplc('--text', self.out, path), 'mail_x.txt:1: ', 'enum kk_lang lang')

    def test_formatted_translations_are_for_text_only(self):
        p = self.page('<p><?_f "Dear %s", r->user.name ?></p>\n')
        self.assert_refused(p, 'page.html:2: ', 'kk_req_printf')

    # ---- the repository's own templates

    def test_the_repository_templates_compile(self):
        pages = sorted(glob.glob(os.path.join(ROOT, 'templates', '*.html')))
        mail = sorted(glob.glob(os.path.join(ROOT, 'templates', 'mail', '*.txt')))
        self.assertTrue(pages and mail)
        p = self.run_tmplc(self.out, *pages)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.run_tmplc('--text', self.out, *mail)
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == '__main__':
    unittest.main(verbosity=2)
