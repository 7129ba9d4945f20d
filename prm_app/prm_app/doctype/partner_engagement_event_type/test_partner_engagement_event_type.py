# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe

from prm_app.constants import EVENT_REGISTRATION_SUBMITTED, EVENT_SIGN_IN
from prm_app.tests.utils import TEST_IGNORE, PRMTestCase, unique

test_ignore = TEST_IGNORE


class TestPartnerEngagementEventType(PRMTestCase):
	def test_shipped_types_and_their_points(self):
		self.assertEqual(frappe.db.get_value("Partner Engagement Event Type", EVENT_SIGN_IN, "points"), 1)
		self.assertEqual(
			frappe.db.get_value("Partner Engagement Event Type", EVENT_REGISTRATION_SUBMITTED, "points"), 5
		)

	def test_points_are_not_negative(self):
		doc = frappe.get_doc(
			{"doctype": "Partner Engagement Event Type", "event_type": unique("Kind"), "points": -2}
		)
		with self.assertRaises(frappe.ValidationError):
			doc.insert()
		frappe.clear_messages()
