# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""Rebate accruals on a real ledger: the tier's percentage and incentive rules on a period's
invoices, one Journal Entry per partner per period, credit notes and cancellations giving back
their share, to the cent."""

import frappe
from frappe.utils import add_days, flt, today

from prm_app.api import dashboard
from prm_app.exceptions import RebateError
from prm_app.integrations import rebates
from prm_app.tests.mdf_setup import MDFTestCase
from prm_app.tests.utils import (
	MDF_TEST_IGNORE,
	ensure_fiscal_year,
	gl_sums,
	make_item,
	make_partner_sales_invoice,
	make_tier,
	unique,
)

test_ignore = MDF_TEST_IGNORE


class RebateTestCase(MDFTestCase):
	"""Partner A in a tier with a 2.5 % rebate; a hardware product line with an item; the last
	period that ended and the current one."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.rebate_tier = make_tier(rebate_percent=2.5)
		frappe.db.set_value("Partner", cls.partner_a.name, "program_tier", cls.rebate_tier.name)
		parent = frappe.db.get_value("Item Group", {"is_group": 1}, "name", order_by="lft asc")
		cls.hardware = (
			frappe.get_doc(
				{
					"doctype": "Item Group",
					"item_group_name": unique("PRM Hardware"),
					"parent_item_group": parent,
					"is_group": 1,
				}
			)
			.insert()
			.name
		)
		cls.routers = (
			frappe.get_doc(
				{
					"doctype": "Item Group",
					"item_group_name": unique("PRM Routers"),
					"parent_item_group": cls.hardware,
				}
			)
			.insert()
			.name
		)
		cls.router = make_item(item_group=cls.routers).name
		cls.current = rebates.period_of(today(), cls.company)
		cls.last = cls.current.previous()
		ensure_fiscal_year(cls.last.start, cls.company)

	def invoice(self, amount, day=None, item=None, qty=1, **kw):
		return make_partner_sales_invoice(
			self.partner_a.name,
			item or self.item,
			amount,
			posting_date=day or add_days(self.last.start, 3),
			qty=qty,
			**kw,
		)

	def accrue(self, day):
		names = rebates.accrue(day, companies=[self.company], partners=[self.partner_a.name])
		self.assertLessEqual(len(names), 1)
		return frappe.get_doc("Rebate Accrual", names[0]) if names else None

	def rebates_on_dashboard(self) -> list[dict]:
		frappe.set_user(self.user_a)
		try:
			return dashboard.get_dashboard()["rebates"]
		finally:
			frappe.set_user("Administrator")

	def assert_posted(self, accrual):
		"""The accrual's journal entry: expense and liability, both for its total, to the cent."""
		total = flt(accrual.total_rebate, 2)
		expense = gl_sums(accrual.journal_entry, self.accounts.rebate_expense_account)
		liability = gl_sums(accrual.journal_entry, self.accounts.rebate_liability_account)
		if total >= 0:
			self.assertEqual((expense.debit, liability.credit), (total, total))
		else:
			self.assertEqual((expense.credit, liability.debit), (-total, -total))
		entry = gl_sums(accrual.journal_entry)
		self.assertEqual(entry.debit, entry.credit)
		self.assertEqual(flt(sum(flt(r.rebate_amount) for r in accrual.invoices), 2), total)


class TestRebateAccrual(RebateTestCase):
	def test_tier_percentage_one_entry_per_partner_per_period(self):
		first = self.invoice(1000.10)
		second = self.invoice(333.33, day=add_days(self.last.start, 20))
		self.assertEqual(self.rebates_on_dashboard(), [])  # kept until something changes them
		accrual = self.accrue(self.last.start)
		self.assertEqual(accrual.docstatus, 1)
		self.assertEqual((accrual.period_start, accrual.period_end), (self.last.start, self.last.end))
		self.assertEqual({r.sales_invoice for r in accrual.invoices}, {first.name, second.name})
		# 2.5 % of 1000.10 = 25.0025 -> 25.00; of 333.33 = 8.33325 -> 8.33
		self.assertEqual(flt(accrual.total_rebate, 2), 33.33)
		self.assertEqual(flt(accrual.revenue, 2), 1333.43)
		self.assert_posted(accrual)
		# the partner's dashboard shows the accrual on its next request (its figures are kept)
		frappe.set_user(self.user_a)
		try:
			totals = dashboard.get_dashboard()["rebates"]
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(
			totals, [{"currency": accrual.currency, "accrued": 33.33, "settled": 0.0, "pending": 33.33}]
		)
		# the period is done: a second run makes nothing, and no invoice is accrued twice
		self.assertIsNone(self.accrue(self.last.start))
		with self.assertRaises(RebateError):
			frappe.get_doc(
				{
					"doctype": "Rebate Accrual",
					"partner": self.partner_a.name,
					"company": self.company,
					"period_start": self.last.start,
					"period_end": self.last.end,
				}
			).insert()

	def test_incentive_rules_product_line_and_spiff(self):
		frappe.get_doc(
			{
				"doctype": "Incentive Rule",
				"rule_name": unique("Hardware bonus"),
				"item_group": self.hardware,  # routers are below hardware
				"percent": 3,
				"program_tier": self.rebate_tier.name,
			}
		).insert()
		frappe.get_doc(
			{
				"doctype": "Incentive Rule",
				"rule_name": unique("Router SPIFF"),
				"rule_type": "SPIFF",
				"item_code": self.router,
				"amount_per_unit": 12.5,
				"valid_from": self.last.start,
				"valid_to": add_days(self.last.start, 10),
			}
		).insert()
		in_spiff = self.invoice(800, item=self.router, qty=2)
		after_spiff = self.invoice(800, item=self.router, qty=2, day=add_days(self.last.start, 30))
		other = self.invoice(100)
		accrual = self.accrue(self.last.start)
		rows = {r.sales_invoice: r for r in accrual.invoices}
		self.assertEqual(
			(flt(rows[in_spiff.name].tier_rebate), flt(rows[in_spiff.name].incentive)), (20, 49)
		)  # 2.5 % + (3 % of 800 + 2 x 12.50)
		self.assertEqual(flt(rows[after_spiff.name].incentive), 24)
		self.assertEqual(flt(rows[other.name].incentive), 0)
		self.assertEqual(flt(accrual.total_rebate), 20 + 49 + 20 + 24 + 2.5)
		self.assert_posted(accrual)

	def test_credit_notes_and_cancellations_give_back_their_share(self):
		original = self.invoice(1000)
		doomed = self.invoice(400)
		first = self.accrue(self.last.start)
		self.assertEqual(flt(first.total_rebate), 35)
		# in the current period: a partial return of the original, and the other one cancelled
		credit = self.invoice(
			-300, day=today(), qty=-1, is_return=1, return_against=original.name, customer=original.customer
		)
		frappe.get_doc("Sales Invoice", doomed.name).cancel()
		second = self.accrue(today())
		rows = {r.kind: r for r in second.invoices}
		self.assertEqual(
			(rows["Credit Note"].sales_invoice, rows["Credit Note"].reverses), (credit.name, original.name)
		)
		self.assertEqual(flt(rows["Credit Note"].rebate_amount), -7.5)
		self.assertEqual(
			(rows["Cancellation"].sales_invoice, flt(rows["Cancellation"].rebate_amount)), (doomed.name, -10)
		)
		self.assertEqual(flt(second.total_rebate), -17.5)
		self.assert_posted(second)
		liability = (
			gl_sums(first.journal_entry, self.accounts.rebate_liability_account).credit
			- gl_sums(second.journal_entry, self.accounts.rebate_liability_account).debit
		)
		self.assertEqual(flt(liability, 2), 17.5)

	def test_batch_leaves_out_partners_without_rebates_and_cancelling_reverses(self):
		self.invoice(1000)
		make_partner_sales_invoice(
			self.partner_b.name, self.item, 5000, posting_date=add_days(self.last.start, 3)
		)
		made = rebates.accrue(self.last.start, companies=[self.company])
		partners = set(frappe.get_all("Rebate Accrual", filters={"name": ("in", made)}, pluck="partner"))
		self.assertIn(self.partner_a.name, partners)
		self.assertNotIn(self.partner_b.name, partners)  # no rebate in its tier, no rule for it
		accrual = frappe.get_doc("Rebate Accrual", {"name": ("in", made), "partner": self.partner_a.name})
		accrual.cancel()
		self.assertEqual(frappe.db.get_value("Journal Entry", accrual.journal_entry, "docstatus"), 2)
		self.assertEqual(gl_sums(accrual.journal_entry), frappe._dict(debit=0, credit=0))
		again = self.accrue(self.last.start)  # its invoices can be accrued again
		self.assertEqual(flt(again.total_rebate), 25)

	def test_daily_job_accrues_the_period_that_ended_once(self):
		self.invoice(2000)
		frappe.db.set_single_value("PRM Settings", "rebates_accrued_until", None)
		made = rebates.accrue_closed_periods(commit=False)
		mine = frappe.get_all(
			"Rebate Accrual", filters={"name": ("in", made or [""]), "partner": self.partner_a.name}
		)
		self.assertEqual(len(mine), 1)
		self.assertEqual(
			str(frappe.db.get_single_value("PRM Settings", "rebates_accrued_until")), str(self.last.end)
		)
		self.assertEqual(rebates.accrue_closed_periods(commit=False), [])
