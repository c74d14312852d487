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
        """Return a new internal user holding exactly ``groups``, in the
        time zone of the user who builds the data (the tests compute "today"
        as that user; around midnight UTC another zone has another day)."""
        return cls.env['res.users'].create({
            'name': login.replace('_', ' ').title(),
            'login': login,
            'email': '%s@example.com' % login,
            'tz': cls.env.user.tz or 'UTC',
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


class MeddevTradeCase(MeddevQualificationCase):
    """Licence types, categories, partners and products for the licence
    workflow, the trade gates and the expiry cron; all built here, none
    taken from the shipped data or the demo."""

    TODAY = '2026-03-01'

    @classmethod
    def setUpClass(cls):
        super(MeddevTradeCase, cls).setUpClass()
        cls.cat_imaging = cls._create_device_category(
            'Imaging devices', 'T06')
        cls.cat_xray = cls._create_device_category(
            'X-ray equipment', 'T06-01', cls.cat_imaging)
        cls.cat_implant = cls._create_device_category(
            'Passive implants', 'T13')
        cls.cat_monitor = cls._create_device_category(
            'Monitoring devices', 'T07')
        types = cls.env['meddev.licence.type']
        # The shipped Chinese set would add its requirements to ours.
        types.search([]).write({'active': False})
        cls.type_business = types.create({
            'code': 'T-BL', 'name': 'Test Business Licence',
            'for_distributor': True, 'for_supplier': True,
            'authorises_class_i': True, 'allow_long_term': True,
            'number_pattern': '[0-9A-HJ-NPQRTUWXY]{18}',
        })
        cls.type_filing = types.create({
            'code': 'T-C2F', 'name': 'Test Class II Filing',
            'authorises_class_ii': True, 'has_scope': True,
            'allow_long_term': True,
        })
        cls.type_trading = types.create({
            'code': 'T-OPL', 'name': 'Test Trading Licence',
            'authorises_class_iii': True, 'has_scope': True,
            'number_pattern': r'.+械经营许\d{8}号',
            'number_example': '京食药监械经营许20150035号',
            'alert_days': '90,30,7',
        })
        cls.distributor = cls._create_partner('Kangda Medical', 'distributor')
        cls.supplier = cls._create_partner(
            'Maikang Devices', 'supplier', supplier=True)
        cls.product_i = cls._create_product('Mask', 'I', cls.cat_monitor)
        cls.product_ii = cls._create_product(
            'BP Monitor', 'II', cls.cat_monitor)
        cls.product_xray = cls._create_product(
            'X-ray Unit', 'III', cls.cat_xray)
        cls.product_stent = cls._create_product(
            'Stent', 'III', cls.cat_implant)
        cls.product_plain = cls.env['product.product'].create({
            'name': 'Brochure', 'type': 'consu'})

    @classmethod
    def _create_partner(cls, name, kind, supplier=False):
        return cls.env['res.partner'].create({
            'name': name, 'is_company': True, 'customer': not supplier,
            'supplier': supplier, 'meddev_partner_kind': kind,
        })

    @classmethod
    def _create_product(cls, name, device_class, category,
                        expiry='2030-12-31'):
        return cls.env['product.product'].create({
            'name': name, 'type': 'consu', 'list_price': 10.0,
            'device_class': device_class,
            'device_category_id': category.id,
            'device_certificate_number': 'CERT-%s' % name,
            'device_certificate_expiry': expiry,
        })

    @classmethod
    def _create_licence(cls, partner, licence_type, number, valid_to=None,
                        scope=None, valid_from='2020-01-01', state='approved',
                        long_term=False, credit_code=False, company=None):
        """Return a licence taken through the workflow to ``state`` by the
        superuser (the workflow rules themselves are tested apart); it
        belongs to ``company`` when given, else to the superuser's."""
        extra = {} if company is None else {'company_id': company.id}
        licence = cls.env['meddev.partner.licence'].create(dict(extra, **{
            'partner_id': partner.id,
            'licence_type_id': licence_type.id,
            'number': number,
            'valid_from': valid_from,
            'valid_to': valid_to,
            'long_term': long_term,
            'credit_code': credit_code,
            'scope_category_ids': [(6, 0, scope.ids if scope else [])],
        }))
        if state != 'draft':
            licence.action_submit()
        if state in ('approved', 'expired', 'revoked'):
            licence.action_approve()
        if state == 'revoked':
            licence.revoke('Withdrawn by the authority')
        if state == 'expired':
            licence.write({'state': 'expired'})
        return licence
