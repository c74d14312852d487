from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MeddevFaultCode(models.Model):
    """A symptom, cause or remedy code, in a hierarchy, for failure
    analysis of service tickets."""

    _name = 'meddev.fault.code'
    _description = 'Fault Code'
    _parent_store = True
    _parent_order = 'code'
    _order = 'parent_left'
    _rec_name = 'complete_name'

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(
        compute='_compute_complete_name', store=True)
    kind = fields.Selection([
        ('symptom', 'Symptom'),
        ('cause', 'Cause'),
        ('remedy', 'Remedy'),
    ], required=True, default='symptom', index=True)
    parent_id = fields.Many2one(
        'meddev.fault.code', string='Parent Code', index=True,
        ondelete='restrict')
    child_ids = fields.One2many(
        'meddev.fault.code', 'parent_id', string='Sub-codes')
    parent_left = fields.Integer(index=True)
    parent_right = fields.Integer(index=True)
    product_categ_ids = fields.Many2many(
        'product.category', 'meddev_fault_code_categ_rel', 'code_id',
        'categ_id', string='Product Categories',
        help="Devices this code applies to; empty: all.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        'res.company', string='Company', index=True,
        help="Empty: shared by all companies.")

    _sql_constraints = [
        ('code_uniq', 'unique(code, company_id)',
         'A fault code must be unique per company.'),
    ]

    @api.depends('code', 'name', 'parent_id.complete_name')
    def _compute_complete_name(self):
        for fault in self:
            label = '[%s] %s' % (fault.code, fault.name)
            if fault.parent_id:
                label = '%s / %s' % (fault.parent_id.complete_name, label)
            fault.complete_name = label

    @api.constrains('parent_id')
    def _check_hierarchy(self):
        if not self._check_recursion():
            raise ValidationError(
                _('The fault code %(code)s cannot be its own parent.') % {
                    'code': self[:1].code})
