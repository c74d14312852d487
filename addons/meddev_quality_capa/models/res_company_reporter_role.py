from odoo import fields, models

from .meddev_reporting_rule import REPORTER_ROLES


class ResCompany(models.Model):
    """The company's reporter role: which reporting rules its
    reportability decisions follow by default. Kept apart from the other
    quality options (res_company.py) while their settings guard moves to
    meddev_base; res.company is written by administrators only."""

    _inherit = 'res.company'

    meddev_reporter_role = fields.Selection(
        REPORTER_ROLES, string='Reporter Role', default='registrant',
        help="The company's role for adverse-event reporting: registrant "
             "(holder, manufacturer), distributor (经营企业), user facility "
             "(使用单位) or importer / authorised agent. New reportability "
             "decisions take this role, which selects the reporting rules; "
             "the decider may change it per jurisdiction.")
