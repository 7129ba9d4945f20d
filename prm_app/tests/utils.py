"""Factories and set-up shared by the integration tests (FrappeTestCase, on a real bench)."""

import frappe
from frappe.utils import random_string


def before_tests():
	"""``run-tests --app prm_app`` runs only this app's hook: complete ERPNext's setup wizard
	(company, fiscal year, defaults) as frappe/hrms does, then make the app's roles and fields."""
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	erpnext_before_tests()
	from prm_app.install import after_migrate

	after_migrate()
	frappe.db.commit()  # nosemgrep: test set-up, outside any request


def unique(prefix: str) -> str:
	return f"{prefix} {random_string(8)}"


def next_free_rank() -> int:
	from frappe.query_builder.functions import Max

	tier = frappe.qb.DocType("Program Tier")
	highest = frappe.qb.from_(tier).select(Max(tier.rank)).run()[0][0] or 0
	return int(highest) + 1


def make_tier(**kw):
	values = {
		"doctype": "Program Tier",
		"tier_name": unique("Tier"),
		"rank": next_free_rank(),
	}
	values.update(kw)
	return frappe.get_doc(values).insert()


def make_user(email: str | None = None, website_user: bool = True, roles: tuple[str, ...] = ()):
	email = email or f"{random_string(10).lower()}@partner-test.example.com"
	if frappe.db.exists("User", email):
		return frappe.get_doc("User", email)
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": email.split("@")[0],
			"user_type": "Website User" if website_user else "System User",
			"send_welcome_email": 0,
			"roles": [{"role": r} for r in roles],
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	return user


def make_partner(users: tuple | list = (), **kw):
	"""A Partner; ``users`` is a list of user ids or (user, role) pairs."""
	values = {
		"doctype": "Partner",
		"partner_name": unique("Partner"),
		"status": "Prospect",
	}
	values.update(kw)
	doc = frappe.get_doc(values)
	for entry in users:
		user, role = (entry, "Partner User") if isinstance(entry, str) else entry
		doc.append("users", {"user": user, "role": role})
	return doc.insert()


def set_settings(**values):
	settings = frappe.get_single("PRM Settings")
	settings.update(values)
	settings.save()
	return settings
