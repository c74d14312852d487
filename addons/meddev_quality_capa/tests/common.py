import base64
from contextlib import contextmanager
from unittest.mock import MagicMock, patch

import werkzeug.utils

from odoo import api, fields, http
from odoo.http import Response
from odoo.tests.common import SavepointCase

from odoo.addons.portal.controllers import portal as odoo_portal

PASSWORD = 'Qual1ty-Pass'


def call_button(records, method):
    """Call a button method as the web client does: through call_kw, with
    the record ids and the context as the positional arguments."""
    return api.call_kw(records, method,
                       [records.ids, dict(records.env.context)], {})


def rpc_write(records, vals, context=None):
    """Write as an XML-RPC client does: through call_kw, with the context
    the client chooses (in the keyword arguments: call_kw replaces the
    records' own context by it)."""
    return api.call_kw(records, 'write', [records.ids, vals],
                       {'context': context or {}})


def rpc(records, method, args, context=None):
    """Call ``method`` as an RPC client does: call_kw replaces the
    records' context by the one the client sends in the keyword
    arguments."""
    return api.call_kw(records, method, args, {'context': context or {}})


@contextmanager
def frozen_now(value):
    """Make fields.Datetime.now() return ``value`` (a UTC string)."""
    with patch.object(fields.Datetime, 'now', return_value=value):
        yield


@contextmanager
def portal_request(env, user, controllers, files=()):
    """Let the controller module ``controllers`` run as the web server
    calls it for ``user``: its request's env is the user's, ``files`` the
    uploaded files; request.render and request.redirect return what Odoo
    sends back (a lazy page with its template and values, a redirect)."""
    fake = MagicMock()
    fake.env = env(user=user.id)
    fake.endpoint = None
    fake.httprequest.files.getlist.return_value = list(files)
    fake.render.side_effect = lambda template, values: Response(
        template=template, qcontext=values)
    fake.redirect.side_effect = werkzeug.utils.redirect
    with patch.object(controllers, 'request', fake), \
            patch.object(odoo_portal, 'request', fake), \
            patch.object(http, 'request', fake):
        yield fake


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
    def _receive(cls, partner, lot):
        """Receive ten units of ``lot`` from ``partner`` (done)."""
        suppliers = cls.env.ref('stock.stock_location_suppliers')
        stock = cls.env.ref('stock.stock_location_stock')
        picking = cls.env['stock.picking'].create({
            'partner_id': partner.id,
            'picking_type_id': cls.env.ref('stock.picking_type_in').id,
            'location_id': suppliers.id,
            'location_dest_id': stock.id,
            'move_lines': [(0, 0, {
                'name': lot.product_id.name,
                'product_id': lot.product_id.id,
                'product_uom_qty': 10,
                'product_uom': lot.product_id.uom_id.id,
                'location_id': suppliers.id,
                'location_dest_id': stock.id,
            })],
        })
        picking.action_confirm()
        move = picking.move_lines
        move.move_line_ids.unlink()
        cls.env['stock.move.line'].create({
            'move_id': move.id, 'picking_id': picking.id,
            'product_id': lot.product_id.id,
            'product_uom_id': lot.product_id.uom_id.id,
            'lot_id': lot.id, 'qty_done': 10,
            'location_id': suppliers.id,
            'location_dest_id': stock.id,
        })
        picking.action_done()
        return picking

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


class MeddevCapaCase(MeddevQualityCapaCase):
    """Base class for CAPA flows: an action owner and an independent
    verifier (both quality users), a complaint, and builders that take a
    CAPA opened from it through implementation and approval."""

    @classmethod
    def setUpClass(cls):
        super(MeddevCapaCase, cls).setUpClass()
        cls.owner = cls._create_user('qa_owner', cls.group_user)
        cls.verifier = cls._create_user('qa_verifier', cls.group_user)
        cls.complaint = cls._create_complaint()

    def _capa(self, complaint=None):
        """A CAPA opened from ``complaint`` (default: the class's) by a
        quality user, with two actions owned by ``owner``."""
        complaint = complaint or self.complaint
        action = call_button(complaint.sudo(self.user), 'action_open_capa')
        capa = self.env['meddev.capa'].sudo(self.user).browse(action['res_id'])
        actions = self.env['meddev.capa.action'].sudo(self.user)
        for name in ('更换报警模块供应商', '更新来料检验规程'):
            actions.create({'capa_id': capa.id, 'name': name,
                            'owner_id': self.owner.id,
                            'due_date': '2026-04-30'})
        capa.write({'verifier_id': self.verifier.id,
                    'effectiveness_criteria': '三个月内同类投诉为零',
                    'effectiveness_planned_date': '2026-07-31'})
        return capa

    def _evidence(self, action):
        """Attach an evidence file to ``action`` and return it."""
        # Uploaded by whoever attaches it (only their own uploads link).
        attachment = self.env['ir.attachment'].sudo(action.env.uid).create({
            'name': 'evidence.pdf', 'datas_fname': 'evidence.pdf',
            'datas': base64.b64encode(b'%PDF evidence')})
        action.write({'attachment_ids': [(4, attachment.id)]})
        return attachment

    def _implement(self, capa):
        call_button(capa, 'action_open')
        for action in capa.action_ids:
            self._evidence(action.sudo(self.owner))
            call_button(action.sudo(self.owner), 'action_done')
        capa.implementation_note = '现场核查：整改已落实'
        call_button(capa, 'action_check_implementation')
        call_button(capa, 'action_to_verification')

    def _to_approval(self, capa):
        self._implement(capa)
        verified = capa.sudo(self.verifier)
        verified.effectiveness_note = '90 天内无复发投诉'
        call_button(verified, 'action_effective')
        return capa

    def _close(self, capa):
        """Approve and close ``capa`` (at approval) with the manager's
        signatures."""
        self._sign(self.manager, capa, 'action_request_approval_signature',
                   'approval')
        self._sign(self.manager, capa, 'action_request_closure_signature',
                   'closure')
        return capa
