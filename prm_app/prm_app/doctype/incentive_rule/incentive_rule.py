# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""An incentive beyond the tier's rebate percentage, kept as a record: a percentage of the net
amount and/or an amount per unit sold, on an item or a product line (an item group with the groups
below it), optionally only for invoices dated within a range (a SPIFF), a tier, a type of partner
or a company. The rebate batch applies every enabled rule (``prm_app.engine.rebates``)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate

from prm_app.exceptions import IncentiveRuleError


class IncentiveRule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount_per_unit: DF.Currency
		company: DF.Link | None
		description: DF.SmallText | None
		enabled: DF.Check
		item_code: DF.Link | None
		item_group: DF.Link | None
		partner_type: DF.Link | None
		percent: DF.Percent
		program_tier: DF.Link | None
		rule_name: DF.Data
		rule_type: DF.Literal["Product-Line Bonus", "SPIFF", "Other"]
		valid_from: DF.Date | None
		valid_to: DF.Date | None
	# end: auto-generated types

	def validate(self):
		if not 0 <= flt(self.percent) <= 100:
			frappe.throw(
				_("The percentage must be between 0 and 100, not {0}.").format(self.percent),
				IncentiveRuleError,
				title=_("Invalid Percentage"),
			)
		if flt(self.amount_per_unit) < 0:
			frappe.throw(
				_("The amount per unit cannot be negative."), IncentiveRuleError, title=_("Invalid Amount")
			)
		if not flt(self.percent) and not flt(self.amount_per_unit):
			frappe.throw(
				_("Give the rule a reward: a percentage, an amount per unit, or both."),
				IncentiveRuleError,
				title=_("No Reward"),
			)
		if self.valid_from and self.valid_to and getdate(self.valid_to) < getdate(self.valid_from):
			frappe.throw(
				_("The rule cannot end before it starts."), IncentiveRuleError, title=_("Dates the Wrong Way")
			)
		if flt(self.amount_per_unit) and not (self.item_code or self.item_group):
			frappe.throw(
				_("An amount per unit needs an item or a product line: units of what?"),
				IncentiveRuleError,
				title=_("No Product"),
			)
