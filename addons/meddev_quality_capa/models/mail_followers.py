from odoo import _, api, models
from odoo.exceptions import ValidationError

from .mail_message import GROUP_QUALITY_USER, QUALITY_SUBTYPE


class MailFollowers(models.Model):
    """Only the quality groups follow the quality handling of complaints:
    the subtype is hidden from the follower widget, but a service user
    could still subscribe to it by RPC (message_subscribe, or creating or
    editing their follower row) and receive the notes by e-mail."""

    _inherit = 'mail.followers'

    @api.model
    def _meddev_quality_partners(self):
        """Return the partners of the internal users of the quality groups
        (the managers and regulatory affairs imply the quality user)."""
        group = self.env.ref(GROUP_QUALITY_USER).sudo()
        return group.users.filtered(lambda user: not user.share).mapped(
            'partner_id')

    @api.multi
    def _meddev_quality_outsiders(self):
        """Return the followers among these that hold the quality subtype
        without being a quality user's partner (channels included: anyone
        may be a member of a channel)."""
        subtype = self.env.ref(QUALITY_SUBTYPE, raise_if_not_found=False)
        holding = subtype and self.sudo().filtered(
            lambda follower: subtype in follower.subtype_ids)
        if not holding:
            return self.browse()
        partners = self._meddev_quality_partners()
        return holding.filtered(
            lambda follower: follower.channel_id
            or follower.partner_id not in partners)

    # Constraints run on create and write, whoever writes: message_subscribe
    # writes the followers as the superuser.
    @api.constrains('subtype_ids', 'partner_id', 'channel_id')
    def _check_meddev_quality_subtype(self):
        outsiders = self._meddev_quality_outsiders()
        if outsiders:
            raise ValidationError(
                _('%(names)s may not follow the quality handling of '
                  'complaints: only the quality groups receive it.') % {
                    'names': ', '.join(
                        outsiders.mapped('partner_id.display_name')
                        + outsiders.mapped('channel_id.display_name'))})
