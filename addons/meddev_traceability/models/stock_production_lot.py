from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from odoo.addons.meddev_base.tools import create_values
from odoo.addons.meddev_base.tools.settings_change import x2many_ids

from ..udi import UdiError, build_element_string


class StockProductionLot(models.Model):
    _inherit = 'stock.production.lot'

    production_date = fields.Date(
        help="Date of manufacture, AI (11) of the UDI.")
    udi_batch = fields.Char(
        string='Production Batch',
        help="For a serial number: the batch it was made in, AI (10) of "
             "the UDI. For a lot, the lot number itself is the batch.")
    udi_element_string = fields.Char(
        string='UDI', compute='_compute_udi_element_string',
        help="The GS1 element string to print on the label, built from the "
             "product's UDI-DI and this lot's production identifiers.")
    udi_scan = fields.Char(
        string='Scanned UDI', compute='_compute_udi_scan',
        search='_search_udi_scan',
        help="Search a lot by scanning its UDI: the GTIN finds the product, "
             "the serial or lot number the lot.")
    recall_ids = fields.Many2many(
        'meddev.recall', 'meddev_recall_reached_lot_rel', 'lot_id',
        'recall_id', string='Recalls', readonly=True, copy=False,
        help="The recalls that reached this lot, directly or through a "
             "component.")
    recall_quarantine = fields.Boolean(
        string='Quarantined', compute='_compute_recall_quarantine',
        search='_search_recall_quarantine',
        help="An open recall holds this lot: it cannot be reserved or "
             "delivered until the recall closes.")
    parent_link_ids = fields.One2many(
        'meddev.lot.link', 'child_lot_id', string='Used In',
        help="The lots or serials this one went into.")
    child_link_ids = fields.One2many(
        'meddev.lot.link', 'parent_lot_id', string='Components',
        help="The component lots or serials that went into this one.")

    component_tree_html = fields.Html(
        string='Component Tree', compute='_compute_genealogy_trees',
        sanitize=False,
        help="Every lot that went into this one, all levels down.")
    assembly_tree_html = fields.Html(
        string='Assembly Tree', compute='_compute_genealogy_trees',
        sanitize=False,
        help="Every lot that contains this one, all levels up.")

    @api.model
    def create(self, vals):
        """Refuse a lot born reached by recalls (``recall_ids`` in the
        values, the caller's ``default_recall_ids`` or a saved default): it
        would be quarantined by a recall whose launch never traced it."""
        if not self.env.user._is_superuser() and x2many_ids(create_values(
                self, vals, ('recall_ids',)).get('recall_ids')):
            raise UserError(
                _('%(lots)s: the recalls of a lot or serial are set by the '
                  "recalls' launch and re-trace, not directly.") % {
                    'lots': vals.get('name') or _('(new)')})
        return super(StockProductionLot, self).create(vals)

    @api.multi
    def write(self, vals):
        """Refuse ``recall_ids`` from the caller: a lot's recalls are set by
        the recalls' launch and re-trace (readonly in the view protects
        nothing over XML-RPC: taking a lot out would lift its
        quarantine)."""
        if 'recall_ids' in vals and not self.env.user._is_superuser():
            raise UserError(
                _('%(lots)s: the recalls of a lot or serial are set by the '
                  "recalls' launch and re-trace, not directly.") % {
                    'lots': ', '.join(self[:5].mapped('display_name'))})
        return super(StockProductionLot, self).write(vals)

    @api.multi
    def unlink(self):
        """Refuse to delete a lot that a recall names or reached: the
        recall's lot tables (Odoo's many2many, whose foreign keys cascade)
        would drop it from the recall without a word."""
        if self.ids:
            # Plain SQL: whoever may delete lots is refused, whether or not
            # they may read recalls.
            self.env.cr.execute("""
                SELECT rel.lot_id, r.name
                  FROM (SELECT recall_id, lot_id
                          FROM meddev_recall_chosen_lot_rel
                        UNION
                        SELECT recall_id, lot_id
                          FROM meddev_recall_reached_lot_rel) rel
                  JOIN meddev_recall r ON r.id = rel.recall_id
                 WHERE rel.lot_id = ANY(%s)
                 ORDER BY r.name
            """, [self.ids])
            rows = self.env.cr.fetchall()
            if rows:
                raise UserError(
                    _('%(lot)s cannot be deleted: the recall %(recalls)s '
                      'names it or reached it.') % {
                        'lot': self.browse(rows[0][0]).sudo().display_name,
                        'recalls': ', '.join(
                            sorted(set(row[1] for row in rows))[:5])})
        return super(StockProductionLot, self).unlink()

    @api.depends('name', 'product_id.udi_di', 'product_id.tracking',
                 'production_date', 'life_date', 'udi_batch')
    def _compute_udi_element_string(self):
        for lot in self:
            lot.udi_element_string = lot._udi_elements_string()

    # The form shows at most this many lots per tree; the trace buttons
    # list them all.
    _GENEALOGY_TREE_LIMIT = 200

    def _compute_genealogy_trees(self):
        # One capped recursive query per direction and lot shown (a form):
        # opening a component used in 60 000 serials stays quick.
        for lot in self:
            lot.component_tree_html = lot._genealogy_tree_html('backward')
            lot.assembly_tree_html = lot._genealogy_tree_html('forward')

    def _genealogy_tree_html(self, direction):
        """Return the genealogy of this lot in ``direction`` as nested,
        escaped HTML lists (product, lot, quantity, level), at most
        _GENEALOGY_TREE_LIMIT lots, or the cycle error as text so that the
        form still opens."""
        self.ensure_one()
        if not self.id:
            return False
        try:
            rows, complete = self.env['meddev.lot.link']._trace_capped(
                self.ids, direction, self._GENEALOGY_TREE_LIMIT)
        except UserError as error:
            return '<p class="text-danger">%s</p>' % html_escape(
                error.name)
        if not rows:
            return '<p class="text-muted">%s</p>' % html_escape(
                _('No linked lot.'))
        children = {}
        for row in rows:
            children.setdefault(row['via_lot_id'], []).append(row)
        lots = self.browse([row['lot_id'] for row in rows])
        by_id = dict((lot.id, lot) for lot in lots)
        html = render_tree(children, self.id, by_id)
        if not complete:
            html += '<p class="text-warning o_meddev_tree_capped">%s</p>' % (
                html_escape(_(
                    'Only the first %(count)d lots are shown: use the '
                    'trace buttons for the full list.') % {
                        'count': self._GENEALOGY_TREE_LIMIT}))
        return html

    def _compute_recall_quarantine(self):
        # Whether a lot may move is stock information anyone who reads the
        # lot needs, recall rights or not.
        blocked = self.env['meddev.recall']._blocking_recalls(self.ids)
        for lot in self:
            lot.recall_quarantine = lot.id in blocked

    def _search_recall_quarantine(self, operator, value):
        if operator not in ('=', '!='):
            raise UserError(_('Search quarantined lots with = or !=.'))
        self.env.cr.execute("""
            SELECT DISTINCT rel.lot_id
              FROM meddev_recall_reached_lot_rel rel
              JOIN meddev_recall r ON r.id = rel.recall_id
             WHERE r.state = 'open' AND r.quarantined
        """)
        lot_ids = [row[0] for row in self.env.cr.fetchall()]
        quarantined = bool(value) == (operator == '=')
        return [('id', 'in' if quarantined else 'not in', lot_ids)]

    def _compute_udi_scan(self):
        for lot in self:
            lot.udi_scan = False

    # Each scan searched costs two queries: a list over XML-RPC is capped.
    _UDI_SEARCH_LIMIT = 100

    def _search_udi_scan(self, operator, value):
        """Find the lot a scan names ('=', or the search box's 'ilike'),
        any of several scans ('in'), or every other lot (the negative
        operators). A malformed scan raises the parser's precise error."""
        positive = ('=', 'ilike', 'like', '=like', '=ilike', 'in')
        negative = ('!=', 'not ilike', 'not like', 'not in')
        if operator not in positive + negative:
            raise UserError(
                _('Search lots by scanned UDI with = or !=, not '
                  '%(operator)s.') % {'operator': repr(operator)[:20]})
        scans = value if operator in ('in', 'not in') and isinstance(
            value, (list, tuple)) else [value]
        if len(scans) > self._UDI_SEARCH_LIMIT:
            raise UserError(
                _('Search at most %(limit)d scanned UDIs at once.') % {
                    'limit': self._UDI_SEARCH_LIMIT})
        scan = self.env['meddev.udi.scan']
        lot_ids = []
        for barcode in scans:
            lot_ids += scan.find_lot(barcode)[1].ids
        return [('id', 'in' if operator in positive else 'not in', lot_ids)]

    def _udi_elements(self):
        """Return the (AI, data) pairs of this lot's UDI, in label order."""
        self.ensure_one()
        elements = [('01', self.product_id.udi_di)]
        if self.production_date:
            elements.append(
                ('11', fields.Date.from_string(
                    self.production_date).strftime('%y%m%d')))
        if self.life_date:
            elements.append(
                ('17', fields.Datetime.from_string(
                    self.life_date).strftime('%y%m%d')))
        if self.product_id.tracking == 'serial':
            if self.udi_batch:
                elements.append(('10', self.udi_batch))
            elements.append(('21', self.name))
        else:
            elements.append(('10', self.name))
        return elements

    def _udi_elements_string(self):
        if not self.product_id.udi_di or not self.name:
            return False
        try:
            return build_element_string(self._udi_elements())
        except UdiError:
            # A name outside GS1's character set cannot go on a label.
            return False

    # Trace helpers -------------------------------------------------------

    @api.multi
    def trace_backward(self):
        """Return every lot that went into these lots, all levels down, as
        a list of dicts (lot_id, via_lot_id, level, quantity), one SQL
        query; raise UserError when the genealogy holds a cycle."""
        return self.env['meddev.lot.link']._trace(self.ids, 'backward')

    @api.multi
    def trace_forward(self):
        """Return every lot that contains these lots, all levels up, as a
        list of dicts (lot_id, via_lot_id, level, quantity), one SQL query;
        raise UserError when the genealogy holds a cycle."""
        return self.env['meddev.lot.link']._trace(self.ids, 'forward')

    @api.multi
    def trace_deliveries(self, include_forward=True):
        """Return the deliveries to customers of these lots and, with
        ``include_forward``, of every lot containing them: a list of dicts
        (lot_id, product_id, partner_id, picking_id, date, quantity)."""
        lot_ids = set(self.ids)
        if include_forward:
            lot_ids.update(row['lot_id'] for row in self.trace_forward())
        return self.env['meddev.lot.link']._deliveries(sorted(lot_ids))

    @api.multi
    def action_trace_backward(self):
        """Open the list of everything that went into this lot."""
        self.ensure_one()
        return self.env['meddev.trace']._open_trace(self, 'backward')

    @api.multi
    def action_trace_forward(self):
        """Open the list of every lot containing this one, and of their
        deliveries to customers."""
        self.ensure_one()
        return self.env['meddev.trace']._open_trace(self, 'forward')


def render_tree(children, root_id, lots):
    """Return the nested <ul> of the rows under ``root_id``; ``children``
    maps a lot id to its trace rows, ``lots`` a lot id to its record.
    Iterative, so a deep genealogy cannot exhaust Python's stack."""
    parts = []
    stack = [iter(children.get(root_id, []))]
    # A capped walk may loop back to a lot already shown: show it once.
    shown = set([root_id])
    parts.append('<ul class="o_meddev_genealogy">')
    while stack:
        row = next(stack[-1], None)
        if row is None:
            stack.pop()
            parts.append('</ul>' if not stack else '</ul></li>')
            continue
        if row['lot_id'] in shown:
            continue
        shown.add(row['lot_id'])
        lot = lots[row['lot_id']]
        parts.append(
            '<li data-level="%d"><span class="badge">%d</span> %s '
            '<strong>%s</strong> &#215; %s' % (
                row['level'], row['level'],
                html_escape(lot.product_id.display_name),
                html_escape(lot.name),
                html_escape('%g' % row['quantity'])))
        below = children.get(row['lot_id'])
        if below:
            parts.append('<ul>')
            stack.append(iter(below))
        else:
            parts.append('</li>')
    return ''.join(parts)
