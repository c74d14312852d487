"""Every model of the suite against the access matrices of the addons
(``access_matrix/<addon>.csv`` in this addon): who may read, write, create
and delete what, checked as each role's user would be checked by Odoo,
and which records each reads (the record rules' scope), checked on real
records of two companies, two partners and two service teams."""

import psycopg2

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError
from odoo.modules.module import get_module_resource
from odoo.tests.common import SavepointCase

from ..matrix import (
    BASELINE_GROUPS, MODES, expected_access, format_perms, parse_matrix)
from .common import SUITE_MODULES, suite_models
from .test_multi_company import CHILD_MODELS

# Odoo's business roles whose users meet the suite every day: their access
# to the suite's models is documented (and checked) too.
ODOO_ROLES = (
    'sales_team.group_sale_salesman', 'sales_team.group_sale_manager',
    'stock.group_stock_user', 'account.group_account_invoice',
    'purchase.group_purchase_user', 'mrp.group_mrp_user',
)
# Holes the matrix revealed, (model, group, mode): the matrix states the
# right access; the module's rows still grant (or refuse) it. Listed in
# SECURITY.md (Findings) for the module owners, who remove the line with
# the fix. Nothing else is left out of the comparison.
OPEN_FINDINGS = frozenset()
# Models whose rows are in the matrix ahead of their addon's commit (the
# addons are written in parallel): their rows are not stale while the model
# is still missing. Remove a name once its model is in.
PENDING_MODELS = frozenset()
# The scope words (matrix.SCOPES) that apply to a model besides
# ``company`` (which applies to every model holding a company, or whose
# parent does: test_multi_company.CHILD_MODELS), in the order they are
# arranged on a record.
MODEL_SCOPES = {
    'meddev.service.ticket': ('partner', 'team', 'billable'),
    'meddev.service.ticket.part': ('team',),
    'meddev.service.ticket.sla': ('team',),
    'meddev.service.equipment': ('partner',),
    'meddev.capa.action': ('supplier',),
    'meddev.complaint': ('team', 'ticketed'),
    'meddev.esignature': ('document',),
}
# Models whose two records are built by the ORM when demo data lacks them.
ENSURED = ('meddev.service.ticket', 'meddev.service.ticket.part',
           'meddev.service.ticket.sla', 'meddev.service.equipment',
           'meddev.complaint', 'meddev.capa.action')
# Models whose records keep their own ticket (a clock or a part is unique
# per ticket): the team scope arranges that ticket.
OWN_TICKET = ('meddev.service.ticket.part', 'meddev.service.ticket.sla')
# Reports that are SQL views (no row of their own to arrange), with why
# their scope holds: their rows come from documents whose scope is
# arranged here, and test_multi_company checks their company rule.
SQL_VIEWS = {
    'meddev.credit.exposure.report': 'open orders and invoices per partner '
                                     'and company',
    'meddev.complaint.rate': 'complaints per product and month, per company',
    'meddev.service.component.failure': 'ticket parts per product, per '
                                        'company',
    'meddev.service.fault.analysis': 'tickets per fault code, per company',
}


def load_matrices():
    """Return the merged matrix of the suite's addons and the list of the
    addons without a matrix file."""
    matrix, missing = {}, []
    for module in SUITE_MODULES:
        path = get_module_resource(
            'meddev_suite_tests', 'access_matrix', '%s.csv' % module)
        if not path:
            missing.append(module)
            continue
        with open(path) as lines:
            for key, perms in parse_matrix(lines, path).items():
                matrix[key] = perms
    return matrix, missing


class TestAccessMatrix(SavepointCase):
    """One user per role, holding that group only (and what it implies).

    The scope test: for each model and each group that reads it, two
    records that differ in one respect only (company A or B, the portal
    user's partner or another, the user's service team or another, ...)
    are arranged in SQL, and the group's user must find the first, and
    the second exactly when the scope does not narrow on that respect.
    Removing a rule (or adding one) fails it."""

    @classmethod
    def setUpClass(cls):
        super(TestAccessMatrix, cls).setUpClass()
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.matrix, cls.missing_files = load_matrices()
        cls.models = suite_models(cls.env)
        data = cls.env['ir.model.data']
        suite_groups = data.search([
            ('model', '=', 'res.groups'), ('module', 'in', SUITE_MODULES)])
        cls.roles = sorted(
            set('%s.%s' % (row.module, row.name) for row in suite_groups)
            | set(BASELINE_GROUPS) | set(ODOO_ROLES)
            | set(group for __, group in cls.matrix)
            | set(cls._acl_groups()))
        cls.users = {}
        for role in cls.roles:
            group = cls.env.ref(role)
            cls.users[role] = cls.env['res.users'].create({
                'name': 'Matrix %s' % role,
                'login': 'matrix_%s' % role,
                'groups_id': [(6, 0, group.ids)],
            })
        cls._setup_scope()

    @classmethod
    def _acl_groups(cls):
        """XML ids of the groups that the access rows of the suite's models
        name."""
        rows = cls.env['ir.model.access'].search([
            ('model_id.model', 'in', cls.models), ('group_id', '!=', False)])
        return [xml_id for xml_id in rows.mapped('group_id').get_external_id(
        ).values() if xml_id]

    def _actual(self, model, role):
        records = self.env[model].sudo(self.users[role])
        return {mode: bool(records.check_access_rights(
            mode, raise_exception=False)) for mode in MODES}

    def test_every_addon_has_a_matrix(self):
        """Each addon of the suite documents its models' access."""
        self.assertFalse(self.missing_files, 'No access matrix for %s' %
                         ', '.join(self.missing_files))

    def test_every_model_has_matrix_rows(self):
        """A new model without its rows in the matrix fails here: the
        matrix must say who may use it, portal and plain employees
        included."""
        missing = ['%s: %s' % (model, group)
                   for model in self.models for group in BASELINE_GROUPS
                   if (model, group) not in self.matrix]
        self.assertFalse(missing, 'Models without their matrix rows '
                         '(add them to meddev_suite_tests/access_matrix/'
                         '<addon>.csv):\n' + '\n'.join(missing))

    def test_matrix_names_suite_models_and_groups(self):
        """No stale row: every row names a model of the suite and an
        existing group."""
        stale = []
        for model, group in sorted(self.matrix):
            if model not in self.models and model not in PENDING_MODELS:
                stale.append('%s: not a model of the suite' % model)
            if not self.env.ref(group, raise_if_not_found=False):
                stale.append('%s: no group %s' % (model, group))
        self.assertFalse(stale, '\n'.join(stale))

    def test_every_model_has_access_rows(self):
        """Persistent models have access rows (without any, only the
        superuser reaches them); transient ones have none (Odoo ignores
        them there and logs a warning: a wizard's buttons check the group
        on the server instead)."""
        access = self.env['ir.model.access'].search([
            ('model_id.model', 'in', self.models)])
        with_rows = set(access.mapped('model_id.model'))
        problems = []
        for model in self.models:
            transient = self.env[model].is_transient()
            if transient and model in with_rows:
                problems.append('%s: transient, has access rows' % model)
            if not transient and model not in with_rows:
                problems.append('%s: no ir.model.access row' % model)
        self.assertFalse(problems, '\n'.join(problems))

    def test_access_rows_are_documented(self):
        """Every access row of a suite model names a group that the matrix
        lists for that model: no access granted outside the matrix, and
        none for all users at once (a row without group)."""
        undocumented = []
        for access in self.env['ir.model.access'].search([
                ('model_id.model', 'in', self.models)]):
            model = access.model_id.model
            if not access.group_id:
                undocumented.append('%s: %s grants every user' % (
                    model, access.get_external_id()[access.id]))
                continue
            group = access.group_id.get_external_id()[access.group_id.id]
            if (model, group) not in self.matrix:
                undocumented.append('%s: %s (%s)' % (
                    model, group, access.get_external_id()[access.id]))
        self.assertFalse(undocumented, 'Access rows missing from the '
                         'matrix:\n' + '\n'.join(undocumented))

    def test_access_rights_match_matrix(self):
        """What each role's user may do on each model is what the matrix
        says, mode by mode."""
        mismatches = []
        for model in self.models:
            for role in self.roles:
                expected = expected_access(self.matrix, model, role)
                if expected is None:
                    continue  # reported by test_every_model_has_matrix_rows
                actual = self._actual(model, role)
                wrong = [mode for mode in MODES
                         if actual[mode] != expected[mode]
                         and (model, role, mode) not in OPEN_FINDINGS]
                if wrong:
                    mismatches.append('%s / %s: expected %s, actual %s' % (
                        model, role, format_perms(expected),
                        format_perms(actual)))
        self.assertFalse(mismatches, 'Access rights differ from the '
                         'matrix:\n' + '\n'.join(mismatches))

    # ------------------------------------------------------------------
    # Record rules: the scope column
    # ------------------------------------------------------------------

    @classmethod
    def _setup_scope(cls):
        """Company B, the portal user's partner and another one, a team
        of every role's user and another team, and two records of each
        persistent model to arrange."""
        env = cls.env
        cls.company_a = env.user.company_id
        cls.company_b = env['res.company'].create({
            'name': 'Suite Scope Company B',
            'currency_id': cls.company_a.currency_id.id})
        # What company B gets at its creation (a credit policy per
        # rating, ...) would collide with the arranged records' unique
        # keys: gone, company B holds only what the test moves there.
        for model in cls.models:
            records = env[model]
            field = records._fields.get('company_id')
            if records.is_transient() or not records._auto or not field \
                    or not field.store or field.inherited:
                continue
            try:
                with env.cr.savepoint():
                    env.cr.execute('DELETE FROM %s WHERE company_id = %%s'
                                   % records._table, (cls.company_b.id,))
            except psycopg2.Error:
                continue  # referenced elsewhere: no collision seen so far
        portal = cls.users['base.group_portal']
        cls.own_partner = portal.partner_id.commercial_partner_id
        cls.other_partner = env['res.partner'].create({
            'name': 'Suite Scope Other Customer', 'is_company': True})
        # Every role's user is a member of the first team, none of the
        # second; a ticket of the second is assigned to nobody.
        cls.team_in = env['meddev.service.team'].create({
            'name': 'Suite Scope Team In', 'company_id': cls.company_a.id,
            'member_ids': [(6, 0, [user.id for user in cls.users.values()])]})
        cls.team_out = env['meddev.service.team'].create({
            'name': 'Suite Scope Team Out',
            'company_id': cls.company_a.id})
        for model in MODEL_SCOPES:
            cls._ensure_two(model)
        cls.pairs = {}
        for model in cls.models:
            records = env[model]
            if records.is_transient() or not records._auto:
                continue
            ids = records.with_context(active_test=False).search(
                [], limit=2, order='id').ids
            if model in OWN_TICKET:
                # Two records of two tickets: the tickets are arranged.
                env.cr.execute('SELECT DISTINCT ON (ticket_id) id FROM %s '
                               'ORDER BY ticket_id, id LIMIT 2'
                               % records._table)
                ids = [row[0] for row in env.cr.fetchall()]
            if not ids:
                ids.append(cls._new_row(records._table))
            if len(ids) == 1:
                ids.append(cls._copy_row(records._table, ids[0]))
            if len(ids) == 2:
                cls.pairs[model] = ids

    @classmethod
    def _new_row(cls, table):
        """Return the id of a row inserted in SQL with a value in each
        required column (an existing row of the table it references, else
        a value of its type): a model without records in the database
        (demo data makes no signature) gets its first; the scope test
        rewrites the fields its rules read."""
        cr = cls.env.cr
        cr.execute("""
            SELECT c.column_name, c.data_type, ref.relname
              FROM information_schema.columns c
              LEFT JOIN pg_constraint fk
                ON fk.conrelid = %s::regclass AND fk.contype = 'f'
               AND fk.conkey[1] = (
                   SELECT attnum FROM pg_attribute
                    WHERE attrelid = %s::regclass
                      AND attname = c.column_name)
              LEFT JOIN pg_class ref ON ref.oid = fk.confrelid
             WHERE c.table_name = %s AND c.table_schema = current_schema()
               AND c.is_nullable = 'NO' AND c.column_default IS NULL
        """, (table, table, table))
        values = {}
        for column, data_type, referenced in cr.fetchall():
            if referenced:
                cr.execute('SELECT min(id) FROM %s' % referenced)
                values[column] = cr.fetchone()[0]
            elif data_type.startswith(('timestamp', 'date')):
                values[column] = '2026-01-01'
            elif data_type == 'boolean':
                values[column] = False
            elif data_type in ('integer', 'bigint', 'numeric',
                               'double precision'):
                values[column] = 1
            else:
                values[column] = 'suite'
        names = sorted(values)
        cr.execute('INSERT INTO %s (%s) VALUES (%s) RETURNING id' % (
            table, ', '.join('"%s"' % name for name in names),
            ', '.join(['%s'] * len(names))), [values[n] for n in names])
        return cr.fetchone()[0]

    @classmethod
    def _copy_row(cls, table, row_id):
        """Return the id of a copy of the row, made in SQL (the scope
        test rewrites its fields anyway): a model with one record in the
        database gets its second."""
        cls.env.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND table_schema = current_schema() "
            "AND column_name != 'id'", (table,))
        columns = ', '.join('"%s"' % row[0] for row in cls.env.cr.fetchall())
        cls.env.cr.execute('INSERT INTO %s (%s) SELECT %s FROM %s '
                           'WHERE id = %%s RETURNING id' % (
                               table, columns, columns, table), (row_id,))
        return cls.env.cr.fetchone()[0]

    @classmethod
    def _ensure_two(cls, model):
        """Two records of the models whose rules go beyond the company
        (demo data may hold fewer): the arrangement rewrites their fields
        in SQL, so any two will do."""
        env = cls.env
        records = env[model].with_context(active_test=False)
        if model not in ENSURED:
            return  # any record: _new_row and _copy_row make them
        while records.search_count([]) < 2:
            ticket = env['meddev.service.ticket'].create({
                'title': 'Suite scope ticket', 'company_id': cls.company_a.id,
                'partner_id': cls.own_partner.id})
            if model == 'meddev.service.ticket':
                continue
            if model == 'meddev.service.ticket.sla':
                raise AssertionError('no SLA clock to arrange')
            if model == 'meddev.service.ticket.part':
                product = env['product.product'].create({
                    'name': 'Suite Scope Part', 'type': 'consu'})
                records.create({'ticket_id': ticket.id,
                                'product_id': product.id, 'quantity': 1.0})
            elif model == 'meddev.service.equipment':
                lot = env['stock.production.lot'].create({
                    'name': 'SUITE-SCOPE-EQ-%d' % records.search_count([]),
                    'product_id': env['product.product'].create({
                        'name': 'Suite Scope Device', 'type': 'product',
                        'tracking': 'serial'}).id})
                records.create({'lot_id': lot.id,
                                'partner_id': cls.own_partner.id})
            elif model == 'meddev.complaint':
                records.create({'partner_id': cls.own_partner.id,
                                'description': 'Suite scope complaint',
                                'company_id': cls.company_a.id})
            elif model == 'meddev.capa.action':
                capa = env['meddev.capa'].create({
                    'source': 'audit', 'problem': 'Suite scope',
                    'company_id': cls.company_a.id})
                records.create({'capa_id': capa.id, 'name': 'Suite scope',
                                'action_type': 'corrective',
                                'user_id': SUPERUSER_ID,
                                'due_date': '2030-01-01'})

    # ------------------------------------------------------------------
    # Arrangement in SQL
    # ------------------------------------------------------------------

    def _scopes(self, model):
        """The scope words that apply to ``model``."""
        records = self.env[model]
        field = records._fields.get('company_id')
        words = ()
        if (field and field.store) or model in CHILD_MODELS:
            words = ('company',)
        return words + MODEL_SCOPES.get(model, ())

    def _set(self, model, record_id, values):
        """Write ``values`` ({field: value}) on the row in SQL (the
        columns of an ``_inherits`` parent on the parent's row), without
        the ORM's checks: only the record rules are under test."""
        records = self.env[model]
        for name, value in values.items():
            field = records._fields[name]
            table, row_id = records._table, record_id
            if field.inherited:
                link = records._inherits[field.related_field.model_name]
                self.env.cr.execute('SELECT %s FROM %s WHERE id = %%s' % (
                    link, table), (record_id,))
                row_id = self.env.cr.fetchone()[0]
                table = self.env[field.related_field.model_name]._table
            self.env.cr.execute('UPDATE %s SET %s = %%s WHERE id = %%s' % (
                table, name), (value, row_id))

    def _arrange(self, model, index, state, record_id=None):
        """Give the ``index``-th record of the model's pair (or the
        record ``record_id``) the ``state`` ({scope word: inside or not})
        and return its id."""
        record_id = record_id or self.pairs[model][index]
        records = self.env[model]
        values = {'create_uid': SUPERUSER_ID} \
            if 'create_uid' in records._fields else {}
        for word, inside in state.items():
            if word == 'company' and model in CHILD_MODELS:
                field = CHILD_MODELS[model]
                parent = records._fields[field].comodel_name
                values[field] = self._arrange(parent, index,
                                              {'company': inside})
            elif word == 'company':
                values['company_id'] = (
                    self.company_a if inside else self.company_b).id
            elif word == 'partner':
                values['partner_id'] = (
                    self.own_partner if inside else self.other_partner).id
            elif word == 'billable':
                values['billable'] = inside
            elif word == 'supplier':
                values['supplier_id'] = (
                    self.own_partner if inside else self.other_partner).id
                values['sent_date'] = '2026-01-01 00:00:00'
            elif word == 'team' and model == 'meddev.service.ticket':
                values['team_id'] = (
                    self.team_in if inside else self.team_out).id
                values['user_id'] = None
                relation = records._fields['engineer_ids']
                self.env.cr.execute(
                    'DELETE FROM %s WHERE %s = %%s' % (
                        relation.relation, relation.column1), (record_id,))
            elif word == 'team':
                ticket_id = None
                if model in OWN_TICKET:
                    self.env.cr.execute('SELECT ticket_id FROM %s WHERE '
                                        'id = %%s' % records._table,
                                        (record_id,))
                    ticket_id = self.env.cr.fetchone()[0]
                values['ticket_id'] = self._arrange(
                    'meddev.service.ticket', index, {
                        'company': True, 'partner': True, 'billable': True,
                        'team': inside}, record_id=ticket_id)
            elif word == 'document':
                # The company is readable by every employee; the system
                # parameters by administrators only.
                parameter = self.env['ir.config_parameter'].search(
                    [], limit=1)
                values['res_model'] = 'res.company' if inside \
                    else 'ir.config_parameter'
                values['res_id'] = self.company_a.id if inside \
                    else parameter.id
            elif word == 'ticketed' and not inside:
                values['ticket_id'] = None
        self._set(model, record_id, values)
        return record_id

    def test_record_rules_match_matrix(self):
        """Each group reads exactly the records its scope says, on every
        model it may read."""
        problems = []
        checked = 0
        for model in self.models:
            if self.env[model].is_transient():
                continue
            applicable = self._scopes(model)
            for role in self.roles:
                expected = expected_access(self.matrix, model, role)
                if not expected or not expected['read']:
                    continue
                words = expected['scope']
                if words in (('all',), ('own',)):
                    words = ()
                wrong = [word for word in words if word not in applicable]
                if wrong or expected['scope'] == ('own',):
                    problems.append('%s / %s: scope %s does not apply (%s)'
                                    % (model, role, '+'.join(wrong) or 'own',
                                       'applicable: %s' % (
                                           '+'.join(applicable) or 'all')))
                    continue
                if model in SQL_VIEWS and model not in self.pairs:
                    continue
                if model not in self.pairs:
                    problems.append('%s: no two records to arrange' % model)
                    continue
                user = self.users[role]
                for word in applicable:
                    state = dict.fromkeys(applicable, True)
                    first = self._arrange(model, 0, state)
                    state[word] = False
                    second = self._arrange(model, 1, state)
                    self.env.cache.invalidate()
                    try:
                        found = self.env[model].sudo(user).with_context(
                            active_test=False).search(
                                [('id', 'in', [first, second])]).ids
                    except AccessError as error:
                        problems.append('%s / %s: %s' % (
                            model, role, error.name))
                        break
                    checked += 1
                    if first not in found:
                        problems.append(
                            '%s / %s: does not read a record inside its '
                            'scope %s' % (model, role, '+'.join(
                                words) or 'all'))
                    if (second in found) == (word in words):
                        problems.append(
                            '%s / %s: %s a record outside its %s, the '
                            'matrix says it %s' % (
                                model, role, 'reads' if second in found
                                else 'does not read', word,
                                'does not' if word in words else 'does'))
        self.assertGreater(checked, 100)
        self.assertFalse(problems, 'Record rules differ from the matrix '
                         'scope:\n' + '\n'.join(sorted(set(problems))))
