"""Two companies with their own users: the suite's records of one are not
readable from the other, whatever the group; every suite model that holds
a company keeps companies apart by a record rule."""

from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import MeddevSuiteCase, suite_models

# Groups that reach every suite document within a company.
MANAGER_GROUPS = (
    'meddev_qualification.group_meddev_qualification_manager',
    'meddev_credit.group_meddev_credit_manager',
    'meddev_traceability.group_meddev_traceability_manager',
    'meddev_service.group_meddev_service_manager',
    'meddev_quality_capa.group_meddev_quality_capa_manager',
)
# Models that hold no company on purpose (shared configuration), with why.
SHARED_MODELS = {
    'meddev.device.category': 'the national classification catalogue, '
                              'the same for every company',
    'meddev.licence.type': 'the kinds of licence a regulator issues',
    'meddev.recall.level': 'recall classes and their deadlines, set by regulation',
    'meddev.service.stage': 'ticket stages, like helpdesk stages',
}
# Models without a company of their own, kept apart by their parent's:
# {model: the field of the parent whose company the rule follows}.
CHILD_MODELS = {
    'meddev.licence.proposal': 'licence_id',
    'meddev.qualification.review.line': 'review_id',
}
# Company rules found missing, model names: listed in SECURITY.md
# (Findings) for the module owners, who remove the line with the fix.
OPEN_FINDINGS = frozenset()


@at_install(False)
@post_install(True)
class TestMultiCompany(MeddevSuiteCase):

    @classmethod
    def setUpClass(cls):
        super(TestMultiCompany, cls).setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env['res.company'].create({
            'name': 'Suite Second Company',
            'currency_id': cls.company_a.currency_id.id})
        cls.user_a = cls._create_user(
            'suite_mc_a', MANAGER_GROUPS, cls.company_a)
        cls.user_b = cls._create_user(
            'suite_mc_b', MANAGER_GROUPS, cls.company_b)
        cls.partner = cls.env['res.partner'].create({
            'name': 'Suite Shared Hospital', 'is_company': True,
            'customer': True, 'meddev_partner_kind': 'distributor'})
        cls.records = cls._records_of(cls.company_a, 'A')

    @classmethod
    def _records_of(cls, company, tag):
        """Return {label: record} of one document of each kind, all of
        ``company``, built by the superuser."""
        lot = cls._create_lot('SUITE-MC-%s-1' % tag, company)
        component = cls._create_lot('SUITE-MC-%s-2' % tag, company)
        order = cls._create_order(cls.partner, cls.user_a, company)
        override = cls.env['meddev.credit.override'].create({
            'order_id': order.id, 'partner_id': cls.partner.id,
            'company_id': company.id, 'reason': 'Tender %s' % tag})
        return {
            'licence': cls._create_licence(
                cls.partner, 'SUITE-MC-%s' % tag, company),
            'override': override,
            'rating': cls.env['meddev.credit.rating.history'].create({
                'partner_id': cls.partner.id, 'rating': 'B',
                'score': 65.0, 'company_id': company.id}),
            'lot link': cls.env['meddev.lot.link'].create({
                'parent_lot_id': lot.id, 'child_lot_id': component.id,
                'company_id': company.id}),
            'recall': cls._create_recall(lot, company),
            'ticket': cls.env['meddev.service.ticket'].create({
                'title': 'Pump alarm %s' % tag, 'partner_id': cls.partner.id,
                'company_id': company.id}),
            'complaint': cls.env['meddev.complaint'].create({
                'partner_id': cls.partner.id, 'lot_id': lot.id,
                'description': 'Alarm did not sound %s' % tag,
                'company_id': company.id}),
            'capa': cls._create_capa(company),
        }

    def test_records_are_built_in_company_a(self):
        for label, record in self.records.items():
            self.assertEqual(record.company_id, self.company_a, label)

    def test_other_company_cannot_read(self):
        """A manager of company B neither finds nor reads company A's
        documents; company A's manager does (the rule, not the access
        rights, keeps them apart)."""
        for label, record in self.records.items():
            model = self.env[record._name]
            self.assertEqual(
                model.sudo(self.user_a).search([('id', '=', record.id)]),
                record, label)
            self.assertFalse(
                model.sudo(self.user_b).search([('id', '=', record.id)]),
                '%s of company A found by company B' % label)
            with self.assertRaises(AccessError, msg=label):
                record.sudo(self.user_b).read(['display_name'])
            with self.assertRaises(AccessError, msg=label):
                record.sudo(self.user_b).check_access_rule('write')

    def test_company_rules_on_every_model(self):
        """Every suite model has a global rule on the user's companies:
        on its own company field, or on its parent's (CHILD_MODELS); a
        model without either is shared on purpose, listed above with why,
        and a new model that is neither fails here."""
        rules = self.env['ir.rule'].search([('global', '=', True)])
        domains = {}
        for rule in rules:
            domains.setdefault(rule.model_id.model, []).append(
                rule.domain_force or '')
        missing = []
        for model in suite_models(self.env):
            records = self.env[model]
            if records.is_transient() or model in SHARED_MODELS \
                    or model in OPEN_FINDINGS:
                continue
            field = records._fields.get('company_id')
            if field and field.store:
                company_path = "'company_id'"
            elif model in CHILD_MODELS:
                company_path = "'%s.company_id'" % CHILD_MODELS[model]
            else:
                missing.append('%s (no company: shared? list it with '
                               'why)' % model)
                continue
            if not any(company_path in domain
                       for domain in domains.get(model, [])):
                missing.append(model)
        self.assertFalse(missing, 'Suite models without a company '
                         'rule:\n' + '\n'.join(missing))
