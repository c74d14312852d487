"""The configuration an implementer does, screen by screen (the guide's
configuration pages show these screenshots): licence types and scopes,
credit policies and approval tiers, SLA policies and working calendars,
reporting rules, recall levels. Each screen is opened from its menu or
action as the administrator (who holds the suite's manager groups in the
demo data), must show the shipped or demo records, and a record's form
must show the fields the guide names. Nothing is saved: the flows that
run after these tests find the demo data as installed."""
from browser.harness import BrowserCase


class ConfigCase(BrowserCase):

    @classmethod
    def setUpClass(cls):
        super(ConfigCase, cls).setUpClass()
        cls.admin = cls.rpc.set_user('base.user_root', password=None)

    def setUp(self):
        super(ConfigCase, self).setUp()
        if not getattr(type(self), 'logged_in', False):
            self.login(self.admin, 'admin')
            type(self).logged_in = True

    def list_screen(self, menu, step):
        """Open a configuration list from its menu: it shows rows."""
        self.open_menu(menu)
        self.find('.o_list_view .o_data_row')
        self.step(step)

    def form_screen(self, model, xmlid, fields, step, tab_of=None):
        """Open a configuration record: its form has ``fields``."""
        self.open_record(model, self.rpc.ref(xmlid))
        if tab_of:
            self.tab_of(tab_of)
        for name in fields:
            # In the form (an empty many2many tags widget takes no room).
            self.find('.o_form_view .o_field_widget[name="%s"]' % name,
                      visible=False)
        self.step(step)


class ConfigLicences(ConfigCase):

    flow = 'config-licences'

    def test_config_licence_types_and_scopes(self):
        self.list_screen('meddev_qualification.meddev_licence_type_menu',
                         'licence-types')
        self.form_screen(
            'meddev.licence.type',
            'meddev_qualification.licence_type_operation',
            ['name', 'for_distributor', 'authorises_class_iii', 'has_scope',
             'number_pattern', 'alert_days'], 'licence-type')
        self.list_screen(
            'meddev_qualification.meddev_device_category_config_menu',
            'device-categories')
        # The approval tiers of first-business reviews (Settings >
        # Technical: opened by its action, the menu needs debug mode).
        self.open_action('base_tier_validation.tier_definition_action')
        self.find('.o_list_view .o_data_row')
        self.step('review-tiers')


class ConfigCredit(ConfigCase):

    flow = 'config-credit'

    def test_config_credit_policies_and_tiers(self):
        self.list_screen('meddev_credit.meddev_credit_policy_menu',
                         'credit-policies')
        self.form_screen('meddev.credit.policy',
                         'meddev_credit.meddev_credit_policy_c',
                         ['rating', 'min_score', 'allow_sale',
                          'limit_multiplier', 'tolerance_days',
                          'payment_term_mode'],
                         'credit-policy')
        self.list_screen('meddev_credit.meddev_credit_signal_menu',
                         'rating-signals')
        # A second approval level for large overrides: a tier definition
        # on Credit Override, shown filled in and discarded (flow 2 expects
        # the one-level approval of the demo data).
        self.open_action('base_tier_validation.tier_definition_action')
        self.create()
        self.set_char('name', self.rpc.name(
            'ir.model', 'meddev_credit.model_meddev_credit_override'))
        self.set_many2one('model_id', self.rpc.name(
            'ir.model', 'meddev_credit.model_meddev_credit_override'))
        self.step('override-tier')
        self.click('.o_form_buttons_edit .o_form_button_cancel')
        self.click('.modal.in .modal-footer .btn-primary')
        self.absent('.modal.in')


class ConfigSla(ConfigCase):

    flow = 'config-sla'

    def test_config_sla_policies_and_calendars(self):
        self.list_screen('meddev_service.meddev_sla_policy_menu',
                         'sla-policies')
        self.form_screen('meddev.sla.policy',
                         'meddev_service.meddev_sla_policy_urgent_demo',
                         ['name', 'team_ids', 'priority', 'response_hours',
                          'onsite_hours', 'resolution_hours'], 'sla-policy')
        self.form_screen('resource.calendar',
                         'meddev_service.resource_calendar_east_demo',
                         ['name', 'attendance_ids'], 'working-calendar')


class ConfigReporting(ConfigCase):

    flow = 'config-reporting'

    def test_config_reporting_rules(self):
        self.list_screen('meddev_quality_capa.meddev_reporting_rule_config_menu',
                         'reporting-rules')
        self.form_screen('meddev.reporting.rule',
                         'meddev_quality_capa.reporting_rule_cn_serious_injury',
                         ['name', 'country_id', 'event_kind',
                          'deadline_amount', 'deadline_unit', 'valid_from'],
                         'reporting-rule')


class ConfigRecall(ConfigCase):

    flow = 'config-recall'

    def test_config_recall_levels(self):
        self.list_screen('meddev_traceability.meddev_recall_level_menu',
                         'recall-levels')
        self.form_screen('meddev.recall.level',
                         'meddev_traceability.recall_level_cn_1',
                         ['name', 'country_id', 'notice_days'],
                         'recall-level')
