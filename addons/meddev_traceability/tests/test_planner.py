from .common import MeddevTraceabilityCase

PLANNER = 'planner_meddev_traceability'


class TestPlanner(MeddevTraceabilityCase):
    """The Traceability planner lists the implementer's steps with their
    screens and ticks each once its data exists, in the implementer's
    company."""

    @classmethod
    def setUpClass(cls):
        super(TestPlanner, cls).setUpClass()
        # A company of its own, without the demo's data; no country, so
        # that its recall levels are found only once they exist.
        cls.client = cls.env['res.company'].create({
            'name': 'Trace Planner Client Ltd', 'country_id': False,
            'recall_contact_category_id': False})
        cls.implementer = cls._create_user(
            'trace_planner_implementer',
            cls.group_manager | cls.env.ref('base.group_system'),
            company=cls.client)
        cls.country = cls.env['res.country'].create(
            {'name': 'Planneria', 'code': 'QP'})

    def _steps(self):
        planner = self.env['web.planner'].sudo(self.implementer)
        return planner._prepare_planner_meddev_traceability_data()[
            'meddev_steps']

    def _product(self, name, tracking, gtin):
        return self.env['product.template'].create({
            'name': name, 'type': 'product', 'tracking': tracking,
            'udi_di': gtin, 'company_id': self.client.id})

    def test_steps_tick_when_their_data_exists(self):
        steps = self._steps()
        for step in ('gtins', 'tracking', 'genealogy', 'quarantine',
                     'notices'):
            self.assertFalse(steps[step], step)
        self.client.country_id = self.country
        self.assertFalse(self._steps()['levels'])
        self.env['meddev.recall.level'].create({
            'name': 'Planneria class I', 'country_id': self.country.id,
            'notice_days': 2})
        self.assertTrue(self._steps()['levels'])
        # A GTIN on an untracked product: GTINs done, tracking not.
        pump = self._product('Infusion Pump IP-1', 'none', '06901234567892')
        steps = self._steps()
        self.assertTrue(steps['gtins'])
        self.assertFalse(steps['tracking'])
        pump.tracking = 'serial'
        self.assertTrue(self._steps()['tracking'])
        # Genealogy: a link recorded by manufacturing in the company.
        self._create_link(self.serial, self.board_lot,
                          origin='manufacturing', company_id=self.client.id)
        self.assertTrue(self._steps()['genealogy'])
        self.env['stock.location'].create({
            'name': 'Client Quarantine', 'usage': 'internal',
            'recall_quarantine': True, 'company_id': self.client.id,
            'location_id': self.env.ref(
                'stock.stock_location_locations').id})
        self.assertTrue(self._steps()['quarantine'])
        tag = self.env['res.partner.category'].create({'name': '召回联系人'})
        self.client.recall_contact_category_id = tag
        self.assertFalse(self._steps()['notices'])
        self.env['res.partner'].create({
            'name': '王质量', 'email': 'wang@hospital.example.com',
            'category_id': [(6, 0, tag.ids)]})
        self.assertTrue(self._steps()['notices'])

    def test_planner_renders_steps_with_links(self):
        planner = self.env.ref(
            'meddev_traceability.meddev_traceability_planner_record')
        html = planner.sudo(self.implementer).render(
            planner.view_id.id, PLANNER).decode()
        self.assertIn('o_meddev_step_todo text-warning" data-step="gtins"',
                      html)
        for xml_id in ('meddev_gtin_import_action',
                       'res_config_settings_action',
                       'meddev_recall_level_action',
                       'meddev_lot_link_action'):
            action = self.env.ref('meddev_traceability.' + xml_id)
            self.assertIn('action=%s' % action.id, html, xml_id)
        self.assertIn(PLANNER, [
            key for key, _name in self.env['web.planner']
            ._get_planner_application()])
