from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

MANAGER = 'meddev_service.group_meddev_service_manager'
TEAM_MODEL = 'meddev.service.team'
TICKET_MODEL = 'meddev.service.ticket'


class MailAlias(models.Model):
    """Service aliases are changed by service managers only.

    Odoo 11 lets every employee create, write and delete any
    ``mail.alias`` (no record rule). On a service team's alias that would
    divert the customers' mails: a forced thread sends them into an
    existing ticket (another company's too), a new name, model or contact
    policy loses or bounces them, and no ticket or SLA clock opens."""

    _inherit = 'mail.alias'

    @api.model
    def create(self, vals):
        alias = super(MailAlias, self).create(vals)
        # Checked on the result: the model also comes from the context
        # (``alias_model_name``) or a default.
        alias._check_service_alias_change()
        return alias

    @api.multi
    def write(self, vals):
        self._check_service_alias_change()
        result = super(MailAlias, self).write(vals)
        # An alias the user turned into a service one is refused too.
        self._check_service_alias_change()
        return result

    @api.multi
    def unlink(self):
        self._check_service_alias_change()
        return super(MailAlias, self).unlink()

    def _may_change_service_alias(self):
        """Whether the current user may change the service aliases: the
        superuser (install, module code under sudo) or a service
        manager."""
        return self.env.uid == SUPERUSER_ID or \
            self.env.user.has_group(MANAGER)

    def _service_aliases(self):
        """The aliases among these that route mail to service tickets:
        a service team's alias (as its parent or its ``alias_id``), or
        any alias creating tickets."""
        aliases = self.sudo().exists()
        if not aliases:
            return aliases
        models_ = self.env['ir.model'].sudo()
        ticket_model = models_._get(TICKET_MODEL)
        team_model = models_._get(TEAM_MODEL)
        teams = self.env[TEAM_MODEL].sudo().with_context(
            active_test=False).search([('alias_id', 'in', aliases.ids)])
        return aliases.filtered(
            lambda alias: alias.alias_model_id == ticket_model
            or alias.alias_parent_model_id == team_model
            or alias in teams.mapped('alias_id'))

    def _check_service_alias_change(self):
        """Refuse to create, change or delete a service alias unless the
        user is a service manager or the superuser."""
        if not self or self._may_change_service_alias():
            return
        refused = self._service_aliases()
        if refused:
            raise AccessError(_(
                "Only a service manager may create, change or delete the "
                "mail alias %(aliases)s: customers' mails to it open "
                "service tickets (user: %(user)s).") % {
                    'aliases': ', '.join(refused.mapped('display_name')),
                    'user': self.env.user.name})
