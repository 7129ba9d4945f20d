# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from prm_app.tests.utils import TEST_IGNORE, unique

test_ignore = TEST_IGNORE


class TestMDFActivityType(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_shipped_types_and_an_admins_own(self):
		shipped = {"Event", "Webinar", "Digital Campaign", "Trade Show", "Co-op Advertising", "Other"}
		self.assertLessEqual(shipped, set(frappe.get_all("MDF Activity Type", pluck="name")))
		name = unique("Roadshow")
		doc = frappe.get_doc({"doctype": "MDF Activity Type", "activity_type": f"  {name} "}).insert()
		self.assertEqual(doc.name, name)
