"""Leads the channel team hands a partner (``/partner/leads``): list, read, accept, decline, report
progress, convert into a deal registration.

Every method starts from the caller's own partner (``current_partner``) and reaches only that
partner's offers; a lead's own fields are shown (the ones PRM Settings lists) only while the offer
is open, i.e. offered to the partner or accepted by it. Partners hold no permission on Lead or
Lead Offer: what they may do is checked here, on the offer row locked for the transaction, and
written with the offer's own state changes (``LeadOffer.accept`` ...).
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import cint

from prm_app.api import deals
from prm_app.constants import (
	ACCEPTED,
	APPROVED,
	DEAL_REGISTRATION,
	DECLINED,
	LEAD_CONVERTED,
	LEAD_LOST,
	LEAD_OFFER,
	LEAD_PROGRESS,
	OFFER_STATUSES,
	OFFER_WITHDRAWN,
	OFFERED,
	PENDING,
	TIMED_OUT,
)
from prm_app.exceptions import LeadOfferError
from prm_app.integrations.lead_distribution import update_lead_metrics
from prm_app.permissions import current_partner
from prm_app.portal import forms
from prm_app.portal.leads import OPEN, lead_details
from prm_app.portal.text import as_text, text

PAGE_LENGTH = 20
REASON_LIMIT = 1000
NOTE_LIMIT = 2000
# the list's tabs: what each shows
VIEWS = {
	"offered": (OFFERED,),
	"accepted": (ACCEPTED,),
	"closed": (DECLINED, TIMED_OUT, OFFER_WITHDRAWN),
}
LIST_FIELDS = (
	"name",
	"lead_title",
	"status",
	"offered_on",
	"respond_by",
	"responded_on",
	"progress",
	"deal_registration",
)
UPDATABLE_PROGRESS = tuple(p for p in LEAD_PROGRESS if p != LEAD_CONVERTED)


def get_own_offer(name, for_update: bool = False):
	"""The caller's own lead offer; one PermissionError whether it is another partner's or absent."""
	partner = current_partner()
	denied = _("This lead does not exist or was not offered to you.")
	if not isinstance(name, str) or not name:
		frappe.throw(denied, frappe.PermissionError)
	owner = frappe.db.get_value(LEAD_OFFER, name, "partner")
	if not owner or owner != partner:
		frappe.throw(denied, frappe.PermissionError)
	return frappe.get_doc(LEAD_OFFER, name, for_update=for_update)


@frappe.whitelist()
def get_leads(view=None, page=1) -> dict:
	"""The caller's lead offers, newest first: ``view`` offered | accepted | closed (default: all)."""
	partner = current_partner()
	if view and view not in VIEWS:
		forms.raise_input_error({"view": _("Choose one of the listed views.")})
	page = max(cint(page), 1)
	table = frappe.qb.DocType(LEAD_OFFER)
	condition = table.partner == partner  # the caller's own partner, established above
	if view:
		condition &= table.status.isin(VIEWS[view])
	total = frappe.qb.from_(table).select(Count(table.name)).where(condition).run()[0][0]
	rows = (
		frappe.qb.from_(table)
		.select(*(table[field] for field in LIST_FIELDS))
		.where(condition)
		.orderby(table.offered_on, order=frappe.qb.desc)
		.orderby(table.name, order=frappe.qb.desc)
		.limit(PAGE_LENGTH)
		.offset((page - 1) * PAGE_LENGTH)
	).run(as_dict=True)
	counts = dict(
		(
			frappe.qb.from_(table)
			.select(table.status, Count(table.name))
			.where(table.partner == partner)
			.groupby(table.status)
		).run()
	)
	for row in rows:
		as_text(row)
		row.is_open = row.status in OPEN
	return {
		"rows": rows,
		"total": total,
		"page": page,
		"pages": max((total + PAGE_LENGTH - 1) // PAGE_LENGTH, 1),
		"view": view or None,
		"counts": {key: sum(cint(counts.get(s)) for s in statuses) for key, statuses in VIEWS.items()},
	}


@frappe.whitelist()
def get_lead(name) -> dict:
	"""One own offer; the lead's shown fields only while the offer is open."""
	doc = get_own_offer(name)
	view = {
		field: text(doc.get(field))
		for field in (
			"name",
			"lead_title",
			"status",
			"offered_on",
			"respond_by",
			"responded_on",
			"decline_reason",
			"progress",
			"progress_note",
			"progress_updated_on",
			"deal_registration",
		)
	}
	view["is_open"] = doc.status in OPEN
	view["details"] = lead_details(doc.lead) if doc.status in OPEN else []
	view["can_respond"] = doc.status == OFFERED
	view["can_update"] = doc.status == ACCEPTED and doc.progress not in (LEAD_CONVERTED, LEAD_LOST)
	view["can_convert"] = view["can_update"] and not doc.deal_registration
	view["progress_choices"] = list(UPDATABLE_PROGRESS)
	return view


@frappe.whitelist(methods=["POST"])
def accept_lead(name) -> dict:
	doc = get_own_offer(name, for_update=True)
	doc.accept()
	update_lead_metrics([doc.partner])
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def decline_lead(name, reason=None) -> dict:
	doc = get_own_offer(name, for_update=True)
	reason = reason.strip() if isinstance(reason, str) else ""
	if not reason:
		forms.raise_input_error({"reason": _("Say why you decline the lead.")}, {"reason": _("Reason")})
	if len(reason) > REASON_LIMIT:
		forms.raise_input_error(
			{"reason": _("Keep this under {0} characters.").format(REASON_LIMIT)}, {"reason": _("Reason")}
		)
	doc.decline(reason)
	update_lead_metrics([doc.partner])
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def update_lead(name, progress=None, note=None) -> dict:
	"""Report how an accepted lead is going (Contacted, Qualified, Lost) with a note."""
	doc = get_own_offer(name, for_update=True)
	note = note.strip() if isinstance(note, str) else ""
	errors = {}
	if progress not in UPDATABLE_PROGRESS:
		errors["progress"] = _("Choose one of the listed statuses.")
	if len(note) > NOTE_LIMIT:
		errors["note"] = _("Keep this under {0} characters.").format(NOTE_LIMIT)
	if progress == LEAD_LOST and not note:
		errors["note"] = _("Say why the lead is lost.")
	if errors:
		forms.raise_input_error(errors, {"progress": _("Status"), "note": _("Note")})
	doc.set_progress(progress, note or None)
	return {"name": doc.name, "progress": doc.progress}


def conversion_values(doc) -> dict:
	"""The registration form's values taken from the lead (the partner completes the rest)."""
	lead = (
		frappe.db.get_value(
			"Lead",
			doc.lead,
			[
				"company_name",
				"lead_name",
				"email_id",
				"phone",
				"mobile_no",
				"website",
				"country",
				"territory",
				"city",
				"state",
			],
			as_dict=True,
		)
		or frappe._dict()
	)
	values = {
		"company_name": lead.company_name or lead.lead_name,
		"website": lead.website,
		"country": lead.country,
		"territory": lead.territory,
		"contact_name": lead.lead_name,
		"contact_email": lead.email_id,
		"contact_phone": lead.mobile_no or lead.phone,
		"address": ", ".join(filter(None, (lead.city, lead.state))) or None,
	}
	return {key: text(value) for key, value in values.items() if value}


@frappe.whitelist()
def get_conversion(name) -> dict:
	"""What the conversion form starts with, for an own accepted lead."""
	doc = get_own_offer(name)
	if doc.status != ACCEPTED or doc.deal_registration or doc.progress in (LEAD_CONVERTED, LEAD_LOST):
		frappe.throw(_("Only an accepted lead that is still open can be converted."), LeadOfferError)
	return {"name": doc.name, "lead_title": text(doc.lead_title), "values": conversion_values(doc)}


@frappe.whitelist(methods=["POST"])
def convert_lead(name, data=None) -> dict:
	"""Register a deal from an own accepted lead and submit it for review; when PRM Settings says
	so, a registration with priority is protected at once (the channel team handed over the lead)."""
	doc = get_own_offer(name, for_update=True)
	if doc.status != ACCEPTED or doc.deal_registration or doc.progress in (LEAD_CONVERTED, LEAD_LOST):
		frappe.throw(_("Only an accepted lead that is still open can be converted."), LeadOfferError)
	result = deals.register_deal(data=data, submit=1)
	doc.mark_converted(result["name"])
	protected = protect_at_once(result["name"], doc)
	update_lead_metrics([doc.partner])
	registration = frappe.db.get_value(
		DEAL_REGISTRATION, result["name"], ["status", "workflow_state"], as_dict=True
	)
	return {
		"name": doc.name,
		"deal_registration": result["name"],
		"status": registration.status,
		"workflow_state": registration.workflow_state,
		"protected": protected,
	}


def protect_at_once(registration: str, offer) -> bool:
	"""Approve (protect) a registration made from an offered lead, per PRM Settings, when it has
	priority: the channel team's offer of the lead was the approval."""
	if not cint(frappe.db.get_single_value("PRM Settings", "protect_converted_leads")):
		return False
	doc = frappe.get_doc(DEAL_REGISTRATION, registration)
	if doc.status != PENDING or not doc.has_priority:
		return False
	doc.set_status_by_system(
		APPROVED,
		_("Protected at once: the channel team offered this lead to the partner ({0}).").format(offer.name),
	)
	# the approval is the channel team's (the offer), never the partner user's
	doc.db_set("approver", offer.offered_by, update_modified=False)
	return True
