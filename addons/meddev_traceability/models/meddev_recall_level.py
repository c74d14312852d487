from odoo import api, fields, models


class MeddevRecallLevel(models.Model):
    """A recall class of one jurisdiction and its notification deadline.

    China's regulation knows three classes (一级 / 二级 / 三级) with notices
    due 1, 3 and 7 days after the decision; other jurisdictions add their
    own rows, so deadlines are configuration, not code.
    """

    _name = 'meddev.recall.level'
    _description = 'Recall Level'
    _order = 'country_id, sequence, id'

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used in reports, e.g. CN-1.")
    sequence = fields.Integer(default=10)
    country_id = fields.Many2one(
        'res.country', string='Jurisdiction',
        help="Country whose regulation defines this level.")
    notice_days = fields.Integer(
        string='Notice Deadline (days)', required=True, default=7,
        help="Days after the recall decision within which every customer "
             "must have been notified.")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ('notice_days_positive', 'CHECK (notice_days >= 0)',
         'The notice deadline of a recall level cannot be negative.'),
    ]

    @api.multi
    def write(self, vals):
        result = super(MeddevRecallLevel, self).write(vals)
        if 'notice_days' in vals:
            self._recompute_draft_deadlines()
        return result

    def _recompute_draft_deadlines(self):
        """Recompute the notice deadline of the draft recalls at these
        levels: a draft follows its level's days, a launched recall keeps
        the deadline its customers were given (meddev.recall's compute
        does not depend on the days)."""
        # sudo: every company's drafts follow the level, whoever edits it
        # (the recompute reveals nothing to the caller).
        drafts = self.env['meddev.recall'].sudo().search([
            ('recall_level_id', 'in', self.ids), ('state', '=', 'draft')])
        if drafts:
            drafts.modified(['recall_level_id'])
            drafts.recompute()
