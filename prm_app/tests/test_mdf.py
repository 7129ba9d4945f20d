"""MDF on real ERPNext accounting: request -> claim -> payout, the GL to the cent, cancel and amend,
partial approval, Journal Entry payouts, leads, payments, and the lifecycle rules."""

import frappe
from frappe.utils import flt, today

from prm_app.exceptions import (
	MDFAmountError,
	MDFCurrencyError,
	OverBudgetError,
	ProofOfPerformanceError,
	SelfApprovalError,
)
from prm_app.integrations import mdf_budget, mdf_leads
from prm_app.tests.mdf_setup import MDFTestCase
from prm_app.tests.utils import (
	MDF_TEST_IGNORE,
	approve_mdf_request,
	gl_sums,
	make_mdf_budget,
	make_mdf_claim,
	make_mdf_request,
	workflow,
)

test_ignore = MDF_TEST_IGNORE


def figures(budget):
	"""The budget's figures, as floats."""
	f = mdf_budget.figures([budget])[budget]
	return frappe._dict(
		allocated=float(f.allocated),
		reserved=float(f.reserved),
		claimed=float(f.claimed),
		paid=float(f.paid),
		available=float(f.available),
	)


def bank_account(company):
	return frappe.db.get_value(
		"Account", {"company": company, "account_type": ("in", ("Bank", "Cash")), "is_group": 0}, "name"
	)


def pay(company, supplier, voucher_type, voucher, amount, reference):
	"""The accountant pays the supplier with ERPNext's Payment Entry, against the payout."""
	from erpnext.accounts.party import get_party_account

	payment = frappe.get_doc(
		{
			"doctype": "Payment Entry",
			"payment_type": "Pay",
			"company": company,
			"posting_date": today(),
			"party_type": "Supplier",
			"party": supplier,
			"paid_from": bank_account(company),
			"paid_to": get_party_account("Supplier", supplier, company),
			"paid_amount": amount,
			"received_amount": amount,
			"reference_no": reference,
			"reference_date": today(),
			"references": [
				{"reference_doctype": voucher_type, "reference_name": voucher, "allocated_amount": amount}
			],
		}
	)
	payment.insert()
	payment.submit()
	return payment


class TestMDFFlow(MDFTestCase):
	def test_request_claim_purchase_invoice_and_gl_to_the_cent(self):
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 1234.56, 5000).name)
		self.assertEqual(request.status, "Approved")
		self.assertTrue(request.campaign and frappe.db.exists("Campaign", request.campaign))
		f = figures(self.budget)
		self.assertEqual((f.reserved, f.available), (1234.56, 10000 - 1234.56))

		claim = make_mdf_claim(request.name, claimed=1000.01, actual_cost=2500)
		claim = workflow(claim, "Submit for Review")
		self.assertEqual(claim.status, "Submitted")
		f = figures(self.budget)
		self.assertEqual(((f.reserved), (f.claimed)), (234.55, 1000.01))
		claim = workflow(frappe.get_doc("MDF Claim", claim.name), "Approve")
		self.assertEqual((claim.status, claim.docstatus), ("Approved", 1))
		claim.reload()
		self.assertEqual(claim.payout_doctype, "Purchase Invoice")
		invoice = frappe.get_doc("Purchase Invoice", claim.payout_name)
		supplier = frappe.db.get_value("Partner", self.partner_a.name, "supplier")
		self.assertTrue(supplier)
		self.assertEqual((invoice.docstatus, invoice.supplier, invoice.company), (1, supplier, self.company))
		self.assertEqual(flt(invoice.grand_total, 2), 1000.01)
		self.assertEqual(invoice.items[0].expense_account, self.accounts.mdf_expense_account)
		self.assertEqual(invoice.items[0].cost_center, self.accounts.cost_center)
		expense = gl_sums(invoice.name, self.accounts.mdf_expense_account)
		payable = gl_sums(invoice.name, invoice.credit_to)
		self.assertEqual((expense.debit, expense.credit), (1000.01, 0))
		self.assertEqual((payable.debit, payable.credit), (0, 1000.01))
		everything = gl_sums(invoice.name)
		self.assertEqual(everything.debit, everything.credit)
		request.reload()
		self.assertEqual((flt(request.claimed_amount), flt(request.remaining_amount)), (1000.01, 234.55))
		f = figures(self.budget)
		self.assertEqual((f.claimed), 1000.01)
		self.assertEqual((f.paid), 0)

		# cancelling the claim cancels its invoice and reverses the GL; the money is reserved again
		claim.cancel()
		claim.reload()
		self.assertEqual((claim.status, claim.docstatus), ("Cancelled", 2))
		self.assertEqual(frappe.db.get_value("Purchase Invoice", invoice.name, "docstatus"), 2)
		self.assertEqual(gl_sums(invoice.name), frappe._dict(debit=0, credit=0))
		f = figures(self.budget)
		self.assertEqual(((f.reserved), (f.claimed)), (1234.56, 0))

		# an amended claim goes through the workflow again and posts anew
		amended = frappe.copy_doc(claim, ignore_no_copy=False)  # as the desk's Amend copies
		amended.docstatus = 0
		amended.amended_from = claim.name
		amended.insert()
		self.assertEqual(
			(amended.status, amended.workflow_state, amended.payout_name), ("Draft", "Draft", None)
		)
		from prm_app.tests.utils import attach_proof

		attach_proof("MDF Claim", amended.name)
		workflow(amended, "Submit for Review")
		amended = workflow(frappe.get_doc("MDF Claim", amended.name), "Approve")
		amended.reload()
		self.assertNotEqual(amended.payout_name, invoice.name)
		self.assertEqual(gl_sums(amended.payout_name, self.accounts.mdf_expense_account).debit, 1000.01)

	def test_partial_approval_needs_a_reason_and_releases_the_rest(self):
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 2000, 5000).name)
		claim = workflow(make_mdf_claim(request.name, claimed=1500, actual_cost=3000), "Submit for Review")
		doc = frappe.get_doc("MDF Claim", claim.name)
		doc.approved_amount = 1200
		doc.save()
		with self.assertRaises(MDFAmountError):
			workflow(frappe.get_doc("MDF Claim", claim.name), "Approve")
		doc = frappe.get_doc("MDF Claim", claim.name)
		doc.approved_amount = 1600  # more than claimed
		doc.partial_reason = "x"
		doc.save()
		with self.assertRaises(MDFAmountError):
			workflow(frappe.get_doc("MDF Claim", claim.name), "Approve")

	def test_partial_approval_posts_the_approved_amount(self):
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 2000, 5000).name)
		claim = workflow(make_mdf_claim(request.name, claimed=1500, actual_cost=3000), "Submit for Review")
		doc = frappe.get_doc("MDF Claim", claim.name)
		doc.approved_amount = 1200
		doc.partial_reason = "One invoice was for another vendor's products."
		doc.save()
		claim = workflow(frappe.get_doc("MDF Claim", claim.name), "Approve")
		claim.reload()
		self.assertEqual((flt(claim.approved_amount), claim.status), (1200, "Approved"))
		self.assertEqual(frappe.db.get_value("Purchase Invoice", claim.payout_name, "grand_total"), 1200)
		request.reload()
		self.assertEqual(flt(request.remaining_amount), 800)  # 2000 - 1200: the 300 went back
		self.assertEqual(float(figures(self.budget).reserved), 800)

	def test_journal_entry_payout_and_payment_marks_it_paid(self):
		frappe.db.set_single_value("PRM Settings", "mdf_payout_document", "Journal Entry")
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 800, 2000).name)
		claim = workflow(make_mdf_claim(request.name, claimed=800, actual_cost=1600), "Submit for Review")
		claim = workflow(frappe.get_doc("MDF Claim", claim.name), "Approve")
		claim.reload()
		self.assertEqual(claim.payout_doctype, "Journal Entry")
		self.assertEqual(gl_sums(claim.payout_name, self.accounts.mdf_expense_account).debit, 800)
		entry = gl_sums(claim.payout_name)
		self.assertEqual((entry.debit, entry.credit), (800, 800))

		# the accountant pays the supplier against the journal entry, with ERPNext's Payment Entry
		supplier = frappe.db.get_value("Partner", self.partner_a.name, "supplier")
		payment = pay(self.company, supplier, "Journal Entry", claim.payout_name, 300, "MDF-PAY-1")
		claim.reload()
		self.assertEqual((flt(claim.paid_amount), claim.payment_status), (300, "Partly Paid"))
		f = figures(self.budget)
		self.assertEqual(((f.paid), (f.claimed)), (300, 500))
		payment.cancel()
		claim.reload()
		self.assertEqual((flt(claim.paid_amount), claim.payment_status), (0, "Unpaid"))

	def test_purchase_invoice_paid_in_full(self):
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 500, 2000).name)
		claim = workflow(make_mdf_claim(request.name, claimed=500, actual_cost=1000), "Submit for Review")
		claim = workflow(frappe.get_doc("MDF Claim", claim.name), "Approve")
		claim.reload()
		supplier = frappe.db.get_value("Partner", self.partner_a.name, "supplier")
		pay(self.company, supplier, "Purchase Invoice", claim.payout_name, 500, "MDF-PAY-2")
		claim.reload()
		self.assertEqual((flt(claim.paid_amount), claim.payment_status), (500, "Paid"))
		f = figures(self.budget)
		self.assertEqual(((f.paid), (f.claimed), (f.reserved)), (500, 0, 0))
		self.assertEqual(f.reserved + f.claimed + f.paid + f.available, f.allocated)

	def test_claim_leads_become_erpnext_leads_at_approval(self):
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 500, 2000).name)
		known = frappe.get_doc(
			{"doctype": "Lead", "lead_name": "Known Person", "email_id": "known-mdf@example.com"}
		).insert()
		claim = make_mdf_claim(
			request.name,
			claimed=400,
			actual_cost=1000,
			leads=[
				{"lead_name": "Ada Buyer", "company_name": "Buyer Co", "email_id": "ada-mdf@example.com"},
				{"lead_name": "Known Person", "email_id": "known-mdf@example.com"},
			],
		)
		workflow(claim, "Submit for Review")
		self.assertFalse(frappe.db.exists("Lead", {"email_id": "ada-mdf@example.com"}))  # not on submission
		workflow(frappe.get_doc("MDF Claim", claim.name), "Approve")
		claim.reload()
		made = frappe.get_doc("Lead", claim.leads[0].lead)
		self.assertEqual((made.lead_name, made.prm_partner), ("Ada Buyer", self.partner_a.name))
		field, _options = mdf_leads.campaign_link("Lead")
		self.assertEqual(made.get(field), mdf_leads.campaign_value(request.campaign))
		self.assertTrue(made.get(field))
		self.assertEqual(claim.leads[1].lead, known.name)  # linked, not duplicated, left as it was
		self.assertFalse(frappe.db.get_value("Lead", known.name, "prm_partner"))


class TestMDFRules(MDFTestCase):
	def test_bad_amounts_save_nothing(self):
		before = frappe.db.count("MDF Request")
		for values, exc in (
			({"requested": -5}, MDFAmountError),
			({"requested": 0}, MDFAmountError),
			({"planned_cost": -1}, MDFAmountError),
			({"requested": 3000, "planned_cost": 4000}, MDFAmountError),  # co-op share: 2000
			({"requested": 100, "currency": "EUR"}, MDFCurrencyError),
		):
			with self.assertRaises(exc, msg=values):
				make_mdf_request(self.partner_a.name, self.budget, **values)
		self.assertEqual(frappe.db.count("MDF Request"), before)

	def test_submission_and_approval_stay_within_the_budget(self):
		small = make_mdf_budget(self.partner_b.name, 1000).name
		first = make_mdf_request(self.partner_b.name, small, 700, 2000)
		second = make_mdf_request(self.partner_b.name, small, 600, 2000)
		workflow(second, "Submit for Review")  # 1000 available at submission
		approve_mdf_request(first.name)
		with self.assertRaises(OverBudgetError):
			workflow(frappe.get_doc("MDF Request", second.name), "Approve")
		self.assertEqual(frappe.db.get_value("MDF Request", second.name, "status"), "Submitted")
		third = make_mdf_request(self.partner_b.name, small, 400, 2000)
		with self.assertRaises(OverBudgetError):
			workflow(third, "Submit for Review")
		f = figures(small)
		self.assertEqual(((f.reserved), (f.available)), (700, 300))

	def test_claims_stay_within_the_request_and_the_co_op_share(self):
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 1000, 4000).name)
		with self.assertRaises(MDFAmountError):
			make_mdf_claim(request.name, claimed=1200, actual_cost=5000)  # request: 1000
		with self.assertRaises(MDFAmountError):
			make_mdf_claim(request.name, claimed=800, actual_cost=1000)  # co-op: 500
		with self.assertRaises(MDFCurrencyError):
			make_mdf_claim(request.name, claimed=100, currency="EUR")
		first = workflow(make_mdf_claim(request.name, claimed=700, actual_cost=2000), "Submit for Review")
		self.assertEqual(first.status, "Submitted")
		second = make_mdf_claim(request.name, claimed=300, actual_cost=2000)
		with self.assertRaises(MDFAmountError):
			frappe.get_doc("MDF Claim", second.name).update({"claimed_amount": 301}).save()

	def test_proof_is_required_to_submit(self):
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 300, 1000).name)
		claim = make_mdf_claim(request.name, claimed=200, actual_cost=600, proof=False)
		with self.assertRaises(ProofOfPerformanceError):
			workflow(claim, "Submit for Review")

	def test_partners_never_approve(self):
		request = make_mdf_request(self.partner_a.name, self.budget, 300, 1000)
		frappe.set_user(self.user_a)
		doc = frappe.get_doc("MDF Request", request.name)
		doc = workflow(doc, "Submit for Review")
		self.assertEqual(doc.status, "Submitted")
		doc = frappe.get_doc("MDF Request", request.name)
		doc.status = "Approved"
		with self.assertRaises(SelfApprovalError):
			doc.save()
		doc = frappe.get_doc("MDF Request", request.name)
		doc.approved_amount = 1
		doc.decision_reason = "mine"
		doc.save()  # level-1 fields are not the partner's: kept as stored
		self.assertFalse(frappe.db.get_value("MDF Request", request.name, "approved_amount"))
		frappe.set_user("Administrator")

	def test_closing_an_approved_request_releases_what_was_not_claimed(self):
		request = approve_mdf_request(make_mdf_request(self.partner_a.name, self.budget, 1000, 4000).name)
		claim = workflow(make_mdf_claim(request.name, claimed=400, actual_cost=1000), "Submit for Review")
		workflow(frappe.get_doc("MDF Claim", claim.name), "Approve")
		self.assertEqual(float(figures(self.budget).reserved), 600)
		frappe.get_doc("MDF Request", request.name).close_request("Activity done.")
		self.assertEqual(frappe.db.get_value("MDF Request", request.name, "status"), "Closed")
		f = figures(self.budget)
		self.assertEqual(((f.reserved), (f.claimed), (f.available)), (0, 400, 9600))
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("MDF Request", request.name).close_request()


class TestMDFAdminWorkflow(MDFTestCase):
	def test_an_admins_partner_transition_into_approved_is_still_refused(self):
		"""An admin's mistake in the Workflow form (the partner role may approve) cannot make a
		partner approve its own request or claim."""
		for doctype in ("MDF Request", "MDF Claim"):
			wf = frappe.get_doc("Workflow", doctype)
			wf.append(
				"transitions",
				{
					"state": "Submitted",
					"action": "Approve",
					"next_state": "Approved",
					"allowed": "Partner Admin",
					"allow_self_approval": 1,
				},
			)
			wf.save()
		try:
			request = make_mdf_request(self.partner_a.name, self.budget, 500, 2000)
			frappe.set_user(self.user_a)
			workflow(request, "Submit for Review")
			with self.assertRaises(SelfApprovalError):
				workflow(frappe.get_doc("MDF Request", request.name), "Approve")
			frappe.set_user("Administrator")
			approve_mdf_request(request.name)
			claim = make_mdf_claim(request.name, claimed=200, actual_cost=800)
			frappe.set_user(self.user_a)
			workflow(frappe.get_doc("MDF Claim", claim.name), "Submit for Review")
			with self.assertRaises((SelfApprovalError, frappe.PermissionError)):
				workflow(frappe.get_doc("MDF Claim", claim.name), "Approve")
			self.assertEqual(frappe.db.get_value("MDF Claim", claim.name, "docstatus"), 0)
		finally:
			frappe.set_user("Administrator")
			for doctype in ("MDF Request", "MDF Claim"):
				wf = frappe.get_doc("Workflow", doctype)
				wf.set(
					"transitions",
					[t for t in wf.transitions if t.allowed != "Partner Admin" or t.action != "Approve"],
				)
				wf.save()
