# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""One download of a partner asset by a partner's user (engagement: counted per partner)."""

from frappe.model.document import Document


class PartnerAssetDownload(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		asset: DF.Link
		downloaded_on: DF.Datetime
		partner: DF.Link
		user: DF.Link | None
	# end: auto-generated types

	pass
