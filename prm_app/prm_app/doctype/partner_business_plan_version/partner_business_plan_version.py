# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class PartnerBusinessPlanVersion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		agreed_by: DF.Link | None
		agreed_on: DF.Datetime | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		snapshot: DF.LongText | None
		submitted_by: DF.Link | None
		version: DF.Int
	# end: auto-generated types
	pass
