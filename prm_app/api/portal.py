"""The partner portal's actions, as whitelisted methods.

The ``www/partner`` pages call these same functions, so a page and a direct API call behave alike.
Each one first establishes who is calling (``current_partner`` / ``require_partner_admin``) and
reads or writes only that partner's records:

- Deal registrations go through the document's own permissions (Partner and Partner Admin may
  create and write their own partner's registrations; the scoped permission hooks deny the rest).
- The team and the profile live in documents a partner has no desk rights on (User, Contact,
  Address, File and the Partner itself). Those are written with ``ignore_permissions`` only after
  ``require_partner_admin`` has proved that the caller is a Partner Admin of that very partner,
  and only the fields named here are ever changed.
"""

import html
import re

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow, get_transitions
from frappe.utils import cint, strip_html_tags, validate_email_address

from prm_app.exceptions import (
	InvalidCloseDateError,
	InvalidWebsiteError,
	ItemNotSellableError,
	PartnerUserError,
	RegistrationRateLimitError,
)
from prm_app.permissions import PARTNER_OWNED, PARTNER_ROLES, get_user_partners, is_partner_scoped
from prm_app.portal import forms, metrics
from prm_app.prm_app.doctype.deal_registration.deal_registration import CONTENT_FIELDS

DEAL_REGISTRATION = "Deal Registration"
PARTNER_ADMIN = "Partner Admin"
PARTNER_USER = "Partner User"
TEAM_ROLES = (PARTNER_USER, PARTNER_ADMIN)
STATUSES = ("Draft", "Pending Review", "Approved", "Rejected", "Won", "Lost", "Expired", "Withdrawn")
# Workflow actions a partner may take on the portal (the workflow decides when each is possible).
PARTNER_ACTIONS = ("Submit for Review", "Withdraw", "Mark Lost")
UNDER_REVIEW = ("Possible Conflict", "Conflict")
PAGE_LENGTH = 20
MAX_PAGE_LENGTH = 100
DEFAULT_RATE_LIMIT = 30
INVITES_PER_HOUR = 20

LIST_FIELDS = (
	"name",
	"company_name",
	"status",
	"conflict_status",
	"expected_value",
	"currency",
	"expected_close_date",
	"registered_on",
	"protection_until",
	"modified",
)
DETAIL_FIELDS = (
	"name",
	"status",
	*CONTENT_FIELDS,
	"registered_on",
	"protection_until",
	"decision_reason",
	"creation",
)
PROFILE_FIELDS = ("website", "description")
ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "state", "pincode", "country")
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"GIF87a": "gif", b"GIF89a": "gif"}
LOGO_MAX_BYTES = 2 * 1024 * 1024


# -- who is calling


def current_partner() -> str:
	"""The Partner the session user acts for; PermissionError for anyone else (staff included)."""
	user = frappe.session.user
	if user == "Guest":
		frappe.throw(_("Log in to use the partner portal."), frappe.PermissionError)
	partner = next(iter(get_user_partners(user)), None)
	if not partner or not PARTNER_ROLES.intersection(frappe.get_roles(user)):
		frappe.throw(_("The partner portal is for the users of a partner."), frappe.PermissionError)
	return partner


def member_role(partner: str, user: str) -> str | None:
	return frappe.db.get_value(
		"Partner User",
		{"parent": partner, "parenttype": "Partner", "parentfield": "users", "user": user},
		"role",
	)


def is_partner_admin(partner: str, user: str | None = None) -> bool:
	return member_role(partner, user or frappe.session.user) == PARTNER_ADMIN


def require_partner_admin() -> str:
	partner = current_partner()
	if not is_partner_admin(partner):
		frappe.throw(
			_("Only a Partner Admin can manage the team and the company profile."), frappe.PermissionError
		)
	return partner


def has_website_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""Portal reads: a partner's users see their own partner's records, nobody else's."""
	user = user or frappe.session.user
	owner = doc.get(PARTNER_OWNED[doc.doctype])
	return bool(owner) and owner in get_user_partners(user)


def plain(message) -> str:
	"""A server message as plain words (no markup), for showing on a page."""
	return re.sub(r"\s+", " ", text(strip_html_tags(str(message or "")))).strip()


def text(value):
	"""A stored value as the text the user typed. Frappe keeps text fields HTML-sanitised
	(``<`` becomes ``&lt;``); the portal escapes on output, so it works with the plain text."""
	return html.unescape(value) if isinstance(value, str) else value


def as_text(row: dict) -> dict:
	for key, value in row.items():
		if isinstance(value, str):
			row[key] = text(value)
	return row


def check_rate_limit(
	bucket: str, limit: int, seconds: int = 3600, message: str | None = None, exc=RegistrationRateLimitError
):
	"""At most ``limit`` calls per user per window; the count is kept in the cache per user.

	Frappe's ``rate_limit`` decorator keys on the IP or on a request argument the client chooses,
	and only counts calls of one whitelisted method; this limit follows the user, on every path."""
	key = frappe.cache.make_key(f"prm-portal-rate:{bucket}:{frappe.session.user}")
	count = frappe.cache.incrby(key, 1)
	if count == 1:
		frappe.cache.expire(key, seconds)
	if count > limit:
		frappe.throw(
			message or _("You have reached the limit of {0} an hour. Please try again later.").format(limit),
			exc,
			title=_("Too Many Requests"),
		)


def registration_rate_limit() -> int:
	return cint(frappe.db.get_single_value("PRM Settings", "registration_rate_limit")) or DEFAULT_RATE_LIMIT


def limit_registrations(doc, method=None):
	"""``before_insert`` of Deal Registration: a partner user registers at most PRM Settings'
	"Registrations per Partner User per Hour", through the portal, REST or any other web request."""
	if frappe.request and is_partner_scoped(frappe.session.user):
		limit = registration_rate_limit()
		check_rate_limit(
			"register-deal",
			limit,
			message=_("You can register at most {0} deals an hour. Please try again later.").format(limit),
		)


# -- dashboard


@frappe.whitelist()
def get_dashboard() -> dict:
	partner = current_partner()
	doc = frappe.get_doc("Partner", partner)
	doc.check_permission("read")
	figures = metrics.partner_metrics(partner)
	progress = metrics.tier_progress(partner, doc.program_tier, figures)
	return {
		"partner": {"name": doc.name, "status": doc.status, "tier": doc.program_tier},
		"currency": frappe.db.get_default("currency"),
		"metrics": {
			"trailing_revenue": figures.trailing_revenue,
			"won_deals": figures.won_deals,
			"certified_people": None,  # not tracked yet
		},
		"tier": progress.current.name if progress.current else doc.program_tier,
		"next_tier": progress.next.name if progress.next else None,
		"next_tier_met": progress.met,
		"criteria": progress.criteria,
		"open_by_status": metrics.open_by_status(partner),
		"expiring": metrics.expiring(partner),
		"won_value_this_year": metrics.won_value_this_year(partner),
	}


# -- deal registrations


def get_own_registration(name, ptype: str = "read"):
	"""The caller's own registration; one PermissionError, whether it is another partner's or absent."""
	partner = current_partner()
	denied = _("This deal registration does not exist or belongs to another partner.")
	if not isinstance(name, str) or not name or not frappe.db.exists(DEAL_REGISTRATION, name):
		frappe.throw(denied, frappe.PermissionError)
	doc = frappe.get_doc(DEAL_REGISTRATION, name)
	if doc.partner != partner or not frappe.has_website_permission(doc) or not doc.has_permission(ptype):
		frappe.throw(denied, frappe.PermissionError)
	return doc


def is_under_review(row) -> bool:
	return row.get("status") == "Pending Review" and row.get("conflict_status") in UNDER_REVIEW


@frappe.whitelist()
def get_registrations(status=None, search=None, page=1, page_length=PAGE_LENGTH) -> dict:
	"""The caller's registrations, newest first, with an optional status filter and search."""
	partner = current_partner()
	errors = {}
	if status and status not in STATUSES:
		errors["status"] = _("Choose one of the listed statuses.")
	search = (search or "").strip() if isinstance(search, str) else ""
	if len(search) > 140:
		errors["search"] = _("Keep the search under 140 characters.")
	if errors:
		forms.raise_input_error(errors)
	page = max(cint(page), 1)
	page_length = min(max(cint(page_length), 1), MAX_PAGE_LENGTH)

	filters = {"partner": partner}
	if status:
		filters["status"] = status
	or_filters = None
	if search:
		like = f"%{search}%"
		or_filters = [
			[DEAL_REGISTRATION, field, "like", like]
			for field in ("name", "company_name", "contact_name", "domain")
		]
	total = frappe.get_list(
		DEAL_REGISTRATION, filters=filters, or_filters=or_filters, fields=["count(name) as total"]
	)[0].total
	rows = frappe.get_list(
		DEAL_REGISTRATION,
		filters=filters,
		or_filters=or_filters,
		fields=list(LIST_FIELDS),
		order_by="modified desc, name desc",
		limit_start=(page - 1) * page_length,
		limit_page_length=page_length,
	)
	for row in rows:
		row.under_review = is_under_review(row)
		row.pop("conflict_status", None)
		as_text(row)
	return {
		"rows": rows,
		"total": total,
		"page": page,
		"page_length": page_length,
		"pages": max((total + page_length - 1) // page_length, 1),
		"status": status or None,
		"search": search,
	}


def registration_history(doc) -> list[dict]:
	"""What happened to the registration: workflow steps and system notes, oldest first."""
	team = set(frappe.get_all("Partner User", filters={"parent": doc.partner}, pluck="user"))
	comments = frappe.get_all(
		"Comment",
		filters={
			"reference_doctype": DEAL_REGISTRATION,
			"reference_name": doc.name,
			"comment_type": ("in", ("Workflow", "Info")),
		},
		fields=["comment_type", "content", "owner", "creation"],
		order_by="creation asc",
	)
	history = [{"when": doc.creation, "what": _("Registration created"), "who": who(doc.owner, team)}]
	for comment in comments:
		text = plain(comment.content)
		if doc.channel_conflict:
			text = text.replace(doc.channel_conflict, "").replace("  ", " ")
		if comment.comment_type == "Workflow":
			text = _("Status set to {0}").format(_(text))
		history.append({"when": comment.creation, "what": text, "who": who(comment.owner, team)})
	return history


def who(user: str, team: set) -> str:
	if user in team:
		return text(frappe.utils.get_fullname(user))
	return _("Channel team")


@frappe.whitelist()
def get_registration(name) -> dict:
	"""One registration as the partner may see it: never conflict evidence or internal fields."""
	doc = get_own_registration(name)
	view = {field: text(doc.get(field)) for field in DETAIL_FIELDS}
	view["under_review"] = is_under_review(doc)
	view["items"] = [
		{"item_code": row.item_code, "item_name": text(row.item_name), "qty": row.qty, "amount": row.amount}
		for row in doc.items
	]
	team = set(frappe.get_all("Partner User", filters={"parent": doc.partner}, pluck="user"))
	view["extensions"] = [
		{
			"requested_on": row.requested_on,
			"requested_by": who(row.requested_by, team),
			"days": row.days,
			"reason": text(row.reason),
			"decision": row.decision,
			"decided_on": row.decided_on,
		}
		for row in doc.extensions
	]
	shown = {"name", "status", *DETAIL_FIELDS}
	view["extra"] = [
		{"label": field.label, "value": text(doc.get(field.fieldname))}
		for field in forms.value_fields(forms.registration_fields())
		if field.fieldname not in shown and field.fieldtype != "Table" and doc.get(field.fieldname)
	]
	view["history"] = registration_history(doc)
	actions = {t.action for t in get_transitions(doc)} if doc.has_permission("write") else set()
	view["actions"] = [action for action in PARTNER_ACTIONS if action in actions]
	view["can_request_extension"] = (
		doc.status == "Approved"
		and doc.has_permission("write")
		and not any(row.decision == "Pending" for row in doc.extensions)
	)
	return view


# Named errors of the document's own validation, shown next to the field they are about.
FIELD_OF_ERROR = (
	(InvalidCloseDateError, "expected_close_date"),
	(ItemNotSellableError, "items"),
)


@frappe.whitelist(methods=["POST"])
def register_deal(data=None, submit=0) -> dict:
	"""Register a deal for the caller's partner from the registration form's fields.

	``data``: the form's values (a dict or JSON); ``submit``: 1 to submit it for review at once.
	The partner is always the caller's own; fields the form does not show are ignored.
	"""
	partner = current_partner()
	if not frappe.has_permission(DEAL_REGISTRATION, "create"):
		frappe.throw(_("You cannot register deals."), frappe.PermissionError)
	# the per-user rate limit is checked when the registration is inserted (limit_registrations)
	values, items = forms.parse_registration(frappe.parse_json(data) if data else {})

	doc = frappe.new_doc(DEAL_REGISTRATION)
	doc.update(values)
	doc.partner = partner
	doc.status = "Draft"
	for row in items:
		doc.append("items", row)
	try:
		doc.insert()
		if cint(submit):
			doc = apply_workflow(doc, "Submit for Review")
	except tuple(cls for cls, _field in FIELD_OF_ERROR) as e:
		field = next(f for cls, f in FIELD_OF_ERROR if isinstance(e, cls))
		forms.raise_input_error({field: plain(e)})
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def apply_action(name, action) -> dict:
	"""Take a workflow action (Submit for Review, Withdraw, Mark Lost) on an own registration."""
	if action not in PARTNER_ACTIONS:
		frappe.throw(_("This action is not available on the portal."), frappe.PermissionError)
	doc = get_own_registration(name, "write")
	doc = apply_workflow(doc, action)
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def withdraw(name) -> dict:
	return apply_action(name, "Withdraw")


@frappe.whitelist(methods=["POST"])
def request_extension(name, days=None, reason=None) -> dict:
	"""Ask for a longer protection of an own, approved registration."""
	doc = get_own_registration(name, "write")
	errors = {}
	try:
		number = int(str(days).strip())
	except ValueError:
		number = 0
	if not 1 <= number <= 365:
		errors["days"] = _("Ask for between 1 and 365 days.")
	reason = reason.strip() if isinstance(reason, str) else ""
	if not reason:
		errors["reason"] = _("Give a reason for the extension.")
	elif len(reason) > forms.TEXT_LIMIT:
		errors["reason"] = _("Keep this under {0} characters.").format(forms.TEXT_LIMIT)
	if errors:
		forms.raise_input_error(errors, {"days": _("Days"), "reason": _("Reason")})
	doc.request_extension(number, reason)
	return {"name": doc.name}


# -- team


def team_rows(partner: str) -> list[frappe._dict]:
	rows = frappe.get_all(
		"Partner User",
		filters={"parent": partner, "parenttype": "Partner", "parentfield": "users"},
		fields=["user", "full_name", "role"],
		order_by="idx asc",
	)
	users = {
		u.name: u
		for u in frappe.get_all(
			"User",
			filters={"name": ("in", [r.user for r in rows] or [""])},
			fields=["name", "enabled", "full_name", "last_login"],
		)
	}
	for row in rows:
		user = users.get(row.user) or frappe._dict()
		row.full_name = user.full_name or row.full_name or row.user
		row.enabled = cint(user.enabled)
		row.last_login = user.last_login
		row.is_self = row.user == frappe.session.user
		as_text(row)
	return rows


@frappe.whitelist()
def get_team() -> list[dict]:
	return team_rows(require_partner_admin())


def get_member(partner: str, user) -> str:
	"""A user of the caller's team other than the caller; PermissionError for anyone else."""
	if not isinstance(user, str) or not member_role(partner, user):
		frappe.throw(_("This user is not in your team."), frappe.PermissionError)
	if user == frappe.session.user:
		frappe.throw(_("You cannot change your own access."), PartnerUserError, title=_("Not Allowed"))
	if frappe.db.get_value("User", user, "user_type") != "Website User":
		frappe.throw(_("This user is not in your team."), frappe.PermissionError)
	return user


@frappe.whitelist(methods=["POST"])
def invite_member(email=None, first_name=None, last_name=None, role=PARTNER_USER) -> dict:
	"""Invite a colleague: a website User and Contact, a row in the Partner's users, the welcome mail."""
	partner = require_partner_admin()
	check_rate_limit(
		"invite-member",
		INVITES_PER_HOUR,
		message=_("You can send at most {0} invitations an hour. Please try again later.").format(
			INVITES_PER_HOUR
		),
		exc=frappe.RateLimitExceededError,
	)
	email = email.strip().lower() if isinstance(email, str) else ""
	first_name = first_name.strip() if isinstance(first_name, str) else ""
	last_name = last_name.strip() if isinstance(last_name, str) else ""
	errors = {}
	if not email:
		errors["email"] = _("This field is required.")
	elif len(email) > 140 or validate_email_address(email) != email:
		errors["email"] = _("Enter one e-mail address, such as name@example.com.")
	elif frappe.db.exists("User", email):
		if member_role(partner, email):
			errors["email"] = _("{0} is already in your team.").format(email)
		else:
			errors["email"] = _(
				"{0} already has an account. Ask your partner manager to add it to your team."
			).format(email)
	if not first_name:
		errors["first_name"] = _("This field is required.")
	elif len(first_name) > 140:
		errors["first_name"] = _("Keep this under {0} characters.").format(140)
	if len(last_name) > 140:
		errors["last_name"] = _("Keep this under {0} characters.").format(140)
	if role not in TEAM_ROLES:
		errors["role"] = _("Choose one of the listed roles.")
	if errors:
		labels = {"email": _("E-mail"), "first_name": _("First Name"), "last_name": _("Last Name")}
		forms.raise_input_error(errors, {**labels, "role": _("Role")})

	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": first_name,
			"last_name": last_name or None,
			"user_type": "Website User",
			"send_welcome_email": 1,
		}
	)
	user.flags.no_welcome_mail = True  # sent below, once the user is in the team
	user.insert(ignore_permissions=True)  # checked: the caller is this partner's admin

	partner_doc = frappe.get_doc("Partner", partner)
	partner_doc.append("users", {"user": user.name, "role": role})
	partner_doc.save(ignore_permissions=True)  # checked: only the users table changes
	make_contact(user, partner)
	user.flags.delay_emails = True  # queued with the request's other writes, sent by the scheduler
	try:
		user.send_welcome_mail_to_user()
	except frappe.OutgoingEmailError:
		# nothing is kept: an invitation nobody receives would leave an account without a password
		frappe.throw(
			_(
				"The invitation could not be e-mailed: this site has no outgoing e-mail account yet. Please tell your partner manager."
			),
			PartnerUserError,
			title=_("E-mail Not Sent"),
		)
	frappe.clear_messages()
	return {"user": user.name, "role": role}


def make_contact(user, partner: str) -> str:
	"""The user's Contact, linked to the Partner."""
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": user.first_name,
			"last_name": user.last_name,
			"user": user.name,
			"email_ids": [{"email_id": user.email, "is_primary": 1}],
			"links": [{"link_doctype": "Partner", "link_name": partner}],
		}
	)
	contact.insert(ignore_permissions=True)  # checked by the caller: a member of this partner
	return contact.name


@frappe.whitelist(methods=["POST"])
def set_member_role(user=None, role=None) -> dict:
	partner = require_partner_admin()
	user = get_member(partner, user)
	if role not in TEAM_ROLES:
		forms.raise_input_error({"role": _("Choose one of the listed roles.")}, {"role": _("Role")})
	partner_doc = frappe.get_doc("Partner", partner)
	for row in partner_doc.users:
		if row.user == user:
			row.role = role
	partner_doc.save(ignore_permissions=True)  # checked: only the users table changes
	return {"user": user, "role": role}


def set_member_enabled(user, enabled: int) -> dict:
	partner = require_partner_admin()
	user = get_member(partner, user)
	# Disabling a user switches its notifications off (User.check_enable_disable), saving the
	# member's Notification Settings with the caller's rights; switch them here, so that it is a no-op.
	if frappe.db.exists("Notification Settings", user):
		settings = frappe.get_doc("Notification Settings", user)
		if settings.enabled != enabled:
			settings.enabled = enabled
			settings.save(ignore_permissions=True)  # checked: a website user of the caller's team
	user_doc = frappe.get_doc("User", user)
	user_doc.enabled = enabled
	user_doc.save(ignore_permissions=True)  # checked: a website user of the caller's team
	return {"user": user, "enabled": enabled}


@frappe.whitelist(methods=["POST"])
def deactivate_member(user=None) -> dict:
	"""Disable a colleague's account: they can no longer sign in; they stay listed in the team."""
	return set_member_enabled(user, 0)


@frappe.whitelist(methods=["POST"])
def reactivate_member(user=None) -> dict:
	return set_member_enabled(user, 1)


# -- profile


def partner_address(partner: str) -> str | None:
	dynamic_link = frappe.qb.DocType("Dynamic Link")
	address = frappe.qb.DocType("Address")
	rows = (
		frappe.qb.from_(address)
		.join(dynamic_link)
		.on((dynamic_link.parent == address.name) & (dynamic_link.parenttype == "Address"))
		.select(address.name)
		.where((dynamic_link.link_doctype == "Partner") & (dynamic_link.link_name == partner))
		.orderby(address.is_primary_address, order=frappe.qb.desc)
		.orderby(address.creation)
		.limit(1)
	).run()
	return rows[0][0] if rows else None


@frappe.whitelist()
def get_profile() -> dict:
	partner = current_partner()
	doc = frappe.get_doc("Partner", partner)
	doc.check_permission("read")
	address_name = partner_address(partner)
	address = (
		frappe.db.get_value("Address", address_name, list(ADDRESS_FIELDS), as_dict=True)
		if address_name
		else frappe._dict()
	)
	return {
		"name": doc.name,
		"status": doc.status,
		"tier": doc.program_tier,
		"website": text(doc.website),
		"description": text(doc.description),
		"logo": doc.logo if (doc.logo or "").startswith("/files/") else None,
		"address": {field: text(address.get(field)) for field in ADDRESS_FIELDS},
		"can_edit": is_partner_admin(partner),
	}


def logo_kind(content: bytes) -> str | None:
	return next((kind for magic, kind in LOGO_TYPES.items() if content.startswith(magic)), None)


@frappe.whitelist(methods=["POST"])
def update_profile(**values) -> dict:
	"""Change the public details the programme lets a partner edit: website, description, address
	and logo (an uploaded PNG, JPEG or GIF, as ``logo`` in a multipart request)."""
	partner = require_partner_admin()
	errors, clean = {}, {}
	for field in (*PROFILE_FIELDS, *ADDRESS_FIELDS):
		raw = values.get(field)
		text = raw.strip() if isinstance(raw, str) else ""
		limit = forms.TEXT_LIMIT if field == "description" else 140
		if len(text) > limit:
			errors[field] = _("Keep this under {0} characters.").format(limit)
		clean[field] = text
	if clean["website"] and not re.match(r"^(https?://)?[^\s/:]+\.[^\s]+$", clean["website"], re.I):
		errors["website"] = _("Enter a website such as acme.com or https://www.acme.com.")
	address_given = any(clean[f] for f in ADDRESS_FIELDS)
	if address_given:
		for field in ("address_line1", "city", "country"):
			if not clean[field] and field not in errors:
				errors[field] = _("This field is required.")
		if clean["country"] and not frappe.db.exists("Country", clean["country"]):
			errors["country"] = _("Choose one of the listed values.")

	logo = uploaded_logo(errors)
	if errors:
		forms.raise_input_error(errors)

	doc = frappe.get_doc("Partner", partner)
	doc.website = clean["website"] or None
	doc.description = clean["description"] or None
	try:
		doc.save(ignore_permissions=True)  # checked: the caller is this partner's admin
	except InvalidWebsiteError as e:
		forms.raise_input_error({"website": plain(e)})
	if address_given:
		save_address(partner, doc.partner_name, clean)
	if logo:
		save_logo(doc, *logo)
	elif cint(values.get("remove_logo")) and doc.logo:
		doc.db_set("logo", None)
	frappe.clear_messages()
	return get_profile()


def uploaded_logo(errors: dict) -> tuple[str, bytes] | None:
	files = getattr(frappe.request, "files", None) if frappe.request else None
	upload = files.get("logo") if files else None
	if not upload or not upload.filename:
		return None
	content = upload.stream.read(LOGO_MAX_BYTES + 1)
	if len(content) > LOGO_MAX_BYTES:
		errors["logo"] = _("The logo must be smaller than 2 MB.")
		return None
	kind = logo_kind(content)
	if not kind:
		errors["logo"] = _("Upload a PNG, JPEG or GIF image.")
		return None
	return kind, content


def save_address(partner: str, partner_name: str, values: dict):
	name = partner_address(partner)
	address = frappe.get_doc("Address", name) if name else frappe.new_doc("Address")
	if not name:
		address.address_title = partner_name
		address.address_type = "Office"
		address.is_primary_address = 1
		address.append("links", {"link_doctype": "Partner", "link_name": partner})
	for field in ADDRESS_FIELDS:
		address.set(field, values.get(field) or None)
	address.save(ignore_permissions=True)  # checked: the address linked to the caller's partner


def save_logo(doc, kind: str, content: bytes):
	"""Attach the new logo as a public file and drop the previous ones."""
	old = frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Partner", "attached_to_name": doc.name, "attached_to_field": "logo"},
		pluck="name",
	)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{frappe.scrub(doc.name)}-logo.{kind}",
			"attached_to_doctype": "Partner",
			"attached_to_name": doc.name,
			"attached_to_field": "logo",
			"is_private": 0,
			"content": content,
		}
	)
	file.save(ignore_permissions=True)  # checked: the caller is this partner's admin
	doc.db_set("logo", file.file_url)
	for name in old:
		frappe.delete_doc("File", name, ignore_permissions=True)
