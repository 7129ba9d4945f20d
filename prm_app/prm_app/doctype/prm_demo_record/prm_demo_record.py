# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class PRMDemoRecord(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		reference_doctype: DF.Link
		reference_name: DF.DynamicLink
		step: DF.Data | None
	# end: auto-generated types
	"""One record the demo programme made (``prm_app.demo``)."""


def on_doctype_update():
	frappe.db.add_index("PRM Demo Record", ["reference_doctype", "reference_name"])
