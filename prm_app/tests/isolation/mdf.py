"""The isolation matrix's entries for MDF and incentives: MDF Budget, MDF Request, MDF Claim, Rebate
Accrual and Rebate Settlement (see ``prm_app.tests.isolation``). Budgets, accruals and settlements
are read by partners only through the portal's sums (``DESK_INVISIBLE``)."""

from urllib.parse import quote

import frappe
from frappe.utils import add_days, random_string, today

from prm_app.tests.utils import (
	PDF_PROOF,
	ensure_fiscal_year,
	make_mdf_budget,
	make_mdf_claim,
	make_mdf_request,
)


def _budget_of(partner) -> str:
	existing = frappe.db.get_value("MDF Budget", {"partner": partner.name}, "name")
	if existing:
		return existing
	ensure_fiscal_year(today())
	return make_mdf_budget(partner.name, 5000).name


def _mdf_budget(partner):
	return "MDF Budget", _budget_of(partner)


def _approved_request(partner) -> str:
	"""An approved request, set so directly (no Campaign made for it)."""
	existing = frappe.db.get_value("MDF Request", {"partner": partner.name, "status": "Approved"}, "name")
	if existing:
		return existing
	doc = make_mdf_request(
		partner.name, _budget_of(partner), 1000, 4000, title=f"Approved {random_string(6)}"
	)
	frappe.db.set_value(
		"MDF Request", doc.name, {"status": "Approved", "workflow_state": "Approved", "approved_amount": 1000}
	)
	return doc.name


def _mdf_request(partner):
	doc = make_mdf_request(
		partner.name, _budget_of(partner), 300, 1000, title=f"Isolated Webinar {random_string(8)}"
	)
	return "MDF Request", doc.name


def _mdf_claim(partner):
	return "MDF Claim", make_mdf_claim(
		_approved_request(partner), claimed=100, actual_cost=400, proof=False
	).name


def _rebate_accrual(partner):
	doc = frappe.get_doc(
		{
			"doctype": "Rebate Accrual",
			"partner": partner.name,
			"company": frappe.db.get_single_value("Global Defaults", "default_company"),
			"period_start": add_days(today(), -400 - len(partner.name) % 7),
			"period_end": add_days(today(), -300),
		}
	)
	doc.flags.lines_given = True
	return "Rebate Accrual", doc.insert().name


def _rebate_settlement(partner):
	doc = frappe.get_doc(
		{
			"doctype": "Rebate Settlement",
			"partner": partner.name,
			"company": frappe.db.get_single_value("Global Defaults", "default_company"),
			"up_to": today(),
			"settlement_document": "Purchase Invoice",
		}
	)
	doc.flags.ignore_validate = True  # a draft with nothing to pay: enough to be found
	return "Rebate Settlement", doc.insert().name


FACTORIES = {
	"MDF Budget": _mdf_budget,
	"MDF Request": _mdf_request,
	"MDF Claim": _mdf_claim,
	"Rebate Accrual": _rebate_accrual,
	"Rebate Settlement": _rebate_settlement,
}
DESK_INVISIBLE = frozenset({"MDF Budget", "Rebate Accrual", "Rebate Settlement"})
LABELS = {"MDF Request": "title"}


def _denied(test, browser, paths=(), forms=(), calls=()):
	for path in paths:
		page = browser.get(path)
		test.assertEqual(page.status_code, 403, path)
	for path, form, files in forms:
		response = browser.submit(path, form, files=files)
		test.assertEqual(response.status_code, 403, (path, form))
	for method, args in calls:
		response = browser.call(f"prm_app.api.mdf.{method}", **args)
		test.assertEqual(response.status_code, 403, (method, response.text[:300]))


def _probe_mdf_budget(test, browser, own, other):
	page = browser.get("/partner/mdf")
	test.assertEqual(page.status_code, 200)
	test.assertIn(f'data-budget="{own}"', page.text)
	test.assertNotIn(other, page.text)
	listed = browser.call("prm_app.api.mdf.get_mdf", "GET").json()["message"]
	test.assertEqual({row["name"] for row in listed["budgets"]}, {own})
	# a request on the other partner's budget is refused at the field, and nothing is made
	before = frappe.db.count("MDF Request", {"budget": other})
	response = browser.call(
		"prm_app.api.mdf.save_request",
		data={
			"budget": other,
			"activity_type": "Event",
			"title": "On their money",
			"start_date": add_days(today(), 5),
			"end_date": add_days(today(), 6),
			"planned_cost": 1000,
			"requested_amount": 100,
		},
	)
	test.assertGreaterEqual(response.status_code, 400)
	test.assertEqual(frappe.db.count("MDF Request", {"budget": other}), before)
	before = frappe.db.get_value("MDF Budget", other, ["allocated_amount", "modified"])
	for method, args in (("adjust_allocation", {"amount": 99999, "reason": "x"}), ("refresh_balance", {})):
		response = browser.request(
			"POST",
			"/api/method/run_doc_method",
			json={"dt": "MDF Budget", "dn": other, "method": method, "args": frappe.as_json(args)},
		)
		test.assertGreaterEqual(response.status_code, 400, method)
	test.assertEqual(frappe.db.get_value("MDF Budget", other, ["allocated_amount", "modified"]), before)


def _probe_mdf_request(test, browser, own, other):
	title = frappe.db.get_value("MDF Request", other, "title")
	test.assertEqual(browser.get(f"/partner/mdf/requests/{quote(own)}").status_code, 200)
	page = browser.get(f"/partner/mdf/requests/{quote(other)}")
	test.assertEqual(page.status_code, 403)
	test.assertNotIn(title, page.text)
	test.assertNotIn(title, browser.get("/partner/mdf").text)
	before = frappe.db.get_value("MDF Request", other, ["status", "modified"])
	_denied(
		test,
		browser,
		paths=(
			f"/partner/mdf/requests/{quote(other)}/edit",
			f"/partner/mdf/claims/new?request={quote(other)}",
		),
		forms=(
			(
				f"/partner/mdf/requests/{quote(other)}",
				{"action": "workflow", "workflow_action": "Withdraw"},
				None,
			),
			(f"/partner/mdf/requests/{quote(other)}/edit", {"action": "save", "title": "mine now"}, None),
		),
		calls=(
			("get_request", {"name": other}),
			("request_action", {"name": other, "action": "Submit for Review"}),
			("save_request", {"name": other, "data": {"title": "mine now"}}),
			("save_claim", {"data": {"mdf_request": other, "actual_cost": 100, "claimed_amount": 10}}),
		),
	)
	test.assertEqual(frappe.db.get_value("MDF Request", other, ["status", "modified"]), before)


def _probe_mdf_claim(test, browser, own, other):
	test.assertEqual(browser.get(f"/partner/mdf/claims/{quote(own)}").status_code, 200)
	page = browser.get(f"/partner/mdf/claims/{quote(other)}")
	test.assertEqual(page.status_code, 403)
	test.assertNotIn(other, browser.get("/partner/mdf").text)
	before = frappe.db.get_value("MDF Claim", other, ["status", "claimed_amount", "modified"])
	files = frappe.db.count("File", {"attached_to_name": other})
	_denied(
		test,
		browser,
		paths=(f"/partner/mdf/claims/{quote(other)}/edit",),
		forms=(
			(
				f"/partner/mdf/claims/{quote(other)}",
				{"action": "workflow", "workflow_action": "Withdraw"},
				None,
			),
			(f"/partner/mdf/claims/{quote(other)}", {"action": "upload"}, {"proof": ("x.pdf", PDF_PROOF)}),
			(f"/partner/mdf/claims/{quote(other)}/edit", {"action": "save", "claimed_amount": "1"}, None),
		),
		calls=(
			("get_claim", {"name": other}),
			("claim_action", {"name": other, "action": "Submit for Review"}),
			("save_claim", {"name": other, "data": {"claimed_amount": 1}}),
			("remove_proof", {"name": other, "file": "x"}),
		),
	)
	upload = browser.request(
		"POST",
		"/api/method/prm_app.api.mdf.upload_proof",
		data={"name": other},
		files={"proof": ("x.pdf", PDF_PROOF)},
	)
	test.assertEqual(upload.status_code, 403)
	generic = browser.request(
		"POST",
		"/api/method/upload_file",
		data={"doctype": "MDF Claim", "docname": other, "is_private": 1},
		files={"file": ("x.pdf", PDF_PROOF)},
	)
	test.assertGreaterEqual(generic.status_code, 400)
	test.assertEqual(frappe.db.count("File", {"attached_to_name": other}), files)
	test.assertEqual(
		frappe.db.get_value("MDF Claim", other, ["status", "claimed_amount", "modified"]), before
	)


def _probe_rebates(test, browser, own, other):
	page = browser.get("/partner/incentives")
	test.assertEqual(page.status_code, 200)
	test.assertNotIn(other, page.text)
	data = browser.call("prm_app.api.incentives.get_incentives", "GET", partner=other).json()["message"]
	test.assertNotIn(other, frappe.as_json(data))


PROBES = {
	"MDF Budget": _probe_mdf_budget,
	"MDF Request": _probe_mdf_request,
	"MDF Claim": _probe_mdf_claim,
	"Rebate Accrual": _probe_rebates,
	"Rebate Settlement": _probe_rebates,
}
