from .common import MeddevServiceCase


class TestServiceStage(MeddevServiceCase):

    def test_defaults(self):
        stage = self.env['meddev.service.stage'].sudo(self.manager).create(
            {'name': 'New'})
        self.assertEqual(stage.sequence, 10)
        self.assertFalse(stage.fold)
        self.assertFalse(stage.is_closed)

    def test_order(self):
        closed = self._create_stage('Closed', 90, is_closed=True, fold=True)
        new = self._create_stage('New', 1)
        on_site = self._create_stage('Engineer on site', 30)
        dispatched = self._create_stage('Dispatched', 30)
        stages = self.env['meddev.service.stage'].sudo(self.user).search(
            [('id', 'in', (closed | new | on_site | dispatched).ids)])
        # Kanban columns follow the sequence, then the creation order.
        self.assertEqual(
            stages.mapped('name'),
            ['New', 'Engineer on site', 'Dispatched', 'Closed'])

    def test_name_translatable(self):
        # Names are translated only where several languages are active.
        self.env['res.lang'].load_lang('en_US')
        self.env['res.lang'].load_lang('zh_CN')
        stage = self._create_stage('Engineer on site', 30)
        stage.sudo(self.manager).with_context(lang='zh_CN').write(
            {'name': '工程师在现场'})
        stage.invalidate_cache()
        self.assertEqual(stage.with_context(lang='en_US').name,
                         'Engineer on site')
        self.assertEqual(stage.with_context(lang='zh_CN').name,
                         '工程师在现场')
