from odoo import api
from odoo.exceptions import AccessError

from .common import MeddevServiceTicketCase
from .test_mail_gateway import NEW_MAIL


class TestAliasGuard(MeddevServiceTicketCase):
    """Only a service manager changes a service team's mail alias: an
    employee may neither force its mails into a ticket, rename it,
    change its model or contact policy, delete it, nor create an alias
    for tickets (Odoo 11 lets any employee edit aliases, R-1b)."""

    @classmethod
    def setUpClass(cls):
        super(TestAliasGuard, cls).setUpClass()
        cls.env['ir.config_parameter'].set_param(
            'mail.catchall.domain', 'example.com')
        cls.other_company = cls.env['res.company'].create(
            {'name': 'Alias Guard Other Co'})
        cls.other_team = cls.env['meddev.service.team'].create({
            'name': 'Alias Guard Other Team',
            'company_id': cls.other_company.id,
            'alias_name': 'other-guard-service-test'})
        cls.victim = cls.env['meddev.service.ticket'].create({
            'title': 'Other company ticket', 'team_id': cls.other_team.id,
            'company_id': cls.other_company.id})
        cls.alias = cls.team.alias_id

    def _rpc(self, user, method, args):
        """Call ``method`` of mail.alias as ``user`` through call_kw, as
        the web client does."""
        aliases = self.env['mail.alias'].sudo(user)
        return api.call_kw(aliases, method, args, {'context': {}})

    def _refused(self, method, args, name='east-service-test'):
        """The employee's call is refused, naming the alias and rule."""
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            self._rpc(self.employee, method, args)
        self.assertIn(name, str(caught.exception))
        self.assertIn('service manager', str(caught.exception))

    def test_employee_may_not_divert_the_team_alias(self):
        partner_model = self.env.ref('base.model_res_partner')
        for values in ({'alias_force_thread_id': self.victim.id},
                       {'alias_name': 'hijacked-service-test'},
                       {'alias_model_id': partner_model.id},
                       {'alias_contact': 'partners'},
                       {'alias_defaults': repr(
                           {'team_id': self.other_team.id})}):
            self._refused('write', [self.alias.ids, values])
        self._refused('unlink', [self.alias.ids])
        self.assertEqual(self.alias.alias_name, 'east-service-test')
        self.assertFalse(self.alias.alias_force_thread_id)
        self.assertEqual(self.alias.alias_contact, 'everyone')
        # The team's mail still opens a ticket of the team, with its
        # clock; nothing reached the other company's ticket.
        before = len(self.victim.message_ids)
        ticket = self.env['meddev.service.ticket'].browse(
            self.env['mail.thread'].message_process(
                'meddev.service.ticket', NEW_MAIL))
        self.assertNotEqual(ticket, self.victim)
        self.assertEqual(ticket.team_id, self.team)
        self.assertTrue(ticket.sla_line_ids)
        self.assertEqual(len(self.victim.message_ids), before)

    def test_employee_may_not_create_a_ticket_alias(self):
        ticket_model = self.env.ref(
            'meddev_service.model_meddev_service_ticket')
        self._refused('create', [{
            'alias_name': 'sneaky-guard-test',
            'alias_model_id': ticket_model.id}], name='sneaky-guard-test')
        self.assertFalse(self.env['mail.alias'].search(
            [('alias_name', '=', 'sneaky-guard-test')]))
        # Turning an own alias into a ticket alias is refused as well;
        # an alias for another model stays free.
        own = self.env['mail.alias'].browse(self._rpc(
            self.employee, 'create', [{
                'alias_name': 'own-guard-test',
                'alias_model_id': self.env.ref(
                    'base.model_res_partner').id}]))
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self._rpc(self.employee, 'write', [
                own.ids, {'alias_model_id': ticket_model.id}])
        self.assertNotEqual(own.alias_model_id, ticket_model)

    def test_employee_may_not_create_other_service_aliases(self):
        # Every model of the module, not only tickets: an alias creating
        # an active contract (tickets no longer billed), a piece of
        # equipment, an engineer or a team from any mail (review 6, S1).
        for model in ('meddev.service.contract', 'meddev.service.equipment',
                      'meddev.service.engineer', 'meddev.service.team'):
            name = 'sneaky-%s-test' % model.split('.')[-1]
            with self.subTest(model=model):
                self._refused('create', [{
                    'alias_name': name,
                    'alias_model_id': self.env['ir.model']._get(model).id,
                    'alias_user_id': self.env.ref('base.user_root').id,
                    'alias_defaults': repr({'state': 'active'})}],
                    name=name)
        self.assertFalse(self.env['mail.alias'].search(
            [('alias_name', 'like', 'sneaky-%-test')]))
        contracts = self.env['ir.model']._get('meddev.service.contract')
        alias = self.env['mail.alias'].browse(self._rpc(
            self.manager, 'create', [{'alias_name': 'contracts-guard-test',
                                      'alias_model_id': contracts.id}]))
        self.assertEqual(alias.alias_model_id, contracts)

    def test_manager_may_rename_and_create_teams(self):
        self._rpc(self.manager, 'write', [
            self.alias.ids, {'alias_name': 'east-renamed-test'}])
        self.assertEqual(self.alias.alias_name, 'east-renamed-test')
        teams = self.env['meddev.service.team'].sudo(self.manager)
        team = teams.browse(api.call_kw(teams, 'create', [{
            'name': 'Manager Team', 'company_id': self.team.company_id.id,
            'alias_name': 'manager-guard-test'}], {'context': {}}))
        self.assertEqual(team.alias_id.alias_name, 'manager-guard-test')
        self.assertEqual(team.alias_id.alias_model_id.model,
                         'meddev.service.ticket')
        ticket = self.env['meddev.service.ticket'].browse(
            self.env['mail.thread'].message_process(
                'meddev.service.ticket', NEW_MAIL.replace(
                    'east-service-test', 'manager-guard-test')))
        self.assertEqual(ticket.team_id, team)


class TestSuiteAliases(MeddevServiceTicketCase):
    """meddev_base's guard on the models and fields of the other addons
    installed with this one (review 6, base S1): a salesperson's alias may
    not create approved credit overrides nor partners with a credit limit
    of their choosing through the mail gateway (which creates them as the
    superuser, whom the credit checks let through)."""

    @classmethod
    def setUpClass(cls):
        super(TestSuiteAliases, cls).setUpClass()
        cls.salesperson = cls._create_user(
            'alias_salesperson', cls.group_employee | cls.env.ref(
                'sales_team.group_sale_salesman'))

    def _create(self, vals):
        aliases = self.env['mail.alias'].sudo(self.salesperson)
        return aliases.browse(api.call_kw(
            aliases, 'create', [vals], {'context': {}}))

    def test_approved_override_alias_refused(self):
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            self._create({
                'alias_name': 'override-guard-test',
                'alias_model_id': self.env['ir.model']._get(
                    'meddev.credit.override').id,
                'alias_defaults': repr({
                    'state': 'approved', 'amount': 1e12,
                    'expiry_date': '2099-12-31'})})
        self.assertIn('override-guard-test', caught.exception.name)
        self.assertFalse(self.env['mail.alias'].search(
            [('alias_name', '=', 'override-guard-test')]))

    def test_credit_limit_in_partner_defaults_refused(self):
        partners = self.env.ref('base.model_res_partner')
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            self._create({'alias_name': 'limit-guard-test',
                          'alias_model_id': partners.id,
                          'alias_defaults': repr({'credit_limit': 1e12})})
        self.assertIn('res.partner.credit_limit', caught.exception.name)
        # A partner alias without the suite's fields stays free.
        alias = self._create({'alias_name': 'leads-guard-test',
                              'alias_model_id': partners.id,
                              'alias_defaults': repr({'customer': True})})
        self.assertEqual(alias.alias_model_id, partners)
