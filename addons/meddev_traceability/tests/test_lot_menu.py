from .common import MeddevTraceabilityCase


class TestLotMenu(MeddevTraceabilityCase):
    """The Lots/Serial Numbers menu opens the lot form the suite extends."""

    def test_menu_opens_the_genealogy_form(self):
        action = self.env.ref('meddev_traceability.stock_production_lot_action')
        # What the web client reads when the user clicks the menu.
        data = action.sudo(self.user).read(['views'])[0]
        views = dict((mode, view_id) for view_id, mode in data['views'])
        full_form = self.env.ref('stock.view_production_lot_form')
        self.assertEqual(views['form'], full_form.id)
        arch = self.env['stock.production.lot'].sudo(self.user).load_views(
            [(views['form'], 'form')])['fields_views']['form']['arch']
        self.assertIn('action_trace_backward', arch)
        self.assertIn('udi_element_string', arch)
