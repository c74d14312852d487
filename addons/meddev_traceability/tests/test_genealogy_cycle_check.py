from .common import MeddevTraceabilityCase


class TestGenealogyCycleCheck(MeddevTraceabilityCase):
    """The nightly check finds a cycle left by SQL and tells the recall
    managers once, without waiting for a trace to stop on it."""

    @classmethod
    def setUpClass(cls):
        super(TestGenealogyCycleCheck, cls).setUpClass()
        part = cls._create_product('Cycle Part', 'lot')
        cls.lot = dict((name, cls._create_lot(part, name))
                       for name in ('CY-C', 'CY-M', 'CY-S', 'CY-TOP'))
        links = cls.env['meddev.lot.link']
        links.add_link(cls.lot['CY-M'], cls.lot['CY-C'])
        links.add_link(cls.lot['CY-S'], cls.lot['CY-M'])
        links.add_link(cls.lot['CY-TOP'], cls.lot['CY-S'])
        cls.cron = cls.env.ref(
            'meddev_traceability.ir_cron_meddev_lot_link_cycle_check')

    def _reports(self):
        return self.env['mail.message'].search([
            ('model', '=', 'stock.production.lot'),
            ('res_id', 'in', [lot.id for lot in self.lot.values()]),
            ('body', 'ilike', 'holds a cycle')])

    def test_no_cycle_nothing_told(self):
        self.assertIsNone(
            self.env['meddev.lot.link']._cron_check_cycles())
        self.assertFalse(self._reports())

    def test_cycle_told_once_to_the_managers(self):
        # An old import said the component contains the system.
        bad = self._insert_link_sql(self.lot['CY-C'], self.lot['CY-S'])
        self.cron.method_direct_trigger()
        report = self._reports()
        self.assertEqual(len(report), 1)
        for name in ('CY-C', 'CY-M', 'CY-S'):
            self.assertIn(name, report.body)
        self.assertNotIn('CY-TOP', report.body)
        self.assertIn(self.manager.partner_id, report.partner_ids)
        self.assertNotIn(self.user.partner_id, report.partner_ids)
        # The next night: the same cycle is not told again.
        self.cron.method_direct_trigger()
        self.assertEqual(len(self._reports()), 1)
        # Retired, it is gone; a new cycle later is told again.
        bad.sudo(self.manager)._retire('Imported by mistake.')
        self.assertIsNone(
            self.env['meddev.lot.link']._cron_check_cycles())
        self._insert_link_sql(self.lot['CY-M'], self.lot['CY-TOP'])
        path = self.env['meddev.lot.link']._cron_check_cycles()
        self.assertEqual(set(path), set(
            (self.lot['CY-M'] | self.lot['CY-S'] | self.lot['CY-TOP']).ids))
        self.assertEqual(len(self._reports()), 2)
