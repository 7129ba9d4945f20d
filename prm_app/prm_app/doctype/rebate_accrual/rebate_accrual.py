# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A partner's rebate for one period in one company, and the invoices it covers.

Made by the period's batch (``prm_app.integrations.rebates``: the daily job once a period has
ended, or the "Accrue Rebates" action), or in the desk (its invoices are then found on save).
Submitting it posts one Journal Entry: Dr the rebate expense, Cr the accrued rebate liability (the
other way round for a negative period). Cancelling it cancels the entry, unless a settlement has
paid it. Its totals are the sums of its rows, each rounded to the cent.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from prm_app.constants import PARTNER
from prm_app.engine import mdf as money_rules
from prm_app.engine import rebates as engine
from prm_app.exceptions import RebateError
from prm_app.integrations import accounting, rebates
from prm_app.permissions import is_partner_scoped


class RebateAccrual(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.rebate_accrual_invoice.rebate_accrual_invoice import RebateAccrualInvoice

		amended_from: DF.Link | None
		company: DF.Link
		currency: DF.Link | None
		incentive_amount: DF.Currency
		invoices: DF.Table[RebateAccrualInvoice]
		journal_entry: DF.Link | None
		naming_series: DF.Literal["REB-ACC-.YYYY.-"]
		partner: DF.Link
		period_end: DF.Date
		period_start: DF.Date
		posting_date: DF.Date | None
		program_tier: DF.Link | None
		rebate_percent: DF.Percent
		revenue: DF.Currency
		settlement: DF.Link | None
		tier_rebate_amount: DF.Currency
		total_rebate: DF.Currency
	# end: auto-generated types

	def before_validate(self):
		self.currency = accounting.company_currency(self.company) if self.company else None
		if self.partner:
			self.program_tier = frappe.db.get_value(PARTNER, self.partner, "program_tier")
			self.rebate_percent = (
				frappe.db.get_value("Program Tier", self.program_tier, "rebate_percent")
				if self.program_tier
				else 0
			)

	def validate(self):
		if is_partner_scoped(frappe.session.user):
			frappe.throw(_("Rebates are accrued by the channel team."), frappe.PermissionError)
		self.validate_period()
		self.validate_unique()
		if self.docstatus == 0 and not self.flags.lines_given:
			self.find_invoices()
		self.set_totals()

	def before_submit(self):
		rebates.lock_partner(self.partner)
		invoices = [row.sales_invoice for row in self.invoices if row.kind != rebates.CANCELLATION]
		if rebates.covered_elsewhere(invoices, self.name):
			frappe.throw(
				_("Some of these invoices were accrued by another Rebate Accrual meanwhile: save it again."),
				RebateError,
				title=_("Already Accrued"),
			)
		self.posting_date = min(getdate(self.period_end), getdate(today()))

	def on_submit(self):
		self.db_set("journal_entry", rebates.post_accrual(self), update_modified=False)

	def before_cancel(self):
		if self.settlement and frappe.db.get_value("Rebate Settlement", self.settlement, "docstatus") == 1:
			frappe.throw(
				_("Rebate Settlement {0} has paid this accrual: cancel the settlement first.").format(
					self.settlement
				),
				RebateError,
				title=_("Settled"),
			)

	def on_cancel(self):
		accounting.cancel("Journal Entry", self.journal_entry)

	def validate_period(self):
		if getdate(self.period_end) < getdate(self.period_start):
			frappe.throw(_("The period cannot end before it starts."), RebateError)

	def validate_unique(self):
		other = frappe.db.get_value(
			self.doctype,
			{
				"partner": self.partner,
				"company": self.company,
				"period_start": self.period_start,
				"period_end": self.period_end,
				"docstatus": ("<", 2),
				"name": ("!=", self.name),
			},
			"name",
		)
		if other:
			frappe.throw(
				_("{0} already has Rebate Accrual {1} for this period in {2}.").format(
					self.partner, other, self.company
				),
				RebateError,
				title=_("Already Accrued"),
			)

	def find_invoices(self):
		"""A draft made in the desk: the partner's invoices not accrued yet, up to the period's end."""
		period = money_rules.Period("", getdate(self.period_start), getdate(self.period_end))
		rows = rebates.compute(self.company, period, [self.partner]).get(self.partner, [])
		self.set("invoices", [])
		for row in rows:
			self.append("invoices", row)

	def set_totals(self):
		for row in self.invoices:
			row.currency = self.currency
			row.rebate_amount = money_rules.money(row.tier_rebate) + money_rules.money(row.incentive)
		total = engine.batch(
			engine.Accrued(row.sales_invoice, row.net_amount, row.tier_rebate, row.incentive)
			for row in self.invoices
		)
		self.revenue = total.revenue
		self.tier_rebate_amount = total.tier_rebate
		self.incentive_amount = total.incentive
		self.total_rebate = total.total
