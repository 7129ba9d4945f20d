# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A partner's registration of a deal, and the lifecycle rules that hold whatever the workflow says.

Two fields carry a registration's state:

- ``workflow_state`` is the admin's: states, actions, roles and conditions are edited in the
  Workflow form, and an admin may add states ("Needs Information", a second approval level);
- ``status`` is the app's lifecycle (Draft, Pending Review, Approved, Rejected, Won, Lost, Expired,
  Withdrawn). A workflow state sets it through its "Update Field" (or by being named like a
  status); a state that sets nothing leaves it as it is. Nothing else writes it, except the system
  (``set_status_by_system``: Won, Expired, conflict resolutions, order cancellations).

The rules tied to the lifecycle: the conflict check (and the priority number) at submission and
again at approval; protection from approval; partners never approve or reject; a partner edits
what it registered only where the workflow lets it edit (the Draft state as shipped).
"""

import frappe
from frappe import _
from frappe.model import table_fields
from frappe.model.document import Document
from frappe.utils import (
	add_days,
	cint,
	flt,
	getdate,
	now_datetime,
	today,
	validate_email_address,
	validate_phone_number,
)

from prm_app import workflows
from prm_app.conflict import check as conflict_check
from prm_app.conflict import keys as match_keys
from prm_app.constants import (
	APPROVED,
	CLOSED_STATUSES,
	CONFLICT,
	DEAL_REGISTRATION,
	DECISIONS,
	DRAFT,
	LOST,
	PENDING,
	REGISTRATION_STATUSES,
	REJECTED,
	UNDER_REVIEW,
	WITHDRAWN,
)
from prm_app.engine.matching import registrable_domain
from prm_app.exceptions import (
	DealConflictError,
	DealStateError,
	InvalidAmountError,
	InvalidCloseDateError,
	InvalidEndCustomerError,
	ItemNotSellableError,
	PartnerNotActiveError,
	SelfApprovalError,
)
from prm_app.permissions import get_user_partners, is_partner_scoped

# What a partner registers (besides the products and any custom field an admin adds).
CONTENT_FIELDS = (
	"company_name",
	"website",
	"country",
	"territory",
	"contact_name",
	"contact_email",
	"contact_phone",
	"address",
	"expected_value",
	"currency",
	"expected_close_date",
	"description",
)
# What identifies the end customer: a change after submission is a new claim (a new priority).
IDENTITY_FIELDS = ("company_name", "website", "contact_email", "country", "territory")

# Set by the system only; a partner's request can never write them.
SYSTEM_FIELDS = (
	"status",
	"workflow_state",
	"registered_on",
	"protection_until",
	"conflict_status",
	"conflict_checked_on",
	"has_priority",
	"priority_sequence",
	"channel_conflict",
	"approver",
	"decided_on",
	"decision_reason",
	"opportunity",
	"customer",
	"sales_order",
	"partner_manager",
	"reviewer",
	"review_due_on",
	"domain",
)
TEXT_LIMIT = 5000

# Without an active workflow, what a partner may still do (with one, the workflow decides).
PARTNER_MOVES_WITHOUT_WORKFLOW = {
	DRAFT: (PENDING, WITHDRAWN),
	PENDING: (WITHDRAWN,),
	APPROVED: (WITHDRAWN, LOST),
}


def sellable_item_filters() -> dict:
	"""The products a partner can register: sales items, enabled, not templates of variants."""
	return {"is_sales_item": 1, "disabled": 0, "has_variants": 0}


def field_errors(doc) -> list[tuple[str, type, str]]:
	"""Every problem with what a partner entered, as (fieldname, error class, message).

	The one set of rules: the controller throws the first, the portal shows them all beside their
	fields, and REST, the Web Form and the desk get the same answers."""
	errors = []

	def add(fieldname, exc, message):
		errors.append((fieldname, exc, message))

	if not (doc.company_name or "").strip():
		add("company_name", InvalidEndCustomerError, _("Enter the end customer's company name."))
	website = (doc.website or "").strip()
	if website and not registrable_domain(website):
		add(
			"website",
			InvalidEndCustomerError,
			_("{0} is not a website address. Enter a domain such as acme.com.").format(website),
		)
	email = (doc.contact_email or "").strip()
	if email and validate_email_address(email) != email:
		add("contact_email", InvalidEndCustomerError, _("{0} is not a valid e-mail address.").format(email))
	phone = (doc.contact_phone or "").strip()
	if phone and not validate_phone_number(phone):
		add(
			"contact_phone",
			InvalidEndCustomerError,
			_("Enter a phone number using digits, spaces and + ( ) - only."),
		)
	for fieldname in ("address", "description"):
		if len(doc.get(fieldname) or "") > TEXT_LIMIT:
			add(fieldname, InvalidEndCustomerError, _("Keep this under {0} characters.").format(TEXT_LIMIT))
	if not doc.expected_close_date:
		add("expected_close_date", InvalidCloseDateError, _("Enter the expected close date."))
	elif doc.close_date_checked() and getdate(doc.expected_close_date) < getdate(today()):
		add(
			"expected_close_date",
			InvalidCloseDateError,
			_("The expected close date {0} is in the past.").format(
				frappe.format(doc.expected_close_date, "Date")
			),
		)
	if flt(doc.expected_value) < 0:
		add("expected_value", InvalidAmountError, _("The expected value cannot be negative."))
	sellable = sellable_item_filters()
	for row in doc.items:
		if not row.item_code or not frappe.db.exists("Item", {"name": row.item_code, **sellable}):
			add(
				"items",
				ItemNotSellableError,
				_("Row {0}: {1} is not a product we sell.").format(row.idx, row.item_code or "?"),
			)
		elif flt(row.qty) <= 0:
			add("items", InvalidAmountError, _("Row {0}: the quantity must be more than 0.").format(row.idx))
		elif flt(row.amount) < 0:
			add("items", InvalidAmountError, _("Row {0}: the amount cannot be negative.").format(row.idx))
	return errors


def pick_reviewer(partner_manager: str | None, partner: str) -> str | None:
	"""Who reviews a submitted registration: the partner's manager; else, in turn, the Partner
	Managers who manage partners of the same territory (else all Partner Managers): the one whose
	last review started longest ago goes first."""
	from frappe.query_builder.functions import Max

	if partner_manager and frappe.db.get_value("User", partner_manager, "enabled"):
		return partner_manager
	managers = set(
		frappe.get_all("Has Role", {"role": "Partner Manager", "parenttype": "User"}, pluck="parent")
	)
	managers = set(
		frappe.get_all("User", {"name": ("in", list(managers) or [""]), "enabled": 1}, pluck="name")
	)
	territory = frappe.db.get_value("Partner", partner, "territory")
	local = set()
	if territory:
		local = (
			set(
				frappe.get_all(
					"Partner",
					{"territory": territory, "partner_manager": ("is", "set")},
					pluck="partner_manager",
				)
			)
			& managers
		)
	candidates = sorted(local or managers)
	if not candidates:
		return None
	table = frappe.qb.DocType(DEAL_REGISTRATION)
	last = dict(
		frappe.qb.from_(table)
		.select(table.reviewer, Max(table.registered_on))
		.where(table.reviewer.isin(candidates))
		.groupby(table.reviewer)
		.run()
	)
	return min(candidates, key=lambda user: (last.get(user) is not None, str(last.get(user) or ""), user))


class DealRegistration(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.deal_registration_conflict.deal_registration_conflict import (
			DealRegistrationConflict,
		)
		from prm_app.prm_app.doctype.deal_registration_extension.deal_registration_extension import (
			DealRegistrationExtension,
		)
		from prm_app.prm_app.doctype.deal_registration_item.deal_registration_item import DealRegistrationItem

		address: DF.SmallText | None
		approver: DF.Link | None
		channel_conflict: DF.Link | None
		company_name: DF.Data
		conflict_checked_on: DF.Datetime | None
		conflict_status: DF.Literal["", "Clear", "Possible Conflict", "Conflict"]
		conflicts: DF.Table[DealRegistrationConflict]
		contact_email: DF.Data | None
		contact_name: DF.Data | None
		contact_phone: DF.Data | None
		country: DF.Link | None
		currency: DF.Link | None
		customer: DF.Link | None
		decided_on: DF.Datetime | None
		decision_reason: DF.SmallText | None
		description: DF.SmallText | None
		domain: DF.Data | None
		expected_close_date: DF.Date
		expected_value: DF.Currency
		extensions: DF.Table[DealRegistrationExtension]
		has_priority: DF.Check
		items: DF.Table[DealRegistrationItem]
		naming_series: DF.Literal["DR-.YYYY.-"]
		opportunity: DF.Link | None
		partner: DF.Link
		partner_manager: DF.Link | None
		priority_sequence: DF.Int
		protection_until: DF.Date | None
		registered_on: DF.Datetime | None
		review_due_on: DF.Date | None
		reviewer: DF.Link | None
		sales_order: DF.Link | None
		status: DF.Literal[
			"Draft", "Pending Review", "Approved", "Rejected", "Won", "Lost", "Expired", "Withdrawn"
		]
		territory: DF.Link | None
		website: DF.Data | None
		workflow_state: DF.Link | None

	# end: auto-generated types
	def before_validate(self):
		self.keep_system_fields()
		self.set_lifecycle_from_workflow()
		self.set_domain()
		self.set_amounts()

	def validate(self):
		self.validate_partner()
		self.validate_fields()
		self.validate_partner_changes()
		self.validate_status_change()

	def on_update(self):
		match_keys.sync_doc(self)
		if self.status_changed_to(PENDING, APPROVED):
			self.open_channel_conflict()
		if self.status_changed_to(APPROVED):
			self.create_crm_records()
		if self.status_changed_to(PENDING, APPROVED) and self.flags.under_review:
			self.tell_partner_under_review()

	def on_change(self):
		self.hide_from_partner()

	def on_trash(self):
		match_keys.remove(self.doctype, self.name)

	def hide_from_partner(self):
		"""After a partner's save (its version already written), drop what the partner may not
		read from the document in memory: apply_workflow, frappe.client.save and REST PUT return
		it as it is, without field-level filtering."""
		if not is_partner_scoped(frappe.session.user):
			return
		access = self.get_permlevel_access("read")
		for df in self.meta.fields:
			if df.permlevel and df.permlevel not in access:
				self.set(df.fieldname, [] if df.fieldtype in table_fields else None)

	# -- setters

	def keep_system_fields(self):
		"""A partner user's save keeps the system's values (REST can send any field): the lifecycle
		moves only through the workflow's state, and the system's own fields never move at all."""
		if not is_partner_scoped(frappe.session.user):
			return
		before = self.get_doc_before_save()
		for fieldname in SYSTEM_FIELDS:
			if fieldname in ("workflow_state", "status") and workflows.get_workflow(self.doctype):
				continue  # Frappe checks the transition, set_lifecycle_from_workflow the status
			self.set(fieldname, before.get(fieldname) if before else None)
		self.set("extensions", [row.as_dict() for row in before.extensions] if before else [])

	def set_lifecycle_from_workflow(self):
		"""The lifecycle status follows the workflow state: the state's "Update Field" (or a state
		named like a status) sets it, an admin's intermediate state leaves it where it was. A status
		written directly, by anyone, is refused: the workflow's actions move a registration."""
		before = self.get_doc_before_save()
		if not workflows.get_workflow(self.doctype):
			self.status = self.status or DRAFT
			return
		state = self.get("workflow_state")
		moved = bool(state) and (not before or before.get("workflow_state") != state)
		previous = before.status if before else DRAFT
		status = workflows.lifecycle_of(self.doctype, state, REGISTRATION_STATUSES) if moved else None
		wanted = self.status or previous
		self.status = status or previous
		if wanted != self.status and before:
			self.refuse_direct_status(wanted)

	def refuse_direct_status(self, wanted: str):
		if wanted in DECISIONS and is_partner_scoped(frappe.session.user):
			frappe.throw(
				_("Only the channel team can approve or reject a deal registration."),
				SelfApprovalError,
				title=_("Not Allowed"),
			)
		frappe.throw(
			_("A registration's status follows its workflow: use one of the workflow's actions."),
			DealStateError,
			title=_("Invalid Status"),
		)

	def set_domain(self):
		self.domain = registrable_domain(self.website) or registrable_domain(self.contact_email)

	def set_amounts(self):
		if self.items and not flt(self.expected_value):
			self.expected_value = sum(flt(d.amount) for d in self.items)
		if not self.currency:
			self.currency = frappe.db.get_default("currency")
		for fieldname in ("company_name", "website", "contact_email", "contact_phone"):
			value = self.get(fieldname)
			self.set(fieldname, value.strip() or None if isinstance(value, str) else value)

	# -- checks

	def validate_partner(self):
		status = frappe.db.get_value("Partner", self.partner, "status") if self.partner else None
		if status is None:
			frappe.throw(
				_("Choose the partner registering this deal."),
				PartnerNotActiveError,
				title=_("Unknown Partner"),
			)
		user = frappe.session.user
		if is_partner_scoped(user) and self.partner not in get_user_partners(user):
			# also when a path saves with ignore_permissions (Frappe's web form endpoint does)
			frappe.throw(
				_("You can only register deals for your own partner."),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)
		before = self.get_doc_before_save()
		if before and before.partner != self.partner:
			frappe.throw(
				_("A registration stays with the partner that registered it."),
				DealStateError,
				title=_("Partner Cannot Change"),
			)
		if status != "Active" and (self.is_new() or self.status_changed_to(PENDING)):
			frappe.throw(
				_("Partner {0} is {1}: only Active partners can register deals.").format(
					frappe.bold(self.partner), _(status)
				),
				PartnerNotActiveError,
				title=_("Partner Not Active"),
			)
		if self.is_new() or not self.partner_manager:
			self.partner_manager = frappe.db.get_value("Partner", self.partner, "partner_manager")

	def close_date_checked(self) -> bool:
		"""A close date in the past is refused when it is entered or changed, and at submission."""
		before = self.get_doc_before_save()
		changed = not before or getdate(before.expected_close_date) != getdate(self.expected_close_date)
		return changed or self.status_changed_to(PENDING)

	def validate_fields(self):
		errors = field_errors(self)
		if errors:
			_fieldname, exc, message = errors[0]
			frappe.throw(message, exc, title=_("Check the Registration"))

	def partner_editable_fields(self) -> list[str]:
		"""What a partner can write: level-0 fields that are not the system's, custom ones included."""
		return [
			df.fieldname
			for df in self.meta.fields
			if not df.permlevel
			and not df.read_only
			and df.fieldtype not in ("Section Break", "Column Break", "Tab Break", "HTML", "Button")
			and df.fieldname not in SYSTEM_FIELDS
			and df.fieldname not in ("partner", "naming_series", "extensions")
		]

	def changed_fields(self, before, fieldnames) -> list[str]:
		return [f for f in fieldnames if self.comparable(before, f) != self.comparable(self, f)]

	def comparable(self, doc, fieldname):
		"""A field's value in a comparable form (a request sends dates and numbers as strings)."""
		df = self.meta.get_field(fieldname)
		value = doc.get(fieldname)
		if df.fieldtype in table_fields:
			return [
				tuple(
					(k, str(v)) for k, v in sorted(row.as_dict(no_default_fields=True).items()) if k != "idx"
				)
				for row in value or []
			]
		if df.fieldtype == "Date":
			return getdate(value) if value else None
		if df.fieldtype in ("Currency", "Float", "Int", "Percent", "Check"):
			return flt(value)
		return (value or "").strip() if isinstance(value, str) else value or ""

	def validate_partner_changes(self):
		"""A partner edits what it registered only where the workflow lets it edit (the Draft state
		as shipped); everywhere else every partner-editable field is frozen, custom fields too."""
		if self.is_new() or not is_partner_scoped(frappe.session.user):
			return
		before = self.get_doc_before_save()
		if self.partner_may_edit(before):
			return
		if self.changed_fields(before, self.partner_editable_fields()):
			frappe.throw(
				_("This registration is {0}: it can no longer be edited.").format(
					_(before.get("workflow_state") or before.status)
				),
				DealStateError,
				title=_("Not Editable"),
			)

	def partner_may_edit(self, before) -> bool:
		if before.status in CLOSED_STATUSES:
			return False
		if workflows.get_workflow(self.doctype):
			return workflows.can_edit(before)
		return before.status == DRAFT

	def validate_status_change(self):
		if self.is_new():
			if self.status != DRAFT and is_partner_scoped(frappe.session.user):
				frappe.throw(
					_("A new registration starts as a Draft."), DealStateError, title=_("Invalid Status")
				)
			return
		before = self.get_doc_before_save()
		partner_user = is_partner_scoped(frappe.session.user)
		if self.status_changed_to(*DECISIONS) and partner_user:
			frappe.throw(
				_("Only the channel team can approve or reject a deal registration."),
				SelfApprovalError,
				title=_("Not Allowed"),
			)
		if partner_user and not workflows.get_workflow(self.doctype) and before.status != self.status:
			if self.status not in PARTNER_MOVES_WITHOUT_WORKFLOW.get(before.status, ()):
				frappe.throw(
					_("A registration cannot move from {0} to {1}.").format(_(before.status), _(self.status)),
					DealStateError,
					title=_("Invalid Status"),
				)
		if self.status_changed_to(PENDING):
			self.claim_priority()
		elif self.status_changed_to(APPROVED):
			self.run_conflict_check()
			if not self.has_priority:
				frappe.throw(
					_(
						"An earlier registration of the same customer has priority. Resolve Channel Conflict {0} first."
					).format(frappe.bold(self.channel_conflict or "")),
					DealConflictError,
					title=_("Channel Conflict"),
				)
			self.set_decision()
			self.set_protection()
		elif self.status_changed_to(REJECTED):
			self.set_decision()
		elif self.status == PENDING and self.changed_fields(before, (*IDENTITY_FIELDS, "items")):
			# the end customer changed while under review: a new claim, checked again
			self.claim_priority()

	def status_changed_to(self, *statuses) -> bool:
		before = self.get_doc_before_save()
		old = before.status if before else None
		return self.status in statuses and old != self.status

	# -- conflict check

	def claim_priority(self):
		"""Take the next priority number under the priority lock, then check for conflicts: of two
		registrations of one customer, the lower number is first, whatever the servers' clocks say."""
		self.priority_sequence = conflict_check.take_priority()
		self.registered_on = now_datetime()
		self.run_conflict_check(locked=True)
		self.reviewer = pick_reviewer(self.partner_manager, self.partner)
		days = frappe.db.get_single_value("PRM Settings", "review_days")
		self.review_due_on = add_days(getdate(today()), cint(days)) if cint(days) else None

	def run_conflict_check(self, locked: bool = False):
		result = conflict_check.check(self, take_lock=not locked)
		self.conflict_status = result.status
		# a partner's copy loses its level-1 fields once saved: on_update reads the check's outcome here
		self.flags.conflict_status = result.status
		self.flags.under_review = result.status in UNDER_REVIEW
		self.has_priority = cint(result.has_priority)
		self.conflict_checked_on = now_datetime()
		self.set("conflicts", [])
		for match in result.matches:
			self.append(
				"conflicts",
				{
					"matched_doctype": match["doctype"],
					"matched_record": match["name"],
					"matched_name": match.get("company_name"),
					"score": match["score"],
					"has_priority": cint(match.get("earlier")),
					"reasons": "\n".join(match["reasons"]),
				},
			)
		return result

	def open_channel_conflict(self):
		"""A Channel Conflict case for a registration in Conflict, unless one is open already.

		It is the channel team's case: owned by the partner manager (or Administrator), never by
		the partner user whose submission opened it."""
		if (self.flags.conflict_status or self.conflict_status) != CONFLICT:
			return
		current = frappe.db.get_value(self.doctype, self.name, "channel_conflict")
		if current and frappe.db.get_value("Channel Conflict", current, "status") == "Open":
			return
		case = frappe.new_doc("Channel Conflict")
		case.deal_registration = self.name
		case.opened_on = now_datetime()
		case.append(
			"records",
			{
				"deal_registration": self.name,
				"partner": self.partner,
				"matched_doctype": self.doctype,
				"matched_record": self.name,
				"matched_name": self.company_name,
				"registered_on": self.registered_on,
				"score": 100,
				"reasons": _("the registration under review"),
			},
		)
		for row in self.conflicts:
			is_registration = row.matched_doctype == self.doctype
			case.append(
				"records",
				{
					"deal_registration": row.matched_record if is_registration else None,
					"partner": frappe.db.get_value(
						row.matched_doctype,
						row.matched_record,
						"partner" if is_registration else "prm_partner",
					),
					"matched_doctype": row.matched_doctype,
					"matched_record": row.matched_record,
					"matched_name": row.matched_name,
					"registered_on": frappe.db.get_value(self.doctype, row.matched_record, "registered_on")
					if is_registration
					else None,
					"score": row.score,
					"reasons": row.reasons,
				},
			)
		case.flags.ignore_permissions = True  # opened by the system for the channel team
		case.insert()
		case.db_set("owner", self.partner_manager or "Administrator", update_modified=False)
		self.db_set("channel_conflict", case.name, update_modified=False)

	def tell_partner_under_review(self):
		if is_partner_scoped(frappe.session.user):
			frappe.msgprint(
				_("Registration {0} is under review. The channel team will decide on it.").format(self.name),
				title=_("Under Review"),
				indicator="orange",
			)

	# -- decisions

	def set_decision(self):
		self.approver = frappe.session.user
		self.decided_on = now_datetime()

	def protection_days(self) -> int:
		tier = frappe.db.get_value("Partner", self.partner, "program_tier")
		days = cint(frappe.db.get_value("Program Tier", tier, "deal_protection_days")) if tier else 0
		return days or cint(frappe.db.get_single_value("PRM Settings", "default_protection_days")) or 90

	def set_protection(self):
		self.protection_until = add_days(getdate(today()), self.protection_days())

	def create_crm_records(self):
		from prm_app.integrations.crm import create_records_for_registration

		create_records_for_registration(self)

	def set_status_by_system(self, status: str, reason: str | None = None, **values):
		"""Status changes the workflow does not own (Won, Expired, conflict resolutions, order
		cancellations): written directly, with the workflow state that stands for the status,
		recorded in the timeline, with their consequences."""
		before = self.status
		values["status"] = status
		state = workflows.state_for(self.doctype, status)
		if state:
			values["workflow_state"] = state
		if reason:
			values["decision_reason"] = reason
		if status == APPROVED and before in (DRAFT, PENDING):
			self.status = status
			self.set_protection()
			values.update(
				protection_until=self.protection_until,
				approver=frappe.session.user,
				decided_on=now_datetime(),
				has_priority=1,
			)
		elif status == REJECTED:
			values.update(approver=frappe.session.user, decided_on=now_datetime())
		self.db_set(values, notify=True)
		self.add_comment(
			"Info",
			_("Status changed from {0} to {1}.").format(_(before), _(status))
			+ (" " + reason if reason else ""),
		)
		match_keys.sync_doc(self)
		if status == APPROVED and before != APPROVED:
			self.create_crm_records()

	# -- extensions (whitelisted: reachable through run_doc_method, which builds ``self`` from the
	# request body; so each loads the stored registration, locks it and checks permission on it)

	def stored(self, ptype: str = "write"):
		"""The stored registration this request names, locked, with permission checked on it."""
		if not self.name or not isinstance(self.name, str) or not frappe.db.exists(self.doctype, self.name):
			frappe.throw(_("This deal registration does not exist."), frappe.PermissionError)
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		doc.check_permission(ptype)
		return doc

	@frappe.whitelist()
	def request_extension(self, days, reason):
		"""A partner asks to extend the protection of an approved registration."""
		doc = self.stored("write")
		days = cint(days)
		reason = (reason or "").strip() if isinstance(reason, str) else ""
		if doc.status != APPROVED:
			frappe.throw(
				_("Only an approved registration can be extended."), DealStateError, title=_("Not Approved")
			)
		if days <= 0 or days > 365:
			frappe.throw(
				_("Ask for between 1 and 365 days."), InvalidAmountError, title=_("Invalid Number of Days")
			)
		if not reason:
			frappe.throw(_("Give a reason for the extension."), DealStateError, title=_("Reason Missing"))
		if len(reason) > TEXT_LIMIT:
			frappe.throw(
				_("Keep the reason under {0} characters.").format(TEXT_LIMIT),
				DealStateError,
				title=_("Reason Too Long"),
			)
		if any(row.decision == "Pending" for row in doc.extensions):
			frappe.throw(
				_("An extension request is already waiting for a decision."),
				DealStateError,
				title=_("Request Pending"),
			)
		row = doc.append(
			"extensions",
			{
				"requested_on": now_datetime(),
				"requested_by": frappe.session.user,
				"days": days,
				"reason": reason,
				"decision": "Pending",
			},
		)
		row.db_insert()
		doc.add_comment("Info", _("Extension of {0} days requested: {1}").format(days, reason))
		return row.name

	@frappe.whitelist()
	def decide_extension(self, row_name, decision):
		"""The channel team approves or rejects a pending extension request."""
		doc = self.stored("write")
		if is_partner_scoped(frappe.session.user):
			frappe.throw(
				_("Only the channel team can decide on extensions."),
				SelfApprovalError,
				title=_("Not Allowed"),
			)
		if decision not in ("Approved", "Rejected"):
			frappe.throw(_("Decide Approved or Rejected."), DealStateError, title=_("Invalid Decision"))
		row = next((r for r in doc.extensions if r.name == row_name and r.decision == "Pending"), None)
		if not row:
			frappe.throw(_("There is no pending request {0}.").format(row_name), DealStateError)
		row.db_set({"decision": decision, "decided_by": frappe.session.user, "decided_on": now_datetime()})
		if decision == "Approved" and doc.status == APPROVED:
			base = max(getdate(doc.protection_until or today()), getdate(today()))
			doc.db_set("protection_until", add_days(base, cint(row.days)), notify=True)
		doc.add_comment("Info", _("Extension of {0} days {1}.").format(row.days, _(decision).lower()))
		return doc.protection_until
