"""Every model of the suite against the access matrices of the addons
(``access_matrix/<addon>.csv`` in this addon): who may read, write, create
and delete what, checked as each role's user would be checked by Odoo."""

from odoo.modules.module import get_module_resource
from odoo.tests.common import SavepointCase

from ..matrix import (
    BASELINE_GROUPS, MODES, expected_access, format_perms, parse_matrix)
from .common import SUITE_MODULES, suite_models

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
    """One user per role, holding that group only (and what it implies)."""

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
