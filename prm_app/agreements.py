"""The partner agreement in force, and whether a partner user has accepted it.

The channel team publishes versions of the **Partner Agreement** (one is in force: the latest
published). Every partner user accepts the version in force; each acceptance is logged (user,
version, time, IP address) in **Partner Agreement Acceptance**. An applicant accepts it on
``/partner/apply``; approving the application carries that acceptance over to the new partner
admin's account.

Until a partner user has accepted the version in force, the portal gives them nothing but the
page that asks for it (``/partner/agreement``), on every path:

1. ``guard_request`` (an ``auth_hooks`` entry, after session and token authentication): no API
   call (``/api/method``, ``/api/resource``, ``/api/v2``, ``run_doc_method``, the legacy ``cmd``)
   and no private file, except the agreement's own methods and logging out (HTTP 403);
2. ``prm_app.portal.pages.prepare``: every ``/partner`` page redirects to ``/partner/agreement``;
3. ``prm_app.permissions.current_partner``: every portal method refuses;
4. the permission hooks of every partner-owned doctype: lists are empty, documents refused.

Staff and users of no partner are never asked.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from prm_app.constants import AGREEMENT_ACCEPTANCE, AGREEMENT_PUBLISHED, PARTNER_AGREEMENT
from prm_app.exceptions import AgreementPendingError
from prm_app.queries import param, prepared

AGREEMENT_PAGE = "/partner/agreement"
# what a partner user with an agreement to accept may still call
ALLOWED_METHODS = ("prm_app.api.agreement.",)
SESSION_METHODS = ("login", "logout", "web_logout")  # signing in (then sent to the page) and out
# paths that serve data (pages under /partner redirect instead, in prepare)
GUARDED_PATHS = ("/api/", "/private/files/", "/app", "/desk", "/printview", "/print/")
MEMO = "prm_agreement_memo"


def _memo() -> dict | None:
	"""What this request already looked up (only inside a web request: tests and jobs read afresh)."""
	if not getattr(frappe.local, "request", None):
		return None
	if not hasattr(frappe.local, MEMO):
		setattr(frappe.local, MEMO, {})
	return getattr(frappe.local, MEMO)


def forget() -> None:
	"""Drop what this request looked up (after an acceptance or a new version)."""
	if hasattr(frappe.local, MEMO):
		delattr(frappe.local, MEMO)


def current_agreement() -> frappe._dict | None:
	"""The version in force: the latest published (name, title, version, published_on)."""
	memo = _memo()
	if memo is not None and "current" in memo:
		return memo["current"]
	rows = agreement_in_force(status=AGREEMENT_PUBLISHED)
	current = rows[0] if rows else None
	if memo is not None:
		memo["current"] = current
	return current


def has_accepted(user: str, agreement: str) -> bool:
	return bool(acceptance_of(user=user, agreement=agreement))


# asked on every partner request (``pending_for``): built once per worker (``prm_app.queries``)
@prepared
def agreement_in_force():
	agreement = frappe.qb.DocType(PARTNER_AGREEMENT)
	return (
		frappe.qb.from_(agreement)
		.select(
			agreement.name,
			agreement.title,
			agreement.version,
			agreement.published_on,
			agreement.summary_of_changes,
		)
		.where(agreement.status == param("status"))
		.orderby(agreement.published_on, order=frappe.qb.desc)
		.orderby(agreement.creation, order=frappe.qb.desc)
		.limit(1)
	)


@prepared
def acceptance_of():
	acceptance = frappe.qb.DocType(AGREEMENT_ACCEPTANCE)
	return (
		frappe.qb.from_(acceptance)
		.select(acceptance.name)
		.where((acceptance.user == param("user")) & (acceptance.agreement == param("agreement")))
		.limit(1)
	)


def pending_for(user: str | None = None) -> frappe._dict | None:
	"""The agreement ``user`` must accept before using the portal, or None."""
	from prm_app.permissions import get_user_partners, is_partner_scoped

	user = user or frappe.session.user
	if not user or user == "Guest":
		return None
	memo = _memo()
	key = ("pending", user)
	if memo is not None and key in memo:
		return memo[key]
	pending = None
	if is_partner_scoped(user) and get_user_partners(user):
		current = current_agreement()
		if current and not has_accepted(user, current.name):
			pending = current
	if memo is not None:
		memo[key] = pending
	return pending


def require_accepted(user: str | None = None) -> None:
	"""AgreementPendingError (HTTP 403) while ``user`` has the agreement in force to accept."""
	if pending_for(user):
		frappe.throw(
			_("Accept the current partner agreement first: open {0}.").format(AGREEMENT_PAGE),
			AgreementPendingError,
			title=_("Partner Agreement"),
		)


def record_acceptance(
	agreement: str,
	user: str | None = None,
	partner: str | None = None,
	email: str | None = None,
	application: str | None = None,
	ip_address: str | None = None,
	user_agent: str | None = None,
	accepted_on=None,
) -> str:
	"""Log one acceptance of ``agreement`` (a log entry: never changed afterwards)."""
	doc = frappe.get_doc(
		{
			"doctype": AGREEMENT_ACCEPTANCE,
			"agreement": agreement,
			"user": user,
			"partner": partner,
			"email": email or user,
			"application": application,
			"accepted_on": accepted_on or now_datetime(),
			"ip_address": (ip_address or "")[:140] or None,
			"user_agent": (user_agent or "")[:500] or None,
		}
	)
	doc.insert(ignore_permissions=True)  # the caller established who accepts, for which partner
	forget()
	return doc.name


def request_ip() -> str | None:
	return getattr(frappe.local, "request_ip", None)


def request_user_agent() -> str | None:
	request = getattr(frappe.local, "request", None)
	return request.headers.get("User-Agent") if request else None


def guard_request() -> None:
	"""``auth_hooks``: a partner user with the agreement in force to accept gets no data through any
	API or file path (pages redirect in ``prepare``)."""
	from prm_app.permissions import requested_method

	user = frappe.session.user
	request = getattr(frappe.local, "request", None)
	if not request or not user or user == "Guest":
		return
	path = request.path or ""
	method = requested_method()
	if not (method or path.startswith(GUARDED_PATHS)):
		return
	if method and (method in SESSION_METHODS or method.startswith(ALLOWED_METHODS)):
		return
	require_accepted(user)
