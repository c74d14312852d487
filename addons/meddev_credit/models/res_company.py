from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    credit_rating_window_days = fields.Integer(
        string='Rating Window (days)', default=365,
        help="Invoices dated within this many days feed the rating.")
    credit_full_risk_days = fields.Integer(
        string='Days Late at Full Risk', default=60,
        help="An average lateness of this many days counts as the highest "
             "risk of the days-late signal.")
    credit_hold_overdue_days = fields.Integer(
        string='Automatic Hold after (days overdue)', default=90,
        help="The rating job puts customers on hold when an invoice is "
             "overdue by more days (0 to disable).")
    credit_default_tolerance_days = fields.Integer(
        string='Overdue Tolerance of Unrated Customers (days)', default=30)
    credit_manager_id = fields.Many2one(
        'res.users', string='Credit Manager',
        help="Receives the activities of override requests and automatic "
             "holds (the first credit manager when empty).")

    def _credit_manager(self):
        """Return the user who handles this company's credit decisions."""
        self.ensure_one()
        if self.credit_manager_id:
            return self.credit_manager_id
        group = self.env.ref('meddev_credit.group_meddev_credit_manager')
        return group.users.filtered(
            lambda user: self in user.company_ids).sorted('id')[:1]
