# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, today

from prm_app.exceptions import PartnerAssetError
from prm_app.tests.utils import (
	GROWTH_TEST_IGNORE,
	PRMTestCase,
	attach_asset_file,
	ensure_partner_type,
	make_asset,
	make_tier,
)

test_ignore = GROWTH_TEST_IGNORE


class TestPartnerAsset(PRMTestCase):
	def test_an_asset_is_a_file_or_a_link(self):
		with self.assertRaises(PartnerAssetError):
			make_asset(link=None)
		with self.assertRaises(PartnerAssetError):
			make_asset(link="javascript:alert(1)")
		with self.assertRaises(PartnerAssetError):
			make_asset(published_from=today(), published_until=add_days(today(), -1))
		asset = make_asset()
		self.assertEqual(asset.download_count, 0)

	def test_who_sees_an_asset(self):
		# partner A is in self.tier; partner B in the default tier (ranked lower)
		reseller = ensure_partner_type("Reseller")
		frappe.db.set_value("Partner", self.partner_a.name, "partner_type", reseller)
		high = make_tier()  # ranked above A's tier
		for_everyone = make_asset()
		for_a_tier = make_asset(lowest_tier=self.tier.name)
		for_high_tier = make_asset(lowest_tier=high.name)
		for_resellers = make_asset(partner_types=[reseller])
		later = make_asset(published_from=add_days(today(), 3))
		ended = make_asset(published_from=add_days(today(), -9), published_until=add_days(today(), -1))

		def seen(user):
			frappe.set_user(user)
			try:
				names = set(frappe.get_list("Partner Asset", pluck="name", limit_page_length=0))
				docs = {
					a.name
					for a in (for_everyone, for_a_tier, for_high_tier, for_resellers, later, ended)
					if frappe.get_doc("Partner Asset", a.name).has_permission("read")
				}
				return names & docs, docs
			finally:
				frappe.set_user("Administrator")

		listed, readable = seen(self.user_a)
		self.assertEqual(readable, {for_everyone.name, for_a_tier.name, for_resellers.name})
		self.assertEqual(listed, readable)
		listed, readable = seen(self.user_b)
		self.assertEqual(readable, {for_everyone.name})
		# a suspended partner sees nothing
		frappe.db.set_value("Partner", self.partner_b.name, "status", "Suspended")
		self.assertEqual(seen(self.user_b)[1], set())
		# the private file follows the asset's rule
		file = attach_asset_file(for_high_tier.name)
		frappe.set_user(self.user_a)
		self.assertFalse(frappe.get_doc("File", file.name).is_downloadable())
		frappe.set_user("Administrator")
		frappe.db.set_value("Partner Asset", for_high_tier.name, "lowest_tier", self.tier.name)
		frappe.set_user(self.user_a)
		self.assertTrue(frappe.get_doc("File", file.name).is_downloadable())
