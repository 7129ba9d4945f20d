# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model import table_fields
from frappe.model.document import Document
from frappe.utils import add_days, cint, flt, getdate, now_datetime, today, validate_email_address

from prm_app.conflict import check as conflict_check
from prm_app.conflict import keys as match_keys
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

DRAFT = "Draft"
PENDING = "Pending Review"
APPROVED = "Approved"
REJECTED = "Rejected"
WON = "Won"
LOST = "Lost"
EXPIRED = "Expired"
WITHDRAWN = "Withdrawn"
DECISIONS = (APPROVED, REJECTED)
CLOSED = (REJECTED, WON, LOST, EXPIRED, WITHDRAWN)

# What a partner may change, and only while the registration is a draft.
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


# Set by the system only; a partner's request can never write them.
SYSTEM_FIELDS = (
	"registered_on",
	"protection_until",
	"conflict_status",
	"conflict_checked_on",
	"approver",
	"decided_on",
	"decision_reason",
	"opportunity",
	"customer",
	"sales_order",
)


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
		protection_until: DF.Date | None
		registered_on: DF.Datetime | None
		sales_order: DF.Link | None
		status: DF.Literal[
			"Draft", "Pending Review", "Approved", "Rejected", "Won", "Lost", "Expired", "Withdrawn"
		]
		territory: DF.Link | None
		website: DF.Data | None

	# end: auto-generated types
	def before_validate(self):
		self.keep_system_fields()
		self.set_domain()
		self.set_amounts()

	def validate(self):
		self.validate_partner()
		self.validate_end_customer()
		self.validate_close_date()
		self.validate_amounts()
		self.validate_items()
		self.validate_partner_changes()
		self.validate_status_change()

	def on_update(self):
		match_keys.sync_doc(self)
		if self.status_changed_to(PENDING, APPROVED):
			self.open_channel_conflict()
		if self.status_changed_to(APPROVED):
			self.create_crm_records()
		if self.status_changed_to(PENDING, APPROVED) and self.conflict_status == conflict_check.CONFLICT:
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
		"""A partner user's save keeps the system's values (REST can send any field)."""
		if not is_partner_scoped(frappe.session.user):
			return
		before = self.get_doc_before_save()
		for fieldname in SYSTEM_FIELDS:
			self.set(fieldname, before.get(fieldname) if before else None)
		self.set("extensions", [row.as_dict() for row in before.extensions] if before else [])

	def set_domain(self):
		self.domain = registrable_domain(self.website) or registrable_domain(self.contact_email)

	def set_amounts(self):
		if self.items and not flt(self.expected_value):
			self.expected_value = sum(flt(d.amount) for d in self.items)
		if not self.currency:
			self.currency = frappe.db.get_default("currency")

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
		if status != "Active" and (self.is_new() or self.status_changed_to(PENDING)):
			frappe.throw(
				_("Partner {0} is {1}: only Active partners can register deals.").format(
					frappe.bold(self.partner), _(status)
				),
				PartnerNotActiveError,
				title=_("Partner Not Active"),
			)

	def validate_end_customer(self):
		self.company_name = (self.company_name or "").strip()
		if not self.company_name:
			frappe.throw(
				_("Enter the end customer's company name."),
				InvalidEndCustomerError,
				title=_("Company Name Missing"),
			)
		if (self.website or "").strip():
			if not registrable_domain(self.website):
				frappe.throw(
					_("{0} is not a website address. Enter a domain such as acme.com.").format(
						frappe.bold(self.website)
					),
					InvalidEndCustomerError,
					title=_("Invalid Website"),
				)
		else:
			self.website = None
		if (self.contact_email or "").strip():
			self.contact_email = self.contact_email.strip()
			if not validate_email_address(self.contact_email):
				frappe.throw(
					_("{0} is not a valid e-mail address.").format(frappe.bold(self.contact_email)),
					InvalidEndCustomerError,
					title=_("Invalid E-mail"),
				)

	def validate_close_date(self):
		if not self.expected_close_date:
			frappe.throw(
				_("Enter the expected close date."), InvalidCloseDateError, title=_("Close Date Missing")
			)
		before = self.get_doc_before_save()
		changed = not before or getdate(before.expected_close_date) != getdate(self.expected_close_date)
		if (changed or self.status_changed_to(PENDING)) and getdate(self.expected_close_date) < getdate(
			today()
		):
			frappe.throw(
				_("The expected close date {0} is in the past.").format(
					frappe.format(self.expected_close_date, "Date")
				),
				InvalidCloseDateError,
				title=_("Invalid Close Date"),
			)

	def validate_amounts(self):
		if flt(self.expected_value) < 0:
			frappe.throw(
				_("The expected value cannot be negative."), InvalidAmountError, title=_("Invalid Amount")
			)
		for row in self.items:
			if flt(row.qty) <= 0:
				frappe.throw(
					_("Row {0}: the quantity must be more than 0.").format(row.idx),
					InvalidAmountError,
					title=_("Invalid Quantity"),
				)
			if flt(row.amount) < 0:
				frappe.throw(
					_("Row {0}: the amount cannot be negative.").format(row.idx),
					InvalidAmountError,
					title=_("Invalid Amount"),
				)

	def validate_items(self):
		for row in self.items:
			item = frappe.db.get_value("Item", row.item_code, ["is_sales_item", "disabled"], as_dict=True)
			if not item or not item.is_sales_item or item.disabled:
				frappe.throw(
					_("Row {0}: {1} is not an item we sell.").format(row.idx, frappe.bold(row.item_code)),
					ItemNotSellableError,
					title=_("Item Cannot Be Sold"),
				)

	def validate_partner_changes(self):
		"""A partner edits the deal only while it is a draft; decisions are the channel team's."""
		if self.is_new() or not is_partner_scoped(frappe.session.user):
			return
		before = self.get_doc_before_save()
		if before.status == DRAFT:
			return
		changed = [f for f in CONTENT_FIELDS if self._value(before, f) != self._value(self, f)]
		if changed or self._items_changed(before):
			frappe.throw(
				_("This registration is {0}: it can no longer be edited.").format(_(before.status)),
				DealStateError,
				title=_("Not Editable"),
			)

	def _value(self, doc, fieldname):
		"""A field's value in a comparable form (a request sends dates and numbers as strings)."""
		value = doc.get(fieldname)
		fieldtype = self.meta.get_field(fieldname).fieldtype
		if fieldtype == "Date":
			return getdate(value) if value else None
		if fieldtype in ("Currency", "Float", "Int"):
			return flt(value)
		return (value or "").strip() if isinstance(value, str) else value or ""

	def _items_changed(self, before) -> bool:
		def rows(doc):
			return [(d.item_code, flt(d.qty), flt(d.amount)) for d in doc.items]

		return rows(before) != rows(self)

	def validate_status_change(self):
		if self.is_new():
			if self.status != DRAFT and is_partner_scoped(frappe.session.user):
				frappe.throw(
					_("A new registration starts as a Draft."), DealStateError, title=_("Invalid Status")
				)
			return
		if self.status_changed_to(*DECISIONS) and is_partner_scoped(frappe.session.user):
			frappe.throw(
				_("Only the channel team can approve or reject a deal registration."),
				SelfApprovalError,
				title=_("Not Allowed"),
			)
		if self.status_changed_to(PENDING):
			self.registered_on = now_datetime()
			self.run_conflict_check()
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

	def status_changed_to(self, *statuses) -> bool:
		before = self.get_doc_before_save()
		old = before.status if before else None
		return self.status in statuses and old != self.status

	# -- conflict check

	def run_conflict_check(self):
		result = conflict_check.check(self)
		self.conflict_status = result.status
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
		"""A Channel Conflict case for a registration in Conflict, unless one is open already."""
		if self.conflict_status != conflict_check.CONFLICT:
			return
		if (
			self.channel_conflict
			and frappe.db.get_value("Channel Conflict", self.channel_conflict, "status") == "Open"
		):
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
		self.db_set("channel_conflict", case.name, update_modified=False)

	def tell_partner_under_review(self):
		if is_partner_scoped(frappe.session.user):
			frappe.msgprint(
				_("Registration {0} is under conflict review. The channel team will decide on it.").format(
					self.name
				),
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
		cancellations): written directly, recorded in the timeline, with their consequences."""
		before = self.status
		values["status"] = status
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

	# -- extensions

	@frappe.whitelist()
	def request_extension(self, days, reason):
		"""A partner asks to extend the protection of an approved registration."""
		self.check_permission("write")
		days = cint(days)
		reason = (reason or "").strip()
		if self.status != APPROVED:
			frappe.throw(
				_("Only an approved registration can be extended."), DealStateError, title=_("Not Approved")
			)
		if days <= 0 or days > 365:
			frappe.throw(
				_("Ask for between 1 and 365 days."), InvalidAmountError, title=_("Invalid Number of Days")
			)
		if not reason:
			frappe.throw(_("Give a reason for the extension."), DealStateError, title=_("Reason Missing"))
		if any(row.decision == "Pending" for row in self.extensions):
			frappe.throw(
				_("An extension request is already waiting for a decision."),
				DealStateError,
				title=_("Request Pending"),
			)
		row = self.append(
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
		self.add_comment("Info", _("Extension of {0} days requested: {1}").format(days, reason))
		return row.name

	@frappe.whitelist()
	def decide_extension(self, row_name, decision):
		"""The channel team approves or rejects a pending extension request."""
		self.check_permission("write")
		if is_partner_scoped(frappe.session.user):
			frappe.throw(
				_("Only the channel team can decide on extensions."),
				SelfApprovalError,
				title=_("Not Allowed"),
			)
		if decision not in ("Approved", "Rejected"):
			frappe.throw(_("Decide Approved or Rejected."), DealStateError, title=_("Invalid Decision"))
		row = next((r for r in self.extensions if r.name == row_name and r.decision == "Pending"), None)
		if not row:
			frappe.throw(_("There is no pending request {0}.").format(row_name), DealStateError)
		row.db_set({"decision": decision, "decided_by": frappe.session.user, "decided_on": now_datetime()})
		if decision == "Approved" and self.status == APPROVED:
			base = max(getdate(self.protection_until or today()), getdate(today()))
			self.db_set("protection_until", add_days(base, cint(row.days)), notify=True)
		self.add_comment("Info", _("Extension of {0} days {1}.").format(row.days, _(decision).lower()))
		return self.protection_until
