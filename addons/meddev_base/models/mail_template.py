"""Mail templates rendered for anyone but a Settings administrator run in
a narrower sandbox.

Odoo 11 renders template text (``${...}``, ``% ...``) in jinja's sandbox,
which only refuses attributes starting with ``_``. Every employee may
write mail templates, and ``render_template`` of mail.template and of the
composer is public: any employee or portal user sent
``${object.sudo().env['meddev.complaint'].search([]).mapped('description')}``
over XML-RPC and read every company's complaints, or wrote with
``sudo().write``, or reached the operating system through a module
(``datetime.sys``). While such a render runs, every record a template
touches is read and called as the caller (core hands templates ``user``
as a record of the superuser's environment: ``${user.write(...)}`` ran
as the superuser), and the sandbox refuses the attributes that leave the
caller's rights (``env``, the cursor, the registry) and any module; what
a template reads as the user (fields, related records, methods the user
may call over RPC) is unchanged.

Templates themselves are written by Settings administrators only: the
notification layout and the gateway's acknowledgements render as the
superuser, in the full sandbox, so a template (or a translation of its
text) an employee wrote ran as the superuser at the next notification."""
import threading
import types

from odoo import SUPERUSER_ID, _, api, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.models import BaseModel
from odoo.osv import expression

from ..tools.template_text import refused_construct
from odoo.addons.mail.models import mail_template as core_template

# The fields of a saved template that Odoo renders.
TEMPLATE_FIELDS = ('subject', 'body_html', 'email_from', 'email_to',
                   'partner_to', 'email_cc', 'reply_to', 'report_name',
                   'lang', 'scheduled_date')
# What leads from a record or the user to rights the caller does not
# have: the superuser, another environment, SQL, the registry.
OUT_OF_RIGHTS = frozenset((
    'sudo', 'env', 'with_env', 'suspend_security', 'pool', 'registry',
    'cr', 'cursor', 'sql_db', 'execute'))

# Whether the render running in this thread is narrowed, and which
# attribute it was refused (for the error message).
_render = threading.local()


def _as_caller(obj):
    """Return ``obj``, a record of another user's environment (the
    superuser's ``user``, what ``sudo()`` gave) rebound to the caller's,
    while a narrowed render runs; anything else unchanged."""
    if getattr(_render, 'narrow', False) and isinstance(obj, BaseModel) \
            and obj.env.uid != _render.uid:
        return obj.sudo(_render.uid)
    return obj


def _narrow_sandbox(environment):
    """Make ``environment`` (one of Odoo's two jinja environments of
    mail templates), while a narrowed render runs in this thread, read
    every record as the caller and refuse OUT_OF_RIGHTS and modules; the
    other renders see Odoo's sandbox."""
    original = environment.is_safe_attribute
    if getattr(original, 'meddev_narrowed', False):
        return
    getattr_, getitem_ = environment.getattr, environment.getitem

    def is_safe_attribute(obj, attr, value):
        if getattr(_render, 'narrow', False) and (
                attr in OUT_OF_RIGHTS
                or isinstance(value, types.ModuleType)):
            _render.refused = attr
            return False
        return original(obj, attr, value)

    is_safe_attribute.meddev_narrowed = True
    environment.is_safe_attribute = is_safe_attribute
    # obj.name, obj['name'], |attr, |map(attribute=...): all go here.
    environment.getattr = lambda obj, attribute: getattr_(
        _as_caller(obj), attribute)
    environment.getitem = lambda obj, argument: getitem_(
        _as_caller(obj), argument)


for _environment in (core_template.mako_template_env,
                     core_template.mako_safe_template_env):
    _narrow_sandbox(_environment)


class MailTemplate(models.Model):

    _inherit = 'mail.template'

    @api.model
    def render_template(self, template_txt, model, res_ids,
                        post_process=False):
        """Render as Odoo does; for anyone but the superuser and Settings
        administrators, in the narrower sandbox (see the module's
        docstring): a template that uses what it refuses fails with a
        clear AccessError."""
        if not self._meddev_render_narrowed():
            return super(MailTemplate, self).render_template(
                template_txt, model, res_ids, post_process=post_process)
        if template_txt and not isinstance(template_txt, str):
            # Odoo renders ustr() of whatever came (bytes, an XML-RPC
            # Binary, a list): check and render that same text.
            template_txt = tools.ustr(template_txt)
        self._meddev_check_template_text(template_txt)
        outer = (getattr(_render, 'narrow', False),
                 getattr(_render, 'refused', None),
                 getattr(_render, 'uid', None))
        _render.narrow, _render.refused, _render.uid = True, None, \
            self.env.uid
        try:
            return super(MailTemplate, self).render_template(
                template_txt, model, res_ids, post_process=post_process)
        except UserError:
            if _render.refused:
                raise AccessError(_(
                    'This template uses "%s", which leads outside your '
                    'access rights: only a Settings administrator renders '
                    'such a template.') % _render.refused)
            raise
        finally:
            _render.narrow, _render.refused, _render.uid = outer

    @api.model
    def _meddev_check_template_text(self, text):
        """Refuse text that is not a saved template's (those are the
        administrators') unless it only shows values (see
        ``tools.template_text``): jinja's sandbox lets text an RPC caller
        chooses reach the superuser and Python's internals."""
        if not text or not isinstance(text, str) or \
                self._meddev_saved_template_text(text):
            return
        refused = refused_construct(
            core_template.mako_template_env, text)
        if refused:
            raise AccessError(_(
                'Template text you write may only show values, such as '
                '${object.name}; "%s" leads outside your access rights: '
                'only a Settings administrator renders it, or saves it '
                'as a template.') % refused)

    @api.model
    def _meddev_saved_template_text(self, text):
        """Whether ``text`` is a field of a saved template, or its
        translation (the composer renders the template's text it
        copied)."""
        domain = expression.OR([[(name, '=', text)]
                                for name in TEMPLATE_FIELDS
                                if name in self._fields])
        templates = self.sudo().with_context(active_test=False, lang=None)
        if templates.search_count(domain):
            return True
        return bool(self.env['ir.translation'].sudo().search_count([
            ('type', '=', 'model'), ('name', '=like', 'mail.template,%'),
            ('value', '=', text)]))

    @api.model
    def check_access_rights(self, operation, raise_exception=True):
        """Templates are created, changed, translated (ir.translation asks
        this) and deleted by Settings administrators only (see the
        module's docstring); reading them stays Odoo's."""
        if operation != 'read' and self._meddev_render_narrowed():
            if raise_exception:
                raise AccessError(_(
                    'Only a Settings administrator creates, changes or '
                    'translates mail templates: their expressions run '
                    'when mails are sent, often as the superuser.'))
            return False
        return super(MailTemplate, self).check_access_rights(
            operation, raise_exception=raise_exception)

    @api.model
    def _meddev_render_narrowed(self):
        """Whether templates render in the narrower sandbox for the
        current user."""
        return self.env.uid != SUPERUSER_ID and \
            not self.env.user.has_group('base.group_system')
