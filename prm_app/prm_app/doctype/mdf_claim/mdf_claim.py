# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A partner's claim against an approved MDF request: what the activity cost, what it claims, the
proof of performance and the leads it generated.

Lifecycle (``status``): Draft, Submitted, Approved, Rejected, Withdrawn, Cancelled. The admin's
workflow moves it; approval *submits* the document (docstatus 1) and cancelling it cancels the
document. Whatever the workflow says:

- the claimed amount is positive, in the request's currency, at most what the request has left to
  claim (other claims aside) and at most the co-op share of the actual cost; checked again at
  submission under the budget's row lock, so concurrent claims never take more than the request;
- submitting it needs at least one file of proof attached;
- only the channel team approves or rejects it; the approved amount (the claimed one unless they
  set less, with a reason) is posted through ERPNext (``prm_app.integrations.mdf_payout``) and
  its lead rows become ERPNext Leads (``prm_app.integrations.mdf_leads``);
- cancelling it cancels its payout; an amended claim goes through the workflow again and posts anew.
"""

import frappe
from frappe import _
from frappe.utils import flt, validate_email_address

from prm_app.constants import (
	APPROVED,
	MDF_CANCELLED,
	MDF_CLAIM_STATUSES,
	MDF_REQUEST,
	MDF_SUBMITTED,
	REJECTED,
	WITHDRAWN,
)
from prm_app.engine import mdf as rules
from prm_app.exceptions import (
	MDFAmountError,
	MDFCurrencyError,
	MDFStateError,
	ProofOfPerformanceError,
)
from prm_app.integrations import mdf_budget, mdf_leads, mdf_payout, proof_files
from prm_app.permissions import is_partner_scoped
from prm_app.prm_app.doctype.mdf_request.mdf_request import TEXT_LIMIT, throw_rule
from prm_app.prm_app.mdf_lifecycle import PartnerWorkflowDocument

MAX_LEADS = 500


class MDFClaim(PartnerWorkflowDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.mdf_claim_lead.mdf_claim_lead import MDFClaimLead

		actual_cost: DF.Currency
		amended_from: DF.Link | None
		approved_amount: DF.Currency
		approver: DF.Link | None
		budget: DF.Link | None
		campaign: DF.Link | None
		claimed_amount: DF.Currency
		co_op_percent: DF.Percent
		company: DF.Link | None
		currency: DF.Link | None
		decided_on: DF.Datetime | None
		decision_reason: DF.SmallText | None
		description: DF.SmallText | None
		leads: DF.Table[MDFClaimLead]
		mdf_request: DF.Link
		naming_series: DF.Literal["MDF-CLM-.YYYY.-"]
		paid_amount: DF.Currency
		partial_reason: DF.SmallText | None
		partner: DF.Link
		payment_status: DF.Literal["", "Unpaid", "Partly Paid", "Paid"]
		payout_doctype: DF.Literal["", "Purchase Invoice", "Journal Entry"]
		payout_name: DF.DynamicLink | None
		status: DF.Literal["Draft", "Submitted", "Approved", "Rejected", "Withdrawn", "Cancelled"]
		workflow_state: DF.Link | None
	# end: auto-generated types

	STATUSES = MDF_CLAIM_STATUSES
	SYSTEM_FIELDS = (
		"status",
		"workflow_state",
		"partner",
		"budget",
		"company",
		"campaign",
		"co_op_percent",
		"approved_amount",
		"partial_reason",
		"decision_reason",
		"payout_doctype",
		"payout_name",
		"paid_amount",
		"payment_status",
		"approver",
		"decided_on",
	)
	FIXED_FIELDS = ("partner", "naming_series", "amended_from", "mdf_request")

	def before_validate(self):
		self.keep_system_fields()
		self.keep_lead_links()
		self.set_lifecycle_from_workflow()
		self.set_from_request()

	def validate(self):
		self.validate_partner_identity()
		self.validate_may_act()
		self.validate_request()
		self.validate_partner_changes()
		self.validate_texts_and_leads()
		self.validate_amounts()
		self.validate_decision()
		self.validate_status_change()

	def on_update(self):
		before = self.get_doc_before_save()
		if not before or before.status != self.status:
			mdf_budget.refresh([self.budget])
			mdf_budget.refresh_requests([self.mdf_request])

	def on_submit(self):
		"""Approved: post the payout and make the leads (the channel team's decision)."""
		doctype, name = mdf_payout.post(self)
		self.db_set(
			{"payout_doctype": doctype, "payout_name": name, "paid_amount": 0, "payment_status": "Unpaid"},
			update_modified=False,
		)
		mdf_leads.make_leads(self)
		mdf_budget.refresh([self.budget])
		mdf_budget.refresh_requests([self.mdf_request])

	def before_cancel(self):
		if is_partner_scoped(frappe.session.user):
			frappe.throw(_("Only the channel team can cancel a claim."), frappe.PermissionError)

	def on_cancel(self):
		"""Cancelled: its payout is cancelled too (ERPNext reverses the GL entries)."""
		mdf_payout.cancel(self)
		self.db_set({"status": MDF_CANCELLED, "paid_amount": 0, "payment_status": ""}, update_modified=False)
		mdf_budget.refresh([self.budget])
		mdf_budget.refresh_requests([self.mdf_request])

	def after_delete(self):
		mdf_budget.refresh([self.budget])
		mdf_budget.refresh_requests([self.mdf_request])

	# -- setters

	def keep_lead_links(self):
		"""The ERPNext Lead of each row is the system's: a partner's save keeps what is stored."""
		if not is_partner_scoped(frappe.session.user):
			return
		before = self.get_doc_before_save()
		stored = {row.name: row.lead for row in (before.leads if before else [])}
		for row in self.leads:
			row.lead = stored.get(row.name)

	def set_from_request(self):
		"""Partner, budget, company, campaign, currency and co-op share from the request; a currency
		sent that is not the request's is refused, never silently replaced."""
		if not self.mdf_request or not frappe.db.exists(MDF_REQUEST, self.mdf_request):
			frappe.throw(_("Choose the approved request you claim against."), MDFStateError)
		request = frappe.db.get_value(
			MDF_REQUEST,
			self.mdf_request,
			["partner", "budget", "company", "currency", "campaign", "co_op_percent"],
			as_dict=True,
		)
		if self.currency and self.currency != request.currency:
			frappe.throw(
				_("The amounts must be in the request's currency, {0}, not {1}.").format(
					request.currency, self.currency
				),
				MDFCurrencyError,
				title=_("Wrong Currency"),
			)
		self.partner = request.partner if self.is_new() or not self.partner else self.partner
		self.budget = request.budget
		self.company = request.company
		self.currency = request.currency
		self.campaign = request.campaign
		self.co_op_percent = request.co_op_percent

	# -- checks

	def validate_request(self):
		request = frappe.get_doc(MDF_REQUEST, self.mdf_request)
		if request.partner != self.partner:
			frappe.throw(
				_("MDF Request {0} is another partner's.").format(self.mdf_request),
				frappe.PermissionError,
				title=_("Not Your Request"),
			)
		if (self.is_new() or self.status_changed_to(MDF_SUBMITTED)) and request.status != APPROVED:
			frappe.throw(
				_("MDF Request {0} is {1}: claims are made against approved requests only.").format(
					self.mdf_request, _(request.status)
				),
				MDFStateError,
				title=_("Request Not Approved"),
			)
		before = self.get_doc_before_save()
		if before and before.mdf_request != self.mdf_request:
			frappe.throw(
				_("A claim stays with its request."), MDFStateError, title=_("Request Cannot Change")
			)

	def validate_texts_and_leads(self):
		if len(self.description or "") > TEXT_LIMIT:
			frappe.throw(_("Keep the description under {0} characters.").format(TEXT_LIMIT), MDFStateError)
		if len(self.leads) > MAX_LEADS:
			frappe.throw(_("A claim lists at most {0} leads.").format(MAX_LEADS), MDFStateError)
		for row in self.leads:
			row.lead_name = (row.lead_name or "").strip()
			row.email_id = (row.email_id or "").strip() or None
			if not row.lead_name:
				frappe.throw(_("Leads row {0}: enter the person's name.").format(row.idx), MDFStateError)
			if row.email_id and validate_email_address(row.email_id) != row.email_id:
				frappe.throw(
					_("Leads row {0}: {1} is not a valid e-mail address.").format(row.idx, row.email_id),
					MDFStateError,
				)

	def validate_amounts(self):
		"""Positive, within the request's remainder and the co-op share of the actual cost: on every
		save without a lock, and at submission under the budget's row lock."""
		submitting = self.status_changed_to(MDF_SUBMITTED)
		if submitting:
			_budget, book = mdf_budget.locked_book(self.budget)
		else:
			book = mdf_budget.books([self.budget])[self.budget]
		if self.status not in ("Draft", MDF_SUBMITTED) or self.docstatus != 0:
			return
		try:
			self.claimed_amount = book.check_claim(
				self.name, self.mdf_request, self.actual_cost, self.claimed_amount, self.co_op_percent
			)
			self.actual_cost = rules.money(self.actual_cost)
		except rules.MDFRuleError as e:
			throw_rule(e, self.currency)

	def validate_status_change(self):
		if self.status_changed_to(MDF_SUBMITTED):
			if not proof_files.proof_count(self.name):
				frappe.throw(
					_("Attach proof of performance (invoices, photos, reports) before submitting the claim."),
					ProofOfPerformanceError,
					title=_("Proof Missing"),
				)
		elif self.status_changed_to(APPROVED):
			self.approve()
		elif self.status_changed_to(WITHDRAWN):
			before = self.get_doc_before_save()
			if before and before.status not in ("Draft", MDF_SUBMITTED):
				frappe.throw(_("Only a draft or submitted claim can be withdrawn."), MDFStateError)
		if self.status == APPROVED and self.docstatus != 1:
			frappe.throw(
				_("An approved claim is a submitted document: the workflow's approved state must submit it."),
				MDFStateError,
				title=_("Workflow"),
			)

	def approve(self):
		"""The approved amount (the claimed one unless the channel team set less, with a reason),
		under the budget's row lock."""
		_budget, book = mdf_budget.locked_book(self.budget)
		if self.name in book.claims:
			book.claims[self.name].status = MDF_SUBMITTED
			book.claims[self.name].claimed = rules.money(self.claimed_amount)
		try:
			self.approved_amount = book.check_approve_claim(
				self.name, self.approved_amount or self.claimed_amount
			)
		except rules.MDFRuleError as e:
			throw_rule(e, self.currency)
		if flt(self.approved_amount) < flt(self.claimed_amount) and not (self.partial_reason or "").strip():
			frappe.throw(
				_("Give the partner a reason for approving {0} of the {1} claimed.").format(
					frappe.utils.fmt_money(self.approved_amount, currency=self.currency),
					frappe.utils.fmt_money(self.claimed_amount, currency=self.currency),
				),
				MDFAmountError,
				title=_("Reason for a Partial Approval"),
			)

	# -- the channel team's action (reachable through run_doc_method: stored doc, checked)

	@frappe.whitelist()
	def refresh_payment(self):
		"""Read what ERPNext's payment ledger says is paid on this claim's payout."""
		self.require_channel_team()
		doc = self.stored("read")
		budgets = mdf_payout.refresh_paid(claims=[doc.name])
		if budgets:
			mdf_budget.refresh(budgets)
		return frappe.db.get_value(self.doctype, doc.name, ["paid_amount", "payment_status"], as_dict=True)
