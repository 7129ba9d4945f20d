# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from prm_app.exceptions import EngagementEventError


class PartnerEngagementEvent(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		event_type: DF.Link
		partner: DF.Link
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		timestamp: DF.Datetime
		user: DF.Link | None
	# end: auto-generated types
	"""One thing a partner did; appended by ``prm_app.engagement.record``, never changed."""

	def validate(self):
		if not self.is_new():
			frappe.throw(
				_("An engagement event is a record of what happened; it cannot be changed."),
				EngagementEventError,
				title=_("Engagement Events Are Append-Only"),
			)


def on_doctype_update():
	# the daily score and the reports read a partner's events by time
	frappe.db.add_index("Partner Engagement Event", ["partner", "timestamp"])
	frappe.db.add_index("Partner Engagement Event", ["timestamp", "partner", "event_type"])
