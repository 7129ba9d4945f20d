# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A partner's request for market development funds (pre-approval of an activity).

Lifecycle (``status``): Draft, Submitted, Approved, Rejected, Withdrawn, Closed; the admin's
workflow moves it (``workflow_state``), the rules below hold whatever the workflow says:

- the amount is positive, in the budget's currency, and within the co-op share of the planned
  cost (the part of the cost the vendor pays: the partner's tier's share, else PRM Settings');
- submitting it needs that much available in the budget now; approving it *reserves* the approved
  amount (at most what was requested) under the budget's row lock, so concurrent approvals never
  exceed the budget;
- only the channel team approves, rejects or closes it; closing an approved request releases what
  its claims did not take;
- approval makes (or keeps) the ERPNext Campaign its leads will be tagged with.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, today

from prm_app.constants import (
	APPROVED,
	BUDGET_OPEN,
	MDF_BUDGET,
	MDF_CLOSED,
	MDF_REQUEST_STATUSES,
	MDF_SUBMITTED,
	WITHDRAWN,
)
from prm_app.engine import mdf as rules
from prm_app.exceptions import MDFAmountError, MDFCurrencyError, MDFStateError, OverBudgetError
from prm_app.integrations import mdf_budget
from prm_app.prm_app.mdf_lifecycle import PartnerWorkflowDocument

TEXT_LIMIT = 5000


def rule_message(e: rules.MDFRuleError, currency: str | None = None) -> tuple[str, type]:
	"""A broken MDF rule in words, and the error class to raise it with."""
	limit = frappe.utils.fmt_money(e.limit, currency=currency) if e.limit is not None else ""
	messages = {
		"not_a_number": (_("Enter amounts as numbers, such as 2500."), MDFAmountError),
		"cost_not_positive": (_("The cost must be more than 0."), MDFAmountError),
		"requested_not_positive": (_("The requested amount must be more than 0."), MDFAmountError),
		"approved_not_positive": (_("The approved amount must be more than 0."), MDFAmountError),
		"claimed_not_positive": (_("The claimed amount must be more than 0."), MDFAmountError),
		"allocated_not_positive": (_("The allocation cannot be negative."), MDFAmountError),
		"amount_not_positive": (_("The amount must be more than 0."), MDFAmountError),
		"over_co_op_share": (
			_("The vendor funds at most its co-op share of the cost: {0}.").format(limit),
			MDFAmountError,
		),
		"over_budget": (_("The MDF budget has {0} available.").format(limit), OverBudgetError),
		"over_requested": (
			_("At most the requested amount, {0}, can be approved.").format(limit),
			MDFAmountError,
		),
		"over_request": (
			_("The request has {0} left to claim.").format(limit),
			MDFAmountError,
		),
		"over_claimed": (
			_("At most the claimed amount, {0}, can be approved.").format(limit),
			MDFAmountError,
		),
		"request_not_approved": (_("Claims are made against approved requests only."), MDFStateError),
		"claim_not_submitted": (_("Only a submitted claim can be approved."), MDFStateError),
		"below_committed": (
			_("The budget already holds {0} in requests and claims: it cannot be allocated less.").format(
				limit
			),
			OverBudgetError,
		),
	}
	for suffix in ("cost", "requested", "approved", "claimed", "allocated", "amount"):
		messages.setdefault(f"{suffix}_too_large", (_("This amount is too large."), MDFAmountError))
	return messages.get(e.code, (_("This amount is not valid."), MDFAmountError))


def throw_rule(e: rules.MDFRuleError, currency: str | None = None):
	message, exc = rule_message(e, currency)
	frappe.throw(message, exc, title=_("Check the Amounts"))


class MDFRequest(PartnerWorkflowDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		activity_type: DF.Link
		approved_amount: DF.Currency
		approver: DF.Link | None
		budget: DF.Link
		campaign: DF.Link | None
		claimed_amount: DF.Currency
		co_op_percent: DF.Percent
		company: DF.Link | None
		currency: DF.Link | None
		decided_on: DF.Datetime | None
		decision_reason: DF.SmallText | None
		description: DF.SmallText | None
		end_date: DF.Date
		expected_leads: DF.Int
		expected_pipeline: DF.Currency
		max_fundable: DF.Currency
		naming_series: DF.Literal["MDF-REQ-.YYYY.-"]
		partner: DF.Link
		planned_cost: DF.Currency
		remaining_amount: DF.Currency
		requested_amount: DF.Currency
		start_date: DF.Date
		status: DF.Literal["Draft", "Submitted", "Approved", "Rejected", "Withdrawn", "Closed"]
		title: DF.Data
		workflow_state: DF.Link | None
	# end: auto-generated types

	STATUSES = MDF_REQUEST_STATUSES
	SYSTEM_FIELDS = (
		"status",
		"workflow_state",
		"company",
		"co_op_percent",
		"max_fundable",
		"approved_amount",
		"claimed_amount",
		"remaining_amount",
		"decision_reason",
		"campaign",
		"approver",
		"decided_on",
	)
	# amounts an approval fixed: nobody changes them afterwards (close it and request again)
	APPROVED_FIELDS = ("budget", "planned_cost", "requested_amount", "approved_amount", "currency")

	def before_validate(self):
		self.keep_system_fields()
		self.set_lifecycle_from_workflow()
		self.set_from_budget()

	def validate(self):
		self.validate_partner_identity()
		self.validate_may_act()
		self.validate_budget()
		self.validate_texts_and_dates()
		self.validate_partner_changes()
		self.validate_amounts()
		self.validate_decision()
		self.validate_status_change()
		self.set_claimed()

	def on_update(self):
		if self.status_changed_to(APPROVED):
			from prm_app.integrations.mdf_leads import ensure_campaign

			campaign = ensure_campaign(self)
			if campaign != self.campaign:
				self.db_set("campaign", campaign, update_modified=False)
		before = self.get_doc_before_save()
		if not before or before.status != self.status or before.approved_amount != self.approved_amount:
			mdf_budget.refresh([self.budget])

	def after_delete(self):
		mdf_budget.refresh([self.budget])

	# -- setters

	def set_from_budget(self):
		"""Company, currency and co-op share from the budget and the partner; a currency sent that
		is not the budget's is refused, never silently replaced."""
		if not self.budget or not frappe.db.exists(MDF_BUDGET, self.budget):
			return
		company, currency = frappe.db.get_value(MDF_BUDGET, self.budget, ["company", "currency"])
		self.company = company
		if self.currency and self.currency != currency:
			frappe.throw(
				_("The amounts must be in the budget's currency, {0}, not {1}.").format(
					currency, self.currency
				),
				MDFCurrencyError,
				title=_("Wrong Currency"),
			)
		self.currency = currency
		if self.status in ("Draft", MDF_SUBMITTED) or not self.co_op_percent:
			self.co_op_percent = mdf_budget.co_op_percent(self.partner)
		self.max_fundable = rules.co_op_cap(self.planned_cost, self.co_op_percent)

	# -- checks

	def validate_budget(self):
		if not self.budget or not frappe.db.exists(MDF_BUDGET, self.budget):
			frappe.throw(_("Choose one of your MDF budgets."), MDFStateError, title=_("No Budget"))
		owner, status = frappe.db.get_value(MDF_BUDGET, self.budget, ["partner", "status"])
		if owner != self.partner:
			frappe.throw(
				_("MDF Budget {0} is another partner's.").format(self.budget),
				frappe.PermissionError,
				title=_("Not Your Budget"),
			)
		if status != BUDGET_OPEN and (self.is_new() or self.status_changed_to(MDF_SUBMITTED, APPROVED)):
			frappe.throw(
				_("MDF Budget {0} is closed: it takes no new requests.").format(self.budget),
				MDFStateError,
				title=_("Budget Closed"),
			)
		before = self.get_doc_before_save()
		if before and before.status in (APPROVED, MDF_CLOSED):
			changed = self.changed_fields(before, self.APPROVED_FIELDS)
			if changed:
				frappe.throw(
					_("An approved request's amounts and budget do not change. Close it and request again."),
					MDFStateError,
					title=_("Request Approved"),
				)

	def validate_texts_and_dates(self):
		self.title = (self.title or "").strip()
		if not self.title:
			frappe.throw(_("Name the activity."), MDFStateError, title=_("Activity Name"))
		if len(self.description or "") > TEXT_LIMIT:
			frappe.throw(_("Keep the description under {0} characters.").format(TEXT_LIMIT), MDFStateError)
		if not self.start_date or not self.end_date:
			frappe.throw(_("Enter when the activity starts and ends."), MDFStateError, title=_("Dates"))
		if getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(
				_("The activity cannot end before it starts."), MDFStateError, title=_("Dates the Wrong Way")
			)
		if self.status_changed_to(MDF_SUBMITTED) and getdate(self.end_date) < getdate(today()):
			frappe.throw(
				_("The activity ended on {0}: MDF is requested before an activity, not after.").format(
					frappe.format(getdate(self.end_date), "Date")
				),
				MDFStateError,
				title=_("Activity Over"),
			)
		if cint(self.expected_leads) < 0 or flt(self.expected_pipeline) < 0:
			frappe.throw(_("Expected leads and pipeline cannot be negative."), MDFAmountError)

	def validate_amounts(self):
		"""Positive, within the co-op share; at submission, within what the budget has available."""
		book = mdf_budget.books([self.budget])[self.budget]
		try:
			self.requested_amount = book.check_request(
				self.planned_cost,
				self.requested_amount,
				self.co_op_percent,
				name=self.name,
				budget=self.status_changed_to(MDF_SUBMITTED),
			)
			self.planned_cost = rules.money(self.planned_cost)
		except rules.MDFRuleError as e:
			throw_rule(e, self.currency)
		if self.approved_amount and flt(self.approved_amount) < 0:
			frappe.throw(_("The approved amount cannot be negative."), MDFAmountError)

	def validate_status_change(self):
		if self.status_changed_to(APPROVED):
			self.reserve()
		elif self.status_changed_to(WITHDRAWN):
			before = self.get_doc_before_save()
			if before and before.status not in ("Draft", MDF_SUBMITTED):
				frappe.throw(_("Only a draft or submitted request can be withdrawn."), MDFStateError)

	def reserve(self):
		"""Approval: the approved amount (the requested one unless the channel team set less) is
		reserved against the budget, under its row lock."""
		_budget, book = mdf_budget.locked_book(self.budget)
		try:
			self.approved_amount = book.check_approve_request(
				self.name, self.approved_amount or self.requested_amount, self.requested_amount
			)
		except rules.MDFRuleError as e:
			throw_rule(e, self.currency)

	def set_claimed(self):
		if self.is_new():
			self.claimed_amount = self.remaining_amount = 0
			return
		book = mdf_budget.books([self.budget])[self.budget]
		self.claimed_amount = book.used_of(self.name)
		self.remaining_amount = (
			max(rules.money(self.approved_amount) - book.used_of(self.name), rules.ZERO)
			if self.status == APPROVED
			else 0
		)

	# -- the channel team's actions (reachable through run_doc_method: stored doc, checked)

	@frappe.whitelist()
	def close_request(self, reason=None):
		"""Close an approved request: what its claims did not take goes back to the budget."""
		self.require_channel_team()
		budget = (
			frappe.db.get_value(self.doctype, self.name, "budget") if isinstance(self.name, str) else None
		)
		if budget:
			mdf_budget.lock(budget)  # the budget first, then the request (one lock order)
		doc = self.stored("write")
		if doc.status != APPROVED:
			frappe.throw(_("Only an approved request can be closed."), MDFStateError, title=_("Not Approved"))
		reason = reason.strip()[:TEXT_LIMIT] if isinstance(reason, str) and reason.strip() else None
		doc.set_status_by_system(MDF_CLOSED, reason)
		doc.db_set("remaining_amount", 0, update_modified=False)
		mdf_budget.refresh([doc.budget])
		return doc.status
