"""Mail templates rendered for anyone but a Settings administrator run in
a narrower sandbox.

Odoo 11 renders template text (``${...}``, ``% ...``) in jinja's sandbox,
which only refuses attributes starting with ``_``. Every employee may
write mail templates, and ``render_template`` of mail.template and of the
composer is public: any employee or portal user sent
``${object.sudo().env['meddev.complaint'].search([]).mapped('description')}``
over XML-RPC and read every company's complaints, or wrote with
``sudo().write``, or reached the operating system through a module
(``datetime.sys``). While such a render runs, the sandbox also refuses
the attributes that leave the caller's rights (``sudo``, ``env``, the
cursor, the registry) and any module; what a template reads as the user
(fields, related records, methods the user may call over RPC) is
unchanged."""
import threading
import types

from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError, UserError
from odoo.addons.mail.models import mail_template as core_template

# What leads from a record or the user to rights the caller does not
# have: the superuser, another environment, SQL, the registry.
OUT_OF_RIGHTS = frozenset((
    'sudo', 'env', 'with_env', 'suspend_security', 'pool', 'registry',
    'cr', 'cursor', 'sql_db', 'execute'))

# Whether the render running in this thread is narrowed, and which
# attribute it was refused (for the error message).
_render = threading.local()


def _narrow_sandbox(environment):
    """Make ``environment`` (one of Odoo's two jinja environments of
    mail templates) refuse OUT_OF_RIGHTS and modules while a narrowed
    render runs in this thread; the other renders see Odoo's check."""
    original = environment.is_safe_attribute
    if getattr(original, 'meddev_narrowed', False):
        return

    def is_safe_attribute(obj, attr, value):
        if getattr(_render, 'narrow', False) and (
                attr in OUT_OF_RIGHTS
                or isinstance(value, types.ModuleType)):
            _render.refused = attr
            return False
        return original(obj, attr, value)

    is_safe_attribute.meddev_narrowed = True
    environment.is_safe_attribute = is_safe_attribute


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
        outer = (getattr(_render, 'narrow', False),
                 getattr(_render, 'refused', None))
        _render.narrow, _render.refused = True, None
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
            _render.narrow, _render.refused = outer

    @api.model
    def _meddev_render_narrowed(self):
        """Whether templates render in the narrower sandbox for the
        current user."""
        return self.env.uid != SUPERUSER_ID and \
            not self.env.user.has_group('base.group_system')
