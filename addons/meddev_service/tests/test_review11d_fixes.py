"""Review 11d, service side: the 360° view's credit data in the viewer's
(or the ticket's) company (S1-3), stages that hold tickets keep their
closing flag (S2-2), and the partners of kept tickets are not deleted
(S2-1). Every call goes through call_kw, as XML-RPC's execute_kw."""
import psycopg2

from odoo.exceptions import UserError
from odoo.tools import mute_logger

from odoo.addons.meddev_base.tests.common import create_user, rpc

from .common import MeddevServiceTicketCase


class TestView360Companies(MeddevServiceTicketCase):
    """A company-B dispatcher or credit user reads B's hold, reason and
    rating of a shared customer in the 360° views, never A's (S1-3)."""

    @classmethod
    def setUpClass(cls):
        super(TestView360Companies, cls).setUpClass()
        cls.company_a = cls.env.user.company_id
        cls.company_b = cls.env['res.company'].create(
            {'name': 'Service 360 Company B'})
        # A customer both companies serve.
        cls.customer = cls.env['res.partner'].create({
            'name': 'Shared Hospital', 'is_company': True,
            'customer': True, 'company_id': False})
        cls.customer.write({'credit_hold': True, 'credit_rating': 'D',
                            'credit_hold_reason': 'A: invoices overdue'})
        cls.dispatcher_b = create_user(
            cls.env, 'srv_dispatcher_b', cls.group_dispatcher,
            company=cls.company_b)
        cls.credit_user_b = create_user(
            cls.env, 'srv_credit_b',
            ['meddev_service.group_meddev_service_user',
             'meddev_credit.group_meddev_credit_user'],
            company=cls.company_b)
        cls.team_b = cls.env['meddev.service.team'].create({
            'name': 'Team B', 'company_id': cls.company_b.id,
            'member_ids': [(6, 0, cls.dispatcher_b.ids)]})
        cls.ticket_b = cls.env['meddev.service.ticket'].create({
            'title': 'B ticket', 'team_id': cls.team_b.id,
            'company_id': cls.company_b.id,
            'partner_id': cls.customer.id})

    def _partner_360(self, user):
        return rpc(user, 'res.partner', 'read',
                   [self.customer.ids, ['service_360_html']])[0][
                       'service_360_html']

    def _ticket_360(self, user, ticket=None):
        return rpc(user, 'meddev.service.ticket', 'read',
                   [(ticket or self.ticket_b).ids, ['view_360_html']])[0][
                       'view_360_html']

    def test_company_b_sees_b_credit_never_a(self):
        # Company A's dispatcher sees A's hold.
        self.assertIn('A: invoices overdue', self._partner_360(
            self.dispatcher))
        # B has no hold: B's users see none, not A's.
        for html in (self._partner_360(self.dispatcher_b),
                     self._ticket_360(self.dispatcher_b)):
            self.assertNotIn('A: invoices overdue', html)
            self.assertIn('no hold', html)
        html = self._partner_360(self.credit_user_b)
        self.assertNotIn('D - Credit hold', html)
        self.assertIn('not rated', html)
        # B's own hold shows to B.
        self.customer.with_context(force_company=self.company_b.id).write(
            {'credit_hold': True, 'credit_hold_reason': 'B: cheque bounced'})
        # A new request reads afresh.
        self.env['res.partner'].invalidate_cache()
        for html in (self._partner_360(self.dispatcher_b),
                     self._ticket_360(self.dispatcher_b)):
            self.assertIn('B: cheque bounced', html)
            self.assertNotIn('A: invoices overdue', html)
        self.assertIn('A: invoices overdue', self._partner_360(
            self.dispatcher))

    def test_ticket_view_uses_the_ticket_company(self):
        # A's dispatcher reads the ticket of a branch of A (the company
        # rules let them): the customer's standing in the branch, the
        # ticket's company, not in A.
        branch = self.env['res.company'].create({
            'name': 'Service 360 Branch of A',
            'parent_id': self.company_a.id})
        team = self.env['meddev.service.team'].create({
            'name': 'Branch Team', 'company_id': branch.id,
            'member_ids': [(6, 0, self.dispatcher.ids)]})
        ticket = self.env['meddev.service.ticket'].create({
            'title': 'Branch ticket', 'team_id': team.id,
            'company_id': branch.id, 'partner_id': self.customer.id})
        html = self._ticket_360(self.dispatcher, ticket)
        self.assertIn('no hold', html)
        self.assertNotIn('A: invoices overdue', html)


class TestStageKeepsClosedTickets(MeddevServiceTicketCase):
    """A service manager neither reopens nor closes the tickets of a stage
    by changing its closing flag or deleting it (S2-2)."""

    @classmethod
    def setUpClass(cls):
        super(TestStageKeepsClosedTickets, cls).setUpClass()
        cls.closing = cls._create_stage('Closed Here', 91, is_closed=True)
        cls.open_stage = cls._create_stage('Waiting Here', 35)

    def test_closing_stage_with_tickets_keeps_them_closed(self):
        ticket = self._ticket(triage_done=True)
        code = self.env['meddev.fault.code'].create(
            {'code': 'S11D', 'name': 'No display'})
        ticket.write({'fault_code_ids': [(6, 0, code.ids)],
                      'stage_id': self.closing.id})
        self.assertTrue(ticket.is_closed)
        stage = 'meddev.service.stage'
        for args in ([self.closing.ids, {'is_closed': False}],
                     [self.closing.ids, {'is_closed': False,
                                         'is_cancelled': False,
                                         'name': 'Renamed'}]):
            with self.assertRaises(UserError) as caught, \
                    self.env.cr.savepoint():
                rpc(self.manager, stage, 'write', args)
            self.assertIn('Closed Here', caught.exception.name)
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            rpc(self.manager, stage, 'unlink', [self.closing.ids])
        self.assertIn('cannot be deleted', caught.exception.name)
        ticket.invalidate_cache()
        self.assertEqual(ticket.stage_id, self.closing)
        self.assertTrue(ticket.is_closed)
        # Other fields, and the unchanged flag, are still written.
        rpc(self.manager, stage, 'write',
            [self.closing.ids, {'name': 'Done Here', 'is_closed': True}])
        self.assertEqual(self.closing.name, 'Done Here')

    def test_open_stage_with_tickets_does_not_close_them(self):
        ticket = self._ticket()
        ticket.write({'stage_id': self.open_stage.id})
        with self.assertRaises(UserError), self.env.cr.savepoint():
            rpc(self.manager, 'meddev.service.stage', 'write',
                [self.open_stage.ids, {'is_closed': True}])
        ticket.invalidate_cache()
        self.assertFalse(ticket.is_closed)

    def test_empty_stage_changes_freely(self):
        empty = self._create_stage('Empty', 92)
        rpc(self.manager, 'meddev.service.stage', 'write',
            [empty.ids, {'is_closed': True}])
        self.assertTrue(empty.is_closed)
        rpc(self.manager, 'meddev.service.stage', 'unlink', [empty.ids])
        self.assertFalse(empty.exists())


class TestTicketPartnersKept(MeddevServiceTicketCase):
    """Deleting the customer, contact or site of a ticket is refused; the
    ticket keeps them (S2-1)."""

    @classmethod
    def setUpClass(cls):
        super(TestTicketPartnersKept, cls).setUpClass()
        cls.site = cls.env['res.partner'].create({
            'name': 'Ward 3', 'type': 'delivery',
            'parent_id': cls.hospital.id})
        # Contact Creation: a common salesperson right.
        cls.partner_manager = create_user(
            cls.env, 'srv_partner_manager',
            ['base.group_user', 'base.group_partner_manager'])

    def test_partner_of_a_ticket_is_not_deleted(self):
        ticket = self._ticket(site_id=self.site.id)
        self.assertEqual(ticket.partner_id, self.hospital)
        for partner in (self.nurse, self.site, self.hospital):
            with self.assertRaises(UserError) as caught, \
                    self.env.cr.savepoint():
                rpc(self.partner_manager, 'res.partner', 'unlink',
                    [partner.ids])
            self.assertIn(ticket.name, caught.exception.name)
        ticket.invalidate_cache()
        self.assertEqual(ticket.partner_id, self.hospital)
        self.assertEqual(ticket.contact_id, self.nurse)
        self.assertEqual(ticket.site_id, self.site)
        # A partner no service record names is still deleted.
        stranger = self.env['res.partner'].create({'name': 'Stranger'})
        rpc(self.partner_manager, 'res.partner', 'unlink', [stranger.ids])
        self.assertFalse(stranger.exists())

    def test_database_refuses_too(self):
        """Below the ORM (another module's SQL, a partner merge gone
        wrong) the foreign keys refuse the deletion rather than empty the
        ticket's or the installed equipment's fields."""
        ticket = self._ticket(site_id=self.site.id)
        other_site = self.env['res.partner'].create({
            'name': 'Ward 4', 'type': 'delivery',
            'parent_id': self.hospital.id})
        self.equipment.site_id = other_site
        for partner in (self.nurse, self.site, other_site):
            with self.assertRaises(psycopg2.IntegrityError), \
                    mute_logger('odoo.sql_db'), self.env.cr.savepoint():
                self.env.cr.execute(
                    'DELETE FROM res_partner WHERE id = %s', [partner.id])
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.env.cr.savepoint():
            self.env.cr.execute(
                'DELETE FROM meddev_service_equipment WHERE id = %s',
                [ticket.equipment_id.id])
