# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from prm_app.exceptions import DefaultTierError, DuplicateRankError, TierValidationError
from prm_app.tests.utils import TEST_IGNORE, make_partner, make_tier

test_ignore = TEST_IGNORE


class TestProgramTier(FrappeTestCase):
	def setUp(self):
		# every test starts from a programme with exactly one default tier
		if not frappe.db.exists("Program Tier", {"is_default": 1}):
			make_tier(tier_name="Registered Test Tier")

	def test_first_tier_becomes_default_and_only_one_default(self):
		defaults = frappe.get_all("Program Tier", filters={"is_default": 1}, pluck="name")
		self.assertEqual(len(defaults), 1)
		tier = make_tier()
		self.assertFalse(tier.is_default)

	def test_second_default_is_refused(self):
		with self.assertRaises(DefaultTierError):
			make_tier(is_default=1)

	def test_clearing_the_only_default_is_refused(self):
		default = frappe.get_doc("Program Tier", {"is_default": 1})
		default.is_default = 0
		with self.assertRaises(DefaultTierError):
			default.save()

	def test_set_as_default_moves_the_flag(self):
		old = frappe.db.get_value("Program Tier", {"is_default": 1}, "name")
		tier = make_tier()
		tier.set_as_default()
		self.assertEqual(frappe.get_all("Program Tier", filters={"is_default": 1}, pluck="name"), [tier.name])
		self.assertEqual(frappe.db.get_value("Program Tier", old, "is_default"), 0)

	def test_default_tier_cannot_be_deleted_while_others_exist(self):
		make_tier()
		default = frappe.get_doc("Program Tier", {"is_default": 1})
		with self.assertRaises(DefaultTierError):
			default.delete()

	def test_duplicate_rank_is_refused(self):
		tier = make_tier()
		with self.assertRaises(DuplicateRankError):
			make_tier(rank=tier.rank)

	def test_percentage_over_100_is_refused(self):
		for field in ("discount_percent", "commission_rate", "rebate_percent", "mdf_allocation_percent"):
			with self.subTest(field=field), self.assertRaises(TierValidationError):
				make_tier(**{field: 100.5})

	def test_negative_percentage_and_amounts_are_refused(self):
		for field, value in (
			("discount_percent", -1),
			("mdf_fixed_amount", -10),
			("min_trailing_revenue", -1),
			("min_won_deals", -1),
			("min_certified_people", -2),
			("deal_protection_days", -5),
			("demotion_grace_days", -1),
		):
			with self.subTest(field=field), self.assertRaises(TierValidationError):
				make_tier(**{field: value})

	def test_boundaries_are_accepted(self):
		tier = make_tier(discount_percent=100, commission_rate=0, rebate_percent=0.5, mdf_fixed_amount=0)
		self.assertEqual(tier.discount_percent, 100)

	def test_new_partner_gets_default_tier(self):
		default = frappe.db.get_value("Program Tier", {"is_default": 1}, "name")
		partner = make_partner()
		self.assertEqual(partner.program_tier, default)

	def test_settings_default_tier_wins_over_flag(self):
		tier = make_tier()
		frappe.db.set_single_value("PRM Settings", "default_program_tier", tier.name)
		try:
			self.assertEqual(make_partner().program_tier, tier.name)
		finally:
			frappe.db.set_single_value("PRM Settings", "default_program_tier", None)
