# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class PartnerBusinessPlanTarget(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		certified_people: DF.Int
		mdf_planned: DF.Currency
		new_customers: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		quarter: DF.Literal["Q1", "Q2", "Q3", "Q4"]
		registrations: DF.Int
		revenue: DF.Currency
	# end: auto-generated types
	pass
