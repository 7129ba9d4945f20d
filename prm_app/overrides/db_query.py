"""Two fixes for field-level read permissions in Frappe 15's list queries.

``DatabaseQuery.apply_fieldlevel_read_permissions`` removes the fields a user may not read by
popping them from ``self.fields`` while it enumerates that list, so the field right after each
removed one is never checked: ``fields=["name", "has_priority", "channel_conflict"]`` returns
``channel_conflict`` to a user without access to its permission level (frappe 15.74, every
doctype). Partners' registrations keep conflict evidence at permission level 1, so the fix is
applied for every request and job (hooks ``before_request`` / ``before_job``) and before tests.

It runs the original method with removals marked as None (what Frappe already does for
``as_list`` queries) and drops the marks afterwards, so every field is checked.
"""

from frappe.model.db_query import DatabaseQuery

_original = DatabaseQuery.apply_fieldlevel_read_permissions


def apply_fieldlevel_read_permissions(self):
	as_list = self.as_list
	self.as_list = True  # remove_field() marks with None instead of popping
	try:
		_original(self)
	finally:
		self.as_list = as_list
	if not as_list:
		self.fields = [field for field in self.fields if field is not None]


apply_fieldlevel_read_permissions.prm_app_fix = True


# -- filters on fields a partner may not read -----------------------------------------------------
# Frappe checks the fields a list query returns, not the fields it filters on: a partner user could
# learn a hidden value by filtering on it (``[["Deal Registration Conflict", "matched_record", "=",
# X]]`` answers yes or no). For partner-scoped users on partner-owned doctypes, a filter on a field
# they cannot read is refused.

_original_prepare_filter_condition = DatabaseQuery.prepare_filter_condition


def prepare_filter_condition(self, f):
	if not self.flags.ignore_permissions:
		refuse_hidden_filter(self, f)
	return _original_prepare_filter_condition(self, f)


prepare_filter_condition.prm_app_fix = True


def refuse_hidden_filter(query, f) -> None:
	import frappe
	from frappe.model import get_permitted_fields
	from frappe.utils.data import get_filter

	from prm_app.permissions import PARTNER_OWNED, is_partner_scoped

	if query.doctype not in PARTNER_OWNED or not is_partner_scoped(query.user):
		return
	flt = get_filter(query.doctype, f)
	if "(" in (flt.fieldname or ""):
		frappe.throw(frappe._("Filters on expressions are not allowed here."), frappe.PermissionError)
	parenttype = query.doctype if flt.doctype != query.doctype else None
	readable = get_permitted_fields(doctype=flt.doctype, parenttype=parenttype, user=query.user)
	if flt.fieldname not in readable:
		frappe.throw(
			frappe._("You cannot filter on {0}.").format(frappe.bold(flt.fieldname)), frappe.PermissionError
		)


def apply(*args, **kwargs) -> None:
	"""Install both fixes once (idempotent)."""
	if not getattr(DatabaseQuery.apply_fieldlevel_read_permissions, "prm_app_fix", False):
		DatabaseQuery.apply_fieldlevel_read_permissions = apply_fieldlevel_read_permissions
	if not getattr(DatabaseQuery.prepare_filter_condition, "prm_app_fix", False):
		DatabaseQuery.prepare_filter_condition = prepare_filter_condition
