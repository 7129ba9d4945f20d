"""Partner engagement: what partners do, appended to ``Partner Engagement Event`` (indexed by
partner and time, never changed, unreadable by partners).

Any capability records what its partners do with one call::

    from prm_app.engagement import record

    record(partner, "Training Completed", "Partner Certification", cert.name, user=user)

``event_type`` names a ``Partner Engagement Event Type`` (its points are the admin's); a type
not seen before is created with 1 point, so recording never fails on a new kind of event. The
daily health check (``prm_app.insights.health``) turns the events into each partner's engagement
score; the Partner Scorecard counts them per period.

Recorded here (``doc_events`` and ``on_session_creation``), when a partner user does it: portal
sign-ins, registrations submitted for review, training attempts and passed modules, answers to
offered leads (accept or decline), asset downloads, MDF requests and business plans submitted.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from prm_app.constants import (
	DEAL_REGISTRATION,
	EVENT_ASSET_DOWNLOADED,
	EVENT_LEAD_ANSWERED,
	EVENT_MDF_REQUESTED,
	EVENT_PLAN_SUBMITTED,
	EVENT_REGISTRATION_SUBMITTED,
	EVENT_SIGN_IN,
	EVENT_TRAINING_ATTEMPT,
	EVENT_TRAINING_PASSED,
	PARTNER,
	PARTNER_ENGAGEMENT_EVENT,
	PARTNER_ENGAGEMENT_EVENT_TYPE,
	PENDING,
)
from prm_app.exceptions import EngagementEventError
from prm_app.permissions import get_partner_for_user, is_partner_scoped

SAVEPOINT = "prm_engagement"
TYPE_LENGTH = 140


def ensure_event_type(event_type: str) -> str:
	if not frappe.db.exists(PARTNER_ENGAGEMENT_EVENT_TYPE, event_type):
		doc = frappe.get_doc(
			{"doctype": PARTNER_ENGAGEMENT_EVENT_TYPE, "event_type": event_type, "points": 1}
		)
		doc.insert(ignore_permissions=True)  # vocabulary the system extends; its points are the admin's
	return event_type


def record(
	partner: str,
	event_type: str,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
	user: str | None = None,
	timestamp=None,
) -> str:
	"""Append one engagement event of ``partner``; returns its name.

	The caller has established that ``partner`` is the one the event belongs to (the session
	user's own partner, or a record's partner); the event is the system's record and is written
	whatever the session user's permissions.
	"""
	event_type = (event_type or "").strip() if isinstance(event_type, str) else ""
	if not event_type or len(event_type) > TYPE_LENGTH:
		frappe.throw(
			_("An engagement event needs a type of at most {0} characters.").format(TYPE_LENGTH),
			EngagementEventError,
			title=_("Invalid Engagement Event"),
		)
	if not partner or not isinstance(partner, str) or not frappe.db.exists(PARTNER, partner):
		frappe.throw(
			_("There is no partner {0} to record an engagement event for.").format(partner),
			EngagementEventError,
			title=_("Invalid Engagement Event"),
		)
	if bool(reference_doctype) != bool(reference_name):
		frappe.throw(
			_("An engagement event's reference needs both a document type and a name."),
			EngagementEventError,
			title=_("Invalid Engagement Event"),
		)
	doc = frappe.get_doc(
		{
			"doctype": PARTNER_ENGAGEMENT_EVENT,
			"partner": partner,
			"event_type": ensure_event_type(event_type),
			"user": user,
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
			"timestamp": timestamp or now_datetime(),
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def record_quietly(*args, **kwargs) -> None:
	"""``record`` for hooks in someone else's flow (a sign-in, a save): a failure is logged and
	rolled back to before the attempt, never passed on to the user's action."""
	frappe.db.savepoint(SAVEPOINT)
	try:
		record(*args, **kwargs)
	except Exception:
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.log_error(title=_("Partner engagement event not recorded"))


def on_session_creation(login_manager=None) -> None:
	"""``on_session_creation``: a partner user's sign-in."""
	user = getattr(login_manager, "user", None) or frappe.session.user
	if not user or user == "Guest" or not is_partner_scoped(user):
		return
	partner = get_partner_for_user(user)
	if partner:
		record_quietly(partner, EVENT_SIGN_IN, user=user)


def on_registration_update(doc, method=None) -> None:
	"""``doc_events`` of Deal Registration: a partner user submitted it for review."""
	user = frappe.session.user
	if doc.status != PENDING or not is_partner_scoped(user):
		return
	before = doc.get_doc_before_save()
	if before and before.status == PENDING:
		return
	record_quietly(doc.partner, EVENT_REGISTRATION_SUBMITTED, DEAL_REGISTRATION, doc.name, user=user)


def by_partner_user(user: str | None) -> str | None:
	"""``user`` when it is a partner's user (the channel team's actions are not engagement)."""
	return user if user and user != "Guest" and is_partner_scoped(user) else None


def on_training_attempt(doc, method=None) -> None:
	"""``after_insert`` of Training Attempt: a person took a module's quiz (graded on insert)."""
	user = by_partner_user(doc.user)
	if not user or not doc.partner:
		return
	record_quietly(doc.partner, EVENT_TRAINING_ATTEMPT, doc.doctype, doc.name, user=user)
	if doc.status == "Passed":
		record_quietly(doc.partner, EVENT_TRAINING_PASSED, doc.doctype, doc.name, user=user)


def on_lead_answered(doc, method=None) -> None:
	"""``after_insert`` of Lead Assignment Log (the offer's own status is written without a save):
	the partner's user accepted or declined an offered lead."""
	user = by_partner_user(doc.user)
	if user and doc.partner and doc.lead_offer and doc.event in ("Accepted", "Declined"):
		record_quietly(doc.partner, EVENT_LEAD_ANSWERED, "Lead Offer", doc.lead_offer, user=user)


def on_asset_download(doc, method=None) -> None:
	"""``after_insert`` of Partner Asset Download."""
	user = by_partner_user(doc.user)
	if user and doc.partner:
		record_quietly(doc.partner, EVENT_ASSET_DOWNLOADED, doc.doctype, doc.name, user=user)


def on_submitted_for_review(doc, method=None) -> None:
	"""``on_update`` of MDF Request and Partner Business Plan: a partner user submitted it."""
	user = by_partner_user(frappe.session.user)
	if not user or doc.status != "Submitted":
		return
	before = doc.get_doc_before_save()
	if before and before.status == "Submitted":
		return
	event = EVENT_MDF_REQUESTED if doc.doctype == "MDF Request" else EVENT_PLAN_SUBMITTED
	record_quietly(doc.partner, event, doc.doctype, doc.name, user=user)


def on_partner_trash(doc, method=None) -> None:
	"""``doc_events`` of Partner: a deleted partner's engagement history (and its monthly sales
	sums, ``prm_app.insights.sales``) go with it."""
	for doctype in (PARTNER_ENGAGEMENT_EVENT, "Partner Sales Month"):
		table = frappe.qb.DocType(doctype)
		frappe.qb.from_(table).delete().where(table.partner == doc.name).run()
