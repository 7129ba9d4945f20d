# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, add_months, getdate, today

from prm_app.exceptions import CertificationError
from prm_app.prm_app.doctype.partner_certification.partner_certification import (
	expire_lapsed,
	refresh_lapse_impact,
)
from prm_app.tests.utils import (
	TEST_IGNORE,
	PRMTestCase,
	email_text,
	make_active_partner,
	make_certification,
	make_tier,
	make_training_module,
	make_user,
	take_quiz,
)

test_ignore = [*TEST_IGNORE, "Contact"]  # no ERPNext test contacts: the tests make their own


class TestPartnerCertification(PRMTestCase):
	def setUp(self):
		super().setUp()
		self.module = make_training_module(validity_months=6, certification_name="Certified Seller")

	def test_a_pass_certifies_the_person_with_their_contact_and_expiry(self):
		contact = frappe.get_doc(
			{"doctype": "Contact", "first_name": "Cert", "user": self.user_a, "email_ids": []}
		).insert(ignore_permissions=True)
		attempt = take_quiz(self.module.name, self.user_a, self.partner_a.name)
		cert = frappe.get_doc("Partner Certification", {"attempt": attempt.name})
		self.assertEqual(
			(cert.user, cert.partner, cert.module), (self.user_a, self.partner_a.name, self.module.name)
		)
		self.assertEqual(cert.contact, contact.name)
		self.assertEqual(cert.certification_name, "Certified Seller")
		self.assertEqual(getdate(cert.certified_on), getdate(today()))
		self.assertEqual(getdate(cert.expires_on), getdate(add_months(today(), 6)))
		self.assertEqual(cert.score, 100)

	def test_passing_again_renews_the_same_certification(self):
		first = take_quiz(self.module.name, self.user_a, self.partner_a.name)
		name = frappe.db.get_value("Partner Certification", {"attempt": first.name})
		frappe.db.set_value(
			"Partner Certification", name, {"status": "Expired", "expires_on": add_days(today(), -1)}
		)
		second = take_quiz(self.module.name, self.user_a, self.partner_a.name)
		renewed = frappe.get_doc("Partner Certification", name)
		self.assertEqual((renewed.status, renewed.attempt), ("Active", second.name))
		self.assertEqual(
			frappe.db.count("Partner Certification", {"user": self.user_a, "module": self.module.name}), 1
		)

	def test_a_module_without_validity_never_expires(self):
		forever = make_training_module(validity_months=0)
		attempt = take_quiz(forever.name, self.user_a, self.partner_a.name)
		self.assertIsNone(
			frappe.db.get_value("Partner Certification", {"attempt": attempt.name}, "expires_on")
		)

	def test_revocation_by_the_channel_team_with_a_reason(self):
		cert = make_certification(self.partner_a.name, self.user_a, self.module.name)
		with self.assertRaises(CertificationError):
			cert.revoke("  ")
		frappe.clear_messages()
		manager = make_user(website_user=False, roles=("Partner Manager",)).name
		frappe.set_user(manager)
		self.assertEqual(
			frappe.get_doc("Partner Certification", cert.name).revoke("Left the company"), "Revoked"
		)
		frappe.set_user("Administrator")
		cert.reload()
		self.assertEqual(
			(cert.status, cert.revoked_reason, cert.revoked_by), ("Revoked", "Left the company", manager)
		)
		with self.assertRaises(CertificationError):
			cert.revoke("again")  # only an Active one
		# a partner user can never revoke, not even a certification of its own partner
		other = make_certification(self.partner_a.name, self.user_a, make_training_module().name)
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Partner Certification", other.name).revoke("mine")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Partner Certification", other.name, "status"), "Active")

	def test_revoked_needs_a_reason_and_dates_are_checked(self):
		with self.assertRaises(CertificationError):
			make_certification(self.partner_a.name, self.user_a, self.module.name, status="Revoked")
		with self.assertRaises(CertificationError):
			make_certification(
				self.partner_a.name, self.user_a, self.module.name, expires_on=add_days(today(), -3)
			)
		with self.assertRaises(CertificationError):
			make_certification(self.partner_a.name, self.user_b, self.module.name)  # not A's user

	def test_the_daily_job_expires_lapsed_certifications(self):
		lapsed = make_certification(
			self.partner_a.name,
			self.user_a,
			self.module.name,
			certified_on=add_days(today(), -400),
			expires_on=add_days(today(), -1),
		)
		current = make_certification(
			self.partner_b.name, self.user_b, self.module.name, expires_on=add_days(today(), 10)
		)
		forever = make_certification(self.partner_b.name, self.user_b, make_training_module().name)
		self.assertGreaterEqual(expire_lapsed(), 1)
		self.assertEqual(frappe.db.get_value("Partner Certification", lapsed.name, "status"), "Expired")
		self.assertEqual(frappe.db.get_value("Partner Certification", current.name, "status"), "Active")
		self.assertEqual(frappe.db.get_value("Partner Certification", forever.name, "status"), "Active")

	def test_lapse_warning_says_what_it_costs_and_notifies_person_and_admin(self):
		from frappe.email.doctype.notification.notification import evaluate_alert

		gold = make_tier(min_certified_people=1, tier_name="Gold " + frappe.generate_hash(length=5))
		admin = make_user().name
		partner = make_active_partner(users=[(admin, "Partner Admin")], program_tier=gold.name).name
		cert = make_certification(partner, admin, self.module.name, expires_on=add_days(today(), 30))
		refresh_lapse_impact([partner])
		cert.reload()
		self.assertIn("1 certification expires within 30 days", cert.lapse_impact)
		self.assertIn(f"you fall below {gold.name}'s 1 certified people", cert.lapse_impact)
		self.assertEqual(cert.partner_admins, frappe.db.get_value("User", admin, "email"))
		# a second person certified for good: the lapse no longer costs the tier
		other = make_user().name
		doc = frappe.get_doc("Partner", partner)
		doc.append("users", {"user": other, "role": "Partner User"})
		doc.save()
		lasting = make_certification(partner, other, self.module.name)
		refresh_lapse_impact([partner])
		self.assertEqual(
			frappe.db.get_value("Partner Certification", cert.name, "lapse_impact"),
			"1 certification expires within 30 days; 1 of your people would no longer be certified.",
		)
		frappe.delete_doc("Partner Certification", lasting.name, ignore_permissions=True)
		refresh_lapse_impact([partner])
		cert.reload()
		self.assertIn("fall below", cert.lapse_impact)
		# the shipped "Days Before" notification picks it today (Frappe's daily alerts; they commit,
		# so the test runs the notification's own steps)
		alert = frappe.get_doc("Notification", "Partner Certification Expiring")
		self.assertIn(cert.name, [d.name for d in alert.get_documents_for_today()])
		before = frappe.db.count("Email Queue")
		evaluate_alert(frappe.get_doc("Partner Certification", cert.name), alert.name, alert.event)
		self.assertEqual(frappe.db.count("Email Queue"), before + 1)
		mail = frappe.get_last_doc("Email Queue")
		self.assertIn("fall below", email_text(mail.message))
		self.assertIn("Certified Seller", email_text(mail.message))
		recipients = frappe.get_all("Email Queue Recipient", filters={"parent": mail.name}, pluck="recipient")
		self.assertIn(frappe.db.get_value("User", admin, "email"), recipients)
