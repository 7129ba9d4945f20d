# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""A kind of MDF activity partners may request funds for (event, webinar, ...): admins add their
own; a disabled one is no longer offered for new requests."""

from frappe.model.document import Document


class MDFActivityType(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		activity_type: DF.Data
		description: DF.SmallText | None
		disabled: DF.Check
	# end: auto-generated types

	def before_naming(self):
		self.activity_type = (self.activity_type or "").strip()

	def validate(self):
		self.activity_type = (self.activity_type or "").strip()
