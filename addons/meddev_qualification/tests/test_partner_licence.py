from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import MeddevTradeCase


class TestPartnerLicence(MeddevTradeCase):

    def _draft(self, **values):
        vals = {
            'partner_id': self.distributor.id,
            'licence_type_id': self.type_trading.id,
            'number': '京食药监械经营许20150035号',
            'valid_from': '2020-06-18',
            'valid_to': '2025-06-17',
            'scope_category_ids': [(6, 0, self.cat_imaging.ids)],
        }
        vals.update(values)
        return self.env['meddev.partner.licence'].sudo(self.user).create(vals)

    def test_workflow(self):
        licence = self._draft(credit_code='91110105ma01abcd39')
        self.assertEqual(licence.state, 'draft')
        # Stored normalised.
        self.assertEqual(licence.credit_code, '91110105MA01ABCD39')
        licence.action_submit()
        self.assertEqual(licence.state, 'submitted')
        licence.sudo(self.reviewer).action_approve()
        self.assertEqual(licence.state, 'approved')
        self.assertEqual(licence.reviewer_id, self.reviewer)
        self.assertTrue(licence.review_date)
        licence.sudo(self.reviewer).revoke('Suspended by the NMPA')
        self.assertEqual(licence.state, 'revoked')
        self.assertEqual(licence.decision_note, 'Suspended by the NMPA')

    def test_reject_and_resubmit(self):
        licence = self._draft()
        licence.action_submit()
        licence.sudo(self.reviewer).reject('Blurred scan')
        self.assertEqual(licence.state, 'rejected')
        with self.assertRaisesRegex(UserError, 'cannot be changed'):
            licence.sudo(self.user).write({'holder_name': 'X'})
        licence.sudo(self.user).action_submit()
        self.assertEqual(licence.state, 'submitted')

    def test_only_reviewers_decide(self):
        licence = self._draft()
        licence.action_submit()
        with self.assertRaisesRegex(AccessError, 'Only qualification'):
            licence.sudo(self.user).action_approve()
        # Not through a plain write either: the server checks the group.
        with self.assertRaisesRegex(AccessError, 'Only qualification'):
            licence.sudo(self.user).write({'state': 'approved'})
        with self.assertRaisesRegex(AccessError, 'under review'):
            licence.sudo(self.user).write({'number': '京食药监械经营许20150036号'})
        licence.sudo(self.reviewer).write(
            {'number': '京食药监械经营许20150036号'})
        # Four eyes: the reviewer who changed it leaves the approval to
        # another.
        with self.assertRaisesRegex(UserError, 'Four eyes'):
            licence.sudo(self.reviewer).action_approve()
        licence.sudo(self.manager).action_approve()
        with self.assertRaisesRegex(AccessError, 'Only qualification'):
            licence.sudo(self.user).action_revoke()
        with self.assertRaisesRegex(AccessError, 'Only qualification'):
            licence.sudo(self.user).write({'state': 'revoked'})
        self.assertEqual(licence.state, 'approved')

    def test_no_skipping_review(self):
        licence = self._draft()
        with self.assertRaisesRegex(UserError, 'cannot go from Draft'):
            licence.sudo(self.reviewer).write({'state': 'approved'})
        with self.assertRaisesRegex(UserError, 'created as a draft'):
            self._draft(state='approved')

    def test_approved_is_read_only(self):
        licence = self._draft()
        licence.action_submit()
        licence.sudo(self.reviewer).action_approve()
        for user in self.user | self.reviewer | self.manager:
            with self.assertRaisesRegex(
                    UserError, 'is Approved and cannot be changed'):
                licence.sudo(user).write({'valid_to': '2030-01-01'})
        with self.assertRaisesRegex(UserError, 'only submitted'):
            licence.sudo(self.reviewer).action_approve()

    def test_never_deleted_once_submitted(self):
        draft = self._draft()
        submitted = self._draft(number='京食药监械经营许20150037号')
        submitted.action_submit()
        with self.assertRaisesRegex(UserError, 'cannot be deleted'):
            submitted.sudo(self.manager).unlink()
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_number_pattern(self):
        with self.assertRaisesRegex(
                ValidationError, 'does not have the form of a Test Trading '
                'Licence number.*京食药监械经营许20150035号'):
            self._draft(number='ABC-123')

    def test_credit_code_checked(self):
        with self.assertRaisesRegex(
                ValidationError, "91110105MA01ABCD38.*check character "
                "should be .{1,2}9.{1,2}, not .{1,2}8"):
            self._draft(credit_code='91110105MA01ABCD38')
        with self.assertRaisesRegex(ValidationError, '18 characters'):
            self._draft(credit_code='9111010')

    def test_dates(self):
        with self.assertRaisesRegex(ValidationError, 'cannot be long-term'):
            self._draft(long_term=True, valid_to=False)
        with self.assertRaisesRegex(ValidationError, 'ends .* before it'):
            self._draft(valid_from='2025-01-01', valid_to='2024-01-01')
        licence = self._draft(valid_to=False)
        with self.assertRaisesRegex(UserError, 'needs an end date'):
            licence.action_submit()
        long_term = self.env['meddev.partner.licence'].sudo(self.user).create({
            'partner_id': self.distributor.id,
            'licence_type_id': self.type_business.id,
            'number': '91110105MA01ABCD39',
            'long_term': True, 'valid_to': '2030-01-01',
        })
        self.assertFalse(long_term.valid_to)
        long_term.action_submit()
        self.assertEqual(long_term.state, 'submitted')

    def test_scope_required(self):
        licence = self._draft(scope_category_ids=[(5, 0, 0)])
        with self.assertRaisesRegex(UserError, 'business scope'):
            licence.action_submit()

    def test_state_changes_tracked(self):
        licence = self._draft().with_context(tracking_disable=False)
        licence.action_submit()
        licence.sudo(self.reviewer).with_context(
            tracking_disable=False).action_approve()
        values = licence.sudo().message_ids.mapped('tracking_value_ids').filtered(
            lambda v: v.field == 'state')
        self.assertEqual(
            set(values.mapped('new_value_char')), {'Submitted', 'Approved'})

    def test_employee_cannot_read(self):
        licence = self._draft()
        with self.assertRaises(AccessError):
            licence.sudo(self.employee).read(['number'])

    def test_recorded_on_the_company(self):
        contact = self.env['res.partner'].create(
            {'name': 'Li Na', 'parent_id': self.distributor.id})
        with self.assertRaisesRegex(
                ValidationError, 'must be recorded on Kangda Medical, not on '
                'its contact Kangda Medical, Li Na'):
            self._draft(partner_id=contact.id)


# Companies created here need the columns that later modules add.
@at_install(False)
@post_install(True)
class TestLicenceCompanies(MeddevTradeCase):

    def test_companies_kept_apart(self):
        other_company = self.env['res.company'].create(
            {'name': 'Other Medical Co.'})
        other_reviewer = self._create_user(
            'other_reviewer', self.group_reviewer)
        other_reviewer.write({'company_ids': [(6, 0, other_company.ids)],
                              'company_id': other_company.id})
        licence = self._create_licence(
            self.distributor, self.type_business, '91110105MA01ABCD39',
            long_term=True)
        self.assertEqual(licence.company_id, self.env.user.company_id)
        licences = self.env['meddev.partner.licence'].sudo(other_reviewer)
        self.assertFalse(licences.search([('id', '=', licence.id)]))
        self.assertEqual(
            licences.search_count([('id', '=', licence.id)]), 0)
        self.assertTrue(self.env['meddev.partner.licence'].sudo(
            self.reviewer).search([('id', '=', licence.id)]))
