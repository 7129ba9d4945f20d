"""The insights over real HTTP: a sign-in is engagement, the partner's own scorecard on the
portal, the reports for the channel team only."""

import json

import frappe
from frappe.utils.password import update_password

from prm_app.constants import EVENT_SIGN_IN
from prm_app.insights import scorecard
from prm_app.tests.isolation.insights import CHART_SOURCE, REPORTS
from prm_app.tests.test_portal import PASSWORD, PortalTestCase
from prm_app.tests.utils import make_user

test_ignore = ["User", "Item", "Country", "Currency", "Territory", "Customer", "Sales Partner"]


class TestInsightsOnThePortal(PortalTestCase):
	def setUp(self):
		scorecard.clear_cache()

	def test_a_partner_users_sign_in_is_recorded(self):
		before = frappe.db.count(
			"Partner Engagement Event", {"partner": self.partner_b, "event_type": EVENT_SIGN_IN}
		)
		self.server.browser().login(self.admin_b, PASSWORD)
		events = frappe.get_all(
			"Partner Engagement Event",
			filters={"partner": self.partner_b, "event_type": EVENT_SIGN_IN},
			fields=["user"],
			order_by="timestamp desc",
		)
		self.assertEqual(len(events), before + 1)
		self.assertEqual(events[0].user, self.admin_b)

	def test_the_scorecard_page_and_the_dashboard(self):
		browser = self.browser(self.user_a)
		page = browser.get("/partner/scorecard")
		self.assertEqual(page.status_code, 200)
		self.assertIn('data-score="', page.text)
		self.assertIn('data-measure="revenue"', page.text)
		self.assertIn('data-measure="registrations_won"', page.text)
		self.assertNotIn(self.partner_b, page.text)
		self.assertNotIn('data-measure="at_risk"', page.text)
		dashboard = browser.get("/partner")
		self.assertIn('href="/partner/scorecard"', dashboard.text)
		self.assertIn('href="/partner/scorecard"', browser.get("/partner/deals").text)  # the menu
		data = browser.call("prm_app.api.scorecard.get_scorecard", "GET").json()["message"]
		self.assertEqual(
			{m["measure"] for m in data["measures"]} & {"revenue", "win_rate", "engagement_score"},
			{"revenue", "win_rate", "engagement_score"},
		)
		self.assertNotIn("rank", data)
		self.assertEqual(self.server.browser().get("/partner/scorecard").status_code, 302)  # guests sign in

	def test_reports_are_the_channel_teams(self):
		partner = self.browser(self.admin_a)
		for report in REPORTS:
			for response in (
				partner.call("frappe.desk.query_report.run", report_name=report, filters="{}"),
				partner.request(
					"POST",
					"/api/v2/method/frappe.desk.query_report.run",
					json={"report_name": report, "filters": {}},
				),
			):
				self.assertEqual(response.status_code, 403, f"{report}: {response.text[:300]}")
				self.assertNotIn(self.partner_b, response.text)
		self.assertEqual(partner.call(CHART_SOURCE, "GET").status_code, 403)
		# each report's own permission refuses partner roles too, whatever the desk boundary does
		frappe.set_user(self.admin_a)
		try:
			for report in REPORTS:
				self.assertFalse(frappe.get_doc("Report", report).is_permitted(), report)
				self.assertFalse(frappe.has_permission("Partner", "report"), report)
		finally:
			frappe.set_user("Administrator")
		# the channel team runs them
		manager = make_user(website_user=False, roles=("Partner Manager",)).name
		self.extra_users.append(manager)
		update_password(manager, PASSWORD)
		frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only
		staff = self.server.browser(manager, PASSWORD)
		response = staff.call(
			"frappe.desk.query_report.run",
			report_name="Partner Scorecard",
			filters=json.dumps({"status": "Active"}),
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		listed = {row.get("partner") for row in response.json()["message"]["result"] if isinstance(row, dict)}
		self.assertLessEqual({self.partner_a, self.partner_b}, listed)
		chart = staff.call(CHART_SOURCE, "GET", filters=json.dumps({}))
		self.assertEqual(chart.status_code, 200, chart.text[:300])
		self.assertIn("labels", chart.json()["message"])
