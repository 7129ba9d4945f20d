import frappe
from frappe.tests.utils import FrappeTestCase

from prm_app.install import PARTNER_LINKED_DOCTYPES, ROLES, after_migrate


class TestInstall(FrappeTestCase):
	def test_roles_and_fields_are_made_once(self):
		after_migrate()
		after_migrate()
		for role, desk_access in ROLES.items():
			self.assertEqual(frappe.db.count("Role", {"role_name": role}), 1, role)
			self.assertEqual(frappe.db.get_value("Role", role, "desk_access"), desk_access, role)
		for doctype in PARTNER_LINKED_DOCTYPES:
			self.assertEqual(frappe.db.count("Custom Field", {"dt": doctype, "fieldname": "prm_partner"}), 1)
			field = frappe.get_meta(doctype).get_field("prm_partner")
			self.assertEqual((field.fieldtype, field.options), ("Link", "Partner"), doctype)
			self.assertIn("prm_partner", frappe.db.get_table_columns(doctype))

	def test_desk_access_is_put_right(self):
		frappe.db.set_value("Role", "Partner", "desk_access", 1)
		after_migrate()
		self.assertEqual(frappe.db.get_value("Role", "Partner", "desk_access"), 0)

	def test_workspace_is_installed(self):
		self.assertTrue(frappe.db.exists("Workspace", "Partners"))
		links = {row.link_to for row in frappe.get_doc("Workspace", "Partners").links if row.type == "Link"}
		self.assertTrue({"Partner", "Program Tier", "PRM Settings"} <= links)

	def test_settings_name_the_shipped_digest_template_and_keep_an_admins_choice(self):
		from prm_app.constants import AT_RISK_DIGEST_TEMPLATE
		from prm_app.install import after_migrate

		self.assertTrue(frappe.db.exists("Email Template", AT_RISK_DIGEST_TEMPLATE))
		self.assertEqual(
			frappe.db.get_single_value("PRM Settings", "at_risk_digest_template"), AT_RISK_DIGEST_TEMPLATE
		)
		frappe.db.set_single_value("PRM Settings", "at_risk_digest_template", None)  # the admin's
		after_migrate()
		self.assertFalse(frappe.db.get_single_value("PRM Settings", "at_risk_digest_template"))
		frappe.db.rollback()
