"""The licence expiry cron: both companies in one run, each reminding its
own compliance team; a crash mid-run resumes without a second note or
reminder."""

from odoo.tests.common import at_install, post_install

from odoo.addons.meddev_base.tests.common import (
    crash_on_call, scheduled_run)

from .common import MeddevSuiteCase

# The cron's day: the licences below end around it.
TODAY = '2030-06-01'


@at_install(False)
@post_install(True)
class TestLicenceExpiryCron(MeddevSuiteCase):

    @classmethod
    def setUpClass(cls):
        super(TestLicenceExpiryCron, cls).setUpClass()
        cls.company_b = cls.env['res.company'].create({
            'name': 'Suite Cron South', 'currency_id':
            cls.company.currency_id.id})
        cls.cron = cls.env.ref('meddev_qualification.ir_cron_licence_expiry')
        # The test owns the cron's day: other licences (demo) stay out.
        cls.env.cr.execute(
            "UPDATE meddev_partner_licence SET long_term = TRUE")
        cls.env['meddev.partner.licence'].invalidate_cache()
        reviewer = 'meddev_qualification.group_meddev_qualification_reviewer'
        cls.compliance = {}
        cls.sales = {}
        cls.expiring = {}
        cls.ending = {}
        for key, company in (('a', cls.company), ('b', cls.company_b)):
            cls.compliance[key] = cls._create_user(
                'suite_cron_compliance_%s' % key, [reviewer], company)
            cls.sales[key] = cls._create_user(
                'suite_cron_sales_%s' % key, ['base.group_user'], company)
            company.meddev_compliance_user_ids = cls.compliance[key]
            cls.expiring[key] = cls.env['meddev.partner.licence']
            cls.ending[key] = cls.env['meddev.partner.licence']
            for number in range(2):
                partner = cls.env['res.partner'].create({
                    'name': 'Suite Cron Distributor %s%s' % (key, number),
                    'is_company': True, 'user_id': cls.sales[key].id,
                    'company_id': company.id})
                # One licence ended before the cron's day, one ends 20
                # days after it (its 30-day reminder is due).
                cls.expiring[key] |= cls._approved_licence(
                    partner, 'EXP-%s%s' % (key, number), company,
                    '2030-05-20')
                cls.ending[key] |= cls._approved_licence(
                    partner, 'END-%s%s' % (key, number), company,
                    '2030-06-21')

    @classmethod
    def _approved_licence(cls, partner, number, company, valid_to):
        licence = cls._create_licence(partner, number, company)
        licence.write({'long_term': False, 'valid_to': valid_to})
        licence.licence_type_id.alert_days = '90,30,7'
        licence.action_approve()
        return licence

    def _run_cron(self, batch_size=200):
        """The scheduled action's call, as its user."""
        licences = self.env['meddev.partner.licence'].sudo(
            self.cron.user_id)
        return licences._cron_check_expiry(
            today=TODAY, batch_size=batch_size, commit=True)

    def _all(self, records):
        return records['a'] | records['b']

    def _expired_notes(self, partner):
        return partner.message_ids.filtered(
            lambda message: 'Licences expired' in (message.body or ''))

    def _reminders(self, partner):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'), ('res_id', '=', partner.id)])

    def assertDoneOnce(self):
        """Every licence expired or reminded once, each partner told once,
        each company's own people reminded."""
        self.assertEqual(set(self._all(self.expiring).mapped('state')),
                         {'expired'})
        for licence in self._all(self.expiring):
            tracked = licence.message_ids.filtered(
                lambda message: 'The licence expired' in (
                    message.body or ''))
            self.assertEqual(len(tracked), 1, licence.number)
        for key in ('a', 'b'):
            for licence in self.ending[key]:
                partner = licence.partner_id
                self.assertEqual(len(self._expired_notes(partner)), 1,
                                 partner.name)
                reminders = self._reminders(partner)
                # Salesperson and compliance team of the licence's company,
                # once each, never the other company's.
                self.assertEqual(
                    sorted(reminders.mapped('user_id.login')),
                    sorted((self.sales[key] | self.compliance[key]).mapped(
                        'login')), partner.name)
                self.assertEqual(licence.alert_thresholds_done, '90,30')

    def test_both_companies_in_one_run(self):
        with scheduled_run(self.env) as run:
            self.assertEqual(self._run_cron(), 4)
        self.assertFalse(run['crashed'])
        self.assertDoneOnce()
        # A second run finds nothing left.
        self.assertEqual(self._run_cron(), 0)
        self.assertDoneOnce()

    def test_crash_while_expiring_then_rerun(self):
        licences = self.env['meddev.partner.licence']
        with scheduled_run(self.env) as run, crash_on_call(
                licences, '_expire_batch', 2):
            self._run_cron(batch_size=1)
        self.assertTrue(run['crashed'])
        # The two batches committed before the crash stay expired.
        self.assertEqual(
            self._all(self.expiring).mapped('state').count('expired'), 2)
        with scheduled_run(self.env):
            self.assertEqual(self._run_cron(batch_size=1), 2)
        self.assertDoneOnce()

    def test_crash_while_reminding_then_rerun(self):
        licences = self.env['meddev.partner.licence']
        with scheduled_run(self.env) as run, crash_on_call(
                licences, '_schedule_expiry_alerts', 3):
            self._run_cron(batch_size=1)
        self.assertTrue(run['crashed'])
        reminded = self._all(self.ending).filtered('alert_thresholds_done')
        self.assertEqual(len(reminded), 3)
        with scheduled_run(self.env):
            self._run_cron(batch_size=1)
        self.assertDoneOnce()
