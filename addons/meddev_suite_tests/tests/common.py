from contextlib import contextmanager
from unittest.mock import patch

from odoo import api
from odoo.tests.common import SavepointCase

from odoo.addons.meddev_base.tools import batch as batch_tools

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


class CronCrash(Exception):
    """The crash a test injects into a cron: a worker killed mid-run."""


@contextmanager
def scheduled_run(env):
    """Run a cron as the scheduler does, committing per batch, inside the
    test's transaction: each commit of the cron becomes a savepoint, and a
    ``CronCrash`` rolls back to the last one and is swallowed, as a killed
    worker loses only its open transaction. Yields a dict telling whether
    it crashed and how many batches were committed."""
    cr = env.cr
    run = {'crashed': False, 'commits': 0}
    cr.execute('SAVEPOINT meddev_scheduled_run')

    def commit():
        cr.execute('RELEASE SAVEPOINT meddev_scheduled_run')
        cr.execute('SAVEPOINT meddev_scheduled_run')
        run['commits'] += 1

    # The suite's batches commit only outside tests: here they may, into
    # the savepoint above.
    with patch.object(cr, 'commit', commit), \
            patch.object(batch_tools, 'may_commit', return_value=True):
        try:
            yield run
        except CronCrash:
            run['crashed'] = True
            cr.execute('ROLLBACK TO SAVEPOINT meddev_scheduled_run')
            env.clear()
    cr.execute('RELEASE SAVEPOINT meddev_scheduled_run')


@contextmanager
def crash_on_call(model, method, calls_before_crash):
    """Make ``method`` of ``model`` (a per-record or per-batch step of a
    cron) raise ``CronCrash`` on call ``calls_before_crash + 1``."""
    cls = type(model)
    original = getattr(cls, method)
    calls = []

    def crashing(self, *args, **kwargs):
        calls.append(self.ids)
        if len(calls) > calls_before_crash:
            raise CronCrash('%s.%s killed at call %d' % (
                model._name, method, len(calls)))
        return original(self, *args, **kwargs)

    with patch.object(cls, method, crashing):
        yield calls


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
