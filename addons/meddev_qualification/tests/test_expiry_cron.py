from .common import MeddevTradeCase


class TestExpiryCron(MeddevTradeCase):

    @classmethod
    def setUpClass(cls):
        super(TestExpiryCron, cls).setUpClass()
        cls.salesperson = cls._create_user('cron_sales', cls.group_user)
        cls.distributor.user_id = cls.salesperson
        cls.past = cls._create_licence(
            cls.distributor, cls.type_trading, '京食药监械经营许20150035号',
            valid_to='2026-02-28', scope=cls.cat_imaging)
        cls.soon = cls._create_licence(
            cls.distributor, cls.type_trading, '京食药监械经营许20150036号',
            valid_to='2026-03-21', scope=cls.cat_imaging)
        cls.later = cls._create_licence(
            cls.distributor, cls.type_trading, '京食药监械经营许20150037号',
            valid_to='2027-03-01', scope=cls.cat_imaging)
        cls.forever = cls._create_licence(
            cls.distributor, cls.type_business, '91110105MA01ABCD39',
            long_term=True)
        cls.licences = cls.past | cls.soon | cls.later | cls.forever

    def _activities(self):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.partner.licence'),
            ('res_id', 'in', self.licences.ids)])

    def test_expires_and_reminds_once(self):
        licences = self.env['meddev.partner.licence']
        self.assertEqual(
            licences._cron_check_expiry(today=self.TODAY, batch_size=1), 1)
        self.assertEqual(self.past.state, 'expired')
        self.assertEqual(
            (self.soon | self.later | self.forever).mapped('state'),
            ['approved'] * 3)
        self.assertIn('Licence expired on 2026-02-28',
                      self.past.message_ids[0].body)
        activity = self._activities()
        # 20 days left: the 90 and 30 day thresholds are crossed together;
        # one reminder, for the salesperson.
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.res_id, self.soon.id)
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertEqual(activity.date_deadline, '2026-03-21')
        self.assertIn('expires in 20 days', activity.summary)
        self.assertEqual(self.soon.alert_thresholds_done, '90,30')
        # Running again the same day creates nothing new.
        self.assertEqual(licences._cron_check_expiry(today=self.TODAY), 0)
        self.assertEqual(self._activities(), activity)
        # The 7-day threshold brings one more reminder, once.
        licences._cron_check_expiry(today='2026-03-15')
        licences._cron_check_expiry(today='2026-03-16')
        self.assertEqual(len(self._activities()), 2)
        self.assertEqual(self.soon.alert_thresholds_done, '90,30,7')
        # After its end date the licence expires.
        licences._cron_check_expiry(today='2026-03-22')
        self.assertEqual(self.soon.state, 'expired')
        self.assertEqual(self.forever.state, 'approved')

    def test_scheduled_action(self):
        cron = self.env.ref('meddev_qualification.ir_cron_licence_expiry')
        self.assertEqual(cron.model_id.model, 'meddev.partner.licence')
        self.assertIn('_cron_check_expiry', cron.code)
        self.assertEqual(cron.interval_type, 'days')
