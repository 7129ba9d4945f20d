# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A sales or marketing asset in the partner library (``/partner/assets``).

An asset is a file or a link, shown to onboarding and active partners of at least its lowest tier
and of its partner types (empty: every type), between its publish dates. A private file attached
to it is downloaded only by users of a partner that qualifies: Frappe's private file download
asks the asset's ``has_permission`` (``prm_app.permissions.asset_has_permission``). Downloads
from the portal are counted per partner (Partner Asset Download).
"""

from urllib.parse import urlparse

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from prm_app.exceptions import PartnerAssetError


class PartnerAsset(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.partner_asset_audience.partner_asset_audience import PartnerAssetAudience

		category: DF.Literal["Sales", "Marketing", "Technical", "Training", "Brand", "Legal", "Other"]
		description: DF.SmallText | None
		download_count: DF.Int
		file: DF.Attach | None
		language: DF.Link | None
		link: DF.Data | None
		lowest_tier: DF.Link | None
		naming_series: DF.Literal["ASSET-.#####"]
		partner_types: DF.TableMultiSelect[PartnerAssetAudience]
		published_from: DF.Date
		published_until: DF.Date | None
		title: DF.Data
	# end: auto-generated types

	def validate(self):
		self.link = (self.link or "").strip() or None
		if bool(self.file) == bool(self.link):
			frappe.throw(
				_("An asset is either a file or a link: give one of them."),
				PartnerAssetError,
				title=_("File or Link"),
			)
		if self.link:
			parsed = urlparse(self.link)
			if parsed.scheme not in ("http", "https") or not parsed.netloc:
				frappe.throw(
					_("The link must be a web address starting with https:// or http://."),
					PartnerAssetError,
					title=_("Invalid Link"),
				)
		if self.published_until and getdate(self.published_until) < getdate(self.published_from):
			frappe.throw(
				_("Published Until cannot be before Published From."),
				PartnerAssetError,
				title=_("Invalid Dates"),
			)
		types = [row.partner_type for row in self.partner_types]
		if len(types) != len(set(types)):
			frappe.throw(_("A partner type is listed twice."), PartnerAssetError)
		if self.is_new():
			self.download_count = 0
