import binascii
import os
from collections import defaultdict

from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

# The mail gateway's mark (meddev_base/models/mail_thread.py): a mail that
# the superuser's fetch routes to an alias owned by a user is posted as that
# user with the sender as author. A per-process random value, like the
# server mark: a client chooses the context it sends, it cannot guess this.
GATEWAY_KEY = 'meddev_gateway_post'
GATEWAY_MARK = binascii.hexlify(os.urandom(16)).decode()
# message_post's mark on the messages it creates (its author checked
# there): mail.message's create refuses the others a forged author or
# tracking on a kept trail (a message created directly over RPC).
POST_KEY = 'meddev_message_post'
POST_MARK = binascii.hexlify(os.urandom(16)).decode()


class MeddevAuditTrailMixin(models.AbstractModel):
    """A record whose chatter and files are its audit trail (ISO 13485
    §4.2.5, 21 CFR Part 11 §11.10(e)): who changed what and when, what was
    mailed and what was attached as evidence.

    Odoo 11 lets anyone who may write a document delete or rewrite its
    messages (their tracking values go with them), its files, and post
    on it under another author's name. For the records a model keeps
    (``_meddev_kept_records()``: all of them unless the model says
    otherwise; ``meddev.regulated.mixin`` inherits this mixin), the
    messages are never deleted, tracking, mails and system messages never
    edited, and the attached files never deleted, replaced or moved;
    nobody posts on such a model under another name. The superuser and
    the server's own code (``_meddev_as_server()``) are not stopped: the
    guards are in mail.message, mail.tracking.value, ir.attachment and
    mail.thread (meddev_base/models).

    A model that is not a regulated record opts in by listing this mixin
    in its ``_inherit``."""

    _name = 'meddev.audit.trail.mixin'
    _description = 'Audit Trail Kept (chatter and files)'

    # Read by the guards on the model class (any model may be asked).
    _meddev_audit_trail = True

    @api.multi
    def _meddev_kept_records(self):
        """Return those of these records whose trail is kept (all of them
        by default)."""
        return self

    @api.multi
    def _meddev_files_frozen(self):
        """Return those of these records whose files are frozen evidence
        (their kept records by default). A model whose files stay the
        working documents until a step (a CAPA action until done)
        returns fewer."""
        return self._meddev_kept_records()

    @api.model
    def _meddev_audit_bypass(self):
        """Whether the current call may change an audit trail: the
        superuser (data files, ``sudo()``), the server's own code (the
        guarded mixin's mark) or the mail gateway's post for an alias
        owner."""
        return self.env.uid == SUPERUSER_ID \
            or self.env['meddev.guarded.mixin']._meddev_is_server() \
            or self.env.context.get(GATEWAY_KEY) == GATEWAY_MARK

    @api.model
    def _meddev_audit_model(self, model):
        """Whether ``model`` (a name, or False) keeps an audit trail."""
        return bool(model) and model in self.env and getattr(
            self.env[model], '_meddev_audit_trail', False)

    @api.model
    def _meddev_kept_targets(self, targets, files=False):
        """Return the records, as a list (model, records) read as the
        server, among ``targets`` (pairs of model name and id) whose trail
        is kept (with ``files``: whose files are frozen). Whoever asks:
        the refusal must not depend on what the user may read."""
        ids = defaultdict(set)
        for model, res_id in targets:
            if res_id and self._meddev_audit_model(model):
                ids[model].add(res_id)
        kept = []
        for model in sorted(ids):
            records = self.env[model].sudo().browse(
                sorted(ids[model])).exists()
            if records:
                records = records._meddev_files_frozen() if files \
                    else records._meddev_kept_records()
            if records:
                kept.append((model, records))
        return kept

    @api.model
    def _meddev_trail_labels(self, kept):
        """The records of ``kept`` (see ``_meddev_kept_targets``), named
        for a message: at most five."""
        names = []
        for _model, records in kept:
            names.extend(records.mapped('display_name'))
        return ', '.join(names[:5]) + (', ...' if len(names) > 5 else '')

    @api.model
    def _meddev_refuse_trail_change(self, kept, what):
        """Raise the refusal of ``what`` (a translated sentence) on the
        trail of the ``kept`` records."""
        raise AccessError(
            _('The chatter and files of %(records)s are its audit trail: '
              '%(what)s') % {'records': self._meddev_trail_labels(kept),
                             'what': what})
