# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe

from prm_app.api import assets
from prm_app.tests.utils import GROWTH_TEST_IGNORE, PRMTestCase, make_asset, make_tier

test_ignore = GROWTH_TEST_IGNORE


class TestPartnerAssetDownload(PRMTestCase):
	def test_downloads_are_counted_per_partner(self):
		asset = make_asset()
		frappe.set_user(self.user_a)
		self.assertEqual(assets.download_asset(asset.name)["url"], asset.link)
		assets.download_asset(asset.name)
		frappe.set_user(self.user_b)
		assets.download_asset(asset.name)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Partner Asset", asset.name, "download_count"), 3)
		rows = frappe.get_all("Partner Asset Download", filters={"asset": asset.name}, pluck="partner")
		self.assertEqual(sorted(rows), sorted([self.partner_a.name] * 2 + [self.partner_b.name]))

	def test_an_asset_not_for_the_partner_is_neither_given_nor_counted(self):
		asset = make_asset(lowest_tier=make_tier().name)
		frappe.set_user(self.user_b)
		with self.assertRaises(frappe.PermissionError):
			assets.download_asset(asset.name)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Partner Asset Download", {"asset": asset.name}), 0)
		self.assertFalse(frappe.db.get_value("Partner Asset", asset.name, "download_count"))
