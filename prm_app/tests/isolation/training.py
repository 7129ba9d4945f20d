"""The isolation matrix's entries for training: Training Attempt, Partner Certification, Partner
Tier Change (see ``prm_app.tests.isolation``). Partners hold no rights on them: the portal's
training pages show a person's own attempts and their partner's certificates, nothing else."""

from urllib.parse import quote

import frappe

from prm_app.tests.utils import WRONG_ANSWERS, make_training_module, take_quiz

MODULES: list[str] = []


def _module() -> str:
	name = make_training_module(attempts_allowed=0).name
	MODULES.append(name)
	return name


def _first_user(partner) -> str:
	return partner.users[0].user


def _training_attempt(partner):
	attempt = take_quiz(_module(), _first_user(partner), partner.name, WRONG_ANSWERS)
	return "Training Attempt", attempt.name


def _partner_certification(partner):
	attempt = take_quiz(_module(), _first_user(partner), partner.name)
	return "Partner Certification", frappe.db.get_value("Partner Certification", {"attempt": attempt.name})


def _partner_tier_change(partner):
	from prm_app.integrations.tier_engine import log_change

	tier = frappe.db.get_value("Program Tier", {"is_default": 1}, "name")
	return "Partner Tier Change", log_change(partner.name, tier, tier, "Set by Hand", "isolation", None)


FACTORIES = {
	"Training Attempt": _training_attempt,
	"Partner Certification": _partner_certification,
	"Partner Tier Change": _partner_tier_change,
}
DESK_INVISIBLE = frozenset(FACTORIES)
LABELS = {"Partner Certification": "certification_name"}


def _probe_training_attempt(test, browser, own, other):
	module = frappe.db.get_value("Training Attempt", other, "module")
	own_module = frappe.db.get_value("Training Attempt", own, "module")
	page = browser.get(f"/partner/training/{quote(own_module)}?attempt={quote(own)}")
	test.assertEqual(page.status_code, 200)
	test.assertIn("prm-result", page.text)
	for path in (
		f"/partner/training/{quote(module)}?attempt={quote(other)}",
		f"/partner/training/{quote(own_module)}?attempt={quote(other)}",
	):
		response = browser.get(path)
		test.assertEqual(response.status_code, 403, path)
		test.assertNotIn("prm-result", response.text, path)
	response = browser.call("prm_app.api.training.get_attempt", "GET", name=other)
	test.assertEqual(response.status_code, 403)
	test.assertNotIn(other, browser.get("/partner/training").text)


def _probe_partner_certification(test, browser, own, other):
	label = frappe.db.get_value("Partner Certification", other, "certification_name")
	test.assertEqual(browser.get(f"/partner/training/certificate/{quote(own)}").status_code, 200)
	page = browser.get(f"/partner/training/certificate/{quote(other)}")
	test.assertEqual(page.status_code, 403)
	test.assertNotIn(label, page.text)
	response = browser.call("prm_app.api.training.get_certificate", "GET", name=other)
	test.assertEqual(response.status_code, 403)
	test.assertNotIn(label, response.text)
	listing = browser.get("/partner/training")
	test.assertIn(own, listing.text)  # A is a Partner Admin: the team's certificates are listed
	test.assertNotIn(other, listing.text)
	data = browser.call("prm_app.api.training.get_training", "GET").json()["message"]
	names = {row["name"] for row in data["certificates"] + (data["team"] or [])}
	test.assertIn(own, names)
	test.assertNotIn(other, names)
	before = frappe.db.get_value("Partner Certification", other, ["status", "modified"])
	response = browser.request(
		"POST",
		"/api/method/run_doc_method",
		json={
			"docs": frappe.as_json({"doctype": "Partner Certification", "name": other}),
			"method": "revoke",
			"args": "{}",
		},
	)
	test.assertGreaterEqual(response.status_code, 400)
	test.assertEqual(frappe.db.get_value("Partner Certification", other, ["status", "modified"]), before)


def _probe_partner_tier_change(test, browser, own, other):
	for path in ("/partner", "/partner/training"):
		page = browser.get(path)
		test.assertEqual(page.status_code, 200)
		test.assertNotIn(other, page.text)


PROBES = {
	"Training Attempt": _probe_training_attempt,
	"Partner Certification": _probe_partner_certification,
	"Partner Tier Change": _probe_partner_tier_change,
}


def _drop_modules():
	for name in MODULES:
		if frappe.db.exists("Training Module", name):
			frappe.delete_doc(
				"Training Module", name, force=True, ignore_permissions=True, delete_permanently=True
			)
	MODULES.clear()
	frappe.db.commit()  # nosemgrep: test tear-down


CLEANUPS = [_drop_modules]
