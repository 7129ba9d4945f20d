# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class PartnerSalesMonth(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link
		gross_profit: DF.Currency
		invoices: DF.Int
		month: DF.Date
		partner: DF.Link
		revenue: DF.Currency
	# end: auto-generated types
	"""A partner's invoices of one company and month, summed (``prm_app.insights.sales``)."""


def on_doctype_update():
	# a period's whole months per partner, read from the index alone
	frappe.db.add_index(
		"Partner Sales Month", ["company", "month", "partner", "revenue", "gross_profit", "invoices"]
	)
