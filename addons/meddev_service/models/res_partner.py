from odoo import api, fields, models


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
        sanitize=False)

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
