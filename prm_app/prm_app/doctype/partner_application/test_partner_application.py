# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.utils import now_datetime

from prm_app import agreements
from prm_app.exceptions import ApplicationError
from prm_app.tests.utils import (
	GROWTH_TEST_IGNORE,
	PRMTestCase,
	make_agreement,
	make_application,
	make_user,
	unique,
	workflow,
)

test_ignore = GROWTH_TEST_IGNORE


def emails_to(address: str) -> list[frappe._dict]:
	parents = frappe.get_all("Email Queue Recipient", filters={"recipient": address}, pluck="parent")
	return frappe.get_all(
		"Email Queue",
		filters={"name": ("in", parents or [""])},
		fields=["reference_doctype", "reference_name"],
	)


class TestPartnerApplication(PRMTestCase):
	def test_field_rules(self):
		for values in (
			{"company_name": " "},
			{"contact_email": "not-an-email"},
			{"website": "not a website"},
			{"country": "Atlantis"},
			{"expected_annual_revenue": -5},
			{"specialisations": "x" * 2001},
			{"company_name": "<b>Bold</b> Ltd"},
		):
			with self.assertRaises((ApplicationError, frappe.ValidationError), msg=str(values)):
				make_application(**values)
		doc = make_application(
			website="https://www.Acme-Growth.example.com/about", contact_email="  Pat@Example.COM "
		)
		self.assertEqual(doc.domain, "example.com")
		self.assertEqual(doc.contact_email, "pat@example.com")
		self.assertEqual((doc.status, doc.workflow_state), ("Pending Review", "Pending Review"))

	def test_likely_duplicates_with_their_evidence(self):
		frappe.db.set_value("Partner", self.partner_a.name, "website", "https://www.dup-growth-test.com")
		by_domain = make_application(company_name="Totally Different Name", website="dup-growth-test.com")
		by_name = make_application(company_name=self.partner_b.name.upper() + " GmbH")
		by_email = make_application(contact_email=self.user_b)
		other = make_application(company_name=unique("Unrelated Widgets"))
		by_domain.save_duplicates()
		self.assertEqual(by_domain.duplicates[0].matched_name, self.partner_a.name)
		self.assertIn("domain", by_domain.duplicates[0].reasons)
		by_name.save_duplicates()
		self.assertIn(self.partner_b.name, [row.matched_name for row in by_name.duplicates])
		by_email.save_duplicates()
		self.assertEqual(by_email.duplicate_score, 100)
		self.assertIn("user of this partner", by_email.duplicates[0].reasons)
		# an open application resembling another open application
		twin = make_application(company_name=other.company_name + " Ltd")
		twin.save_duplicates()
		self.assertIn(other.name, [row.matched_name for row in twin.duplicates])
		stored = frappe.get_doc("Partner Application", twin.name)
		self.assertTrue(stored.duplicates_checked_on and stored.duplicates)
		# the reviewer's button is the channel team's only
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Partner Application", twin.name).check_duplicates()

	def test_approval_creates_the_partner_and_its_first_admin(self):
		agreement = make_agreement()
		app = make_application(website="approved-growth.example.com", partner_type=None)
		agreements.record_acceptance(
			agreement.name, email=app.contact_email, application=app.name, ip_address="203.0.113.9"
		)
		app.db_set("accepted_on", now_datetime())
		manager = make_user(website_user=False, roles=("Partner Manager",)).name
		frappe.set_user(manager)
		workflow(app, "Approve")
		frappe.set_user("Administrator")
		app.reload()
		self.assertEqual((app.status, app.decided_by), ("Approved", manager))
		partner = frappe.get_doc("Partner", app.partner)
		self.assertEqual((partner.partner_name, partner.status), (app.company_name, "Onboarding"))
		self.assertEqual(partner.partner_manager, manager)
		self.assertEqual(
			[(row.user, row.role) for row in partner.users], [(app.contact_email, "Partner Admin")]
		)
		user = frappe.get_doc("User", app.user)
		self.assertEqual(user.user_type, "Website User")
		self.assertTrue({"Partner", "Partner Admin"} <= {r.role for r in user.roles})
		self.assertTrue(frappe.db.exists("Contact", {"user": user.name}))
		# the applicant's acceptance is now the account's: nothing to accept at first sign-in
		acceptance = frappe.get_all(
			"Partner Agreement Acceptance",
			filters={"application": app.name},
			fields=["user", "partner", "ip_address"],
		)
		self.assertEqual(
			acceptance, [{"user": user.name, "partner": partner.name, "ip_address": "203.0.113.9"}]
		)
		self.assertIsNone(agreements.pending_for(user.name))
		self.assertTrue(emails_to(user.name), "the welcome e-mail is queued")

	def test_rejection_needs_a_reason_and_tells_the_applicant(self):
		app = make_application()
		with self.assertRaises(ApplicationError):
			workflow(app, "Reject")
		frappe.db.set_value("Partner Application", app.name, "decision_reason", "Not in our markets yet.")
		workflow(app, "Reject")
		app.reload()
		self.assertEqual(app.status, "Rejected")
		self.assertFalse(app.partner)
		sent = emails_to(app.contact_email)
		self.assertIn(
			("Partner Application", app.name), {(m.reference_doctype, m.reference_name) for m in sent}
		)
		# decided: the workflow has nothing more, and the status cannot be written directly
		app.status = "Pending Review"
		with self.assertRaises(ApplicationError):
			app.save()

	def test_approval_refuses_a_desk_user_or_another_partners_user(self):
		desk = make_user(website_user=False, roles=("Partner Manager",)).name
		app = make_application(contact_email=desk)
		with self.assertRaises(ApplicationError):
			workflow(app, "Approve")
		app = make_application(contact_email=self.user_b)
		with self.assertRaises(ApplicationError):
			workflow(app, "Approve")
		app = make_application(company_name=self.partner_b.name)
		with self.assertRaises(ApplicationError):
			workflow(app, "Approve")
		self.assertEqual(frappe.db.get_value("Partner Application", app.name, "status"), "Pending Review")
