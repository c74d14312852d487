"""Build the guide's sample go-live files from the suite's XLSX templates.

For each import of the implementer chapter (partner licences, credit limits
and ratings, installed equipment, van stock, open complaints) this script
downloads the template from a served demo database (XML-RPC, as the
administrator, headers in LANG), fills it with rows taken from the demo
data and writes two files into OUT:

  <template>.xlsx          rows that import (the dry run finds no bad row)
  <template>-bad-row.xlsx  the same rows plus one deliberately bad row

then runs each wizard's dry run on both files and fails unless the good file
has no bad row and the other exactly one. The browser tests
(browser/test_implementer.py) call it on the database they run against, so
`make docs` rebuilds the samples with the templates of the day.

    .venv/bin/python docs/guide/samples/build_samples.py URL DB LANG OUT

It runs with the Odoo venv's Python (xlsxwriter, xlrd) and reads and writes
the files with meddev_base's ORM-free helper (tools/xlsx_sheet.py).
"""
import base64
import datetime
import importlib.util
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))


def _load(name, *path):
    """Import one of the project's pure modules by its path (this script
    runs outside Odoo and outside the project's packages)."""
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(ROOT, *path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


xlsx_sheet = _load('xlsx_sheet', 'addons', 'meddev_base', 'tools',
                   'xlsx_sheet.py')
Rpc = _load('rpc', 'browser', 'rpc.py').OdooRpc

TODAY = datetime.date.today()


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


# -- the rows of each import (columns in the template's order) ------------

def licence_rows(rpc):
    """Two customers' operation licences (the type's example number);
    bad: a credit code whose check character is wrong."""
    licence_type = rpc.read('meddev.licence.type', rpc.ref(
        'meddev_qualification.licence_type_operation'),
        ['code', 'number_example'])
    partners = rpc('res.partner', 'search_read', [
        ('customer', '=', True), ('is_company', '=', True),
        ('parent_id', '=', False)], fields=['name'], order='id')
    taken = set(row['partner_id'][0] for row in rpc(
        'meddev.partner.licence', 'search_read',
        [('licence_type_id.code', '=', licence_type['code'])],
        fields=['partner_id']))
    names = [p['name'] for p in partners if p['id'] not in taken][:2]
    good = [[name, licence_type['code'], licence_type['number_example'],
             name, '', day(-300), day(700), '0'] for name in names]
    code = next(c['credit_code'] for c in rpc(
        'meddev.partner.licence', 'search_read',
        [('credit_code', '!=', False)], fields=['credit_code']))
    wrong = '0' if code[-1] != '0' else '1'
    bad = [names[0], licence_type['code'], licence_type['number_example'],
           names[0], code[:-1] + wrong, day(-300), day(700), '0']
    return good, bad


def credit_rows(rpc):
    """Limits and grades of two customers; bad: a grade that is none of
    A to D."""
    partners = rpc('res.partner', 'search_read', [
        ('customer', '=', True), ('is_company', '=', True),
        ('parent_id', '=', False)], fields=['name', 'ref'], order='id',
        limit=2)
    currency = rpc.read('res.company', rpc.ref('base.main_company'),
                        ['currency_id'])['currency_id'][1]
    good = [[p['name'], p['ref'] or '', currency, limit, grade]
            for p, limit, grade in zip(partners, (512000, 256000), 'AB')]
    others = rpc('res.partner', 'search_read', [
        ('customer', '=', True), ('is_company', '=', True),
        ('parent_id', '=', False), ('id', 'not in', [p['id'] for p in
                                                     partners])],
        fields=['name', 'ref'], order='id', limit=1)
    bad = [others[0]['name'], others[0]['ref'] or '', currency, 100000, 'E']
    return good, bad


def installed_customer(rpc):
    """The customer (name, ref) of the first installed equipment of the
    demo data: a hospital."""
    partner_id = rpc('meddev.service.equipment', 'search_read', [],
                     fields=['partner_id'], order='id', limit=1)[0][
                         'partner_id'][0]
    return rpc.read('res.partner', partner_id, ['name', 'ref'])


def equipment_rows(rpc):
    """Two new serials of the demo monitor at a hospital; bad: a warranty
    end already past."""
    product = rpc.read('product.product', rpc.ref(
        'meddev_traceability.product_monitor_demo'), ['default_code', 'name'])
    customer = installed_customer(rpc)
    prefix = 'GL-%s-' % rpc.lang.split('_')[0].upper()
    rows = [[prefix + '%04d' % n, product['default_code'] or product['name'],
             '', customer['ref'] or customer['name'], day(-200 - n), '']
            for n in (1, 2, 3)]
    rows[2][5] = day(-30)
    return rows[:2], rows[2]


def van_stock_rows(rpc):
    """A part in an engineer's van; bad: a negative quantity."""
    van = rpc.read('stock.location', rpc.ref(
        'meddev_service.stock_location_van_zhang_demo'), ['complete_name'])
    product = rpc.read('product.product', rpc.ref(
        'meddev_traceability.product_module_demo'),
        ['default_code', 'name', 'tracking'])
    code = product['default_code'] or product['name']
    lot = 'GL-VAN-%s-' % rpc.lang.split('_')[0].upper()
    quantity = 1 if product['tracking'] == 'serial' else 2
    good = [[van['complete_name'], code,
             lot + '01' if product['tracking'] != 'none' else '', quantity]]
    bad = [van['complete_name'], code,
           lot + '02' if product['tracking'] != 'none' else '', -2]
    return good, bad


def complaint_rows(rpc):
    """An open complaint about the demo monitor; bad: a GTIN that no
    product has."""
    product = rpc.read('product.product', rpc.ref(
        'meddev_traceability.product_monitor_demo'),
        ['udi_di', 'default_code'])
    customer = installed_customer(rpc)
    channels = rpc('meddev.complaint', 'fields_get', ['channel',
                                                      'patient_outcome'],
                   attributes=['selection'])
    channel = channels['channel']['selection'][0][1]
    outcome = channels['patient_outcome']['selection'][0][1]
    description = {
        'zh_CN': '开机自检时报警，未涉及患者。',
    }.get(rpc.lang, 'Alarm at power-on self test; no patient involved.')
    # The product by its GTIN (UDI-DI), as a complaint names it.
    good = [[customer['name'], product['udi_di'] or product['default_code'],
             '', day(-12), day(-10), 'CN', channel, outcome, '0',
             description]]
    bad = [customer['name'], '06901234567892', '', day(-12), day(-10), 'CN',
           channel, outcome, '0', description]
    return good, bad


IMPORTS = [
    ('meddev.licence.import', licence_rows),
    ('meddev.credit.limit.import', credit_rows),
    ('meddev.service.equipment.import', equipment_rows),
    ('meddev.service.van.stock.import', van_stock_rows),
    ('meddev.complaint.import', complaint_rows),
]


def template(rpc, model):
    """(file name, sheet name, headers) of the empty template."""
    wizard = rpc(model, 'create', {'with_current': False}
                 if 'with_current' in rpc(model, 'fields_get', [])
                 else {})
    rpc(model, 'action_download_template', [wizard])
    data = rpc.read(model, wizard, ['template_file', 'template_filename'])
    content = base64.b64decode(data['template_file'])
    rows, _problems = xlsx_sheet.read_sheet(content)
    return data['template_filename'], rows[0][1]


def dry_run(rpc, model, path):
    """(rows, bad rows, report) of the wizard's dry run on a file."""
    with open(path, 'rb') as handle:
        content = base64.b64encode(handle.read()).decode('ascii')
    vals = {'data_file': content, 'filename': os.path.basename(path)}
    wizard = rpc(model, 'create', vals)
    rpc(model, 'action_check', [wizard])
    result = rpc.read(model, wizard, ['row_count', 'error_count', 'report'])
    return result['row_count'], result['error_count'], result['report']


def build(url, db, lang, out):
    """Write the samples of every import into ``out``; return
    {model: (good path, bad path)}."""
    rpc = Rpc(url, db, 'admin', 'admin', lang)
    os.makedirs(out, exist_ok=True)
    built = {}
    for model, rows_of in IMPORTS:
        filename, headers = template(rpc, model)
        good, bad = rows_of(rpc)
        base = os.path.splitext(filename)[0]
        paths = []
        for suffix, rows in (('', good), ('-bad-row', good + [bad])):
            path = os.path.join(out, '%s%s.xlsx' % (base, suffix))
            rows = [[str(cell) for cell in row] for row in rows]
            with open(path, 'wb') as handle:
                handle.write(xlsx_sheet.write_workbook(
                    base, headers, None, rows))
            paths.append(path)
        count, errors, report = dry_run(rpc, model, paths[0])
        if errors or count != len(good):
            raise SystemExit('%s: the good sample has bad rows:\n%s' % (
                paths[0], report))
        count, errors, report = dry_run(rpc, model, paths[1])
        if errors != 1 or count != len(good) + 1:
            raise SystemExit('%s: %s bad rows, one expected:\n%s' % (
                paths[1], errors, report))
        built[model] = tuple(paths)
    return built


if __name__ == '__main__':
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    for model, paths in sorted(build(*sys.argv[1:]).items()):
        print('%s: %s' % (model, ' '.join(paths)))
