# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ChannelConflictRecord(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		deal_registration: DF.Link | None
		matched_doctype: DF.Link | None
		matched_name: DF.Data | None
		matched_record: DF.DynamicLink | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		partner: DF.Link | None
		reasons: DF.SmallText | None
		registered_on: DF.Datetime | None
		score: DF.Int
	# end: auto-generated types
	pass
