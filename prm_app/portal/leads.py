"""What a partner sees of a lead: the Lead fields PRM Settings lists, read server-side for an offer
of its own that is open (offered to it, or accepted by it), and nothing of any other lead.

Partners hold no permission on Lead or Lead Offer; the portal reads their own offers with
``frappe.qb`` after ``current_partner`` and shows only these fields.
"""

import frappe
from frappe import _

from prm_app.constants import ACCEPTED, LEAD_OFFER, OFFERED
from prm_app.portal.text import text

# Lead fields that may be shown (values, not layout, tables, files or internal links)
SHOWABLE_TYPES = ("Data", "Select", "Link", "Small Text", "Text", "Int", "Float", "Currency", "Date", "Check")
NEVER_SHOWN = frozenset(
	{"lead_owner", "owner", "modified_by", "prm_partner", "customer", "company", "naming_series", "image"}
)
DEFAULT_FIELDS = (
	"lead_name",
	"company_name",
	"email_id",
	"phone",
	"mobile_no",
	"website",
	"city",
	"state",
	"country",
	"territory",
	"industry",
	"prm_product_interest",
)
OPEN = (OFFERED, ACCEPTED)


def shown_fields() -> list[frappe._dict]:
	"""The Lead fields partners see, in the order PRM Settings lists them: [{fieldname, label}]."""
	configured = frappe.db.get_single_value("PRM Settings", "lead_fields_shown")
	names = [line.strip() for line in (configured or "").splitlines() if line.strip()] or list(DEFAULT_FIELDS)
	meta = frappe.get_meta("Lead")
	fields = []
	for name in dict.fromkeys(names):
		df = meta.get_field(name)
		if not df or name in NEVER_SHOWN or df.fieldtype not in SHOWABLE_TYPES or df.fieldtype == "Password":
			continue
		fields.append(frappe._dict(fieldname=name, label=_(df.label), fieldtype=df.fieldtype))
	return fields


def lead_details(lead: str) -> list[dict]:
	"""The shown fields of ``lead`` that have a value: [{fieldname, label, value}]. Call only for an
	open offer of the caller's own partner."""
	fields = shown_fields()
	if not fields:
		return []
	values = frappe.db.get_value("Lead", lead, [f.fieldname for f in fields], as_dict=True) or {}
	return [
		{"fieldname": f.fieldname, "label": f.label, "value": text(values.get(f.fieldname))}
		for f in fields
		if values.get(f.fieldname) not in (None, "", 0)
	]


def leads_summary(partner: str) -> dict:
	"""The dashboard's figures: offers waiting for an answer (with the nearest deadline) and
	accepted leads still being worked."""
	offer = frappe.qb.DocType(LEAD_OFFER)
	from frappe.query_builder.functions import Count, Min

	waiting = (
		frappe.qb.from_(offer)
		.select(Count(offer.name), Min(offer.respond_by))
		.where((offer.partner == partner) & (offer.status == OFFERED))
	).run()[0]
	working = (
		frappe.qb.from_(offer)
		.select(Count(offer.name))
		.where(
			(offer.partner == partner)
			& (offer.status == ACCEPTED)
			& (offer.progress.isnull() | offer.progress.notin(("Converted", "Lost")))
		)
	).run()[0][0]
	return {"waiting": int(waiting[0] or 0), "next_deadline": waiting[1], "working": int(working or 0)}
