import unittest

from jinja2.sandbox import SandboxedEnvironment

from odoo.addons.meddev_base.tools.template_text import refused_construct

# Odoo 11's mail template syntax (mail/models/mail_template.py).
MAKO = SandboxedEnvironment(
    block_start_string='<%', block_end_string='%>',
    variable_start_string='${', variable_end_string='}',
    comment_start_string='<%doc>', comment_end_string='</%doc>',
    line_statement_prefix='%', line_comment_prefix='##',
    trim_blocks=True, autoescape=True)


class TestTemplateText(unittest.TestCase):
    """The field-path subset of template text (no ORM)."""

    def test_values_pass(self):
        for text in (
                'Plain text, 100 % sure',
                'Dear ${object.partner_id.name|e},',
                "${ctx['lang']} ${object.email or 'none'}",
                "% if object.state == 'sale':\nDone\n% endif\n",
                '% for line in object.order_line:\n${line.name}\n'
                '% endfor\n',
                "${object.name|truncate(20)|upper}",
                '% for line in object.order_line:\n% for lot in line.lot_ids:'
                '\n${lot.name}\n% endfor\n% endfor\n'):
            self.assertIsNone(refused_construct(MAKO, text), text)

    def test_reaching_code_refused(self):
        for text, what in (
                ("${ctx.get('lang')}", 'call'),
                ("${(user|attr('write'))({})}", 'call'),
                ("${user|attr('name')}", '|attr'),
                ("${'{0.env}'.format}", 'format'),
                ('${object.__class__}', '__class__'),
                ('${object[object.name]}', '[...]'),
                ('% set x = object\n${x}', 'assign'),
                ("${object.name|join(attribute='x')}", '|join'),
                ("${'%s' % user}", 'mod'),
                ('${object is callable}', 'is callable'),
                ('${object.name', 'unreadable template text'),
                ("${'a'|replace('a', 'aaaaaaaaaa')}", '|replace'),
                ("% for c in 'abcdefgh':\n${c}\n% endfor\n", 'loop over const'),
                ('% for a in object.x:\n% for b in a.y:\n% for c in b.z:\n'
                 '${c}\n% endfor\n% endfor\n% endfor\n',
                 'loops nested deeper than 2'),
                ('x' * 20001, 'text longer than 20000 characters')):
            self.assertEqual(refused_construct(MAKO, text), what, text)
