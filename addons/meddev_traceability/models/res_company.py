from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The company's traceability options, shown in Settings > Traceability
# (related fields of res.config.settings): only recall managers and
# administrators change them, on every path (Settings, company, RPC).
SETTING_FIELDS = (
    'recall_contact_category_id', 'recall_quarantine_location_id',
    'recall_overdue_grace_days', 'recall_notice_channel',
    'recall_auto_quarantine',
)
MANAGER_GROUP = 'meddev_traceability.group_meddev_traceability_manager'
DEFAULT_NOTICE_CHANNEL = 'root.recall'


class ResCompany(models.Model):
    """The company's traceability options (Settings > Traceability)."""

    _inherit = 'res.company'

    recall_contact_category_id = fields.Many2one(
        'res.partner.category', string='Recall Contact Tag',
        default=lambda self: self.env.ref(
            'meddev_traceability.partner_category_recall_contact',
            raise_if_not_found=False),
        help="Recall notices go to the customer's contacts carrying this "
             "tag (its quality or recall officer); to the customer itself "
             "when none does.")
    recall_quarantine_location_id = fields.Many2one(
        'stock.location', string='Recall Quarantine Location',
        domain=[('recall_quarantine', '=', True)],
        help="Where returns of recalled lots are received. Empty: the "
             "first location marked Recall Quarantine of the company (or "
             "shared by all companies).")
    recall_overdue_grace_days = fields.Integer(
        string='Overdue Grace (days)', default=0,
        help="Days after a recall level's notice deadline before an "
             "unsent notice counts as overdue and the recall's "
             "responsible gets an activity (0: the day after the "
             "deadline).")
    recall_notice_channel = fields.Char(
        string='Notice Job Channel', default=DEFAULT_NOTICE_CHANNEL,
        help="The queue_job channel that sends this company's recall "
             "notices (give it a capacity in the [queue_job] channels of "
             "the server configuration).")
    recall_auto_quarantine = fields.Boolean(
        string='Quarantine at Launch', default=True,
        help="Launching a recall quarantines the affected lots at once "
             "(no reservation, delivery or consumption). Off: a recall "
             "manager quarantines them with the recall's Quarantine "
             "button.")

    @api.constrains('recall_overdue_grace_days')
    def _check_recall_overdue_grace_days(self):
        for company in self:
            if company.recall_overdue_grace_days < 0:
                raise ValidationError(
                    _('The overdue grace of recall notices of %(company)s '
                      'cannot be negative.') % {'company': company.name})

    @api.constrains('recall_notice_channel')
    def _check_recall_notice_channel(self):
        for company in self:
            channel = company.recall_notice_channel or ''
            if channel != 'root' and not channel.startswith('root.'):
                raise ValidationError(
                    _('The notice job channel "%(channel)s" of %(company)s '
                      'must be root or start with "root." (e.g. '
                      'root.recall).') % {
                        'channel': channel, 'company': company.name})

    @api.constrains('recall_quarantine_location_id')
    def _check_recall_quarantine_location_id(self):
        for company in self:
            # The location may be one of another company the user cannot
            # read: its mark and company are checked (and named) anyway.
            location = company.sudo().recall_quarantine_location_id
            if location and not location.recall_quarantine:
                raise ValidationError(
                    _('%(location)s is not marked Recall Quarantine: it '
                      'cannot hold the recalled units of %(company)s.') % {
                        'location': location.display_name,
                        'company': company.name})
            if location.company_id and location.company_id != company:
                raise ValidationError(
                    _('%(location)s belongs to %(other)s: it cannot be the '
                      'recall quarantine location of %(company)s.') % {
                        'location': location.display_name,
                        'other': location.company_id.name,
                        'company': company.name})

    @api.model
    def _meddev_guarded_settings(self):
        """The traceability options: recall managers (and administrators)
        only."""
        guarded = super(ResCompany, self)._meddev_guarded_settings()
        guarded.update(dict.fromkeys(SETTING_FIELDS, MANAGER_GROUP))
        return guarded

    def _recall_notice_channel(self):
        """Return the queue_job channel of this company's recall notices."""
        self.ensure_one()
        return self.recall_notice_channel or DEFAULT_NOTICE_CHANNEL
