from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, sql_db
from odoo.tests.common import SavepointCase, at_install, post_install


def days_ago(days, today=None):
    """Return the date ``days`` before ``today`` (default: today) as text."""
    today = fields.Date.from_string(today or fields.Date.today())
    return fields.Date.to_string(today - timedelta(days=days))


def call_button(records, method):
    """Call a button method as the web client does: through call_kw, with
    the record ids and the context as the positional arguments."""
    return api.call_kw(records, method,
                       [records.ids, dict(records.env.context)], {})


def call_kw(records, method, *args, **kwargs):
    """Call ``method`` on ``records`` as an XML-RPC client does
    (execute_kw): ids first, keyword arguments, and the context of the
    web client of ``records``' user as the ``context`` keyword (updated
    with the ``context`` given, a language say)."""
    kwargs['context'] = dict({'lang': 'en_US', 'tz': False,
                              'uid': records.env.uid},
                             **kwargs.get('context', {}))
    ids = [] if method == 'create' else [records.ids]
    return api.call_kw(records, method, ids + list(args), kwargs)


@contextmanager
def count_queries():
    """Yield a list that ends up holding the SQL run inside the block."""
    queries = []
    execute = sql_db.Cursor.execute

    def counting_execute(cursor, query, params=None, log_exceptions=None):
        queries.append(query)
        return execute(cursor, query, params)

    sql_db.Cursor.execute = counting_execute
    try:
        yield queries
    finally:
        sql_db.Cursor.execute = execute


class MeddevCreditCase(SavepointCase):
    """Base class: one user per role of the module and a customer."""

    @classmethod
    def setUpClass(cls):
        super(MeddevCreditCase, cls).setUpClass()
        # No mail tracking or password mails for the records built here.
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.category = cls.env.ref(
            'meddev_credit.module_category_meddev_credit')
        cls.group_employee = cls.env.ref('base.group_user')
        cls.group_user = cls.env.ref('meddev_credit.group_meddev_credit_user')
        cls.group_manager = cls.env.ref(
            'meddev_credit.group_meddev_credit_manager')
        cls.employee = cls._create_user('credit_employee', cls.group_employee)
        cls.user = cls._create_user('credit_user', cls.group_user)
        cls.manager = cls._create_user('credit_manager', cls.group_manager)
        cls.customer = cls.env['res.partner'].create({
            'name': 'Eastern Hospital Supplies',
            'customer': True,
            'is_company': True,
        })

    @classmethod
    def _create_user(cls, login, groups, company=None):
        """Return a new internal user holding exactly ``groups``."""
        vals = {
            'name': login.replace('_', ' ').title(),
            'login': login,
            'email': '%s@example.com' % login,
            'groups_id': [(6, 0, groups.ids)],
        }
        if company:
            vals.update(company_id=company.id, company_ids=[(6, 0, company.ids)])
        return cls.env['res.users'].create(vals)

    @classmethod
    def _create_rating(cls, partner, rating, score, **vals):
        """Return a new rating history line, recorded by the superuser."""
        vals.update(partner_id=partner.id, rating=rating, score=score)
        return cls.env['meddev.credit.rating.history'].create(vals)


# After every module is installed: the chart of accounts (l10n_generic_coa)
# is installed after this module when the database is created with it.
@at_install(False)
@post_install(True)
class MeddevCreditFlowCase(MeddevCreditCase):
    """Adds what invoices, payments and orders need, from the company's
    installed chart of accounts (never from demo data)."""

    @classmethod
    def setUpClass(cls):
        super(MeddevCreditFlowCase, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.currency = cls.company.currency_id
        cls.today = fields.Date.today()
        cls.salesman = cls._create_user(
            'credit_salesman',
            cls.group_user | cls.env.ref('sales_team.group_sale_salesman')
            | cls.env.ref('base.group_partner_manager'))
        cls.revenue_account = cls.env['account.account'].search([
            ('company_id', '=', cls.company.id),
            ('user_type_id', '=',
             cls.env.ref('account.data_account_type_revenue').id),
        ], limit=1)
        cls.bank_journal = cls.env['account.journal'].search([
            ('company_id', '=', cls.company.id), ('type', '=', 'bank'),
        ], limit=1)
        # 2 MDX for 1 unit of company currency, whatever that one's rate.
        base_rate = cls.currency.with_context(date=cls.today).rate
        cls.foreign = cls.env['res.currency'].create({
            'name': 'MDX', 'symbol': 'M$', 'rounding': 0.01,
            'rate_ids': [(0, 0, {'name': '2000-01-01', 'rate': 2 * base_rate,
                                 'company_id': cls.company.id})],
        })
        cls.foreign_pricelist = cls.env['product.pricelist'].create({
            'name': 'MDX prices', 'currency_id': cls.foreign.id})
        cls.product = cls._create_product('Infusion Pump', 'order')
        cls.service = cls._create_product('Installation Days', 'delivery')
        cls.customer.credit_limit = 10000.0
        cls.contact = cls.env['res.partner'].create({
            'name': 'Dr. Li, purchasing', 'parent_id': cls.customer.id})
        cls.policies = cls.env['meddev.credit.policy']._policies_by_rating(
            cls.company)
        # Known policies whatever an implementer changed in the database.
        for rating, multiplier, tolerance in (
                ('A', 1.0, 30), ('B', 1.0, 15), ('C', 0.5, 0),
                ('D', 0.0, 0)):
            values = {'limit_multiplier': multiplier, 'limit_cap': 0.0,
                      'tolerance_days': tolerance,
                      'allow_sale': rating != 'D',
                      'allow_override': rating != 'D',
                      'min_score': {'A': 80, 'B': 60, 'C': 40, 'D': 0}[
                          rating]}
            if rating in cls.policies:
                cls.policies[rating].write(values)
            else:
                values.update(rating=rating, company_id=cls.company.id)
                cls.policies[rating] = cls.env[
                    'meddev.credit.policy'].create(values)
        cls.company.write({'credit_default_tolerance_days': 30,
                           'credit_overdue_tolerance_amount': 0.0,
                           'credit_no_limit_policy': 'unlimited',
                           'credit_override_validity_days': 7,
                           'credit_history_score_step': 5.0,
                           'credit_hold_overdue_days': 90,
                           'credit_rating_window_days': 365,
                           'credit_full_risk_days': 60,
                           'credit_manager_id': cls.manager.id})

    @classmethod
    def _create_product(cls, name, invoice_policy):
        return cls.env['product.product'].create({
            'name': name,
            'type': 'service',
            'service_type': 'manual',
            'invoice_policy': invoice_policy,
            'list_price': 100.0,
            'taxes_id': [(6, 0, [])],
        })

    @classmethod
    def _create_invoice(cls, partner, amount, kind='out_invoice',
                        date_invoice=None, date_due=None, currency=None,
                        post=True):
        """Return a customer invoice (or credit note) of ``amount``."""
        invoice = cls.env['account.invoice'].create({
            'partner_id': partner.id,
            'type': kind,
            'account_id': partner.commercial_partner_id
            .property_account_receivable_id.id,
            'date_invoice': date_invoice or cls.today,
            'date_due': date_due or date_invoice or cls.today,
            'currency_id': (currency or cls.currency).id,
            'invoice_line_ids': [(0, 0, {
                'name': 'Devices',
                'quantity': 1,
                'price_unit': amount,
                'account_id': cls.revenue_account.id,
            })],
        })
        if post:
            invoice.action_invoice_open()
        return invoice

    @classmethod
    def _pay(cls, invoice, amount, date=None):
        """Register a payment of ``amount`` (invoice currency)."""
        payment = cls.env['account.payment'].create({
            'payment_type': 'inbound',
            'partner_type': 'customer',
            'partner_id': invoice.commercial_partner_id.id,
            'amount': amount,
            'currency_id': invoice.currency_id.id,
            'journal_id': cls.bank_journal.id,
            'payment_method_id': cls.env.ref(
                'account.account_payment_method_manual_in').id,
            'payment_date': date or cls.today,
            'invoice_ids': [(6, 0, invoice.ids)],
        })
        payment.post()
        return payment

    @classmethod
    def _receive(cls, partner, amount, date=None):
        """Post a customer payment of ``amount`` matched to no invoice."""
        payment = cls.env['account.payment'].create({
            'payment_type': 'inbound',
            'partner_type': 'customer',
            'partner_id': partner.id,
            'amount': amount,
            'currency_id': cls.currency.id,
            'journal_id': cls.bank_journal.id,
            'payment_method_id': cls.env.ref(
                'account.account_payment_method_manual_in').id,
            'payment_date': date or cls.today,
        })
        payment.post()
        return payment

    @classmethod
    def _create_order(cls, partner, lines, pricelist=None, user=None):
        """Return a quotation; ``lines`` are (product, quantity, price)."""
        vals = {
            'partner_id': partner.id,
            'user_id': (user or cls.salesman).id,
            'order_line': [(0, 0, {
                'product_id': product.id,
                'name': product.name,
                'product_uom_qty': qty,
                'product_uom': product.uom_id.id,
                'price_unit': price,
                'tax_id': [(6, 0, [])],
            }) for product, qty, price in lines],
        }
        if pricelist:
            vals['pricelist_id'] = pricelist.id
        orders = cls.env['sale.order']
        if user:
            orders = orders.sudo(user)
        return orders.create(vals)

    def _figures(self, partner, today=None):
        return partner._credit_figures(self.company, today or self.today)[
            partner.commercial_partner_id.id]
