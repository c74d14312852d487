from odoo import _, api, models
from odoo.exceptions import AccessError, MissingError, UserError


class MeddevServiceTicket(models.Model):
    """The ticket as the customer's portal sees it: its company's tickets,
    a new ticket, the report of a closed one."""

    _inherit = 'meddev.service.ticket'

    @api.model
    def _portal_tickets(self, offset=0, limit=None):
        """One page of the tickets the current portal user's company may
        see (the record rules say which), newest first; none for a user
        without access."""
        if not self.check_access_rights('read', raise_exception=False):
            return self.browse()
        return self.search([], offset=offset, limit=limit,
                           order='date_open desc, id desc')

    @api.model
    def _portal_tickets_count(self):
        if not self.check_access_rights('read', raise_exception=False):
            return 0
        return self.search_count([])

    @api.model
    def _portal_ticket(self, ticket_id):
        """Return the ticket if the current user may read it."""
        ticket = self.browse(ticket_id).exists()
        if not ticket:
            raise MissingError(_('This ticket does not exist.'))
        ticket.check_access_rights('read')
        ticket.check_access_rule('read')
        return ticket

    @api.model
    def _portal_report_pdf(self, ticket_id):
        """Return the service report PDF of a closed ticket the current
        user may read."""
        ticket = self._portal_ticket(ticket_id)
        if not ticket.is_closed or ticket.is_cancelled:
            raise AccessError(
                _('The service report of %(name)s is available once the '
                  'ticket is closed.') % {'name': ticket.name})
        # The customer reads its own report: products, lots and engineers
        # on it are not otherwise open to portal users.
        report = self.env.ref('meddev_service.action_report_service_ticket')
        pdf, _format = report.sudo().render_qweb_pdf(ticket.ids)
        return pdf

    @api.model
    def _team_for_partner(self, partner, company):
        """Return the team serving ``partner``'s province, else the
        company's first team."""
        teams = self.env['meddev.service.team'].sudo().search(
            [('company_id', '=', company.id)])
        serving = teams.filtered(
            lambda team: partner.state_id in team.state_ids)
        return (serving or teams)[:1]

    @api.model
    def _portal_check_may_create(self):
        """Only an internal user, or a portal user of a customer company,
        opens a ticket from the portal, and only for their own company."""
        user = self.env.user
        customer = user.partner_id.commercial_partner_id
        if user.has_group('base.group_user'):
            # An employee needs the right to open tickets at all.
            self.check_access_rights('create')
            return customer
        if user.has_group('base.group_portal') and customer.is_company \
                and customer.customer and customer.active:
            return customer
        raise AccessError(
            _('%(user)s may not open a service ticket: only the portal '
              'users of a customer company do, for their company.') % {
                'user': user.name})

    @api.model
    def _portal_channel_open(self):
        """Whether the current user's company opens tickets from the
        portal (Settings > Field Service)."""
        return self.env.user.company_id._service_channel_open('portal')

    @api.model
    def _portal_create(self, title, description, serial=''):
        """Open a ticket for the current portal user's company; a serial
        number is used only when it is that company's equipment."""
        user = self.env.user
        customer = self._portal_check_may_create()
        if not self._portal_channel_open():
            raise UserError(
                _('%(company)s does not open service tickets from the '
                  'portal: please call the service desk.') % {
                    'company': user.company_id.name})
        vals = {
            'title': title or _('(no subject)'),
            'description': description or '',
            'channel': 'portal',
            'partner_id': customer.id,
            'contact_id': user.partner_id.id,
            'company_id': user.company_id.id,
        }
        team = self._team_for_partner(customer, user.company_id)
        if team:
            vals['team_id'] = team.id
        if serial:
            equipment = self.env['meddev.service.equipment'].sudo().search([
                ('lot_id.name', '=', serial.strip()),
                ('partner_id', '=', customer.id)], limit=1)
            if equipment:
                vals['equipment_id'] = equipment.id
        # Portal users read tickets only; opening one is this method's
        # job, for their own company (checked above).
        ticket = self._as_server().create(vals)
        ticket.message_subscribe(partner_ids=user.partner_id.ids)
        return ticket.with_env(self.env)
