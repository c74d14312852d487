from contextlib import contextmanager
from unittest.mock import patch

import psycopg2
from psycopg2 import errorcodes

from odoo import api
from odoo.service import model as service_model
from odoo.tests.common import SavepointCase
from odoo.tools import mute_logger

from odoo.addons.meddev_base.tools import batch as batch_tools


def create_user(env, login, groups, company=None, password=None, **vals):
    """Return a new user holding exactly ``groups`` (and what they imply):
    a ``res.groups`` recordset or xml ids. Shared by the suite's tests
    (``from odoo.addons.meddev_base.tests.common import create_user``).

    The user is named after ``login``, has ``login@example.com`` as email
    (Odoo refuses chatter messages of users without one), the time zone of
    the user who builds the data (tests compute "today" as that user),
    ``password`` if given, and belongs to ``company`` only when given.
    ``vals`` are added to the values (``tz``, ``lang``...)."""
    if not isinstance(groups, type(env['res.groups'])):
        groups = env['res.groups'].browse(
            [env.ref(xml_id).id for xml_id in groups])
    values = {
        'name': login.replace('_', ' ').title(),
        'login': login,
        'email': '%s@example.com' % login,
        'tz': env.user.tz or 'UTC',
        'groups_id': [(6, 0, groups.ids)],
    }
    if password:
        values['password'] = password
    if company:
        values.update(company_id=company.id,
                      company_ids=[(6, 0, company.ids)])
    values.update(vals)
    return env['res.users'].with_context(no_reset_password=True).create(
        values)


def rpc(user, model, method, args, context=None):
    """Call ``method`` of ``model`` as ``user`` the way XML-RPC's
    ``execute_kw`` does, with ``context`` as its keyword (the caller's
    choice, unfiltered)."""
    env = api.Environment(user.env.cr, user.id, {})
    return api.call_kw(env[model], method, args, {'context': context or {}})


def save_default(test, user, model, field, value):
    """Save ``value`` as ``user``'s personal default (``ir.default``) of
    ``field`` on ``model``, as that user (base's access rules let any
    internal user do so for themselves), the way the web client's "Set
    Default" does. The defaults' cache is cleared after ``test``."""
    test.addCleanup(user.env['ir.default'].clear_caches)
    env = api.Environment(user.env.cr, user.id, {})
    env['ir.default'].set(model, field, value, user_id=True)


class CronCrash(Exception):
    """The crash a test injects into a cron: a worker killed mid-run."""


@contextmanager
def scheduled_run(env):
    """Run a cron as the scheduler does, committing per batch, inside the
    test's transaction: each commit of the cron becomes a savepoint, and a
    ``CronCrash`` rolls back to the last one and is swallowed, as a killed
    worker loses only its open transaction. Yields a dict telling whether
    it crashed and how many batches were committed. Shared by every
    addon's crash-and-rerun tests (``from
    odoo.addons.meddev_base.tests.common import scheduled_run``)."""
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
    cron) raise ``CronCrash`` on call ``calls_before_crash + 1``; yields
    the ids of each call."""
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


class SerializationFailure(psycopg2.OperationalError):
    """What PostgreSQL raises when a concurrent update wins."""
    pgcode = errorcodes.SERIALIZATION_FAILURE


def create_through_retry(user, model, vals, context=None):
    """Create a ``model`` record as ``user`` the way an XML-RPC or web
    client request does (``call_kw`` with ``context`` as its keyword),
    inside Odoo's retry wrapper (``odoo.service.model.check``), the first
    attempt failing with a serialization failure at the INSERT, after
    mail.thread's create has run, as under load. Each attempt is one
    transaction (a savepoint here, rolled back when it fails), and the
    retry gets the same ``vals`` object, as Odoo's does. Returns the
    record (in ``user``'s environment) and the number of attempts.
    Shared by the suite's tests (``from
    odoo.addons.meddev_base.tests.common import create_through_retry``)."""
    env = api.Environment(user.env.cr, user.id, {})
    model_class = type(env[model])
    original = model_class._create
    attempts = []

    def create_failing_once(records, values):
        attempts.append(1)
        if len(attempts) == 1:
            raise SerializationFailure('could not serialize access')
        return original(records, values)

    @service_model.check
    def request(_dbname):
        with env.cr.savepoint():
            return api.call_kw(env[model], 'create', [vals],
                               {'context': dict(context or {})})

    # Odoo waits up to a second before its first retry: not here.
    with patch.object(model_class, '_create', create_failing_once), \
            patch.object(service_model.time, 'sleep'), \
            mute_logger('odoo.service.model', 'odoo.sql_db'):
        record_id = request(env.cr.dbname)
    return env[model].browse(record_id), len(attempts)


class UndoArchive(Exception):
    """Raised to roll an uninstall hook's archive back."""


@contextmanager
def archived(test, hook):
    """Run ``hook(cr, registry)`` (an addon's uninstall hook or its archive
    step) on a savepoint rolled back afterwards; yield the name of the one
    schema it created (``<module>_archive...``)."""
    cr = test.cr
    cr.execute("SELECT nspname FROM pg_namespace")
    before = set(row[0] for row in cr.fetchall())
    with test.assertRaises(UndoArchive), cr.savepoint():
        hook(cr, test.registry)
        cr.execute("SELECT nspname FROM pg_namespace")
        schemas = set(row[0] for row in cr.fetchall()) - before
        test.assertEqual(len(schemas), 1, schemas)
        yield schemas.pop()
        raise UndoArchive()


def archived_count(cr, schema, table, where='TRUE', params=()):
    """Return the rows of ``table``'s copy in the archive ``schema`` that
    match ``where`` (SQL, with ``params``)."""
    cr.execute('SELECT COUNT(*) FROM "%s"."archived_%s" WHERE %s'
               % (schema, table, where), params)
    return cr.fetchone()[0]


class MeddevBaseCase(SavepointCase):
    """Base class: an internal user with a known password."""

    PASSWORD = 'S1gn-Me-Right'

    @classmethod
    def setUpClass(cls):
        super(MeddevBaseCase, cls).setUpClass()
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.signer = cls._create_user('esign_user')
        cls.partner = cls.env['res.partner'].create(
            {'name': '上海仁济医院 (signature test)'})

    @classmethod
    def _create_user(cls, login, groups=None, company=None, **vals):
        """Return a new internal user whose password is PASSWORD (an
        employee who manages contacts unless ``groups`` say otherwise);
        see ``create_user``."""
        return create_user(
            cls.env, login,
            groups or ('base.group_user', 'base.group_partner_manager'),
            company=company, password=cls.PASSWORD, **vals)
