"""Idempotent set-up run on install and on every migrate: roles, custom fields, the priority
counter, and the records an admin owns once they exist (workflows, notifications, assignment
rules): those are created from ``prm_app/defaults`` when missing and never overwritten, so what an
admin changes in the desk survives every migrate. (Frappe's fixtures are re-imported, and so
overwritten, on every migrate; only vocabulary records are shipped that way.)"""

import json
from pathlib import Path

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from prm_app.constants import AT_RISK_DIGEST_TEMPLATE

APP = Path(__file__).resolve().parent
# Shipped records are created in this order of doctypes (what others link to first); records of
# other doctypes come after them, file by file. Every capability drops its own files into
# prm_app/defaults (and its workflow states and actions into prm_app/fixtures).
DEFAULT_ORDER = (
	"Role",
	"Workflow State",
	"Workflow Action Master",
	"Email Template",
	"Workflow",
	"Notification",
	"Assignment Rule",
)

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
	fields["Sales Order"].append(
		{
			"fieldname": "prm_suggested_registration",
			"label": "Suggested Deal Registration",
			"fieldtype": "Link",
			"options": "Deal Registration",
			"insert_after": "prm_deal_registration",
			"read_only": 1,
			"no_copy": 1,
			"description": "A registration whose end customer resembles this order's customer. It earns the partner "
			"a commission only once a sales user confirms it (Partner > Attribute to Registration).",
			"module": "PRM App",
		}
	)
	# lead distribution rules hand leads to partners by what the lead is interested in
	fields["Lead"].append(
		{
			"fieldname": "prm_product_interest",
			"label": "Product Interest",
			"fieldtype": "Link",
			"options": "Item Group",
			"insert_after": "prm_partner",
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


def saved_settings() -> set[str]:
	singles = frappe.qb.Table("tabSingles")
	return {
		row[0]
		for row in frappe.qb.from_(singles)
		.select(singles.field)
		.where(singles.doctype == "PRM Settings")
		.run()
	}


def ensure_digest_template(installing: bool = False) -> None:
	"""PRM Settings names the shipped at-risk digest template once it exists (a Link field cannot
	default to a record that Frappe's first save of the settings, on install, does not have yet):
	on install, and on the first migrate of a site that never had the setting; afterwards an
	admin's choice, even an empty one, is kept."""
	if installing:
		unset = not frappe.db.get_single_value("PRM Settings", "at_risk_digest_template")
	else:
		unset = "at_risk_digest_template" not in saved_settings()
	if unset and frappe.db.exists("Email Template", AT_RISK_DIGEST_TEMPLATE):
		frappe.db.set_single_value("PRM Settings", "at_risk_digest_template", AT_RISK_DIGEST_TEMPLATE)


def ensure_settings_defaults() -> None:
	"""Give every PRM Settings field that was never saved its default (a Single's defaults are
	otherwise applied only when someone saves the form)."""
	saved = saved_settings()
	for df in frappe.get_meta("PRM Settings").fields:
		if df.default is not None and df.fieldname not in saved:
			frappe.db.set_single_value("PRM Settings", df.fieldname, df.default)


def default_records() -> list[dict]:
	"""Every shipped record, from prm_app/fixtures and prm_app/defaults, in DEFAULT_ORDER."""
	records = []
	for folder in ("fixtures", "defaults"):
		for path in sorted((APP / folder).glob("*.json")):
			records.extend(json.loads(path.read_text()))

	def rank(record):
		doctype = record["doctype"]
		return DEFAULT_ORDER.index(doctype) if doctype in DEFAULT_ORDER else len(DEFAULT_ORDER)

	return sorted(records, key=rank)  # stable: file order within a doctype


def ensure_default_records() -> list[str]:
	"""Create each shipped default record that does not exist yet; never touch an existing one."""
	made = []
	for record in default_records():
		if frappe.db.exists(record["doctype"], record["name"]):
			continue
		values = {
			k: v for k, v in record.items() if k not in ("modified", "creation", "owner", "modified_by")
		}
		doc = frappe.get_doc(values)
		doc.flags.ignore_permissions = True
		doc.insert(set_name=record["name"])
		made.append(f"{record['doctype']} {record['name']}")
	return made


# Composite indexes the portal's queries need (doctype -> (index name, columns)): a partner's
# registrations by status and newest first, and its approved ones by protection end; made on
# install and migrate when missing (``frappe.db.add_index`` checks by name).
INDEXES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
	"Deal Registration": (
		("prm_partner_modified", ("partner", "modified")),
		("prm_partner_status_modified", ("partner", "status", "modified")),
		("prm_partner_status_protection", ("partner", "status", "protection_until")),
	),
}


def ensure_indexes() -> None:
	for doctype, indexes in INDEXES.items():
		for name, columns in indexes:
			frappe.db.add_index(doctype, list(columns), index_name=name)


def ensure_priority_counter() -> None:
	from prm_app.conflict.check import ensure_priority_counter as ensure

	ensure()


def before_install() -> None:
	ensure_roles()


def after_install() -> None:
	after_migrate()
	ensure_digest_template(installing=True)


def after_migrate() -> None:
	ensure_roles()
	ensure_custom_fields()
	ensure_settings_defaults()
	ensure_priority_counter()
	ensure_default_records()
	ensure_indexes()
	ensure_digest_template()
	ensure_insight_indexes()


def ensure_insight_indexes() -> None:
	from prm_app.insights.setup import ensure_setup

	ensure_setup()
