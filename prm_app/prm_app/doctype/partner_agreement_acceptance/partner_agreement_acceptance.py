# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""One acceptance of a partner agreement version: who (user, or an applicant's e-mail), which
version, when, from which address. A log: written once by the system, never changed."""

import frappe
from frappe import _
from frappe.model.document import Document

from prm_app.exceptions import AgreementError


class PartnerAgreementAcceptance(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		accepted_on: DF.Datetime
		agreement: DF.Link
		application: DF.Link | None
		email: DF.Data | None
		ip_address: DF.Data | None
		partner: DF.Link | None
		user: DF.Link | None
		user_agent: DF.SmallText | None
	# end: auto-generated types

	def validate(self):
		if not self.is_new():
			frappe.throw(
				_("An acceptance is a record of what happened: it is never changed."),
				AgreementError,
				title=_("Not Allowed"),
			)
		if not (self.user or self.email):
			frappe.throw(_("Who accepted is missing."), AgreementError, title=_("Missing Data"))
