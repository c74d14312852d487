from odoo import api
from odoo.tests.common import SavepointCase

SUITE_MODULES = (
    'meddev_base', 'meddev_qualification', 'meddev_credit',
    'meddev_traceability', 'meddev_service', 'meddev_quality_capa',
)


def suite_models(env):
    """Return the names of the suite's models (transient ones included,
    abstract mixins aside): those first defined by a meddev addon."""
    return sorted(
        name for name, model in env.registry.items()
        if not model._abstract
        and (model._original_module or '') in SUITE_MODULES)


def call_button(records, method):
    """Call a button method as the web client and XML-RPC clients do:
    through call_kw, with the ids and the context as positional
    arguments."""
    return api.call_kw(records, method,
                       [records.ids, dict(records.env.context)], {})


def rpc_write(records, vals):
    """Write as an XML-RPC client does: through call_kw, the context in
    the keyword arguments (call_kw replaces the records' context by it)."""
    context = {'lang': 'en_US', 'uid': records.env.uid}
    return api.call_kw(records, 'write', [records.ids, vals],
                       {'context': context})


class MeddevSuiteCase(SavepointCase):
    """Builders for the cross-module tests: users holding exactly the
    groups given, and the suite's documents built by the superuser (the
    tests then act as the users)."""

    @classmethod
    def setUpClass(cls):
        super(MeddevSuiteCase, cls).setUpClass()
        # No mail tracking or password mails for the records built here.
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True,
            mail_notrack=True, mail_create_nolog=True))
        cls.company = cls.env.user.company_id

    @classmethod
    def _create_user(cls, login, xml_ids, company=None):
        """Return a new user holding exactly the groups ``xml_ids`` (and
        what they imply), in ``company`` only when given."""
        groups = cls.env['res.groups']
        for xml_id in xml_ids:
            groups |= cls.env.ref(xml_id)
        vals = {
            'name': login.replace('_', ' ').title(),
            'login': login,
            'email': '%s@example.com' % login,
            'groups_id': [(6, 0, groups.ids)],
        }
        if company:
            vals.update(company_id=company.id,
                        company_ids=[(6, 0, company.ids)])
        return cls.env['res.users'].create(vals)

    @classmethod
    def _create_licence(cls, partner, number, company):
        """Return a submitted licence of ``partner`` in ``company``, of a
        licence type made for the test."""
        licence_type = cls.env['meddev.licence.type'].create({
            'code': 'SUITE-%s' % number, 'name': 'Suite Test Licence %s'
            % number, 'for_distributor': True, 'authorises_class_i': True,
            'allow_long_term': True,
        })
        licence = cls.env['meddev.partner.licence'].create({
            'partner_id': partner.id,
            'licence_type_id': licence_type.id,
            'number': number,
            'valid_from': '2020-01-01',
            'long_term': True,
            'company_id': company.id,
        })
        licence.action_submit()
        return licence

    @classmethod
    def _create_lot(cls, name, company):
        product = cls.env['product.product'].create({
            'name': 'Suite Device %s' % name, 'type': 'product',
            'tracking': 'lot', 'company_id': company.id})
        return cls.env['stock.production.lot'].create({
            'name': name, 'product_id': product.id})

    @classmethod
    def _create_recall(cls, lot, company):
        """Return a draft recall of ``lot`` in ``company``."""
        return cls.env['meddev.recall'].create({
            'reason': 'Suite test recall of %s' % lot.name,
            'recall_level_id': cls.env['meddev.recall.level'].search(
                [], limit=1).id,
            'lot_ids': [(6, 0, lot.ids)],
            'company_id': company.id,
        })

    @classmethod
    def _create_capa(cls, company, problem='Pump occlusion alarm fails'):
        """Return a draft CAPA of ``company``."""
        return cls.env['meddev.capa'].create({
            'source': 'audit', 'problem': problem,
            'company_id': company.id})

    @classmethod
    def _create_order(cls, partner, user, company, price=1000.0):
        """Return a quotation of ``user`` to ``partner`` in ``company``,
        of one unregulated product at ``price``."""
        product = cls.env['product.product'].create({
            'name': 'Suite Consumable %s' % company.name, 'type': 'consu',
            'list_price': price})
        return cls.env['sale.order'].create({
            'partner_id': partner.id,
            'user_id': user.id,
            'company_id': company.id,
            'order_line': [(0, 0, {'product_id': product.id,
                                   'product_uom_qty': 1.0,
                                   'price_unit': price})],
        })
