# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from prm_app.exceptions import InvalidStatusTransitionError, InvalidWebsiteError, PartnerUserError
from prm_app.tests.utils import TEST_IGNORE, make_partner, make_tier, make_user, set_settings, unique

test_ignore = TEST_IGNORE


class TestPartner(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not frappe.db.exists("Program Tier", {"is_default": 1}):
			make_tier(tier_name="Registered Test Tier")
		cls.gold = make_tier(commission_rate=12.5)
		cls.silver = make_tier(commission_rate=5)

	def setUp(self):
		set_settings(create_customer_on_activation=1, create_supplier_on_activation=0)

	# -- status lifecycle
	def test_allowed_status_path(self):
		partner = make_partner()
		for status in ("Onboarding", "Active", "Suspended", "Active", "Terminated", "Prospect"):
			partner.status = status
			partner.save()
			self.assertEqual(partner.status, status)

	def test_illegal_status_changes_are_refused(self):
		for start, target in (("Prospect", "Suspended"), ("Active", "Onboarding"), ("Active", "Prospect")):
			partner = make_partner(status=start)
			partner.status = target
			with self.subTest(start=start, target=target), self.assertRaises(InvalidStatusTransitionError):
				partner.save()
			self.assertEqual(frappe.db.get_value("Partner", partner.name, "status"), start)

	def test_terminated_partner_cannot_be_reactivated_directly(self):
		partner = make_partner(status="Active")
		partner.status = "Terminated"
		partner.save()
		partner.status = "Active"
		with self.assertRaises(InvalidStatusTransitionError):
			partner.save()

	def test_joined_on_set_on_activation(self):
		partner = make_partner()
		self.assertFalse(partner.joined_on)
		partner.status = "Active"
		partner.save()
		self.assertTrue(partner.joined_on)

	# -- website and domain
	def test_domain_is_derived_from_website(self):
		partner = make_partner(website="https://shop.acme-widgets.co.uk/about")
		self.assertEqual(partner.domain, "acme-widgets.co.uk")
		partner = make_partner(website="www.Example-Reseller.com")
		self.assertEqual(partner.domain, "example-reseller.com")
		self.assertEqual(partner.website, "https://www.Example-Reseller.com")

	def test_website_that_is_not_a_domain_is_refused(self):
		for website in ("not a website", "localhost", "http://", "co.uk"):
			with self.subTest(website=website), self.assertRaises(InvalidWebsiteError):
				make_partner(website=website)

	# -- ERPNext parties
	def test_activation_creates_sales_partner_and_customer(self):
		partner = make_partner(program_tier=self.gold.name)
		self.assertFalse(partner.sales_partner)
		partner.status = "Active"
		partner.save()
		partner.reload()
		self.assertTrue(partner.sales_partner)
		self.assertEqual(frappe.db.get_value("Sales Partner", partner.sales_partner, "commission_rate"), 12.5)
		self.assertTrue(partner.customer)
		self.assertEqual(
			frappe.db.get_value("Customer", partner.customer, "customer_name"), partner.partner_name
		)
		self.assertFalse(partner.supplier)

	def test_activation_creates_supplier_when_settings_say_so(self):
		set_settings(create_supplier_on_activation=1, create_customer_on_activation=0)
		partner = make_partner(status="Active")
		partner.reload()
		self.assertTrue(partner.supplier)
		self.assertFalse(partner.customer)
		self.assertEqual(
			frappe.db.get_value("Supplier", partner.supplier, "supplier_name"), partner.partner_name
		)

	def test_activation_links_existing_parties_without_duplicates(self):
		name = unique("Existing Co")
		customer = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
			}
		).insert()
		frappe.get_doc(
			{
				"doctype": "Sales Partner",
				"partner_name": name,
				"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
				"commission_rate": 1,
			}
		).insert()
		set_settings(create_supplier_on_activation=1)
		supplier = frappe.get_doc(
			{
				"doctype": "Supplier",
				"supplier_name": name,
				"supplier_group": frappe.db.get_value("Supplier Group", {"is_group": 0}, "name"),
			}
		).insert()

		partner = make_partner(partner_name=name, program_tier=self.silver.name, status="Active")
		partner.reload()
		self.assertEqual(partner.customer, customer.name)
		self.assertEqual(partner.sales_partner, name)
		self.assertEqual(partner.supplier, supplier.name)
		self.assertEqual(frappe.db.count("Customer", {"customer_name": name}), 1)
		self.assertEqual(frappe.db.count("Supplier", {"supplier_name": name}), 1)
		self.assertEqual(frappe.db.count("Sales Partner", {"partner_name": name}), 1)
		self.assertEqual(frappe.db.get_value("Sales Partner", name, "commission_rate"), 5)

		# suspending and re-activating links the same records again
		partner.status = "Suspended"
		partner.save()
		partner.status = "Active"
		partner.save()
		self.assertEqual(frappe.db.count("Customer", {"customer_name": name}), 1)
		self.assertEqual(frappe.db.count("Sales Partner", {"partner_name": name}), 1)

	def test_tier_change_updates_commission(self):
		partner = make_partner(program_tier=self.silver.name, status="Active")
		partner.reload()
		self.assertEqual(frappe.db.get_value("Sales Partner", partner.sales_partner, "commission_rate"), 5)
		partner.program_tier = self.gold.name
		partner.save()
		self.assertEqual(frappe.db.get_value("Sales Partner", partner.sales_partner, "commission_rate"), 12.5)

	def test_tier_commission_change_reaches_its_partners(self):
		tier = make_tier(commission_rate=3)
		partner = make_partner(program_tier=tier.name, status="Active")
		partner.reload()
		tier.commission_rate = 7.5
		tier.save()
		self.assertEqual(frappe.db.get_value("Sales Partner", partner.sales_partner, "commission_rate"), 7.5)

	# -- users
	def test_users_get_partner_roles_and_lose_them(self):
		admin = make_user().name
		member = make_user().name
		partner = make_partner(users=[(admin, "Partner Admin"), member])
		self.assertIn("Partner Admin", frappe.get_roles(admin))
		self.assertIn("Partner", frappe.get_roles(admin))
		self.assertIn("Partner", frappe.get_roles(member))
		self.assertNotIn("Partner Admin", frappe.get_roles(member))
		self.assertEqual(frappe.db.get_value("User", member, "user_type"), "Website User")
		self.assertEqual(frappe.defaults.get_user_default("partner", member), partner.name)

		partner.users = [row for row in partner.users if row.user == admin]
		partner.users[0].role = "Partner User"
		partner.save()
		self.assertNotIn("Partner", frappe.get_roles(member))
		self.assertFalse(frappe.defaults.get_user_default("partner", member))
		self.assertNotIn("Partner Admin", frappe.get_roles(admin))
		self.assertIn("Partner", frappe.get_roles(admin))

	def test_user_cannot_belong_to_two_partners(self):
		user = make_user().name
		make_partner(users=[user])
		with self.assertRaises(PartnerUserError):
			make_partner(users=[user])

	def test_unknown_user_is_refused(self):
		# Frappe 16 validates the link itself; Frappe 15 skips links of rows that fetch values
		with self.assertRaises((PartnerUserError, frappe.LinkValidationError)):
			make_partner(users=["nobody-" + frappe.generate_hash(length=8) + "@example.com"])

	def test_duplicate_user_row_is_refused(self):
		user = make_user().name
		with self.assertRaises(PartnerUserError):
			make_partner(users=[user, user])
