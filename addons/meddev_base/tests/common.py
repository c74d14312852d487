from odoo.tests.common import SavepointCase


class MeddevBaseCase(SavepointCase):
    """Base class: an internal user with a known password."""

    PASSWORD = 'S1gn-Me-Right'

    @classmethod
    def setUpClass(cls):
        super(MeddevBaseCase, cls).setUpClass()
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.signer = cls._create_user('esign_user')
        cls.partner = cls.env['res.partner'].create(
            {'name': '上海仁济医院 (signature test)'})

    @classmethod
    def _create_user(cls, login, groups=None, company=None):
        """Return a new internal user whose password is PASSWORD."""
        groups = groups or cls.env.ref('base.group_user') | cls.env.ref(
            'base.group_partner_manager')
        vals = {
            'name': login.replace('_', ' ').title(),
            'login': login,
            'password': cls.PASSWORD,
            'email': '%s@example.com' % login,
            'groups_id': [(6, 0, groups.ids)],
        }
        if company:
            vals.update(company_id=company.id,
                        company_ids=[(6, 0, company.ids)])
        return cls.env['res.users'].create(vals)
