# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A partner's market development fund for one period (fiscal quarter, half-year or year, per its
tier's MDF period) in one company.

The allocation comes from the partner's tier when the budget is made (a percentage of the
partner's invoiced revenue in the previous period, or the tier's fixed amount): by the daily job at
the start of a period, by the "Allocate MDF" action, or when the channel team makes one in the desk.
Afterwards only **Adjust Allocation** changes it, with a reason, logged in the budget's table and
timeline, and never below what the budget already holds. Reserved, claimed, paid and available
are computed from the budget's requests, claims and their payouts (``prm_app.engine.mdf``).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from prm_app.constants import PARTNER
from prm_app.engine import mdf as rules
from prm_app.exceptions import MDFStateError
from prm_app.integrations import accounting, mdf_budget
from prm_app.permissions import is_partner_scoped
from prm_app.prm_app.doctype.mdf_request.mdf_request import TEXT_LIMIT, throw_rule

ALLOCATION_FIELDS = (
	"program_tier",
	"allocation_basis",
	"allocation_percent",
	"basis_revenue",
	"computed_amount",
	"allocated_amount",
)


class MDFBudget(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.mdf_budget_adjustment.mdf_budget_adjustment import MDFBudgetAdjustment

		adjustments: DF.Table[MDFBudgetAdjustment]
		allocated_amount: DF.Currency
		allocation_basis: DF.Literal["", "Percent of Trailing Revenue", "Fixed Amount"]
		allocation_percent: DF.Percent
		available_amount: DF.Currency
		basis_revenue: DF.Currency
		budget_key: DF.Data | None
		claimed_amount: DF.Currency
		company: DF.Link
		computed_amount: DF.Currency
		currency: DF.Link | None
		naming_series: DF.Literal["MDF-BUD-.YYYY.-"]
		paid_amount: DF.Currency
		partner: DF.Link
		period_end: DF.Date | None
		period_start: DF.Date
		period_type: DF.Literal["", "Quarter", "Half-year", "Year"]
		program_tier: DF.Link | None
		reserved_amount: DF.Currency
		status: DF.Literal["Open", "Closed"]
	# end: auto-generated types

	def before_validate(self):
		self.currency = accounting.company_currency(self.company) if self.company else None
		self.set_period()

	def validate(self):
		self.validate_partner()
		self.validate_unique()
		self.set_allocation()
		self.keep_allocation()
		self.set_balance()

	def set_period(self):
		"""Any day of the period becomes its first; the period is the tier's when not chosen."""
		if not self.period_type and self.partner:
			tier = frappe.db.get_value(PARTNER, self.partner, "program_tier")
			self.period_type = (
				frappe.db.get_value("Program Tier", tier, "mdf_period") if tier else None
			) or (rules.QUARTER)
		if self.period_start and self.company and self.period_type:
			period = mdf_budget.period_of(self.period_start, self.period_type, self.company)
			self.period_start, self.period_end = period.start, period.end
			self.budget_key = mdf_budget.budget_key(
				self.partner, self.company, self.period_type, period.start
			)

	def validate_partner(self):
		if not self.partner or not frappe.db.exists(PARTNER, self.partner):
			frappe.throw(_("Choose the partner."), MDFStateError)

	def validate_unique(self):
		other = frappe.db.get_value(
			self.doctype, {"budget_key": self.budget_key, "name": ("!=", self.name)}, "name"
		)
		if other:
			frappe.throw(
				_("{0} already has MDF Budget {1} for this period in {2}.").format(
					self.partner, other, self.company
				),
				MDFStateError,
				title=_("Budget Exists"),
			)

	def set_allocation(self):
		"""A new budget takes its allocation from the partner's tier (unless the allocation job
		already did)."""
		if not self.is_new() or self.flags.allocated:
			return
		terms = mdf_budget.eligible_partners(partners=[self.partner])
		terms = next((t for t in terms if t.period == self.period_type), None) or (
			terms[0] if terms else None
		)
		if not terms:
			for field in ALLOCATION_FIELDS:
				self.set(field, None if field in ("program_tier", "allocation_basis") else 0)
			return
		period = rules.Period(self.period_type, self.period_start, self.period_end)
		self.update(mdf_budget.allocation_for(terms, self.company, period))

	def keep_allocation(self):
		"""After creation the allocation changes only through Adjust Allocation."""
		before = self.get_doc_before_save()
		if not before or self.flags.adjusting:
			return
		for field in ALLOCATION_FIELDS:
			if str(before.get(field) or "") != str(self.get(field) or ""):
				self.set(field, before.get(field))
		self.set("adjustments", [row.as_dict() for row in before.adjustments])

	def set_balance(self):
		if self.is_new():
			self.reserved_amount = self.claimed_amount = self.paid_amount = 0
			self.available_amount = self.allocated_amount
			return
		book = mdf_budget.books([self.name]).get(self.name)
		if book:
			book.allocated = rules.money(self.allocated_amount)
			figures = book.figures()
			self.reserved_amount = figures.reserved
			self.claimed_amount = figures.claimed
			self.paid_amount = figures.paid
			self.available_amount = figures.available

	# -- the channel team's actions (reachable through run_doc_method: stored doc, checked)

	@frappe.whitelist()
	def adjust_allocation(self, amount, reason):
		"""Change the allocation, with a reason: logged, and never below what the budget holds."""
		if is_partner_scoped(frappe.session.user):
			frappe.throw(_("Only the channel team adjusts MDF budgets."), frappe.PermissionError)
		doc, book = mdf_budget.locked_book(self.name if isinstance(self.name, str) else "")
		doc.check_permission("write")
		reason = reason.strip() if isinstance(reason, str) else ""
		if not reason:
			frappe.throw(_("Give a reason for the adjustment."), MDFStateError, title=_("Reason Missing"))
		if len(reason) > TEXT_LIMIT:
			frappe.throw(_("Keep the reason under {0} characters.").format(TEXT_LIMIT), MDFStateError)
		try:
			new = book.check_allocation(amount)
		except rules.MDFRuleError as e:
			throw_rule(e, doc.currency)
		previous = rules.money(doc.allocated_amount)
		doc.append(
			"adjustments",
			{
				"adjusted_on": now_datetime(),
				"adjusted_by": frappe.session.user,
				"previous_amount": previous,
				"new_amount": new,
				"reason": reason,
			},
		)
		doc.allocated_amount = new
		doc.flags.adjusting = True
		doc.save()
		doc.add_comment(
			"Info",
			_("Allocation adjusted from {0} to {1}: {2}").format(
				frappe.utils.fmt_money(previous, currency=doc.currency),
				frappe.utils.fmt_money(new, currency=doc.currency),
				reason,
			),
		)
		return {"allocated_amount": doc.allocated_amount, "available_amount": doc.available_amount}

	@frappe.whitelist()
	def refresh_balance(self):
		"""Compute the balance from the budget's requests, claims and payouts again."""
		if is_partner_scoped(frappe.session.user):
			frappe.throw(
				_("Only the channel team works with MDF budgets in the desk."), frappe.PermissionError
			)
		if not isinstance(self.name, str) or not frappe.db.exists(self.doctype, self.name):
			frappe.throw(_("This document does not exist."), frappe.PermissionError)
		frappe.get_doc(self.doctype, self.name).check_permission("read")
		mdf_budget.refresh([self.name])
		return frappe.db.get_value(
			self.doctype,
			self.name,
			["reserved_amount", "claimed_amount", "paid_amount", "available_amount"],
			as_dict=True,
		)
