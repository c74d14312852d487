from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase, at_install, post_install


# After every module: the sale gate needs the chart of accounts, installed
# after the suite on a new database.
@at_install(False)
@post_install(True)
class TestAcmeConfiguration(SavepointCase):
    """The client's configuration, loaded as data, is in force: licence
    alert days, stricter credit options and policies, the 4-hour SLA for
    Class III devices and the extra reporting rule."""

    @classmethod
    def setUpClass(cls):
        super(TestAcmeConfiguration, cls).setUpClass()
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.company = cls.env.ref('base.main_company')

    def test_licence_types_adjusted(self):
        business = self.env.ref('meddev_qualification.licence_type_business')
        self.assertEqual(business.alert_days, '120,60,30,7')
        agent = self.env.ref('meddev_client_acme.licence_type_import_agent')
        self.assertTrue(agent.for_supplier and agent.authorises_class_iii)

    def test_credit_options_and_policies(self):
        self.assertEqual(
            (self.company.credit_overdue_mode,
             self.company.credit_no_limit_policy,
             self.company.credit_hold_overdue_days),
            ('block', 'block', 60))
        grade_c = self.env.ref('meddev_credit.meddev_credit_policy_c')
        self.assertEqual((grade_c.limit_multiplier, grade_c.allow_override),
                         (0.25, False))

    def test_customer_without_limit_gets_no_credit(self):
        """The stricter policy takes effect at the sale gate: a customer
        without a limit gets no credit."""
        customer = self.env['res.partner'].create(
            {'name': 'ACME Test Hospital', 'customer': True,
             'is_company': True})
        product = self.env['product.product'].create({
            'name': 'ACME Test Pump', 'type': 'service',
            'invoice_policy': 'order', 'list_price': 100.0})
        order = self.env['sale.order'].create({
            'partner_id': customer.id,
            'order_line': [(0, 0, {
                'product_id': product.id, 'name': product.name,
                'product_uom_qty': 1, 'product_uom': product.uom_id.id,
                'price_unit': 100.0})]})
        with self.assertRaisesRegex(UserError, 'no credit limit'):
            order.action_confirm()

    def test_class_iii_tickets_get_the_4_hour_sla(self):
        policy = self.env.ref('meddev_client_acme.sla_policy_class_iii_4h')
        self.assertEqual((policy.onsite_hours, policy.device_class),
                         (4.0, 'III'))
        # A team without default policies of its own: the company's
        # policies apply, the first matching one first.
        team = self.env['meddev.service.team'].create({
            'name': 'ACME Test Team', 'company_id': self.company.id,
            'tz': 'Asia/Shanghai'})
        customer = self.env['res.partner'].create(
            {'name': 'ACME Test Clinic', 'customer': True,
             'is_company': True})
        category = self.env['meddev.device.category'].search([], limit=1)
        tickets = {}
        for device_class in ('III', 'II'):
            product = self.env['product.product'].create({
                'name': 'ACME Class %s Device' % device_class,
                'type': 'consu', 'device_class': device_class,
                'device_category_id': category.id})
            tickets[device_class] = self.env['meddev.service.ticket'].create({
                'title': 'Alarm on class %s device' % device_class,
                'partner_id': customer.id, 'product_id': product.id,
                'team_id': team.id, 'company_id': self.company.id})
        self.assertEqual(tickets['III'].sla_policy_id, policy)
        self.assertNotEqual(tickets['II'].sla_policy_id, policy)

    def test_extra_reporting_rule(self):
        rule = self.env.ref('meddev_client_acme.reporting_rule_malfunction_10d')
        self.assertEqual((rule.event_kind, rule.deadline_amount,
                          rule.company_id), ('malfunction', 10, self.company))
        self.assertTrue(rule.active)
