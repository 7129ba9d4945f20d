"""The insight reports through ``frappe.desk.query_report.run``, their figures checked against ones
computed by hand on a small fixture.

Four partners of one tier (the reports are filtered to it): A sells 600 this period and 400 the
period before, B 300 and 600, D 100 and nothing, C nothing. Registrations, opportunities and
engagement events as noted where they are made."""

import pickle
import time
from datetime import date, datetime, timedelta

import frappe
from frappe.utils import add_days, get_last_day, getdate

from prm_app.insights import sales, scorecard
from prm_app.tests.utils import (
	TEST_IGNORE,
	PRMTestCase,
	company,
	dated_registration,
	make_active_partner,
	make_certification,
	make_invoice,
	make_item,
	make_lead_offer,
	make_opportunity,
	make_tier,
	make_training_module,
	make_user,
	run_report,
	set_settings,
	unique,
)

test_ignore = TEST_IGNORE

ZERO_WEIGHTS = {
	f: 0
	for f in (
		"weight_revenue",
		"weight_revenue_growth",
		"weight_pipeline",
		"weight_won_deals",
		"weight_win_rate",
		"weight_engagement",
		"weight_lead_acceptance",
		"weight_lead_conversion",
		"weight_certified_people",
		"weight_mdf_roi",
	)
}


def at(day, hour=10):
	return datetime.combine(getdate(day), datetime.min.time()) + timedelta(hours=hour)


class InsightsCase(PRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.today = getdate()
		cls.start = add_days(cls.today, -89)  # the period: 90 days to today
		cls.current = add_days(cls.today, -10)
		cls.previous = add_days(cls.today, -100)
		cls.old = add_days(cls.today, -400)
		cls.group = make_tier().name
		cls.a = make_active_partner(program_tier=cls.group).name
		cls.b = make_active_partner(program_tier=cls.group).name
		cls.c = make_active_partner(program_tier=cls.group).name
		cls.d = make_active_partner(program_tier=cls.group).name
		item = cls.item
		for partner, amount, day in (
			(cls.a, 600, cls.current),
			(cls.a, 400, cls.previous),
			(cls.b, 300, cls.current),
			(cls.b, 600, cls.previous),
			(cls.d, 100, cls.current),
			(cls.a, 999, cls.old),  # before both periods: never counted
		):
			make_invoice(partner, item, amount, posting_date=day)
		# a draft invoice and another partner's invoice count for nobody here
		make_invoice(cls.a, item, 5000, posting_date=cls.current, submit=False)
		make_invoice(cls.partner_a.name, item, 7000, posting_date=cls.current)
		# gross profit: B sells a stock item valued at 70 a unit, 2 units at 150 (300 - 140 = 160)
		stock = make_item(is_stock_item=1, valuation_rate=70).name
		make_invoice(cls.b, stock, 300, posting_date=cls.current, qty=2)
		cls.filters = {
			"program_tier": cls.group,
			"from_date": str(cls.start),
			"to_date": str(cls.today),
		}

	def setUp(self):
		super().setUp()
		frappe.db.savepoint("prm_insights_test")  # each test's own data goes at its end
		scorecard_weights = {
			**ZERO_WEIGHTS,
			"weight_revenue": 2,
			"weight_revenue_growth": 1,
			"weight_win_rate": 1,
		}
		set_settings(**scorecard_weights, engagement_window_days=30, engagement_full_score_points=20)

	def tearDown(self):
		frappe.db.rollback(save_point="prm_insights_test")
		frappe.clear_cache(doctype="PRM Settings")
		super().tearDown()

	def rows_by(self, result, key="partner"):
		return {row[key]: row for row in result["result"] if isinstance(row, dict)}


class TestPartnerPareto(InsightsCase):
	def test_revenue_ranked_with_cumulative_share_and_the_80_percent_cut(self):
		# revenue: A 600, B 300 + 300 = 600, D 100, C 0 -> total 1300
		result = run_report("Partner Pareto", **self.filters, based_on="Revenue")
		rows = result["result"]
		self.assertEqual([r["partner"] for r in rows][:2], sorted([self.a, self.b]))
		self.assertEqual([r["partner"] for r in rows][2:], [self.d, self.c])
		self.assertEqual([r["value"] for r in rows], [600, 600, 100, 0])
		self.assertAlmostEqual(rows[0]["share"], 600 / 1300 * 100, places=3)
		self.assertAlmostEqual(rows[1]["cumulative"], 1200 / 1300 * 100, places=3)
		self.assertEqual(rows[3]["cumulative"], 100)
		# 80% is reached at the second partner: 2 of 4 partners (50%) bring it
		self.assertEqual([r["in_head"] for r in rows], [1, 1, 0, 0])
		summary = {s["label"]: s["value"] for s in result["report_summary"]}
		self.assertEqual(summary["Partners Bringing 80%"], 2)
		self.assertEqual(summary["Share of Partners %"], 50.0)
		self.assertEqual(summary["Total Revenue"], 1300)
		self.assertIn("2 of 4 partners", result["message"])
		chart = result["chart"]
		self.assertEqual(chart["type"], "axis-mixed")
		shares, cumulative = chart["data"]["datasets"]
		self.assertEqual((shares["chartType"], cumulative["chartType"]), ("bar", "line"))
		self.assertEqual(cumulative["values"][-1], 100.0)

	def test_gross_profit(self):
		# kept on each invoice when submitted: A 600 of a non-stock item never bought (cost 0);
		# B 300 + (300 - 2 x 70 for the stock item's valuation); D 100
		result = run_report("Partner Pareto", **self.filters, based_on="Gross Profit")
		values = {r["partner"]: r["value"] for r in result["result"]}
		self.assertEqual(values, {self.a: 600, self.b: 460, self.d: 100, self.c: 0})
		self.assertIn("Gross profit", result["message"])
		# a non-stock item bought at 25: its later invoices cost 25 a unit (C: 2 x (90 - 25))
		bought = make_item(last_purchase_rate=25).name
		make_invoice(self.c, bought, 180, posting_date=self.current, qty=2)
		values = {
			r["partner"]: r["value"]
			for r in run_report("Partner Pareto", **self.filters, based_on="Gross Profit")["result"]
		}
		self.assertEqual(values[self.c], 130)

	def test_gross_profit_backfill(self):
		from prm_app.insights import margins

		invoice = frappe.qb.DocType("Sales Invoice")
		frappe.qb.update(invoice).set(invoice.prm_gross_profit, 0).where(invoice.prm_partner == self.b).run()
		self.assertEqual(margins.backfill(commit=False), 0)  # done once, on install
		self.assertGreaterEqual(margins.backfill(force=True, commit=False), 3)
		values = {
			r["partner"]: r["value"]
			for r in run_report("Partner Pareto", **self.filters, based_on="Gross Profit")["result"]
		}
		self.assertEqual(values[self.b], 460)

	def test_workspace_chart_and_card(self):
		from frappe.desk.doctype.number_card.number_card import get_result

		from prm_app.insights.charts import revenue_by_tier

		chart = revenue_by_tier({"from_date": str(self.start), "to_date": str(self.today)})
		by_tier = dict(zip(chart["labels"], chart["datasets"][0]["values"], strict=True))
		self.assertEqual(by_tier[self.group], 1300)
		card = frappe.get_doc("Number Card", "Partner Revenue This Quarter")
		first_month = (self.today.month - 1) // 3 * 3 + 1
		quarter = (
			date(self.today.year, first_month, 1),
			get_last_day(date(self.today.year, first_month + 2, 1)),
		)
		expected = sum(row[0] for row in sales.invoiced(company(), *quarter).values())
		# the desk sends the card's own filters (and the default company)
		self.assertAlmostEqual(get_result(card.as_dict(), card.filters_json), expected)

	def test_bad_filters_are_refused_with_a_clear_error(self):
		from prm_app.exceptions import InsightsFilterError

		for filters in (
			{**self.filters, "based_on": "Headcount"},
			{**self.filters, "from_date": str(self.today), "to_date": str(self.start)},
			{**self.filters, "from_date": "not a date"},
			{**self.filters, "company": "No Such Company"},
			{**self.filters, "status": "Sleeping"},
			{**self.filters, "territory": "Atlantis"},
		):
			with self.assertRaises(InsightsFilterError, msg=filters):
				run_report("Partner Pareto", **filters)
			frappe.clear_messages()


class TestPartnerScorecard(InsightsCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# A: two submitted in the period, won after 2 days and lost after 4 (approved): win rate 50 %
		dated_registration(cls.a, "Won", at(cls.current), at(cls.current) + timedelta(days=2))
		dated_registration(cls.a, "Lost", at(cls.current), at(cls.current) + timedelta(days=4))
		# B: one rejected after a day: nothing closed, no win rate
		dated_registration(cls.b, "Rejected", at(cls.current), at(cls.current) + timedelta(days=1))
		# an old one of A's is outside the period
		dated_registration(cls.a, "Won", at(cls.previous), at(cls.previous) + timedelta(days=9))

	def test_measures_and_composite_score_by_hand(self):
		rows = self.rows_by(run_report("Partner Scorecard", **self.filters))
		self.assertEqual(set(rows), {self.a, self.b, self.c, self.d})
		a, b, c, d = rows[self.a], rows[self.b], rows[self.c], rows[self.d]
		self.assertEqual((a["revenue"], a["revenue_previous"], a["revenue_growth"]), (600, 400, 50.0))
		self.assertEqual((b["revenue"], b["revenue_previous"], b["revenue_growth"]), (600, 600, 0.0))
		self.assertEqual((c["revenue"], c["revenue_growth"]), (0, None))
		self.assertIsNone(d["revenue_growth"])  # nothing before, something now: shown blank
		self.assertEqual(
			(
				a["registrations_submitted"],
				a["registrations_approved"],
				a["registrations_won"],
				a["win_rate"],
			),
			(2, 2, 1, 50.0),
		)
		self.assertEqual(a["decision_days"], 3.0)
		self.assertEqual(
			(b["registrations_submitted"], b["registrations_approved"], b["win_rate"]), (1, 0, None)
		)
		self.assertEqual(b["decision_days"], 1.0)
		# ranks (weights: revenue 2, growth 1, win rate 1)
		#   revenue A 600, B 600, D 100, C 0      -> A 100, B 100, D 1/3 of the way: 33.3, C 0
		#   growth  D inf, A 50, B 0, C n/a       -> D 100, A 50, B 0
		#   win rate A 50 (the only one)          -> A 100
		# A (2*100 + 50 + 100) / 4 = 87.5; B (2*100 + 0) / 3 = 66.7; D (2*33.3 + 100) / 3 = 55.6; C 0
		self.assertEqual((a["score"], b["score"], d["score"], c["score"]), (87.5, 66.7, 55.6, 0.0))
		self.assertEqual(a["rank"], 1)
		self.assertEqual(c["rank"], 4)

	def test_weights_are_settings(self):
		set_settings(**{**ZERO_WEIGHTS, "weight_revenue_growth": 1})
		rows = self.rows_by(run_report("Partner Scorecard", **self.filters))
		self.assertEqual(rows[self.d]["score"], 100.0)
		self.assertEqual(rows[self.d]["rank"], 1)
		self.assertEqual(rows[self.c]["score"], 0.0)  # growth does not apply: no measure scores

	def test_pipeline_and_engagement(self):
		from prm_app.constants import EVENT_REGISTRATION_SUBMITTED, EVENT_SIGN_IN
		from prm_app.engagement import record
		from prm_app.insights import health

		dated_registration(self.c, "Approved", at(self.current), at(self.current), expected_value=2000)
		make_opportunity(self.c, 5000)
		dated_registration(self.c, "Pending Review", at(self.current), expected_value=1500)
		won = dated_registration(self.d, "Won", at(self.current), at(self.current))
		make_opportunity(self.d, 9999, registration=won.name)  # its registration is closed: not pipeline
		for _ in range(3):
			record(self.a, EVENT_SIGN_IN, timestamp=at(self.current))
		record(self.b, EVENT_REGISTRATION_SUBMITTED, timestamp=at(self.current))
		record(self.b, EVENT_SIGN_IN, timestamp=at(self.old))  # outside the 30-day window
		health.refresh(commit=False)  # the daily check sets the engagement scores
		set_settings(**{**ZERO_WEIGHTS, "weight_engagement": 1})
		rows = self.rows_by(run_report("Partner Scorecard", **self.filters))
		c, d = rows[self.c], rows[self.d]
		# C: 2 open registrations without an Opportunity (2000 + 1500) and an open Opportunity (5000)
		self.assertEqual(
			(c["open_registrations"], c["open_opportunities"], c["pipeline_value"]), (2, 1, 8500)
		)
		self.assertEqual((d["open_registrations"], d["open_opportunities"], d["pipeline_value"]), (0, 0, 0))
		# engagement over the 30-day window, 20 points for a full score: A 3 points (15), B 5 (25)
		self.assertEqual(rows[self.a]["engagement_score"], 15)
		self.assertEqual(rows[self.b]["engagement_score"], 25)
		# B 100, A above 2 of the 3 others: 66.7
		self.assertEqual(rows[self.b]["score"], 100.0)
		self.assertEqual(rows[self.a]["score"], 66.7)

	def test_one_partner_asked_for_is_ranked_among_the_others(self):
		result = run_report("Partner Scorecard", **self.filters, partner=self.a)
		self.assertEqual([r["partner"] for r in result["result"]], [self.a])
		self.assertEqual(result["result"][0]["score"], 87.5)

	def test_providers_of_absent_capabilities_stay_out(self):
		from prm_app.insights import providers

		running, _skipped = providers.active()
		names = {p.name for p in running}
		self.assertLessEqual({"invoices", "registrations", "opportunities", "engagement"}, names)
		for provider in providers.PROVIDERS:
			self.assertEqual(provider.name in names, bool(frappe.db.exists("DocType", provider.doctype)))
		columns = {c["fieldname"] for c in run_report("Partner Scorecard", **self.filters)["columns"]}
		if not frappe.db.exists("DocType", "Lead Offer"):
			self.assertNotIn("lead_acceptance", columns)

	def test_cached_row_is_the_reports_row(self):
		scorecard.clear_cache()
		row, count = scorecard.cached_row({**self.filters}, self.a)
		self.assertEqual(row.score, 87.5)
		self.assertEqual(count, 4)

	def test_one_request_at_a_time_computes_the_kept_scorecard(self):
		"""Fresh rows are served as kept; stale ones are served while another request computes the
		next (its lock held), and computed again by the request that takes the lock."""
		import redis

		key = f"{scorecard.CACHE_PREFIX}test|{frappe.generate_hash(length=8)}"
		calls = []

		def compute(score):
			def run():
				calls.append(score)
				return frappe._dict(rows=[frappe._dict(partner=self.a, score=score)])

			return run

		try:
			self.assertEqual(
				scorecard.kept_rows(key, self.a, compute(1)), ({"partner": self.a, "score": 1}, 1)
			)
			self.assertEqual(scorecard.kept_rows(key, self.a, compute(2))[0]["score"], 1)  # fresh: kept
			self.assertEqual(calls, [1])

			# the rows grow stale while another request holds the lock: they are served as they are
			cache = frappe.cache()
			name = cache.make_key(key)
			redis.Redis.hset(
				cache, name, scorecard.BUILT_FIELD, pickle.dumps(time.time() - scorecard.CACHE_SECONDS - 1)
			)
			other = redis.Redis.lock(cache, cache.make_key(key + "|computing"), timeout=30)
			self.assertTrue(other.acquire(blocking=False))
			self.assertEqual(scorecard.kept_rows(key, self.a, compute(3))[0]["score"], 1)
			self.assertEqual(calls, [1])
			other.release()

			# the lock free, the request computes them again
			self.assertEqual(scorecard.kept_rows(key, self.a, compute(4))[0]["score"], 4)
			self.assertEqual(scorecard.kept_rows(key, self.b, compute(5)), (None, 1))  # not ranked: none
			self.assertEqual(calls, [1, 4])

			# a plain value under the name (what another version kept) is replaced, never an error
			frappe.cache().set_value(key, {"rows": {}, "count": 0})
			self.assertEqual(scorecard.kept_rows(key, self.a, compute(6))[0]["score"], 6)
		finally:
			frappe.cache().delete_keys(key)


class TestCapabilityMeasures(InsightsCase):
	"""Leads, certified people and MDF on the scorecard, from the capabilities' own records."""

	def scorecard_rows(self):
		return self.rows_by(run_report("Partner Scorecard", **self.filters))

	def test_lead_acceptance_and_conversion(self):
		def offer(partner, status, progress=None, lead_status=None, offered_on=None):
			doc = make_lead_offer(partner)
			values = {"status": status, "progress": progress}
			if offered_on:
				values["offered_on"] = offered_on
			frappe.db.set_value("Lead Offer", doc.name, values)
			if lead_status:
				frappe.db.set_value("Lead", doc.lead, "status", lead_status)

		offer(self.a, "Accepted", progress="Converted")  # converted, as the partner reports it
		offer(self.a, "Accepted", lead_status="Opportunity")  # converted: the Lead moved on
		offer(self.a, "Accepted")
		offer(self.a, "Declined")
		offer(self.a, "Withdrawn")  # taken back: not offered for the measure
		offer(self.a, "Accepted", progress="Converted", offered_on=at(self.old))  # another period
		offer(self.b, "Declined")
		rows = self.scorecard_rows()
		a, b = rows[self.a], rows[self.b]
		self.assertEqual((a["leads_offered"], a["leads_accepted"], a["leads_converted"]), (4, 3, 2))
		self.assertAlmostEqual(a["lead_acceptance"], 75.0)
		self.assertAlmostEqual(a["lead_conversion"], 200 / 3, places=3)
		self.assertEqual((b["leads_offered"], b["leads_accepted"], b["lead_acceptance"]), (1, 0, 0.0))
		self.assertIsNone(b["lead_conversion"])

	def test_certified_people_at_the_end_of_the_period(self):
		users = [make_user().name for _n in range(4)]
		partner = frappe.get_doc("Partner", self.c)
		for user in users:
			partner.append("users", {"user": user, "role": "Partner User"})
		partner.save()
		first, second = make_training_module().name, make_training_module().name
		make_certification(
			self.c, users[0], first, certified_on=self.current, expires_on=add_days(self.today, 300)
		)
		make_certification(self.c, users[0], second, certified_on=self.current)  # the same person
		make_certification(self.c, users[1], first, certified_on=self.previous, expires_on=None)
		make_certification(
			self.c, users[2], first, certified_on=self.previous, status="Revoked", revoked_reason="Cheated"
		)
		make_certification(  # lapsed before the period's end
			self.c,
			users[3],
			first,
			certified_on=self.old,
			expires_on=add_days(self.today, -1),
			status="Expired",
		)
		self.assertEqual(self.scorecard_rows()[self.c]["certified_people"], 2)
		# the period that ended before users[3]'s certification lapsed counted it
		earlier = {
			**self.filters,
			"from_date": str(add_days(self.old, -5)),
			"to_date": str(add_days(self.old, 5)),
		}
		rows = self.rows_by(run_report("Partner Scorecard", **earlier))
		self.assertEqual(rows[self.c]["certified_people"], 1)

	def test_mdf_spent_and_revenue_per_mdf(self):
		claim = frappe.qb.DocType("MDF Claim")

		def stored_claim(partner, amount, decided_on, status="Approved", docstatus=1, company_name=None):
			# the report reads stored claims: made here without their request, budget and payout
			frappe.qb.into(claim).columns(
				claim.name,
				claim.partner,
				claim.company,
				claim.status,
				claim.docstatus,
				claim.approved_amount,
				claim.decided_on,
			).insert(
				unique("MDF-CLM"), partner, company_name or company(), status, docstatus, amount, decided_on
			).run()

		stored_claim(self.a, 200, at(self.current))
		stored_claim(self.a, 50, at(self.start))
		stored_claim(self.a, 999, at(self.current), status="Submitted", docstatus=0)  # not approved
		stored_claim(self.a, 888, at(self.current), status="Cancelled", docstatus=2)  # reversed
		stored_claim(self.a, 777, at(self.previous))  # the period before
		rows = self.scorecard_rows()
		self.assertEqual(rows[self.a]["mdf_spent"], 250)
		self.assertAlmostEqual(rows[self.a]["mdf_roi"], 600 / 250)  # A's revenue: 600
		self.assertFalse(rows[self.b].get("mdf_spent"))


class TestChannelPipeline(InsightsCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not frappe.db.exists("Currency Exchange", {"from_currency": "EUR", "to_currency": "USD"}):
			frappe.get_doc(
				{
					"doctype": "Currency Exchange",
					"date": add_days(cls.today, -30),
					"from_currency": "EUR",
					"to_currency": "USD",
					"exchange_rate": 1.1,
					"for_selling": 1,
				}
			).insert()
		cls.eur_rate = frappe.db.get_value(
			"Currency Exchange",
			{"from_currency": "EUR", "to_currency": "USD"},
			"exchange_rate",
			order_by="date desc",
		)
		# A: approved with its opportunity (5000), pending without one (2000)
		approved = dated_registration(
			cls.a, "Approved", at(cls.current), at(cls.current), expected_value=4000
		)
		cls.opportunity = make_opportunity(
			cls.a, 5000, registration=approved.name, expected_closing=add_days(cls.today, 20)
		).name
		frappe.db.set_value("Deal Registration", approved.name, "opportunity", cls.opportunity)
		dated_registration(
			cls.a,
			"Pending Review",
			at(cls.current),
			expected_value=2000,
			expected_close_date=add_days(cls.today, 50),
		)
		# B: pending in EUR (1000 EUR), and an opportunity of its own without a registration (700)
		dated_registration(
			cls.b,
			"Pending Review",
			at(cls.current),
			expected_value=1000,
			currency="EUR",
			expected_close_date=add_days(cls.today, 50),
		)
		make_opportunity(cls.b, 700, expected_closing=add_days(cls.today, 20))
		# closed ones are not pipeline
		dated_registration(cls.b, "Lost", at(cls.current), at(cls.current), expected_value=8000)
		make_opportunity(cls.b, 9000, status="Closed")

	def test_detail_and_groups_in_company_currency(self):
		filters = {"program_tier": self.group, "company": company()}
		detail = run_report("Channel Pipeline", **filters)["result"]
		self.assertEqual(
			len(detail), 4, [(r.get("registration"), r.get("opportunity"), r["value"]) for r in detail]
		)
		values = sorted(round(r["value"], 2) for r in detail)
		self.assertEqual(values, sorted([5000, 2000, round(1000 * self.eur_rate, 2), 700]))
		by_partner = self.rows_by(run_report("Channel Pipeline", **filters, group_by="Partner"), "group")
		self.assertEqual(round(by_partner[self.a]["value"], 2), 7000)
		self.assertEqual(round(by_partner[self.b]["value"], 2), round(1000 * self.eur_rate + 700, 2))
		self.assertEqual((by_partner[self.a]["count"], by_partner[self.a]["registrations"]), (2, 2))
		self.assertEqual((by_partner[self.b]["count"], by_partner[self.b]["registrations"]), (2, 1))
		by_month = self.rows_by(
			run_report("Channel Pipeline", **filters, group_by="Expected Close Month"), "group"
		)
		soon = add_days(self.today, 20).strftime("%Y-%m")
		self.assertEqual(by_month[soon]["count"], sum(1 for r in detail if r["close_month"] == soon))
		stages = self.rows_by(run_report("Channel Pipeline", **filters, group_by="Stage"), "group")
		self.assertEqual(stages["Pending Review"]["count"], 2)

	def test_a_currency_without_a_rate_is_left_out_and_said(self):
		dated_registration(self.c, "Pending Review", at(self.current), expected_value=500, currency="JPY")
		frappe.db.delete("Currency Exchange", {"from_currency": "JPY"})
		frappe.db.delete("Currency Exchange", {"to_currency": "JPY"})
		result = run_report("Channel Pipeline", program_tier=self.group, group_by="Partner")
		self.assertIn("JPY", result["message"])
		self.assertEqual(self.rows_by(result, "group")[self.c]["value"], 0)

	def test_bad_grouping_is_refused(self):
		from prm_app.exceptions import InsightsFilterError

		with self.assertRaises(InsightsFilterError):
			run_report("Channel Pipeline", group_by="`name`; drop table")


class TestDealRegistrationAnalysis(InsightsCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		day = at(cls.current)
		# A: approved after 1 day (with a customer conflict), won after 3, rejected after 5 (with a
		# registration and a lead conflict), expired after 7 with two extension requests, still pending
		cls.approved = dated_registration(
			cls.a, "Approved", day, day + timedelta(days=1), conflict_status="Possible Conflict"
		)
		dated_registration(cls.a, "Won", day, day + timedelta(days=3))
		cls.rejected = dated_registration(
			cls.a, "Rejected", day, day + timedelta(days=5), conflict_status="Conflict"
		)
		cls.expired = dated_registration(cls.a, "Expired", day, day + timedelta(days=7))
		dated_registration(cls.a, "Pending Review", day)
		# B: withdrawn before a decision; a draft never submitted
		dated_registration(cls.b, "Withdrawn", day)
		dated_registration(cls.b, "Draft")
		for parent, source in (
			(cls.approved, "Customer"),
			(cls.rejected, "Deal Registration"),
			(cls.rejected, "Lead"),
		):
			frappe.get_doc(
				{
					"doctype": "Deal Registration Conflict",
					"parent": parent.name,
					"parenttype": "Deal Registration",
					"parentfield": "conflicts",
					"matched_doctype": source,
					"matched_name": "x",
					"score": 90,
				}
			).db_insert()
		for decision in ("Approved", "Rejected"):
			frappe.get_doc(
				{
					"doctype": "Deal Registration Extension",
					"parent": cls.expired.name,
					"parenttype": "Deal Registration",
					"parentfield": "extensions",
					"requested_on": day,
					"days": 30,
					"reason": "x",
					"decision": decision,
				}
			).db_insert()

	def test_by_partner(self):
		rows = self.rows_by(
			run_report("Deal Registration Analysis", **self.filters, group_by="Partner"), "group"
		)
		a, b = rows[self.a], rows[self.b]
		self.assertEqual((a["submitted"], a["approved"], a["rejected"]), (5, 3, 1))
		self.assertEqual(a["approval_rate"], 75.0)
		self.assertEqual(a["decision_days"], 4.0)  # median of 1, 3, 5, 7
		self.assertEqual(a["conflict_rate"], 40.0)  # 2 of 5 under conflict review
		self.assertEqual((a["rate_customer"], a["rate_registration"], a["rate_lead"]), (20.0, 20.0, 20.0))
		self.assertIsNone(a.get("rate_order") or None)
		self.assertEqual((a["status_expired"], a["status_won"], a["status_pending_review"]), (1, 1, 1))
		self.assertEqual((a["extensions_requested"], a["extensions_approved"]), (2, 1))
		self.assertEqual(
			(b["submitted"], b["status_withdrawn"], b["drafts"], b["approval_rate"]), (1, 1, 1, None)
		)

	def test_overall_and_chart(self):
		result = run_report("Deal Registration Analysis", **self.filters)
		(row,) = result["result"]
		self.assertEqual((row["submitted"], row["drafts"]), (6, 1))
		month = getdate(self.current).strftime("%Y-%m")
		self.assertEqual(result["chart"]["data"]["labels"], [month])
		counts = {d["name"]: d["values"][0] for d in result["chart"]["data"]["datasets"]}
		self.assertEqual(sum(counts.values()), 6)
		self.assertEqual(counts["Withdrawn"], 1)
		summary = {s["label"]: s["value"] for s in result["report_summary"]}
		self.assertEqual((summary["Submitted"], summary["Won"], summary["Expired"]), (6, 1, 1))
