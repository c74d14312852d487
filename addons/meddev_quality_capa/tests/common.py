from contextlib import contextmanager
from unittest.mock import patch

from odoo import api, fields
from odoo.tests.common import SavepointCase

PASSWORD = 'Qual1ty-Pass'


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


class MeddevQualityCapaCase(SavepointCase):
    """Base class: one user per role of the module, a Chinese hospital, a
    serial-tracked infusion pump with one serial, clocks counted in UTC."""

    @classmethod
    def setUpClass(cls):
        super(MeddevQualityCapaCase, cls).setUpClass()
        # No mail tracking or password mails for the records built here.
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        ref = cls.env.ref
        cls.category = ref(
            'meddev_quality_capa.module_category_meddev_quality_capa')
        cls.group_employee = ref('base.group_user')
        cls.group_user = ref(
            'meddev_quality_capa.group_meddev_quality_capa_user')
        cls.group_regulatory = ref(
            'meddev_quality_capa.group_meddev_quality_capa_regulatory')
        cls.group_manager = ref(
            'meddev_quality_capa.group_meddev_quality_capa_manager')
        cls.group_service = ref('meddev_service.group_meddev_service_user')
        cls.employee = cls._create_user('qa_employee', cls.group_employee)
        cls.user = cls._create_user('qa_user', cls.group_user)
        cls.regulatory = cls._create_user('qa_ra', cls.group_regulatory)
        cls.manager = cls._create_user('qa_manager', cls.group_manager)
        cls.service_user = cls._create_user('qa_service', cls.group_service)
        cls.china = ref('base.cn')
        cls.germany = ref('base.de')
        cls.usa = ref('base.us')
        cls.company = cls.env.user.company_id
        # Clocks in UTC keep the expected deadlines readable.
        cls.company.partner_id.tz = 'UTC'
        cls.company.meddev_quality_manager_id = cls.manager
        cls.hospital = cls.env['res.partner'].create({
            'name': '上海瑞金医院', 'customer': True,
            'country_id': cls.china.id})
        cls.pump = cls.env['product.product'].create({
            'name': '输液泵 IP-300', 'type': 'product',
            'tracking': 'serial'})
        cls.serial = cls.env['stock.production.lot'].create({
            'name': 'IP300-0001', 'product_id': cls.pump.id})

    @classmethod
    def _create_user(cls, login, groups, company=None):
        """Return a new internal user holding exactly ``groups``."""
        vals = {
            'name': login.replace('_', ' ').title(),
            'login': login,
            'password': PASSWORD,
            'email': '%s@example.com' % login,
            'groups_id': [(6, 0, groups.ids)],
        }
        if company:
            vals.update(company_id=company.id,
                        company_ids=[(6, 0, company.ids)])
        return cls.env['res.users'].create(vals)

    @classmethod
    def _create_complaint(cls, user=None, **vals):
        """Return a new complaint (by ``user``, else the superuser) on the
        pump's serial at the hospital, aware on Tuesday 2026-03-03 10:30
        UTC, serious injury in China unless ``vals`` say otherwise."""
        values = {
            'partner_id': cls.hospital.id,
            'lot_id': cls.serial.id,
            'description': '输液泵报警失效，患者输液过量',
            'patient_involved': True,
            'patient_outcome': 'serious_injury',
            'received_date': '2026-03-03 10:30:00',
            'awareness_date': '2026-03-03 10:30:00',
        }
        values.update(vals)
        env = cls.env(user=user.id) if user else cls.env
        return env['meddev.complaint'].create(values)

    @classmethod
    def _decide(cls, complaint, country, decision='reportable', user=None,
                **vals):
        """Record the reportability decision of ``complaint`` in
        ``country`` (as regulatory affairs unless ``user``)."""
        vals.update(complaint_id=complaint.id, country_id=country.id,
                    decision=decision)
        user = user or cls.regulatory
        return cls.env['meddev.reportability.decision'].sudo(user).create(
            vals)

    def _sign(self, user, record, method, meaning, password=PASSWORD):
        """Sign ``record`` through the e-signature wizard as ``user`` and
        return the result of the signed ``method``."""
        action = call_button(record.sudo(user), method)
        wizard = self.env['meddev.esignature.wizard'].sudo(user).with_context(
            **action['context']).create({'password': password})
        return wizard.action_sign()
