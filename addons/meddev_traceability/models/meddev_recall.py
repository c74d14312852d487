import base64
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.addons.queue_job.job import job
from odoo.exceptions import UserError
from odoo.tools import html_escape


class MeddevRecall(models.Model):
    """A recall campaign: the lots decided on, every lot and customer the
    forward trace reaches from them, and the notices sent to them."""

    _name = 'meddev.recall'
    _description = 'Recall'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'decision_date desc, id desc'

    name = fields.Char(
        string='Reference', required=True, copy=False, readonly=True,
        default='/', index=True)
    reason = fields.Text(
        required=True, readonly=True,
        states={'draft': [('readonly', False)]})
    recall_level_id = fields.Many2one(
        'meddev.recall.level', string='Level', required=True,
        readonly=True, states={'draft': [('readonly', False)]},
        track_visibility='onchange')
    source = fields.Selection([
        ('capa', 'CAPA'),
        ('supplier', 'Supplier Notice'),
        ('regulator', 'Regulator'),
        ('internal', 'Internal'),
    ], required=True, default='internal', readonly=True,
        states={'draft': [('readonly', False)]})
    source_ref = fields.Char(
        string='Source Document', readonly=True,
        states={'draft': [('readonly', False)]},
        help="Reference of the CAPA, supplier notice or regulator letter.")
    decision_date = fields.Date(
        required=True, default=fields.Date.context_today, readonly=True,
        states={'draft': [('readonly', False)]},
        track_visibility='onchange')
    notice_deadline = fields.Date(
        compute='_compute_notice_deadline', store=True,
        help="Date by which every customer must be notified: the decision "
             "date plus the level's notice deadline.")
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
             "the forward trace at launch: all are quarantined while the "
             "recall is open.")
    line_ids = fields.One2many(
        'meddev.recall.line', 'recall_id', string='Customer Lines',
        readonly=True, copy=False)
    user_id = fields.Many2one(
        'res.users', string='Responsible', default=lambda self: self.env.user,
        track_visibility='onchange')
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        readonly=True, states={'draft': [('readonly', False)]},
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.recall'))
    launch_date = fields.Datetime(readonly=True, copy=False)
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

    @api.depends('decision_date', 'recall_level_id.notice_days')
    def _compute_notice_deadline(self):
        for recall in self:
            if recall.decision_date and recall.recall_level_id:
                recall.notice_deadline = fields.Date.to_string(
                    fields.Date.from_string(recall.decision_date)
                    + timedelta(days=recall.recall_level_id.notice_days))
            else:
                recall.notice_deadline = False

    @api.depends('line_ids.notice_sent_date', 'line_ids.acknowledged_date',
                 'line_ids.overdue', 'line_ids.quantity_shipped',
                 'line_ids.quantity_returned', 'line_ids.partner_id',
                 'line_ids.quantity_at_customer')
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
                       COALESCE(SUM(quantity_shipped), 0),
                       COALESCE(SUM(quantity_returned), 0),
                       COALESCE(SUM(quantity_at_customer), 0)
                  FROM meddev_recall_line
                 WHERE recall_id = ANY(%s)
                 GROUP BY recall_id
            """, [self.ids])
            for row in self.env.cr.fetchall():
                figures[row[0]] = {
                    'line_count': row[1], 'customer_count': row[2],
                    'notified_count': row[3], 'acknowledged_count': row[4],
                    'overdue_count': row[5], 'quantity_shipped': row[6],
                    'quantity_returned': row[7],
                    'quantity_at_customer': row[8],
                }
        for recall in self:
            values = figures.get(recall.id) or {}
            recall.line_count = values.get('line_count', 0)
            recall.customer_count = values.get('customer_count', 0)
            recall.notified_count = values.get('notified_count', 0)
            recall.acknowledged_count = values.get('acknowledged_count', 0)
            recall.overdue_count = values.get('overdue_count', 0)
            recall.quantity_shipped = values.get('quantity_shipped', 0.0)
            recall.quantity_returned = values.get('quantity_returned', 0.0)
            recall.quantity_at_customer = values.get(
                'quantity_at_customer', 0.0)
            recall.progress = (
                100.0 * recall.acknowledged_count / recall.line_count
                if recall.line_count else 0.0)

    @api.model
    def create(self, vals):
        if vals.get('name', '/') == '/':
            vals['name'] = self.env['ir.sequence'].next_by_code(
                'meddev.recall') or '/'
        return super(MeddevRecall, self).create(vals)

    @api.multi
    def unlink(self):
        for recall in self:
            if recall.state != 'draft':
                raise UserError(
                    _('The recall %(name)s is a regulated record: cancel it '
                      'instead of deleting it.') % {'name': recall.name})
        return super(MeddevRecall, self).unlink()

    @api.multi
    def action_launch(self):
        """Open the recall: trace forward from the chosen lots, record the
        affected lots (quarantined from now on) and one line per customer,
        lot and delivery, in one step."""
        for recall in self:
            if recall.state != 'draft':
                raise UserError(
                    _('The recall %(name)s can only be launched from '
                      'draft.') % {'name': recall.name})
            if not recall.lot_ids:
                raise UserError(
                    _('The recall %(name)s names no lot: choose the lots '
                      'to recall first.') % {'name': recall.name})
            lots = recall.lot_ids
            reached = set(lots.ids)
            reached.update(row['lot_id'] for row in lots.trace_forward())
            launch_date = fields.Datetime.now()
            deliveries = self.env['meddev.lot.link']._deliveries(
                sorted(reached), until=launch_date)
            lines = [(0, 0, recall._prepare_line_vals(delivery))
                     for delivery in deliveries]
            recall.write({
                'state': 'open',
                'launch_date': launch_date,
                'reached_lot_ids': [(6, 0, sorted(reached))],
                'line_ids': lines,
            })
            recall.message_post(body=_(
                'Recall launched: %(lots)d affected lots, %(lines)d '
                'deliveries to %(customers)d customers.') % {
                    'lots': len(reached), 'lines': recall.line_count,
                    'customers': recall.customer_count})
        return True

    def _prepare_line_vals(self, delivery):
        """Return the values of the recall line for one delivery row of
        the forward trace (see meddev.lot.link._deliveries)."""
        return {
            'partner_id': delivery['partner_id'],
            'lot_id': delivery['lot_id'],
            'product_id': delivery['product_id'],
            'picking_id': delivery['picking_id'],
            'delivery_date': delivery['date'],
            'quantity_shipped': delivery['quantity'],
            'quantity_at_customer': max(
                delivery['quantity'] - (delivery.get('returned') or 0.0),
                0.0),
        }

    @api.multi
    def action_close(self):
        """Close the recall; its lots are released from quarantine."""
        for recall in self:
            if recall.state != 'open':
                raise UserError(
                    _('The recall %(name)s is not open and cannot be '
                      'closed.') % {'name': recall.name})
        self.write({'state': 'closed', 'close_date': fields.Datetime.now()})
        return True

    @api.multi
    def action_cancel(self):
        """Cancel the recall (never delete it); the quarantine lifts."""
        for recall in self:
            if recall.state not in ('draft', 'open'):
                raise UserError(
                    _('The recall %(name)s is already closed or '
                      'cancelled.') % {'name': recall.name})
        self.write({'state': 'cancel', 'close_date': fields.Datetime.now()})
        return True

    @api.multi
    def action_send_notices(self):
        """Queue one notice job per customer still to notify, so that the
        click never waits on the mail server."""
        self.ensure_one()
        if self.state != 'open':
            raise UserError(
                _('The recall %(name)s is not open: no notice can be '
                  'sent.') % {'name': self.name})
        # A line whose lot was all returned before launch needs no notice.
        partners = self.line_ids.filtered(
            lambda line: not line.notice_sent_date
            and line.state != 'done').mapped('partner_id')
        for partner in partners:
            self.with_delay(
                description=_('Recall %(name)s: notice to %(partner)s') % {
                    'name': self.name, 'partner': partner.display_name},
            ).send_partner_notice(partner.id)
        self.message_post(body=_(
            '%(count)d recall notices queued.') % {'count': len(partners)})
        return True

    @api.multi
    @job(default_channel='root.recall')
    def send_partner_notice(self, partner_id):
        """Mail the recall notice to one customer, listing its lots and
        quantities, and record the sending on its lines (a queue job)."""
        self.ensure_one()
        lines = self.line_ids.filtered(
            lambda line: line.partner_id.id == partner_id
            and not line.notice_sent_date and line.state != 'done')
        if not lines or self.state != 'open':
            return False
        partner = lines[0].partner_id
        vals = self._prepare_notice_mail_vals(partner, lines)
        vals['attachment_ids'] = [(4, self._notice_letter(lines).id)]
        mail = self.env['mail.mail'].create(vals)
        lines.write({'notice_sent_date': fields.Datetime.now(),
                     'notice_mail_id': mail.id, 'overdue': False})
        self.message_post(body=_(
            'Recall notice sent to %(partner)s for %(lots)s.') % {
                'partner': partner.display_name,
                'lots': ', '.join(lines.mapped('lot_id.name'))})
        return mail.id

    def _notice_letter(self, lines):
        """Return the PDF letter listing ``lines`` (one customer's), stored
        as an attachment of the recall."""
        report = self.env.ref(
            'meddev_traceability.meddev_recall_notice_report')
        content = report.render_qweb_pdf(lines.ids)[0]
        name = '%s - %s.pdf' % (self.name.replace('/', '-'),
                                lines[0].partner_id.display_name)
        return self.env['ir.attachment'].create({
            'name': name,
            'datas_fname': name,
            'datas': base64.b64encode(content),
            'res_model': self._name,
            'res_id': self.id,
            'mimetype': 'application/pdf',
        })

    def _prepare_notice_mail_vals(self, partner, lines):
        """Return the values of the notice mail to ``partner`` about
        ``lines``, its deliveries of affected lots."""
        rows = ''.join(
            '<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>' % (
                html_escape(line.product_id.display_name),
                html_escape(line.lot_id.name),
                html_escape(line.picking_id.name or ''),
                line.quantity_shipped)
            for line in lines)
        body = _(
            '<p>Dear customer,</p><p>We are recalling the devices below '
            '(recall %(name)s, %(level)s). Please stop using them, '
            'quarantine them and acknowledge this notice.</p>'
            '<p>Reason: %(reason)s</p>') % {
                'name': html_escape(self.name),
                'level': html_escape(self.recall_level_id.name),
                'reason': html_escape(self.reason)}
        table = ('<table border="1"><tr><th>%s</th><th>%s</th><th>%s</th>'
                 '<th>%s</th></tr>%s</table>') % (
            _('Product'), _('Lot/Serial'), _('Delivery'), _('Quantity'),
            rows)
        return {
            'subject': _('Recall notice %(name)s') % {'name': self.name},
            'body_html': body + table,
            'recipient_ids': [(4, partner.id)],
            'model': self._name,
            'res_id': self.id,
        }

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
            'domain': [('id', 'in', self.reached_lot_ids.ids)],
        }

    @api.model
    def _blocking_recalls(self, lot_ids):
        """Return {lot id: recall} for the lots among ``lot_ids`` that an
        open recall quarantines, in one query."""
        if not lot_ids:
            return {}
        self.env.cr.execute("""
            SELECT rel.lot_id, MIN(r.id)
              FROM meddev_recall_reached_lot_rel rel
              JOIN meddev_recall r ON r.id = rel.recall_id
             WHERE r.state = 'open' AND rel.lot_id = ANY(%s)
             GROUP BY rel.lot_id
        """, [list(lot_ids)])
        rows = self.env.cr.fetchall()
        # Any stock user meets the quarantine: naming the recall is needed.
        recalls = self.sudo().browse([row[1] for row in rows])
        by_id = dict((recall.id, recall) for recall in recalls)
        return dict((row[0], by_id[row[1]]) for row in rows)

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

    @api.model
    def _cron_flag_overdue_notices(self):
        """Flag the customer lines of open recalls whose notice was not
        sent by the level's deadline (and unflag those sent since)."""
        today = fields.Date.context_today(self)
        lines = self.env['meddev.recall.line']
        overdue = lines.search([
            ('recall_id.state', '=', 'open'),
            ('state', '!=', 'done'),
            ('notice_sent_date', '=', False),
            ('notice_deadline', '<', today),
            ('overdue', '=', False)])
        overdue.write({'overdue': True})
        lines.search([
            ('overdue', '=', True),
            '|', '|', '|', ('state', '=', 'done'),
            ('notice_sent_date', '!=', False),
            ('notice_deadline', '>=', today),
            ('recall_id.state', '!=', 'open')]).write({'overdue': False})
        return overdue


class MeddevRecallLine(models.Model):
    """One delivery of an affected lot to one customer, and the notice,
    acknowledgement and return that close it."""

    _name = 'meddev.recall.line'
    _description = 'Recall Customer Line'
    _order = 'recall_id, partner_id, lot_id, id'

    recall_id = fields.Many2one(
        'meddev.recall', required=True, index=True, ondelete='cascade')
    recall_state = fields.Selection(
        related='recall_id.state', string='Recall Status', readonly=True)
    partner_id = fields.Many2one(
        'res.partner', string='Customer', index=True, readonly=True)
    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot/Serial', required=True,
        index=True, readonly=True, ondelete='restrict')
    product_id = fields.Many2one(
        'product.product', string='Product', readonly=True)
    picking_id = fields.Many2one(
        'stock.picking', string='Delivery', readonly=True)
    delivery_date = fields.Datetime(readonly=True)
    quantity_shipped = fields.Float(
        readonly=True, digits=dp.get_precision('Product Unit of Measure'))
    quantity_at_customer = fields.Float(
        readonly=True, digits=dp.get_precision('Product Unit of Measure'),
        help="What the customer still held at launch: the quantity "
             "shipped less what it had returned of this lot before the "
             "recall.")
    notice_sent_date = fields.Datetime(string='Notice Sent')
    return_picking_id = fields.Many2one(
        'stock.picking', string='Return', readonly=True, copy=False,
        help="The return of this delivery created from the recall; its "
             "validation records the quantity returned.")
    notice_mail_id = fields.Many2one(
        'mail.mail', string='Notice Mail', readonly=True,
        ondelete='set null')
    acknowledged_date = fields.Datetime(string='Acknowledged')
    quantity_returned = fields.Float(
        string='Returned or Corrected',
        digits=dp.get_precision('Product Unit of Measure'))
    notice_deadline = fields.Date(
        related='recall_id.notice_deadline', store=True, readonly=True)
    overdue = fields.Boolean(
        readonly=True, index=True,
        help="Set by the daily check when the notice was not sent by the "
             "deadline of the recall's level.")
    state = fields.Selection([
        ('to_notify', 'To Notify'),
        ('notified', 'Notified'),
        ('acknowledged', 'Acknowledged'),
        ('done', 'Returned'),
    ], compute='_compute_state', store=True, index=True)
    company_id = fields.Many2one(
        related='recall_id.company_id', store=True, readonly=True)

    _sql_constraints = [
        ('quantity_returned_positive', 'CHECK (quantity_returned >= 0)',
         'The returned quantity of a recall line cannot be negative.'),
    ]

    @api.depends('notice_sent_date', 'acknowledged_date',
                 'quantity_returned', 'quantity_at_customer')
    def _compute_state(self):
        for line in self:
            # Nothing left at the customer: nothing to recall there.
            if line.quantity_returned >= line.quantity_at_customer:
                line.state = 'done'
            elif line.acknowledged_date:
                line.state = 'acknowledged'
            elif line.notice_sent_date:
                line.state = 'notified'
            else:
                line.state = 'to_notify'

    @api.multi
    def write(self, vals):
        tracked = set(['notice_sent_date', 'acknowledged_date',
                       'quantity_returned'])
        if tracked.intersection(vals):
            for line in self:
                if line.recall_id.state != 'open':
                    raise UserError(
                        _('The recall %(name)s is not open: its lines '
                          'cannot change.') % {'name': line.recall_id.name})
        return super(MeddevRecallLine, self).write(vals)

    @api.multi
    def action_mark_notified(self):
        """Record that the notice went out to these customers now."""
        self.filtered(lambda line: not line.notice_sent_date).write({
            'notice_sent_date': fields.Datetime.now(), 'overdue': False})
        return True

    @api.multi
    def action_mark_acknowledged(self):
        """Record the customers' acknowledgement of the notice now."""
        now = fields.Datetime.now()
        for line in self:
            if not line.notice_sent_date:
                raise UserError(
                    _('No notice was sent to %(customer)s for %(lot)s: it '
                      'cannot be acknowledged yet.') % {
                        'customer': line.partner_id.display_name,
                        'lot': line.lot_id.name})
        self.filtered(lambda line: not line.acknowledged_date).write({
            'acknowledged_date': now})
        return True

    @api.multi
    def action_create_return(self):
        """Create the return of the recalled lot from this delivery and
        open it; validating it records the quantity returned."""
        self.ensure_one()
        self.check_access_rights('write')
        self.check_access_rule('write')
        if self.recall_id.state != 'open':
            raise UserError(
                _('The recall %(name)s is not open: no return can be '
                  'created.') % {'name': self.recall_id.name})
        if not self.return_picking_id or \
                self.return_picking_id.state == 'cancel':
            # A recall manager may start the return of a recalled
            # delivery without warehouse rights; the warehouse validates it.
            self.return_picking_id = self.sudo()._create_return_picking()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'stock.picking',
            'res_id': self.return_picking_id.id,
            'view_mode': 'form',
        }

    def _create_return_picking(self):
        """Return a new return picking for what is still out of this
        line's delivery, built with Odoo's return wizard."""
        quantity = self.quantity_at_customer - self.quantity_returned
        if not self.picking_id or quantity <= 0:
            raise UserError(
                _('Nothing is left to return for %(lot)s at '
                  '%(customer)s.') % {
                    'lot': self.lot_id.name,
                    'customer': self.partner_id.display_name})
        wizard = self.env['stock.return.picking'].with_context(
            active_id=self.picking_id.id, active_ids=self.picking_id.ids,
            active_model='stock.picking').create({})
        keep = wizard.product_return_moves.filtered(
            lambda line: line.product_id == self.product_id)[:1]
        (wizard.product_return_moves - keep).unlink()
        keep.quantity = quantity
        picking_id = wizard._create_returns()[0]
        return self.env['stock.picking'].browse(picking_id)

    @api.model
    def _record_returns(self, moves):
        """Add the lots returned by the done ``moves`` to the recall
        lines whose return they belong to."""
        pickings = moves.mapped('picking_id')
        if not pickings:
            return
        lines = self.search([('return_picking_id', 'in', pickings.ids),
                             ('recall_id.state', '=', 'open')])
        for line in lines:
            returned = sum(
                move_line.qty_done for move_line in moves.mapped(
                    'move_line_ids')
                if move_line.picking_id == line.return_picking_id
                and move_line.lot_id == line.lot_id)
            if returned:
                line.quantity_returned = min(
                    line.quantity_at_customer,
                    line.quantity_returned + returned)
