"""Deleting the drafts of regulated records.

``meddev.regulated.mixin`` (meddev_base) refuses every deletion. Licences
and first-business reviews become regulated records once submitted or
decided: a draft that no reviewer has seen is a data-entry mistake that its
author may still delete.
"""

from odoo.addons.meddev_base.models.meddev_regulated_mixin import \
    MeddevRegulatedMixin


def unlink_drafts(drafts):
    """Delete ``drafts`` through every unlink override of their model except
    the mixin's refusal: the chatter, followers, activities and approval
    tiers go with them. Their model lists ``meddev.regulated.mixin`` first
    in ``_inherit``, so that these overrides come after the mixin."""
    # Until the mixin lets a model say which of its records are kept (see
    # the README), skipping its unlink is the only way past it.
    return super(MeddevRegulatedMixin, drafts).unlink()
