from odoo.exceptions import AccessError, UserError, ValidationError

from ..controllers import portal as supplier_portal

from .common import (
    MeddevCapaCase, call_button, frozen_now, portal_request, rpc_write)


class TestCapa(MeddevCapaCase):

    def test_open_from_complaint(self):
        capa = self._capa()
        self.assertRegex(capa.name, r'^CAPA/')
        self.assertEqual(capa.complaint_ids, self.complaint)
        self.assertEqual(capa.source, 'complaint')
        self.assertEqual(capa.product_id, self.pump)
        self.assertIn(self.complaint.name, capa.problem)
        # The button shows the same CAPA the second time.
        again = call_button(self.complaint.sudo(self.user), 'action_open_capa')
        self.assertEqual(again['res_id'], capa.id)
        capa.write({'severity': '5', 'occurrence': '4'})
        self.assertEqual((capa.risk_score, capa.risk_level), (20, 'high'))
        # Each action owner got a to-do.
        todo = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.capa.action'),
            ('res_id', 'in', capa.action_ids.ids)])
        self.assertEqual(todo.mapped('user_id'), self.owner)

    def test_action_needs_evidence(self):
        capa = self._capa()
        call_button(capa, 'action_open')
        action = capa.action_ids[0].sudo(self.owner)
        with self.assertRaisesRegex(UserError, 'needs evidence'):
            call_button(action, 'action_done')
        self._evidence(action)
        call_button(action, 'action_done')
        self.assertEqual(action.state, 'done')
        with self.assertRaisesRegex(UserError, 'no longer change'):
            action.write({'due_date': '2026-12-31'})

    def test_verification_needs_every_action_done(self):
        capa = self._capa()
        call_button(capa, 'action_open')
        first = capa.action_ids[0].sudo(self.owner)
        self._evidence(first)
        call_button(first, 'action_done')
        with self.assertRaisesRegex(UserError, 'is not done'):
            call_button(capa, 'action_to_verification')
        with self.assertRaisesRegex(AccessError, 'quality manager'):
            call_button(capa.action_ids[1], 'action_cancel')
        call_button(capa.action_ids[1].sudo(self.manager), 'action_cancel')
        capa.implementation_note = '已核查'
        call_button(capa, 'action_check_implementation')
        call_button(capa, 'action_to_verification')
        self.assertEqual(capa.state, 'verification')
        todo = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.capa'), ('res_id', '=', capa.id)])
        self.assertEqual(todo.user_id, self.verifier)

    def test_verifier_independent(self):
        capa = self._capa()
        with self.assertRaisesRegex(ValidationError, 'independent'), \
                self.cr.savepoint():
            capa.write({'verifier_id': self.owner.id})
        capa.invalidate_cache()
        with self.assertRaisesRegex(ValidationError, 'independent'), \
                self.cr.savepoint():
            self.env['meddev.capa.action'].sudo(self.user).create({
                'capa_id': capa.id, 'name': 'Verify myself',
                'owner_id': self.verifier.id, 'due_date': '2026-04-30'})
        capa.invalidate_cache()
        self.assertEqual(len(capa.action_ids), 2)
        self._implement(capa)
        capa.sudo(self.verifier).effectiveness_note = 'OK'
        # Only the verifier records the result.
        for user in (self.user, self.owner, self.manager):
            with self.assertRaisesRegex(UserError, 'only its verifier'):
                call_button(capa.sudo(user), 'action_effective')
        self.assertEqual(capa.effectiveness_result, 'pending')

    def test_ineffective_reopens(self):
        capa = self._capa()
        self._implement(capa)
        verified = capa.sudo(self.verifier)
        with self.assertRaisesRegex(UserError, 'evidence'):
            call_button(verified, 'action_ineffective')
        verified.effectiveness_note = '两周后同批次再次投诉'
        call_button(verified, 'action_ineffective')
        self.assertEqual(capa.state, 'open')
        self.assertEqual(capa.effectiveness_result, 'ineffective')
        self.assertEqual(capa.reopen_count, 1)
        self.assertIn('reopened', capa.message_ids[0].body)

    def test_approval_and_closure_signed(self):
        capa = self._to_approval(self._capa())
        self.assertEqual(capa.state, 'approval')
        # Entering approval asks the tier reviewers.
        self.assertTrue(capa.review_ids)
        # Closing before the tier is approved is refused.
        with self.assertRaisesRegex(UserError, 'approval tier'):
            call_button(capa.sudo(self.manager),
                        'action_request_closure_signature')
        self.assertTrue(capa.review_ids)
        self.assertTrue(capa.sudo(self.manager).can_review)
        # Approving without the signature, by RPC, is refused.
        with self.assertRaisesRegex(UserError, 'electronic signature'):
            call_button(capa.sudo(self.manager), 'validate_tier')
        # A quality user is no reviewer (the transaction, signature
        # included, rolls back).
        with self.assertRaisesRegex(UserError, 'not a reviewer'), \
                self.cr.savepoint():
            self._sign(self.user, capa, 'action_request_approval_signature',
                       'approval')
        # Wrong password: refused, nothing approved.
        with self.assertRaisesRegex(UserError, 'Wrong password'):
            self._sign(self.manager, capa,
                       'action_request_approval_signature', 'approval',
                       password='wrong')
        self.assertFalse(capa.validated)
        self._sign(self.manager, capa, 'action_request_approval_signature',
                   'approval')
        self.assertTrue(capa.validated)
        with self.assertRaisesRegex(UserError, 'Wrong password'):
            self._sign(self.manager, capa,
                       'action_request_closure_signature', 'closure',
                       password='wrong')
        self.assertEqual(capa.state, 'approval')
        self._sign(self.manager, capa, 'action_request_closure_signature',
                   'closure')
        self.assertEqual(capa.state, 'closed')
        signatures = self.env['meddev.esignature'].search([
            ('res_model', '=', 'meddev.capa'), ('res_id', '=', capa.id)])
        self.assertEqual(sorted(signatures.mapped('meaning')),
                         ['approval', 'closure'])
        self.assertEqual(signatures.mapped('user_id'), self.manager)
        self.assertEqual(capa.signature_count, 2)
        # Closing without a signature (RPC) is refused as well.
        with self.assertRaises(UserError):
            call_button(capa.sudo(self.manager), 'action_close_signed')

    def test_closure_by_rpc_without_signature_refused(self):
        capa = self._to_approval(self._capa())
        self._sign(self.manager, capa, 'action_request_approval_signature',
                   'approval')
        with self.assertRaisesRegex(UserError, 'electronic signature'):
            call_button(capa.sudo(self.manager), 'action_close_signed')
        self.assertEqual(capa.state, 'approval')
        with self.assertRaisesRegex(UserError, 'buttons'):
            capa.sudo(self.manager).write({'state': 'closed'})
        with self.assertRaisesRegex(UserError, 'buttons'):
            capa.sudo(self.manager).with_context(
                meddev_capa_transition=True).write({'state': 'closed'})
        self.assertEqual(capa.state, 'approval')
        with self.assertRaisesRegex(UserError, 'Cancel it instead'):
            capa.sudo().unlink()

    def test_overdue_action_cron_once(self):
        capa = self._capa()
        actions = self.env['meddev.capa.action']
        with frozen_now('2026-05-01 08:00:00'):
            reminded = actions.with_context(
                tz='UTC')._cron_overdue_actions()
            # (Demo data may hold overdue actions of its own.)
            self.assertEqual(reminded & capa.action_ids, capa.action_ids)
            self.assertFalse(
                actions._cron_overdue_actions() & capa.action_ids)
        # One message on the CAPA lists both overdue actions.
        message = capa.message_ids[0]
        self.assertIn('was due', message.body)
        for action in capa.action_ids:
            self.assertIn(action.name, message.body)
        self.assertEqual(len(capa.message_ids.filtered(
            lambda message: 'was due' in (message.body or ''))), 1)
        todo = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.capa.action'),
            ('res_id', 'in', capa.action_ids.ids),
            ('summary', 'like', 'Overdue')])
        self.assertEqual(len(todo), 2)

    def test_supplier_corrective_action(self):
        capa = self._capa()
        supplier = self.env['res.partner'].create({
            'name': '深圳精密电子有限公司', 'supplier': True,
            'email': 'qa@jingmi.example.com'})
        board = self.env['product.product'].create({
            'name': '报警电路板', 'type': 'product', 'tracking': 'lot'})
        lot = self.env['stock.production.lot'].create({
            'name': 'AB-2603', 'product_id': board.id})
        self._receive(supplier, lot)
        action = self.env['meddev.capa.action'].sudo(self.user).create({
            'capa_id': capa.id, 'name': '供应商纠正措施：报警电路板',
            'owner_id': self.owner.id, 'due_date': '2026-04-15',
            'supplier_id': supplier.id,
            'supplier_lot_ids': [(6, 0, lot.ids)]})
        call_button(action, 'action_send_to_supplier')
        self.assertTrue(action.sent_date)
        message = action.message_ids[0]
        self.assertIn(supplier, message.partner_ids)
        self.assertIn('AB-2603', message.body)
        self.assertIn(supplier, action.message_partner_ids)
        with self.assertRaisesRegex(UserError, 'not addressed'):
            call_button(capa.action_ids.filtered(
                lambda other: not other.supplier_id)[0],
                'action_send_to_supplier')

    def test_rejected_approval_reopens(self):
        capa = self._to_approval(self._capa())
        with self.assertRaisesRegex(UserError, 'only a rejected'):
            call_button(capa.sudo(self.manager), 'action_reopen')
        call_button(capa.sudo(self.manager), 'reject_tier')
        self.assertTrue(capa.rejected)
        call_button(capa.sudo(self.manager), 'action_reopen')
        self.assertEqual(capa.state, 'open')
        self.assertEqual(capa.effectiveness_result, 'pending')
        self.assertFalse(capa.review_ids)
        self.assertIn('rejected', capa.message_ids[0].body)

    def test_only_verdicts_count_as_ineffective(self):
        capa = self._to_approval(self._capa())
        call_button(capa.sudo(self.manager), 'reject_tier')
        call_button(capa.sudo(self.manager), 'action_reopen')
        self.assertEqual((capa.reopen_count, capa.ineffective_count), (1, 0))
        # The reopened CAPA's implementation is checked anew.
        self.assertFalse(capa.implementation_checked_by_id)
        capa.sudo(self.manager).implementation_note = '补充措施已核查'
        call_button(capa, 'action_check_implementation')
        call_button(capa, 'action_to_verification')
        verified = capa.sudo(self.verifier)
        verified.effectiveness_note = '同批次再次投诉'
        call_button(verified, 'action_ineffective')
        self.assertEqual((capa.reopen_count, capa.ineffective_count), (2, 1))
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            capa.write({'ineffective_count': 0})

    def _supplier_requests(self):
        """Return (the supplier's contact, its portal user, its request,
        another supplier's request), neither sent yet."""
        capa = self._capa()
        supplier = self.env['res.partner'].create({
            'name': '苏州华芯电子', 'is_company': True, 'supplier': True})
        contact = self.env['res.partner'].create({
            'name': '李工', 'parent_id': supplier.id,
            'email': 'li@huaxin.example.com'})
        portal = self.env['res.users'].create({
            'name': '李工', 'login': 'qa_supplier_portal',
            'partner_id': contact.id,
            'groups_id': [(6, 0, self.env.ref('base.group_portal').ids)]})
        other_supplier = self.env['res.partner'].create({
            'name': '其他供应商', 'is_company': True, 'supplier': True})
        actions = self.env['meddev.capa.action']
        mine = actions.create({
            'capa_id': capa.id, 'name': '焊接工艺整改',
            'owner_id': self.owner.id, 'due_date': '2026-04-15',
            'supplier_id': supplier.id})
        theirs = actions.create({
            'capa_id': capa.id, 'name': '包装整改',
            'owner_id': self.owner.id, 'due_date': '2026-04-15',
            'supplier_id': other_supplier.id})
        return contact, portal, mine, theirs

    def test_supplier_answers_through_the_portal_routes(self):
        _contact, portal, mine, theirs = self._supplier_requests()
        call_button(mine, 'action_send_to_supplier')
        call_button(theirs, 'action_send_to_supplier')
        routes = supplier_portal.SupplierActionPortal()
        with portal_request(self.env, portal, supplier_portal):
            page = routes.portal_my_supplier_actions()
            self.assertEqual(page.template,
                             'meddev_quality_capa.portal_my_supplier_actions')
            self.assertEqual(page.qcontext['actions'], mine)
            self.assertEqual(page.qcontext['supplier_action_count'], 1)
            # Another supplier's request: back to My Account.
            for response in (
                    routes.portal_my_supplier_action(theirs.id),
                    routes.portal_respond_supplier_action(
                        theirs.id, response='x')):
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response.location.endswith('/my'))
            # An empty answer: the request again, with the reason.
            page = routes.portal_respond_supplier_action(
                mine.id, response='  ')
            self.assertEqual(page.template,
                             'meddev_quality_capa.portal_my_supplier_action')
            self.assertIn('Write your answer', page.qcontext['error'])
            response = routes.portal_respond_supplier_action(
                mine.id, response='8D 报告：已改为选择性波峰焊')
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.location.endswith(
            '/my/supplier-actions/%d' % mine.id))
        self.assertEqual(mine.supplier_response, '8D 报告：已改为选择性波峰焊')
        self.assertFalse(theirs.supplier_response)

    def test_supplier_answers_on_the_portal(self):
        contact, portal, mine, theirs = self._supplier_requests()
        actions = self.env['meddev.capa.action']
        portal_actions = actions.sudo(portal)
        # Not sent yet: not on the portal.
        self.assertFalse(portal_actions._portal_supplier_actions())
        call_button(mine, 'action_send_to_supplier')
        call_button(theirs, 'action_send_to_supplier')
        self.assertEqual(portal_actions._portal_supplier_actions(), mine)
        with self.assertRaises(AccessError):
            portal_actions._portal_supplier_action(theirs.id)
        with self.assertRaises(AccessError):
            portal_actions._portal_respond(theirs.id, 'x')
        with self.assertRaises((AccessError, UserError)):
            mine.sudo(portal).write({'supplier_response': 'direct'})
        with self.assertRaisesRegex(UserError, 'Write your answer'):
            portal_actions._portal_respond(mine.id, '  ')
        portal_actions._portal_respond(mine.id, '8D 报告：已改为选择性波峰焊')
        self.assertEqual(mine.supplier_response, '8D 报告：已改为选择性波峰焊')
        # The supplier's words stay theirs: the quality team cannot
        # rewrite them.
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            rpc_write(mine.sudo(self.user), {'supplier_response': '已接受'})
        self.assertTrue(mine.response_date)
        message = mine.message_ids[0]
        self.assertEqual(message.author_id, contact)
        self.assertIn(self.owner.partner_id, message.partner_ids)
        self.assertFalse(theirs.supplier_response)

    def test_only_the_suppliers_portal_users_answer(self):
        """An internal user (a quality user, even a manager) cannot post
        a supplier answer through the portal route or method: only the
        addressed supplier's portal users answer (review of issue 9,
        S2 d)."""
        _contact, portal, mine, _theirs = self._supplier_requests()
        call_button(mine, 'action_send_to_supplier')
        routes = supplier_portal.SupplierActionPortal()
        for user in (self.user, self.manager, self.employee):
            with portal_request(self.env, user, supplier_portal):
                page = routes.portal_my_supplier_actions()
                self.assertFalse(page.qcontext['actions'])
                response = routes.portal_respond_supplier_action(
                    mine.id, response='冒充供应商的答复')
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response.location.endswith('/my'))
            with self.assertRaises(AccessError):
                self.env['meddev.capa.action'].sudo(user)._portal_respond(
                    mine.id, '冒充供应商的答复')
        self.assertFalse(mine.supplier_response)
        self.assertFalse(mine.response_date)
        # The supplier's portal user still answers.
        self.env['meddev.capa.action'].sudo(portal)._portal_respond(
            mine.id, '已提交 8D 报告')
        self.assertEqual(mine.supplier_response, '已提交 8D 报告')

    def test_supplier_sees_only_the_documents_sent_to_it(self):
        """The supplier's portal user reads the files sent to its company
        and its own, not the action's internal evidence (review of issue
        9, S2 c)."""
        _contact, portal, mine, _theirs = self._supplier_requests()
        call_button(mine, 'action_send_to_supplier')
        internal = self._evidence(mine.sudo(self.owner))
        attachments = self.env['ir.attachment']
        sent = attachments.create({
            'name': 'drawing.pdf', 'datas_fname': 'drawing.pdf',
            'res_model': 'meddev.capa.action', 'res_id': mine.id,
            'datas': 'JVBERiBkcmF3aW5n'})
        mine.message_post(body='请按图纸整改', attachment_ids=sent.ids,
                          partner_ids=mine.supplier_id.ids,
                          subtype='mail.mt_comment',
                          message_type='comment')
        noted = attachments.create({
            'name': 'cost.xlsx', 'datas_fname': 'cost.xlsx',
            'res_model': 'meddev.capa.action', 'res_id': mine.id,
            'datas': 'Y29zdA=='})
        mine.message_post(body='内部成本评估', attachment_ids=noted.ids,
                          subtype='mail.mt_note')
        self.assertEqual(internal.res_model, 'meddev.capa.action')
        as_portal = attachments.sudo(portal)
        self.assertEqual(as_portal.search(
            [('res_model', '=', 'meddev.capa.action')]), sent)
        self.assertEqual(as_portal.browse(sent.id).datas_fname,
                         'drawing.pdf')
        for hidden in (internal, noted):
            with self.assertRaisesRegex(AccessError, 'internal evidence'):
                as_portal.browse(hidden.id).read(['datas'])
        # Internal users still read every file of the request.
        self.assertEqual(attachments.sudo(self.user).search(
            [('res_model', '=', 'meddev.capa.action'),
             ('res_id', '=', mine.id)]), internal | sent | noted)
