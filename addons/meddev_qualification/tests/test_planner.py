from .common import MeddevTradeCase

PLANNER = 'planner_meddev_qualification'


class TestPlanner(MeddevTradeCase):
    """The Qualification planner lists the implementer's steps with their
    screens and ticks each once its data exists."""

    @classmethod
    def setUpClass(cls):
        super(TestPlanner, cls).setUpClass()
        # A company of its own, without the demo's licences.
        cls.client = cls.env['res.company'].create(
            {'name': 'Planner Client Ltd'})
        cls.implementer = cls._create_user(
            'planner_implementer',
            cls.group_manager | cls.env.ref('base.group_system'))
        cls.implementer.write({'company_ids': [(4, cls.client.id)],
                               'company_id': cls.client.id})

    def _steps(self):
        planner = self.env['web.planner'].sudo(self.implementer)
        return planner._prepare_planner_meddev_qualification_data()[
            'meddev_steps']

    def test_steps_tick_when_their_data_exists(self):
        steps = self._steps()
        self.assertTrue(steps['types'])
        self.assertTrue(steps['categories'])
        self.assertTrue(steps['reviewers'])
        self.assertTrue(steps['tiers'])
        self.assertFalse(steps['compliance'])
        self.assertFalse(steps['licences'])
        self.client.meddev_compliance_user_ids = self.manager
        self._create_licence(self.distributor, self.type_business,
                             '91110000100000000R', long_term=True,
                             company=self.client)
        steps = self._steps()
        self.assertTrue(steps['compliance'])
        self.assertTrue(steps['licences'])

    def test_planner_renders_steps_with_links(self):
        planner = self.env.ref(
            'meddev_qualification.meddev_qualification_planner_record')
        html = planner.sudo(self.implementer).render(
            planner.view_id.id, PLANNER).decode()
        self.assertIn('data-step="compliance"', html)
        self.assertIn('o_meddev_step_todo text-warning" data-step='
                      '"compliance"', html)
        self.assertIn('o_meddev_step_done text-success" data-step="types"',
                      html)
        action = self.env.ref(
            'meddev_qualification.meddev_licence_import_action')
        self.assertIn('action=%s' % action.id, html)
