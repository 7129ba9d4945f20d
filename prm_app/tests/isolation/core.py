"""The isolation matrix's entries for the core doctypes: Partner, Deal Registration, Partner
Invitation (see ``prm_app.tests.isolation``)."""

from urllib.parse import quote

import frappe
from frappe.utils import random_string

from prm_app.tests.utils import make_registration


def _partner_record(partner):
	return "Partner", partner.name


def _deal_registration(partner):
	company = f"Isolated Customer {random_string(8)}"
	return "Deal Registration", make_registration(partner.name, company, expected_value=4242).name


def _partner_invitation(partner):
	doc = frappe.get_doc(
		{
			"doctype": "Partner Invitation",
			"partner": partner.name,
			"email": f"{random_string(8).lower()}@isolation-invite.example.com",
			"first_name": "Invited",
			"status": "Needs Review",
		}
	).insert(ignore_permissions=True)
	return "Partner Invitation", doc.name


# doctype -> function(partner) -> (doctype, name) of a record owned by that partner
FACTORIES = {
	"Partner": _partner_record,
	"Deal Registration": _deal_registration,
	"Partner Invitation": _partner_invitation,
}
# Partner-owned doctypes partners never read through the desk's paths, not even their own
# records (the portal shows what they need): every path must refuse both records.
DESK_INVISIBLE = frozenset({"Partner Invitation"})


# doctype -> the field whose text a page showing the record would contain (default: its name)
LABELS = {"Deal Registration": "company_name", "Partner Invitation": "email"}


def label_of(doctype: str, name: str) -> str:
	from prm_app.tests.isolation import LABELS as ALL_LABELS

	field = ALL_LABELS.get(doctype)
	return frappe.db.get_value(doctype, name, field) if field else name


# -- the portal, by name: doctype -> probe(test, browser, own, other) checking every portal path


def _probe_deal_registration(test, browser, own, other):
	other_company = label_of("Deal Registration", other)
	own_page = browser.get(f"/partner/deals/{quote(own)}")
	test.assertEqual(own_page.status_code, 200)
	page = browser.get(f"/partner/deals/{quote(other)}")
	test.assertEqual(page.status_code, 403)
	test.assertFalse(other_company in page.text)
	before = frappe.db.get_value("Deal Registration", other, ["status", "modified"])
	for form in (
		{"action": "workflow", "workflow_action": "Withdraw"},
		{"action": "workflow", "workflow_action": "Submit for Review"},
		{"action": "extension", "days": "30", "reason": "mine now"},
	):
		response = browser.submit(f"/partner/deals/{quote(other)}", form)
		test.assertEqual(response.status_code, 403, form)
	for method, args in (
		("get_registration", {"name": other}),
		("apply_action", {"name": other, "action": "Withdraw"}),
		("update_registration", {"name": other, "data": {"company_name": "mine now"}}),
		("request_extension", {"name": other, "days": 30, "reason": "mine now"}),
	):
		response = browser.call(f"prm_app.api.deals.{method}", **args)
		test.assertEqual(response.status_code, 403, method)
		test.assertFalse(other_company in response.text, method)
	test.assertEqual(frappe.db.get_value("Deal Registration", other, ["status", "modified"]), before)
	listing = browser.get(f"/partner/deals?q={quote(other_company)}")
	test.assertFalse(other in listing.text)
	found = browser.call("prm_app.api.deals.get_registrations", "GET", search=other_company)
	test.assertEqual(found.json()["message"]["rows"], [])


def _probe_partner(test, browser, own, other):
	for path in (
		"/partner",
		f"/partner?partner={quote(other)}",
		f"/partner/profile?name={quote(other)}",
		f"/partner/profile?partner={quote(other)}",
		f"/partner/deals?partner={quote(other)}",
		f"/partner/team?partner={quote(other)}",
	):
		page = browser.get(path)
		test.assertEqual(page.status_code, 200, path)
		test.assertFalse(other in page.text, path)
		if "/deals" not in path and "/team" not in path:
			test.assertTrue(own in page.text, path)
	team = browser.get("/partner/team")
	other_users = frappe.get_all("Partner User", filters={"parent": other}, pluck="user")
	for user in other_users:
		test.assertFalse(user in team.text, user)
	profile = browser.call("prm_app.api.profile.get_profile", "GET", name=other).json()["message"]
	test.assertEqual(profile["name"], own)
	before = frappe.db.get_value("Partner", other, ["website", "description", "modified"])
	for method, args in (
		("set_member_role", {"user": other_users[0], "role": "Partner User"}),
		("deactivate_member", {"user": other_users[0]}),
	):
		test.assertEqual(browser.call(f"prm_app.api.team.{method}", **args).status_code, 403, method)
	# the profile a caller edits is always its own partner's, whatever the request names
	response = browser.call("prm_app.api.profile.update_profile", name=other, website="a-own.example.com")
	test.assertEqual(response.status_code, 200)
	test.assertEqual(frappe.db.get_value("Partner", own, "website"), "https://a-own.example.com")
	test.assertEqual(frappe.db.get_value("Partner", other, ["website", "description", "modified"]), before)
	test.assertEqual(frappe.db.get_value("User", other_users[0], "enabled"), 1)


def _probe_partner_invitation(test, browser, own, other):
	own_email, other_email = label_of("Partner Invitation", own), label_of("Partner Invitation", other)
	team = browser.get("/partner/team")
	test.assertEqual(team.status_code, 200)
	test.assertIn(own_email, team.text)
	test.assertNotIn(other_email, team.text)
	listed = browser.call("prm_app.api.team.get_team", "GET").json()["message"]
	test.assertIn(own_email, {row["user"] for row in listed})
	test.assertNotIn(other_email, {row["user"] for row in listed})
	# inviting the address B invited creates A's own invitation; B's stays as it was
	before = frappe.db.get_value("Partner Invitation", other, ["status", "modified"])
	browser.call("prm_app.api.team.invite_member", email=other_email, first_name="Mine")
	test.assertEqual(frappe.db.get_value("Partner Invitation", other, ["status", "modified"]), before)


PROBES = {
	"Partner": _probe_partner,
	"Deal Registration": _probe_deal_registration,
	"Partner Invitation": _probe_partner_invitation,
}
