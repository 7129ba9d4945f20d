"""Applying to the partner programme (``/partner/apply``): a public form, for guests.

Protected against abuse on every path (the page and ``/api/method``): a limit per client address
and hour (PRM Settings, tries with errors included), a honeypot field (a request that fills it is
answered as a success and dropped), a limit on the request's size and on every field, and the same
field rules as the desk (``partner_application.field_errors``). Output is escaped by the pages.
Frappe checks no CSRF token for guests (there is no session to ride on): as on its own guest forms,
the rate limit and the honeypot carry the protection; a signed-in user's post carries the page's
token as usual.

The application is checked for likely duplicates in a background job (``check_one``); the
applicant's acceptance of the partner agreement in force is logged with the address it came from.
"""

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from prm_app import agreements
from prm_app.constants import APPLICATION_PENDING, PARTNER_APPLICATION
from prm_app.exceptions import ApplicationError, ApplicationRateLimitError
from prm_app.portal import forms
from prm_app.portal.ratelimit import check_ip_rate_limit
from prm_app.portal.text import text
from prm_app.prm_app.doctype.partner_application.partner_application import (
	CONTENT_FIELDS,
	DATA_LIMIT,
	TEXT_LIMIT,
	field_errors,
)

RATE_BUCKET = "partner-apply"
DEFAULT_PER_HOUR = 10
MAX_REQUEST_BYTES = 64 * 1024
HONEYPOT = "company_fax"  # hidden from people; bots fill it in
LABELS = {
	"company_name": "Company",
	"website": "Website",
	"country": "Country",
	"partner_type": "Partner Type",
	"contact_name": "Contact Person",
	"contact_email": "E-mail",
	"contact_phone": "Phone",
	"expected_annual_revenue": "Expected Annual Revenue",
	"currency": "Currency",
	"specialisations": "Specialisations",
	"heard_about": "How Did You Hear of Us?",
	"accept_agreement": "Partner Agreement",
}


def per_hour() -> int:
	return cint(frappe.db.get_single_value("PRM Settings", "application_rate_limit")) or DEFAULT_PER_HOUR


def choices() -> dict:
	"""What the form's lists offer (public master data)."""
	heard = frappe.get_meta(PARTNER_APPLICATION).get_field("heard_about")
	return {
		"countries": frappe.get_all("Country", pluck="name", order_by="name asc"),
		"partner_types": frappe.get_all("Sales Partner Type", pluck="name", order_by="name asc"),
		"currencies": frappe.get_all("Currency", filters={"enabled": 1}, pluck="name", order_by="name asc"),
		"heard_about": [o for o in (heard.options or "").split("\n") if o],
		"default_currency": frappe.db.get_default("currency"),
	}


@frappe.whitelist(allow_guest=True)
def get_application_form() -> dict:
	"""The form's lists and the partner agreement in force (its terms as safe HTML)."""
	from prm_app.api.agreement import terms_html

	current = agreements.current_agreement()
	return {
		**choices(),
		"agreement": {
			"name": current.name,
			"title": text(current.title),
			"version": text(current.version),
			"terms_html": terms_html(current.name),
		}
		if current
		else None,
	}


def check_request_size():
	request = getattr(frappe.local, "request", None)
	if request and cint(request.content_length) > MAX_REQUEST_BYTES:
		frappe.throw(
			_("This application is too large. Shorten the texts and send it again."),
			ApplicationError,
			title=_("Too Large"),
		)


def clean(data: dict) -> tuple[dict, dict]:
	"""(values, errors): each field as text within its limit."""
	values, errors = {}, {}
	allowed = {*CONTENT_FIELDS}
	for field in allowed:
		raw = data.get(field)
		if raw is None or raw == "":
			continue
		if isinstance(raw, int | float) and not isinstance(raw, bool):
			raw = str(raw)
		if not isinstance(raw, str) or "\x00" in raw:
			errors[field] = _("This value is not valid.")
			continue
		raw = raw.strip()
		limit = TEXT_LIMIT if field == "specialisations" else DATA_LIMIT
		if len(raw) > limit:
			errors[field] = _("Keep this under {0} characters.").format(limit)
			continue
		values[field] = raw or None
	revenue = values.get("expected_annual_revenue")
	if revenue:
		try:
			values["expected_annual_revenue"] = float(revenue.replace(",", ""))
		except ValueError:
			errors["expected_annual_revenue"] = _("Enter a number, such as 250000.")
	form_choices = choices()
	for field, options in (
		("country", form_choices["countries"]),
		("partner_type", form_choices["partner_types"]),
		("currency", form_choices["currencies"]),
		("heard_about", form_choices["heard_about"]),
	):
		if values.get(field) and values[field] not in options and field not in errors:
			errors[field] = _("Choose one of the listed values.")
	return values, errors


@frappe.whitelist(allow_guest=True, methods=["POST"])
def submit_application(data=None) -> dict:
	"""Apply to the partner programme. ``data``: the form's fields (a dict or JSON), with
	``accept_agreement`` = 1 and ``agreement`` = the version read, when one is in force."""
	check_ip_rate_limit(
		RATE_BUCKET,
		per_hour(),
		_("Too many applications were sent from your address. Please try again in an hour."),
		exc=ApplicationRateLimitError,
	)
	check_request_size()
	data = frappe.parse_json(data) if data else {}
	if not isinstance(data, dict):
		data = {}
	if str(data.get(HONEYPOT) or "").strip():
		return {"received": True}  # a bot: answered like everyone, kept nowhere
	values, errors = clean(data)
	doc = frappe.new_doc(PARTNER_APPLICATION)
	doc.update(values)
	for field, message in field_errors(doc):
		errors.setdefault(field, message)
	current = agreements.current_agreement()
	if current:
		accepted = str(data.get("accept_agreement") or "").lower() in ("1", "on", "yes", "true")
		if not accepted:
			errors["accept_agreement"] = _("Read and accept the partner agreement to apply.")
		elif data.get("agreement") != current.name:
			errors["accept_agreement"] = _(
				"The agreement has changed since you opened this page: read it again."
			)
	if (
		not errors.get("contact_email")
		and values.get("contact_email")
		and frappe.db.exists(
			PARTNER_APPLICATION,
			{"contact_email": values["contact_email"].lower(), "status": APPLICATION_PENDING},
		)
	):
		errors["contact_email"] = _("An application from this e-mail address is already being reviewed.")
	if errors:
		forms.raise_input_error(errors, {key: _(label) for key, label in LABELS.items()})

	doc.status = APPLICATION_PENDING
	if current:
		doc.agreement = current.name
		doc.agreement_accepted = 1
		doc.accepted_on = now_datetime()
	doc.ip_address = (agreements.request_ip() or "")[:140] or None
	doc.user_agent = (agreements.request_user_agent() or "")[:500] or None
	doc.flags.ignore_permissions = True  # a guest's application: checked above, field by field
	doc.insert()
	if current:
		agreements.record_acceptance(
			current.name,
			email=doc.contact_email,
			application=doc.name,
			ip_address=doc.ip_address,
			user_agent=doc.user_agent,
			accepted_on=doc.accepted_on,
		)
	frappe.enqueue(
		"prm_app.prm_app.doctype.partner_application.partner_application.check_one",
		application=doc.name,
		enqueue_after_commit=True,
	)
	frappe.clear_messages()
	return {"received": True}
