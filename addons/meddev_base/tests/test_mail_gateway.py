import email
from email.header import decode_header

from odoo.tests.common import SavepointCase

from ..models.mail_thread import decode_header_leniently, header_text

# A From and a Subject in broken base64 ('!' is no base64 character):
# Odoo 11's own decoder raises HeaderParseError on both.
BROKEN_MAIL = (
    'From: =?utf-8?b?5byg5L!J?= <zhang.san@example.com>\r\n'
    'To: service@example.com\r\n'
    'Subject: =?utf-8?B?6K6+5aSH5oql6K2!?=\r\n'
    'Message-Id: <meddev-broken-base64@example.com>\r\n'
    'Content-Type: text/plain; charset=utf-8\r\n'
    '\r\n'
    '监护仪开机后报警，请派工程师。\r\n'
)

# A reply whose In-Reply-To and References carry raw UTF-8 bytes (no RFC
# 2047 encoding): Python's parser gives Header objects, and Odoo 11's
# message_parse called .strip() on one (AttributeError at every fetch).
RAW_8BIT_REPLY = (
    'From: Li Si <li.si@example.com>\r\n'
    'To: service@example.com\r\n'
    'Subject: Re: pump alarm\r\n'
    'Message-Id: <meddev-8bit-reply@example.com>\r\n'
    'In-Reply-To: <回复-1@example.com>\r\n'
    'References: <first@example.com> <回复-1@example.com>\r\n'
    'Content-Type: text/plain; charset=utf-8\r\n'
    '\r\n'
    '报警已消除。\r\n'
).encode('utf-8')


class TestMailGateway(SavepointCase):

    def test_broken_base64_headers_accepted(self):
        """A mail with a From and Subject in broken base64 goes through
        the gateway: the record is created with the body on its chatter
        and the sender's address kept."""
        partner_id = self.env['mail.thread'].message_process(
            'res.partner', BROKEN_MAIL)
        partner = self.env['res.partner'].browse(partner_id)
        self.assertTrue(partner.exists())
        message = partner.message_ids.filtered(
            lambda msg: msg.message_id ==
            '<meddev-broken-base64@example.com>')
        self.assertEqual(len(message), 1)
        self.assertIn('监护仪开机后报警', message.body)
        self.assertIn('zhang.san@example.com', message.email_from)
        self.assertIn('设备', message.subject)

    def test_valid_headers_untouched(self):
        """A well-formed mail is decoded by Odoo as before."""
        partner_id = self.env['mail.thread'].message_process(
            'res.partner', BROKEN_MAIL.replace(
                '5byg5L!J', '5byg5LiJ').replace(
                '6K6+5aSH5oql6K2!', '6K6+5aSH5oql6K2m').replace(
                'broken-base64', 'valid-base64'))
        message = self.env['res.partner'].browse(partner_id).message_ids \
            .filtered(lambda msg: msg.message_id ==
                      '<meddev-valid-base64@example.com>')
        self.assertEqual(message.subject, '设备报警')
        self.assertIn('张三', message.email_from)

    def test_raw_8bit_reply_headers_accepted(self):
        """A mail whose In-Reply-To and References carry raw 8-bit bytes
        goes through the gateway, as the mail fetcher hands it over
        (bytes): the record is created with the body on its chatter."""
        partner_id = self.env['mail.thread'].message_process(
            'res.partner', RAW_8BIT_REPLY)
        message = self.env['res.partner'].browse(partner_id).message_ids \
            .filtered(lambda msg: msg.message_id ==
                      '<meddev-8bit-reply@example.com>')
        self.assertEqual(len(message), 1)
        self.assertIn('报警已消除', message.body)
        self.assertIn('li.si@example.com', message.email_from)

    def test_header_text(self):
        """A raw 8-bit header becomes its UTF-8 text (what is not UTF-8
        replaced); a string header stays as it is."""
        message = email.message_from_bytes(RAW_8BIT_REPLY)
        self.assertEqual(header_text(message['In-Reply-To']),
                         '<回复-1@example.com>')
        self.assertEqual(header_text(message['Subject']), 'Re: pump alarm')
        latin = email.message_from_bytes(
            b'In-Reply-To: <caf\xe9@example.com>\r\n\r\n')
        self.assertEqual(header_text(latin['In-Reply-To']),
                         '<caf\ufffd@example.com>')

    def test_decode_header_leniently(self):
        """The lenient decoder keeps the address and what it can decode,
        and never returns something that looks encoded again."""
        self.assertEqual(
            decode_header_leniently('=?utf-8?b?5byg5LiJ?= <a@b.c>'),
            '张三 <a@b.c>')
        self.assertTrue(decode_header_leniently(
            '=?utf-8?b?5byg5L!J?= <a@b.c>').endswith(' <a@b.c>'))
        self.assertEqual(
            decode_header_leniently('=?no-such?Q?abc?= <a@b.c>'),
            'abc <a@b.c>')
        tricky = decode_header_leniently(
            '=?utf-8?b?PT91dGYtOD9iPyE/PQ==?=')
        self.assertEqual(decode_header(tricky), [(tricky, None)])
