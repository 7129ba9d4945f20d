# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class DealRegistrationExtension(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		days: DF.Int
		decided_by: DF.Link | None
		decided_on: DF.Datetime | None
		decision: DF.Literal["Pending", "Approved", "Rejected"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reason: DF.SmallText
		requested_by: DF.Link | None
		requested_on: DF.Datetime | None
	# end: auto-generated types
	pass
