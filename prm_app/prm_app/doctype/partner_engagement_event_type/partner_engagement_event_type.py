# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class PartnerEngagementEventType(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		event_type: DF.Data
		points: DF.Float
	# end: auto-generated types
	"""A kind of partner engagement and what one event of it is worth (the admin edits the points)."""
