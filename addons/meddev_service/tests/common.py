from odoo.tests.common import SavepointCase


class MeddevServiceCase(SavepointCase):
    """Base class: one user per role of the module, built once per class."""

    @classmethod
    def setUpClass(cls):
        super(MeddevServiceCase, cls).setUpClass()
        # No mail tracking or password mails for the records built here.
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.category = cls.env.ref(
            'meddev_service.module_category_meddev_service')
        cls.group_employee = cls.env.ref('base.group_user')
        cls.group_user = cls.env.ref(
            'meddev_service.group_meddev_service_user')
        cls.group_manager = cls.env.ref(
            'meddev_service.group_meddev_service_manager')
        cls.employee = cls._create_user('srv_employee', cls.group_employee)
        cls.user = cls._create_user('srv_user', cls.group_user)
        cls.manager = cls._create_user('srv_manager', cls.group_manager)

    @classmethod
    def _create_user(cls, login, groups):
        """Return a new internal user holding exactly ``groups``."""
        return cls.env['res.users'].create({
            'name': login.replace('_', ' ').title(),
            'login': login,
            'email': '%s@example.com' % login,
            'groups_id': [(6, 0, groups.ids)],
        })

    @classmethod
    def _create_stage(cls, name, sequence=10, **vals):
        """Return a new ticket stage, created by the superuser."""
        vals.update(name=name, sequence=sequence)
        return cls.env['meddev.service.stage'].create(vals)
