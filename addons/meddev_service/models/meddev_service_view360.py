from odoo import _, api, models
from odoo.tools import html_escape


class MeddevServiceView360(models.AbstractModel):
    """Builds the sections of the 360° view of a ticket or a customer:
    each is a label, a count and the window action that lists it."""

    _name = 'meddev.service.view360'
    _description = 'Service 360 View'

    @api.model
    def _action(self, name, model, domain, context=None):
        return {
            'type': 'ir.actions.act_window',
            'name': name,
            'res_model': model,
            'view_mode': 'tree,form',
            'views': [(False, 'list'), (False, 'form')],
            'domain': domain,
            'context': context or {},
        }

    @api.model
    def _section(self, name, model, domain, context=None):
        count = self.env[model].search_count(domain) \
            if self.env[model].check_access_rights(
                'read', raise_exception=False) else 0
        return {'name': name, 'count': count,
                'action': self._action(name, model, domain, context)}

    @api.model
    def _partner_sections(self, partner, company=None):
        """Sections of a customer: devices bought, installed equipment,
        tickets, contracts, and its credit standing and qualification in
        ``company`` (the ticket's; default: the user's current company)."""
        commercial = partner.commercial_partner_id
        company = company or self.env.user.company_id
        family = [('partner_id', 'child_of', commercial.id)]
        sections = [
            self._section(
                _('Devices Bought'), 'sale.order.line',
                [('order_partner_id', 'child_of', commercial.id),
                 ('state', 'in', ('sale', 'done'))]),
            self._section(
                _('Installed Equipment'), 'meddev.service.equipment',
                family),
            self._section(_('Service Tickets'), 'meddev.service.ticket',
                          family),
            self._section(
                _('Active Contracts'), 'meddev.service.contract',
                family + [('state', '=', 'active')]),
        ]
        sections.extend(self._credit_sections(commercial, company))
        if 'qualification_state' in commercial._fields:
            # Read as the user, in the company: the figures count that
            # company's licences (qualification ignores a company the user
            # does not work in). Under sudo they would be those of the
            # superuser's company.
            state = commercial.with_context(
                force_company=company.id).qualification_state
            label = dict(commercial._fields['qualification_state']
                         ._description_selection(self.env)).get(state)
            sections.append({
                'name': _('Qualification: %(state)s') % {
                    'state': label or '-'},
                'count': 0, 'action': False})
        return sections

    @api.model
    def _may_see_credit_hold(self):
        """The hold is shown to whoever reads credit data and to the
        dispatchers, who must not send billable work to a held customer
        unapproved; the rating only to those who read credit data."""
        return self.env['res.partner']._credit_may_read() or \
            self.env.user.has_group(
                'meddev_service.group_meddev_service_dispatcher')

    @api.model
    def _credit_sections(self, commercial, company):
        """The credit row of a customer in ``company`` (whose hold and
        rating those are), as far as the user may see it."""
        may_read = self.env['res.partner']._credit_may_read()
        if not may_read and not self._may_see_credit_hold():
            return []
        # Read through sudo: the fields are restricted to credit groups,
        # and what shows was just checked above. The company is forced:
        # under sudo the credit data would be the superuser's company's.
        credit = commercial.with_context(force_company=company.id).sudo()
        hold = credit.credit_hold and (
            _('on hold: %s') % (credit.credit_hold_reason or '-')) or \
            _('no hold')
        if may_read:
            rating = dict(credit._fields['credit_rating']
                          ._description_selection(self.env)).get(
                credit.credit_rating) or _('not rated')
            name = _('Credit rating %(rating)s, %(hold)s') % {
                'rating': rating, 'hold': hold}
        else:
            name = _('Credit: %(hold)s') % {'hold': hold}
        return [{'name': name, 'count': 1 if credit.credit_hold else 0,
                 'action': False}]

    @api.model
    def _ticket_sections(self, ticket):
        """Sections of a ticket: its serial's previous tickets, then its
        customer's sections, then warranty and contract."""
        sections = []
        if ticket.lot_id:
            sections.append(self._section(
                _('Previous Tickets on %(serial)s') % {
                    'serial': ticket.lot_id.name},
                'meddev.service.ticket',
                [('lot_id', '=', ticket.lot_id.id),
                 ('id', '!=', ticket.id)]))
            sections.append(self._section(
                _('Open Recalls on %(serial)s') % {
                    'serial': ticket.lot_id.name},
                'meddev.recall', [('reached_lot_ids', 'in', ticket.lot_id.ids),
                                  ('state', '=', 'open')]))
        if ticket.partner_id:
            sections.extend(self._partner_sections(
                ticket.partner_id, ticket.company_id))
        equipment = ticket.equipment_id
        if equipment:
            sections.append({
                'name': _('Warranty until %(date)s') % {
                    'date': equipment.warranty_end or '-'},
                'count': 1 if ticket.coverage == 'warranty' else 0,
                'action': False})
        return sections

    @api.model
    def _render_sections(self, sections):
        """Return the sections as an escaped HTML table."""
        rows = ''.join(
            '<tr><td>%s</td><td class="text-right">%s</td></tr>' % (
                html_escape(section['name']),
                html_escape(str(section['count'])))
            for section in sections)
        return '<table class="table table-condensed o_meddev_360">' \
               '%s</table>' % rows
