# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from prm_app.engine import tiers as tier_rules
from prm_app.exceptions import DefaultTierError, DuplicateRankError, TierValidationError


class ProgramTier(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		commission_rate: DF.Percent
		deal_protection_days: DF.Int
		demotion_grace_days: DF.Int
		description: DF.SmallText | None
		discount_percent: DF.Percent
		is_default: DF.Check
		mdf_allocation_percent: DF.Percent
		mdf_allocation_type: DF.Literal["", "Percent of Trailing Revenue", "Fixed Amount"]
		mdf_fixed_amount: DF.Currency
		mdf_period: DF.Literal["Quarter", "Half-year", "Year"]
		min_certified_people: DF.Int
		min_trailing_revenue: DF.Currency
		min_won_deals: DF.Int
		rank: DF.Int
		rebate_percent: DF.Percent
		tier_name: DF.Data

	# end: auto-generated types
	def before_validate(self):
		self.set_default_when_first()

	def validate(self):
		self.validate_percentages()
		self.validate_amounts()
		self.validate_unique_rank()
		self.validate_single_default()

	def on_update(self):
		before = self.get_doc_before_save()
		if before and before.commission_rate != self.commission_rate:
			from prm_app.integrations.erpnext_parties import update_commission_for_tier

			update_commission_for_tier(self.name)

	def on_trash(self):
		if self.is_default and frappe.db.exists("Program Tier", {"name": ("!=", self.name)}):
			frappe.throw(
				_(
					"Program Tier {0} is the default tier. Make another tier the default before deleting it."
				).format(frappe.bold(self.name)),
				DefaultTierError,
				title=_("Default Tier"),
			)

	def set_default_when_first(self):
		"""The first tier of a programme becomes its default, so there is always exactly one."""
		if (
			self.is_new()
			and not self.is_default
			and not frappe.db.exists("Program Tier", {"is_default": 1, "name": ("!=", self.name)})
		):
			self.is_default = 1

	def validate_percentages(self):
		for fieldname in tier_rules.out_of_range_percentages(self.as_dict()):
			frappe.throw(
				_("{0} must be between 0 and 100, not {1}.").format(
					_(self.meta.get_label(fieldname)), self.get(fieldname)
				),
				TierValidationError,
				title=_("Invalid Percentage"),
			)

	def validate_amounts(self):
		for fieldname in tier_rules.negative_amounts(self.as_dict()):
			frappe.throw(
				_("{0} cannot be negative.").format(_(self.meta.get_label(fieldname))),
				TierValidationError,
				title=_("Invalid Amount"),
			)

	def validate_unique_rank(self):
		other = frappe.db.get_value("Program Tier", {"rank": self.rank, "name": ("!=", self.name)}, "name")
		if other:
			frappe.throw(
				_("Rank {0} is already used by Program Tier {1}. Each tier needs its own rank.").format(
					self.rank, frappe.bold(other)
				),
				DuplicateRankError,
				title=_("Duplicate Rank"),
			)

	def validate_single_default(self):
		other_default = frappe.db.get_value(
			"Program Tier", {"is_default": 1, "name": ("!=", self.name)}, "name"
		)
		if self.is_default and other_default:
			frappe.throw(
				_(
					"Program Tier {0} is already the default tier. Use Set as Default on this tier to change it."
				).format(frappe.bold(other_default)),
				DefaultTierError,
				title=_("Default Tier"),
			)
		if not self.is_default and not other_default:
			frappe.throw(
				_(
					"There must be one default tier. Use Set as Default on another tier instead of clearing this one."
				),
				DefaultTierError,
				title=_("Default Tier"),
			)

	@frappe.whitelist()
	def set_as_default(self):
		"""Make this the one default tier, clearing the flag on the previous default."""
		self.check_permission("write")
		ProgramTierTable = frappe.qb.DocType("Program Tier")
		frappe.qb.update(ProgramTierTable).set(ProgramTierTable.is_default, 0).where(
			(ProgramTierTable.is_default == 1) & (ProgramTierTable.name != self.name)
		).run()
		self.db_set("is_default", 1)
		return self.name


def get_default_tier() -> str | None:
	"""The tier a new partner gets: PRM Settings' choice, else the tier marked default."""
	return frappe.db.get_single_value("PRM Settings", "default_program_tier") or frappe.db.get_value(
		"Program Tier", {"is_default": 1}, "name"
	)
