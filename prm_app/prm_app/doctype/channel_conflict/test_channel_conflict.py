# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe

from prm_app.exceptions import DealStateError
from prm_app.tests.utils import TEST_IGNORE, PRMTestCase, make_registration, unique

test_ignore = TEST_IGNORE


class TestChannelConflict(PRMTestCase):
	def test_resolution_award_to_other(self):
		name = unique("Cyberdyne Systems")
		first = self.submit(make_registration(self.partner_a.name, name))
		second = self.submit(make_registration(self.partner_b.name, name))
		case = frappe.get_doc("Channel Conflict", second.channel_conflict)
		case.resolution = "Award to Other"
		case.awarded_registration = make_registration(self.partner_a.name, unique("Unrelated")).name
		with self.assertRaises(DealStateError):
			case.save()
		case.reload()
		case.resolution = "Award to Other"
		case.awarded_registration = second.name
		case.notes = "partner B brought the customer to the first meeting"
		case.save()
		self.assertEqual((case.status, case.resolver), ("Resolved", "Administrator"))
		self.assertEqual(frappe.db.get_value("Deal Registration", second.name, "status"), "Approved")
		self.assertEqual(frappe.db.get_value("Deal Registration", first.name, "status"), "Rejected")
		self.assertTrue(frappe.db.get_value("Deal Registration", second.name, "opportunity"))
		case.resolution = "Reject"
		with self.assertRaises(DealStateError):
			case.save()

	def test_resolutions_first_split_reject(self):
		for resolution, expected in (
			("Award to First", ("Approved", "Rejected")),
			("Split", ("Approved", "Approved")),
			("Reject", ("Rejected", "Rejected")),
			("Sell Direct", ("Rejected", "Rejected")),
		):
			name = unique("Tyrell Corp")
			first = self.submit(make_registration(self.partner_a.name, name))
			second = self.submit(make_registration(self.partner_b.name, name))
			case = frappe.get_doc("Channel Conflict", second.channel_conflict)
			case.resolution = resolution
			case.save()
			got = tuple(frappe.db.get_value("Deal Registration", d.name, "status") for d in (first, second))
			self.assertEqual(got, expected, resolution)
