import importlib.util
import os

from odoo.modules.module import get_module_path

from .common import MeddevTraceabilityCase


def load_migration():
    """Return the module of the 11.0.1.2.0 post-migration script (its
    folder name is no Python package name)."""
    path = os.path.join(get_module_path('meddev_traceability'),
                        'migrations', '11.0.1.2.0', 'post-migrate.py')
    spec = importlib.util.spec_from_file_location(
        'meddev_traceability_migrate_11_0_1_2_0', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestClosureDropped(MeddevTraceabilityCase):
    """No stored closure any more: nothing to rebuild at install, update
    or night, and an update from 11.0.1.1.0 drops what it left."""

    def _relations(self):
        self.env.cr.execute("""
            SELECT relname FROM pg_class
             WHERE relname IN ('meddev_lot_link_closure',
                               'meddev_lot_link_closure_state')
        """)
        return sorted(row[0] for row in self.env.cr.fetchall())

    def _leftovers(self):
        """What the update must drop: relations, trigger, function, cron."""
        self.env.cr.execute("""
            SELECT tgname FROM pg_trigger
             WHERE tgname = 'meddev_lot_link_closure_mark'
            UNION ALL
            SELECT proname FROM pg_proc
             WHERE proname = 'meddev_lot_link_closure_mark'
        """)
        return (self._relations(),
                sorted(row[0] for row in self.env.cr.fetchall()),
                self.env['ir.cron'].with_context(active_test=False).search(
                    [('code', 'ilike', '_cron_rebuild_closure')]).ids)

    def test_installed_without_closure_or_rebuild_cron(self):
        self.assertEqual(self._leftovers(), ([], [], []))
        self.assertFalse(self.env.ref(
            'meddev_traceability.ir_cron_meddev_lot_link_closure',
            raise_if_not_found=False))

    def test_update_from_the_closure_release_drops_it(self):
        # What 11.0.1.1.0 left: tables, the trigger, the nightly cron.
        cr = self.env.cr
        cr.execute("""
            CREATE TABLE meddev_lot_link_closure (
                lot_id integer, ancestor_id integer,
                PRIMARY KEY (lot_id, ancestor_id));
            CREATE TABLE meddev_lot_link_closure_state (
                id integer PRIMARY KEY, stale boolean NOT NULL);
            INSERT INTO meddev_lot_link_closure_state VALUES (1, FALSE);
            CREATE FUNCTION meddev_lot_link_closure_mark()
            RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE meddev_lot_link_closure_state SET stale = TRUE;
                RETURN NULL;
            END $$;
            CREATE TRIGGER meddev_lot_link_closure_mark
            AFTER INSERT OR DELETE OR UPDATE ON meddev_lot_link
            FOR EACH STATEMENT EXECUTE PROCEDURE
                meddev_lot_link_closure_mark();
        """)
        cron = self.env['ir.cron'].create({
            'name': 'Traceability: rebuild the genealogy closure',
            'model_id': self.env.ref(
                'meddev_traceability.model_meddev_lot_link').id,
            'state': 'code',
            'code': 'model._cron_rebuild_closure()',
            'interval_number': 1, 'interval_type': 'days',
            'numbercall': -1,
        })
        self.env['ir.model.data'].create({
            'module': 'meddev_traceability',
            'name': 'ir_cron_meddev_lot_link_closure',
            'model': 'ir.cron', 'res_id': cron.id, 'noupdate': True})
        action = cron.ir_actions_server_id
        self.assertEqual(len(self._leftovers()[0]), 2)
        load_migration().migrate(cr, '11.0.1.1.0')
        self.assertEqual(self._leftovers(), ([], [], []))
        self.assertFalse(action.exists())
        # Links are recorded and traced as before; run twice, it is a no-op.
        link = self.env['meddev.lot.link'].add_link(
            self.serial, self.board_lot)
        self.assertEqual(self.board_lot.trace_forward()[0]['lot_id'],
                         self.serial.id)
        load_migration().migrate(cr, '11.0.1.1.0')
        self.assertTrue(link.exists())
