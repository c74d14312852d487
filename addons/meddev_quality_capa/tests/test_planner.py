from .common import MeddevQualityCapaCase

PLANNER = 'planner_meddev_quality_capa'


class TestQualityPlanner(MeddevQualityCapaCase):
    """The Quality planner lists the implementer's steps with their
    screens and ticks each once its data exists, in the implementer's
    company."""

    @classmethod
    def setUpClass(cls):
        super(TestQualityPlanner, cls).setUpClass()
        # A company of its own: no team, complaints or tiers yet.
        cls.client = cls.env['res.company'].create(
            {'name': 'Quality Planner Client Ltd'})
        cls.implementer = cls._create_user(
            'qa_planner_implementer', cls.env.ref('base.group_system'),
            company=cls.client)

    def _steps(self):
        planner = self.env['web.planner'].sudo(self.implementer)
        return planner._prepare_planner_meddev_quality_capa_data()[
            'meddev_steps']

    def test_steps_tick_when_their_data_exists(self):
        # The tiers shared by every company (demo data) set aside.
        self.env['tier.definition'].search(
            [('model', '=', 'meddev.capa')]).write({'active': False})
        steps = self._steps()
        # Shipped: the reporting rules (shared) and the two aliases.
        self.assertTrue(steps['rules'])
        self.assertTrue(steps['aliases'])
        self.assertFalse(steps['team'])
        self.assertFalse(steps['tiers'])
        self.assertFalse(steps['complaints'])
        # Only jurisdictions without rules active: nothing to report by.
        self.client.meddev_reporting_country_ids = self.env.ref('base.fr')
        self.assertFalse(self._steps()['rules'])
        self.client.meddev_reporting_country_ids = self.china
        self.assertTrue(self._steps()['rules'])
        # The team: a quality manager and quality users of the company.
        self.client.meddev_quality_manager_id = self.manager
        self.assertFalse(self._steps()['team'])
        self._create_user('qa_planner_user', self.group_user,
                          company=self.client)
        self.assertTrue(self._steps()['team'])
        self.env['tier.definition'].create({
            'name': '质量经理批准', 'model_id': self.env['ir.model']._get(
                'meddev.capa').id,
            'reviewer_id': self.manager.id, 'company_id': self.client.id})
        self.assertTrue(self._steps()['tiers'])
        self._create_complaint(company_id=self.client.id)
        self.assertTrue(self._steps()['complaints'])
        self.env['mail.alias'].search([
            ('alias_model_id.model', '=', 'meddev.complaint')]).write(
                {'alias_name': False})
        self.assertFalse(self._steps()['aliases'])

    def test_planner_renders_steps_with_links(self):
        planner = self.env.ref(
            'meddev_quality_capa.meddev_quality_capa_planner_record')
        html = planner.sudo(self.implementer).render(
            planner.view_id.id, PLANNER).decode()
        self.assertIn('o_meddev_step_todo text-warning" data-step='
                      '"complaints"', html)
        self.assertIn('o_meddev_step_done text-success" data-step='
                      '"rules"', html)
        for xmlid in ('meddev_quality_capa.meddev_complaint_import_action',
                      'meddev_quality_capa.res_config_settings_action',
                      'meddev_quality_capa.meddev_reporting_rule_action'):
            self.assertIn('action=%s' % self.env.ref(xmlid).id, html)
