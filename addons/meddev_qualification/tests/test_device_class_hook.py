from .common import MeddevTradeCase


class TestDeviceClassHook(MeddevTradeCase):
    """Modules that cannot depend on meddev_qualification (service's SLA
    policies and engineer skills) read a product's regulated class through
    ``_meddev_device_classes``, called only when it exists."""

    def _classes(self, records):
        # As such a module calls it: through getattr, with a fallback.
        hook = getattr(records, '_meddev_device_classes', None)
        return hook() if hook else {}

    def test_variants_and_templates_in_one_call(self):
        products = self.product_i | self.product_ii | self.product_xray \
            | self.product_plain
        self.assertEqual(self._classes(products), {
            self.product_i.id: 'I', self.product_ii.id: 'II',
            self.product_xray.id: 'III', self.product_plain.id: 'none'})
        templates = products.mapped('product_tmpl_id')
        self.assertEqual(self._classes(templates), {
            self.product_i.product_tmpl_id.id: 'I',
            self.product_ii.product_tmpl_id.id: 'II',
            self.product_xray.product_tmpl_id.id: 'III',
            self.product_plain.product_tmpl_id.id: 'none'})
        self.assertEqual(self._classes(templates.browse()), {})

    def test_reads_with_the_callers_rights(self):
        # A service engineer reads products, not the regulatory menus.
        engineer = self._create_user(
            'hook_engineer', self.env.ref('base.group_user'))
        self.assertEqual(
            self._classes(self.product_xray.sudo(engineer)),
            {self.product_xray.id: 'III'})
