"""The partner agreement on the portal (``/partner/agreement``): read the version in force, accept it.

These two methods are the only ones a partner user may call before accepting the version in force
(``prm_app.agreements``); they identify the caller's partner with ``session_partner`` for that
reason, and touch nothing but the acceptance log.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime
from frappe.utils.html_utils import sanitize_html

from prm_app import agreements
from prm_app.constants import AGREEMENT_ACCEPTANCE, PARTNER
from prm_app.exceptions import AgreementError
from prm_app.permissions import is_partner_admin, session_partner
from prm_app.portal.text import text


def terms_html(name: str) -> str:
	"""The version's terms as safe HTML (written by the channel team in a text editor)."""
	return sanitize_html(frappe.db.get_value("Partner Agreement", name, "terms") or "", always_sanitize=True)


@frappe.whitelist()
def get_agreement() -> dict:
	"""The version in force, and whether the caller has accepted it (and when)."""
	session_partner()
	current = agreements.current_agreement()
	if not current:
		return {"agreement": None, "pending": False}
	user = frappe.session.user
	accepted_on = frappe.db.get_value(
		AGREEMENT_ACCEPTANCE, {"user": user, "agreement": current.name}, "accepted_on"
	)
	return {
		"agreement": {
			"name": current.name,
			"title": text(current.title),
			"version": text(current.version),
			"published_on": current.published_on,
			"summary_of_changes": text(current.summary_of_changes),
			"terms_html": terms_html(current.name),
		},
		"pending": not accepted_on,
		"accepted_on": accepted_on,
	}


@frappe.whitelist(methods=["POST"])
def accept_agreement(version=None) -> dict:
	"""Accept the version in force. ``version`` is the one the caller read: a version published
	meanwhile must be read first."""
	partner = session_partner()
	current = agreements.current_agreement()
	if not current:
		frappe.throw(_("There is no partner agreement to accept."), AgreementError)
	if version != current.name:
		frappe.throw(
			_("A newer version of the agreement was published: read it, then accept it."),
			AgreementError,
			title=_("New Version"),
		)
	user = frappe.session.user
	if not agreements.has_accepted(user, current.name):
		agreements.record_acceptance(
			current.name,
			user=user,
			partner=partner,
			ip_address=agreements.request_ip(),
			user_agent=agreements.request_user_agent(),
		)
		if is_partner_admin(partner, user):
			# the partner's record shows when its admin last accepted (this field only)
			frappe.db.set_value(
				PARTNER, partner, "agreement_accepted_on", now_datetime(), update_modified=False
			)
	return {"agreement": current.name, "accepted": True}
