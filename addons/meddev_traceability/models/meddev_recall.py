from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.addons.meddev_base.tools import create_values, schedule_todo
from odoo.exceptions import UserError
from odoo.tools import html_escape

from ..lib.sql_array import int_array_literal
from .meddev_lot_link_trace import GenealogyCycleError

# Set by the recall's buttons only (launch, re-trace, close): never given
# at creation. The affected lots are the forward trace's (launch,
# re-trace): taking one out would lift its quarantine.
WORKFLOW_FIELDS = ('state', 'launch_date', 'retrace_date', 'close_date',
                   'reached_lot_ids')
# The recall decision's scope, fixed at launch: the launch traced these
# lots for this company's deliveries, and its customer lines, quarantine
# and notices follow from them; the level and the decision date set the
# customers' notice deadline, the source says who decided. After launch
# only the buttons change what the recall covers (Re-trace adds what the
# same lots reached since); the reason's wording stays editable, tracked.
SCOPE_FIELDS = ('lot_ids', 'company_id', 'recall_level_id', 'decision_date',
                'source', 'source_ref')


class MeddevRecall(models.Model):
    """A recall campaign: the lots decided on, every lot and customer the
    forward trace reaches from them, and the notices sent to them (see
    meddev_recall_notice.py)."""

    _name = 'meddev.recall'
    _description = 'Recall'
    # Regulated: never deleted, whatever its state; cancel it instead. The
    # mixin comes before mail.thread, whose unlink deletes the chatter
    # first (the trail's guard would answer instead of the clear refusal).
    _inherit = ['meddev.regulated.mixin', 'mail.thread',
                'mail.activity.mixin', 'meddev.guarded.mixin']
    # The state, its dates and the quarantine are the buttons' (launch,
    # re-trace, quarantine, close, cancel), which check the recall first:
    # written over XML-RPC, a recall would close with its customers never
    # told, open without lines, or release its lots from quarantine. The
    # notice deadline is computed (decision date plus the level's days):
    # written, it would move the customers' deadline and the overdue
    # check.
    _meddev_guarded_fields = WORKFLOW_FIELDS + ('quarantined',
                                                'notice_deadline')
    _order = 'decision_date desc, id desc'

    name = fields.Char(
        string='Reference', required=True, copy=False, readonly=True,
        default='/', index=True)
    reason = fields.Text(
        required=True, readonly=True,
        states={'draft': [('readonly', False)]},
        track_visibility='onchange')
    # Restrict: a level or company in use is not deleted from under a
    # recall (a regulated record).
    recall_level_id = fields.Many2one(
        'meddev.recall.level', string='Level', required=True,
        ondelete='restrict', readonly=True,
        states={'draft': [('readonly', False)]},
        track_visibility='onchange')
    source = fields.Selection([
        ('capa', 'CAPA'),
        ('supplier', 'Supplier Notice'),
        ('regulator', 'Regulator'),
        ('internal', 'Internal'),
    ], required=True, default='internal', readonly=True,
        states={'draft': [('readonly', False)]},
        track_visibility='onchange')
    source_ref = fields.Char(
        string='Source Document', readonly=True,
        states={'draft': [('readonly', False)]},
        track_visibility='onchange',
        help="Reference of the CAPA, supplier notice or regulator letter.")
    decision_date = fields.Date(
        required=True, default=fields.Date.context_today, readonly=True,
        states={'draft': [('readonly', False)]},
        track_visibility='onchange')
    notice_deadline = fields.Date(
        compute='_compute_notice_deadline', store=True,
        help="Date by which every customer must be notified: the decision "
             "date plus the level's notice deadline, fixed at launch.")
    state = fields.Selection([
        ('draft', 'Draft'),
        ('open', 'Open'),
        ('closed', 'Closed'),
        ('cancel', 'Cancelled'),
    ], default='draft', required=True, readonly=True, copy=False,
        index=True, track_visibility='onchange')
    lot_ids = fields.Many2many(
        'stock.production.lot', 'meddev_recall_chosen_lot_rel',
        'recall_id', 'lot_id', string='Recalled Lots', readonly=True,
        states={'draft': [('readonly', False)]},
        help="The lots or serials the recall decision names.")
    reached_lot_ids = fields.Many2many(
        'stock.production.lot', 'meddev_recall_reached_lot_rel',
        'recall_id', 'lot_id', string='Affected Lots', readonly=True,
        copy=False,
        help="The recalled lots and every lot containing them, found by "
             "the forward trace at launch (and re-trace): all are "
             "quarantined while the recall is open.")
    line_ids = fields.One2many(
        'meddev.recall.line', 'recall_id', string='Customer Lines',
        readonly=True, copy=False)
    user_id = fields.Many2one(
        'res.users', string='Responsible', default=lambda self: self.env.user,
        track_visibility='onchange',
        help="The recall manager in charge: overdue notices are scheduled "
             "to them as an activity.")
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        ondelete='restrict', readonly=True,
        states={'draft': [('readonly', False)]},
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.recall'))
    quarantined = fields.Boolean(
        string='Lots Quarantined', default=True, readonly=True, copy=False,
        track_visibility='onchange',
        help="While the recall is open, its affected lots can be neither "
             "reserved, delivered nor consumed. Set at launch when the "
             "company quarantines at launch (Settings > Traceability), "
             "else by the Quarantine button.")
    launch_date = fields.Datetime(readonly=True, copy=False)
    retrace_date = fields.Datetime(
        string='Last Re-trace', readonly=True, copy=False)
    close_date = fields.Datetime(readonly=True, copy=False)
    line_count = fields.Integer(
        string='Lines', compute='_compute_progress')
    customer_count = fields.Integer(
        string='Customers', compute='_compute_progress')
    notified_count = fields.Integer(
        string='Notified', compute='_compute_progress')
    acknowledged_count = fields.Integer(
        string='Acknowledged', compute='_compute_progress')
    overdue_count = fields.Integer(
        string='Overdue Notices', compute='_compute_progress')
    notice_problem_count = fields.Integer(
        string='Notices Not Delivered', compute='_compute_progress',
        help="Customer lines whose notice failed, bounced, or whose "
             "customer has no email address.")
    quantity_shipped = fields.Float(
        compute='_compute_progress',
        digits=dp.get_precision('Product Unit of Measure'))
    quantity_at_customer = fields.Float(
        compute='_compute_progress',
        digits=dp.get_precision('Product Unit of Measure'),
        help="Quantity the customers still held at launch: shipped less "
             "what they had returned before the recall.")
    quantity_returned = fields.Float(
        compute='_compute_progress',
        digits=dp.get_precision('Product Unit of Measure'))
    progress = fields.Float(
        string='Acknowledged (%)', compute='_compute_progress',
        help="Share of the customer lines whose notice was acknowledged.")

    # Not on the level's notice_days: a launched recall's deadline is the
    # one its customers were given (the level and decision date are fixed
    # at launch, SCOPE_FIELDS); a later edit of the level's days must not
    # move it, on open recalls nor as the stored evidence of closed ones.
    # The level's write recomputes the drafts' deadlines
    # (meddev.recall.level._recompute_draft_deadlines).
    @api.depends('decision_date', 'recall_level_id')
    def _compute_notice_deadline(self):
        for recall in self:
            recall.notice_deadline = recall._notice_deadline_of()

    def _notice_deadline_of(self):
        """Return the customers' deadline of this recall: its decision
        date plus its level's days (a date string), False without them."""
        self.ensure_one()
        if not self.decision_date or not self.recall_level_id:
            return False
        return fields.Date.to_string(
            fields.Date.from_string(self.decision_date)
            + timedelta(days=self.recall_level_id.notice_days))

    @api.depends('line_ids.notice_sent_date', 'line_ids.acknowledged_date',
                 'line_ids.overdue', 'line_ids.quantity_shipped',
                 'line_ids.quantity_returned', 'line_ids.partner_id',
                 'line_ids.quantity_at_customer', 'line_ids.notice_status')
    def _compute_progress(self):
        figures = dict((recall_id, {}) for recall_id in self.ids)
        if self.ids:
            # One aggregate for every recall shown.
            self.env.cr.execute("""
                SELECT recall_id, COUNT(*),
                       COUNT(DISTINCT partner_id),
                       COUNT(notice_sent_date),
                       COUNT(acknowledged_date),
                       COUNT(*) FILTER (WHERE overdue),
                       COUNT(*) FILTER (WHERE notice_status IN
                                        ('exception', 'bounced', 'no_email')
                                        AND notice_sent_date IS NULL
                                        AND state != 'done'),
                       COALESCE(SUM(quantity_shipped), 0),
                       COALESCE(SUM(quantity_returned), 0),
                       COALESCE(SUM(quantity_at_customer), 0)
                  FROM meddev_recall_line
                 WHERE recall_id = ANY(%s)
                 GROUP BY recall_id
            """, [self.ids])
            for row in self.env.cr.fetchall():
                figures[row[0]] = dict(zip((
                    'line_count', 'customer_count', 'notified_count',
                    'acknowledged_count', 'overdue_count',
                    'notice_problem_count', 'quantity_shipped',
                    'quantity_returned', 'quantity_at_customer'), row[1:]))
        for recall in self:
            values = figures.get(recall.id) or {}
            for name in ('line_count', 'customer_count', 'notified_count',
                         'acknowledged_count', 'overdue_count',
                         'notice_problem_count'):
                recall[name] = values.get(name, 0)
            for name in ('quantity_shipped', 'quantity_returned',
                         'quantity_at_customer'):
                recall[name] = values.get(name, 0.0)
            recall.progress = (
                100.0 * recall.acknowledged_count / recall.line_count
                if recall.line_count else 0.0)

    @api.model
    def create(self, vals):
        """A recall is born a draft: launch, re-trace and closure are its
        buttons' (asked in ``vals`` or as the caller's ``default_*``, a
        recall would be born closed without lines or notices; the user's
        saved defaults too)."""
        asked = create_values(self, vals, WORKFLOW_FIELDS)
        born = sorted(name for name in WORKFLOW_FIELDS
                      if asked.get(name) and asked[name] != 'draft')
        if born:
            raise UserError(
                _('Recall %(name)s must be created as a draft and then '
                  'launched (%(fields)s are set by its buttons).') % {
                    'name': vals.get('reason') or _('(new)'),
                    'fields': ', '.join(
                        self._fields[name]._description_string(self.env)
                        for name in born)})
        # The other guarded fields (notice deadline, quarantine) in the
        # values, the caller's defaults or a saved default: Odoo stores
        # the value sent for a computed field, and keeps it when the
        # caller's context turns the recomputation off.
        self = self._meddev_check_guarded(vals, create=True)
        if vals.get('name', '/') == '/':
            vals['name'] = self.env['ir.sequence'].next_by_code(
                'meddev.recall') or '/'
        return super(MeddevRecall, self).create(vals)

    @api.multi
    def write(self, vals):
        """Refuse the workflow's fields (``_meddev_guarded_fields``) from
        the caller: only the buttons write them; and the scope
        (``SCOPE_FIELDS``) of a recall no longer a draft. The superuser's
        own writes (data files, migrations) pass."""
        if not self.env.user._is_superuser():
            self._meddev_check_guarded(vals)
            self._check_scope_fixed(vals)
        return super(MeddevRecall, self).write(vals)

    def _check_scope_fixed(self, vals):
        """Raise a UserError when ``vals`` changes the recalled lots or
        the company of a recall that is launched (open, closed or
        cancelled). Any command on the lots counts, even one that changes
        nothing: only a draft's lots are edited."""
        asked = [name for name in SCOPE_FIELDS if name in vals]
        if not asked:
            return
        states = dict(self._fields['state']._description_selection(self.env))
        for recall in self.filtered(lambda recall: recall.state != 'draft'):
            changed = [
                name for name in asked
                if self._fields[name].type == 'many2many'
                or self._fields[name].convert_to_write(
                    recall[name], recall) != vals[name]]
            if changed:
                raise UserError(
                    _('The recall %(name)s is %(state)s: its %(fields)s '
                      'cannot change any more. Re-trace it to add what its '
                      'lots reached since launch, or cancel it and open a '
                      'new recall.') % {
                        'name': recall.name,
                        'state': states[recall.state],
                        'fields': ', '.join(
                            self._fields[name]._description_string(self.env)
                            for name in changed)})

    @api.model
    def create_from_lots(self, lots, reason, recall_level, source='internal',
                         source_ref=False, launch=False, **extra):
        """Create a recall of ``lots`` (a recordset) for ``reason`` at
        ``recall_level`` (a meddev.recall.level) and return it, launched
        when ``launch``. The way for other modules (a CAPA) to open a
        recall: ``source``/``source_ref`` name the document that decided
        it; ``extra`` holds further field values. Runs with the caller's
        rights (recall managers)."""
        if not lots:
            raise UserError(_('A recall needs at least one lot or serial.'))
        vals = dict(extra)
        vals.update({
            'lot_ids': [(6, 0, lots.ids)],
            'reason': reason,
            'recall_level_id': recall_level.id,
            'source': source,
            'source_ref': source_ref or False,
        })
        recall = self.create(vals)
        if launch:
            recall.action_launch()
        return recall

    @api.multi
    def action_launch(self):
        """Open the recall: trace forward from the chosen lots, record the
        affected lots (quarantined from now on) and one line per customer,
        lot and delivery, in one step. Recall managers only: the rights
        are checked before the raw inserts of the scope."""
        self.check_access_rights('write')
        self.check_access_rule('write')
        for recall in self:
            if recall.state != 'draft':
                raise UserError(
                    _('The recall %(name)s can only be launched from '
                      'draft.') % {'name': recall.name})
            if not recall.lot_ids:
                raise UserError(
                    _('The recall %(name)s names no lot: choose the lots '
                      'to recall first.') % {'name': recall.name})
            # The deadline the launch gives the customers (and their
            # lines, inserted with it): a create whose caller turned the
            # recomputation off left it empty or stale in the database.
            deadline = recall._notice_deadline_of()
            if recall.notice_deadline != deadline:
                recall._meddev_as_server().write(
                    {'notice_deadline': deadline})
            launch_date = fields.Datetime.now()
            reached, added = recall._trace_scope(launch_date)
            recall._meddev_as_server().write({
                'state': 'open', 'launch_date': launch_date,
                # The company decides whether a launch stops the lots.
                'quarantined': recall.company_id.recall_auto_quarantine})
            recall.message_post(body=_(
                'Recall launched: %(lots)d affected lots, %(lines)d '
                'deliveries to %(customers)d customers.') % {
                    'lots': len(reached), 'lines': added,
                    'customers': recall.customer_count})
            if not recall.quarantined:
                recall.message_post(body=_(
                    'The affected lots are not quarantined yet (your '
                    'company quarantines them by hand): click Quarantine '
                    'to stop their reservation, delivery and '
                    'consumption.'))
        return True

    @api.multi
    def action_retrace(self):
        """Trace the recalled lots again (links recorded since launch) and
        add the lots and deliveries found since, leaving the lines already
        handled as they are."""
        self.ensure_one()
        self.check_access_rights('write')
        self.check_access_rule('write')
        if self.state != 'open':
            raise UserError(
                _('The recall %(name)s is not open: it cannot be '
                  're-traced.') % {'name': self.name})
        known = set(self.reached_lot_ids.ids)
        now = fields.Datetime.now()
        reached, added = self._trace_scope(now)
        self._meddev_as_server().write({'retrace_date': now})
        self.message_post(body=_(
            'Re-traced: %(lots)d new affected lots, %(lines)d new customer '
            'lines.') % {'lots': len(reached - known), 'lines': added})
        return True

    def _trace_scope(self, until):
        """Trace forward from the recalled lots; add the affected lots and
        the customer lines of deliveries not listed yet, in two inserts.
        Return (affected lot ids, number of lines added)."""
        self.ensure_one()
        reached = set(self.lot_ids.ids)
        try:
            # The lots of trace_forward(), without its rows.
            reached |= self.env['meddev.lot.link']._trace_reached(
                self.lot_ids.ids, 'forward')
        except GenealogyCycleError as error:
            # Bad links must not stop a recall: every lot they reach is
            # taken (a cycle included), and the recall manager is told.
            reached |= self.env['meddev.lot.link']._trace_lot_ids(
                self.lot_ids.ids, 'forward')
            self._report_genealogy_problem(error.name)
        # One text literal for the lots (lib/sql_array.py): a recall may
        # reach 100 000 of them.
        self.env.cr.execute("""
            INSERT INTO meddev_recall_reached_lot_rel (recall_id, lot_id)
            SELECT %s, lot_id FROM unnest(%s::int[]) lot_id
            ON CONFLICT DO NOTHING
        """, [self.id, int_array_literal(sorted(reached))])
        deliveries = self.env['meddev.lot.link']._deliveries(
            sorted(reached), until=until)
        added = self.env['meddev.recall.line']._insert_lines(self, deliveries)
        self.invalidate_cache(['reached_lot_ids', 'line_ids'], self.ids)
        self.env['stock.production.lot'].invalidate_cache(
            ['recall_ids', 'recall_quarantine'])
        return reached, added

    def _report_genealogy_problem(self, problem):
        """Tell the recall's responsible, in the chatter and as a to-do,
        that its trace went through bad links (``problem`` names them)."""
        self.ensure_one()
        self.message_post(body=_(
            'The forward trace went through bad lot links; every lot they '
            'reach is in the recall. %(problem)s') % {'problem': problem})
        # One open to-do per recall and responsible: a re-trace through
        # the same bad links does not pile them up.
        schedule_todo(self, self.user_id or self.env.user,
                      _('Correct the lot genealogy'),
                      note=html_escape(problem))

    @api.multi
    def action_quarantine(self):
        """Quarantine the affected lots of this open recall now (for
        companies that do not quarantine at launch): recall managers
        only."""
        self.check_access_rights('write')
        self.check_access_rule('write')
        for recall in self:
            if recall.state != 'open':
                raise UserError(
                    _('The recall %(name)s is not open: its lots cannot be '
                      'quarantined.') % {'name': recall.name})
        to_hold = self.filtered(lambda recall: not recall.quarantined)
        to_hold._meddev_as_server().write({'quarantined': True})
        self.env['stock.production.lot'].invalidate_cache(
            ['recall_quarantine'])
        return True

    @api.multi
    def action_close(self):
        """Close the recall; its lots are released from quarantine, but
        the units returned stay in the quarantine location until a recall
        manager decides what becomes of them."""
        for recall in self:
            if recall.state != 'open':
                raise UserError(
                    _('The recall %(name)s is not open and cannot be '
                      'closed.') % {'name': recall.name})
        self._meddev_as_server().write(
            {'state': 'closed', 'close_date': fields.Datetime.now()})
        return True

    @api.multi
    def action_cancel(self):
        """Cancel the recall (never delete it); the quarantine lifts."""
        for recall in self:
            if recall.state not in ('draft', 'open'):
                raise UserError(
                    _('The recall %(name)s is already closed or '
                      'cancelled.') % {'name': recall.name})
        self._meddev_as_server().write(
            {'state': 'cancel', 'close_date': fields.Datetime.now()})
        return True

    @api.multi
    def action_view_lines(self):
        """Open the customer lines of this recall."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_traceability.meddev_recall_line_action').read()[0]
        action['domain'] = [('recall_id', '=', self.id)]
        action['context'] = {'default_recall_id': self.id}
        return action

    @api.multi
    def action_view_reached_lots(self):
        """Open the lots quarantined by this recall."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Affected Lots'),
            'res_model': 'stock.production.lot',
            'view_mode': 'tree,form',
            'domain': [('recall_ids', '=', self.id)],
        }

    @api.model
    def _blocking_recalls(self, lot_ids):
        """Return {lot id: recall} for the lots among ``lot_ids`` that an
        open, quarantining recall holds, in one query."""
        if not lot_ids:
            return {}
        self.env.cr.execute("""
            SELECT rel.lot_id, MIN(r.id)
              FROM meddev_recall_reached_lot_rel rel
              JOIN meddev_recall r ON r.id = rel.recall_id
             WHERE r.state = 'open' AND r.quarantined
               AND rel.lot_id = ANY(%s)
             GROUP BY rel.lot_id
        """, [list(lot_ids)])
        rows = self.env.cr.fetchall()
        # Any stock user meets the quarantine: naming the recall is needed.
        recalls = self.sudo().browse([row[1] for row in rows])
        by_id = dict((recall.id, recall) for recall in recalls)
        return dict((row[0], by_id[row[1]]) for row in rows)

    @api.model
    def open_recall_of_lot(self, lot):
        """Return the open recall that quarantines ``lot`` (the oldest when
        several do), or an empty recordset: for other modules that must
        refuse or flag work on a recalled unit."""
        return self._blocking_recalls(lot.ids).get(lot.id, self.browse())

    @api.model
    def _check_lots_not_recalled(self, lots, action):
        """Raise a UserError naming the recall when one of ``lots`` is
        quarantined by an open recall; ``action`` says what was refused."""
        blocking = self._blocking_recalls(lots.ids)
        if not blocking:
            return
        lot = lots.filtered(lambda candidate: candidate.id in blocking)[0]
        recall = blocking[lot.id]
        raise UserError(
            _('%(action)s refused: the lot %(lot)s of %(product)s is '
              'quarantined by the open recall %(recall)s.') % {
                'action': action, 'lot': lot.name,
                'product': lot.product_id.display_name,
                'recall': recall.name})
