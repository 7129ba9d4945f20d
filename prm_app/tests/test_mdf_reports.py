"""The MDF and rebate reports, run the way the desk runs them (``frappe.desk.query_report.run``),
their figures checked against hand-computed ones and against the General Ledger; partners never
run them."""

import frappe
from frappe.desk.query_report import run
from frappe.utils import add_days, flt, today

from prm_app.integrations.mdf_leads import campaign_link, campaign_value
from prm_app.prm_app.doctype.rebate_accrual.test_rebate_accrual import RebateTestCase
from prm_app.tests.test_mdf import pay
from prm_app.tests.utils import (
	MDF_TEST_IGNORE,
	approve_mdf_request,
	gl_sums,
	make_customer,
	make_mdf_claim,
	make_mdf_request,
	make_partner_sales_invoice,
	make_sales_order,
	workflow,
)

test_ignore = MDF_TEST_IGNORE


def rows_of(report, **filters):
	return [frappe._dict(row) for row in run(report, filters=filters)["result"] if isinstance(row, dict)]


class TestMDFReports(RebateTestCase):
	def approved_claim(self, request, claimed, actual_cost, leads=()):
		claim = workflow(
			make_mdf_claim(request, claimed=claimed, actual_cost=actual_cost, leads=leads),
			"Submit for Review",
		)
		claim = workflow(frappe.get_doc("MDF Claim", claim.name), "Approve")
		claim.reload()
		return claim

	def test_budget_utilization(self):
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 3000, 8000).name)
		claim = self.approved_claim(request.name, 1000, 2500)
		supplier = frappe.db.get_value("Partner", self.partner_a.name, "supplier")
		pay(self.company, supplier, "Purchase Invoice", claim.payout_name, 400, "MDF-RPT-1")
		rows = rows_of("MDF Budget Utilization", company=self.company, partner=self.partner_a.name)
		row = next(r for r in rows if r.budget == self.budget)
		self.assertEqual(
			(row.allocated, row.reserved, row.claimed, row.paid, row.available, row.utilization),
			(10000, 2000, 600, 400, 7000, 10),
		)

	def test_mdf_roi(self):
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 2000, 8000).name)
		claim = self.approved_claim(
			request.name,
			1000,
			2500,
			leads=[
				{"lead_name": "Rita Roi", "email_id": "rita-roi@example.com"},
				{"lead_name": "Sam Roi", "email_id": "sam-roi@example.com"},
			],
		)
		rita, sam = (row.lead for row in claim.leads)
		customer = make_customer(lead_name=rita).name  # Rita's lead became a customer
		for party_from, party in (("Lead", sam), ("Customer", customer)):
			frappe.get_doc(
				{
					"doctype": "Opportunity",
					"opportunity_from": party_from,
					"party_name": party,
					"company": self.company,
					"transaction_date": today(),
				}
			).insert()
		make_sales_order(customer, self.item)  # a won deal
		invoice = make_partner_sales_invoice(self.partner_a.name, self.item, 5000, customer=customer)
		make_partner_sales_invoice(
			self.partner_a.name,
			self.item,
			-500,
			qty=-1,
			customer=customer,
			is_return=1,
			return_against=invoice.name,
		)
		# a lead of the same partner tagged with another campaign does not count
		other = frappe.get_doc(
			{"doctype": "Lead", "lead_name": "Elsewhere", "prm_partner": self.partner_a.name}
		).insert()
		self.assertTrue(other.name)
		rows = rows_of("MDF ROI", company=self.company, partner=self.partner_a.name)
		row = next(r for r in rows if r.campaign == request.campaign)
		self.assertEqual(
			(row.requests, row.spent, row.leads, row.opportunities, row.won_deals, row.revenue),
			(1, 1000, 2, 2, 1, 4500),
		)
		self.assertEqual((row.revenue_per_spent, row.roi), (4.5, 350))
		field, _options = campaign_link("Lead")
		self.assertEqual(frappe.db.get_value("Lead", sam, field), campaign_value(request.campaign))

	def test_rebate_ledger_equals_the_gl(self):
		self.invoice(1000)
		self.invoice(1000.40, day=add_days(self.last.start, 40))
		first = self.accrue(self.last.start)
		settlement = frappe.get_doc(
			{
				"doctype": "Rebate Settlement",
				"partner": self.partner_a.name,
				"company": self.company,
				"up_to": today(),
			}
		).insert()
		settlement.submit()
		settlement.reload()
		self.invoice(-200, day=today(), qty=-1, is_return=1)
		second = self.accrue(today())
		result = run("Rebate Ledger", filters={"company": self.company, "partner": self.partner_a.name})
		rows = [frappe._dict(r) for r in result["result"]]
		self.assertEqual([r.voucher for r in rows], [first.name, settlement.name, second.name])
		self.assertEqual([r.accrued for r in rows], [50.01, 0, -5])
		self.assertEqual([r.settled for r in rows], [0, 50.01, 0])
		self.assertEqual([r.balance for r in rows], [50.01, 0, -5])
		for row in rows:
			self.assertEqual(row.difference, 0, row)
			gl = gl_sums(row.gl_voucher, self.accounts.rebate_liability_account)
			self.assertEqual(row.gl_amount, flt(gl.credit - gl.debit, 2))
		summary = {s["label"]: s["value"] for s in result["report_summary"]}
		self.assertIn(-5, summary.values())
		self.assertTrue(any(s["value"] == 0 and s["indicator"] == "Green" for s in result["report_summary"]))

	def test_partners_never_run_them(self):
		frappe.set_user(self.user_a)
		for report, filters in (
			("MDF Budget Utilization", {"company": self.company}),
			("MDF ROI", {"company": self.company}),
			("Rebate Ledger", {"company": self.company}),
		):
			with self.assertRaises(frappe.PermissionError, msg=report):
				run(report, filters=filters)
