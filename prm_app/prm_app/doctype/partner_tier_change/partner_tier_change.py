# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""The log of a partner's tier changes: written by the tier engine (and by a change made by hand
on the Partner form), read by the channel team; its insert is what the "Partner Tier Changed"
notification announces."""

from frappe.model.document import Document

from prm_app.integrations.training import partner_admin_emails


class PartnerTierChange(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		certified_people: DF.Int
		change: DF.Literal["Promoted", "Demoted", "Assigned", "Set by Hand"]
		currency: DF.Link | None
		effective_on: DF.Date | None
		from_tier: DF.Link | None
		partner: DF.Link
		partner_admins: DF.SmallText | None
		partner_manager: DF.Link | None
		partner_name: DF.Data | None
		reason: DF.SmallText | None
		to_tier: DF.Link | None
		trailing_revenue: DF.Currency
		won_deals: DF.Int
	# end: auto-generated types

	def before_insert(self):
		if not self.partner_admins and self.partner:
			self.partner_admins = partner_admin_emails(self.partner)
