# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A company's application to join the partner programme (``/partner/apply``), and its review.

Two fields carry its state, as on a deal registration: ``workflow_state`` is the admin's (the
shipped workflow "Partner Application": Pending Review -> Approve / Reject, editable in the desk)
and ``status`` is the lifecycle (Pending Review, Approved, Rejected) the app's rules hang on:

- **Approved**: the Partner is created (status Onboarding, the application's company, website,
  country and type), the contact becomes its first user as Partner Admin (a website user, with
  Frappe's welcome e-mail to set a password, and a Contact), their acceptance of the partner
  agreement carries over to the account, and the application links the partner;
- **Rejected**: a reason is required; the Notification "Partner Application Rejected" e-mails it
  to the applicant.

Likely duplicates (``check_duplicates``): the application is scored with the matching engine
(``prm_app.engine.matching``) against every Partner and every other open application, by name
and registrable domain, and by the contact's e-mail among partner users; matches at or above PRM
Settings' threshold are kept on the application with their evidence, for the reviewer.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, now_datetime, validate_email_address

from prm_app import workflows
from prm_app.constants import (
	AGREEMENT_ACCEPTANCE,
	APPLICATION_APPROVED,
	APPLICATION_PENDING,
	APPLICATION_REJECTED,
	APPLICATION_STATUSES,
	PARTNER,
	PARTNER_APPLICATION,
	PARTNER_MANAGER,
	PARTNER_USER,
	TEAM_ADMIN,
)
from prm_app.engine.matching import Party, registrable_domain, score
from prm_app.exceptions import ApplicationError
from prm_app.permissions import get_user_partners, is_partner_scoped, is_privileged

DATA_LIMIT = 140
TEXT_LIMIT = 2000
REVENUE_LIMIT = 1e13
DEFAULT_THRESHOLD = 70
MAX_MATCHES = 10
# what the applicant fills in (the portal's form and the desk's)
CONTENT_FIELDS = (
	"company_name",
	"website",
	"country",
	"partner_type",
	"contact_name",
	"contact_email",
	"contact_phone",
	"expected_annual_revenue",
	"currency",
	"specialisations",
	"heard_about",
)


def field_errors(doc) -> list[tuple[str, str]]:
	"""Every problem with what an applicant entered, as (fieldname, message): the one set of rules
	for the public form, REST and the desk."""
	errors = []
	for fieldname, label in (("company_name", _("company name")), ("contact_name", _("contact person"))):
		value = (doc.get(fieldname) or "").strip()
		if not value:
			errors.append((fieldname, _("Enter the {0}.").format(label)))
		elif len(value) > DATA_LIMIT:
			errors.append((fieldname, _("Keep this under {0} characters.").format(DATA_LIMIT)))
		elif "<" in value or ">" in value:
			# the company becomes a Partner named after it, and a record's name has neither
			errors.append((fieldname, _("Enter the name without < or >.")))
	email = (doc.contact_email or "").strip()
	if not email:
		errors.append(("contact_email", _("Enter the contact's e-mail address.")))
	elif len(email) > DATA_LIMIT or validate_email_address(email) != email:
		errors.append(("contact_email", _("Enter one e-mail address, such as name@example.com.")))
	website = (doc.website or "").strip()
	if website and (len(website) > DATA_LIMIT or not registrable_domain(website)):
		errors.append(("website", _("Enter a website address such as acme.com.")))
	if not doc.country:
		errors.append(("country", _("Choose the country.")))
	elif not frappe.db.exists("Country", doc.country):
		errors.append(("country", _("Choose one of the listed countries.")))
	if doc.partner_type and not frappe.db.exists("Sales Partner Type", doc.partner_type):
		errors.append(("partner_type", _("Choose one of the listed partner types.")))
	if doc.currency and not frappe.db.exists("Currency", doc.currency):
		errors.append(("currency", _("Choose one of the listed currencies.")))
	if doc.contact_phone and len(doc.contact_phone) > DATA_LIMIT:
		errors.append(("contact_phone", _("Keep this under {0} characters.").format(DATA_LIMIT)))
	revenue = flt(doc.expected_annual_revenue)
	if revenue < 0 or revenue > REVENUE_LIMIT:
		errors.append(
			("expected_annual_revenue", _("Enter an amount between 0 and {0}.").format(int(REVENUE_LIMIT)))
		)
	if len(doc.specialisations or "") > TEXT_LIMIT:
		errors.append(("specialisations", _("Keep this under {0} characters.").format(TEXT_LIMIT)))
	return errors


def duplicate_threshold() -> int:
	value = cint(frappe.db.get_single_value("PRM Settings", "application_duplicate_threshold"))
	return value if 0 < value <= 100 else DEFAULT_THRESHOLD


def party_of(name, website=None, email=None, country=None) -> Party:
	return Party(name or "", domain=registrable_domain(website) or registrable_domain(email), country=country)


def likely_duplicates(doc) -> list[dict]:
	"""Partners and other open applications that resemble ``doc``, best first, with the evidence.
	Two reads (partners; open applications), scored in memory; plus the contact's e-mail among
	the users of partners."""
	threshold = duplicate_threshold()
	me = party_of(doc.company_name, doc.website, doc.contact_email, doc.country)
	candidates = [
		(
			PARTNER,
			row.name,
			row.partner_name,
			party_of(row.partner_name, row.website or row.domain, None, row.country),
		)
		for row in frappe.get_all(PARTNER, fields=["name", "partner_name", "website", "domain", "country"])
	]
	candidates += [
		(
			PARTNER_APPLICATION,
			row.name,
			row.company_name,
			party_of(row.company_name, row.website, row.contact_email, row.country),
		)
		for row in frappe.get_all(
			PARTNER_APPLICATION,
			filters={"status": APPLICATION_PENDING, "name": ("!=", doc.name or "")},
			fields=["name", "company_name", "website", "contact_email", "country"],
		)
	]
	found = {}
	for doctype, name, title, party in candidates:
		match = score(me, party)
		if match.score >= threshold:
			found[(doctype, name)] = {
				"matched_doctype": doctype,
				"matched_name": name,
				"matched_title": title,
				"score": match.score,
				"reasons": "; ".join(match.reasons),
			}
	email = (doc.contact_email or "").strip().lower()
	for partner in frappe.get_all(
		PARTNER_USER, filters={"user": email, "parenttype": PARTNER}, pluck="parent"
	):
		entry = found.setdefault(
			(PARTNER, partner),
			{
				"matched_doctype": PARTNER,
				"matched_name": partner,
				"matched_title": partner,
				"score": 0,
				"reasons": "",
			},
		)
		entry["score"] = 100
		entry["reasons"] = "; ".join(
			filter(None, [entry["reasons"], _("the contact e-mail is a user of this partner")])
		)
	return sorted(found.values(), key=lambda m: (-m["score"], m["matched_title"] or ""))[:MAX_MATCHES]


class PartnerApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.partner_application_match.partner_application_match import (
			PartnerApplicationMatch,
		)

		accepted_on: DF.Datetime | None
		agreement: DF.Link | None
		agreement_accepted: DF.Check
		company_name: DF.Data
		contact_email: DF.Data
		contact_name: DF.Data
		contact_phone: DF.Data | None
		country: DF.Link
		currency: DF.Link | None
		decided_by: DF.Link | None
		decided_on: DF.Datetime | None
		decision_reason: DF.SmallText | None
		domain: DF.Data | None
		duplicate_score: DF.Int
		duplicates: DF.Table[PartnerApplicationMatch]
		duplicates_checked_on: DF.Datetime | None
		expected_annual_revenue: DF.Currency
		heard_about: DF.Literal[
			"",
			"Search engine",
			"Event or trade show",
			"A partner referred us",
			"Our sales team",
			"Social media",
			"Press or analyst",
			"Other",
		]
		ip_address: DF.Data | None
		naming_series: DF.Literal["PA-.YYYY.-"]
		partner: DF.Link | None
		partner_type: DF.Link | None
		specialisations: DF.SmallText | None
		status: DF.Literal["Pending Review", "Approved", "Rejected"]
		submitted_on: DF.Datetime | None
		user: DF.Link | None
		user_agent: DF.SmallText | None
		website: DF.Data | None
		workflow_state: DF.Link | None
	# end: auto-generated types

	def before_validate(self):
		self.clean_values()
		self.set_lifecycle_from_workflow()

	def validate(self):
		errors = field_errors(self)
		if errors:
			frappe.throw(errors[0][1], ApplicationError, title=_("Check the Application"))
		if self.status_changed_to(APPLICATION_REJECTED) and not (self.decision_reason or "").strip():
			frappe.throw(
				_(
					"Give the reason for rejecting the application in Reason: it is e-mailed to the applicant."
				),
				ApplicationError,
				title=_("Reason Missing"),
			)
		if self.status_changed_to(APPLICATION_APPROVED, APPLICATION_REJECTED):
			if is_partner_scoped(frappe.session.user):
				frappe.throw(_("Only the channel team decides on applications."), frappe.PermissionError)
			self.decided_by = frappe.session.user
			self.decided_on = now_datetime()
		if self.status_changed_to(APPLICATION_APPROVED):
			self.validate_approval()

	def before_insert(self):
		self.submitted_on = self.submitted_on or now_datetime()
		for field in ("partner", "user", "decided_by", "decided_on", "duplicates_checked_on"):
			self.set(field, None)

	def on_update(self):
		if self.status_changed_to(APPLICATION_APPROVED):
			self.create_partner()

	def clean_values(self):
		for field in ("company_name", "website", "contact_name", "contact_email", "contact_phone"):
			value = self.get(field)
			if isinstance(value, str):
				self.set(field, value.strip() or None)
		if self.contact_email:
			self.contact_email = self.contact_email.lower()
		self.domain = registrable_domain(self.website) or None
		if not self.currency:
			self.currency = frappe.db.get_default("currency")

	def set_lifecycle_from_workflow(self):
		"""The lifecycle follows the workflow state ("Update Field" = status); a state an admin adds
		without one leaves it where it was. A status written directly is refused."""
		before = self.get_doc_before_save()
		previous = before.status if before else APPLICATION_PENDING
		if not workflows.get_workflow(self.doctype):
			self.status = self.status or APPLICATION_PENDING
			return
		state = self.get("workflow_state")
		moved = bool(state) and (not before or before.get("workflow_state") != state)
		status = workflows.lifecycle_of(self.doctype, state, APPLICATION_STATUSES) if moved else None
		wanted = self.status or previous
		self.status = status or previous
		if before and wanted != self.status:
			frappe.throw(
				_("An application's status follows its workflow: use Approve or Reject."),
				ApplicationError,
				title=_("Invalid Status"),
			)
		if before and before.status != APPLICATION_PENDING and self.status != before.status:
			frappe.throw(_("This application is decided already."), ApplicationError)

	def status_changed_to(self, *statuses) -> bool:
		before = self.get_doc_before_save()
		return self.status in statuses and (before.status if before else None) != self.status

	# -- duplicates

	def set_duplicates(self):
		matches = likely_duplicates(self)
		self.set("duplicates", matches)
		self.duplicate_score = max((m["score"] for m in matches), default=0)
		self.duplicates_checked_on = now_datetime()

	def save_duplicates(self):
		"""Store the likely duplicates on the stored application (rows and two fields only)."""
		self.set_duplicates()
		frappe.db.delete("Partner Application Match", {"parent": self.name, "parenttype": self.doctype})
		for row in self.duplicates:
			row.parent, row.parenttype, row.parentfield = self.name, self.doctype, "duplicates"
			row.db_insert()
		self.db_set(
			{"duplicate_score": self.duplicate_score, "duplicates_checked_on": self.duplicates_checked_on},
			update_modified=False,
		)

	@frappe.whitelist()
	def check_duplicates(self):
		"""The desk's "Check Duplicates" (whitelisted: reachable through run_doc_method with a request
		body as ``self``, so it loads the stored application and checks who asks)."""
		if not is_privileged(frappe.session.user):
			frappe.throw(_("Only the channel team reviews applications."), frappe.PermissionError)
		if not isinstance(self.name, str) or not frappe.db.exists(self.doctype, self.name):
			frappe.throw(_("This application does not exist."), frappe.PermissionError)
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		doc.check_permission("write")
		doc.save_duplicates()
		return len(doc.duplicates)

	# -- approval

	def validate_approval(self):
		"""What approving needs, checked before anything is written: a partner name not taken, and
		a contact e-mail that is free or a website user of no partner."""
		if frappe.db.exists(PARTNER, self.company_name):
			frappe.throw(
				_(
					"A partner named {0} exists already. If it is the same company, reject this application; otherwise change the company name here first."
				).format(frappe.bold(self.company_name)),
				ApplicationError,
				title=_("Partner Exists"),
			)
		existing = frappe.db.get_value("User", self.contact_email, ["name", "user_type"], as_dict=True)
		if not existing:
			return
		if existing.user_type != "Website User" or is_privileged(existing.name):
			frappe.throw(
				_("{0} is a desk user: change the contact e-mail before approving.").format(
					self.contact_email
				),
				ApplicationError,
				title=_("Contact Is a Desk User"),
			)
		if get_user_partners(existing.name):
			frappe.throw(
				_("{0} already acts for another partner: change the contact e-mail before approving.").format(
					self.contact_email
				),
				ApplicationError,
				title=_("Contact Belongs to a Partner"),
			)

	def create_partner(self):
		"""The Partner (Onboarding), its first user as Partner Admin, the links back."""
		from prm_app.prm_app.doctype.partner_invitation.partner_invitation import add_to_team, make_contact

		user = self.partner_admin_account()
		manager = frappe.session.user if PARTNER_MANAGER in frappe.get_roles() else None
		partner = frappe.get_doc(
			{
				"doctype": PARTNER,
				"partner_name": self.company_name,
				"status": "Onboarding",
				"partner_type": self.partner_type,
				"country": self.country,
				"website": self.website,
				"description": self.specialisations,
				"partner_manager": manager,
			}
		)
		partner.flags.ignore_permissions = True  # the channel team's decision creates it
		partner.insert()
		add_to_team(partner.name, user.name, TEAM_ADMIN)
		if not frappe.db.exists("Contact", {"user": user.name}):
			make_contact(user, partner.name)
		self.carry_acceptance_over(user.name, partner.name)
		self.db_set({"partner": partner.name, "user": user.name})
		self.send_welcome(user)

	def partner_admin_account(self):
		"""The contact's website user: a new one, or the existing one (``validate_approval`` checked it)."""
		email = self.contact_email
		if frappe.db.exists("User", email):
			return frappe.get_doc("User", email)
		first, _space, last = (self.contact_name or email).partition(" ")
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first,
				"last_name": last or None,
				"user_type": "Website User",
				"send_welcome_email": 1,
			}
		)
		user.flags.no_welcome_mail = True  # sent once the user is in the team
		user.insert(ignore_permissions=True)  # the channel team's decision creates it
		return user

	def carry_acceptance_over(self, user: str, partner: str):
		"""The applicant accepted the agreement on the form: that acceptance becomes the account's."""
		acceptance = frappe.db.get_value(
			AGREEMENT_ACCEPTANCE, {"application": self.name, "user": ("is", "not set")}, "name"
		)
		if acceptance:
			frappe.db.set_value(
				AGREEMENT_ACCEPTANCE, acceptance, {"user": user, "partner": partner}, update_modified=False
			)
		frappe.db.set_value(
			PARTNER, partner, "agreement_accepted_on", self.accepted_on, update_modified=False
		)

	def send_welcome(self, user):
		user.flags.delay_emails = True  # queued with the request's other writes
		try:
			user.send_welcome_mail_to_user()
		except frappe.OutgoingEmailError:
			frappe.throw(
				_(
					"The welcome e-mail could not be sent: set up an outgoing e-mail account, then approve again."
				),
				ApplicationError,
				title=_("E-mail Not Sent"),
			)


def check_unchecked(commit: bool = True) -> int:
	"""Hourly: likely duplicates of open applications not checked yet (the check queued when an
	application arrives runs on a worker; this catches any that did not)."""
	names = frappe.get_all(
		PARTNER_APPLICATION,
		filters={"status": APPLICATION_PENDING, "duplicates_checked_on": ("is", "not set")},
		pluck="name",
		limit_page_length=500,
	)
	for name in names:
		frappe.get_doc(PARTNER_APPLICATION, name, for_update=True).save_duplicates()
		if commit:
			frappe.db.commit()  # nosemgrep: scheduled job
	return len(names)


def check_one(application: str) -> None:
	"""The background job queued when an application arrives."""
	if frappe.db.exists(PARTNER_APPLICATION, application):
		frappe.get_doc(PARTNER_APPLICATION, application, for_update=True).save_duplicates()
