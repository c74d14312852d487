"""What the suite adds to Odoo: each module's main screen, as its users
open it from the main menu (screenshots for the guide's overview page)."""
from browser.harness import BrowserCase

SCREENS = [
    ('qualification', 'meddev_qualification.meddev_partner_licence_menu'),
    ('credit', 'meddev_credit.meddev_credit_risk_menu'),
    ('traceability', 'meddev_traceability.meddev_recall_menu'),
    ('service', 'meddev_service.meddev_service_dashboard_menu'),
    ('quality', 'meddev_quality_capa.meddev_complaint_menu'),
]


class Overview(BrowserCase):

    flow = 'overview'

    @classmethod
    def setUpClass(cls):
        super(Overview, cls).setUpClass()
        cls.admin = cls.rpc.set_user('base.user_root', password=None)

    def test_overview_main_screens(self):
        self.login(self.admin, 'admin')
        for name, menu in SCREENS:
            self.open_menu(menu)
            # A main screen shows records of the demo data.
            self.find('.o_kanban_record, .o_data_row, .o_pivot, '
                      '.o_graph_svg_container, .o_dashboard')
            self.step(name)
