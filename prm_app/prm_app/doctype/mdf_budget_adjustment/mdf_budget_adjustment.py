# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class MDFBudgetAdjustment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		adjusted_by: DF.Link | None
		adjusted_on: DF.Datetime | None
		new_amount: DF.Currency
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		previous_amount: DF.Currency
		reason: DF.SmallText | None
	# end: auto-generated types
	pass
