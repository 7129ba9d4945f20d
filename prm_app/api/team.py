"""A Partner Admin's team (``/partner/team``): invite colleagues, change roles, deactivate.

The team lives in documents a partner has no desk rights on (User, Contact, Partner, Partner
Invitation). They are written with ``ignore_permissions`` only after ``require_partner_admin`` has
proved that the caller is a Partner Admin of that very partner, and only the fields named here
change; saving the Partner's users never touches its ERPNext parties (see ``Partner.on_update``).

An invitation never tells whether an address already has an account: a new address gets a
website user and Frappe's welcome e-mail; an address that already has an account gets a Partner
Invitation the channel team confirms (the account may be anybody's). The inviting partner sees
both the same way: an invited colleague who has not signed in yet.
"""

import frappe
from frappe import _
from frappe.utils import cint, validate_email_address

from prm_app.constants import PARTNER, PARTNER_INVITATION, PARTNER_USER, TEAM_ROLES, TEAM_USER
from prm_app.exceptions import PartnerUserError
from prm_app.permissions import member_role, require_partner_admin
from prm_app.portal import forms
from prm_app.portal.ratelimit import check_rate_limit
from prm_app.portal.text import as_text
from prm_app.prm_app.doctype.partner_invitation.partner_invitation import NEEDS_REVIEW, SENT
from prm_app.queries import param, prepared

INVITES_PER_HOUR = 20


@prepared
def member_rows():
	member, user = frappe.qb.DocType(PARTNER_USER), frappe.qb.DocType("User")
	return (
		frappe.qb.from_(member)
		.left_join(user)
		.on(user.name == member.user)
		.select(
			member.user,
			member.full_name,
			member.role,
			user.full_name.as_("user_full_name"),
			user.enabled,
			user.last_login,
		)
		.where(
			(member.parent == param("partner"))
			& (member.parenttype == PARTNER)
			& (member.parentfield == "users")
		)
		.orderby(member.idx)
	)


@prepared
def open_invitations():
	invitation = frappe.qb.DocType(PARTNER_INVITATION)
	return (
		frappe.qb.from_(invitation)
		.select(
			invitation.user,
			invitation.email,
			invitation.first_name,
			invitation.last_name,
			invitation.role,
			invitation.status,
		)
		.where((invitation.partner == param("partner")) & invitation.status.isin((SENT, NEEDS_REVIEW)))
		.orderby(invitation.creation)
	)


def team_rows(partner: str) -> list[frappe._dict]:
	"""Members, and colleagues invited with an account the channel team still has to confirm,
	alike: an invited colleague is shown as invited until they have signed in."""
	rows = member_rows(partner=partner)
	invitations = open_invitations(partner=partner)
	invited_names = {i.user: i for i in invitations if i.status == SENT}
	for row in rows:
		invitation = invited_names.get(row.user)
		row.full_name = row.pop("user_full_name") or row.full_name or row.user
		if invitation and not row.last_login:
			row.full_name = " ".join(filter(None, (invitation.first_name, invitation.last_name)))
		row.enabled = cint(row.enabled)
		row.invited = not row.pop("last_login")
		row.is_self = row.user == frappe.session.user
		as_text(row)
	for invitation in (i for i in invitations if i.status == NEEDS_REVIEW):
		rows.append(
			as_text(
				frappe._dict(
					user=invitation.email,
					full_name=" ".join(filter(None, (invitation.first_name, invitation.last_name))),
					role=invitation.role,
					enabled=1,
					invited=True,
					is_self=False,
				)
			)
		)
	return rows


@frappe.whitelist()
def get_team() -> list[dict]:
	return team_rows(require_partner_admin())


def get_member(partner: str, user) -> str:
	"""A signed-in user of the caller's team other than the caller; PermissionError for anyone else."""
	if not isinstance(user, str) or not member_role(partner, user):
		frappe.throw(_("This user is not in your team."), frappe.PermissionError)
	if user == frappe.session.user:
		frappe.throw(_("You cannot change your own access."), PartnerUserError, title=_("Not Allowed"))
	if frappe.db.get_value("User", user, "user_type") != "Website User":
		frappe.throw(_("This user is not in your team."), frappe.PermissionError)
	return user


def clean_invitation(partner: str, email, first_name, last_name, role) -> dict:
	email = email.strip().lower() if isinstance(email, str) else ""
	first_name = first_name.strip() if isinstance(first_name, str) else ""
	last_name = last_name.strip() if isinstance(last_name, str) else ""
	errors = {}
	if not email:
		errors["email"] = _("This field is required.")
	elif len(email) > 140 or validate_email_address(email) != email:
		errors["email"] = _("Enter one e-mail address, such as name@example.com.")
	elif member_role(partner, email) or frappe.db.exists(
		PARTNER_INVITATION, {"partner": partner, "email": email, "status": ("in", (SENT, NEEDS_REVIEW))}
	):
		errors["email"] = _("{0} is already in your team.").format(email)
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
	return {"email": email, "first_name": first_name, "last_name": last_name or None, "role": role}


@frappe.whitelist(methods=["POST"])
def invite_member(email=None, first_name=None, last_name=None, role=TEAM_USER) -> dict:
	"""Invite a colleague. The answer is the same whether or not the address has an account."""
	partner = require_partner_admin()
	check_rate_limit(
		"invite-member",
		INVITES_PER_HOUR,
		_("You can send at most {0} invitations an hour. Please try again later.").format(INVITES_PER_HOUR),
	)
	values = clean_invitation(partner, email, first_name, last_name, role)
	invitation = frappe.new_doc(PARTNER_INVITATION)
	invitation.update(values)
	invitation.partner = partner
	invitation.invited_by = frappe.session.user
	if frappe.db.exists("User", values["email"]):
		invitation.status = NEEDS_REVIEW
		invitation.insert(ignore_permissions=True)  # checked: the caller is this partner's admin
		invitation.ask_channel_team()
	else:
		invitation.status = SENT
		invitation.insert(ignore_permissions=True)  # checked: the caller is this partner's admin
		invitation.create_member()
	frappe.clear_messages()
	return {"email": values["email"], "role": values["role"], "invited": True}


@frappe.whitelist(methods=["POST"])
def set_member_role(user=None, role=None) -> dict:
	partner = require_partner_admin()
	user = get_member(partner, user)
	if role not in TEAM_ROLES:
		forms.raise_input_error({"role": _("Choose one of the listed roles.")}, {"role": _("Role")})
	partner_doc = frappe.get_doc(PARTNER, partner, for_update=True)
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
