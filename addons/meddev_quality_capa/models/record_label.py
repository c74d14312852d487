from odoo.exceptions import AccessError, MissingError


def readable_label(env, model, res_id):
    """Return how to name the record (``model``, ``res_id``) in a refusal
    to the current user: its name when they may read it, else only what
    it is (the model's description), so that a refusal never reveals the
    name of a record of another company or another team."""
    record = env[model].browse(res_id)
    try:
        record.check_access_rights('read')
        record.check_access_rule('read')
        return record.display_name
    except (AccessError, MissingError):
        return record._description
