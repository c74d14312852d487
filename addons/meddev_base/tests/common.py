from odoo.tests.common import SavepointCase


def create_user(env, login, groups, company=None, password=None, **vals):
    """Return a new user holding exactly ``groups`` (and what they imply):
    a ``res.groups`` recordset or xml ids. Shared by the suite's tests
    (``from odoo.addons.meddev_base.tests.common import create_user``).

    The user is named after ``login``, has ``login@example.com`` as email
    (Odoo refuses chatter messages of users without one), the time zone of
    the user who builds the data (tests compute "today" as that user),
    ``password`` if given, and belongs to ``company`` only when given.
    ``vals`` are added to the values (``tz``, ``lang``...)."""
    if not isinstance(groups, type(env['res.groups'])):
        groups = env['res.groups'].browse(
            [env.ref(xml_id).id for xml_id in groups])
    values = {
        'name': login.replace('_', ' ').title(),
        'login': login,
        'email': '%s@example.com' % login,
        'tz': env.user.tz or 'UTC',
        'groups_id': [(6, 0, groups.ids)],
    }
    if password:
        values['password'] = password
    if company:
        values.update(company_id=company.id,
                      company_ids=[(6, 0, company.ids)])
    values.update(vals)
    return env['res.users'].with_context(no_reset_password=True).create(
        values)


class MeddevBaseCase(SavepointCase):
    """Base class: an internal user with a known password."""

    PASSWORD = 'S1gn-Me-Right'

    @classmethod
    def setUpClass(cls):
        super(MeddevBaseCase, cls).setUpClass()
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.signer = cls._create_user('esign_user')
        cls.partner = cls.env['res.partner'].create(
            {'name': '上海仁济医院 (signature test)'})

    @classmethod
    def _create_user(cls, login, groups=None, company=None, **vals):
        """Return a new internal user whose password is PASSWORD (an
        employee who manages contacts unless ``groups`` say otherwise);
        see ``create_user``."""
        return create_user(
            cls.env, login,
            groups or ('base.group_user', 'base.group_partner_manager'),
            company=company, password=cls.PASSWORD, **vals)
