# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A version of the partner programme's terms.

A version is written as a Draft and published by setting its status to Published: it is then in
force, the version published before it becomes Superseded, and every partner user must accept it
before using the portal again (``prm_app.agreements``). What a partner accepted never changes: a
published or superseded version's title, terms and summary are frozen, and it cannot be deleted.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from prm_app import agreements
from prm_app.constants import AGREEMENT_DRAFT, AGREEMENT_PUBLISHED, AGREEMENT_SUPERSEDED, PARTNER_AGREEMENT
from prm_app.exceptions import AgreementError

FROZEN_FIELDS = ("title", "version", "terms", "summary_of_changes")
# status changes a person may make (Superseded is set by the system when a newer version is published)
MOVES = {AGREEMENT_DRAFT: (AGREEMENT_DRAFT, AGREEMENT_PUBLISHED)}


class PartnerAgreement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		published_by: DF.Link | None
		published_on: DF.Datetime | None
		status: DF.Literal["Draft", "Published", "Superseded"]
		summary_of_changes: DF.SmallText | None
		terms: DF.TextEditor
		title: DF.Data
		version: DF.Data
	# end: auto-generated types

	def validate(self):
		self.validate_status_change()
		self.validate_frozen()
		self.validate_terms()

	def on_update(self):
		if self.published_now():
			self.supersede_others()
		agreements.forget()

	def on_trash(self):
		if self.status != AGREEMENT_DRAFT:
			frappe.throw(
				_("Version {0} was published: partners accepted it, so it is kept.").format(self.version),
				AgreementError,
				title=_("Cannot Delete"),
			)

	def before_save_status(self):
		return (self.get_doc_before_save() or frappe._dict()).get("status")

	def published_now(self) -> bool:
		return self.status == AGREEMENT_PUBLISHED and self.before_save_status() != AGREEMENT_PUBLISHED

	def validate_status_change(self):
		before = self.before_save_status()
		if before is None:
			if self.status == AGREEMENT_SUPERSEDED:
				frappe.throw(
					_("A new version is a Draft or Published."), AgreementError, title=_("Invalid Status")
				)
		elif before != self.status and self.status not in MOVES.get(before, ()):
			frappe.throw(
				_("A {0} version cannot become {1}. Publish a new version instead.").format(
					_(before), _(self.status)
				),
				AgreementError,
				title=_("Invalid Status"),
			)
		if self.published_now():
			self.published_on = now_datetime()
			self.published_by = frappe.session.user

	def validate_frozen(self):
		before = self.get_doc_before_save()
		if not before or before.status == AGREEMENT_DRAFT:
			return
		changed = [df for df in FROZEN_FIELDS if (before.get(df) or "") != (self.get(df) or "")]
		if changed:
			frappe.throw(
				_("Version {0} is {1}: what partners accepted cannot change. Write a new version.").format(
					self.version, _(before.status)
				),
				AgreementError,
				title=_("Version Frozen"),
			)

	def validate_terms(self):
		from frappe.utils import strip_html_tags

		if not strip_html_tags(self.terms or "").strip():
			frappe.throw(_("Write the terms of this version."), AgreementError, title=_("Terms Missing"))

	def supersede_others(self):
		"""One version is in force: the one published last."""
		table = frappe.qb.DocType(PARTNER_AGREEMENT)
		(
			frappe.qb.update(table)
			.set(table.status, AGREEMENT_SUPERSEDED)
			.where((table.status == AGREEMENT_PUBLISHED) & (table.name != self.name))
		).run()
