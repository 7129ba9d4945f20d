"""The ERPNext parties behind a Partner: Sales Partner, Customer and Supplier.

Activating a Partner creates or links each of them, never duplicating one that already exists
for the same company. The channel team manages partners; it need not hold rights on ERPNext's
party masters, so these documents are written with ``ignore_permissions`` from desk paths only.
"""

import frappe
from frappe.utils.nestedset import get_root_of


def link_parties(partner) -> None:
	settings = frappe.get_cached_doc("PRM Settings")
	updates = {}

	sales_partner = ensure_sales_partner(partner)
	if sales_partner != partner.sales_partner:
		updates["sales_partner"] = sales_partner

	if settings.create_customer_on_activation:
		customer = ensure_customer(partner, settings)
		if customer != partner.customer:
			updates["customer"] = customer

	if settings.create_supplier_on_activation:
		supplier = ensure_supplier(partner, settings)
		if supplier != partner.supplier:
			updates["supplier"] = supplier

	if updates:
		partner.db_set(updates, update_modified=False)


def tier_commission(partner) -> float:
	if not partner.program_tier:
		return 0.0
	return frappe.db.get_value("Program Tier", partner.program_tier, "commission_rate") or 0.0


def default_territory(partner) -> str:
	return (
		partner.territory
		or frappe.db.get_single_value("Selling Settings", "territory")
		or get_root_of("Territory")
	)


def ensure_sales_partner(partner) -> str:
	"""The Sales Partner linked to ``partner``: the one already linked, else one of the same name,
	else a new one."""
	name = None
	if partner.sales_partner and frappe.db.exists("Sales Partner", partner.sales_partner):
		name = partner.sales_partner
	elif frappe.db.exists("Sales Partner", partner.partner_name):
		name = partner.partner_name

	if name:
		# Linked for the first time, a Sales Partner takes the tier's commission; once linked it
		# keeps its commission (it may have been set by hand in ERPNext), and only a change of the
		# partner's tier sets it again (update_commission).
		sales_partner = frappe.get_doc("Sales Partner", name)
		changed = False
		if not partner.sales_partner and partner.program_tier:
			changed = sales_partner.commission_rate != tier_commission(partner)
			sales_partner.commission_rate = tier_commission(partner)
		if partner.territory and sales_partner.territory != partner.territory:
			sales_partner.territory = partner.territory
			changed = True
		if changed:
			sales_partner.flags.ignore_permissions = True
			sales_partner.save()
		return name

	sales_partner = frappe.get_doc(
		{
			"doctype": "Sales Partner",
			"partner_name": partner.partner_name,
			"partner_type": partner.partner_type,
			"territory": default_territory(partner),
			"commission_rate": tier_commission(partner),
			"partner_website": partner.website,
		}
	)
	sales_partner.flags.ignore_permissions = True
	sales_partner.insert()
	return sales_partner.name


def ensure_customer(partner, settings) -> str:
	if partner.customer and frappe.db.exists("Customer", partner.customer):
		return partner.customer
	existing = frappe.db.get_value("Customer", {"customer_name": partner.partner_name}, "name")
	if existing:
		return existing

	customer = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": partner.partner_name,
			"customer_type": "Company",
			"customer_group": settings.customer_group
			or frappe.db.get_single_value("Selling Settings", "customer_group")
			or get_root_of("Customer Group"),
			"territory": default_territory(partner),
			"website": partner.website,
		}
	)
	customer.flags.ignore_permissions = True
	customer.insert()
	return customer.name


def ensure_supplier(partner, settings) -> str:
	if partner.supplier and frappe.db.exists("Supplier", partner.supplier):
		return partner.supplier
	existing = frappe.db.get_value("Supplier", {"supplier_name": partner.partner_name}, "name")
	if existing:
		return existing

	supplier = frappe.get_doc(
		{
			"doctype": "Supplier",
			"supplier_name": partner.partner_name,
			"supplier_type": "Company",
			"supplier_group": settings.supplier_group
			or frappe.db.get_single_value("Buying Settings", "supplier_group")
			or get_root_of("Supplier Group"),
			"country": partner.country,
			"website": partner.website,
		}
	)
	supplier.flags.ignore_permissions = True
	supplier.insert()
	return supplier.name


def update_commission(partner) -> None:
	"""Copy the partner's tier commission rate to its Sales Partner."""
	if not partner.sales_partner or not frappe.db.exists("Sales Partner", partner.sales_partner):
		return
	sales_partner = frappe.get_doc("Sales Partner", partner.sales_partner)
	commission = tier_commission(partner)
	if sales_partner.commission_rate == commission:
		return
	sales_partner.commission_rate = commission
	sales_partner.flags.ignore_permissions = True
	sales_partner.save()


# Above this many partners, a tier's commission change is applied in a background job.
SYNC_LIMIT = 20


def update_commission_for_tier(tier: str) -> None:
	partners = frappe.get_all(
		"Partner", filters={"program_tier": tier, "sales_partner": ("is", "set")}, pluck="name"
	)
	if len(partners) > SYNC_LIMIT:
		frappe.enqueue(
			"prm_app.integrations.erpnext_parties.update_commission_for_partners",
			partners=partners,
			queue="long",
			enqueue_after_commit=True,
		)
		return
	update_commission_for_partners(partners)


def update_commission_for_partners(partners: list[str]) -> None:
	for name in partners:
		update_commission(frappe.get_doc("Partner", name))
