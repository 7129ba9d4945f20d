"""Partner Invitation: the channel team's decision on an address that already has an account.

The portal side (a Partner Admin's invitation, the same answer for new and existing addresses) is
in ``prm_app.tests.test_portal``."""

import frappe
from frappe.tests.utils import FrappeTestCase

from prm_app.exceptions import InvitationError
from prm_app.permissions import member_role
from prm_app.tests.utils import TEST_IGNORE, make_partner, make_user

test_ignore = TEST_IGNORE


class TestPartnerInvitation(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.admin = make_user().name
		self.partner = make_partner(users=[(self.admin, "Partner Admin")]).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def invitation(self, email, **kw):
		return frappe.get_doc(
			{
				"doctype": "Partner Invitation",
				"partner": self.partner,
				"email": email,
				"first_name": "Existing",
				"role": "Partner Admin",
				"status": "Needs Review",
				"invited_by": self.admin,
				**kw,
			}
		).insert(ignore_permissions=True)

	def test_channel_team_adds_a_free_website_user(self):
		user = make_user().name
		doc = self.invitation(user)
		self.assertEqual(doc.add_existing_account(), "Accepted")
		self.assertEqual(member_role(self.partner, user), "Partner Admin")
		self.assertIn("Partner Admin", frappe.get_roles(user))
		self.assertTrue(frappe.db.exists("Contact", {"user": user}))
		with self.assertRaises(InvitationError):
			frappe.get_doc("Partner Invitation", doc.name).add_existing_account()

	def test_desk_users_and_other_partners_users_never_join(self):
		staff = make_user(website_user=False, roles=("Partner Manager",)).name
		with self.assertRaises(InvitationError):
			self.invitation(staff).add_existing_account()
		other_admin = make_user().name
		make_partner(users=[(other_admin, "Partner Admin")])
		with self.assertRaises(InvitationError):
			self.invitation(other_admin).add_existing_account()
		self.assertIsNone(member_role(self.partner, staff))
		self.assertIsNone(member_role(self.partner, other_admin))

	def test_only_the_channel_team_decides(self):
		user = make_user().name
		doc = self.invitation(user)
		frappe.set_user(self.admin)
		with self.assertRaises(frappe.PermissionError):
			doc.add_existing_account()
		with self.assertRaises(frappe.PermissionError):
			doc.decline("no")
		frappe.set_user("Administrator")
		self.assertEqual(doc.decline("Not a colleague"), "Declined")
		self.assertIsNone(member_role(self.partner, user))

	def test_a_forged_body_decides_nothing(self):
		"""``run_doc_method`` builds the document from the request: the stored one is decided on."""
		user = make_user().name
		stored = self.invitation(user)
		forged = frappe.get_doc(
			{"doctype": "Partner Invitation", "name": stored.name, "status": "Needs Review", "partner": "x"}
		)
		forged.decline()
		self.assertEqual(frappe.db.get_value("Partner Invitation", stored.name, "status"), "Declined")
		missing = frappe.get_doc(
			{"doctype": "Partner Invitation", "name": "no-such", "partner": self.partner}
		)
		with self.assertRaises(frappe.DoesNotExistError):
			missing.decline()
