from odoo import _, api, models

MANAGER = 'meddev_service.group_meddev_service_manager'
TEAM_MODEL = 'meddev.service.team'
TICKET_MODEL = 'meddev.service.ticket'


class MailAlias(models.Model):
    """Service aliases are changed by service managers only.

    Odoo 11 lets every employee create, write and delete any
    ``mail.alias`` (no record rule). On a service team's alias that would
    divert the customers' mails: a forced thread sends them into an
    existing ticket (another company's too), a new name, model or contact
    policy loses or bounces them, and no ticket or SLA clock opens.

    The guard is meddev_base's protected aliases: every model of this
    addon is registered here for the service managers: the ticket (aliases
    creating tickets), the team (a team's alias, as its parent or its
    ``alias_id``), and contracts, equipment, engineers... (an alias
    creating an active contract or a piece of equipment from any mail)."""

    _inherit = 'mail.alias'

    @api.model
    def _meddev_alias_manager_groups(self):
        groups = super(MailAlias, self)._meddev_alias_manager_groups()
        registry = self.env.registry
        for name in registry:
            if getattr(registry[name], '_original_module', None) == \
                    'meddev_service':
                groups.setdefault(name, MANAGER)
        groups.update({TICKET_MODEL: MANAGER, TEAM_MODEL: MANAGER})
        return groups

    @api.model
    def _meddev_alias_refusal(self, aliases, groups):
        if groups != self.env.ref(MANAGER):
            return super(MailAlias, self)._meddev_alias_refusal(
                aliases, groups)
        return _(
            "Only a service manager may create, change or delete the "
            "mail alias %(aliases)s: customers' mails to it open "
            "service tickets (user: %(user)s).") % {
                'aliases': ', '.join(aliases.mapped('display_name')),
                'user': self.env.user.name}
