# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""The tier engine on a real bench: metrics gathered set-based, promotion, demotion after the grace,
the lock, the log and its notification, the Sales Partner's commission, "Evaluate Tier Now"."""

import frappe
from frappe.utils import add_days, getdate, today

from prm_app.engine.tiers import Metrics, qualifying_tier
from prm_app.integrations import tier_engine
from prm_app.tests.utils import (
	TEST_IGNORE,
	PRMTestCase,
	email_text,
	make_active_partner,
	make_certification,
	make_customer,
	make_registration,
	make_sales_invoice,
	make_tier,
	make_training_module,
	make_user,
)

test_ignore = TEST_IGNORE


class TestTierEngine(PRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer().name
		cls.silver = make_tier(
			min_trailing_revenue=1000, min_won_deals=1, commission_rate=5, demotion_grace_days=10
		)
		cls.gold = make_tier(
			min_trailing_revenue=5000,
			min_won_deals=1,
			min_certified_people=1,
			commission_rate=9,
			demotion_grace_days=30,
		)
		cls.module = make_training_module()
		# where a partner without any figures stands (the highest tier without criteria)
		cls.base = qualifying_tier(tier_engine.program_tiers(), Metrics()).name

	def setUp(self):
		super().setUp()
		frappe.db.set_single_value("PRM Settings", "evaluate_tiers_daily", 1)
		self.user = make_user().name
		self.partner = make_active_partner(users=[(self.user, "Partner Admin")], program_tier=self.base)

	def won_deal(self, partner=None):
		doc = make_registration(partner or self.partner.name)
		frappe.db.set_value("Deal Registration", doc.name, "status", "Won")
		return doc

	def test_metrics_are_gathered_for_all_partners_at_once(self):
		make_sales_invoice(self.partner.name, self.customer, self.item, 4000)
		make_sales_invoice(self.partner.name, self.customer, self.item, 1500)
		make_sales_invoice(
			self.partner.name, self.customer, self.item, 500, qty=-1, is_return=1
		)  # credit note
		old = make_sales_invoice(self.partner.name, self.customer, self.item, 9999)
		# outside the trailing 12 months (set directly: the fiscal year may not reach that far back)
		frappe.db.set_value("Sales Invoice", old.name, "posting_date", add_days(today(), -365))
		draft = frappe.get_doc(
			{
				"doctype": "Sales Invoice",
				"customer": self.customer,
				"company": frappe.db.get_value("Sales Invoice", old.name, "company"),
				"prm_partner": self.partner.name,
				"items": [{"item_code": self.item, "qty": 1, "rate": 7777}],
			}
		).insert()
		self.assertEqual(draft.docstatus, 0)
		self.won_deal()
		self.won_deal()
		make_certification(self.partner.name, self.user, self.module.name)
		make_certification(self.partner.name, self.user, make_training_module().name)  # same person
		make_certification(self.partner.name, self.user, make_training_module().name, expires_on=today())
		metrics = tier_engine.gather()
		self.assertEqual(metrics[self.partner.name], Metrics(5000.0, 2, 1))
		# other partners are in the same result, from the same queries
		make_sales_invoice(self.partner_b.name, self.customer, self.item, 300)
		both = tier_engine.gather(partners=[self.partner.name, self.partner_b.name])
		self.assertEqual(both[self.partner_b.name].trailing_revenue, 300.0)
		self.assertEqual(set(both), {self.partner.name, self.partner_b.name})

	def test_promotion_at_once_with_log_notification_and_commission(self):
		make_sales_invoice(self.partner.name, self.customer, self.item, 6000)
		self.won_deal()
		make_certification(self.partner.name, self.user, self.module.name)
		sales_partner = frappe.db.get_value("Partner", self.partner.name, "sales_partner")
		self.assertTrue(sales_partner)
		before = frappe.db.count("Email Queue")
		result = tier_engine.evaluate_all(partners=[self.partner.name])
		self.assertEqual(result["promoted"], 1)
		self.assertEqual(frappe.db.get_value("Partner", self.partner.name, "program_tier"), self.gold.name)
		self.assertEqual(frappe.db.get_value("Sales Partner", sales_partner, "commission_rate"), 9)
		log = frappe.get_last_doc("Partner Tier Change", filters={"partner": self.partner.name})
		self.assertEqual((log.change, log.from_tier, log.to_tier), ("Promoted", self.base, self.gold.name))
		self.assertEqual((log.trailing_revenue, log.won_deals, log.certified_people), (6000, 1, 1))
		self.assertEqual(getdate(log.effective_on), getdate(today()))
		self.assertIn(frappe.db.get_value("User", self.user, "email"), log.partner_admins)
		self.assertGreater(frappe.db.count("Email Queue"), before)
		mail = frappe.get_last_doc("Email Queue")
		self.assertIn(self.gold.name, email_text(mail.message))
		recipients = frappe.get_all("Email Queue Recipient", filters={"parent": mail.name}, pluck="recipient")
		self.assertIn(frappe.db.get_value("User", self.user, "email"), recipients)
		# evaluated again: nothing changes
		self.assertEqual(tier_engine.evaluate_all(partners=[self.partner.name])["promoted"], 0)

	def test_demotion_only_after_the_grace(self):
		frappe.db.set_value("Partner", self.partner.name, "program_tier", self.silver.name)
		day = getdate(today())
		result = tier_engine.evaluate_all(on=day, partners=[self.partner.name])
		self.assertEqual((result["demoted"], result["grace_started"]), (0, 1))
		self.assertEqual(frappe.db.get_value("Partner", self.partner.name, "below_tier_since"), day)
		tier_engine.evaluate_all(on=add_days(day, 9), partners=[self.partner.name])
		self.assertEqual(frappe.db.get_value("Partner", self.partner.name, "program_tier"), self.silver.name)
		result = tier_engine.evaluate_all(on=add_days(day, 10), partners=[self.partner.name])
		self.assertEqual(result["demoted"], 1)
		values = frappe.db.get_value("Partner", self.partner.name, ["program_tier", "below_tier_since"])
		self.assertEqual(values, (self.base, None))
		log = frappe.get_last_doc("Partner Tier Change", filters={"partner": self.partner.name})
		self.assertEqual((log.change, log.from_tier, log.to_tier), ("Demoted", self.silver.name, self.base))
		self.assertIn("10 days", log.reason)

	def test_meeting_the_criteria_again_ends_the_grace(self):
		frappe.db.set_value("Partner", self.partner.name, "program_tier", self.silver.name)
		tier_engine.evaluate_all(partners=[self.partner.name])
		self.assertTrue(frappe.db.get_value("Partner", self.partner.name, "below_tier_since"))
		make_sales_invoice(self.partner.name, self.customer, self.item, 1200)
		self.won_deal()
		tier_engine.evaluate_all(partners=[self.partner.name])
		self.assertIsNone(frappe.db.get_value("Partner", self.partner.name, "below_tier_since"))
		self.assertEqual(frappe.db.get_value("Partner", self.partner.name, "program_tier"), self.silver.name)

	def test_a_locked_tier_stays_until_its_date(self):
		frappe.db.set_value(
			"Partner",
			self.partner.name,
			{"program_tier": self.gold.name, "tier_locked_until": add_days(today(), 5)},
		)
		result = tier_engine.evaluate_all(on=add_days(today(), 5), partners=[self.partner.name])
		self.assertEqual((result["demoted"], result["grace_started"]), (0, 0))
		self.assertEqual(frappe.db.get_value("Partner", self.partner.name, "program_tier"), self.gold.name)
		tier_engine.evaluate_all(on=add_days(today(), 6), partners=[self.partner.name])
		self.assertEqual(
			frappe.db.get_value("Partner", self.partner.name, "below_tier_since"),
			getdate(add_days(today(), 6)),
		)

	def test_only_active_partners_and_the_daily_switch(self):
		frappe.db.set_value("Partner", self.partner.name, "status", "Suspended")
		self.assertEqual(tier_engine.evaluate_all(partners=[self.partner.name])["evaluated"], 0)
		frappe.db.set_single_value("PRM Settings", "evaluate_tiers_daily", 0)
		self.assertIsNone(tier_engine.evaluate_tiers(commit=False))

	def test_a_tier_set_by_hand_is_logged(self):
		doc = frappe.get_doc("Partner", self.partner.name)
		doc.program_tier = self.silver.name
		doc.save()
		log = frappe.get_last_doc("Partner Tier Change", filters={"partner": self.partner.name})
		self.assertEqual(
			(log.change, log.from_tier, log.to_tier), ("Set by Hand", self.base, self.silver.name)
		)

	def test_evaluate_tier_now_is_for_the_channel_team(self):
		make_sales_invoice(self.partner.name, self.customer, self.item, 2000)
		self.won_deal()
		frappe.set_user(self.user)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Partner", self.partner.name).evaluate_tier_now()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Partner", self.partner.name, "program_tier"), self.base)
		manager = make_user(website_user=False, roles=("Partner Manager",)).name
		frappe.set_user(manager)
		# a forged document (another tier, another name) changes nothing: the stored one is evaluated
		forged = frappe.get_doc("Partner", self.partner.name)
		forged.program_tier = self.gold.name
		result = forged.evaluate_tier_now()
		frappe.set_user("Administrator")
		self.assertEqual((result["previous_tier"], result["tier"]), (self.base, self.silver.name))
		self.assertEqual(frappe.db.get_value("Partner", self.partner.name, "program_tier"), self.silver.name)

	def test_the_daily_job_evaluates_everyone(self):
		make_sales_invoice(self.partner.name, self.customer, self.item, 2000)
		self.won_deal()
		result = tier_engine.evaluate_tiers(commit=False)
		self.assertGreaterEqual(result["evaluated"], 3)
		self.assertEqual(frappe.db.get_value("Partner", self.partner.name, "program_tier"), self.silver.name)
