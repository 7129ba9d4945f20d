# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""The history of a lead's distribution: every offer, acceptance, decline, timeout, withdrawal,
conversion, and the moment nobody was left to offer it to. Written by the system, never changed."""

import frappe
from frappe import _
from frappe.model.document import Document

from prm_app.exceptions import LeadOfferError


class LeadAssignmentLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		at: DF.Datetime
		event: DF.Literal[
			"Offered", "Accepted", "Declined", "Timed Out", "Withdrawn", "Converted", "Nobody Accepted"
		]
		lead: DF.Link
		lead_offer: DF.Link | None
		note: DF.SmallText | None
		notify_user: DF.Link | None
		partner: DF.Link | None
		rule: DF.Link | None
		user: DF.Link | None
	# end: auto-generated types

	def validate(self):
		if not self.is_new():
			frappe.throw(
				_("The lead's assignment history is a record of what happened: it is never changed."),
				LeadOfferError,
				title=_("Not Allowed"),
			)
