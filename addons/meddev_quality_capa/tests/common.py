from odoo.tests.common import SavepointCase


class MeddevQualityCapaCase(SavepointCase):
    """Base class: one user per role of the module, built once per class."""

    @classmethod
    def setUpClass(cls):
        super(MeddevQualityCapaCase, cls).setUpClass()
        # No mail tracking or password mails for the records built here.
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.category = cls.env.ref(
            'meddev_quality_capa.module_category_meddev_quality_capa')
        cls.group_employee = cls.env.ref('base.group_user')
        cls.group_user = cls.env.ref(
            'meddev_quality_capa.group_meddev_quality_capa_user')
        cls.group_manager = cls.env.ref(
            'meddev_quality_capa.group_meddev_quality_capa_manager')
        cls.employee = cls._create_user('qa_employee', cls.group_employee)
        cls.user = cls._create_user('qa_user', cls.group_user)
        cls.manager = cls._create_user('qa_manager', cls.group_manager)
        cls.china = cls.env.ref('base.cn')
        cls.germany = cls.env.ref('base.de')

    @classmethod
    def _create_user(cls, login, groups, company=None):
        """Return a new internal user holding exactly ``groups``."""
        vals = {
            'name': login.replace('_', ' ').title(),
            'login': login,
            'email': '%s@example.com' % login,
            'groups_id': [(6, 0, groups.ids)],
        }
        if company:
            vals.update(company_id=company.id, company_ids=[(6, 0, company.ids)])
        return cls.env['res.users'].create(vals)

    @classmethod
    def _create_rule(cls, name, country, severity, days, **vals):
        """Return a new reporting rule, created by the superuser."""
        vals.update(name=name, country_id=country.id, severity=severity,
                    days=days)
        return cls.env['meddev.reporting.rule'].create(vals)
