# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class RebateAccrualInvoice(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		currency: DF.Link | None
		incentive: DF.Currency
		kind: DF.Literal["Invoice", "Credit Note", "Cancellation"]
		net_amount: DF.Currency
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		posting_date: DF.Date | None
		rebate_amount: DF.Currency
		reverses: DF.Data | None
		rules: DF.SmallText | None
		sales_invoice: DF.Data | None
		tier_rebate: DF.Currency
	# end: auto-generated types
	pass
