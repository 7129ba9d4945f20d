# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""Lead distribution by rules and its service level: the job (``run``) with time moved forward
(an offer's ``respond_by`` set in the past), round robin, capacity, best acceptance rate, max
offers, the channel team told when nobody accepts, new leads distributed automatically."""

import frappe
from frappe.utils import add_days, add_to_date, now_datetime, today

from prm_app.exceptions import DistributionRuleError
from prm_app.integrations import lead_distribution
from prm_app.tests.utils import (
	GROWTH_TEST_IGNORE,
	PRMTestCase,
	make_active_partner,
	make_lead,
	make_rule,
	make_user,
	unique,
)

test_ignore = GROWTH_TEST_IGNORE


def open_offer(lead: str) -> frappe._dict | None:
	rows = frappe.get_all(
		"Lead Offer",
		filters={"lead": lead, "status": ("in", ("Offered", "Accepted"))},
		fields=["name", "partner", "status", "rule", "respond_by"],
	)
	return rows[0] if rows else None


def events(lead: str) -> list[str]:
	return frappe.get_all(
		"Lead Assignment Log", filters={"lead": lead}, pluck="event", order_by="creation asc"
	)


def unused_country() -> str:
	"""A country no partner, lead or rule of the site names (Frappe 16 accepts only real ones)."""
	used = set()
	for doctype in ("Partner", "Lead", "Lead Distribution Rule"):
		used |= set(
			frappe.get_all(doctype, filters={"country": ("is", "set")}, pluck="country", distinct=True)
		)
	free = [
		name for name in frappe.get_all("Country", pluck="name", order_by="name desc") if name not in used
	]
	return free[0]


def overdue(offer: str):
	"""Move time forward for one offer: its answer was due an hour ago."""
	frappe.db.set_value("Lead Offer", offer, "respond_by", add_to_date(now_datetime(), hours=-1))


class DistributionCase(PRMTestCase):
	def setUp(self):
		super().setUp()
		# a country of each test's own: only its partners, leads and rules are in it
		self.country = unused_country()
		self.partners = [make_active_partner(country=self.country).name for _ in range(3)]
		frappe.db.set_single_value("PRM Settings", "lead_accept_hours", 48)

	def lead(self, **kw):
		return make_lead(country=self.country, **kw).name

	def rule(self, **kw):
		return make_rule(country=self.country, **kw)


class TestLeadDistributionRule(DistributionCase):
	def test_rule_settings_are_checked(self):
		for values in (
			{"accept_within_hours": 0},
			{"capacity": -1},
			{"auto_distribute": 1, "apply_from": None},
		):
			with self.assertRaises(DistributionRuleError, msg=str(values)):
				self.rule(**values)
		with self.assertRaises(DistributionRuleError):
			self.rule(partners=[self.partners[0], self.partners[0]])

	def test_round_robin_and_the_service_level(self):
		rule = self.rule(accept_within_hours=6, max_offers=2)
		leads = [self.lead() for _ in range(3)]
		result = lead_distribution.distribute_by_rules_job(leads)
		given = [partner for _lead, partner, _offer in result["offered"]]
		self.assertEqual(sorted(given), sorted(self.partners))  # one each: round robin
		first = open_offer(leads[0])
		self.assertEqual(first.rule, rule.name)
		self.assertAlmostEqual((first.respond_by - now_datetime()).total_seconds() / 3600, 6, delta=0.1)
		# nothing is due: the job changes nothing
		self.assertEqual(lead_distribution.run(commit=False)["timed_out"], 0)
		# time moves forward: the first offer is taken back and goes to a partner that never had it
		overdue(first.name)
		summary = lead_distribution.run(commit=False)
		self.assertEqual((summary["timed_out"], summary["reoffered"]), (1, 1))
		self.assertEqual(frappe.db.get_value("Lead Offer", first.name, "status"), "Timed Out")
		second = open_offer(leads[0])
		self.assertNotEqual(second.partner, first.partner)
		self.assertEqual(events(leads[0]), ["Offered", "Timed Out", "Offered"])
		# the second partner declines: the rule's two offers are used up, the channel team is told
		frappe.get_doc("Lead Offer", second.name).decline("No capacity this month")
		summary = lead_distribution.run(commit=False)
		self.assertEqual(summary["nobody"], 1)
		self.assertIsNone(open_offer(leads[0]))
		self.assertEqual(events(leads[0])[-2:], ["Declined", "Nobody Accepted"])
		# a later run leaves it alone
		self.assertEqual(lead_distribution.run(commit=False)["nobody"], 0)

	def test_the_channel_team_is_told_who_to_call(self):
		manager = make_user(website_user=False, roles=("Partner Manager",)).name
		self.rule(max_offers=1, notify_user=manager)
		lead = self.lead()
		lead_distribution.distribute_by_rules_job([lead])
		offer = open_offer(lead)
		overdue(offer.name)
		lead_distribution.run(commit=False)
		log = frappe.get_all(
			"Lead Assignment Log", filters={"lead": lead, "event": "Nobody Accepted"}, fields=["notify_user"]
		)
		self.assertEqual(log, [{"notify_user": manager}])
		queued = frappe.get_all("Email Queue Recipient", filters={"recipient": manager}, pluck="parent")
		self.assertTrue(
			frappe.db.exists(
				"Email Queue", {"name": ("in", queued or [""]), "reference_doctype": "Lead Assignment Log"}
			)
		)

	def test_capacity_is_respected(self):
		self.rule(capacity=1, partners=[self.partners[0], (self.partners[1], 2)])
		leads = [self.lead() for _ in range(5)]
		result = lead_distribution.distribute_by_rules_job(leads)
		counts = {}
		for _lead, partner, _offer in result["offered"]:
			counts[partner] = counts.get(partner, 0) + 1
		self.assertEqual(counts, {self.partners[0]: 1, self.partners[1]: 2})
		self.assertEqual(len(result["nobody"]), 2)
		# an accepted lead still counts until it is converted or lost
		busy = open_offer(result["offered"][0][0])
		frappe.get_doc("Lead Offer", busy.name).accept()
		self.assertEqual(
			lead_distribution.open_lead_counts()[busy.partner], 1 if busy.partner == self.partners[0] else 2
		)

	def test_best_acceptance_rate(self):
		keen, lazy, _new = self.partners
		self.rule(method="Best Acceptance Rate", partners=[keen, lazy])
		for _ in range(3):
			offer = lead_distribution.make_offer(self.lead(), keen)
			offer.accept()
			offer = lead_distribution.make_offer(self.lead(), lazy)
			offer.decline("busy")
		result = lead_distribution.distribute_by_rules_job([self.lead()])
		self.assertEqual(result["offered"][0][1], keen)
		metrics = lead_distribution.lead_metrics([keen, lazy])
		self.assertEqual(metrics[keen]["lead_acceptance_rate"], 100)
		self.assertEqual(metrics[lazy]["lead_acceptance_rate"], 0)

	def test_new_leads_are_distributed_automatically_from_a_date(self):
		self.rule(auto_distribute=1, apply_from=today())
		old = self.lead()
		frappe.db.set_value("Lead", old, "creation", add_days(now_datetime(), -3))
		fresh = self.lead()
		taken = self.lead()
		frappe.db.set_value("Lead", taken, "prm_partner", self.partners[0])
		lead_distribution.run(commit=False)
		self.assertIsNotNone(open_offer(fresh))
		self.assertIsNone(open_offer(old))  # created before the rule applies
		self.assertIsNone(open_offer(taken))  # a partner's already
		# a lead no rule takes stays with the channel team
		elsewhere = make_lead().name
		lead_distribution.run(commit=False)
		self.assertIsNone(open_offer(elsewhere))

	def test_lead_metrics_reach_the_partner(self):
		partner = self.partners[0]
		offer = lead_distribution.make_offer(self.lead(), partner)
		offer.accept()
		offer.mark_converted("DR-METRICS")
		lead_distribution.make_offer(self.lead(), partner).decline("no")
		lead_distribution.update_lead_metrics([partner])
		values = frappe.db.get_value(
			"Partner",
			partner,
			[
				"leads_offered",
				"leads_accepted",
				"lead_acceptance_rate",
				"leads_converted",
				"lead_conversion_rate",
			],
			as_dict=True,
		)
		self.assertEqual(
			values,
			{
				"leads_offered": 2,
				"leads_accepted": 1,
				"lead_acceptance_rate": 50,
				"leads_converted": 1,
				"lead_conversion_rate": 100,
			},
		)

	def test_desk_actions_are_the_channel_teams(self):
		lead = self.lead()
		frappe.set_user(self.user_a)
		for call in (
			lambda: lead_distribution.offer_to_partner([lead], self.partner_a.name),
			lambda: lead_distribution.distribute_by_rules([lead]),
		):
			with self.assertRaises(frappe.PermissionError):
				call()
		frappe.set_user("Administrator")
		result = lead_distribution.offer_to_partner(frappe.as_json([lead]), self.partners[1], hours=5)
		self.assertEqual(result["offered"][0][1], self.partners[1])
		again = lead_distribution.offer_to_partner([lead], self.partners[2])
		self.assertEqual(len(again["errors"]), 1)
