# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""An MDF request as partners and the channel team make it: own budget, dates, who may act, the
co-op share, withdrawal."""

import frappe
from frappe.utils import add_days, flt, today

from prm_app.exceptions import MDFStateError
from prm_app.tests.mdf_setup import MDFTestCase
from prm_app.tests.utils import MDF_TEST_IGNORE, make_mdf_budget, make_mdf_request, make_tier, workflow

test_ignore = MDF_TEST_IGNORE


class TestMDFRequest(MDFTestCase):
	def test_a_partner_admin_requests_on_its_own_budget(self):
		frappe.set_user(self.user_a)
		doc = make_mdf_request(self.partner_a.name, self.budget, 1000, 4000)
		self.assertEqual((doc.status, doc.workflow_state, doc.currency), ("Draft", "Draft", "USD"))
		self.assertEqual((flt(doc.co_op_percent), flt(doc.max_fundable)), (50, 2000))
		other = make_mdf_budget(self.partner_b.name, 500).name
		with self.assertRaises(frappe.PermissionError):
			make_mdf_request(self.partner_a.name, other, 100, 400)  # B's budget
		with self.assertRaises(frappe.PermissionError):
			make_mdf_request(self.partner_b.name, other, 100, 400)  # for B
		workflow(doc, "Withdraw")
		self.assertEqual(frappe.db.get_value("MDF Request", doc.name, "status"), "Withdrawn")

	def test_partner_users_see_and_act_only_when_settings_say(self):
		budget = make_mdf_budget(self.partner_b.name, 5000).name
		frappe.set_user(self.user_b)  # a Partner User, not an admin
		with self.assertRaises(frappe.PermissionError):
			make_mdf_request(self.partner_b.name, budget, 100, 400)
		frappe.set_user("Administrator")
		frappe.db.set_single_value("PRM Settings", "mdf_partner_users_act", 1)
		frappe.set_user(self.user_b)
		self.assertEqual(make_mdf_request(self.partner_b.name, budget, 100, 400).status, "Draft")

	def test_dates_and_closed_budgets(self):
		with self.assertRaises(MDFStateError):
			make_mdf_request(
				self.partner_a.name, self.budget, start_date=add_days(today(), 5), end_date=today()
			)
		past = make_mdf_request(
			self.partner_a.name, self.budget, start_date=add_days(today(), -9), end_date=add_days(today(), -2)
		)
		with self.assertRaises(MDFStateError):
			workflow(past, "Submit for Review")  # MDF is asked for before an activity
		frappe.db.set_value("MDF Budget", self.budget, "status", "Closed")
		with self.assertRaises(MDFStateError):
			make_mdf_request(self.partner_a.name, self.budget)

	def test_the_tiers_co_op_share_over_the_default(self):
		tier = make_tier(mdf_co_op_percent=75)
		frappe.db.set_value("Partner", self.partner_a.name, "program_tier", tier.name)
		doc = make_mdf_request(self.partner_a.name, self.budget, 3000, 4000)
		self.assertEqual((flt(doc.co_op_percent), flt(doc.max_fundable)), (75, 3000))

	def test_an_approved_requests_amounts_do_not_change(self):
		from prm_app.tests.utils import approve_mdf_request

		doc = approve_mdf_request(
			make_mdf_request(self.partner_a.name, self.budget, 1000, 4000).name, approved=800
		)
		self.assertEqual(flt(doc.approved_amount), 800)
		doc = frappe.get_doc("MDF Request", doc.name)
		doc.requested_amount = 1500
		with self.assertRaises(MDFStateError):
			doc.save()
