from datetime import timedelta

from odoo import SUPERUSER_ID, _, fields, models
from odoo.exceptions import AccessError
from odoo.tools import float_compare

from ..workflow_context import workflow_sudo

# Fields only a dispatcher may change: who does the work, and when;
# whether it is a first-time fix (a KPI).
DISPATCH_FIELDS = ('user_id', 'engineer_ids', 'planned_start',
                   'patient_safety', 'first_time_fix')
# Changed only by a dispatcher once the ticket exists: they reshape the
# SLA clocks (priority, team calendar, policy) and the team rule.
RECLASSIFY_FIELDS = ('priority', 'team_id', 'ticket_type')
# Fields the module itself keeps (approvals, clocks, visits, billing,
# maintenance plans, the number): no user changes them, whatever the
# view says (meddev.guarded.mixin).
SYSTEM_FIELDS = ('credit_approved_by', 'credit_approval_date',
                 'quality_flag_date', 'sla_policy_id', 'sla_deadline',
                 'sla_status', 'first_response_date', 'close_date',
                 'sale_order_id', 'onsite_date', 'work_start_date',
                 'signed_date', 'pm_plan_id', 'pm_due_date', 'name',
                 'billed_labour_hours', 'billed_travel_hours')
# The triage answers: once they marked the ticket for quality, they are
# the evidence of a possible complaint (ISO 13485 8.2.2).
TRIAGE_FIELDS = ('triage_done', 'triage_complaint', 'triage_adverse_event',
                 'triage_patient_involved')
# Signed by the customer on a closed ticket, until the report is signed.
SIGNATURE_FIELDS = ('signature', 'signed_by')
# Stored computed fields a user may set (checked by a constraint).
USER_COMPUTED_FIELDS = ('contract_id',)
# The opening time drives the SLA clocks and the time to repair: set on
# create within this margin of now, or by a service manager.
DATE_OPEN_MARGIN = timedelta(minutes=5)
DISPATCHER = 'meddev_service.group_meddev_service_dispatcher'
MANAGER = 'meddev_service.group_meddev_service_manager'


class MeddevServiceTicket(models.Model):
    """Who may set what on a ticket: the fields the module keeps
    (meddev.guarded.mixin, context defaults included), the dispatcher's
    fields, the opening time and the company."""

    _inherit = ['meddev.service.ticket', 'meddev.guarded.mixin']
    _name = 'meddev.service.ticket'

    @property
    def _meddev_guarded_fields(self):
        # The system fields and every stored computed field (other modules
        # add theirs): meddev.guarded.mixin refuses them in a caller's
        # values and in its default_* context keys.
        return SYSTEM_FIELDS + tuple(self._computed_field_names())

    def _as_server(self):
        """These tickets for a write of the module's own fields, whoever
        triggered it (a credit manager has no write access): the server
        mark of meddev.guarded.mixin, without the caller's defaults and
        context switches (workflow_context)."""
        return workflow_sudo(self)._meddev_as_server()

    def _computed_field_names(self):
        """Stored computed fields the module keeps: billable, coverage,
        costs, KPIs, quality flag, closed flag..."""
        return [name for name, field in self._fields.items()
                if field.store and field.compute and not field.inverse
                and name not in USER_COMPUTED_FIELDS]

    def _is_dispatcher(self):
        return self.env.user.has_group(DISPATCHER)

    def _caller_env(self):
        """The records in the caller's environment, without a
        ``recompute=False`` context: stored computed fields (billable,
        coverage) are always computed for a caller's create or write."""
        if self.env.context.get('recompute', True):
            return self
        return self.with_context(recompute=True)

    def _context_default_values(self):
        """The ``default_<field>`` keys of the context: Odoo adds them to
        a new record's values after ``create`` saw them."""
        return dict(
            (key[8:], value) for key, value in self.env.context.items()
            if key.startswith('default_') and key[8:] in self._fields)

    def _check_guarded_values(self, vals, create=False):
        """Refuse what a caller may not set (guarded fields, dispatch,
        opening time, company), context defaults included on create;
        return ``(records, vals)`` to go on with: the records without the
        refused context defaults, ``vals`` without the computed values
        (equal to the computed ones, else refused)."""
        if self._meddev_is_server():
            return self, vals
        records = self._caller_env()
        effective = dict(records._context_default_values(), **vals) \
            if create else vals
        records._check_user_values(effective)
        records._check_company_value(effective, create)
        if not create:
            records._check_reclassify(vals)
            records._check_closed_record(vals)
            records._check_triage_frozen(vals)
        records = records._meddev_check_guarded(vals, create=create)
        computed = set(records._computed_field_names())
        return records, dict((key, value) for key, value in vals.items()
                             if key not in computed)

    def _check_user_values(self, vals):
        """Only dispatchers assign engineers, plan the visit, flag
        patient safety and first-time fixes; the opening time is now
        unless a service manager sets it."""
        if self._meddev_is_server():
            return
        names = ', '.join(self.mapped('name')) or _('a new ticket')
        self._check_date_open(vals, names)
        if not self._changed_dispatch_fields(vals) or self._is_dispatcher():
            return
        raise AccessError(
            _('Only a dispatcher may assign engineers, plan the visit, '
              'flag patient safety or a first-time fix on %(tickets)s.') % {
                'tickets': names})

    def _check_company_value(self, vals, create):
        """The company of a ticket is one of the caller's companies on
        create, and changes only by a service manager, to one of theirs."""
        if not vals.get('company_id'):
            return
        user = self.env.user
        # The superuser works anywhere (Odoo's rules do not apply to it
        # either); a user in one of their companies.
        allowed = self.env.uid == SUPERUSER_ID or \
            vals['company_id'] in user.company_ids.ids
        if create:
            if allowed:
                return
        elif all(ticket.company_id.id == vals['company_id']
                 for ticket in self) or (allowed and user.has_group(MANAGER)):
            return
        raise AccessError(
            _('%(tickets)s: only a service manager may move a ticket to '
              'another company, and a ticket is created in one of your '
              'companies.') % {
                'tickets': ', '.join(self.mapped('name'))
                or _('a new ticket')})

    def _check_reclassify(self, vals):
        """Priority, team and type reshape the SLA clocks and who sees
        the ticket: a dispatcher's decision. A started or closed repair
        stays a repair (its credit check and fault codes) unless a
        service manager retypes it; started work of any type does not
        become a free consultation (N-7)."""
        changed = [name for name in RECLASSIFY_FIELDS if name in vals
                   and any(self._field_value_differs(ticket, name, vals[name])
                           for ticket in self)]
        if not changed:
            return
        if not self._is_dispatcher():
            labels = sorted(self._fields[name]._description_string(self.env)
                            for name in changed)
            raise AccessError(
                _('Only a dispatcher may change %(fields)s of %(tickets)s: '
                  'they set the SLA clocks and the team.') % {
                    'fields': ', '.join(labels),
                    'tickets': ', '.join(self.mapped('name'))})
        new_type = vals.get('ticket_type', 'repair')
        if new_type == 'repair' or self.env.user.has_group(MANAGER):
            return
        # Started work keeps its credit check and billing: a started
        # repair stays a repair (fault codes too), started work of any
        # type never becomes a (free) consultation.
        started = self.filtered(
            lambda ticket: ticket.ticket_type != new_type and (
                ticket.ticket_type == 'repair' or new_type == 'consultation')
            and (ticket.work_start_date or ticket.onsite_date
                 or ticket.is_closed))
        if started:
            raise AccessError(
                _('The work on %(tickets)s has started or is closed: only a '
                  'service manager may make a started repair another type, '
                  'or started work a consultation (its credit check, '
                  'billing and fault codes stay).') % {
                    'tickets': ', '.join(started.mapped('name'))})

    def _changed_fields(self, vals, names):
        """Return the fields among ``names`` whose value in ``vals``
        differs on one of these tickets (any x2many command counts)."""
        changed = []
        for name in names:
            field = self._fields.get(name)
            if name not in vals or field is None:
                continue
            if field.type in ('one2many', 'many2many') or any(
                    self._field_value_differs(ticket, name, vals[name])
                    for ticket in self):
                changed.append(name)
        return changed

    def _field_labels(self, names):
        return ', '.join(sorted(
            self._fields[name]._description_string(self.env)
            for name in names))

    def _check_closed_record(self, vals):
        """A closed ticket is a service record (ISO 13485): its work,
        hours, codes, triage and customer change only once a dispatcher
        reopened it. The chatter, activities and rating stay open, and
        the customer signs a report not signed yet. Its messages and
        ratings are not changed through the ticket (mail.message and
        rating.rating guard them)."""
        closed = self.sudo().filtered('is_closed')
        if not closed or self._is_dispatcher():
            return
        free = set(self.env['mail.thread']._fields) | set(
            self.env['mail.activity.mixin']._fields) | set(
            self.env['rating.mixin']._fields) | {'stage_id'}
        free -= {'message_ids', 'rating_ids'}
        if not closed.filtered('signed_date'):
            free.update(SIGNATURE_FIELDS)
        changed = closed.with_env(self.env)._changed_fields(
            vals, [name for name in vals if name not in free])
        if changed:
            raise AccessError(
                _('The ticket %(tickets)s is closed: %(fields)s of the '
                  'service record change only after a dispatcher reopens '
                  'it.') % {
                    'tickets': ', '.join(closed.mapped('name')),
                    'fields': self._field_labels(changed)})

    def _check_triage_frozen(self, vals):
        """Once the triage marked a ticket for quality, its answers are
        the evidence of a possible complaint: what is learnt later adds a
        'yes', only a service manager takes one back."""
        flagged = self.sudo().filtered('quality_flag_date')
        if not flagged or self.env.user.has_group(MANAGER):
            return
        changed = [name for name in TRIAGE_FIELDS
                   if name in vals and not vals[name]
                   and any(flagged.mapped(name))]
        if changed:
            raise AccessError(
                _('The ticket %(tickets)s was marked for quality: its '
                  'triage answers (%(fields)s) are kept as evidence; only a '
                  'service manager takes a yes back.') % {
                    'tickets': ', '.join(flagged.mapped('name')),
                    'fields': self._field_labels(changed)})

    def _field_value_differs(self, record, name, value):
        """Whether ``value`` (as sent over RPC) differs from ``record``'s
        value of field ``name``."""
        field = self._fields[name]
        new = field.convert_to_record(
            field.convert_to_cache(value, record, validate=False), record)
        old = record[name]
        if field.type in ('float', 'monetary'):
            return float_compare(new or 0.0, old or 0.0,
                                 precision_digits=6) != 0
        if field.type == 'boolean':
            return bool(new) != bool(old)
        if field.relational:
            return set(new.ids) != set(old.ids)
        return (new or False) != (old or False)

    def _check_date_open(self, vals, names):
        """The opening time starts the SLA clocks: a ticket opens now; a
        service manager may record an earlier call."""
        if not vals.get('date_open') or self.env.user.has_group(
                'meddev_service.group_meddev_service_manager'):
            return
        value = fields.Datetime.from_string(vals['date_open'])
        if self:
            moved = any(self._field_value_differs(
                ticket, 'date_open', vals['date_open']) for ticket in self)
        else:
            now = fields.Datetime.from_string(fields.Datetime.now())
            moved = abs(value - now) > DATE_OPEN_MARGIN
        if moved:
            raise AccessError(
                _('Only a service manager may set the opening time of '
                  '%(tickets)s: it starts the SLA clocks.') % {
                    'tickets': names})

    def _changed_dispatch_fields(self, vals):
        """Return the dispatch fields ``vals`` really changes: the web
        client sends every editable field (``user_id: False`` too), which
        is no assignment. On create (empty ``self``) a value changes when
        it is set."""
        changed = set()
        records = self or [self.browse()]
        for name in set(DISPATCH_FIELDS) & set(vals):
            field = self._fields[name]
            for ticket in records:
                if field.type == 'many2many':
                    old_ids = set(ticket[name].ids)
                    if self._x2many_target_ids(old_ids, vals[name]) != \
                            old_ids:
                        changed.add(name)
                elif field.type == 'many2one':
                    new = vals[name]
                    if isinstance(new, models.BaseModel):
                        new = new.id
                    if (new or False) != ticket[name].id:
                        changed.add(name)
                elif field.type == 'boolean':
                    if bool(vals[name]) != bool(ticket[name]):
                        changed.add(name)
                elif (vals[name] or False) != (ticket[name] or False):
                    changed.add(name)
        return changed

    @staticmethod
    def _x2many_target_ids(old_ids, commands):
        """Return the ids an x2many holds after ``commands``; a created
        line counts as a new id (None)."""
        ids = set(old_ids)
        for command in commands or []:
            if isinstance(command, int):
                ids.add(command)
                continue
            code = command[0]
            if code == 0:
                ids.add(None)
            elif code in (2, 3):
                ids.discard(command[1])
            elif code == 4:
                ids.add(command[1])
            elif code == 5:
                ids = set()
            elif code == 6:
                ids = set(command[2] or [])
        return ids
