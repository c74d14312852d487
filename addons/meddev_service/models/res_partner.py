from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = 'res.partner'

    service_equipment_ids = fields.One2many(
        'meddev.service.equipment', 'partner_id',
        string='Installed Equipment')
    service_ticket_count = fields.Integer(
        compute='_compute_service_counts')
    service_equipment_count = fields.Integer(
        compute='_compute_service_counts')
    service_360_html = fields.Html(
        string='Service 360°', compute='_compute_service_360_html',
        sanitize=False, groups='meddev_service.group_meddev_service_user')

    def _compute_service_counts(self):
        tickets = self.env['meddev.service.ticket']
        equipments = self.env['meddev.service.equipment']
        readable = tickets.check_access_rights('read', raise_exception=False)
        for partner in self:
            commercial = partner.commercial_partner_id
            if not readable or not partner.id:
                partner.service_ticket_count = 0
                partner.service_equipment_count = 0
                continue
            partner.service_ticket_count = tickets.search_count(
                [('partner_id', '=', commercial.id)])
            partner.service_equipment_count = equipments.search_count(
                [('partner_id', '=', commercial.id)])

    def _compute_service_360_html(self):
        view = self.env['meddev.service.view360']
        for partner in self:
            partner.service_360_html = view._render_sections(
                partner._service_360_sections()) if partner.id else False

    @api.multi
    def _service_360_sections(self):
        """Hook: the 360° view of this customer as a list of dicts (name,
        count, action). Other modules append their sections."""
        self.ensure_one()
        return self.env['meddev.service.view360']._partner_sections(self)

    @api.multi
    def unlink(self):
        """Refuse to delete the customer, contact or site of a service
        ticket or of installed equipment: the ticket is a kept record and
        would lose them untracked. The foreign keys (ondelete='restrict')
        refuse it too, with a database error that names no ticket; archive
        the partner instead. (Merging partners moves the records first.)"""
        found = self._meddev_kept_records_naming("""
            SELECT p.id, t.name
              FROM meddev_service_ticket t
              JOIN res_partner p ON p.id IN (t.partner_id, t.contact_id,
                                             t.site_id)
             WHERE p.id = ANY(%(ids)s)
             UNION ALL
            SELECT p.id, l.name
              FROM meddev_service_equipment e
              JOIN stock_production_lot l ON l.id = e.lot_id
              JOIN res_partner p ON p.id IN (e.partner_id, e.site_id)
             WHERE p.id = ANY(%(ids)s)
             ORDER BY 2
        """)
        if found:
            raise UserError(
                _('%(partner)s cannot be deleted: the service tickets or '
                  'installed equipment %(records)s record it as their '
                  'customer, contact or site. Archive it '
                  'instead.') % {'partner': found[0], 'records': found[1]})
        return super(ResPartner, self).unlink()

    @api.multi
    def action_view_service_tickets(self):
        """Open the service tickets of this customer."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_service.meddev_service_ticket_action').read()[0]
        action['domain'] = [
            ('partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {
            'default_partner_id': self.commercial_partner_id.id}
        return action

    @api.multi
    def action_view_service_equipment(self):
        """Open the installed equipment of this customer."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_service.meddev_service_equipment_action').read()[0]
        action['domain'] = [
            ('partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {
            'default_partner_id': self.commercial_partner_id.id}
        return action

    @api.model
    def _credit_rating_signals(self):
        """Add the service signal: billed service work the customer
        refused (service quotations cancelled)."""
        signals = super(ResPartner, self)._credit_rating_signals()
        signals.append({
            'code': 'service_refusals',
            'name': _('Refused service bills'),
            'compute': self._credit_signal_service_refusals,
        })
        return signals

    def _credit_signal_service_refusals(self, partner_ids, company,
                                        date_from, today):
        """Return {partner id: share of the amount of service orders from
        tickets closed in the window that the customer refused}."""
        self.env.cr.execute("""
            SELECT t.partner_id,
                   COALESCE(SUM(so.amount_total) FILTER (
                       WHERE so.state = 'cancel'), 0),
                   SUM(so.amount_total)
              FROM meddev_service_ticket t
              JOIN sale_order so ON so.id = t.sale_order_id
             WHERE t.partner_id = ANY(%(ids)s)
               AND t.company_id = %(company)s
               AND t.close_date::date BETWEEN %(date_from)s AND %(today)s
             GROUP BY t.partner_id
        """, {'ids': list(partner_ids), 'company': company.id,
              'date_from': date_from, 'today': today})
        return {partner_id: float(refused) / float(total)
                for partner_id, refused, total in self.env.cr.fetchall()
                if total}
