from odoo.tests.common import SavepointCase


class MeddevQualificationCase(SavepointCase):
    """Base class: one user per role of the module, built once per class."""

    @classmethod
    def setUpClass(cls):
        super(MeddevQualificationCase, cls).setUpClass()
        # No mail tracking or password mails for the records built here.
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.category = cls.env.ref(
            'meddev_qualification.module_category_meddev_qualification')
        cls.group_employee = cls.env.ref('base.group_user')
        cls.group_user = cls.env.ref(
            'meddev_qualification.group_meddev_qualification_user')
        cls.group_reviewer = cls.env.ref(
            'meddev_qualification.group_meddev_qualification_reviewer')
        cls.group_manager = cls.env.ref(
            'meddev_qualification.group_meddev_qualification_manager')
        cls.employee = cls._create_user('qual_employee', cls.group_employee)
        cls.user = cls._create_user('qual_user', cls.group_user)
        cls.reviewer = cls._create_user('qual_reviewer', cls.group_reviewer)
        cls.manager = cls._create_user('qual_manager', cls.group_manager)

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
    def _create_device_category(cls, name, code=False, parent=None):
        """Return a new device category, created by the superuser."""
        return cls.env['meddev.device.category'].create({
            'name': name,
            'code': code,
            'parent_id': parent.id if parent else False,
        })
