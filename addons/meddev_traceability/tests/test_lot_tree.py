from lxml import html

from .common import MeddevTraceabilityCase


class TestLotTree(MeddevTraceabilityCase):
    """The genealogy tree on the lot form: nested, escaped, cycle-proof."""

    @classmethod
    def setUpClass(cls):
        super(TestLotTree, cls).setUpClass()
        cls.cable = cls._create_product('Cable Set CB-1', 'lot')
        cls.module = cls._create_product('Main <Module>', 'lot')
        cls.cable_lot = cls._create_lot(cls.cable, 'CB1-<script>x</script>')
        cls.module_lot = cls._create_lot(cls.module, 'MM1-A')
        cls._create_link(cls.module_lot, cls.board_lot, quantity=2.0)
        cls._create_link(cls.module_lot, cls.cable_lot, quantity=1.5)
        cls._create_link(cls.serial, cls.module_lot)

    def _tree(self, fragment):
        """Return the nesting as [(text, [children])] from the HTML."""
        root = html.fromstring('<div>%s</div>' % fragment)

        def walk(ul):
            return [(' '.join(li.xpath('./text() | ./*[not(self::ul)]'
                                       '/text()')).split(),
                     walk(li.find('ul')) if li.find('ul') is not None
                     else [])
                    for li in ul.findall('li')]
        return walk(root.find('ul'))

    def test_component_tree_nested(self):
        lot = self.serial.sudo(self.user)
        tree = self._tree(lot.component_tree_html)
        self.assertEqual(len(tree), 1)
        module_words, below = tree[0]
        self.assertEqual(module_words[:1], ['1'])
        self.assertIn('MM1-A', module_words)
        self.assertIn('<Module>', module_words)
        self.assertEqual(
            [(words[0], words[-3], words[-1]) for words, _below in below],
            [('2', 'MB2-L042', '2'), ('2', 'CB1-<script>x</script>', '1.5')]
            if self.board_lot.id < self.cable_lot.id else
            [('2', 'CB1-<script>x</script>', '1.5'), ('2', 'MB2-L042', '2')])
        self.assertEqual([child for _words, child in below], [[], []])

    def test_assembly_tree_nested(self):
        tree = self._tree(self.cable_lot.sudo(self.user).assembly_tree_html)
        self.assertEqual(len(tree), 1)
        words, below = tree[0]
        self.assertIn('MM1-A', words)
        self.assertEqual(len(below), 1)
        self.assertIn('PM9-0001', below[0][0])
        self.assertEqual(below[0][0][0], '2')

    def test_values_escaped(self):
        fragment = self.serial.component_tree_html
        self.assertNotIn('<script>', fragment)
        self.assertIn('CB1-&lt;script&gt;x&lt;/script&gt;', fragment)
        self.assertIn('Main &lt;Module&gt;', fragment)

    def test_no_link(self):
        self.assertIn('No linked lot', self.serial.assembly_tree_html)

    def test_cycle_shown_not_raised(self):
        self._insert_link_sql(self.cable_lot, self.serial)
        self.serial.invalidate_cache()
        fragment = self.serial.component_tree_html
        self.assertIn('cycle', fragment)
        self.assertIn('text-danger', fragment)
        self.assertNotIn('<li', fragment)
