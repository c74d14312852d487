"""Regulated records are never deleted, by anybody: every model of the
suite whose MRO holds meddev.regulated.mixin refuses the superuser (uid 1,
``admin`` in Odoo 11, whom no access rule stops) the deletion of a record
it keeps. A model added to the mixin without a way to build a kept record
here fails the test, so that none goes unchecked."""

from odoo import SUPERUSER_ID, fields
from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from .common import MeddevSuiteCase, suite_models
from .test_context_defaults import rpc

MIXIN = 'meddev.regulated.mixin'
# The refusal of the mixin, and of the models that word it their own way
# (the same kept records, ``_meddev_kept_records``): a test that took any
# UserError would pass on a model's unrelated check (a state, a rule).
REFUSAL = 'cannot be deleted: a .* is a regulated record that must be kept'
OWN_REFUSALS = {
    # Licences have no Cancel: they are rejected or revoked.
    'meddev.partner.licence':
        'cannot be deleted: it has been submitted for review',
}


class KeptRecordBuilders(MeddevSuiteCase):
    """Builders of one kept record per regulated model, as the
    superuser (no tests here: shared with test_audit_trail_guards)."""

    @classmethod
    def setUpClass(cls):
        super(KeptRecordBuilders, cls).setUpClass()
        # The workflow's own writes (the server mark): the records are
        # built as their buttons and clocks would leave them.
        cls.server = cls.env['meddev.guarded.mixin']._meddev_as_server().env
        cls.partner = cls.env['res.partner'].create({
            'name': 'Regulated Distributor', 'is_company': True,
            'customer': True, 'meddev_partner_kind': 'distributor'})
        cls.lot = cls._create_lot('REG-L-001', cls.company)
        cls.product = cls.lot.product_id

    # Builders of one kept record per model, as the superuser.

    def _build_meddev_esignature(self):
        return self.env['meddev.esignature']._sign(self.partner, 'review')

    def _build_meddev_partner_licence(self):
        return self._create_licence(self.partner, 'REG-LIC-1', self.company)

    def _build_meddev_qualification_review(self):
        review = self.env['meddev.qualification.review'].create({
            'review_type': 'partner', 'partner_id': self.partner.id})
        review.write({'state': 'cancel'})
        return review

    def _build_meddev_qualification_settings_log(self):
        return self.server['meddev.qualification.settings.log'].create({
            'company_id': self.company.id, 'user_id': SUPERUSER_ID,
            'date': fields.Datetime.now(), 'field_name': 'name',
            'field_label': 'Name'})

    def _build_meddev_recall(self):
        return self._create_recall(self.lot, self.company)

    def _build_meddev_recall_line(self):
        recall = self._create_recall(self.lot, self.company)
        self.env['meddev.recall.line']._insert_lines(recall, [{
            'lot_id': self.lot.id, 'picking_id': None,
            'customer_id': self.partner.id, 'partner_id': self.partner.id,
            'product_id': self.product.id, 'date': fields.Datetime.now(),
            'quantity': 1.0}])
        return recall.line_ids

    def _build_meddev_lot_link(self):
        return self.env['meddev.lot.link'].create({
            'parent_lot_id': self._create_lot(
                'REG-L-PARENT', self.company).id,
            'child_lot_id': self.lot.id, 'company_id': self.company.id})

    def _build_meddev_capa(self):
        return self._create_capa(self.company)

    def _build_meddev_capa_action(self):
        return self.env['meddev.capa.action'].create({
            'capa_id': self._create_capa(self.company).id,
            'name': 'Retrain the line', 'owner_id': SUPERUSER_ID,
            'due_date': '2099-01-31'})

    def _build_meddev_complaint(self):
        return self.server['meddev.complaint'].create({
            'description': 'Pump alarm silent', 'company_id': self.company.id,
            'product_id': self.product.id})

    def _build_meddev_complaint_investigation(self):
        return self.server['meddev.complaint.investigation'].create({
            'name': 'Root cause', 'company_id': self.company.id,
            'complaint_id': self._build_meddev_complaint().id})

    def _build_meddev_reportability_decision(self):
        return self.env['meddev.reportability.decision'].create({
            'complaint_id': self._build_meddev_complaint().id,
            'country_id': self.env.ref('base.cn').id,
            'decision': 'not_reportable', 'rationale': 'No harm possible'})

    def _build_meddev_regulatory_report(self):
        complaint = self._build_meddev_complaint()
        return self.server['meddev.regulatory.report'].create({
            'complaint_id': complaint.id, 'company_id': self.company.id,
            'country_id': self.env.ref('base.cn').id,
            'due_date': fields.Datetime.now()})

    def _build_meddev_service_ticket(self):
        # Triaged: no longer a draft typed in by mistake (meddev_service
        # keeps every opened ticket).
        return self.server['meddev.service.ticket'].create({
            'title': 'Regulated pump alarm', 'partner_id': self.partner.id,
            'company_id': self.company.id, 'triage_done': True})

    def _build_meddev_change_record(self):
        return self.server['meddev.change.record'].create({
            'title': 'New seal supplier', 'change_type': 'supplier',
            'product_ids': [(6, 0, self.product.ids)],
            'description': 'Seal from a second source',
            'company_id': self.company.id})


# The complaint's reports want the countries and the chart of accounts,
# installed after the suite on a fresh database.
@at_install(False)
@post_install(True)
class TestRegulatedRecords(KeptRecordBuilders):

    def test_regulated_models_listed(self):
        """The models this test walks hold the mixin, the regulated
        records of SECURITY.md among them: a model losing the mixin fails
        here (the walk below would skip it)."""
        self.assertLessEqual({
            'meddev.capa', 'meddev.capa.action', 'meddev.change.record',
            'meddev.complaint', 'meddev.complaint.investigation',
            'meddev.esignature', 'meddev.partner.licence',
            'meddev.qualification.review', 'meddev.recall',
            'meddev.recall.line', 'meddev.regulatory.report',
            'meddev.reportability.decision'}, set(self._regulated_models()))

    def test_superuser_cannot_delete(self):
        """Each regulated model refuses the superuser the deletion of a
        record it keeps."""
        self.assertEqual(self.env.uid, SUPERUSER_ID)
        for name in self._regulated_models():
            builder = getattr(self, '_build_' + name.replace('.', '_'), None)
            self.assertTrue(builder, '%s: no builder of a kept record in '
                            'this test' % name)
            record = builder()
            self.assertTrue(record, name)
            self.assertEqual(record._meddev_kept_records(), record, name)
            with self.subTest(model=name), self.assertRaisesRegex(
                    UserError, OWN_REFUSALS.get(name, REFUSAL)):
                record.unlink()
            self.assertTrue(record.exists(), name)

    def _regulated_models(self):
        return [name for name in suite_models(self.env)
                if any(getattr(cls, '_name', None) == MIXIN
                       for cls in type(self.env[name]).mro())]


@at_install(False)
@post_install(True)
class TestRecallLinesGuarded(MeddevSuiteCase):
    """A recall line records who was told what and when: the workflow's
    fields are refused over RPC (readonly in the views only protected
    nothing), a recall that is not open keeps its lines as they are, and
    what a recall manager records by hand goes on the recall's chatter."""

    @classmethod
    def setUpClass(cls):
        super(TestRecallLinesGuarded, cls).setUpClass()
        cls.recall_manager = cls._create_user('reg_recall_manager', [
            'meddev_traceability.group_meddev_traceability_manager'])
        cls.customer = cls.env['res.partner'].create({
            'name': 'Recall Customer', 'is_company': True, 'customer': True})
        cls.other = cls.env['res.partner'].create({
            'name': 'Other Customer', 'is_company': True, 'customer': True})
        cls.lot = cls._create_lot('REG-L-002', cls.company)
        cls.other_lot = cls._create_lot('REG-L-003', cls.company)
        cls.recall = cls._create_recall(cls.lot, cls.company)
        cls.env['meddev.recall.line']._insert_lines(cls.recall, [{
            'lot_id': cls.lot.id, 'picking_id': None,
            'customer_id': cls.customer.id, 'partner_id': cls.customer.id,
            'product_id': cls.lot.product_id.id,
            'date': fields.Datetime.now(), 'quantity': 5.0}])
        cls.line = cls.recall.line_ids
        # Launched (the launch itself is traceability's to test).
        cls.recall.write({'state': 'open',
                          'launch_date': fields.Datetime.now()})

    def _write(self, vals, context=None):
        return rpc(self.recall_manager, 'meddev.recall.line', 'write',
                   [self.line.ids, vals], context or {})

    def test_workflow_fields_refused(self):
        for vals in ({'quantity_at_customer': 0.0},
                     {'quantity_shipped': 0.0},
                     {'notice_status': 'sent'},
                     {'overdue': True},
                     {'state': 'done'},
                     {'partner_id': self.other.id},
                     {'lot_id': self.other_lot.id},
                     {'recall_id': self._create_recall(
                         self.lot, self.company).id}):
            with self.assertRaises(UserError, msg=str(vals)):
                with self.env.cr.savepoint():
                    self._write(vals)
        self.line.invalidate_cache()
        self.assertEqual((self.line.partner_id, self.line.lot_id,
                          self.line.quantity_at_customer,
                          self.line.notice_status, self.line.state),
                         (self.customer, self.lot, 5.0, False, 'to_notify'))

    def test_manual_change_on_the_recall_chatter(self):
        before = self.recall.message_ids
        self._write({'quantity_returned': 2.0})
        self.assertEqual(self.line.quantity_returned, 2.0)
        posted = self.recall.message_ids - before
        self.assertEqual(len(posted), 1)
        self.assertEqual(posted.author_id,
                         self.recall_manager.partner_id)
        self.assertIn('Recall Customer', posted.body)
        self.assertIn('2.0', posted.body)

    def test_closed_recall_keeps_its_lines(self):
        self.recall.write({'state': 'closed',
                           'close_date': fields.Datetime.now()})
        for vals in ({'quantity_returned': 5.0},
                     {'acknowledged_date': fields.Datetime.now()},
                     {'quantity_at_customer': 0.0}):
            with self.assertRaises(UserError, msg=str(vals)):
                with self.env.cr.savepoint():
                    self._write(vals)
        self.assertEqual(self.line.state, 'to_notify')
