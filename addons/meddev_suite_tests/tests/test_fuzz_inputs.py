"""Fuzzed user input through the entry points a user or a mail server
reaches: the UDI scan, licence numbers and credit codes, the mail gateway,
uploaded files. Each input ends in a result or a clear UserError /
ValidationError, never another exception, and a refused input writes
nothing."""

import base64
import binascii
import csv
import io
from contextlib import contextmanager

from hypothesis import HealthCheck, example, given, settings, strategies as st

from odoo import api
from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install

from odoo.addons.meddev_base.tools import xlsx_sheet

from .common import MeddevSuiteCase, call_button

# Seeded, small and without an example database (it would leave a
# .hypothesis folder): the suite's run time stays low and repeatable.
FUZZ = settings(max_examples=40, deadline=None, database=None,
                derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
# The mail gateway's examples each open a record with its followers, SLA
# clocks or reporting deadlines and acknowledgement: fewer of them.
FUZZ_SLOW = settings(FUZZ, max_examples=20,
                     suppress_health_check=[HealthCheck.too_slow,
                                            HealthCheck.data_too_large])

# PostgreSQL refuses NUL in any text column (Odoo's Char fields all): a
# platform limit, not the suite's, left out of the generated text.
TEXT = st.text(alphabet=st.characters(blacklist_characters='\x00',
                                      blacklist_categories=('Cs',)),
               max_size=80)
DIGITS = st.text(alphabet='0123456789', max_size=16)
GS = '\x1d'


@st.composite
def udi_like(draw):
    """GS1 element strings (bracketed, raw with or without separators),
    HIBC strings, Digital Links, mangled or not, and plain noise."""
    kind = draw(st.sampled_from(
        ['bracketed', 'raw', 'hibc', 'link', 'noise']))
    gtin, lot, date = draw(DIGITS), draw(TEXT), draw(DIGITS)
    if kind == 'bracketed':
        text = '(01)%s(17)%s(10)%s(21)%s' % (gtin, date, lot, draw(TEXT))
    elif kind == 'raw':
        text = ']d2' * draw(st.booleans()) + '01%s17%s10%s%s21%s' % (
            gtin, date, lot, draw(st.sampled_from([GS, '', '|'])),
            draw(TEXT))
    elif kind == 'hibc':
        text = '+%s/$$%s%s' % (draw(TEXT), date, lot)
    elif kind == 'link':
        text = 'https://id.example.com/01/%s/10/%s?17=%s' % (
            gtin, lot, date)
    else:
        text = draw(TEXT)
    cut = draw(st.integers(0, len(text)))
    return text[:cut] if draw(st.booleans()) else text


# ----------------------------------------------------------------------
# Mail gateway payloads
# ----------------------------------------------------------------------

# The suite's mail aliases (quality_capa's data) and a service team's
# (made by the test case), with the model each opens records of.
ALIASES = {
    'quality-complaints': 'meddev.complaint',
    'quality-distributors': 'meddev.complaint',
    'suite-fuzz-service': 'meddev.service.ticket',
}
# Declared charsets, one that does not exist among them; the text is
# sometimes encoded in another one than declared (mail clients lie).
CHARSETS = ['utf-8', 'gb18030', 'gb2312', 'big5', 'iso-8859-1',
            'no-such-charset']
HEADER_TEXT = st.text(alphabet=st.characters(
    blacklist_characters='\x00\r\n', blacklist_categories=('Cs',)),
    max_size=60)
BODY_TEXT = st.text(alphabet=st.characters(blacklist_categories=('Cs',)),
                    max_size=400)
# Headers that mark a mail sent by a machine: the service gateway drops
# it (no ticket for an out-of-office), as Odoo drops bounces.
AUTO_HEADERS = [b'Auto-Submitted: auto-replied', b'X-Autoreply: yes',
                b'Precedence: bulk']
ADDRESS = st.builds(
    '{}@{}.{}'.format,
    st.text(alphabet='abcdefghijklmnopqrstuvwxyz0123456789._-', min_size=1,
            max_size=12),
    st.text(alphabet='abcdefghijklmnopqrstuvwxyz0123456789-', min_size=1,
            max_size=10),
    st.sampled_from(['com', 'cn', 'com.cn']))


def _codec(charset):
    return 'utf-8' if charset == 'no-such-charset' else charset


@st.composite
def header_values(draw, text=HEADER_TEXT):
    """A header's bytes: raw 8-bit text, an RFC 2047 encoded word (B or
    Q), or a broken one (bad base64, cut short)."""
    charset = draw(st.sampled_from(CHARSETS))
    data = draw(text).encode(_codec(charset), 'replace')
    how = draw(st.sampled_from(['raw', 'b', 'q', 'broken']))
    if how == 'raw':
        return data
    if how == 'q':
        encoded = ''.join('=%02X' % byte for byte in data).encode()
        return b'=?' + charset.encode() + b'?Q?' + encoded + b'?='
    encoded = base64.b64encode(data)
    if how == 'broken':
        cut = draw(st.integers(0, len(encoded)))
        encoded = encoded[:cut] + draw(st.sampled_from(
            [b'', b'!', b'%%', b'=', b'?']))
    return b'=?' + charset.encode() + b'?B?' + encoded + b'?='


@st.composite
def mime_part(draw, content, ctype, charset=None, name=None):
    """The headers and body of one MIME part holding ``content`` (bytes),
    in a transfer encoding drawn (sometimes a broken base64)."""
    cte = draw(st.sampled_from(['8bit', 'base64', 'quoted-printable',
                                'broken-base64']))
    head = b'Content-Type: ' + ctype.encode()
    if charset:
        head += b'; charset="' + charset.encode() + b'"'
    if name is not None:
        head += b'; name="' + name + b'"'
        head += b'\r\nContent-Disposition: attachment; filename="' + name \
            + b'"'
    if cte == '8bit':
        body = content
    elif cte == 'quoted-printable':
        body = binascii.b2a_qp(content)
    else:
        body = base64.encodebytes(content)
        if cte == 'broken-base64':
            body = body[:draw(st.integers(0, len(body)))] + b'%%not'
    cte = 'base64' if cte == 'broken-base64' else cte
    return head + b'\r\nContent-Transfer-Encoding: ' + cte.encode() \
        + b'\r\n\r\n' + body


@st.composite
def mails(draw):
    """Return (raw mail bytes, alias, whether a machine sent it): random
    subject, sender, Message-Id and extra headers, a plain or HTML body
    in a declared (or lying) charset and transfer encoding, attachments
    of random bytes; mailed to one of the suite's aliases."""
    alias = draw(st.sampled_from(sorted(ALIASES)))
    lines = [b'To: ' + draw(st.sampled_from(
        [b'', b'"Quality" ', b'=?utf-8?B?6LSo6YeP?= '])) + b'<'
        + alias.encode() + b'@example.com>']
    sender = draw(st.sampled_from(
        ['name-addr', 'addr', 'none', 'garbage', 'daemon']))
    if sender == 'name-addr':
        lines.append(b'From: ' + draw(header_values()) + b' <'
                     + draw(ADDRESS).encode() + b'>')
    elif sender == 'addr':
        lines.append(b'From: ' + draw(ADDRESS).encode())
    elif sender == 'garbage':
        lines.append(b'From: ' + draw(header_values()))
    elif sender == 'daemon':
        lines.append(b'From: MAILER-DAEMON@example.com')
    if draw(st.booleans()):
        lines.append(b'Subject: ' + draw(header_values()))
    if draw(st.booleans()):
        lines.append(b'Message-Id: <' + draw(header_values(st.text(
            alphabet='abcdefghijklmnopqrstuvwxyz0123456789.$', max_size=40)
        )) + b'@fuzz.example.com>')
    for name in draw(st.lists(st.sampled_from(
            ['Cc', 'Reply-To', 'Date', 'X-Mailer', 'References',
             'Content-Language']), max_size=3)):
        lines.append(name.encode() + b': ' + draw(header_values()))
    # In-Reply-To of any kind: raw 8-bit text there made Odoo 11's
    # message_parse raise AttributeError (SECURITY.md, finding F7, fixed).
    if draw(st.booleans()):
        lines.append(b'In-Reply-To: <' + draw(st.one_of(
            ADDRESS.map(str.encode), header_values())) + b'>')
    # Odoo drops a bounce (from the mailer daemon) on every alias; the
    # suite's gateway drops auto-replies to ticket and complaint aliases
    # too (SECURITY.md, finding F6).
    auto = sender == 'daemon'
    if draw(st.integers(0, 5)) == 0:
        lines.append(draw(st.sampled_from(AUTO_HEADERS)))
        auto = True
    declared = draw(st.sampled_from(CHARSETS))
    used = draw(st.sampled_from([declared] + CHARSETS))
    text = draw(BODY_TEXT)
    subtype = draw(st.sampled_from(['plain', 'html']))
    if subtype == 'html':
        text = '<p>%s</p>' % text
    body_part = draw(mime_part(text.encode(_codec(used), 'replace'),
                               'text/' + subtype, declared))
    attachments = [draw(mime_part(
        draw(st.binary(max_size=300)), draw(st.sampled_from(
            ['application/pdf', 'image/png', 'application/octet-stream',
             'text/plain'])), name=draw(header_values())))
        for _i in range(draw(st.integers(0, 2)))]
    if attachments or draw(st.booleans()):
        lines.append(b'MIME-Version: 1.0')
        lines.append(b'Content-Type: multipart/mixed; boundary="=fuzz="')
        body = b''.join(b'--=fuzz=\r\n' + part + b'\r\n'
                        for part in [body_part] + attachments)
        body += b'--=fuzz=--\r\n'
        return b'\r\n'.join(lines) + b'\r\n\r\n' + body, alias, auto
    return b'\r\n'.join(lines) + b'\r\n' + body_part, alias, auto


# Mails that once broke the gateway, kept as explicit examples: a From and
# a Subject in broken base64 ('!' and missing padding) made Odoo 11's own
# message_parse raise (SECURITY.md, finding F4; meddev_base decodes them
# leniently); an empty sender with a charset that lies.
BROKEN_BASE64_MAIL = (
    b'To: quality-complaints@example.com\r\n'
    b'From: =?utf-8?B?5oql6K2!?= <a@example.com>\r\n'
    b'Subject: =?utf-8?b?6K6+5aSH5oql6K2!?= =?gb2312?Q?=FF=FE=b?=\r\n'
    b'Content-Type: text/plain; charset=utf-8\r\n\r\n'
    + '报警'.encode('gb18030') + b'\xff\xfe',
    'quality-complaints', False)
EMPTY_SENDER_MAIL = (
    b'To: suite-fuzz-service@example.com\r\n'
    b'From: =?utf-8?B?5oql6K2m?= <>\r\n'
    b'Subject: =?gb2312?Q?=FF=FE=broken?=\r\n'
    b'Content-Type: text/plain; charset=utf-8\r\n\r\n'
    + '报警'.encode('gb18030') + b'\xff\xfe',
    'suite-fuzz-service', False)

# A 260 kB body (a forwarded log): kept whole on the chatter.
HUGE_MAIL = (
    b'To: quality-complaints@example.com\r\nFrom: "x" <a@@b>\r\n'
    b'Subject: huge\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
    + ('设备报警 ' * 20000).encode('utf-8'), 'quality-complaints', False)


# ----------------------------------------------------------------------
# Uploaded files
# ----------------------------------------------------------------------

WATCHLIST_HEADERS = ['name,reason', 'credit_code,name,reason,source',
                     'reason,credit_code', 'name', 'Name , Reason', '']
FILE_ENCODINGS = ['utf-8', 'utf-8-sig', 'gb18030', 'utf-16']
# Names a file may give: the test case's partner, a near miss, noise.
PARTNER_NAMES = st.one_of(
    st.sampled_from(['Suite Fuzz Distributor', 'suite fuzz distributor',
                     'Suite Fuzz Distributor Co., Ltd.', '']), TEXT)
CREDIT_CODES = st.one_of(
    st.just('91110000600037341L'), st.text(
        alphabet='0123456789ABCDEFGHJKLMNPQRTUWXY', max_size=20), TEXT)


@st.composite
def watchlist_files(draw):
    """A watchlist upload: CSV text with one of the headers the import
    knows (or not), rows of names, credit codes and reasons, in one of
    the encodings a spreadsheet exports; or random bytes."""
    # Not empty: an empty file is refused by the required field (the
    # web client does not send it; over RPC PostgreSQL's not-null error
    # answers, SECURITY.md).
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(min_size=1, max_size=400))
    header = draw(st.one_of(st.sampled_from(WATCHLIST_HEADERS), TEXT))
    columns = [name.strip().lower() for name in header.split(',')]
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header.split(','))
    values = {'name': PARTNER_NAMES, 'credit_code': CREDIT_CODES}
    for _row in range(draw(st.integers(0, 4))):
        writer.writerow([draw(values.get(column, TEXT))
                         for column in columns])
    text = stream.getvalue()
    if draw(st.booleans()):
        text += draw(BODY_TEXT)  # a trailing mess: quotes, NUL, no newline
    return text.encode(draw(st.sampled_from(FILE_ENCODINGS)), 'replace')


@st.composite
def licence_files(draw, headers):
    """A licence upload: an XLSX made of the template's ``headers``
    (some left out, repeated or replaced by noise) and rows of random
    cells (partner names, dates, numbers, text); or random bytes, or a
    zip that is no workbook."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return draw(st.binary(max_size=400))
    if kind == 1:
        return b'PK\x03\x04' + draw(st.binary(max_size=400))
    chosen = draw(st.lists(st.one_of(st.sampled_from(headers), TEXT),
                           min_size=0, max_size=len(headers) + 1))
    if draw(st.booleans()):
        chosen = list(headers)
    cells = st.one_of(
        PARTNER_NAMES, TEXT, st.sampled_from(
            ['SUITE-FUZZ', 'Suite Fuzz Licence', '2020-01-01',
             '2031-13-45', '1', '0', '91110000600037341L']),
        st.integers(-10 ** 6, 10 ** 6), st.floats(allow_nan=False,
                                                  allow_infinity=False))
    rows = draw(st.lists(st.lists(cells, max_size=len(chosen) + 1),
                         max_size=4))
    return xlsx_sheet.write_workbook('Licences', chosen, rows=rows)


@at_install(False)
@post_install(True)
class TestFuzzedInputs(MeddevSuiteCase):

    @classmethod
    def setUpClass(cls):
        super(TestFuzzedInputs, cls).setUpClass()
        cls.tracer = cls._create_user('suite_fuzz_tracer', [
            'meddev_traceability.group_meddev_traceability_user',
            'stock.group_stock_user'])
        cls.reviewer = cls._create_user('suite_fuzz_reviewer', [
            'meddev_qualification.group_meddev_qualification_reviewer'])
        cls.partner = cls.env['res.partner'].create({
            'name': 'Suite Fuzz Distributor', 'is_company': True})
        cls.licence_type = cls.env['meddev.licence.type'].create({
            'code': 'SUITE-FUZZ', 'name': 'Suite Fuzz Licence',
            'for_distributor': True, 'authorises_class_i': True,
            'allow_long_term': True})
        # A service team's alias (the suite ships the complaint ones).
        cls.env['meddev.service.team'].create({
            'name': 'Suite Fuzz Service', 'company_id': cls.company.id,
            'alias_name': 'suite-fuzz-service'})
        labels = cls.env['meddev.licence.import']._import_labels('en_US')
        cls.licence_headers = [
            labels[name] for _key, name
            in cls.env['meddev.licence.import']._import_columns]

    def _counts(self, *models):
        return [self.env[model].sudo().search_count([]) for model in models]

    # ------------------------------------------------------------------
    # UDI scan
    # ------------------------------------------------------------------

    @FUZZ
    @given(udi_like())
    def test_udi_scan(self, barcode):
        """The scan wizard's button and find_lot over RPC: a reading or a
        UserError naming the scan, never a lot or product created."""
        before = self._counts('stock.production.lot', 'product.product')
        scan = self.env['meddev.udi.scan'].sudo(self.tracer).create(
            {'barcode': barcode})
        try:
            call_button(scan, 'action_scan')
        except UserError as error:
            self.assertIn('UDI', error.name)
        try:
            api.call_kw(self.env['meddev.udi.scan'].sudo(self.tracer),
                        'find_lot', [barcode], {})
        except UserError as error:
            self.assertIn('UDI', error.name)
        self.assertEqual(self._counts(
            'stock.production.lot', 'product.product'), before)

    # ------------------------------------------------------------------
    # Licence numbers and credit codes
    # ------------------------------------------------------------------

    @FUZZ
    @given(TEXT, st.one_of(TEXT, st.text(
        alphabet='0123456789ABCDEFGHJKLMNPQRTUWXY', min_size=18,
        max_size=18)))
    def test_licence_number_and_credit_code(self, number, credit_code):
        """A licence recorded with any number and credit code is created
        or refused with a ValidationError/UserError; refused, none is
        left behind."""
        licences = self.env['meddev.partner.licence'].sudo(self.reviewer)
        before = self._counts('meddev.partner.licence')
        try:
            with self.env.cr.savepoint():
                licence = licences.create({
                    'partner_id': self.partner.id,
                    'licence_type_id': self.licence_type.id,
                    'number': number, 'credit_code': credit_code,
                    'valid_from': '2020-01-01', 'long_term': True})
        except (UserError, ValidationError) as error:
            self.assertTrue(error.name)
            self.assertEqual(self._counts('meddev.partner.licence'), before)
        else:
            self.assertEqual(licence.partner_id, self.partner)

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------

    @contextmanager
    def _rolled_back(self):
        """Run one example in a savepoint that is always rolled back: the
        examples do not see each other's records."""
        self.env.cr.execute('SAVEPOINT suite_fuzz_example')
        try:
            yield
        finally:
            self.env.cr.execute('ROLLBACK TO SAVEPOINT suite_fuzz_example')
            self.env.cr.execute('RELEASE SAVEPOINT suite_fuzz_example')
            self.env.cache.invalidate()

    @FUZZ_SLOW
    @given(mails())
    @example(BROKEN_BASE64_MAIL)
    @example(EMPTY_SENDER_MAIL)
    @example(HUGE_MAIL)
    def test_mail_gateway(self, mail):
        """A mail to a suite alias, whatever its headers, charsets,
        encodings and attachments, opens one record with the mail on its
        chatter; a machine's mail (auto-reply, bounce) opens none; or the
        gateway refuses it with a clear error and nothing of it is
        written (the mail fetcher commits after each mail: a record, a
        partner or an attachment left by a refused mail would stay)."""
        raw, alias, auto = mail
        model = ALIASES[alias]
        watched = (model, 'res.partner', 'mail.message', 'ir.attachment')
        with self._rolled_back():
            before = self._counts(*watched)
            try:
                # As the mail fetcher calls it: the raw bytes, no model.
                record_id = self.env['mail.thread'].with_context(
                    tracking_disable=False, mail_notrack=False,
                    mail_create_nolog=False).message_process(False, raw)
            except (UserError, ValidationError) as error:
                self.assertTrue(error.name)
                self.assertEqual(self._counts(*watched), before,
                                 'a refused mail left records behind')
                return
            if auto:
                self.assertFalse(record_id, 'a machine\'s mail opened '
                                 'a record')
                self.assertEqual(self._counts(model), before[:1])
                return
            self.assertTrue(record_id, 'the mail was lost')
            self.assertEqual(self._counts(model), [before[0] + 1])
            record = self.env[model].browse(record_id)
            self.assertTrue(record.exists())
            self.assertTrue(record.message_ids.filtered(
                lambda message: message.message_type == 'email'),
                'the mail is not on the chatter')

    # ------------------------------------------------------------------
    # Uploaded files
    # ------------------------------------------------------------------

    def _flagged(self):
        return self.env['res.partner'].with_context(
            active_test=False).search([('meddev_watchlist', '=', True)])

    @FUZZ
    @given(watchlist_files())
    @example(b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj')
    @example('partner,number\n康达医疗,京械经营\n'.encode('gb18030'))
    def test_watchlist_import(self, content):
        """The watchlist import over RPC flags the partners its rows
        name, reporting every row, or refuses the file with a UserError
        and flags nobody; parse_rows (RPC-callable) reads the text or
        refuses it the same way."""
        imports = self.env['meddev.watchlist.import'].sudo(self.reviewer)
        with self._rolled_back():
            flagged = self._flagged()
            wizard = imports.create({
                'data_file': base64.b64encode(content),
                'filename': 'watchlist.csv'})
            try:
                call_button(wizard, 'action_import')
            except UserError as error:
                self.assertTrue(error.name)
                self.assertEqual(self._flagged(), flagged,
                                 'a refused file flagged partners')
            else:
                self.assertEqual(wizard.state, 'done')
                # A row flags one partner (two rows may name the same).
                newly = self._flagged() - flagged
                self.assertLessEqual(len(newly), wizard.flagged_count)
        text = content.decode('utf-8', 'replace')
        try:
            rows = api.call_kw(imports, 'parse_rows', [text], {})
        except UserError as error:
            self.assertTrue(error.name)
        else:
            self.assertIsInstance(rows, list)

    @FUZZ
    @given(st.data())
    def test_licence_import(self, data):
        """The licence import over RPC, dry run then import: the dry run
        reports the bad rows or refuses the file with a UserError; the
        import writes every row as a draft licence or, refused with a
        UserError, none."""
        imports = self.env['meddev.licence.import'].sudo(self.reviewer)
        content = data.draw(licence_files(self.licence_headers))
        with self._rolled_back():
            before = self._counts('meddev.partner.licence')
            wizard = imports.create({
                'data_file': base64.b64encode(content),
                'filename': 'licences.xlsx'})
            try:
                call_button(wizard, 'action_check')
            except UserError as error:
                self.assertTrue(error.name)
            else:
                self.assertEqual(wizard.state, 'checked')
            try:
                call_button(wizard, 'action_import')
            except UserError as error:
                self.assertTrue(error.name)
                self.assertEqual(self._counts('meddev.partner.licence'),
                                 before, 'a refused file left licences')
            else:
                self.assertEqual(wizard.state, 'done')
                self.assertEqual(self._counts('meddev.partner.licence'),
                                 [before[0] + wizard.row_count])
