from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import api, fields
from odoo.tests.common import SavepointCase

# Monday to Friday, 08:30-12:00 and 13:00-17:30.
OFFICE_HOURS = [(day, 8.5, 12.0) for day in range(5)] + \
    [(day, 13.0, 17.5) for day in range(5)]


def shanghai(text):
    """Return the naive UTC string of a Shanghai wall-clock time."""
    return fields.Datetime.to_string(
        datetime.strptime(text, '%Y-%m-%d %H:%M') - timedelta(hours=8))


def call_button(records, method):
    """Call a button method as the web client does: through call_kw, with
    the record ids and the context as the positional arguments."""
    return api.call_kw(records, method,
                       [records.ids, dict(records.env.context)], {})


@contextmanager
def frozen_now(value):
    """Make fields.Datetime.now() return ``value`` (a UTC string)."""
    with patch.object(fields.Datetime, 'now', return_value=value):
        yield


class MeddevServiceCase(SavepointCase):
    """Base class: one user per role of the module, a team working office
    hours in Shanghai, a policy, a customer with an installed monitor."""

    @classmethod
    def setUpClass(cls):
        super(MeddevServiceCase, cls).setUpClass()
        # No mail tracking or password mails for the records built here.
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.category = cls.env.ref(
            'meddev_service.module_category_meddev_service')
        cls.group_employee = cls.env.ref('base.group_user')
        cls.group_user = cls.env.ref(
            'meddev_service.group_meddev_service_user')
        cls.group_dispatcher = cls.env.ref(
            'meddev_service.group_meddev_service_dispatcher')
        cls.group_manager = cls.env.ref(
            'meddev_service.group_meddev_service_manager')
        cls.employee = cls._create_user('srv_employee', cls.group_employee)
        cls.user = cls._create_user('srv_user', cls.group_user)
        cls.dispatcher = cls._create_user(
            'srv_dispatcher', cls.group_dispatcher)
        cls.manager = cls._create_user('srv_manager', cls.group_manager)

    @classmethod
    def _create_user(cls, login, groups):
        """Return a new internal user holding exactly ``groups``."""
        return cls.env['res.users'].create({
            'name': login.replace('_', ' ').title(),
            'login': login,
            'email': '%s@example.com' % login,
            'groups_id': [(6, 0, groups.ids)],
        })

    @classmethod
    def _create_stage(cls, name, sequence=10, **vals):
        """Return a new ticket stage, created by the superuser."""
        vals.update(name=name, sequence=sequence)
        return cls.env['meddev.service.stage'].create(vals)


class MeddevServiceTicketCase(MeddevServiceCase):
    """Adds the service set-up most ticket tests share."""

    @classmethod
    def setUpClass(cls):
        super(MeddevServiceTicketCase, cls).setUpClass()
        ref = cls.env.ref
        cls.stage_new = ref('meddev_service.stage_new')
        cls.stage_progress = ref('meddev_service.stage_in_progress')
        cls.stage_parts = ref('meddev_service.stage_waiting_parts')
        cls.stage_done = ref('meddev_service.stage_done')
        cls.calendar = cls.env['resource.calendar'].create({
            'name': 'Shanghai office hours',
            'attendance_ids': [(5, 0, 0)] + [(0, 0, {
                'name': 'Office', 'dayofweek': str(day),
                'hour_from': start, 'hour_to': end})
                for day, start, end in OFFICE_HOURS],
        })
        cls.policy = cls.env['meddev.sla.policy'].create({
            'name': 'Standard repair', 'sequence': 50,
            'response_hours': 2, 'onsite_hours': 8,
            'resolution_hours': 16, 'at_risk_percent': 80,
            'escalation_user_id': cls.manager.id,
        })
        cls.urgent_policy = cls.env['meddev.sla.policy'].create({
            'name': 'Urgent', 'sequence': 10, 'priority': '3',
            'response_hours': 1, 'resolution_hours': 8,
        })
        cls.team = cls.env['meddev.service.team'].create({
            'name': 'East Team', 'calendar_id': cls.calendar.id,
            'tz': 'Asia/Shanghai', 'alias_name': 'east-service-test',
            'leader_id': cls.dispatcher.id,
            'member_ids': [(6, 0, (cls.user | cls.dispatcher).ids)],
            'sla_policy_ids': [(6, 0, (cls.urgent_policy
                                       | cls.policy).ids)],
            'labour_rate': 300.0, 'travel_rate': 100.0,
        })
        cls.categ = cls.env['product.category'].create(
            {'name': 'Patient monitors'})
        cls.monitor = cls.env['product.product'].create({
            'name': 'Monitor X1', 'type': 'product', 'tracking': 'serial',
            'categ_id': cls.categ.id, 'service_warranty_months': 12,
            'service_pm_interval_months': 6,
        })
        cls.board = cls.env['product.product'].create({
            'name': 'Board B1', 'type': 'product', 'tracking': 'lot',
            'categ_id': cls.categ.id, 'standard_price': 400.0,
            'lst_price': 900.0,
        })
        cls.labour = cls.env['product.product'].create({
            'name': 'Service labour', 'type': 'service'})
        cls.team.labour_product_id = cls.labour
        cls.hospital = cls.env['res.partner'].create({
            'name': 'Test Hospital', 'is_company': True,
            'customer': True, 'partner_latitude': 31.2304,
            'partner_longitude': 121.4737,
        })
        cls.nurse = cls.env['res.partner'].create({
            'name': 'Head Nurse', 'parent_id': cls.hospital.id,
            'email': 'nurse@hospital.example.com'})
        cls.serial = cls._create_lot(cls.monitor, 'X1-0001')
        cls.equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls.serial.id, 'partner_id': cls.hospital.id,
            'site_id': cls.hospital.id,
            'install_date': fields.Date.to_string(
                datetime.today() - timedelta(days=30)),
        })

    @classmethod
    def _create_lot(cls, product, name):
        return cls.env['stock.production.lot'].create(
            {'name': name, 'product_id': product.id})

    def _ticket(self, user=None, **vals):
        """Create a ticket on the test equipment, as ``user``."""
        values = {'title': 'Monitor resets', 'team_id': self.team.id,
                  'equipment_id': self.equipment.id,
                  'contact_id': self.nurse.id}
        values.update(vals)
        model = self.env['meddev.service.ticket']
        if user:
            model = model.sudo(user)
        if 'date_open' not in values:
            return model.create(values)
        # The clocks start at the opening: "now" is then.
        with frozen_now(values['date_open']):
            return model.create(values)

    def _respond(self, ticket, user=None):
        """Post a reply to the ticket's contact, as ``user``: the first
        response."""
        ticket = ticket.sudo(user) if user else ticket
        return ticket.message_post(
            body='We are on it.', message_type='comment',
            subtype='mail.mt_comment', partner_ids=ticket.contact_id.ids)

    def _line(self, ticket, target):
        return ticket.sla_line_ids.filtered(
            lambda line: line.target == target)
