"""Version (track changes) of our doctypes must not carry fields a partner may not read.

The desk's ``getdoc`` returns a document's last versions to anyone who can read the document,
without field-level filtering. Deal Registration keeps its conflict evidence at permission level
1, so the evidence is dropped from its versions before they are saved: a partner reading its own
registration's history learns nothing about other partners. The evidence itself stays on the
registration (for the channel team) and in the Channel Conflict case.
"""

import json

import frappe


def hidden_fields(doctype: str) -> set[str]:
	meta = frappe.get_meta(doctype)
	if meta.module != "PRM App":
		return set()
	return {df.fieldname for df in meta.fields if df.permlevel}


def before_insert(doc, method=None) -> None:
	hidden = hidden_fields(doc.ref_doctype) if doc.ref_doctype else set()
	if not hidden or not doc.data:
		return
	data = json.loads(doc.data)
	for key in ("changed", "added", "removed", "row_changed"):
		if key in data:
			data[key] = [entry for entry in data[key] if entry and entry[0] not in hidden]
	doc.data = frappe.as_json(data, indent=None)
