# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from prm_app.constants import PARTNER_ADMIN, PARTNER_ROLE, TEAM_ADMIN
from prm_app.engine import partner_status
from prm_app.engine.matching import registrable_domain
from prm_app.exceptions import (
	InvalidStatusTransitionError,
	InvalidWebsiteError,
	OnboardingTrainingError,
	PartnerUserError,
)
from prm_app.permissions import forget_memberships
from prm_app.prm_app.doctype.program_tier.program_tier import get_default_tier

# What the ERPNext parties (Sales Partner, Customer, Supplier) follow: a save that changes none of
# these (a team or profile change from the portal) never touches them.
PARTY_FIELDS = ("status", "program_tier", "territory")


def clean_website(website: str | None) -> tuple[str | None, str | None]:
	"""(website with a scheme, registrable domain), or (None, None) for none; InvalidWebsiteError
	for a website from which no registrable domain can be derived."""
	website = (website or "").strip()
	if not website:
		return None, None
	domain = registrable_domain(website)
	if not domain:
		frappe.throw(
			_(
				"{0} is not a website address. Enter a domain such as acme.com or https://www.acme.com."
			).format(frappe.bold(website)),
			InvalidWebsiteError,
			title=_("Invalid Website"),
		)
	if "://" not in website:
		website = f"https://{website}"
	return website, domain


class Partner(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.partner_user.partner_user import PartnerUser

		agreement_accepted_on: DF.Datetime | None
		below_tier_since: DF.Date | None
		at_risk: DF.Check
		at_risk_reasons: DF.SmallText | None
		country: DF.Link | None
		customer: DF.Link | None
		description: DF.SmallText | None
		domain: DF.Data | None
		engagement_score: DF.Int
		health_checked_on: DF.Datetime | None
		joined_on: DF.Date | None
		lead_acceptance_rate: DF.Percent
		lead_conversion_rate: DF.Percent
		lead_hours_to_accept: DF.Float
		lead_metrics_on: DF.Datetime | None
		leads_accepted: DF.Int
		leads_converted: DF.Int
		leads_offered: DF.Int
		logo: DF.AttachImage | None
		onboarding_progress: DF.HTML | None
		last_engaged_on: DF.Datetime | None
		onboarding_started_on: DF.Date | None
		partner_manager: DF.Link | None
		partner_name: DF.Data
		partner_type: DF.Link | None
		program_tier: DF.Link | None
		sales_partner: DF.Link | None
		status: DF.Literal["Prospect", "Onboarding", "Active", "Suspended", "Terminated"]
		supplier: DF.Link | None
		territory: DF.Link | None
		tier_locked_until: DF.Date | None
		users: DF.Table[PartnerUser]
		website: DF.Data | None

	# end: auto-generated types
	def before_validate(self):
		self.set_default_tier()
		self.set_joined_on()
		self.set_onboarding_started_on()

	def validate(self):
		self.validate_status_transition()
		self.validate_website()
		self.validate_users()
		self.validate_onboarding_training()

	def on_update(self):
		self.sync_user_roles()
		self.sync_erpnext_parties()
		self.log_tier_set_by_hand()

	def onload(self):
		from prm_app.integrations.training import onboarding_status

		self.set_onload("onboarding_training", onboarding_status(self))

	def on_trash(self):
		self.sync_user_roles(removing_all=True)

	def set_default_tier(self):
		if not self.program_tier:
			self.program_tier = get_default_tier()

	def set_joined_on(self):
		if self.status == partner_status.ACTIVE and not self.joined_on:
			self.joined_on = getdate(today())

	def set_onboarding_started_on(self):
		"""When the partner entered Onboarding (the early warning's "onboarding stalled" counts from it)."""
		before = self.get_doc_before_save()
		if self.status == partner_status.ONBOARDING and (not before or before.status != self.status):
			self.onboarding_started_on = getdate(today())

	def validate_status_transition(self):
		before = self.get_doc_before_save()
		old = before.status if before else None
		if partner_status.can_transition(old, self.status):
			return
		allowed = partner_status.allowed_next(old) if old else ()
		frappe.throw(
			_("A Partner cannot move from {0} to {1}. From {0} it can move to: {2}.").format(
				_(old or ""), _(self.status or ""), ", ".join(_(s) for s in allowed) or _("nothing")
			),
			InvalidStatusTransitionError,
			title=_("Status Change Not Allowed"),
		)

	def validate_website(self):
		"""Derive the registrable domain; a website that has none is refused."""
		self.website, self.domain = clean_website(self.website)

	def validate_users(self):
		seen = set()
		for row in self.users:
			if row.user in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice.").format(row.idx, frappe.bold(row.user)),
					PartnerUserError,
					title=_("Duplicate User"),
				)
			seen.add(row.user)
			# Frappe does not validate a Link whose row also fetches values (full_name), so check here.
			if not frappe.db.exists("User", row.user):
				frappe.throw(
					_("Row {0}: there is no user {1}.").format(row.idx, frappe.bold(row.user)),
					PartnerUserError,
					title=_("Unknown User"),
				)
			other = frappe.db.get_value(
				"Partner User",
				{"user": row.user, "parenttype": "Partner", "parent": ("!=", self.name)},
				"parent",
			)
			if other:
				frappe.throw(
					_(
						"Row {0}: {1} already belongs to another partner. A user can act for one partner only."
					).format(row.idx, frappe.bold(row.user)),
					PartnerUserError,
					title=_("User Belongs to Another Partner"),
				)

	def validate_onboarding_training(self):
		"""Onboarding -> Active only when every user has passed the mandatory modules meant for them
		(when PRM Settings requires it)."""
		before = self.get_doc_before_save()
		if not before or before.status != partner_status.ONBOARDING or self.status != partner_status.ACTIVE:
			return
		if not frappe.db.get_single_value("PRM Settings", "require_onboarding_training"):
			return
		from prm_app.integrations.training import missing_onboarding

		missing = missing_onboarding(self)
		if missing:
			lines = "<br>".join(
				_("{0}: {1}").format(frappe.bold(row["full_name"]), ", ".join(row["missing"]))
				for row in missing
			)
			frappe.throw(
				_("{0} cannot become Active before its users pass the mandatory onboarding training:").format(
					frappe.bold(self.partner_name)
				)
				+ "<br>"
				+ lines,
				OnboardingTrainingError,
				title=_("Onboarding Training Missing"),
			)

	def log_tier_set_by_hand(self):
		"""A tier changed on the form (not by the tier engine) is logged as Set by Hand."""
		before = self.get_doc_before_save()
		if not before or before.program_tier == self.program_tier or not self.program_tier:
			return
		from prm_app.constants import TIER_SET_BY_HAND
		from prm_app.integrations.tier_engine import log_change

		if self.below_tier_since:
			self.db_set("below_tier_since", None, update_modified=False)
		log_change(
			self.name,
			before.program_tier,
			self.program_tier,
			TIER_SET_BY_HAND,
			_("Set by {0}.").format(frappe.utils.get_fullname(frappe.session.user)),
			None,
		)

	@frappe.whitelist()
	def evaluate_tier_now(self):
		"""The channel team's "Evaluate Tier Now": this partner, by the daily job's rules, at once.
		(Reachable through ``run_doc_method``: the stored record is loaded, locked and checked.)"""
		from prm_app.permissions import is_partner_scoped

		if is_partner_scoped(frappe.session.user):
			frappe.throw(_("Only the channel team can evaluate tiers."), frappe.PermissionError)
		if not isinstance(self.name, str) or not frappe.db.exists(self.doctype, self.name):
			frappe.throw(_("This partner does not exist."), frappe.PermissionError)
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		doc.check_permission("write")
		if doc.status != partner_status.ACTIVE:
			frappe.throw(
				_("Only Active partners are evaluated; {0} is {1}.").format(
					frappe.bold(doc.partner_name), _(doc.status)
				),
				InvalidStatusTransitionError,
				title=_("Not Active"),
			)
		from prm_app.integrations.tier_engine import evaluate_all

		result = evaluate_all(partners=[doc.name])
		after = frappe.db.get_value(
			self.doctype, doc.name, ["program_tier", "below_tier_since"], as_dict=True
		)
		result.pop("timings", None)
		result.update(
			tier=after.program_tier, previous_tier=doc.program_tier, below_tier_since=after.below_tier_since
		)
		return result

	def sync_user_roles(self, removing_all: bool = False):
		"""Give listed users the partner roles, and take them from users no longer listed."""
		forget_memberships()  # a request that asked who acts for this partner asks again
		before = self.get_doc_before_save()
		previous = {row.user: row.role for row in before.users} if before else {}
		current = {} if removing_all else {row.user: row.role for row in self.users}

		for user, role in current.items():
			wanted = {PARTNER_ROLE, PARTNER_ADMIN} if role == TEAM_ADMIN else {PARTNER_ROLE}
			unwanted = set() if role == TEAM_ADMIN else {PARTNER_ADMIN}
			_set_user_roles(user, add=wanted, remove=unwanted)
			# new documents of the user get this partner (a REST call need not name it)
			if frappe.defaults.get_user_default("partner", user) != self.name:
				frappe.defaults.set_user_default("partner", self.name, user)

		for user in set(previous) - set(current):
			_set_user_roles(user, add=set(), remove={PARTNER_ROLE, PARTNER_ADMIN})
			frappe.defaults.clear_user_default("partner", user)

	def party_fields_changed(self) -> bool:
		before = self.get_doc_before_save()
		return not before or any(before.get(f) != self.get(f) for f in PARTY_FIELDS)

	def sync_erpnext_parties(self):
		"""Link or create the ERPNext parties when the partner becomes (or is saved) Active, and
		follow its tier and territory, only when one of those changed: a Sales Partner's commission
		set by hand in ERPNext stays as it is through every other save."""
		from prm_app.integrations import erpnext_parties

		if not self.party_fields_changed():
			return
		before = self.get_doc_before_save()
		if self.status == partner_status.ACTIVE:
			erpnext_parties.link_parties(self)
		if before and before.program_tier != self.program_tier and self.sales_partner:
			erpnext_parties.update_commission(self)


def _set_user_roles(user: str, add: set[str], remove: set[str]) -> None:
	if not frappe.db.exists("User", user):
		return
	user_doc = frappe.get_doc("User", user)
	has = {r.role for r in user_doc.roles}
	to_add = add - has
	to_remove = remove & has
	if not to_add and not to_remove:
		return
	# The channel team manages who acts for a partner; it need not have rights on User itself.
	user_doc.flags.ignore_permissions = True
	if to_remove:
		user_doc.remove_roles(*to_remove)
	if to_add:
		user_doc.add_roles(*to_add)
