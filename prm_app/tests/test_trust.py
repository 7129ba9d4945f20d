"""What a partner's actions may and may not cause, and the rules that make priority and commission
provable ("Trust first"): side effects on ERPNext masters, the priority number, attribution on
evidence, the conflict case's owner, frozen fields, one set of input rules, the expiry job."""

import threading
import time
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, now_datetime, today

from prm_app.api import profile, team
from prm_app.conflict.check import LOCK_NAME, ensure_priority_counter, take_priority
from prm_app.exceptions import DealStateError, ItemNotSellableError
from prm_app.tests.utils import (
	TEST_IGNORE,
	PRMTestCase,
	leaf,
	make_active_partner,
	make_customer,
	make_item,
	make_registration,
	make_sales_order,
	make_tier,
	make_user,
	set_settings,
	unique,
	workflow,
)

test_ignore = TEST_IGNORE
CONTROLLER = "prm_app.prm_app.doctype.deal_registration.deal_registration"


class TestPartnerActionsLeaveERPNextAlone(PRMTestCase):
	def test_portal_edits_do_not_touch_the_sales_partner_customer_or_supplier(self):
		partner = frappe.get_doc("Partner", self.partner_a.name)
		sales_partner = partner.sales_partner
		self.assertTrue(sales_partner)
		# the channel team sets a special commission by hand in ERPNext
		frappe.db.set_value("Sales Partner", sales_partner, "commission_rate", 13.5)
		before = frappe.db.get_value("Sales Partner", sales_partner, ["commission_rate", "modified"])
		# settings that would create a Customer and a Supplier on activation
		set_settings(create_customer_on_activation=1, create_supplier_on_activation=1)
		partner.db_set({"customer": None, "supplier": None})
		customers = frappe.db.count("Customer", {"customer_name": partner.partner_name})
		suppliers = frappe.db.count("Supplier", {"supplier_name": partner.partner_name})

		frappe.set_user(self.user_a)  # partner A's admin
		profile.update_profile(website="www.trust-side-effects.example.com", description="We sell.")
		with patch("frappe.core.doctype.user.user.User.send_welcome_mail_to_user"):
			team.invite_member(
				email=f"new-{frappe.generate_hash(length=6)}@trust.example.com", first_name="N"
			)
			team.invite_member(email=make_user().name, first_name="Existing")
		frappe.set_user("Administrator")
		partner.reload()
		self.assertEqual(partner.website, "https://www.trust-side-effects.example.com")
		self.assertEqual(
			frappe.db.get_value("Sales Partner", sales_partner, ["commission_rate", "modified"]), before
		)
		self.assertEqual(frappe.db.count("Customer", {"customer_name": partner.partner_name}), customers)
		self.assertEqual(frappe.db.count("Supplier", {"supplier_name": partner.partner_name}), suppliers)
		self.assertFalse(partner.customer or partner.supplier)

	def test_channel_team_changes_still_reach_erpnext(self):
		partner = frappe.get_doc("Partner", self.partner_a.name)
		frappe.db.set_value("Sales Partner", partner.sales_partner, "commission_rate", 13.5)
		gold = make_tier(commission_rate=11)
		partner.program_tier = gold.name
		partner.save()
		self.assertEqual(frappe.db.get_value("Sales Partner", partner.sales_partner, "commission_rate"), 11)


class TestPriority(FrappeTestCase):
	def test_the_counter_row_exists_after_migrate_and_is_never_made_on_the_fly(self):
		from prm_app.install import after_migrate

		self.assertTrue(frappe.db.exists("Series", LOCK_NAME))
		series = frappe.qb.DocType("Series")
		frappe.db.savepoint("no_counter")
		try:
			frappe.qb.from_(series).delete().where(series.name == LOCK_NAME).run()
			with self.assertRaises(frappe.ValidationError):
				take_priority()
			after_migrate()
			self.assertTrue(frappe.db.exists("Series", LOCK_NAME))
			first = take_priority()
			self.assertEqual(take_priority(), first + 1)
		finally:
			frappe.db.rollback(save_point="no_counter")
		ensure_priority_counter()
		self.assertTrue(frappe.db.exists("Series", LOCK_NAME))

	def test_concurrent_submissions_one_priority_deterministically(self):
		"""A submits and holds the lock; B, whose transaction started before A commits and whose
		server clock is behind, queues on the lock (its locking read is seen waiting); A commits; B
		must see A: exactly one has priority, and the priority numbers say who was first."""
		site = frappe.local.site
		created_tier = None
		if not frappe.db.exists("Program Tier", {"is_default": 1}):
			created_tier = make_tier(tier_name="Registered Test Tier").name
		pa, pb = make_active_partner(), make_active_partner()
		name = unique("Concurrent Dynamics")
		first, second = make_registration(pa.name, name).name, make_registration(pb.name, name + " Ltd").name
		frappe.db.commit()  # nosemgrep: the other connections must see the drafts
		a_locked, b_started, release_a = threading.Event(), threading.Event(), threading.Event()
		b_connection, errors = [], []

		def connect():
			frappe.init(site=site)
			frappe.connect()
			frappe.set_user("Administrator")

		def submit_a():
			connect()
			try:
				workflow(frappe.get_doc("Deal Registration", first), "Submit for Review")
				a_locked.set()  # A holds the priority lock until it commits
				release_a.wait(timeout=60)
				frappe.db.commit()  # nosemgrep: each thread is its own request
			except Exception as e:
				errors.append(e)
				a_locked.set()
			finally:
				frappe.destroy()

		def submit_b():
			connect()
			try:
				a_locked.wait(timeout=60)
				doc = frappe.get_doc("Deal Registration", second)  # B's snapshot predates A's commit
				b_connection.append(frappe.db.sql("select connection_id()")[0][0])
				b_started.set()
				# B's application server clock is an hour behind: the clock must not decide
				with patch(f"{CONTROLLER}.now_datetime", return_value=add_to_date(now_datetime(), hours=-1)):
					workflow(doc, "Submit for Review")  # queues on the lock
				frappe.db.commit()  # nosemgrep: each thread is its own request
			except Exception as e:
				errors.append(e)
				b_started.set()
			finally:
				frappe.destroy()

		threads = [threading.Thread(target=submit_a), threading.Thread(target=submit_b)]
		try:
			for thread in threads:
				thread.start()
			self.assertTrue(b_started.wait(timeout=60))
			self.assertTrue(self.wait_for_lock_wait(b_connection[0]), "B never waited for A's lock")
			release_a.set()
			for thread in threads:
				thread.join(timeout=120)
			self.assertEqual(errors, [])
			a = frappe.db.get_value(
				"Deal Registration",
				first,
				["has_priority", "conflict_status", "priority_sequence"],
				as_dict=True,
			)
			b = frappe.db.get_value(
				"Deal Registration",
				second,
				["has_priority", "conflict_status", "priority_sequence"],
				as_dict=True,
			)
			self.assertEqual((a.has_priority, a.conflict_status), (1, "Clear"))
			self.assertEqual((b.has_priority, b.conflict_status), (0, "Conflict"))
			self.assertEqual(b.priority_sequence, a.priority_sequence + 1)
		finally:
			release_a.set()
			for thread in threads:
				thread.join(timeout=120)
			self.clean_up([first, second], [pa, pb], created_tier)

	def wait_for_lock_wait(self, connection_id, seconds=30) -> bool:
		"""Whether connection ``connection_id`` is (or gets within ``seconds``) blocked in the priority
		lock's locking read: its statement shows in the process list until A lets go (the site's
		database user sees its own connections there)."""
		processes = frappe.qb.Table("PROCESSLIST", schema="information_schema")
		deadline = time.monotonic() + seconds
		while time.monotonic() < deadline:
			waiting = (
				frappe.qb.from_(processes)
				.select(processes.ID)
				.where(
					(processes.ID == connection_id)
					& processes.INFO.like("%tabSeries%")
					& processes.INFO.like(f"%{LOCK_NAME}%")
					& processes.INFO.like("%for update%")
				)
				.run()
			)
			if waiting:
				return True
			time.sleep(0.05)
		return False

	def clean_up(self, registrations, partners, created_tier):
		for name in registrations:
			case = frappe.db.get_value("Deal Registration", name, "channel_conflict")
			frappe.db.set_value("Deal Registration", name, "channel_conflict", None)
			if case:
				frappe.delete_doc("Channel Conflict", case, force=True)
			for action in frappe.get_all("Workflow Action", filters={"reference_name": name}, pluck="name"):
				frappe.delete_doc("Workflow Action", action, force=True)
			frappe.db.delete("ToDo", {"reference_type": "Deal Registration", "reference_name": name})
			frappe.delete_doc("Deal Registration", name, force=True)
		for partner in partners:
			links = frappe.db.get_value("Partner", partner.name, ["sales_partner", "customer"], as_dict=True)
			frappe.delete_doc("Partner", partner.name, force=True)
			if links.sales_partner:
				frappe.delete_doc("Sales Partner", links.sales_partner, force=True)
			if links.customer:
				frappe.delete_doc("Customer", links.customer, force=True)
		if created_tier:
			frappe.db.delete("Program Tier", created_tier)
		frappe.db.commit()  # nosemgrep: leave the site as it was


class TestRegistrationRules(PRMTestCase):
	def test_commission_only_on_evidence(self):
		"""A name that only resembles the registration's suggests it; nothing is attributed until a
		sales user confirms."""
		domain = f"{frappe.generate_hash(length=8)}.io"
		name = unique("Initrode Systems")
		registration = self.submit(make_registration(self.partner_a.name, name, website=domain))
		workflow(registration, "Approve")
		lookalike = make_customer(name.replace("Initrode", "Initrod"))  # one typo, no domain
		order = make_sales_order(lookalike.name, self.item, submit=False)
		self.assertFalse(order.prm_deal_registration)
		self.assertFalse(order.prm_partner)
		self.assertFalse(order.sales_partner)
		self.assertEqual(order.prm_suggested_registration, registration.name)
		order.prm_deal_registration = order.prm_suggested_registration  # the sales user confirms
		order.save()
		self.assertEqual(
			(order.prm_partner, order.sales_partner), (self.partner_a.name, self.partner_a.sales_partner)
		)
		self.assertFalse(order.prm_suggested_registration)
		order.submit()
		self.assertEqual(frappe.db.get_value("Deal Registration", registration.name, "status"), "Won")

		# same name but a free-mail domain is no evidence either
		other = self.submit(
			make_registration(self.partner_a.name, unique("Gmail Dynamics"), contact_email="x@gmail.com")
		)
		workflow(other, "Approve")
		customer = make_customer(other.company_name, email_id="buyer@gmail.com")
		free_mail = make_sales_order(customer.name, self.item, submit=False)
		self.assertFalse(free_mail.prm_deal_registration)

	def test_the_conflict_case_belongs_to_the_channel_team(self):
		manager = make_user(website_user=False, roles=("Partner Manager",)).name
		frappe.db.set_value("Partner", self.partner_b.name, "partner_manager", manager)
		name = unique("Owned Case Corp")
		self.submit(make_registration(self.partner_a.name, name), self.user_a)
		frappe.set_user(self.user_b)
		second = make_registration(self.partner_b.name, name)
		frappe.set_user("Administrator")
		second = self.submit(second, self.user_b)
		case = frappe.get_doc("Channel Conflict", second.channel_conflict)
		self.assertEqual(case.owner, manager)
		self.assertNotIn(case.owner, (self.user_a, self.user_b))

	def test_rest_and_portal_share_the_input_rules(self):
		"""A template item (has variants) is refused on every path, as the portal refuses it."""
		from prm_app.portal import forms

		attribute = frappe.get_doc(
			{
				"doctype": "Item Attribute",
				"attribute_name": unique("PRM Size"),
				"item_attribute_values": [{"attribute_value": "L", "abbr": "L"}],
			}
		).insert()
		template = make_item(has_variants=1, attributes=[{"attribute": attribute.name}]).name
		frappe.set_user(self.user_a)
		with self.assertRaises(ItemNotSellableError):
			make_registration(self.partner_a.name, items=[(template, 1, 100)])
		with self.assertRaises(frappe.ValidationError) as caught:
			forms.parse_registration(
				{
					"company_name": "Rules Corp",
					"expected_close_date": add_days(today(), 10),
					"items": [{"item_code": template, "qty": 1}],
				}
			)
		self.assertIn("items", caught.exception.errors)
		for phone in ("call me maybe", "12<script>"):
			with self.assertRaises(frappe.ValidationError):
				make_registration(self.partner_a.name, contact_phone=phone)

	def test_expiry_job_survives_one_bad_registration(self):
		from prm_app import tasks

		good = self.submit(make_registration(self.partner_a.name))
		workflow(good, "Approve")
		bad = self.submit(make_registration(self.partner_b.name))
		workflow(bad, "Approve")
		for name in (good.name, bad.name):
			frappe.db.set_value("Deal Registration", name, "protection_until", add_days(today(), -1))
		original = tasks.frappe.get_doc

		def get_doc(*args, **kwargs):
			if args[:2] == ("Deal Registration", bad.name):
				raise frappe.LinkValidationError("broken")
			return original(*args, **kwargs)

		errors_before = frappe.db.count("Error Log")
		with patch.object(tasks.frappe, "get_doc", side_effect=get_doc):
			expired = tasks.expire_registrations(commit=False)
		self.assertGreaterEqual(expired, 1)
		self.assertEqual(frappe.db.get_value("Deal Registration", good.name, "status"), "Expired")
		self.assertEqual(frappe.db.get_value("Deal Registration", bad.name, "status"), "Approved")
		logged = frappe.get_all("Error Log", filters={"method": ("like", f"%{bad.name}%")}, pluck="name")
		self.assertTrue(logged)
		self.assertGreater(frappe.db.count("Error Log"), errors_before)
		frappe.db.delete("Error Log", {"name": ("in", logged)})


class TestCustomFieldsFreeze(PRMTestCase):
	"""A custom field an admin adds for partners is frozen after submission like the others."""

	FIELD = "Deal Registration-prm_test_budget_owner"

	@classmethod
	def setUpClass(cls):
		from frappe.custom.doctype.custom_field.custom_field import create_custom_field

		# schema changes commit: made before any test data, dropped after the tests' rollback
		create_custom_field(
			"Deal Registration",
			{
				"fieldname": "prm_test_budget_owner",
				"label": "Budget Owner",
				"fieldtype": "Data",
				"insert_after": "description",
			},
		)
		frappe.db.commit()  # nosemgrep: test set-up
		super().setUpClass()

	@classmethod
	def tearDownClass(cls):
		super().tearDownClass()
		frappe.db.rollback()  # the tests' data first: dropping the column commits
		frappe.delete_doc("Custom Field", cls.FIELD, force=True)
		frappe.db.commit()  # nosemgrep: test tear-down

	def test_partner_fields_are_frozen_after_submission_custom_fields_too(self):
		frappe.set_user(self.user_a)
		doc = make_registration(self.partner_a.name, prm_test_budget_owner="CFO")
		doc.prm_test_budget_owner = "CEO"
		doc.save()  # a draft is the partner's to edit
		frappe.set_user("Administrator")
		submitted = self.submit(doc, self.user_a)
		frappe.set_user(self.user_a)
		mine = frappe.get_doc("Deal Registration", submitted.name)
		mine.prm_test_budget_owner = "Someone else"
		with self.assertRaises(DealStateError):
			mine.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Deal Registration", doc.name, "prm_test_budget_owner"), "CEO")


class TestDashboardMoney(PRMTestCase):
	def test_money_is_per_company_currency(self):
		from prm_app.portal import metrics

		company = frappe.db.get_value("Company", {}, ["name", "default_currency"], as_dict=True)
		other_currency = "EUR" if company.default_currency != "EUR" else "GBP"
		# rows as ERPNext would have them (a second company in another currency, an invoice in each)
		other = unique("PRM Euro Co")
		table = frappe.qb.DocType("Company")
		frappe.qb.into(table).columns(
			table.name, table.company_name, table.abbr, table.default_currency
		).insert(other, other, frappe.generate_hash(length=5), other_currency).run()
		invoice = frappe.qb.DocType("Sales Invoice")
		for name, company_name, amount in (
			(unique("SINV-A"), company.name, 100),
			(unique("SINV-B"), other, 70),
		):
			frappe.qb.into(invoice).columns(
				invoice.name,
				invoice.company,
				invoice.docstatus,
				invoice.base_net_total,
				invoice.posting_date,
				invoice.prm_partner,
				invoice.customer,
			).insert(
				name, company_name, 1, amount, today(), self.partner_a.name, leaf("Customer Group")
			).run()
		revenue = {
			row.currency: row.amount for row in metrics.trailing_revenue_by_currency(self.partner_a.name)
		}
		self.assertEqual(revenue, {company.default_currency: 100, other_currency: 70})
		self.assertEqual(metrics.partner_metrics(self.partner_a.name).trailing_revenue, 100)
