from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MeddevDeviceCategory(models.Model):
    """A node of the medical device classification catalogue.

    Licences name the categories they cover, products name the category they
    belong to; the hierarchy lets a licence for a category cover its children.
    """

    _name = 'meddev.device.category'
    _description = 'Medical Device Category'
    _parent_name = 'parent_id'
    _parent_store = True
    _parent_order = 'code, name'
    _rec_name = 'complete_name'
    _order = 'parent_left'

    name = fields.Char(required=True, index=True, translate=True)
    code = fields.Char(
        index=True,
        help="Code of the category in the classification catalogue, "
             "e.g. 06 or 06-03.")
    complete_name = fields.Char(
        compute='_compute_complete_name', store=True, index=True,
        help="Names of the parent categories and of this one.")
    parent_id = fields.Many2one(
        'meddev.device.category', string='Parent Category', index=True,
        ondelete='restrict')
    child_ids = fields.One2many(
        'meddev.device.category', 'parent_id', string='Subcategories')
    # Odoo 11 nested-set columns: make child_of searches one range query.
    parent_left = fields.Integer('Left Parent', index=True)
    parent_right = fields.Integer('Right Parent', index=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ('code_uniq', 'unique (code)',
         'The code of a device category must be unique.'),
    ]

    @api.depends('name', 'parent_id.complete_name')
    def _compute_complete_name(self):
        """Give each category the path of names from its root down."""
        for category in self:
            if category.parent_id:
                category.complete_name = '%s / %s' % (
                    category.parent_id.complete_name, category.name)
            else:
                category.complete_name = category.name

    @api.multi
    def name_get(self):
        """Show the path in the user's language: the stored complete name
        is in English, the language the names are written in."""
        if (self.env.lang or 'en_US') == 'en_US':
            return super(MeddevDeviceCategory, self).name_get()
        result = []
        for category in self:
            names = []
            node = category
            while node:
                names.append(node.name)
                node = node.parent_id
            result.append((category.id, ' / '.join(reversed(names))))
        return result

    def _ancestor_ids_map(self):
        """Return {category id: set of ids of the category and all its
        ancestors} for these categories, in one recursive query.

        Walks ``parent_id`` rather than the nested-set bounds: Odoo 11
        leaves the bounds empty for categories created while the registry
        loads (module installation, at-install tests) and fills them only
        at the end of the load."""
        if not self.ids:
            return {}
        self.env.cr.execute("""
            WITH RECURSIVE ancestry(category_id, ancestor_id) AS (
                SELECT id, id FROM meddev_device_category WHERE id = ANY(%s)
              UNION
                SELECT a.category_id, c.parent_id
                FROM ancestry a
                JOIN meddev_device_category c ON c.id = a.ancestor_id
                WHERE c.parent_id IS NOT NULL
            )
            SELECT category_id, ancestor_id FROM ancestry
        """, (list(self.ids),))
        result = {category_id: set() for category_id in self.ids}
        for category_id, ancestor_id in self.env.cr.fetchall():
            result[category_id].add(ancestor_id)
        return result

    @api.constrains('parent_id')
    def _check_parent_id(self):
        """Refuse a parent that would make a category its own ancestor."""
        for category in self:
            if not category._check_recursion():
                raise ValidationError(
                    _('Device category "%(category)s" cannot be placed under '
                      'itself or under one of its subcategories.') % {
                        'category': category.complete_name,
                    })
