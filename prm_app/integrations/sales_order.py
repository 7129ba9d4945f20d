"""Sales Order attribution: an order for a registered customer is the partner's win.

When the order is saved or submitted (``before_validate``, so ERPNext's own validation then
computes the commission) it is matched to an Approved registration:
the one it names, else one whose Customer is the order's, else one whose end customer matches
the order's customer by name or domain (the conflict keys). The order gets ``prm_partner``,
``sales_partner`` (so ERPNext computes the commission) and ``prm_deal_registration``.
Submitting it marks the registration Won; cancelling it puts the registration back to Approved.
"""

import frappe
from frappe import _

from prm_app.conflict import keys
from prm_app.conflict.check import threshold
from prm_app.conflict.sources import DEAL_REGISTRATION, Record
from prm_app.engine import matching

APPROVED = "Approved"
WON = "Won"


def before_validate(doc, method=None):
	if doc.docstatus == 2 or doc.get("_action") == "update_after_submit":
		return
	registration = find_registration(doc)
	if not registration:
		return
	partner = frappe.db.get_value(DEAL_REGISTRATION, registration, "partner")
	doc.prm_deal_registration = registration
	doc.prm_partner = partner
	sales_partner = frappe.db.get_value("Partner", partner, "sales_partner")
	if sales_partner and not doc.sales_partner:
		doc.sales_partner = sales_partner
		doc.commission_rate = frappe.db.get_value("Sales Partner", sales_partner, "commission_rate")


def find_registration(doc) -> str | None:
	if doc.get("prm_deal_registration"):
		status = frappe.db.get_value(DEAL_REGISTRATION, doc.prm_deal_registration, "status")
		return doc.prm_deal_registration if status in (APPROVED, WON) else None
	by_customer = frappe.get_all(
		DEAL_REGISTRATION,
		filters={"customer": doc.customer, "status": APPROVED},
		order_by="registered_on asc",
		pluck="name",
		limit=1,
	)
	if by_customer:
		return by_customer[0]
	customer = frappe.db.get_value(
		"Customer", doc.customer, ["customer_name", "website", "email_id"], as_dict=True
	)
	if not customer:
		return None
	party = keys.party_of(Record(customer.customer_name, domain=customer.website or customer.email_id))
	best = None
	limit = threshold()
	for row in keys.candidates(party):
		if row.ref_doctype != DEAL_REGISTRATION:
			continue
		other = keys.party_of_row(row, party.abbreviations)
		if matching.score(party, other).score < limit:
			continue
		if frappe.db.get_value(DEAL_REGISTRATION, row.ref_name, "status") != APPROVED:
			continue
		if best is None or (row.registered_on, row.ref_name) < (best.registered_on, best.ref_name):
			best = row
	return best.ref_name if best else None


def on_submit(doc, method=None):
	if not doc.get("prm_deal_registration"):
		return
	registration = frappe.get_doc(DEAL_REGISTRATION, doc.prm_deal_registration)
	if registration.status != APPROVED:
		return
	values = {"sales_order": doc.name}
	if not registration.customer:
		values["customer"] = doc.customer
	registration.set_status_by_system(WON, _("Sales Order {0} submitted.").format(doc.name), **values)


def on_cancel(doc, method=None):
	if not doc.get("prm_deal_registration"):
		return
	registration = frappe.get_doc(DEAL_REGISTRATION, doc.prm_deal_registration)
	if registration.status == WON and registration.sales_order == doc.name:
		registration.set_status_by_system(
			APPROVED, _("Sales Order {0} cancelled.").format(doc.name), sales_order=None
		)
