"""Sales Order attribution: an order for a registered customer is the partner's win, on evidence.

Commission follows attribution, so an order is attributed automatically only on evidence:

1. the order names the registration (``prm_deal_registration``, set by a sales user);
2. the order's customer is the registration's Customer;
3. the order's customer and the registration's end customer share a registrable domain (never a
   free-mail one) and have the same name once normalised (legal forms, accents, case, punctuation).

A fuzzy name match (the conflict check's rule, tuned for recall with a person deciding) only
*suggests* the registration: it is shown on the order (``prm_suggested_registration``) for a sales
user to confirm, who then sets ``prm_deal_registration``.

When attributed (``before_validate``, so ERPNext's own validation then computes the commission),
the order gets ``prm_partner``, ``sales_partner`` and ``prm_deal_registration``. Submitting it marks
the registration Won; cancelling it puts the registration back to Approved.
"""

import frappe
from frappe import _

from prm_app.conflict import keys
from prm_app.conflict.check import threshold
from prm_app.conflict.sources import Record
from prm_app.constants import APPROVED, DEAL_REGISTRATION, WON
from prm_app.engine import matching


def before_validate(doc, method=None):
	if doc.docstatus == 2 or doc.get("_action") == "update_after_submit":
		return
	registration, suggestion = find_registration(doc)
	doc.prm_suggested_registration = suggestion if not registration else None
	if not registration:
		return
	partner = frappe.db.get_value(DEAL_REGISTRATION, registration, "partner")
	doc.prm_deal_registration = registration
	doc.prm_partner = partner
	sales_partner = frappe.db.get_value("Partner", partner, "sales_partner")
	if sales_partner and not doc.sales_partner:
		doc.sales_partner = sales_partner
		doc.commission_rate = frappe.db.get_value("Sales Partner", sales_partner, "commission_rate")


def find_registration(doc) -> tuple[str | None, str | None]:
	"""(the registration the order is attributed to, a registration only suggested)."""
	if doc.get("prm_deal_registration"):
		status = frappe.db.get_value(DEAL_REGISTRATION, doc.prm_deal_registration, "status")
		return (doc.prm_deal_registration if status in (APPROVED, WON) else None), None
	by_customer = frappe.get_all(
		DEAL_REGISTRATION,
		filters={"customer": doc.customer, "status": APPROVED},
		order_by="priority_sequence asc, registered_on asc",
		pluck="name",
		limit=1,
	)
	if by_customer:
		return by_customer[0], None
	customer = frappe.db.get_value(
		"Customer", doc.customer, ["customer_name", "website", "email_id"], as_dict=True
	)
	if not customer:
		return None, None
	return best_by_name(customer)


def best_by_name(customer) -> tuple[str | None, str | None]:
	party = keys.party_of(Record(customer.customer_name, domain=customer.website or customer.email_id))
	limit = threshold()
	evidence, suggestions = [], []
	for row in keys.candidates(party):
		if row.ref_doctype != DEAL_REGISTRATION:
			continue
		other = keys.party_of_row(row, party.abbreviations)
		if matching.score(party, other).score < limit:
			continue
		if frappe.db.get_value(DEAL_REGISTRATION, row.ref_name, "status") != APPROVED:
			continue
		order = (row.priority or 0, row.registered_on or "", row.ref_name)
		(evidence if is_evidence(party, other) else suggestions).append((order, row.ref_name))
	first = lambda rows: min(rows)[1] if rows else None  # noqa: E731
	return first(evidence), first(suggestions)


def is_evidence(ours: matching.Party, theirs: matching.Party) -> bool:
	"""The same registrable (not free-mail) domain and the same normalised name."""
	domain = ours.domain
	return bool(
		domain
		and domain == theirs.domain
		and not matching.is_free_mail_domain(domain)
		and ours.key
		and ours.key == theirs.key
	)


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
