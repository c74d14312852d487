from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import html_escape


class MeddevQualityDashboard(models.TransientModel):
    """The management figures of complaint handling and CAPA for a period
    and a company, each one SQL aggregate, so that they stay fast over
    hundreds of thousands of complaints."""

    _name = 'meddev.quality.dashboard'
    _description = 'Quality Dashboard'

    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.to_string(
            fields.Date.from_string(fields.Date.context_today(self))
            - timedelta(days=365)))
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        'res.company', required=True,
        default=lambda self: self.env.user.company_id)
    complaint_count = fields.Integer(
        string='Complaints Received', compute='_compute_figures')
    complaint_open = fields.Integer(
        string='Complaints Open', compute='_compute_figures')
    handling_days = fields.Float(
        string='Average Handling (days)', compute='_compute_figures')
    report_count = fields.Integer(
        string='Reports Submitted', compute='_compute_figures')
    report_on_time_pct = fields.Float(
        string='Reports on Time (%)', compute='_compute_figures')
    report_overdue = fields.Integer(
        string='Reports Overdue', compute='_compute_figures')
    capa_open = fields.Integer(
        string='CAPAs Open', compute='_compute_figures')
    capa_overdue = fields.Integer(
        string='CAPAs with Overdue Actions', compute='_compute_figures')
    capa_completion_pct = fields.Float(
        string='CAPA Completion (%)', compute='_compute_figures')
    effectiveness_pass_pct = fields.Float(
        string='Effectiveness Pass Rate (%)', compute='_compute_figures')
    recurrence_count = fields.Integer(
        string='Recurrences', compute='_compute_figures',
        help="Complaints on the same product and fault code received "
             "after a CAPA on that product was closed.")
    hot_spots_html = fields.Html(
        string='Hot Regions and Devices', compute='_compute_figures',
        sanitize=False)

    def _check_quality_user(self):
        # The figures are read with SQL: check the rights the ORM would,
        # the company rules included.
        if not self.env.user.has_group(
                'meddev_quality_capa.group_meddev_quality_capa_user'):
            raise AccessError(
                _('Only quality users see the quality dashboard.'))
        # The companies the record rules show: the current one and its
        # children (not every company the user may switch to).
        allowed = self.env['res.company'].sudo().search(
            [('id', 'child_of', self.env.user.company_id.id)])
        for board in self:
            if board.company_id and board.company_id not in allowed:
                raise AccessError(
                    _('You do not work for %(company)s: its quality figures '
                      'are not yours to see.') % {
                        'company': board.company_id.sudo().name})

    def _fetch(self, query, params):
        self.env.cr.execute(query, params)
        return self.env.cr.fetchone()

    @api.depends('date_from', 'date_to', 'company_id')
    def _compute_figures(self):
        self._check_quality_user()
        for board in self:
            board.update(board._figures())

    def _figures(self):
        """Return the dashboard's figures as field values."""
        self.ensure_one()
        params = {'from': self.date_from, 'company': self.company_id.id,
                  'to': fields.Date.to_string(
                      fields.Date.from_string(self.date_to)
                      + timedelta(days=1))}
        received, still_open, handling = self._fetch("""
            SELECT COUNT(*),
                   COUNT(*) FILTER (WHERE state NOT IN ('closed', 'cancel')),
                   AVG(handling_days) FILTER (WHERE state = 'closed')
              FROM meddev_complaint
             WHERE company_id = %(company)s AND state != 'cancel'
               AND received_date >= %(from)s AND received_date < %(to)s
        """, params)
        submitted, on_time, overdue = self._fetch("""
            SELECT COUNT(*) FILTER (WHERE state = 'submitted'),
                   COUNT(*) FILTER (WHERE state = 'submitted' AND on_time),
                   COUNT(*) FILTER (WHERE state = 'missed')
              FROM meddev_regulatory_report
             WHERE company_id = %(company)s
               AND due_date >= %(from)s AND due_date < %(to)s
        """, params)
        capa_open, capa_closed, capa_all, passed, failed = self._fetch("""
            SELECT COUNT(*) FILTER (WHERE state NOT IN ('closed', 'cancel')),
                   COUNT(*) FILTER (WHERE state = 'closed'),
                   COUNT(*) FILTER (WHERE state != 'cancel'),
                   COUNT(*) FILTER (WHERE effectiveness_result = 'effective'),
                   COALESCE(SUM(ineffective_count), 0)
              FROM meddev_capa
             WHERE company_id = %(company)s
               AND create_date >= %(from)s AND create_date < %(to)s
        """, params)
        capa_overdue, = self._fetch("""
            SELECT COUNT(DISTINCT a.capa_id)
              FROM meddev_capa_action a
              JOIN meddev_capa c ON c.id = a.capa_id
             WHERE c.company_id = %(company)s AND a.state = 'open'
               AND c.state NOT IN ('closed', 'cancel')
               AND a.due_date < CURRENT_DATE
        """, params)
        # A later complaint of the same company on the CAPA's product with
        # a fault code of one of the CAPA's complaints: EXISTS, so that a
        # popular product does not multiply rows before counting.
        recurrence, = self._fetch("""
            SELECT COUNT(*)
              FROM meddev_complaint later
             WHERE later.company_id = %(company)s
               AND later.state != 'cancel'
               AND later.received_date >= %(from)s
               AND later.received_date < %(to)s
               AND EXISTS (
                   SELECT 1
                     FROM meddev_capa c
                     JOIN meddev_capa_complaint_rel rel ON rel.capa_id = c.id
                     JOIN meddev_complaint_meddev_fault_code_rel first_fault
                       ON first_fault.meddev_complaint_id = rel.complaint_id
                     JOIN meddev_complaint_meddev_fault_code_rel later_fault
                       ON later_fault.meddev_fault_code_id
                          = first_fault.meddev_fault_code_id
                    WHERE c.state = 'closed' AND c.company_id = %(company)s
                      AND c.product_id = later.product_id
                      AND later.received_date > c.closed_date
                      AND later_fault.meddev_complaint_id = later.id)
        """, params)
        # Verdicts on the effect only: a rejected approval also reopens a
        # CAPA but says nothing of its effect.
        verdicts = passed + failed
        return {
            'complaint_count': received,
            'complaint_open': still_open,
            'handling_days': round(handling or 0.0, 1),
            'report_count': submitted,
            'report_on_time_pct': round(100.0 * on_time / submitted, 1)
            if submitted else 0.0,
            'report_overdue': overdue,
            'capa_open': capa_open,
            'capa_overdue': capa_overdue,
            'capa_completion_pct': round(100.0 * capa_closed / capa_all, 1)
            if capa_all else 0.0,
            'effectiveness_pass_pct': round(100.0 * passed / verdicts, 1)
            if verdicts else 0.0,
            'recurrence_count': recurrence,
            'hot_spots_html': self._hot_spots_html(params),
        }

    def _hot_spots_html(self, params):
        """Return the five regions and devices with most complaints."""
        self.env.cr.execute("""
            SELECT state_id, COUNT(*) FROM meddev_complaint
             WHERE company_id = %(company)s AND state != 'cancel'
               AND state_id IS NOT NULL
               AND received_date >= %(from)s AND received_date < %(to)s
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5
        """, params)
        regions = self.env.cr.fetchall()
        self.env.cr.execute("""
            SELECT product_id, COUNT(*) FROM meddev_complaint
             WHERE company_id = %(company)s AND state != 'cancel'
               AND product_id IS NOT NULL
               AND received_date >= %(from)s AND received_date < %(to)s
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5
        """, params)
        devices = self.env.cr.fetchall()
        parts = []
        for title, model, rows in (
                (_('Hot Regions'), 'res.country.state', regions),
                (_('Hot Devices'), 'product.product', devices)):
            # Names of what the quality user's own complaints point at.
            names = dict(self.env[model].sudo().browse(
                [row[0] for row in rows]).name_get())
            parts.append('<h4>%s</h4><ol>%s</ol>' % (
                html_escape(title), ''.join(
                    '<li>%s: %d</li>' % (html_escape(names.get(row[0], '')),
                                         row[1]) for row in rows)))
        return ''.join(parts)
