# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe

from prm_app import agreements
from prm_app.exceptions import AgreementError, AgreementPendingError
from prm_app.permissions import current_partner, scoped_query_conditions
from prm_app.tests.utils import GROWTH_TEST_IGNORE, PRMTestCase, accept_agreement, make_agreement

test_ignore = GROWTH_TEST_IGNORE


class TestPartnerAgreement(PRMTestCase):
	def test_publishing_a_version_supersedes_the_one_in_force(self):
		first = make_agreement()
		self.assertEqual(agreements.current_agreement().name, first.name)
		self.assertTrue(first.published_on)
		second = make_agreement(status="Draft")
		self.assertEqual(agreements.current_agreement().name, first.name)  # a draft is not in force
		second.status = "Published"
		second.save()
		self.assertEqual(agreements.current_agreement().name, second.name)
		self.assertEqual(frappe.db.get_value("Partner Agreement", first.name, "status"), "Superseded")

	def test_what_partners_accepted_never_changes(self):
		doc = make_agreement()
		doc.terms = "<p>Different terms.</p>"
		with self.assertRaises(AgreementError):
			doc.save()
		doc.reload()
		doc.status = "Draft"
		with self.assertRaises(AgreementError):
			doc.save()
		with self.assertRaises(AgreementError):
			frappe.delete_doc("Partner Agreement", doc.name)
		draft = make_agreement(status="Draft")
		draft.terms = "<p>Still a draft: fine.</p>"
		draft.save()
		with self.assertRaises(AgreementError):
			make_agreement(status="Superseded")
		with self.assertRaises(AgreementError):
			make_agreement(terms="<p> </p>")

	def test_partner_users_must_accept_the_version_in_force(self):
		self.assertIsNone(agreements.pending_for(self.user_a))
		doc = make_agreement()
		self.assertEqual(agreements.pending_for(self.user_a).name, doc.name)
		self.assertIsNone(agreements.pending_for("Administrator"))  # staff are never asked
		frappe.set_user(self.user_a)
		with self.assertRaises(AgreementPendingError):
			current_partner()
		# partner-owned records are out of reach meanwhile, on every path that asks the hooks
		self.assertEqual(scoped_query_conditions("Deal Registration"), "1=0")
		self.assertFalse(frappe.get_doc("Partner", self.partner_a.name).has_permission("read"))
		frappe.set_user("Administrator")
		accept_agreement(self.user_a, doc.name, self.partner_a.name)
		self.assertIsNone(agreements.pending_for(self.user_a))
		frappe.set_user(self.user_a)
		self.assertEqual(current_partner(), self.partner_a.name)
		self.assertTrue(frappe.get_doc("Partner", self.partner_a.name).has_permission("read"))
		frappe.set_user("Administrator")
		# a new version: asked again
		make_agreement()
		self.assertIsNotNone(agreements.pending_for(self.user_a))
