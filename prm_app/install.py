"""Idempotent set-up run on install and on every migrate: roles and custom fields."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

# role name -> desk access. Partner roles are website users: no desk.
ROLES: dict[str, int] = {
	"Partner Manager": 1,
	"Partner": 0,
	"Partner Admin": 0,
}

PARTNER_LINKED_DOCTYPES: dict[str, str] = {
	# doctype -> field the link is placed after
	"Customer": "territory",
	"Lead": "source",
	"Opportunity": "source",
	"Quotation": "territory",
	"Sales Order": "territory",
	"Sales Invoice": "territory",
}


def get_custom_fields() -> dict[str, list[dict]]:
	return {
		doctype: [
			{
				"fieldname": "prm_partner",
				"label": "Partner",
				"fieldtype": "Link",
				"options": "Partner",
				"insert_after": insert_after,
				"search_index": 1,
				"in_standard_filter": 1,
				"module": "PRM App",
			}
		]
		for doctype, insert_after in PARTNER_LINKED_DOCTYPES.items()
	}


def ensure_roles() -> None:
	"""Create the app's roles, or put their desk access right.

	Doctype sync creates any role named in a permission with desk access on, so this also runs
	after every migrate to switch it back off for the website roles.
	"""
	for role_name, desk_access in ROLES.items():
		if frappe.db.exists("Role", role_name):
			if frappe.db.get_value("Role", role_name, "desk_access") != desk_access:
				frappe.db.set_value("Role", role_name, "desk_access", desk_access)
			continue
		role = frappe.new_doc("Role")
		role.role_name = role_name
		role.desk_access = desk_access
		role.insert(ignore_permissions=True)


def ensure_custom_fields() -> None:
	create_custom_fields(get_custom_fields(), update=True)


def before_install() -> None:
	ensure_roles()


def after_install() -> None:
	ensure_roles()
	ensure_custom_fields()


def after_migrate() -> None:
	ensure_roles()
	ensure_custom_fields()
