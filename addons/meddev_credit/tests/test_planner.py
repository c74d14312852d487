from .common import MeddevCreditCase

PLANNER = 'planner_meddev_credit'


class TestPlanner(MeddevCreditCase):
    """The Credit Control planner lists the implementer's steps with their
    screens and ticks each once its data exists, in the implementer's
    company."""

    @classmethod
    def setUpClass(cls):
        super(TestPlanner, cls).setUpClass()
        # A company of its own, without the demo's limits and ratings.
        cls.client = cls.env['res.company'].create(
            {'name': 'Credit Planner Client Ltd'})
        cls.implementer = cls._create_user(
            'credit_planner_implementer',
            cls.group_manager | cls.env.ref('base.group_system'))
        cls.implementer.write({'company_ids': [(4, cls.client.id)],
                               'company_id': cls.client.id})

    def _steps(self):
        planner = self.env['web.planner'].sudo(self.implementer)
        return planner._prepare_planner_meddev_credit_data()['meddev_steps']

    def test_steps_tick_when_their_data_exists(self):
        steps = self._steps()
        # A new company receives the grade policies; its implementer is a
        # credit manager of it.
        self.assertTrue(steps['policies'])
        self.assertTrue(steps['approvers'])
        self.assertFalse(steps['limits'])
        self.assertFalse(steps['ratings'])
        self.assertFalse(steps['tiers'])
        self.env['meddev.credit.policy'].search(
            [('company_id', '=', self.client.id), ('rating', '=', 'D')]
        ).unlink()
        self.assertFalse(self._steps()['policies'])
        customer = self.customer.with_context(force_company=self.client.id)
        customer.credit_limit = 5000.0
        self.assertTrue(self._steps()['limits'])
        self.assertFalse(self._steps()['ratings'])
        customer.credit_rating = 'B'
        self.env['tier.definition'].create({
            'name': 'Finance director', 'model_id': self.env['ir.model']._get(
                'meddev.credit.override').id,
            'reviewer_id': self.manager.id, 'company_id': self.client.id})
        steps = self._steps()
        self.assertTrue(steps['ratings'])
        self.assertTrue(steps['tiers'])

    def test_planner_renders_steps_with_links(self):
        planner = self.env.ref('meddev_credit.meddev_credit_planner_record')
        html = planner.sudo(self.implementer).render(
            planner.view_id.id, PLANNER).decode()
        self.assertIn('o_meddev_step_todo text-warning" data-step="limits"',
                      html)
        self.assertIn('o_meddev_step_done text-success" data-step='
                      '"policies"', html)
        action = self.env.ref('meddev_credit.meddev_credit_limit_import_action')
        self.assertIn('action=%s' % action.id, html)
        settings = self.env.ref('meddev_credit.res_config_settings_action')
        self.assertIn('action=%s' % settings.id, html)
