"""What an approved deal registration creates in ERPNext's CRM: an Opportunity for the end
customer, from its Customer (existing, or new per PRM Settings) or else from a Lead, tagged with
the partner and the registration."""

import frappe
from frappe.utils import flt, getdate, today
from frappe.utils.nestedset import get_root_of


def create_records_for_registration(registration) -> None:
	settings = frappe.get_cached_doc("PRM Settings")
	if not settings.create_opportunity_on_approval and not settings.create_customer_on_approval:
		return
	values = {}
	customer = registration.customer or existing_customer(registration)
	if not customer and settings.create_customer_on_approval:
		customer = make_customer(registration)
	if customer and customer != registration.customer:
		values["customer"] = customer
	if settings.create_opportunity_on_approval and not registration.opportunity:
		values["opportunity"] = make_opportunity(registration, customer)
	if values:
		registration.db_set(values, update_modified=False)


def existing_customer(registration) -> str | None:
	"""A Customer among the registration's conflict evidence, or one of the same name."""
	for row in registration.get("conflicts") or []:
		if row.matched_doctype == "Customer" and frappe.db.exists("Customer", row.matched_record):
			return row.matched_record
	return frappe.db.get_value(
		"Customer", {"customer_name": registration.company_name, "disabled": 0}, "name"
	)


def make_customer(registration) -> str:
	customer = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": registration.company_name,
			"customer_type": "Company",
			"customer_group": frappe.db.get_single_value("Selling Settings", "customer_group")
			or get_root_of("Customer Group"),
			"territory": registration.territory or default_territory(),
			"website": registration.website,
			"prm_partner": registration.partner,
		}
	)
	customer.flags.ignore_permissions = True  # made by the system on the channel team's approval
	customer.insert()
	return customer.name


def make_lead(registration) -> str:
	lead = frappe.get_doc(
		{
			"doctype": "Lead",
			"company_name": registration.company_name,
			"lead_name": registration.contact_name or registration.company_name,
			"email_id": registration.contact_email,
			"phone": registration.contact_phone,
			"website": registration.website,
			"country": registration.country,
			"territory": registration.territory,
			"prm_partner": registration.partner,
		}
	)
	lead.flags.ignore_permissions = True
	lead.insert()
	return lead.name


def offered_lead(registration) -> str | None:
	"""The Lead the channel team handed the partner, when the registration was made from it."""
	return frappe.db.get_value("Lead Offer", {"deal_registration": registration.name}, "lead")


def default_territory() -> str:
	return frappe.db.get_single_value("Selling Settings", "territory") or get_root_of("Territory")


def make_opportunity(registration, customer: str | None) -> str:
	company = frappe.defaults.get_user_default("Company") or frappe.db.get_single_value(
		"Global Defaults", "default_company"
	)
	opportunity = frappe.get_doc(
		{
			"doctype": "Opportunity",
			"opportunity_from": "Customer" if customer else "Lead",
			"party_name": customer or offered_lead(registration) or make_lead(registration),
			"company": company,
			"transaction_date": today(),
			"expected_closing": registration.expected_close_date
			if getdate(registration.expected_close_date) >= getdate(today())
			else None,
			"opportunity_amount": flt(registration.expected_value),
			"currency": registration.currency,
			"territory": registration.territory,
			"country": registration.country,
			"website": registration.website,
			"contact_email": registration.contact_email,
			"prm_partner": registration.partner,
			"prm_deal_registration": registration.name,
			"items": [
				{
					"item_code": row.item_code,
					"qty": flt(row.qty),
					"rate": flt(row.amount) / flt(row.qty) if flt(row.qty) else 0,
					"amount": flt(row.amount),
				}
				for row in registration.items
			],
		}
	)
	opportunity.flags.ignore_permissions = True
	opportunity.insert()
	return opportunity.name
