"""Partner-facing e-mails: one branded layout with the programme's name and logo, texts admins
edit (Email Template "PRM Partner Invitation", the Deal Registration notifications)."""

import frappe

from prm_app.api import team
from prm_app.tests.utils import PRMTestCase, email_text, make_registration, set_settings, unique, workflow


class TestPartnerEmails(PRMTestCase):
	def setUp(self):
		super().setUp()
		set_settings(programme_name="Acme Channel Alliance", programme_logo="/files/acme-alliance.png")

	def queued(self, recipient: str) -> list[frappe._dict]:
		names = frappe.get_all("Email Queue Recipient", filters={"recipient": recipient}, pluck="parent")
		return frappe.get_all(
			"Email Queue",
			filters={"name": ("in", names or [""])},
			fields=["message"],
			order_by="creation desc",
		)

	def test_the_layout_carries_the_programme(self):
		from prm_app.emails import prm_programme

		email = frappe.get_doc("Email Template", "PRM Partner Invitation").get_formatted_email(
			{
				"first_name": "Ivy",
				"invited_by": "Ann",
				"link": "https://example.com/set",
				"programme": prm_programme(),
			}
		)
		self.assertEqual(email["subject"], "You are invited to Acme Channel Alliance")
		self.assertIn("Hello Ivy,", email["message"])
		self.assertIn('href="https://example.com/set"', email["message"])
		self.assertIn(frappe.utils.get_url("/files/acme-alliance.png"), email["message"])
		self.assertIn("member of Acme Channel Alliance", email["message"])

	def test_the_invitation_is_the_programmes_own_email(self):
		frappe.set_user(self.user_a)  # partner A's admin
		email = f"{unique('ivy').replace(' ', '').lower()}@invite.example.com"
		team.invite_member(email=email, first_name="Ivy", role="Partner User")
		frappe.set_user("Administrator")
		messages = " ".join(email_text(m.message) for m in self.queued(email))
		self.assertIn("You are invited to Acme Channel Alliance", messages)
		self.assertIn("update-password?key=", messages)
		self.assertIn("acme-alliance.png", messages)

	def test_a_decision_tells_the_partner_in_the_programmes_layout(self):
		doc = self.submit(make_registration(self.partner_a.name, owner=self.user_a), self.user_a)
		frappe.db.set_value("Deal Registration", doc.name, "owner", self.user_a)
		workflow(doc, "Approve")
		messages = " ".join(email_text(m.message) for m in self.queued(self.user_a))
		self.assertIn(f"Deal registration {doc.name}", messages)
		self.assertIn("is approved", messages)
		self.assertIn("Acme Channel Alliance", messages)
