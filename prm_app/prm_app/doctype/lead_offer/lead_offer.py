# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""An ERPNext Lead offered to one partner, and what became of the offer.

Offered -> Accepted (the partner works the lead: reports progress, converts it into a deal
registration) | Declined (with a reason) | Timed Out (not accepted by ``respond_by``: the
distribution job takes it back) | Withdrawn (the channel team takes it back). A lead has at most
one open offer (Offered or Accepted) at a time. Every change is written to the lead's assignment
history (Lead Assignment Log).

Partners never hold permissions on this doctype (nor on Lead): the portal reads their own offers
server-side and shows only the Lead fields PRM Settings lists, and only while the offer is open
(``prm_app.api.leads``). The state changes below are called after the caller's identity and
partner have been checked, on a row locked for the rest of the transaction.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, cint, get_datetime, now_datetime, time_diff_in_hours

from prm_app.constants import (
	ACCEPTED,
	DECLINED,
	LEAD_ASSIGNMENT_LOG,
	LEAD_CONVERTED,
	LEAD_LOST,
	LEAD_OFFER,
	LEAD_PROGRESS,
	OFFER_WITHDRAWN,
	OFFERED,
	PARTNER,
	PARTNER_USER,
	TIMED_OUT,
)
from prm_app.exceptions import LeadOfferError
from prm_app.permissions import is_partner_scoped

OPEN_OFFER_STATUSES = (OFFERED, ACCEPTED)
CLOSED_LEAD_STATUSES = ("Converted", "Do Not Contact")
TEXT_LIMIT = 2000
DEFAULT_HOURS = 48


def default_hours() -> int:
	return cint(frappe.db.get_single_value("PRM Settings", "lead_accept_hours")) or DEFAULT_HOURS


def log_event(lead: str, event: str, offer=None, partner=None, rule=None, note=None, notify_user=None) -> str:
	"""One line of a lead's assignment history."""
	doc = frappe.get_doc(
		{
			"doctype": LEAD_ASSIGNMENT_LOG,
			"lead": lead,
			"event": event,
			"at": now_datetime(),
			"lead_offer": offer,
			"partner": partner,
			"rule": rule,
			"user": frappe.session.user if frappe.session.user != "Guest" else None,
			"note": note,
			"notify_user": notify_user,
		}
	)
	doc.insert(ignore_permissions=True)  # written by the system for every change of an offer
	return doc.name


def partner_emails(partner: str) -> str:
	"""The enabled users of ``partner``, comma-separated (the Notification's recipients)."""
	users = frappe.get_all(
		PARTNER_USER, filters={"parent": partner, "parenttype": PARTNER, "parentfield": "users"}, pluck="user"
	)
	emails = frappe.get_all(
		"User", filters={"name": ("in", users or [""]), "enabled": 1}, pluck="email", order_by="name asc"
	)
	return ",".join(e for e in emails if e)


def open_offer_of(lead: str, exclude: str | None = None) -> frappe._dict | None:
	filters = {"lead": lead, "status": ("in", OPEN_OFFER_STATUSES)}
	if exclude:
		filters["name"] = ("!=", exclude)
	rows = frappe.get_all(
		LEAD_OFFER, filters=filters, fields=["name", "partner", "status"], limit_page_length=1
	)
	return rows[0] if rows else None


class LeadOffer(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		deal_registration: DF.Link | None
		decline_reason: DF.SmallText | None
		followed_up: DF.Check
		hours_to_accept: DF.Float
		lead: DF.Link
		lead_title: DF.Data | None
		naming_series: DF.Literal["LO-.YYYY.-"]
		notify_to: DF.SmallText | None
		offered_by: DF.Link | None
		offered_on: DF.Datetime | None
		partner: DF.Link
		progress: DF.Literal["", "Contacted", "Qualified", "Converted", "Lost"]
		progress_note: DF.SmallText | None
		progress_updated_on: DF.Datetime | None
		respond_by: DF.Datetime | None
		responded_by: DF.Link | None
		responded_on: DF.Datetime | None
		rule: DF.Link | None
		status: DF.Literal["Offered", "Accepted", "Declined", "Timed Out", "Withdrawn"]
	# end: auto-generated types

	def before_insert(self):
		self.status = OFFERED
		self.offered_on = now_datetime()
		self.offered_by = self.offered_by or frappe.session.user
		if not self.respond_by:
			self.respond_by = add_to_date(self.offered_on, hours=default_hours())
		self.followed_up = 0
		for field in ("responded_on", "responded_by", "decline_reason", "progress", "deal_registration"):
			self.set(field, None)

	def validate(self):
		if self.is_new():
			self.validate_new_offer()
			return
		before = self.get_doc_before_save()
		moved = [
			field
			for field in ("status", "responded_on", "decline_reason", "progress", "deal_registration", "rule")
			if before and before.get(field) != self.get(field)
		]
		if moved:
			# the history (Lead Assignment Log) is written by the offer's own actions only
			frappe.throw(
				_("An offer changes through its actions (accept, decline, withdraw, the service level job)."),
				LeadOfferError,
				title=_("Not Editable"),
			)
		if self.has_value_changed("respond_by") and self.status != OFFERED:
			frappe.throw(
				_("Only an open offer's answer time can change."), LeadOfferError, title=_("Offer Closed")
			)

	def after_insert(self):
		log_event(self.lead, OFFERED, self.name, self.partner, self.rule)

	def validate_new_offer(self):
		if is_partner_scoped(frappe.session.user):
			frappe.throw(_("Only the channel team offers leads."), frappe.PermissionError)
		# one open offer per lead: lock the lead, so two offers of it are made one after the other
		lead = frappe.db.get_value(
			"Lead",
			self.lead,
			["name", "status", "prm_partner", "company_name", "lead_name"],
			as_dict=True,
			for_update=True,
		)
		if not lead:
			frappe.throw(_("Lead {0} does not exist.").format(self.lead), LeadOfferError)
		if lead.status in CLOSED_LEAD_STATUSES:
			frappe.throw(
				_("Lead {0} is {1}: it is not offered to partners.").format(self.lead, _(lead.status)),
				LeadOfferError,
				title=_("Lead Closed"),
			)
		if lead.prm_partner and lead.prm_partner != self.partner:
			frappe.throw(
				_("Lead {0} already belongs to partner {1}.").format(self.lead, lead.prm_partner),
				LeadOfferError,
				title=_("Lead Taken"),
			)
		current = open_offer_of(self.lead)
		if current:
			frappe.throw(
				_("Lead {0} is {1} by partner {2} ({3}): withdraw that offer first.").format(
					self.lead, _(current.status).lower(), current.partner, current.name
				),
				LeadOfferError,
				title=_("Lead Already Offered"),
			)
		status = frappe.db.get_value(PARTNER, self.partner, "status")
		if status != "Active":
			frappe.throw(
				_("Partner {0} is {1}: leads go to Active partners only.").format(
					self.partner, _(status or "")
				),
				LeadOfferError,
				title=_("Partner Not Active"),
			)
		if get_datetime(self.respond_by) <= get_datetime(self.offered_on):
			frappe.throw(_("The answer time must be in the future."), LeadOfferError)
		self.lead_title = lead.company_name or lead.lead_name or self.lead
		self.notify_to = partner_emails(self.partner)

	# -- state changes (the caller locked the row and checked who acts)

	def require_status(self, *statuses):
		if self.status not in statuses:
			frappe.throw(
				_("This lead offer is {0}.").format(_(self.status).lower()),
				LeadOfferError,
				title=_("Not Possible Now"),
			)

	def accept(self):
		self.require_status(OFFERED)
		now = now_datetime()
		if self.respond_by and get_datetime(self.respond_by) < now:
			frappe.throw(_("The time to accept this lead has passed."), LeadOfferError, title=_("Too Late"))
		self.db_set(
			{
				"status": ACCEPTED,
				"responded_on": now,
				"responded_by": frappe.session.user,
				"hours_to_accept": max(time_diff_in_hours(now, self.offered_on), 0),
			}
		)
		# the lead is the partner's now (a link only: no ERPNext save, nothing else on the Lead moves)
		frappe.db.set_value("Lead", self.lead, "prm_partner", self.partner, update_modified=False)
		log_event(self.lead, ACCEPTED, self.name, self.partner, self.rule)

	def decline(self, reason: str):
		self.require_status(OFFERED)
		self.db_set(
			{
				"status": DECLINED,
				"responded_on": now_datetime(),
				"responded_by": frappe.session.user,
				"decline_reason": reason,
				"followed_up": 0,
			}
		)
		log_event(self.lead, DECLINED, self.name, self.partner, self.rule, note=reason)

	def time_out(self) -> bool:
		"""Take back an offer not accepted in time (the distribution job); False when it was
		answered meanwhile."""
		if self.status != OFFERED or get_datetime(self.respond_by) >= now_datetime():
			return False
		self.db_set({"status": TIMED_OUT, "followed_up": 0})
		log_event(
			self.lead,
			TIMED_OUT,
			self.name,
			self.partner,
			self.rule,
			note=_("Not accepted by {0}.").format(frappe.format(self.respond_by, "Datetime")),
		)
		return True

	def withdraw(self, note: str | None = None):
		self.require_status(OFFERED, ACCEPTED)
		if self.deal_registration:
			frappe.throw(
				_(
					"The partner has registered a deal from this lead ({0}): it stays with the partner."
				).format(self.deal_registration),
				LeadOfferError,
				title=_("Lead Converted"),
			)
		was_accepted = self.status == ACCEPTED
		self.db_set({"status": OFFER_WITHDRAWN, "followed_up": 1})
		if was_accepted and frappe.db.get_value("Lead", self.lead, "prm_partner") == self.partner:
			frappe.db.set_value("Lead", self.lead, "prm_partner", None, update_modified=False)
		log_event(self.lead, OFFER_WITHDRAWN, self.name, self.partner, self.rule, note=note)

	def set_progress(self, progress: str, note: str | None = None):
		self.require_status(ACCEPTED)
		if self.progress == LEAD_CONVERTED:
			frappe.throw(_("This lead is converted already."), LeadOfferError, title=_("Converted"))
		if progress not in LEAD_PROGRESS or progress == LEAD_CONVERTED:
			frappe.throw(_("Choose one of the listed statuses."), LeadOfferError)
		self.db_set({"progress": progress, "progress_note": note, "progress_updated_on": now_datetime()})

	def mark_converted(self, registration: str):
		self.require_status(ACCEPTED)
		if self.deal_registration or self.progress in (LEAD_CONVERTED, LEAD_LOST):
			frappe.throw(
				_("This lead is {0} already.").format(_(self.progress or LEAD_CONVERTED).lower()),
				LeadOfferError,
				title=_("Not Possible Now"),
			)
		self.db_set(
			{
				"progress": LEAD_CONVERTED,
				"deal_registration": registration,
				"progress_updated_on": now_datetime(),
			}
		)
		log_event(self.lead, LEAD_CONVERTED, self.name, self.partner, self.rule, note=registration)

	# -- the channel team's desk action (whitelisted: reachable through run_doc_method, which builds
	# ``self`` from the request body; so it loads the stored offer, locks it and checks permission)

	@frappe.whitelist()
	def withdraw_offer(self, note=None):
		"""The channel team takes the lead back from the partner."""
		if is_partner_scoped(frappe.session.user):
			frappe.throw(_("Only the channel team withdraws offers."), frappe.PermissionError)
		if not isinstance(self.name, str) or not frappe.db.exists(self.doctype, self.name):
			frappe.throw(_("This lead offer does not exist."), frappe.PermissionError)
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		doc.check_permission("write")
		note = note.strip()[:TEXT_LIMIT] if isinstance(note, str) and note.strip() else None
		doc.withdraw(note)
		return doc.status
