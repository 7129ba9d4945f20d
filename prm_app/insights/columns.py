"""Report columns. A Link column makes Frappe check the user's permissions on the linked doctype
for every row (``frappe.desk.query_report.get_filtered_data``), and refuse the whole report when
the user may not even select it (a Partner Manager who has no role on Territory or User): such a
column is shown as plain text for that user instead."""

import frappe
from frappe.permissions import get_role_permissions


def can_select(doctype: str) -> bool:
	permissions = get_role_permissions(frappe.get_meta(doctype))
	return bool(permissions.get("select") or permissions.get("read"))


def link(fieldname: str, label: str, doctype: str, width: int = 120, **extra) -> dict:
	column = {"fieldname": fieldname, "label": label, "width": width, **extra}
	if can_select(doctype):
		column.update(fieldtype="Link", options=doctype)
	else:
		column["fieldtype"] = "Data"
	return column
