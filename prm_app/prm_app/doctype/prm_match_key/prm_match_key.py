# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class PRMMatchKey(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company_name: DF.Data | None
		country: DF.Data | None
		domain: DF.Data | None
		match_key: DF.Data
		partner: DF.Data | None
		products: DF.SmallText | None
		ref_doctype: DF.Link
		ref_name: DF.DynamicLink
		registered_on: DF.Datetime | None
		territory: DF.Data | None
	# end: auto-generated types
	"""One lookup key of one record; written in bulk by ``prm_app.conflict.keys``."""


def on_doctype_update():
	frappe.db.add_index("PRM Match Key", ["ref_doctype", "ref_name"])
