# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A partner's MDF for a period: allocated from its tier (a percentage of the previous period's
invoiced revenue, credit notes subtracting, or a fixed amount), by the daily job and the "Allocate
MDF" action, adjusted with a reason, never below what it holds."""

import frappe
from frappe.utils import add_days, flt, getdate, today

from prm_app.exceptions import MDFStateError, OverBudgetError
from prm_app.integrations import mdf_budget
from prm_app.tests.mdf_setup import MDFTestCase
from prm_app.tests.utils import (
	MDF_TEST_IGNORE,
	approve_mdf_request,
	ensure_fiscal_year,
	make_active_partner,
	make_mdf_request,
	make_partner_sales_invoice,
	make_tier,
	make_user,
)

test_ignore = MDF_TEST_IGNORE


class TestMDFBudget(MDFTestCase):
	def partner_in(self, **tier):
		tier = make_tier(**tier)
		return make_active_partner(users=[(make_user().name, "Partner Admin")], program_tier=tier.name)

	def test_percent_of_the_previous_periods_invoiced_revenue(self):
		partner = self.partner_in(
			mdf_allocation_type="Percent of Trailing Revenue", mdf_allocation_percent=4, mdf_period="Quarter"
		)
		current = mdf_budget.period_of(today(), "Quarter", self.company)
		previous = current.previous()
		ensure_fiscal_year(previous.start, self.company)
		make_partner_sales_invoice(partner.name, self.item, 10000, posting_date=previous.start)
		make_partner_sales_invoice(partner.name, self.item, 2500.50, posting_date=previous.end)
		make_partner_sales_invoice(
			partner.name, self.item, 99999, posting_date=current.start
		)  # this period: not counted
		original = make_partner_sales_invoice(
			partner.name, self.item, 1000, posting_date=add_days(previous.start, 5)
		)
		make_partner_sales_invoice(
			partner.name,
			self.item,
			-1000,
			posting_date=add_days(previous.start, 6),
			qty=-1,
			is_return=1,
			return_against=original.name,
			customer=original.customer,
		)
		made = mdf_budget.allocate("Quarter", partners=[partner.name])
		self.assertEqual(len(made), 1)
		budget = frappe.get_doc("MDF Budget", made[0])
		self.assertEqual((budget.period_start, budget.period_end), (current.start, current.end))
		self.assertEqual(flt(budget.basis_revenue), 12500.50)
		self.assertEqual(flt(budget.allocated_amount), 500.02)  # 4 % of 12,500.50
		self.assertEqual(
			(budget.allocation_basis, budget.program_tier),
			("Percent of Trailing Revenue", partner.program_tier),
		)
		self.assertEqual(flt(budget.available_amount), 500.02)
		# idempotent: the job finds nothing to do the next day
		self.assertEqual(mdf_budget.allocate("Quarter", partners=[partner.name]), [])

	def test_fixed_amount_by_the_daily_job_for_the_tiers_period(self):
		partner = self.partner_in(
			mdf_allocation_type="Fixed Amount", mdf_fixed_amount=7500, mdf_period="Year"
		)
		inactive = self.partner_in(
			mdf_allocation_type="Fixed Amount", mdf_fixed_amount=7500, mdf_period="Year"
		)
		frappe.db.set_value("Partner", inactive.name, "status", "Suspended")
		mdf_budget.allocate_current_periods(commit=False)
		budget = frappe.get_doc("MDF Budget", {"partner": partner.name})
		self.assertEqual((budget.period_type, flt(budget.allocated_amount)), ("Year", 7500))
		self.assertEqual(getdate(budget.period_start), getdate(today()).replace(month=1, day=1))
		self.assertFalse(frappe.db.exists("MDF Budget", {"partner": inactive.name}))

	def test_allocate_action_is_the_channel_teams(self):
		partner = self.partner_in(
			mdf_allocation_type="Fixed Amount", mdf_fixed_amount=100, mdf_period="Half-year"
		)
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			mdf_budget.allocate_mdf("Half-year")
		frappe.set_user("Administrator")
		result = mdf_budget.allocate_mdf("Half-year")
		self.assertIn(frappe.db.get_value("MDF Budget", {"partner": partner.name}), result["made"])
		with self.assertRaises(MDFStateError):
			mdf_budget.allocate_mdf("Fortnight")

	def test_adjust_with_a_reason_never_below_what_it_holds(self):
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 3000, 8000).name)
		budget = frappe.get_doc("MDF Budget", self.budget)
		with self.assertRaises(MDFStateError):
			budget.adjust_allocation(5000, "  ")
		with self.assertRaises(OverBudgetError):
			budget.adjust_allocation(2999.99, "Cut")
		result = budget.adjust_allocation(4000, "Market slowdown")
		self.assertEqual((flt(result["allocated_amount"]), flt(result["available_amount"])), (4000, 1000))
		budget.reload()
		row = budget.adjustments[-1]
		self.assertEqual(
			(flt(row.previous_amount), flt(row.new_amount), row.reason), (10000, 4000, "Market slowdown")
		)
		# the allocation is never typed: a plain save keeps it (and the log)
		budget.allocated_amount = 1
		budget.set("adjustments", [])
		budget.save()
		budget.reload()
		self.assertEqual((flt(budget.allocated_amount), len(budget.adjustments)), (4000, 1))
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("MDF Budget", self.budget).adjust_allocation(99999, "mine")
		frappe.set_user("Administrator")
		self.assertEqual(request.status, "Approved")

	def test_one_budget_per_partner_company_and_period(self):
		with self.assertRaises(MDFStateError):
			frappe.get_doc(
				{
					"doctype": "MDF Budget",
					"partner": self.partner_a.name,
					"company": self.company,
					"period_type": "Quarter",
					"period_start": today(),  # any day of the period: the same budget
				}
			).insert()
