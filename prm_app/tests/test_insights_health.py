"""The daily health check (engagement score, at-risk rules, the flag and reasons on the Partner)
and the weekly digest to partner managers."""

import email
from datetime import datetime, timedelta

import frappe
from frappe.utils import add_days, getdate, now_datetime

from prm_app.constants import EVENT_REGISTRATION_SUBMITTED, EVENT_SIGN_IN
from prm_app.engagement import record
from prm_app.insights import health
from prm_app.tests.utils import (
	TEST_IGNORE,
	PRMTestCase,
	make_active_partner,
	make_invoice,
	make_partner,
	make_user,
	set_settings,
)

test_ignore = TEST_IGNORE

RULES = {
	"engagement_window_days": 30,
	"engagement_full_score_points": 20,
	"at_risk_inactive_days": 30,
	"at_risk_revenue_drop_percent": 30,
	"at_risk_revenue_period_days": 90,
	"at_risk_onboarding_days": 60,
	"send_at_risk_digest": 1,
	"at_risk_digest_template": "PRM At-Risk Partners",
	"at_risk_digest_fallback": None,
}


def ago(days, hour=10):
	return datetime.combine(getdate(add_days(getdate(), -days)), datetime.min.time()) + timedelta(hours=hour)


def flags(partner):
	return frappe.db.get_value(
		"Partner",
		partner,
		["at_risk", "at_risk_reasons", "engagement_score", "last_engaged_on", "health_checked_on"],
		as_dict=True,
	)


class HealthCase(PRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.manager = make_user(website_user=False, roles=("Partner Manager",)).name
		cls.other_manager = make_user(website_user=False, roles=("Partner Manager",)).name
		joined = add_days(getdate(), -400)
		# engaged: 3 sign-ins and a submission in the window (3 + 5 = 8 points of 20: 40)
		cls.engaged = make_active_partner(partner_manager=cls.manager).name
		for days in (1, 5, 12):
			record(cls.engaged, EVENT_SIGN_IN, timestamp=ago(days))
		record(cls.engaged, EVENT_REGISTRATION_SUBMITTED, timestamp=ago(2))
		record(cls.engaged, EVENT_SIGN_IN, timestamp=ago(45))  # outside the window
		# quiet: last seen 40 days ago
		cls.quiet = make_active_partner(partner_manager=cls.manager).name
		record(cls.quiet, EVENT_SIGN_IN, timestamp=ago(40))
		# falling: engaged, but revenue 1000 -> 500 over the last 90 days against the 90 before
		cls.falling = make_active_partner(partner_manager=cls.other_manager).name
		record(cls.falling, EVENT_SIGN_IN, timestamp=ago(3))
		make_invoice(cls.falling, cls.item, 1000, posting_date=add_days(getdate(), -120))
		make_invoice(cls.falling, cls.item, 500, posting_date=add_days(getdate(), -20))
		# new: active 10 days, never engaged: not yet at risk
		cls.new = make_active_partner().name
		# stalled and on-time onboarding; an unassigned quiet partner
		cls.stalled = make_partner(status="Onboarding").name
		cls.onboarding = make_partner(status="Onboarding").name
		cls.unassigned = make_active_partner().name
		frappe.db.set_value("Partner", cls.stalled, "onboarding_started_on", add_days(getdate(), -70))
		for partner in (cls.engaged, cls.quiet, cls.falling, cls.unassigned):
			frappe.db.set_value("Partner", partner, "joined_on", joined)
		frappe.db.set_value("Partner", cls.new, "joined_on", add_days(getdate(), -10))

	def setUp(self):
		super().setUp()
		frappe.db.savepoint("prm_health_test")
		set_settings(**RULES)

	def tearDown(self):
		frappe.db.rollback(save_point="prm_health_test")
		frappe.clear_cache(doctype="PRM Settings")
		super().tearDown()


class TestHealthCheck(HealthCase):
	def test_scores_flags_and_reasons(self):
		modified = frappe.db.get_value("Partner", self.quiet, "modified")
		versions = frappe.db.count("Version", {"ref_doctype": "Partner"})
		counts = health.refresh(commit=False)
		self.assertGreaterEqual(counts["partners"], 7)
		engaged = flags(self.engaged)
		self.assertEqual((engaged.at_risk, engaged.engagement_score), (0, 40))
		self.assertEqual(getdate(engaged.last_engaged_on), getdate(ago(1)))
		self.assertTrue(engaged.health_checked_on)
		quiet = flags(self.quiet)
		self.assertEqual((quiet.at_risk, quiet.engagement_score), (1, 0))
		self.assertEqual(quiet.at_risk_reasons, "No engagement for 40 days")
		falling = flags(self.falling)
		self.assertEqual(falling.at_risk, 1)
		self.assertIn("Revenue fell 50%", falling.at_risk_reasons)
		self.assertIn("1,000", falling.at_risk_reasons)
		self.assertIn("500", falling.at_risk_reasons)
		self.assertEqual(flags(self.new).at_risk, 0)
		self.assertEqual(flags(self.stalled).at_risk_reasons, "In onboarding for 70 days")
		self.assertEqual(flags(self.onboarding).at_risk, 0)
		# written in bulk: no Version, no new modified
		self.assertEqual(frappe.db.get_value("Partner", self.quiet, "modified"), modified)
		self.assertEqual(frappe.db.count("Version", {"ref_doctype": "Partner"}), versions)

	def test_thresholds_are_settings_and_0_switches_a_rule_off(self):
		set_settings(at_risk_inactive_days=50, at_risk_revenue_drop_percent=0, at_risk_onboarding_days=80)
		health.refresh(commit=False)
		for partner in (self.quiet, self.falling, self.stalled):
			self.assertEqual(flags(partner).at_risk, 0, partner)
		set_settings(at_risk_inactive_days=40, at_risk_revenue_drop_percent=51)
		health.refresh(commit=False)
		self.assertEqual(flags(self.quiet).at_risk, 1)  # 40 days is 40 days
		self.assertEqual(flags(self.falling).at_risk, 0)  # fell 50%, not 51%

	def test_a_flag_clears_when_the_partner_engages_again(self):
		health.refresh(commit=False)
		self.assertEqual(flags(self.quiet).at_risk, 1)
		record(self.quiet, EVENT_SIGN_IN)
		health.refresh(commit=False)
		self.assertEqual((flags(self.quiet).at_risk, flags(self.quiet).at_risk_reasons), (0, None))

	def test_the_partner_form_shows_the_flag_to_the_channel_team_only(self):
		health.refresh(commit=False)
		frappe.set_user(self.manager)
		doc = frappe.get_doc("Partner", self.quiet)
		self.assertTrue(doc.has_permlevel_access_to("at_risk_reasons"))
		frappe.set_user(self.user_a)
		own = frappe.get_doc("Partner", self.partner_a.name)
		self.assertFalse(own.has_permlevel_access_to("at_risk"))
		self.assertFalse(own.has_permlevel_access_to("engagement_score"))

	def test_the_scheduler_runs_both_jobs(self):
		from prm_app import hooks

		self.assertIn("prm_app.insights.health.refresh", hooks.scheduler_events["daily_long"])
		self.assertIn("prm_app.insights.health.send_digest", hooks.scheduler_events["weekly_long"])


class TestDigest(HealthCase):
	def queued(self, since):
		"""{recipient: decoded HTML} of the mails queued since ``since``."""
		mails = {}
		for queue in frappe.get_all(
			"Email Queue", filters={"creation": (">=", since)}, fields=["name", "message"]
		):
			body = ""
			for part in email.message_from_string(queue.message).walk():
				if part.get_content_type() == "text/html":
					body += part.get_payload(decode=True).decode()
			for recipient in frappe.get_all(
				"Email Queue Recipient", filters={"parent": queue.name}, pluck="recipient"
			):
				mails[recipient] = body
		return mails

	def test_each_manager_gets_their_at_risk_partners_with_the_reasons(self):
		fallback = make_user(website_user=False, roles=("Partner Manager",)).name
		set_settings(at_risk_digest_fallback=fallback)
		health.refresh(commit=False)
		since = now_datetime() - timedelta(seconds=1)
		self.assertGreaterEqual(health.send_digest(), 3)
		mails = self.queued(since)
		names = {
			p: frappe.db.get_value("Partner", p, "partner_name")
			for p in (self.quiet, self.falling, self.engaged, self.stalled, self.unassigned)
		}
		mine = mails[self.manager]
		self.assertIn(names[self.quiet], mine)
		self.assertIn("No engagement for 40 days", mine)
		self.assertNotIn(names[self.engaged], mine)
		self.assertNotIn(names[self.falling], mine)
		theirs = mails[self.other_manager]
		self.assertIn(names[self.falling], theirs)
		self.assertIn("Revenue fell 50%", theirs)
		self.assertNotIn(names[self.quiet], theirs)
		# partners without a manager go to the fallback recipient
		self.assertIn(names[self.stalled], mails[fallback])
		self.assertIn(names[self.unassigned], mails[fallback])

	def test_the_admin_edits_the_template_and_can_switch_the_digest_off(self):
		health.refresh(commit=False)
		template = frappe.get_doc("Email Template", "PRM At-Risk Partners")
		template.subject = "Watch list: {{ count }}"
		template.response_html = "<p>{% for p in partners %}[{{ p.partner_name }}]{% endfor %}</p>"
		template.save()
		since = now_datetime() - timedelta(seconds=1)
		health.send_digest()
		subject = frappe.db.get_value(
			"Email Queue",
			{"creation": (">=", since), "message": ("like", "%Watch list%")},
			"name",
		)
		self.assertTrue(subject)
		self.assertIn("[", self.queued(since)[self.manager])
		set_settings(send_at_risk_digest=0)
		self.assertEqual(health.send_digest(), 0)
		set_settings(send_at_risk_digest=1, at_risk_digest_template=None)
		self.assertEqual(health.send_digest(), 0)  # logged for the admin, never a crash

	def test_nobody_is_written_to_without_at_risk_partners(self):
		set_settings(at_risk_inactive_days=0, at_risk_revenue_drop_percent=0, at_risk_onboarding_days=0)
		health.refresh(commit=False)
		self.assertEqual(health.send_digest(), 0)
