from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError
from odoo.tools.safe_eval import safe_eval

# The class attribute a model declares to protect its mail aliases.
ALIAS_GROUP_ATTRIBUTE = '_meddev_alias_manager_group'
# Who manages the aliases of a suite model that declares no group.
SYSTEM_GROUP = 'base.group_system'
SUITE_MODULE_PREFIX = 'meddev_'
SUITE_MODEL_PREFIX = 'meddev.'


class MailAlias(models.Model):
    """Protected mail aliases.

    Odoo 11 lets every employee create, write and delete any ``mail.alias``
    (full access rows, no record rule). The mail gateway then creates
    records of the alias's model with the alias's defaults, as the alias's
    user or the gateway's (the superuser, whom the suite's checks let
    through). Without a guard one could force the mails of a team's or the
    quality department's alias into an existing record (another company's
    too), rename it, change its model, defaults or contact policy, delete
    it, or create an alias that makes approved credit overrides or active
    service contracts out of any mail.

    Rules, for every user but the superuser (data files, module code under
    ``sudo()``):

    * an alias whose ``alias_model_id`` (the records its mails create) or
      ``alias_parent_model_id`` is a model of the suite (named ``meddev.*``
      or defined by a ``meddev_*`` addon), or that a record of such a model
      owns as its ``alias_id`` (``mail.alias.mixin``), is created, changed
      and deleted only by the model's manager group: the group the model
      declares, else Settings administrators (``base.group_system``);
    * outside ``base.group_system``, on the other aliases: the defaults
      may not set a field a ``meddev_*`` addon defines, on any model (a
      partner's credit limit, say), and the alias may not be set to run as
      another user.

    Odoo's own aliases (channels, teams) stay as free as before otherwise.

    To let a group manage a model's aliases, declare on the model (any
    module)::

        class MeddevComplaint(models.Model):
            _name = 'meddev.complaint'
            _meddev_alias_manager_group = (
                'meddev_quality_capa.group_meddev_quality_manager')

    A module that cannot touch the model's class extends
    ``_meddev_alias_manager_groups()`` instead (meddev_service does).
    """

    _inherit = 'mail.alias'

    @api.model
    def create(self, vals):
        alias = super(MailAlias, self).create(vals)
        # Checked on the result: the model also comes from the context
        # (``alias_model_name``) or a default.
        alias._meddev_check_alias_change(vals)
        return alias

    @api.multi
    def write(self, vals):
        # Before (a protected alias re-pointed away) and after (an alias
        # re-pointed onto a protected model).
        self._meddev_check_alias_change()
        result = super(MailAlias, self).write(vals)
        self._meddev_check_alias_change(vals)
        return result

    @api.multi
    def unlink(self):
        self._meddev_check_alias_change()
        return super(MailAlias, self).unlink()

    @api.model
    def _meddev_alias_manager_groups(self):
        """Return ``{model name: group xml id}``: the models whose aliases
        only that group manages, as the models declare them with the class
        attribute ``_meddev_alias_manager_group``. Extend it to protect a
        model whose class a module does not own."""
        registry = self.env.registry
        groups = {}
        for name in registry:
            group = getattr(registry[name], ALIAS_GROUP_ATTRIBUTE, None)
            if group:
                groups[name] = group
        return groups

    @api.model
    def _meddev_is_suite_model(self, model):
        """Whether ``model`` (a name) belongs to the suite: named
        ``meddev.*`` or defined by a ``meddev_*`` addon."""
        if not model or model not in self.env.registry:
            return False
        module = getattr(self.env.registry[model], '_original_module', '')
        return model.startswith(SUITE_MODEL_PREFIX) or \
            (module or '').startswith(SUITE_MODULE_PREFIX)

    @api.multi
    def _meddev_alias_guards(self):
        """Return ``{alias: set of group xml ids}`` for those of these
        aliases that are protected (see the class docstring)."""
        aliases = self.sudo().exists()
        if not aliases:
            return {}
        declared = self._meddev_alias_manager_groups()

        def manager_group(model):
            if model in declared:
                return declared[model]
            return SYSTEM_GROUP if self._meddev_is_suite_model(model) \
                else None

        guards = {}
        for alias in aliases:
            for model in (alias.alias_model_id.model,
                          alias.alias_parent_model_id.model):
                group = manager_group(model)
                if group:
                    guards.setdefault(alias, set()).add(group)
        # The aliases the records of a protected model own.
        for model in self.env.registry:
            group = manager_group(model)
            owners = self.env[model]
            field = owners._fields.get('alias_id')
            if not group or owners._abstract or not owners._auto \
                    or not field or field.comodel_name != self._name:
                continue
            owners = owners.sudo().with_context(active_test=False).search(
                [('alias_id', 'in', aliases.ids)])
            for owner in owners:
                guards.setdefault(owner.alias_id, set()).add(group)
        return guards

    @api.model
    def _meddev_suite_fields(self, model, values):
        """Return the labels of the fields among ``values`` (default values
        for a new ``model`` record, x2many commands included) that a
        ``meddev_*`` addon defines."""
        if not isinstance(values, dict) or model not in self.env.registry:
            return []
        fields_ = self.env[model]._fields
        found = []
        for name, value in values.items():
            field = fields_.get(name)
            if field is None:
                continue
            if (field._module or '').startswith(SUITE_MODULE_PREFIX):
                found.append('%s.%s' % (model, name))
            if field.type in ('one2many', 'many2many') and \
                    isinstance(value, (list, tuple)):
                for command in value:
                    if isinstance(command, (list, tuple)) and \
                            len(command) == 3 and command[0] in (0, 1):
                        found += self._meddev_suite_fields(
                            field.comodel_name, command[2])
        return found

    @api.multi
    def _meddev_check_alias_values(self, vals):
        """Refuse, outside Settings administrators, the aliases among these
        whose defaults set a field of the suite or that were just set to
        run as another user (``vals``: the values written)."""
        user = self.env.user
        if user.has_group(SYSTEM_GROUP):
            return
        for alias in self.sudo():
            try:
                defaults = safe_eval(alias.alias_defaults or '{}')
            except Exception:  # pylint: disable=broad-except
                # Odoo's own constraint refuses unreadable defaults.
                defaults = {}
            names = self._meddev_suite_fields(
                alias.alias_model_id.model, defaults)
            if names:
                raise AccessError(_(
                    "The mail alias %(alias)s may not set %(fields)s for "
                    "the records its mails create: only Settings "
                    "administrators set fields of the MedDev suite in alias "
                    "defaults (user: %(user)s).") % {
                        'alias': alias.display_name,
                        'fields': ', '.join(sorted(set(names))),
                        'user': user.name})
            if 'alias_user_id' in vals and alias.alias_user_id and \
                    alias.alias_user_id != user:
                raise AccessError(_(
                    "The mail alias %(alias)s may not create records as "
                    "%(owner)s: only Settings administrators choose another "
                    "user for an alias (user: %(user)s).") % {
                        'alias': alias.display_name,
                        'owner': alias.alias_user_id.name,
                        'user': user.name})

    @api.model
    def _meddev_alias_refusal(self, aliases, groups):
        """Return the (translated) reason refusing the current user the
        change of ``aliases``, which only members of ``groups`` (res.groups)
        manage."""
        return _(
            "Only members of %(groups)s may create, change or delete the "
            "mail alias %(aliases)s: the mails it receives reach records "
            "they manage (user: %(user)s).") % {
                'groups': ', '.join(groups.mapped('full_name')),
                'aliases': ', '.join(aliases.mapped('display_name')),
                'user': self.env.user.name}

    @api.multi
    def _meddev_check_alias_change(self, vals=None):
        """Refuse to create, change or delete these aliases unless the user
        is the superuser or in every group protecting them; with ``vals``
        (after a create or write) also check the values they now hold."""
        if not self or self.env.uid == SUPERUSER_ID:
            return
        user = self.env.user
        refused = self.browse()
        missing = set()
        guards = self._meddev_alias_guards()
        for alias, groups in guards.items():
            lacking = [group for group in groups if not user.has_group(group)]
            if lacking:
                refused |= alias
                missing.update(lacking)
        if refused:
            groups = self.env['res.groups'].sudo()
            for xml_id in sorted(missing):
                groups |= self.sudo().env.ref(
                    xml_id, raise_if_not_found=False) or groups.browse()
            raise AccessError(self._meddev_alias_refusal(
                refused.sudo(), groups.sudo()))
        if vals is not None:
            # The managers of a protected alias set its defaults and user.
            self.filtered(lambda alias: alias not in guards) \
                ._meddev_check_alias_values(vals)
