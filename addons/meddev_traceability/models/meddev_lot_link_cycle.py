from odoo import _, api, models

from ..lib.genealogy import find_cycle

# The cycle last reported (its lot ids, sorted), so that it is told once.
REPORTED_CYCLE_PARAM = 'meddev_traceability.genealogy_cycle_reported'


class MeddevLotLink(models.Model):
    """The nightly check for cycles of links: the ORM refuses them, but an
    import by SQL or a repair can leave one, and then every trace through
    it stops with an error. The recall managers are told without waiting
    for someone to trace through it."""

    _inherit = 'meddev.lot.link'

    @api.model
    def _cron_check_cycles(self):
        """Find a cycle among the current links of every company; tell the
        recall managers (a message on a lot of the cycle, in their inbox)
        when it is a new one. Return the lot ids of the cycle, or None.
        Reads the links without locking them: manufacturing goes on."""
        path = self._find_any_cycle()
        config = self.env['ir.config_parameter'].sudo()
        if not path:
            config.set_param(REPORTED_CYCLE_PARAM, '')
            return None
        key = ','.join(str(lot_id) for lot_id in sorted(set(path)))
        if config.get_param(REPORTED_CYCLE_PARAM) != key:
            self._report_cycle(path)
            config.set_param(REPORTED_CYCLE_PARAM, key)
        return path

    @api.model
    def _find_any_cycle(self):
        """Return the lot ids of one cycle of current links (first lot
        repeated last), or None. Set-based: the links whose component
        contains nothing, then those whose parent is in nothing, are taken
        away until none is left to take; what remains holds the cycles
        (one pass per level of the genealogy, each a hash anti-join)."""
        cr = self.env.cr
        cr.execute("DROP TABLE IF EXISTS meddev_cycle_check_edge")
        cr.execute("""
            CREATE TEMPORARY TABLE meddev_cycle_check_edge ON COMMIT DROP AS
            SELECT parent_lot_id AS parent, child_lot_id AS child
              FROM meddev_lot_link WHERE date_removed IS NULL
        """)
        cr.execute("ANALYZE meddev_cycle_check_edge")
        while True:
            cr.execute("""
                DELETE FROM meddev_cycle_check_edge edge
                 WHERE NOT EXISTS (
                    SELECT 1 FROM meddev_cycle_check_edge below
                     WHERE below.parent = edge.child)
            """)
            removed = cr.rowcount
            cr.execute("""
                DELETE FROM meddev_cycle_check_edge edge
                 WHERE NOT EXISTS (
                    SELECT 1 FROM meddev_cycle_check_edge above
                     WHERE above.child = edge.parent)
            """)
            removed += cr.rowcount
            if not removed:
                break
        cr.execute("SELECT child, parent FROM meddev_cycle_check_edge")
        edges = cr.fetchall()
        cr.execute("DROP TABLE meddev_cycle_check_edge")
        if not edges:
            return None
        # Every lot left contains one and is in one: a walk from any of
        # them meets a cycle.
        return find_cycle(edges, [min(edges)[0]])

    @api.model
    def _report_cycle(self, path):
        """Post the cycle ``path`` on its first lot, to the recall
        managers' inboxes."""
        managers = self.env.ref(
            'meddev_traceability.group_meddev_traceability_manager').users
        lot = self.env['stock.production.lot'].sudo().browse(path[0])
        # As superuser: the cron's own report; it names lots only.
        lot.message_post(
            body=_('The lot genealogy holds a cycle: %(lots)s. Traces '
                   'through these lots stop with an error, and a recall '
                   'through them takes every lot they reach. Retire one of '
                   'these links (Traceability > Genealogy > Lot Links).') % {
                'lots': self._cycle_names(path)},
            partner_ids=managers.mapped('partner_id').ids,
            subtype='mail.mt_comment')
