from odoo.tests.common import SavepointCase


class MeddevCreditCase(SavepointCase):
    """Base class: one user per role of the module and a customer."""

    @classmethod
    def setUpClass(cls):
        super(MeddevCreditCase, cls).setUpClass()
        # No mail tracking or password mails for the records built here.
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.category = cls.env.ref(
            'meddev_credit.module_category_meddev_credit')
        cls.group_employee = cls.env.ref('base.group_user')
        cls.group_user = cls.env.ref('meddev_credit.group_meddev_credit_user')
        cls.group_manager = cls.env.ref(
            'meddev_credit.group_meddev_credit_manager')
        cls.employee = cls._create_user('credit_employee', cls.group_employee)
        cls.user = cls._create_user('credit_user', cls.group_user)
        cls.manager = cls._create_user('credit_manager', cls.group_manager)
        cls.customer = cls.env['res.partner'].create({
            'name': 'Eastern Hospital Supplies',
            'customer': True,
            'is_company': True,
        })

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
    def _create_rating(cls, partner, rating, score, **vals):
        """Return a new rating history line, recorded by the superuser."""
        vals.update(partner_id=partner.id, rating=rating, score=score)
        return cls.env['meddev.credit.rating.history'].create(vals)
