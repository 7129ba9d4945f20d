"""Files a partner's user makes through Frappe's generic paths (``upload_file``, ``/api/resource/File``,
``frappe.client.insert``): never a way into another partner's records or files, nor around a
document's rules (prm_app/integrations/partner_files.py)."""

import frappe
from frappe.utils import random_string

from prm_app.tests.utils import TEST_IGNORE, PRMTestCase, attach_asset_file, make_asset, make_registration

test_ignore = TEST_IGNORE


def new_file(**values):
	"""A File as a REST insert makes it (``frappe.client.insert``: the user's own permissions)."""
	values.setdefault("file_name", f"note-{random_string(6)}.txt")
	return frappe.get_doc({"doctype": "File", **values}).insert()


class TestPartnerFiles(PRMTestCase):
	def setUp(self):
		super().setUp()
		self.deal_a = make_registration(self.partner_a.name)
		self.deal_b = make_registration(self.partner_b.name)

	def test_a_partner_attaches_a_file_to_its_own_draft_registration(self):
		frappe.set_user(self.user_a)
		file = new_file(
			attached_to_doctype="Deal Registration",
			attached_to_name=self.deal_a.name,
			is_private=1,
			content="our notes",
		)
		self.assertTrue(file.file_url.startswith("/private/files/"))
		self.assertTrue(file.is_downloadable())

	def test_not_to_another_partners_records(self):
		frappe.set_user(self.user_a)
		for doctype, name in (
			("Deal Registration", self.deal_b.name),
			("Partner", self.partner_b.name),
			("Deal Registration", "does-not-exist"),
		):
			with self.subTest(doctype=doctype, name=name), self.assertRaises(frappe.PermissionError):
				new_file(attached_to_doctype=doctype, attached_to_name=name, content="x")
		frappe.set_user("Administrator")
		self.assertFalse(
			frappe.db.exists("File", {"attached_to_name": ("in", (self.deal_b.name, self.partner_b.name))})
		)

	def test_not_into_a_field_that_is_not_the_partners_attachment(self):
		"""``attached_to_field`` makes Frappe write the file's URL into that field (when the file
		moves between public and private), past the document's validation and workflow."""
		frappe.set_user(self.user_a)
		for field in ("status", "conflict_status", "partner", "no_such_field", "workflow_state"):
			with self.subTest(field=field), self.assertRaises(frappe.PermissionError):
				new_file(
					attached_to_doctype="Deal Registration",
					attached_to_name=self.deal_a.name,
					attached_to_field=field,
					content="x",
				)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Deal Registration", self.deal_a.name, "status"), "Draft")

	def test_not_by_naming_a_file_already_on_the_server(self):
		"""A File made from a ``file_url`` alone copies whatever is stored there, and its owner may
		then download it: another partner's proof, a private asset of a higher tier."""
		asset = make_asset()
		private = attach_asset_file(asset.name, content=f"tier secret {random_string(6)}", private=1)
		frappe.set_user(self.user_b)
		theirs = new_file(
			attached_to_doctype="Deal Registration",
			attached_to_name=self.deal_b.name,
			is_private=1,
			content=f"partner B's own {random_string(6)}",
		)
		frappe.set_user(self.user_a)
		for url in (private.file_url, theirs.file_url, "/private/files/../../site_config.json"):
			with self.subTest(url=url), self.assertRaises(frappe.PermissionError):
				new_file(
					attached_to_doctype="Deal Registration",
					attached_to_name=self.deal_a.name,
					file_url=url,
					is_private=1,
				)
			with self.subTest(url=url, unattached=True), self.assertRaises(frappe.PermissionError):
				new_file(file_url=url, is_private=1)

	def test_not_by_repointing_its_own_file(self):
		frappe.set_user(self.user_a)
		file = new_file(
			attached_to_doctype="Deal Registration",
			attached_to_name=self.deal_a.name,
			is_private=1,
			content="ours",
		)
		for change in (
			{"attached_to_name": self.deal_b.name},
			{"attached_to_doctype": "Partner", "attached_to_name": self.partner_b.name},
			{"attached_to_field": "status"},
		):
			doc = frappe.get_doc("File", file.name)
			doc.update(change)
			with self.subTest(change=change), self.assertRaises(frappe.PermissionError):
				doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("File", file.name, "attached_to_name"), self.deal_a.name)

	def test_the_channel_team_is_not_restricted(self):
		file = new_file(
			attached_to_doctype="Deal Registration",
			attached_to_name=self.deal_b.name,
			is_private=1,
			content="the channel team's note",
		)
		self.assertEqual(file.attached_to_name, self.deal_b.name)
