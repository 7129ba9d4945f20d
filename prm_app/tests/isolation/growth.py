"""The isolation matrix's entries for recruitment, the agreement, lead distribution, business plans
and the asset library (see ``prm_app.tests.isolation``).

Partners hold no permission on applications, acceptances, lead offers, the lead history or
download records (``DESK_INVISIBLE``): the portal reads them server-side. Business plans are read
and written through their permissions (Partner Admin), scoped by the hooks.
"""

from urllib.parse import quote

import frappe
from frappe.utils import random_string

from prm_app.agreements import record_acceptance
from prm_app.tests.utils import current_fiscal_year, make_application, make_asset, make_lead_offer, make_plan

# what the factories made besides the partner-owned records, deleted by ``cleanup``
MADE: list[tuple[str, str]] = []


def _application(partner):
	doc = make_application(company_name=f"Isolated Applicant {random_string(6)}")
	doc.db_set("partner", partner.name)
	return "Partner Application", doc.name


def _acceptance(partner):
	# a draft version: accepted by the factory, never in force (it must not gate the whole matrix)
	agreement = frappe.get_doc(
		{
			"doctype": "Partner Agreement",
			"version": f"iso-{random_string(8)}",
			"terms": "<p>Isolation terms</p>",
			"status": "Draft",
		}
	).insert()
	MADE.append(("Partner Agreement", agreement.name))
	user = frappe.get_all("Partner User", filters={"parent": partner.name}, pluck="user")[0]
	return "Partner Agreement Acceptance", record_acceptance(agreement.name, user=user, partner=partner.name)


def _lead_offer(partner):
	offer = make_lead_offer(partner.name, lead=_lead(partner))
	return "Lead Offer", offer.name


def _lead(partner) -> str:
	lead = frappe.get_doc(
		{
			"doctype": "Lead",
			"lead_name": f"Isolated Person {random_string(6)}",
			"company_name": f"Isolated Lead Co {random_string(6)}",
			"email_id": f"{random_string(8).lower()}@isolated-lead.example.com",
		}
	).insert(ignore_permissions=True)
	MADE.append(("Lead", lead.name))
	return lead.name


def _lead_history(partner):
	offer = make_lead_offer(partner.name, lead=_lead(partner))
	log = frappe.db.get_value("Lead Assignment Log", {"lead_offer": offer.name}, "name")
	return "Lead Assignment Log", log


def _plan(partner):
	return "Partner Business Plan", make_plan(partner.name, current_fiscal_year()).name


def _download(partner):
	asset = make_asset(title=f"Isolated Asset {random_string(6)}")
	MADE.append(("Partner Asset", asset.name))
	doc = frappe.get_doc(
		{
			"doctype": "Partner Asset Download",
			"asset": asset.name,
			"partner": partner.name,
			"user": "Administrator",
			"downloaded_on": frappe.utils.now_datetime(),
		}
	).insert(ignore_permissions=True)
	return "Partner Asset Download", doc.name


FACTORIES = {
	"Partner Application": _application,
	"Partner Agreement Acceptance": _acceptance,
	"Lead Offer": _lead_offer,
	"Lead Assignment Log": _lead_history,
	"Partner Business Plan": _plan,
	"Partner Asset Download": _download,
}
DESK_INVISIBLE = frozenset(
	{
		"Partner Application",
		"Partner Agreement Acceptance",
		"Lead Offer",
		"Lead Assignment Log",
		"Partner Asset Download",
	}
)
LABELS = {"Partner Application": "company_name", "Lead Offer": "lead_title", "Partner Business Plan": "title"}


def cleanup():
	"""The Leads behind the offers (with whatever history is left), the agreement versions, the assets."""
	for doctype, name in reversed(MADE):
		if doctype == "Lead":
			for offer in frappe.get_all("Lead Offer", filters={"lead": name}, pluck="name"):
				frappe.db.delete("Lead Assignment Log", {"lead_offer": offer})
				frappe.delete_doc("Lead Offer", offer, force=True, ignore_permissions=True)
			frappe.db.delete("Lead Assignment Log", {"lead": name})
		if doctype == "Partner Agreement":
			frappe.db.delete("Partner Agreement Acceptance", {"agreement": name})
			frappe.db.delete("Partner Agreement", {"name": name})  # its controller keeps published ones
			continue
		if doctype == "Partner Asset":
			frappe.db.delete("Partner Asset Download", {"asset": name})
		if frappe.db.exists(doctype, name):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
	MADE.clear()


CLEANUPS = [cleanup]


# -- the portal, by name: doctype -> probe(test, browser, own, other)


def _unchanged(doctype, name):
	return frappe.as_json(frappe.db.get_value(doctype, name, "*", as_dict=True))


def _probe_lead_offer(test, browser, own, other):
	title = frappe.db.get_value("Lead Offer", other, "lead_title")
	email = frappe.db.get_value("Lead", frappe.db.get_value("Lead Offer", other, "lead"), "email_id")
	test.assertEqual(browser.get(f"/partner/leads/{quote(own)}").status_code, 200)
	before = _unchanged("Lead Offer", other)
	for path in (f"/partner/leads/{quote(other)}", f"/partner/leads/{quote(other)}/convert"):
		page = browser.get(path)
		test.assertEqual(page.status_code, 403, path)
		test.assertNotIn(title, page.text, path)
		test.assertNotIn(email, page.text, path)
	for form in (
		{"action": "accept"},
		{"action": "decline", "reason": "mine now"},
		{"action": "progress", "progress": "Lost", "note": "mine now"},
	):
		test.assertEqual(browser.submit(f"/partner/leads/{quote(other)}", form).status_code, 403, form)
	test.assertEqual(
		browser.submit(
			f"/partner/leads/{quote(other)}/convert", {"action": "convert", "company_name": "x"}
		).status_code,
		403,
	)
	for method, args in (
		("get_lead", {"name": other}),
		("get_conversion", {"name": other}),
		("accept_lead", {"name": other}),
		("decline_lead", {"name": other, "reason": "mine now"}),
		("update_lead", {"name": other, "progress": "Lost", "note": "mine now"}),
		("convert_lead", {"name": other, "data": {"company_name": "mine now"}}),
	):
		response = browser.call(f"prm_app.api.leads.{method}", **args)
		test.assertEqual(response.status_code, 403, method)
		test.assertNotIn(title, response.text, method)
		test.assertNotIn(email, response.text, method)
	test.assertEqual(_unchanged("Lead Offer", other), before)
	listing = browser.get("/partner/leads")
	test.assertNotIn(title, listing.text)
	rows = browser.call("prm_app.api.leads.get_leads", "GET").json()["message"]["rows"]
	test.assertEqual({row["name"] for row in rows} & {other}, set())
	# the Lead itself: no path at all, not even to the own offer's lead
	for offer in (own, other):
		lead = frappe.db.get_value("Lead Offer", offer, "lead")
		test.assertEqual(browser.request("GET", f"/api/resource/Lead/{quote(lead)}").status_code, 403)


def _probe_lead_history(test, browser, own, other):
	lead = frappe.db.get_value("Lead Assignment Log", other, "lead")
	title = frappe.db.get_value(
		"Lead Offer", frappe.db.get_value("Lead Assignment Log", other, "lead_offer"), "lead_title"
	)
	page = browser.get("/partner/leads")
	test.assertEqual(page.status_code, 200)
	test.assertNotIn(lead, page.text)
	test.assertNotIn(title, page.text)
	test.assertEqual(
		browser.request("GET", f"/api/resource/Lead Assignment Log/{quote(other)}").status_code, 403
	)


def _probe_plan(test, browser, own, other):
	other_partner = frappe.db.get_value("Partner Business Plan", other, "partner")
	page = browser.get("/partner/plan")
	test.assertEqual(page.status_code, 200)
	test.assertIn(own, page.text)
	test.assertNotIn(other, page.text)
	test.assertNotIn(other_partner, page.text)
	for year in (frappe.db.get_value("Partner Business Plan", other, "fiscal_year"), other):
		data = browser.call("prm_app.api.plans.get_plan", "GET", fiscal_year=year).json()["message"]
		test.assertNotEqual((data.get("plan") or {}).get("name"), other)
	before = _unchanged("Partner Business Plan", other)
	for form in (
		{"action": "update", "plan": other, "objectives": "mine now"},
		{"action": "workflow", "plan": other, "workflow_action": "Submit for Review"},
		{"action": "progress", "plan": other, "risks": "mine now"},
		{"action": "note", "plan": other, "quarter": "Q1", "note": "mine now"},
	):
		test.assertEqual(browser.submit("/partner/plan", form).status_code, 403, form)
	for method, args in (
		("update_plan", {"name": other, "data": {"objectives": "mine now"}}),
		("plan_action", {"name": other, "action": "Submit for Review"}),
		("update_progress", {"name": other, "risks": "mine now"}),
		("add_review_note", {"name": other, "quarter": "Q1", "note": "mine now"}),
	):
		response = browser.call(f"prm_app.api.plans.{method}", **args)
		test.assertEqual(response.status_code, 403, method)
	test.assertEqual(_unchanged("Partner Business Plan", other), before)
	test.assertEqual(frappe.db.count("Partner Business Plan Review", {"parent": other}), 0)


def _probe_application(test, browser, own, other):
	before = _unchanged("Partner Application", other)
	company = frappe.db.get_value("Partner Application", other, "company_name")
	page = browser.get("/partner/apply")
	test.assertEqual(page.status_code, 200)
	test.assertNotIn(company, page.text)
	test.assertEqual(_unchanged("Partner Application", other), before)


def _probe_acceptance(test, browser, own, other):
	before = _unchanged("Partner Agreement Acceptance", other)
	page = browser.get("/partner/agreement")
	test.assertEqual(page.status_code, 200)
	test.assertNotIn(other, page.text)
	data = browser.call("prm_app.api.agreement.get_agreement", "GET").json()["message"]
	test.assertNotIn(other, frappe.as_json(data))
	test.assertEqual(_unchanged("Partner Agreement Acceptance", other), before)


def _probe_download(test, browser, own, other):
	asset = frappe.db.get_value("Partner Asset Download", other, "asset")
	other_partner = frappe.db.get_value("Partner Asset Download", other, "partner")
	theirs = frappe.db.count("Partner Asset Download", {"partner": other_partner})
	page = browser.get("/partner/assets")
	test.assertEqual(page.status_code, 200)
	test.assertNotIn(other_partner, page.text)
	# a download by A is A's, whatever the request says
	response = browser.call("prm_app.api.assets.download_asset", name=asset, partner=other_partner)
	test.assertEqual(response.status_code, 200, response.text[:300])
	test.assertEqual(frappe.db.count("Partner Asset Download", {"partner": other_partner}), theirs)


PROBES = {
	"Partner Application": _probe_application,
	"Partner Agreement Acceptance": _probe_acceptance,
	"Lead Offer": _probe_lead_offer,
	"Lead Assignment Log": _probe_lead_history,
	"Partner Business Plan": _probe_plan,
	"Partner Asset Download": _probe_download,
}
