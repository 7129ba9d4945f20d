# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""Paying a partner's accrued rebates: every submitted, unsettled Rebate Accrual of the partner in
the company whose period ends by "Settle Periods Ending Up To".

Submitting it posts the payout (PRM Settings' "Settle Rebates With", or the choice made here): a
Purchase Invoice to the partner's Supplier, or a credit note (Sales Invoice return) or Journal Entry
against its Customer; each debits the accrued rebate liability the accruals credited. The accruals
are locked while it is posted, so two settlements never pay one accrual. Cancelling it cancels the
payout and leaves the accruals unsettled again.
"""

import frappe
from frappe import _
from frappe.model.document import Document

from prm_app.constants import REBATE_ACCRUAL
from prm_app.engine import mdf as money_rules
from prm_app.exceptions import RebateError
from prm_app.integrations import accounting, rebates
from prm_app.permissions import is_partner_scoped

DOCUMENTS = ("Purchase Invoice", "Credit Note", "Journal Entry")


class RebateSettlement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.rebate_settlement_accrual.rebate_settlement_accrual import (
			RebateSettlementAccrual,
		)

		accruals: DF.Table[RebateSettlementAccrual]
		amended_from: DF.Link | None
		company: DF.Link
		currency: DF.Link | None
		naming_series: DF.Literal["REB-SET-.YYYY.-"]
		partner: DF.Link
		payout_doctype: DF.Literal["", "Purchase Invoice", "Sales Invoice", "Journal Entry"]
		payout_name: DF.DynamicLink | None
		posting_date: DF.Date
		settlement_document: DF.Literal["", "Purchase Invoice", "Credit Note", "Journal Entry"]
		total_amount: DF.Currency
		up_to: DF.Date
	# end: auto-generated types

	def before_validate(self):
		self.currency = accounting.company_currency(self.company) if self.company else None
		if not self.settlement_document:
			self.settlement_document = rebates.settlement_document()

	def validate(self):
		if is_partner_scoped(frappe.session.user):
			frappe.throw(_("Rebates are settled by the channel team."), frappe.PermissionError)
		if self.settlement_document not in DOCUMENTS:
			frappe.throw(_("Choose how to pay the rebate."), RebateError)
		self.set_accruals(lock=False)

	def before_submit(self):
		rebates.lock_partner(self.partner)
		self.set_accruals(lock=True)

	def on_submit(self):
		doctype, name = rebates.post_settlement(self)
		self.db_set({"payout_doctype": doctype, "payout_name": name}, update_modified=False)
		for row in self.accruals:
			frappe.db.set_value(
				REBATE_ACCRUAL, row.rebate_accrual, "settlement", self.name, update_modified=False
			)

	def on_cancel(self):
		accounting.cancel(self.payout_doctype, self.payout_name)
		for row in self.accruals:
			if frappe.db.get_value(REBATE_ACCRUAL, row.rebate_accrual, "settlement") == self.name:
				frappe.db.set_value(
					REBATE_ACCRUAL, row.rebate_accrual, "settlement", None, update_modified=False
				)

	def set_accruals(self, lock: bool):
		"""The partner's submitted, unsettled accruals whose period ends by ``up_to``."""
		rows = rebates.unsettled_accruals(self.partner, self.company, self.up_to, lock=lock)
		self.set("accruals", [])
		for row in rows:
			self.append(
				"accruals",
				{
					"rebate_accrual": row.name,
					"period_start": row.period_start,
					"period_end": row.period_end,
					"amount": row.total_rebate,
					"currency": self.currency,
				},
			)
		self.total_amount = sum((money_rules.money(row.total_rebate) for row in rows), money_rules.ZERO)
		if self.total_amount <= 0:
			frappe.throw(
				_("{0} has no accrued rebate to pay for periods ending by {1}.").format(
					self.partner, frappe.format(self.up_to, "Date")
				),
				RebateError,
				title=_("Nothing to Settle"),
			)
