from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase


class TestDemoGate(SavepointCase):
    """The demo database shows the gate: a confirmed order for the fully
    qualified distributor, a quotation the gate refuses for the one with
    a scope gap. The suite's test command always loads demo data: without
    it these tests fail on the missing records rather than pass silently."""

    def _demo(self, xmlid):
        return self.env.ref('meddev_qualification.%s' % xmlid)

    def test_qualified_distributor_order_confirmed(self):
        order = self._demo('sale_order_kangda_demo')
        self.assertEqual(order.state, 'sale')

    def test_scope_gap_order_refused(self):
        order = self._demo('sale_order_kangning_demo')
        self.assertEqual(order.state, 'draft')
        with self.assertRaisesRegex(UserError, 'does not cover category'):
            order.action_confirm()
        self.assertEqual(order.state, 'draft')
