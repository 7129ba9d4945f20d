# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class PRMMatchKey(Document):
	"""One lookup key of one record; written in bulk by ``prm_app.conflict.keys``."""


def on_doctype_update():
	frappe.db.add_index("PRM Match Key", ["ref_doctype", "ref_name"])
