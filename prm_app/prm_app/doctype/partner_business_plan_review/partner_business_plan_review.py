# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class PartnerBusinessPlanReview(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		author: DF.Link | None
		note: DF.SmallText
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		quarter: DF.Literal["Q1", "Q2", "Q3", "Q4"]
		side: DF.Literal["", "Partner", "Channel Team"]
		written_on: DF.Datetime | None
	# end: auto-generated types
	pass
