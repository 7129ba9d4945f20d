# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from prm_app.constants import ACTIVE_STATUSES as ACTIVE
from prm_app.constants import APPROVED, DEAL_REGISTRATION, REJECTED
from prm_app.constants import CASE_OPEN as OPEN
from prm_app.constants import CASE_RESOLVED as RESOLVED
from prm_app.exceptions import DealStateError


class ChannelConflict(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.channel_conflict_record.channel_conflict_record import (
			ChannelConflictRecord,
		)

		awarded_registration: DF.Link | None
		company_name: DF.Data | None
		deal_registration: DF.Link
		naming_series: DF.Literal["CC-.YYYY.-"]
		notes: DF.Text | None
		opened_on: DF.Datetime | None
		records: DF.Table[ChannelConflictRecord]
		resolution: DF.Literal["", "Award to First", "Award to Other", "Split", "Reject", "Sell Direct"]
		resolved_on: DF.Datetime | None
		resolver: DF.Link | None
		status: DF.Literal["Open", "Resolved"]

	# end: auto-generated types
	def validate(self):
		self.validate_resolution()
		self.set_resolved()

	def on_update(self):
		before = self.get_doc_before_save()
		if self.status == RESOLVED and (not before or before.status != RESOLVED):
			self.apply_resolution()

	def registrations(self) -> list[str]:
		seen = []
		for row in self.records:
			if row.deal_registration and row.deal_registration not in seen:
				seen.append(row.deal_registration)
		return seen

	def validate_resolution(self):
		before = self.get_doc_before_save()
		if before and before.status == RESOLVED:
			if (before.resolution, before.awarded_registration) != (
				self.resolution,
				self.awarded_registration,
			):
				frappe.throw(
					_("This conflict is resolved; its resolution cannot change."),
					DealStateError,
					title=_("Already Resolved"),
				)
			return
		if self.resolution == "Award to Other":
			if not self.awarded_registration:
				frappe.throw(
					_("Choose the registration that is awarded the deal."),
					DealStateError,
					title=_("Awarded Registration Missing"),
				)
			if self.awarded_registration not in self.registrations():
				frappe.throw(
					_("{0} is not one of the registrations in this conflict.").format(
						frappe.bold(self.awarded_registration)
					),
					DealStateError,
					title=_("Invalid Registration"),
				)

	def set_resolved(self):
		if self.resolution and self.status == OPEN:
			self.status = RESOLVED
			self.resolver = frappe.session.user
			self.resolved_on = now_datetime()

	def winners(self) -> set[str]:
		active = [
			r for r in self.registrations() if frappe.db.get_value(DEAL_REGISTRATION, r, "status") in ACTIVE
		]
		if self.resolution == "Award to First":
			first = min(
				active,
				key=lambda r: (
					get_datetime(frappe.db.get_value(DEAL_REGISTRATION, r, "registered_on") or "2999-01-01"),
					r,
				),
				default=None,
			)
			return {first} if first else set()
		if self.resolution == "Award to Other":
			return {self.awarded_registration}
		if self.resolution == "Split":
			return set(active)
		return set()  # Reject, Sell Direct

	def apply_resolution(self):
		winners = self.winners()
		reason = _("Channel Conflict {0} resolved: {1}.").format(self.name, _(self.resolution))
		for name in self.registrations():
			registration = frappe.get_doc(DEAL_REGISTRATION, name)
			if registration.status not in ACTIVE:
				continue
			if name in winners:
				if registration.status != APPROVED:
					registration.set_status_by_system(APPROVED, reason)
			else:
				registration.set_status_by_system(REJECTED, reason)
