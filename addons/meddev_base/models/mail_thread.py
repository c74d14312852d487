import base64
import binascii
import codecs
import email.quoprimime
import logging
import re
import threading
from email.errors import HeaderParseError
from email.header import Header, decode_header

from odoo import SUPERUSER_ID, _, api, models, tools
from odoo.exceptions import AccessError

from .meddev_audit_trail_mixin import (
    GATEWAY_KEY, GATEWAY_MARK, POST_KEY, POST_MARK)

_logger = logging.getLogger(__name__)

# message_track's mark on its posts (see message_track below): the
# tracking values they carry are the ones it computed. Held by the thread,
# not the context: a new context is a new environment, whose cache made the
# tracking re-read the record as the user (an order just moved to the
# user's other company was then refused); no client reaches it.
_TRACKING = threading.local()
# What message_post on a kept trail takes from the server only: keyword
# arguments Odoo writes on the message as they come.
POST_REFUSED = frozenset(('tracking_value_ids', 'date', 'message_id'))
# The message types Odoo's own callers of a user's post send.
POST_TYPES = frozenset(('comment', 'notification'))

# An RFC 2047 encoded word: =?charset?B|Q?text?=, read as Python's own
# decoder reads it (the text up to the first '?=', '?' included): a word
# like =?utf-8?B?M??= made it raise and was not repaired.
ENCODED_WORD = re.compile(r'=\?([^?\s]*)\?([bBqQ])\?(.*?)\?=')
NOT_BASE64 = re.compile(r'[^A-Za-z0-9+/]')


def _decode_word_leniently(match):
    """Decode one encoded word whatever its state: invalid base64
    characters and missing padding are dropped or completed, an unknown
    charset is read as UTF-8, undecodable bytes are replaced."""
    charset, encoding, text = match.groups()
    if encoding.lower() == 'b':
        text = NOT_BASE64.sub('', text)
        text = text[:len(text) - len(text) % 4 if len(text) % 4 == 1
                    else len(text)]
        text += '=' * (-len(text) % 4)
        try:
            raw = base64.b64decode(text)
        except (binascii.Error, ValueError):
            raw = b''
    else:
        raw = email.quoprimime.header_decode(text).encode(
            'latin-1', 'replace')
    try:
        codecs.lookup(charset.split('*')[0])
    except LookupError:
        charset = 'utf-8'
    return raw.decode(charset.split('*')[0], 'replace')


def header_text(value):
    """Return ``value`` (a header as Python's parser gives it) as text. A
    header with raw 8-bit bytes (no RFC 2047 encoding: an In-Reply-To or
    References some mailers write so) comes as an ``email.header.Header``
    in the 'unknown-8bit' charset, which Odoo 11's parser takes for a
    string (``.strip()``: AttributeError, the mail fetched again at every
    run); its bytes are read as UTF-8, what is not UTF-8 replaced."""
    if not isinstance(value, Header):
        return str(value)
    parts = []
    for chunk, charset in decode_header(value):
        if isinstance(chunk, str):
            parts.append(chunk)
            continue
        charset = (charset or 'utf-8').split('*')[0]
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = 'utf-8'
        parts.append(chunk.decode(charset, 'replace'))
    return ''.join(parts)


def decode_header_leniently(value):
    """Return ``value`` (a raw mail header) decoded as far as possible:
    the encoded words Odoo's decoder refuses (broken base64, unknown
    charset) are decoded leniently and the rest (the address) is kept as
    it came."""
    text = ENCODED_WORD.sub(_decode_word_leniently, value)
    # A decoded word may itself look like an encoded word: never let the
    # result be decoded a second time.
    return ENCODED_WORD.sub(lambda m: m.group(0).replace('=?', '= ?'), text)


class MailThread(models.AbstractModel):
    """Mail gateway: a mail whose headers Odoo 11 cannot decode (a From or
    Subject in broken base64) is accepted with leniently decoded headers
    instead of raising at every fetch (the mail server would retry it
    forever and the mail would never reach its document).

    Create: safe to retry with the same values (below).

    On a model that keeps its audit trail (``meddev.audit.trail.mixin``),
    a message is posted under the poster's own name: Odoo 11's
    ``message_post`` is public and takes any ``author_id`` an RPC caller
    sends (a user posting as a colleague, a customer or the QA manager).
    The superuser (the mail gateway, ``sudo()``), the server's own code
    and the gateway's post for an alias owner still name the sender."""

    _inherit = 'mail.thread'

    @api.model
    def create(self, values):
        """Create on a copy of ``values``: Odoo retries a request that hit
        a serialization failure with the same arguments
        (``odoo.service.model.check``, for XML-RPC and the web client), and
        mail.thread's create adds the creator's follower command to the
        caller's dict (and to a follower list it was given, in place), so
        the retry subscribed the creator twice (IntegrityError on
        mail_followers: the bench's load case). Every model with a chatter
        has that exposure, Odoo's own too (partners, invoices, orders), so
        the copy is made here, once, for all of them; a shallow copy costs
        nothing beside the create's queries, and nothing reads that
        command back from the caller's dict."""
        values = dict(values)
        if values.get('message_follower_ids'):
            values['message_follower_ids'] = list(
                values['message_follower_ids'])
        return super(MailThread, self).create(values)

    @api.multi
    @api.returns('self', lambda value: value.id)
    def message_post(self, *args, **kwargs):
        self._meddev_check_author(kwargs.get('author_id'))
        self._meddev_check_post(args, kwargs)
        env = self.env
        # The messages created below are message_post's (mail.message's
        # create refuses a forged author or tracking created directly).
        message = super(MailThread, self.with_context(
            **{POST_KEY: POST_MARK})).message_post(*args, **kwargs)
        return message.with_env(env)

    @api.multi
    def message_track(self, tracked_fields, initial_values):
        # Its posts carry the tracking values it computed (message_post
        # refuses tracking values from any other caller). Over RPC it is
        # of no use: the initial values come keyed by record id, which
        # neither JSON nor XML-RPC can send (KeyError).
        depth = getattr(_TRACKING, 'depth', 0)
        _TRACKING.depth = depth + 1
        try:
            return super(MailThread, self).message_track(
                tracked_fields, initial_values)
        finally:
            _TRACKING.depth = depth

    def _meddev_check_post(self, args, kwargs):
        """Refuse, on a model that keeps its audit trail, the keyword
        arguments of message_post that Odoo's own callers of a user's post
        never send: tracking values (message_track's own, marked, pass),
        a date, a Message-Id, a message type other than a comment or a
        notification (a mail, as if received). Odoo writes every keyword
        argument it does not know on the message as it comes. The
        superuser and the server's code (the mail gateway's post of a
        received mail) still may."""
        if not getattr(self, '_meddev_audit_trail', False):
            return
        refused = set(kwargs) & POST_REFUSED
        if getattr(_TRACKING, 'depth', 0):
            refused.discard('tracking_value_ids')
        message_type = args[2] if len(args) > 2 else kwargs.get(
            'message_type', 'notification')
        if message_type not in POST_TYPES:
            refused.add('message_type')
        trail = self.env['meddev.audit.trail.mixin']
        if trail._meddev_audit_bypass():
            return
        self._meddev_check_post_files(kwargs.get('attachment_ids'))
        if not refused:
            return
        raise AccessError(
            _('%(records)s: a post on this audit trail cannot set '
              '%(fields)s (the server sets them).') % {
                'records': trail._meddev_trail_labels(
                    [(self._name, self.sudo())]) or self._description,
                'fields': ', '.join(sorted(refused))})

    def _meddev_check_post_files(self, attachment_ids):
        """Refuse ``attachment_ids`` (message_post's ids) other than this
        record's files and the files the caller uploaded for the post
        (the composer's: Odoo moves them onto the record). Odoo links any
        other file as it is: attached to another record (a contact), or to
        none, it stayed the owner's to replace or delete while the kept
        message shows it."""
        if not attachment_ids:
            return
        # Read as the server: where each file is, whoever may read it.
        self.env.cr.execute("""
            SELECT id FROM ir_attachment
             WHERE id IN %s
               AND NOT (COALESCE(res_model, '') = %s
                        AND COALESCE(res_id, 0) IN %s)
               AND NOT (COALESCE(res_model, '') = 'mail.compose.message'
                        AND COALESCE(create_uid, 0) = %s)""",
                            (tuple(attachment_ids), self._name,
                             tuple(self.ids) or (0,), self.env.uid))
        if not self.env.cr.fetchall():
            return
        trail = self.env['meddev.audit.trail.mixin']
        raise AccessError(
            _('%(records)s: a post on this audit trail takes its own files '
              'and the files you upload with it only; attach a new file '
              'instead.') % {
                'records': trail._meddev_trail_labels(
                    [(self._name, self.sudo())]) or self._description})

    def _meddev_check_author(self, author_id):
        """Refuse ``author_id`` (a partner id, or False for no author)
        unless it is the current user's partner, on a model that keeps its
        audit trail; the superuser and the server's code may name
        another."""
        if author_id is None or \
                not getattr(self, '_meddev_audit_trail', False) or \
                author_id == self.env.user.partner_id.id:
            return
        trail = self.env['meddev.audit.trail.mixin']
        if trail._meddev_audit_bypass():
            return
        author = self.env['res.partner'].sudo().browse(author_id).exists()
        raise AccessError(
            _('%(records)s: you post under your own name, never as '
              '%(author)s.') % {
                'records': trail._meddev_trail_labels(
                    [(self._name, self.sudo())]) or self._description,
                'author': author.display_name or _('nobody')})

    @api.model
    def message_route_process(self, message, message_dict, routes):
        """The superuser's fetch (the mail gateway) posts each mail as its
        route's user (an alias owner) with the sender as author: marked,
        so that the author check lets it through. Any other caller of this
        public method is not."""
        if self.env.uid == SUPERUSER_ID:
            self = self.with_context(**{GATEWAY_KEY: GATEWAY_MARK})
        return super(MailThread, self).message_route_process(
            message, message_dict, routes)

    @api.model
    def message_parse(self, message, save_original=False):
        self._meddev_repair_headers(message)
        return super(MailThread, self).message_parse(
            message, save_original=save_original)

    @api.model
    def _meddev_repair_headers(self, message):
        """Replace, in ``message`` itself (routing reads it afterwards),
        every header Odoo's decoder refuses by its lenient decoding,
        re-encoded so that every later reader decodes it."""
        for name in set(message.keys()):
            values = message.get_all(name, [])
            broken = False
            for value in values:
                if isinstance(value, Header):
                    # Raw 8-bit bytes: Odoo reads the header as a string.
                    broken = True
                    continue
                try:
                    tools.decode_smtp_header(value)
                except (HeaderParseError, LookupError, UnicodeError,
                        ValueError):
                    broken = True
            if not broken:
                continue
            _logger.info('Mail header %s could not be decoded, decoded '
                         'leniently: %r', name, values)
            del message[name]
            for value in values:
                fixed = decode_header_leniently(header_text(value))
                try:
                    fixed.encode('ascii')
                except UnicodeError:
                    fixed = Header(fixed, 'utf-8').encode()
                message[name] = fixed
