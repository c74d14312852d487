from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

from ..tools.settings_change import setting_changed

SYSTEM_GROUP = 'base.group_system'


class ResCompany(models.Model):
    """Company options that only a group changes (the apps' Settings).

    An app lists its company options with the group that may change them in
    ``_meddev_guarded_settings`` (super() plus its own); every path
    (Settings, the company form, XML-RPC, a new company) is then checked
    here: a value that changes an option needs that group, an
    administrator (Settings) or the superuser. Saving Settings writes every
    option it shows, so unchanged values pass."""

    _inherit = 'res.company'

    @api.model
    def _meddev_guarded_settings(self):
        """Return {field name: group xml id}: the company options and the
        group whose members (besides administrators) may change each."""
        return {}

    @api.model
    def create(self, vals):
        """A new company given guarded options apart from their defaults
        is a change of those options: checked like a write."""
        guarded = self._meddev_guarded_settings()
        asked = [name for name in guarded if name in vals]
        if asked:
            defaults = self.default_get(asked)
            changed = [name for name in asked if setting_changed(
                self._fields[name].type, defaults.get(name), vals[name])]
            self._meddev_check_settings_access(vals.get('name'), changed)
        return super(ResCompany, self).create(vals)

    @api.multi
    def write(self, vals):
        """Refuse changes of guarded options, compared company by company,
        to users without the option's group."""
        guarded = self._meddev_guarded_settings()
        asked = [name for name in guarded if name in vals]
        if asked:
            changed = set(
                name for company in self for name in asked
                if setting_changed(self._fields[name].type, company[name],
                                   vals[name]))
            self._meddev_check_settings_access(
                ', '.join(self.mapped('name')), changed)
        return super(ResCompany, self).write(vals)

    def _meddev_check_settings_access(self, company_name, changed):
        """Raise an AccessError naming the options of ``changed`` (field
        names) that the user may not change, and the group that may,
        unless the user is an administrator or the superuser."""
        user = self.env.user
        if not changed or self.env.uid == SUPERUSER_ID or \
                user.has_group(SYSTEM_GROUP):
            return
        guarded = self._meddev_guarded_settings()
        refused = {}
        for name in changed:
            if not user.has_group(guarded[name]):
                refused.setdefault(guarded[name], []).append(
                    self._fields[name].get_description(self.env)['string'])
        if not refused:
            return
        # sudo: a group's name, which every user may be told.
        groups = dict((xmlid, self.env.ref(xmlid).sudo().full_name)
                      for xmlid in refused)
        refusals = [
            _('%(company)s: only a member of "%(group)s" or an '
              'administrator may change the options %(options)s.') % {
                'company': company_name or '', 'group': groups[xmlid],
                'options': ', '.join(sorted(refused[xmlid]))}
            for xmlid in sorted(refused, key=lambda xmlid: groups[xmlid])]
        raise AccessError('\n'.join(refusals))
