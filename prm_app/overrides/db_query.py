"""A fix for field-level read permissions in Frappe 15's list queries.

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


def apply(*args, **kwargs) -> None:
	"""Install the fix once (idempotent)."""
	if not getattr(DatabaseQuery.apply_fieldlevel_read_permissions, "prm_app_fix", False):
		DatabaseQuery.apply_fieldlevel_read_permissions = apply_fieldlevel_read_permissions
