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


REGISTRATION_LINKED_DOCTYPES = ("Opportunity", "Sales Order")


def get_custom_fields() -> dict[str, list[dict]]:
	fields = {
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
	for doctype in REGISTRATION_LINKED_DOCTYPES:
		fields[doctype].append(
			{
				"fieldname": "prm_deal_registration",
				"label": "Deal Registration",
				"fieldtype": "Link",
				"options": "Deal Registration",
				"insert_after": "prm_partner",
				"search_index": 1,
				"module": "PRM App",
			}
		)
	return fields


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


def ensure_settings_defaults() -> None:
	"""Give every PRM Settings field that was never saved its default (a Single's defaults are
	otherwise applied only when someone saves the form)."""
	singles = frappe.qb.Table("tabSingles")
	saved = {
		row[0]
		for row in frappe.qb.from_(singles)
		.select(singles.field)
		.where(singles.doctype == "PRM Settings")
		.run()
	}
	for df in frappe.get_meta("PRM Settings").fields:
		if df.default is not None and df.fieldname not in saved:
			frappe.db.set_single_value("PRM Settings", df.fieldname, df.default)


def before_install() -> None:
	ensure_roles()


def after_install() -> None:
	after_migrate()


def after_migrate() -> None:
	ensure_roles()
	ensure_custom_fields()
	ensure_settings_defaults()
