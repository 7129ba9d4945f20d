# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""An invitation of a colleague to a partner's team, sent by a Partner Admin from the portal.

A new address becomes a website user at once (Frappe's welcome e-mail sets the password). An
address that already has an account is never attached by the partner: the invitation waits as
"Needs Review", assigned to the partner manager, who adds the account to the team (if it is a
website user of no other partner) or declines. The partner sees both kinds alike.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from prm_app.constants import PARTNER, TEAM_ROLES, TEAM_USER
from prm_app.exceptions import InvitationError, PartnerUserError
from prm_app.permissions import get_user_partners, is_privileged

SENT = "Sent"
NEEDS_REVIEW = "Needs Review"
ACCEPTED = "Accepted"
DECLINED = "Declined"


def make_contact(user, partner: str) -> str:
	"""The user's Contact, linked to the Partner."""
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": user.first_name,
			"last_name": user.last_name,
			"user": user.name,
			"email_ids": [{"email_id": user.email, "is_primary": 1}],
			"links": [{"link_doctype": PARTNER, "link_name": partner}],
		}
	)
	contact.insert(ignore_permissions=True)  # the caller checked: the partner's admin or the channel team
	return contact.name


def add_to_team(partner: str, user: str, role: str) -> None:
	"""Put ``user`` in ``partner``'s users with ``role`` (a save of the users table only: the
	Partner's ERPNext parties are not touched)."""
	partner_doc = frappe.get_doc(PARTNER, partner, for_update=True)
	partner_doc.append("users", {"user": user, "role": role if role in TEAM_ROLES else TEAM_USER})
	partner_doc.save(ignore_permissions=True)  # the caller checked: the partner's admin or the channel team


class PartnerInvitation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		decided_by: DF.Link | None
		decided_on: DF.Datetime | None
		decision_note: DF.SmallText | None
		email: DF.Data
		first_name: DF.Data | None
		invited_by: DF.Link | None
		last_name: DF.Data | None
		partner: DF.Link
		role: DF.Literal["Partner User", "Partner Admin"]
		status: DF.Literal["Sent", "Needs Review", "Accepted", "Declined"]
		user: DF.Link | None

	# end: auto-generated types
	def validate(self):
		self.email = (self.email or "").strip().lower()
		if self.role not in TEAM_ROLES:
			self.role = TEAM_USER

	def create_member(self) -> str:
		"""A new address: its website user, its Contact, its place in the team, and the invitation
		e-mail (Email Template "PRM Partner Invitation", with the link to set a password)."""
		from prm_app.emails import has_outgoing_account, send_template

		if not has_outgoing_account():
			# nothing is kept: an invitation nobody receives would leave an account without a password
			frappe.throw(
				_(
					"The invitation could not be e-mailed: this site has no outgoing e-mail account yet. Please tell your partner manager."
				),
				PartnerUserError,
				title=_("E-mail Not Sent"),
			)
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": self.email,
				"first_name": self.first_name,
				"last_name": self.last_name,
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		)
		user.flags.no_welcome_mail = True  # the programme's own invitation is sent below
		user.insert(ignore_permissions=True)  # the caller checked: the partner's admin
		add_to_team(self.partner, user.name, self.role)
		make_contact(user, self.partner)
		self.db_set("user", user.name)
		link = user.reset_password(send_email=False)
		send_template(
			"PRM Partner Invitation",
			[user.email],
			{
				"first_name": user.first_name,
				"invited_by": frappe.utils.get_fullname(self.invited_by or frappe.session.user),
				"partner": self.partner,
				"link": link,
			},
			reference=self,
		)
		return user.name

	def ask_channel_team(self) -> None:
		"""An address with an account: the partner manager (else the Partner Managers) decides."""
		from frappe.desk.form.assign_to import add as assign

		manager = frappe.db.get_value(PARTNER, self.partner, "partner_manager")
		assignees = (
			[manager]
			if manager
			else frappe.get_all(
				"Has Role", {"role": "Partner Manager", "parenttype": "User"}, pluck="parent", distinct=True
			)
		)
		assignees = [u for u in assignees if u and frappe.db.get_value("User", u, "enabled")]
		if assignees:
			assign(
				{
					"assign_to": assignees,
					"doctype": self.doctype,
					"name": self.name,
					"description": _(
						"{0} of {1} invites {2}, which already has an account. Add it to the team or decline."
					).format(self.invited_by, self.partner, self.email),
				},
				ignore_permissions=True,
			)

	# -- the channel team's decision (whitelisted: reachable through run_doc_method with a request
	# body as ``self``; each loads the stored invitation, locked, and checks who is deciding)

	def stored_for_decision(self):
		if not is_privileged(frappe.session.user):
			frappe.throw(_("Only the channel team decides on invitations."), frappe.PermissionError)
		if not isinstance(self.name, str) or not frappe.db.exists(self.doctype, self.name):
			frappe.throw(_("This invitation does not exist."), frappe.DoesNotExistError)
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		doc.check_permission("write")
		if doc.status != NEEDS_REVIEW:
			frappe.throw(
				_("Invitation {0} is {1}: there is nothing to decide.").format(doc.name, _(doc.status)),
				InvitationError,
				title=_("Already Decided"),
			)
		return doc

	@frappe.whitelist()
	def add_existing_account(self):
		"""Add the invited address's existing account to the partner's team."""
		doc = self.stored_for_decision()
		user = frappe.db.get_value("User", doc.email, ["name", "user_type", "enabled"], as_dict=True)
		if not user:
			frappe.throw(_("There is no account {0} any more.").format(doc.email), InvitationError)
		if user.user_type != "Website User" or is_privileged(user.name):
			frappe.throw(
				_("{0} is a desk user: it cannot join a partner's team.").format(doc.email),
				InvitationError,
				title=_("Not a Website User"),
			)
		if get_user_partners(user.name):
			frappe.throw(
				_("{0} already acts for another partner.").format(doc.email),
				InvitationError,
				title=_("User Belongs to Another Partner"),
			)
		add_to_team(doc.partner, user.name, doc.role)
		if not frappe.db.exists("Contact", {"user": user.name}):
			make_contact(frappe.get_doc("User", user.name), doc.partner)
		doc.db_set(
			{
				"status": ACCEPTED,
				"user": user.name,
				"decided_by": frappe.session.user,
				"decided_on": now_datetime(),
			}
		)
		return doc.status

	@frappe.whitelist()
	def decline(self, note=None):
		doc = self.stored_for_decision()
		doc.db_set(
			{
				"status": DECLINED,
				"decided_by": frappe.session.user,
				"decided_on": now_datetime(),
				"decision_note": (note or "").strip()[:500] if isinstance(note, str) else None,
			}
		)
		return doc.status
