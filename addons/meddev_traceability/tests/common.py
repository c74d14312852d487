from odoo.tests.common import SavepointCase


class MeddevTraceabilityCase(SavepointCase):
    """Base class: one user per role, a finished serial and a component lot."""

    @classmethod
    def setUpClass(cls):
        super(MeddevTraceabilityCase, cls).setUpClass()
        # No mail tracking or password mails for the records built here.
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.category = cls.env.ref(
            'meddev_traceability.module_category_meddev_traceability')
        cls.group_employee = cls.env.ref('base.group_user')
        cls.group_user = cls.env.ref(
            'meddev_traceability.group_meddev_traceability_user')
        cls.group_manager = cls.env.ref(
            'meddev_traceability.group_meddev_traceability_manager')
        cls.employee = cls._create_user('trace_employee', cls.group_employee)
        cls.user = cls._create_user('trace_user', cls.group_user)
        cls.manager = cls._create_user('trace_manager', cls.group_manager)
        cls.monitor = cls._create_product('Patient Monitor PM-9', 'serial')
        cls.board = cls._create_product('Main Board MB-2', 'lot')
        cls.serial = cls._create_lot(cls.monitor, 'PM9-0001')
        cls.board_lot = cls._create_lot(cls.board, 'MB2-L042')

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
    def _create_product(cls, name, tracking):
        """Return a new stockable product tracked by lot or serial."""
        return cls.env['product.product'].create({
            'name': name,
            'type': 'product',
            'tracking': tracking,
        })

    @classmethod
    def _create_lot(cls, product, name):
        """Return a new lot or serial number of ``product``."""
        return cls.env['stock.production.lot'].create({
            'name': name,
            'product_id': product.id,
        })

    @classmethod
    def _create_link(cls, parent, child, **vals):
        """Return a new genealogy link, recorded by the superuser."""
        vals.update(parent_lot_id=parent.id, child_lot_id=child.id)
        return cls.env['meddev.lot.link'].create(vals)
