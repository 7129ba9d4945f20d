"""Field-level read permissions in Frappe 15's list queries (``frappe.model.db_query``).

Frappe 15 lets these through; Frappe 16's query engine (``frappe.database.query``) checks them
itself, so the fixes are installed on Frappe 15 only (``needed()``), and a test pins both: on 15
that the patched methods still exist and are patched, on 16 that lists run on the new engine.

1. ``DatabaseQuery.apply_fieldlevel_read_permissions`` removes the fields a user may not read by
   popping them from ``self.fields`` while it enumerates that list, so the field right after each
   removed one is never checked: ``fields=["name", "has_priority", "channel_conflict"]`` returned
   ``channel_conflict`` to a user without access to its permission level (frappe 15.74, every
   doctype). The original runs with removals marked as None (what Frappe already does for
   ``as_list`` queries) and the marks are dropped afterwards, so every field is checked.
2. Filters, sort fields and group fields are not checked at all: a partner user could learn a hidden
   value by filtering on it (``[["Deal Registration Conflict", "matched_record", "=", X]]`` answers
   yes or no), or by sorting or grouping on it. For partner-scoped users on partner-owned doctypes,
   any of them on a field they cannot read is refused.

Installed for every request and job (hooks ``before_request`` / ``before_job``) and before tests.
"""

import re

import frappe

PATCHED = ("apply_fieldlevel_read_permissions", "prepare_filter_condition", "validate_order_by_and_group_by")
TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def needed() -> bool:
	"""Whether ``frappe.get_list`` still runs on ``frappe.model.db_query`` (Frappe 15)."""
	return int(frappe.__version__.split(".")[0]) < 16


def database_query():
	from frappe.model.db_query import DatabaseQuery

	return DatabaseQuery


def originals() -> dict:
	cls = database_query()
	return {name: getattr(getattr(cls, name), "prm_app_original", getattr(cls, name)) for name in PATCHED}


def apply_fieldlevel_read_permissions(self):
	as_list = self.as_list
	self.as_list = True  # remove_field() marks with None instead of popping
	try:
		originals()["apply_fieldlevel_read_permissions"](self)
	finally:
		self.as_list = as_list
	if not as_list:
		self.fields = [field for field in self.fields if field is not None]


def prepare_filter_condition(self, f):
	if not self.flags.ignore_permissions:
		refuse_hidden_filter(self, f)
	return originals()["prepare_filter_condition"](self, f)


def validate_order_by_and_group_by(self, parameters: str):
	originals()["validate_order_by_and_group_by"](self, parameters)
	if parameters and not self.flags.ignore_permissions:
		refuse_hidden_sort_or_group(self, parameters)


def scoped_query(query) -> bool:
	from prm_app.permissions import PARTNER_OWNED, PARTNER_OWNED_CHILDREN, is_partner_scoped

	owned = query.doctype in PARTNER_OWNED or query.doctype in PARTNER_OWNED_CHILDREN
	return owned and is_partner_scoped(query.user)


def readable(query, doctype: str) -> list[str]:
	"""The fields of ``doctype`` (the query's own, or a child table joined to it) the user can read."""
	from frappe.model import get_permitted_fields

	parent = getattr(query, "parent_doctype", None) or query.doctype
	return get_permitted_fields(
		doctype=doctype, parenttype=parent if doctype != parent else None, user=query.user
	)


def refuse_hidden_filter(query, f) -> None:
	from frappe.utils.data import get_filter

	if not scoped_query(query):
		return
	flt = get_filter(query.doctype, f)
	if "(" in (flt.fieldname or ""):
		frappe.throw(frappe._("Filters on expressions are not allowed here."), frappe.PermissionError)
	if flt.fieldname not in readable(query, flt.doctype):
		frappe.throw(
			frappe._("You cannot filter on {0}.").format(frappe.bold(flt.fieldname)), frappe.PermissionError
		)


def hidden_fields(query) -> set[str]:
	"""Fieldnames of the query's doctype (and of its child tables) the user cannot read."""
	meta = frappe.get_meta(query.doctype)
	hidden = set(meta.get_valid_columns()) - set(readable(query, query.doctype))
	for df in meta.get_table_fields():
		child = frappe.get_meta(df.options)
		hidden |= set(child.get_valid_columns()) - set(readable(query, df.options)) - {"name", "parent"}
	return hidden


def refuse_hidden_sort_or_group(query, parameters: str) -> None:
	"""No sort or group term may name a field the user cannot read, nor a child table partners
	never read (``HIDDEN_FROM_PARTNERS``); aliases and Frappe's own expressions (link search's
	relevance) pass, as long as they name no such field."""
	from prm_app.permissions import HIDDEN_FROM_PARTNERS

	if not scoped_query(query):
		return
	lowered = parameters.lower()
	if any(f"tab{child}".lower() in lowered for child in HIDDEN_FROM_PARTNERS):
		frappe.throw(frappe._("You cannot sort or group by {0}.").format(parameters), frappe.PermissionError)
	named = set(TOKEN.findall(parameters))
	refused = sorted(named & hidden_fields(query))
	if refused:
		frappe.throw(
			frappe._("You cannot sort or group by {0}.").format(frappe.bold(", ".join(refused))),
			frappe.PermissionError,
		)


FIXES = {
	"apply_fieldlevel_read_permissions": apply_fieldlevel_read_permissions,
	"prepare_filter_condition": prepare_filter_condition,
	"validate_order_by_and_group_by": validate_order_by_and_group_by,
}


def apply(*args, **kwargs) -> None:
	"""Install the fixes once (idempotent), on Frappe 15 only."""
	if not needed():
		return
	cls = database_query()
	for name, fix in FIXES.items():
		current = getattr(cls, name)
		if getattr(current, "prm_app_fix", False):
			continue
		fix.prm_app_fix = True
		fix.prm_app_original = current
		setattr(cls, name, fix)


def installed() -> bool:
	cls = database_query()
	return all(getattr(getattr(cls, name, None), "prm_app_fix", False) for name in PATCHED)
