from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .meddev_capa import ROOT_CAUSE_CATEGORIES, ROOT_CAUSE_METHODS


class MeddevComplaintInvestigation(models.Model):
    """The investigation of a complaint: findings, the root cause and its
    method, the lots suspected (traced with the traceability module), and
    the other complaints and tickets on the same lots or fault codes."""

    _name = 'meddev.complaint.investigation'
    _description = 'Complaint Investigation'
    _inherit = ['meddev.quality.context.mixin',
                'meddev.regulated.mixin', 'mail.thread',
                'mail.activity.mixin', 'meddev.guarded.mixin']
    _order = 'id desc'
    _meddev_guarded_fields = ('state', 'company_id', 'product_id',
                              'concluded_date')
    # What a concluded investigation found stays as concluded.
    _meddev_concluded_fields = (
        'name', 'complaint_id', 'findings', 'root_cause_method',
        'root_cause_category', 'why_analysis', 'root_cause',
        'suspected_lot_ids', 'user_id')

    name = fields.Char(required=True)
    complaint_id = fields.Many2one(
        'meddev.complaint', required=True, index=True, ondelete='restrict')
    product_id = fields.Many2one(
        related='complaint_id.product_id', readonly=True, store=True)
    findings = fields.Text(track_visibility='onchange')
    root_cause_method = fields.Selection(ROOT_CAUSE_METHODS)
    root_cause_category = fields.Selection(ROOT_CAUSE_CATEGORIES)
    why_analysis = fields.Text(
        string='5 Whys', help="One why per line, down to the root cause.")
    root_cause = fields.Text(track_visibility='onchange')
    suspected_lot_ids = fields.Many2many(
        'stock.production.lot', 'meddev_investigation_lot_rel',
        'investigation_id', 'lot_id', string='Suspected Lots')
    related_complaint_ids = fields.Many2many(
        'meddev.complaint', compute='_compute_related',
        string='Complaints on the Same Lots or Faults')
    related_ticket_ids = fields.Many2many(
        'meddev.service.ticket', compute='_compute_related',
        string='Tickets on the Same Lots or Faults')
    state = fields.Selection([
        ('open', 'Open'),
        ('done', 'Concluded'),
    ], default='open', required=True, readonly=True, copy=False,
        track_visibility='onchange')
    concluded_date = fields.Datetime(
        string='Concluded On', readonly=True, copy=False,
        help="When the investigation was concluded (stamped by the "
             "server); it was opened on its creation date.")
    user_id = fields.Many2one(
        'res.users', string='Investigator', ondelete='restrict',
        default=lambda self: self.env.user)
    company_id = fields.Many2one(
        related='complaint_id.company_id', store=True, readonly=True)

    @api.depends('suspected_lot_ids', 'complaint_id.lot_id',
                 'complaint_id.fault_code_ids')
    def _compute_related(self):
        complaints = self.env['meddev.complaint']
        for investigation in self:
            complaint = investigation.complaint_id
            lots = investigation.suspected_lot_ids | complaint.lot_id
            domain = [('lot_id', 'in', lots.ids)]
            if complaint.fault_code_ids:
                domain = ['|', ('fault_code_ids', 'in',
                                complaint.fault_code_ids.ids)] + domain
            investigation.related_complaint_ids = complaints.search(
                [('id', '!=', complaint.id)] + domain, limit=200)
            investigation.related_ticket_ids = self.env[
                'meddev.service.ticket'].search(
                [('id', '!=', complaint.ticket_id.id)] + domain, limit=200)

    @api.model
    def create(self, vals):
        self = self._meddev_check_guarded(vals, create=True)
        return super(MeddevComplaintInvestigation, self).create(vals)

    @api.multi
    def write(self, vals):
        self._meddev_check_guarded(vals)
        if not self._meddev_is_server():
            if 'complaint_id' in vals and any(
                    investigation.complaint_id.id != vals['complaint_id']
                    for investigation in self):
                raise UserError(
                    _('%(names)s: an investigation stays on its complaint.')
                    % {'names': ', '.join(self.mapped('name'))})
            concluded = self.filtered(lambda inv: inv.state == 'done')
            if concluded and set(vals) & set(self._meddev_concluded_fields):
                raise UserError(
                    _('%(names)s is concluded: its findings no longer change; '
                      'open a new investigation.') % {
                        'names': ', '.join(concluded.mapped('name'))})
        return super(MeddevComplaintInvestigation, self).write(vals)

    @api.multi
    def action_conclude(self):
        """Conclude the investigation: findings and root cause written."""
        for investigation in self:
            if not investigation.findings or not investigation.root_cause:
                raise UserError(
                    _('%(name)s: write the findings and the root cause '
                      'before concluding.') % {'name': investigation.name})
        self._meddev_as_server().write({
            'state': 'done', 'concluded_date': fields.Datetime.now()})
        for investigation in self:
            investigation.complaint_id._post_quality_note(_(
                'Investigation %(name)s concluded: %(root_cause)s') % {
                    'name': investigation.name,
                    'root_cause': investigation.root_cause})
        return True
