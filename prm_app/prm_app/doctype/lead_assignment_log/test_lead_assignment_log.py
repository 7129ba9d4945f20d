# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe

from prm_app.exceptions import LeadOfferError
from prm_app.tests.utils import GROWTH_TEST_IGNORE, PRMTestCase, make_lead_offer

test_ignore = GROWTH_TEST_IGNORE


class TestLeadAssignmentLog(PRMTestCase):
	def test_history_is_never_rewritten(self):
		offer = make_lead_offer(self.partner_a.name)
		name = frappe.get_all("Lead Assignment Log", filters={"lead_offer": offer.name}, pluck="name")[0]
		row = frappe.get_doc("Lead Assignment Log", name)
		self.assertEqual(
			(row.event, row.partner, row.user), ("Offered", self.partner_a.name, "Administrator")
		)
		row.event = "Accepted"
		with self.assertRaises(LeadOfferError):
			row.save()
		frappe.set_user(self.user_a)
		self.assertFalse(frappe.has_permission("Lead Assignment Log", "read"))
