"""The isolation matrix's entries for the insights: Partner Engagement Event (partners never read
it, not even their own), and the insight pages and endpoints a partner might try: its own
scorecard only, never a report, a chart or a number card of the channel team's."""

import json
from urllib.parse import quote

import frappe

from prm_app.constants import EVENT_SIGN_IN

REPORTS = ("Partner Scorecard", "Partner Pareto", "Channel Pipeline", "Deal Registration Analysis")
CHART_SOURCE = "prm_app.prm_app.dashboard_chart_source.prm_revenue_by_tier.prm_revenue_by_tier.get"


def _engagement_event(partner):
	from prm_app.engagement import record

	return "Partner Engagement Event", record(partner.name, EVENT_SIGN_IN)


def _sales_month(partner):
	from frappe.utils import get_first_day, today

	from prm_app.insights import sales

	company = frappe.db.get_value("Company", {}, "name")
	month = get_first_day(today())
	doc = frappe.get_doc(
		{
			"doctype": "Partner Sales Month",
			"partner": partner.name,
			"company": company,
			"month": month,
			"revenue": 4242,
			"invoices": 1,
		}
	)
	doc.name = sales.key(company, partner.name, month)
	doc.db_insert()
	return "Partner Sales Month", doc.name


FACTORIES = {"Partner Engagement Event": _engagement_event, "Partner Sales Month": _sales_month}
DESK_INVISIBLE = frozenset({"Partner Engagement Event", "Partner Sales Month"})


def refused(test, response, what, secret):
	test.assertEqual(response.status_code, 403, f"{what}: {response.text[:300]}")
	test.assertFalse(secret in response.text, what)


def _probe_insights(test, browser, own, other):
	own_partner = frappe.db.get_value("Partner Engagement Event", own, "partner")
	other_partner = frappe.db.get_value("Partner Engagement Event", other, "partner")
	# the portal shows the caller's own scorecard, whatever the request names
	for path in ("/partner/scorecard", f"/partner/scorecard?partner={quote(other_partner)}"):
		page = browser.get(path)
		test.assertEqual(page.status_code, 200, path)
		test.assertFalse(other_partner in page.text, path)
	mine = browser.call("prm_app.api.scorecard.get_scorecard", "GET", partner=other_partner)
	test.assertEqual(mine.status_code, 200)
	test.assertFalse(other_partner in mine.text)
	# the channel team's reports, charts and cards: refused on every path
	for report in REPORTS:
		args = {"report_name": report, "filters": json.dumps({"partner": other_partner})}
		refused(test, browser.call("frappe.desk.query_report.run", **args), report, other_partner)
		refused(
			test,
			browser.request("POST", "/api/v2/method/frappe.desk.query_report.run", json=args),
			f"v2 {report}",
			other_partner,
		)
		refused(
			test,
			browser.call("frappe.desk.query_report.export_query", report_name=report, file_format_type="CSV"),
			f"export {report}",
			other_partner,
		)
	refused(test, browser.call(CHART_SOURCE, "GET"), "chart source", other_partner)
	refused(
		test,
		browser.call("frappe.desk.doctype.dashboard_chart.dashboard_chart.get", chart_name="Partner Pareto"),
		"dashboard chart",
		other_partner,
	)
	refused(
		test,
		browser.call(
			"frappe.desk.doctype.number_card.number_card.get_result",
			doc=json.dumps({"name": "At-Risk Partners"}),
			filters="[]",
		),
		"number card",
		other_partner,
	)
	# the health fields of the partner's own record never reach it, nor can it sort or filter on them
	frappe.db.set_value(
		"Partner",
		own_partner,
		{"at_risk": 1, "at_risk_reasons": "internal: quiet for weeks", "engagement_score": 77},
	)
	frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only
	record = browser.request("GET", f"/api/resource/Partner/{quote(own_partner)}")
	test.assertEqual(record.status_code, 200)
	data = record.json()["data"]
	# Frappe blanks fields the user may not read (a Check or Int shows 0): never the real values
	test.assertIn(data.get("at_risk"), (None, 0))
	test.assertIn(data.get("engagement_score"), (None, 0))
	for field in ("at_risk_reasons", "last_engaged_on", "onboarding_started_on", "health_checked_on"):
		test.assertIsNone(data.get(field), field)
	for params in (
		{"fields": json.dumps(["name", "at_risk_reasons", "engagement_score"])},
		{"filters": json.dumps([["Partner", "at_risk", "=", 1]])},
		{"order_by": "engagement_score desc"},
	):
		listing = browser.request("GET", "/api/resource/Partner", params=params)
		test.assertNotIn("internal: quiet", listing.text, params)
		rows = (listing.json().get("data") or []) if listing.status_code == 200 else []
		test.assertFalse([row for row in rows if row.get("engagement_score") == 77], params)
		if "fields" not in params:
			test.assertGreaterEqual(listing.status_code, 400, params)
	for path in ("/partner", "/partner/profile", "/partner/scorecard"):
		test.assertNotIn("internal: quiet", browser.get(path).text, path)


def _probe_sales_month(test, browser, own, other):
	"""No portal path reads the monthly sums: the partner's own scorecard shows its own revenue."""
	other_partner = frappe.db.get_value("Partner Sales Month", other, "partner")
	mine = browser.call("prm_app.api.scorecard.get_scorecard", "GET", partner=other_partner)
	test.assertEqual(mine.status_code, 200)
	test.assertFalse(other_partner in mine.text)


PROBES = {"Partner Engagement Event": _probe_insights, "Partner Sales Month": _probe_sales_month}
