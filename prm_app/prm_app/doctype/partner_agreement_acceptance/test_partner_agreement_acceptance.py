# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe

from prm_app.exceptions import AgreementError
from prm_app.tests.utils import GROWTH_TEST_IGNORE, PRMTestCase, accept_agreement, make_agreement

test_ignore = GROWTH_TEST_IGNORE


class TestPartnerAgreementAcceptance(PRMTestCase):
	def test_an_acceptance_is_a_log_entry(self):
		agreement = make_agreement()
		name = accept_agreement(self.user_a, agreement.name, self.partner_a.name)
		row = frappe.get_doc("Partner Agreement Acceptance", name)
		self.assertEqual(
			(row.user, row.partner, row.agreement), (self.user_a, self.partner_a.name, agreement.name)
		)
		self.assertTrue(row.accepted_on)
		row.user = self.user_b
		with self.assertRaises(AgreementError):
			row.save()
		with self.assertRaises(AgreementError):
			frappe.get_doc(
				{
					"doctype": "Partner Agreement Acceptance",
					"agreement": agreement.name,
					"accepted_on": row.accepted_on,
				}
			).insert()

	def test_partners_hold_no_permission_on_it(self):
		agreement = make_agreement()
		name = accept_agreement(self.user_a, agreement.name, self.partner_a.name)
		frappe.set_user(self.user_a)
		self.assertFalse(frappe.has_permission("Partner Agreement Acceptance", "read"))
		self.assertFalse(frappe.get_doc("Partner Agreement Acceptance", name).has_permission("read"))
		self.assertFalse(frappe.has_permission("Partner Agreement", "read"))
