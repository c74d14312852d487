from .common import MeddevServiceCase

PLANNER = 'planner_meddev_service'
STEPS = ('teams', 'calendars', 'sla', 'engineers', 'vans', 'pm_plans',
         'aliases', 'equipment', 'van_stock')


class TestPlanner(MeddevServiceCase):
    """The Field Service planner lists the implementer's steps with their
    screens and ticks each once its data exists, in the implementer's
    company."""

    @classmethod
    def setUpClass(cls):
        super(TestPlanner, cls).setUpClass()
        # A company of its own, without the demo's teams and engineers.
        cls.client = cls.env['res.company'].create(
            {'name': 'Service Planner Client Ltd'})
        cls.implementer = cls._create_user(
            'srv_planner_implementer',
            cls.group_manager | cls.env.ref('base.group_system'))
        cls.implementer.write({'company_ids': [(4, cls.client.id)],
                               'company_id': cls.client.id})
        cls.warehouse = cls.env['stock.warehouse'].search(
            [('company_id', '=', cls.client.id)], limit=1)
        cls.categ = cls.env['product.category'].create(
            {'name': 'Planner monitors'})

    def _steps(self):
        planner = self.env['web.planner'].sudo(self.implementer)
        return planner._prepare_planner_meddev_service_data()['meddev_steps']

    def _done(self):
        steps = self._steps()
        return set(step for step in STEPS if steps[step])

    def test_steps_tick_when_their_data_exists(self):
        self.assertEqual(self._done(), set())
        calendar = self.env['resource.calendar'].create(
            {'name': 'Client hours', 'company_id': self.client.id})
        team = self.env['meddev.service.team'].create({
            'name': 'Client East', 'company_id': self.client.id,
            'calendar_id': calendar.id})
        self.assertEqual(self._done(), {'teams'})
        self.env['resource.calendar.leaves'].create({
            'name': 'National Day', 'calendar_id': calendar.id,
            'date_from': '2026-10-01 00:00:00',
            'date_to': '2026-10-07 23:59:59'})
        self.env['meddev.sla.policy'].create({
            'name': 'Client standard', 'company_id': self.client.id,
            'response_hours': 4})
        self.assertEqual(self._done(), {'teams', 'calendars', 'sla'})
        van = self.env['stock.location'].create({
            'name': 'Van Client', 'usage': 'internal',
            'location_id': self.warehouse.view_location_id.id,
            'company_id': self.client.id})
        engineer = self.env['meddev.service.engineer'].create({
            'name': 'Client Engineer', 'company_id': self.client.id,
            'calendar_id': calendar.id,
            'skill_ids': [(0, 0, {'categ_id': self.categ.id})]})
        # Skills alone are not enough: the teams' regions too.
        self.assertNotIn('engineers', self._done())
        team.state_ids = self.env.ref('base.state_cn_SH') \
            if self.env.ref('base.state_cn_SH', raise_if_not_found=False) \
            else self.env['res.country.state'].search([], limit=1)
        self.assertIn('engineers', self._done())
        self.assertNotIn('vans', self._done())
        engineer.van_location_id = van
        self.assertIn('vans', self._done())
        product = self.env['product.product'].create({
            'name': 'Planner monitor', 'type': 'product',
            'tracking': 'serial', 'service_pm_interval_months': 6})
        self.env['meddev.service.pm.plan'].create({
            'name': 'Planner plan', 'company_id': self.client.id,
            'product_id': product.id})
        team.alias_name = 'client-east-planner'
        self.assertEqual(self._done(), set(STEPS) - {'equipment',
                                                     'van_stock'})
        customer = self.env['res.partner'].create(
            {'name': 'Planner Hospital', 'is_company': True,
             'customer': True})
        lot = self.env['stock.production.lot'].create(
            {'name': 'PL-0001', 'product_id': product.id})
        self.env['meddev.service.equipment'].create({
            'lot_id': lot.id, 'partner_id': customer.id,
            'company_id': self.client.id, 'install_date': '2026-01-01'})
        part = self.env['product.product'].create(
            {'name': 'Planner fuse', 'type': 'product'})
        self.env['stock.quant']._update_available_quantity(part, van, 5)
        self.assertEqual(self._done(), set(STEPS))

    def test_planner_renders_steps_with_links(self):
        planner = self.env.ref('meddev_service.meddev_service_planner_record')
        html = planner.sudo(self.implementer).render(
            planner.view_id.id, PLANNER).decode()
        for step in STEPS:
            self.assertIn('o_meddev_step_todo text-warning" data-step="%s"'
                          % step, html)
        for xmlid in ('meddev_service.meddev_service_team_action',
                      'meddev_service.meddev_sla_policy_action',
                      'meddev_service.meddev_service_engineer_action',
                      'meddev_service.meddev_service_pm_plan_action',
                      'meddev_service.res_config_settings_action',
                      'meddev_service.meddev_service_equipment_import_action',
                      'meddev_service.meddev_service_van_stock_import_action'):
            self.assertIn('action=%s' % self.env.ref(xmlid).id, html)
        # In order: teams before calendars before SLA ... before aliases.
        positions = [html.index('data-step="%s"' % step) for step in STEPS]
        self.assertEqual(positions, sorted(positions))
