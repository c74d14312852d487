"""The reporting-deadline cron, set-based.

Per batch of reports it sends a constant number of queries, whatever the
batch holds: the reports to warn of and those whose deadline passed are
selected in SQL (partial indexes, see ``init``), the warning activities,
the followers they bring and the chatter notes are inserted in one
statement each, the state and the warning stamp written in one UPDATE,
with their audit-log rows (OCA auditlog's rule on the reports) inserted in
bulk as auditlog's own write would log them. Each batch is committed when
the scheduler runs it; the environment cache is dropped after each, so
memory does not grow with the backlog.
"""
import logging
from collections import OrderedDict, namedtuple

import pytz
from psycopg2.extras import execute_values

from odoo import _, api, fields, models, tools
from odoo.tools import html_escape

from odoo.addons.meddev_base.tools import (
    commit_batch, post_notes, schedule_todos)

from .mail_message import QUALITY_SUBTYPE

_logger = logging.getLogger(__name__)

MANAGER_GROUP = 'meddev_quality_capa.group_meddev_quality_capa_manager'

# What the cron reads of a report, its complaint and its company.
DeadlineRow = namedtuple('DeadlineRow', [
    'id', 'name', 'due_date', 'state', 'rule_id', 'complaint_id',
    'complaint_name', 'user_id', 'company_id', 'manager_id'])


class MeddevRegulatoryReport(models.Model):
    """The hourly check of the reporting deadlines: warn once before each
    deadline, mark the reports not submitted by it as missed."""

    _inherit = 'meddev.regulatory.report'

    @api.model_cr_context
    def init(self):
        # What the cron selects, each run: the few reports still to warn
        # of, the few still open past their deadline. Partial indexes keep
        # both lookups proportional to what is left to do, not to the
        # history of submitted reports.
        result = super(MeddevRegulatoryReport, self).init()
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS meddev_regulatory_report_to_warn_idx
                ON meddev_regulatory_report (warn_date)
             WHERE state = 'open' AND warned_date IS NULL""")
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS meddev_regulatory_report_open_due_idx
                ON meddev_regulatory_report (due_date)
             WHERE state = 'open'""")
        return result

    # ------------------------------------------------------------------
    # The cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_check_deadlines(self, batch_size=500):
        """Warn the quality manager once of each deadline coming up, and
        mark the reports not submitted by their deadline as overdue; in
        batches, committed one by one when run by the scheduler. A report
        with nobody to warn (no quality manager, no responsible, no quality
        manager in its company) stays to be warned: a later run warns it
        once someone is set. Return (warned, missed) reports."""
        now = fields.Datetime.now()
        warned_ids = []
        for batch in self._deadline_batches('warn', now, batch_size):
            warned_ids.extend(batch._warn_deadline().ids)
            self._cron_commit()
        missed_ids = []
        for batch in self._deadline_batches('missed', now, batch_size):
            batch._mark_missed()
            missed_ids.extend(batch.ids)
            self._cron_commit()
        _logger.info('Reporting deadlines: %d warned, %d missed',
                     len(warned_ids), len(missed_ids))
        return self.browse(warned_ids), self.browse(missed_ids)

    def _deadline_batches(self, kind, now, batch_size):
        """Yield the reports to warn of (``kind`` 'warn') or to mark missed
        ('missed') in batches of ``batch_size``, a complaint's reports
        together, read page by page (keyset on complaint and id) so that a
        report left to warn later is not selected again in this run. The
        environment cache is dropped after each batch."""
        if kind == 'warn':
            where = """state = 'open' AND warned_date IS NULL
                       AND warn_date <= %(now)s AND due_date > %(now)s"""
        else:
            where = "state = 'open' AND due_date <= %(now)s"
        last = (0, 0)
        while True:
            self.env.cr.execute("""
                SELECT id, complaint_id FROM meddev_regulatory_report
                 WHERE """ + where + """
                   AND (complaint_id, id) > (%(complaint)s, %(id)s)
                 ORDER BY complaint_id, id
                 LIMIT %(limit)s""", {
                'now': now, 'complaint': last[0], 'id': last[1],
                'limit': batch_size})
            rows = self.env.cr.fetchall()
            if not rows:
                return
            last = (rows[-1][1], rows[-1][0])
            yield self.browse([row[0] for row in rows])
            # Bounded memory: nothing read for a batch is kept after it.
            self.invalidate_cache()

    def _cron_commit(self):
        commit_batch(self.env, self.env.context.get('meddev_cron_commit'))

    # ------------------------------------------------------------------
    # What the batch reads
    # ------------------------------------------------------------------

    def _deadline_rows(self):
        """Return what the cron needs of these reports, read in one query
        (the ORM would load every field of the reports and complaints of a
        batch into its cache: most of the time of a batch), in the order
        of ``self``."""
        self.env.cr.execute("""
            SELECT report.id, report.name, report.due_date, report.state,
                   report.rule_id, report.complaint_id,
                   complaint.name AS complaint_name, complaint.user_id,
                   report.company_id, company.meddev_quality_manager_id
              FROM meddev_regulatory_report report
              JOIN meddev_complaint complaint
                ON complaint.id = report.complaint_id
              JOIN res_company company ON company.id = report.company_id
             WHERE report.id = ANY(%s)""", (self.ids,))
        by_id = dict((row[0], DeadlineRow(*row))
                     for row in self.env.cr.fetchall())
        return [by_id[report_id] for report_id in self.ids
                if report_id in by_id]

    @staticmethod
    def _by_complaint(rows):
        """Return [(complaint id, rows)] in the order of ``rows``."""
        groups = OrderedDict()
        for row in rows:
            groups.setdefault(row.complaint_id, []).append(row)
        return list(groups.items())

    def _due_texts(self, rows):
        """Return {report id: its due date in the time zone its clock
        counts in (its company's), named}, as ``_due_display`` shows it,
        the zone looked up once per company."""
        zones = {}
        texts = {}
        for row in rows:
            if row.company_id not in zones:
                zones[row.company_id] = self.env['res.company'].browse(
                    row.company_id)._meddev_quality_tz()
            texts[row.id] = pytz.utc.localize(fields.Datetime.from_string(
                row.due_date)).astimezone(zones[row.company_id]).strftime(
                '%Y-%m-%d %H:%M %Z')
        return texts

    # ------------------------------------------------------------------
    # Who is warned
    # ------------------------------------------------------------------

    def _recipients(self, row, company_managers):
        """Return whom to warn of the deadline of the report ``row``: the
        company's quality manager, else the complaint's responsible, else
        the quality managers of the company (Settings may have been left
        empty); empty when nobody fits: the warning then waits.
        ``company_managers`` caches the last per company."""
        users = self.env['res.users']
        user_id = row.manager_id or row.user_id
        if user_id:
            return users.browse(user_id)
        if row.company_id not in company_managers:
            company_managers[row.company_id] = \
                self._company_quality_managers(
                    self.env['res.company'].browse(row.company_id))
        return company_managers[row.company_id]

    @api.model
    def _company_quality_managers(self, company):
        """Return the active internal users of the quality manager group
        who work in ``company``."""
        group = self.env.ref(MANAGER_GROUP)
        return self.env['res.users'].sudo().search([
            ('groups_id', 'in', group.ids), ('share', '=', False),
            ('company_ids', 'in', company.ids)], order='id')

    # ------------------------------------------------------------------
    # Warning
    # ------------------------------------------------------------------

    def _warn_deadline(self):
        """Warn of these reports' deadlines: per complaint an activity for
        its recipients (``_recipients``), who follow the complaint from
        then on; per recipient one mail listing every deadline of the batch
        (queued, not a mail per report); then record the warning so it is
        given once. Reports with nobody to warn are left to a later run.
        Return the reports warned."""
        # Translated here: _() inside a comprehension would not be.
        line_text = _('%(report)s due %(due)s')
        note_text = _('The report %(report)s (%(regulation)s) is due '
                      '%(due)s. Submit it and record the reference.')
        rows = self._deadline_rows()
        due_texts = self._due_texts(rows)
        rules = self.env['meddev.reporting.rule'].browse(
            list(set(row.rule_id for row in rows if row.rule_id)))
        regulations = dict((rule.id, rule.regulation) for rule in rules)
        company_managers = {}
        todos = []
        names = {}
        # The note as the ORM would store it (mail.activity's create
        # sanitises it); schedule_todos stores it as given.
        activities = self.env['mail.activity']
        note_field = activities._fields['note']
        digests = OrderedDict()
        warned_ids = []
        for complaint_id, group in self._by_complaint(rows):
            users = self._recipients(group[0], company_managers)
            if not users:
                continue
            lines = [line_text % {'report': row.name,
                                  'due': due_texts[row.id]}
                     for row in group]
            if len(group) == 1:
                summary = lines[0]
            else:
                summary = _('%(count)d reports due, the first %(due)s') % {
                    'count': len(group), 'due': due_texts[group[0].id]}
            note = '\n'.join(note_text % {
                'report': row.name,
                'regulation': regulations.get(row.rule_id) or '',
                'due': due_texts[row.id]} for row in group)
            deadline = min(row.due_date for row in group)[:10]
            todos.append((complaint_id, users, summary,
                          note_field.convert_to_column(
                              html_escape(note), activities), deadline))
            names[complaint_id] = group[0].complaint_name
            for user in users:
                digests.setdefault(user, []).extend(lines)
            warned_ids.extend(row.id for row in group)
        # Not twice while the same one is open; each user follows the
        # complaint, as an activity makes them.
        schedule_todos(self.env, 'meddev.complaint', todos, names=names)
        for user, lines in digests.items():
            self._send_deadline_digest(user, lines)
        warned = self.browse(warned_ids)
        waiting = len(rows) - len(warned_ids)
        if waiting:
            _logger.warning(
                'Reporting deadlines: nobody to warn of %d report(s) (no '
                'quality manager in Settings, no responsible, no quality '
                'manager in the company): left to warn later', waiting)
        done = set(warned_ids)
        warned._write_by_cron({'warned_date': fields.Datetime.now()},
                              [row for row in rows if row.id in done])
        return warned

    def _send_deadline_digest(self, manager, lines):
        """Queue one mail to ``manager`` listing the deadlines warned of."""
        if not manager.partner_id.email:
            return False
        lang_self = self.with_context(lang=manager.lang or self.env.lang)
        subject = lang_self._digest_subject(len(lines))
        body = '<p>%s</p><ul>%s</ul>' % (
            html_escape(subject),
            ''.join('<li>%s</li>' % html_escape(line) for line in lines))
        return self.env['mail.mail'].sudo().create({
            'subject': subject,
            'body_html': body,
            'recipient_ids': [(4, manager.partner_id.id)],
            'email_from': self.env.user.company_id.email or
            self.env.user.email or False,
            'auto_delete': True,
        })

    def _digest_subject(self, count):
        return _('Reporting deadlines approaching: %(count)d report(s)') % {
            'count': count}

    # ------------------------------------------------------------------
    # Missed deadlines
    # ------------------------------------------------------------------

    def _mark_missed(self):
        """Mark these reports overdue (those still open) and say so on
        their complaints, one message per complaint; the complaints show
        a report overdue at once."""
        rows = [row for row in self._deadline_rows() if row.state == 'open']
        if not rows:
            return True
        # No tracking message per report on a backlog: the complaint's
        # message lists them.
        self.browse([row.id for row in rows])._write_by_cron(
            {'state': 'missed'}, rows)
        complaint_ids = list(set(row.complaint_id for row in rows))
        self.env.cr.execute("""
            UPDATE meddev_complaint
               SET report_overdue = TRUE, write_uid = %s,
                   write_date = now() AT TIME ZONE 'UTC'
             WHERE id = ANY(%s) AND report_overdue IS NOT TRUE""",
                            (self.env.uid, complaint_ids))
        self.env['meddev.complaint'].browse(complaint_ids).invalidate_cache(
            ['report_overdue', 'write_uid', 'write_date'], complaint_ids)
        title = html_escape(_('Deadline missed, not submitted:'))
        line_text = _('%(report)s was due %(due)s')
        due_texts = self._due_texts(rows)
        notes = []
        for complaint_id, group in self._by_complaint(rows):
            notes.append((complaint_id, group[0].complaint_name,
                          '%s<ul>%s</ul>' % (title, ''.join(
                              '<li>%s</li>' % html_escape(line_text % {
                                  'report': row.name,
                                  'due': due_texts[row.id]})
                              for row in group))))
        self._post_quality_notes(notes)
        return True

    def _post_quality_notes(self, notes):
        """Post each note of ``notes`` [(complaint id, its name, HTML)] as
        a quality note on its complaint. Complaints nobody follows for the
        quality handling get their note inserted with the others in one
        statement (there is nobody to notify); the others go through
        ``message_post`` so that their followers are notified as usual."""
        if not notes:
            return
        env = self.env
        subtype = env.ref(QUALITY_SUBTYPE)
        complaints = env['meddev.complaint']
        env.cr.execute("""
            SELECT DISTINCT f.res_id FROM mail_followers f
              JOIN mail_followers_mail_message_subtype_rel rel
                ON rel.mail_followers_id = f.id
             WHERE f.res_model = 'meddev.complaint' AND f.res_id = ANY(%s)
               AND rel.mail_message_subtype_id = %s""",
                       ([note[0] for note in notes], subtype.id))
        followed = set(row[0] for row in env.cr.fetchall())
        for complaint_id, _name, body in notes:
            if complaint_id in followed:
                complaints.browse(complaint_id)._post_quality_note(body)
        quiet = [note for note in notes if note[0] not in followed]
        if not quiet:
            return
        email_from = env.user.partner_id.email_formatted or None
        reply_to = complaints.sudo().message_get_reply_to(
            [note[0] for note in quiet], default=email_from)
        post_notes(env, 'meddev.complaint', dict(
            (note[0], note[2]) for note in quiet), subtype=subtype,
            reply_to=dict((note[0], reply_to.get(note[0]) or email_from)
                          for note in quiet),
            names=dict((note[0], note[1]) for note in quiet))

    # ------------------------------------------------------------------
    # The batch's write, audited
    # ------------------------------------------------------------------

    def _write_by_cron(self, vals, rows):
        """Write ``vals`` (fields no computed field depends on but the
        complaint's overdue flag, which ``_mark_missed`` sets) on these
        reports in one UPDATE, and log the change in the audit trail as
        OCA auditlog's write would (one log per report, a line per
        field), in bulk; ``rows`` are their ``_deadline_rows``."""
        if not self:
            return
        env = self.env
        columns = sorted(vals)
        env.cr.execute(
            'UPDATE meddev_regulatory_report SET %s, write_uid = %%s, '
            "write_date = now() AT TIME ZONE 'UTC' WHERE id = ANY(%%s)" % (
                ', '.join('"%s" = %%s' % name for name in columns)),
            [vals[name] for name in columns] + [env.uid, self.ids])
        self.invalidate_cache(columns + ['write_uid', 'write_date'])
        self._audit_bulk_write(
            vals, dict((row.id, row.name) for row in rows))

    def _audit_bulk_write(self, vals, names):
        """Insert the audit-log rows auditlog's patched ``write`` would
        have written for ``vals`` on these reports (``names``: {id: name}),
        if a subscribed rule logs their writes (its registry hook has
        run)."""
        env = self.env
        model_cache = getattr(env.registry, '_auditlog_model_cache', None)
        if 'auditlog.rule' not in env or not model_cache or \
                self._name not in model_cache:
            return
        rule = env['auditlog.rule'].sudo().search([
            ('model_id', '=', model_cache[self._name]),
            ('state', '=', 'subscribed'), ('log_write', '=', True)],
            limit=1)
        if not rule:
            return
        request = env['auditlog.http.request'].sudo().current_http_request()
        session = env['auditlog.http.session'].sudo().current_http_session()
        env.cr.execute("""
            INSERT INTO auditlog_log (
                name, model_id, res_id, method, user_id, http_request_id,
                http_session_id, log_type, create_uid, create_date,
                write_uid, write_date)
            SELECT log.name, %s, log.res_id, 'write', %s, %s, %s, %s, %s,
                   now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC'
              FROM unnest(%s::int[], %s::varchar[]) AS log(res_id, name)
            RETURNING id""", (
            model_cache[self._name], env.uid, request or None,
            session or None, rule.log_type, env.uid, env.uid, self.ids,
            [(names[res_id] or '')[:64] for res_id in self.ids]))
        log_ids = [row[0] for row in env.cr.fetchall()]
        fields_ = env['ir.model.fields'].sudo().search([
            ('model', '=', self._name), ('name', 'in', list(vals))])
        rows = []
        for field in fields_:
            new = vals[field.name]
            new = None if new is False or new is None else \
                tools.pycompat.to_text(new)
            # The fast log records the value written against none (the
            # cron writes reports still open, never warned).
            rows.extend((log_id, field.id, new, new, env.uid, env.uid)
                        for log_id in log_ids)
        if rows:
            execute_values(env.cr, """
                INSERT INTO auditlog_log_line (
                    log_id, field_id, new_value, new_value_text,
                    create_uid, write_uid, create_date, write_date)
                VALUES %s""", rows, template="""(%s, %s, %s, %s, %s, %s,
                    now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')""")
