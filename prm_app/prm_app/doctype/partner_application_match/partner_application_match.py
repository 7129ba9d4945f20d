# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class PartnerApplicationMatch(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		matched_doctype: DF.Link | None
		matched_name: DF.DynamicLink | None
		matched_title: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reasons: DF.SmallText | None
		score: DF.Int
	# end: auto-generated types
	pass
