"""Training on the portal over real HTTP: a partner user takes a module, fails, passes, gets a
certificate; the answer key never reaches a partner on any path; the dashboard counts certified
people and warns of lapses."""

import json
import re
from urllib.parse import quote

import frappe
from frappe.utils import add_days, today

from prm_app.tests.test_portal import PortalTestCase
from prm_app.tests.utils import make_certification, make_training_module

test_ignore = ["User", "Item", "Country", "Currency", "Territory", "Customer", "Sales Partner"]


def quiz_form(answers: dict) -> dict:
	"""The quiz form as a browser posts it: radio ``q<n>``, checkboxes ``q<n>_<o>``."""
	form = {"action": "quiz", "started_on": str(frappe.utils.now_datetime())}
	for number, chosen in answers.items():
		if number == 2:  # the multiple-choice question
			form.update({f"q2_{o}": "1" for o in chosen})
		else:
			form[f"q{number}"] = str(chosen[0])
	return form


class TrainingPortalCase(PortalTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.module = make_training_module(passing_score=100, attempts_allowed=3, validity_months=12)
		cls.made.append(("Training Module", cls.module.name))
		frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only

	def new_module(self, **kw):
		module = make_training_module(**kw)
		self.made.append(("Training Module", module.name))
		frappe.db.commit()  # nosemgrep
		return module


class TestTrainingPages(TrainingPortalCase):
	def test_guest_is_sent_to_login_and_the_menu_has_training(self):
		for path in ("/partner/training", f"/partner/training/{quote(self.module.name)}"):
			self.assertEqual(self.server.browser().get(path).status_code, 302, path)
		page = self.browser(self.user_a).get("/partner")
		self.assertIn('href="/partner/training"', page.text)

	def test_a_partner_user_fails_then_passes_and_prints_the_certificate(self):
		module = self.new_module(passing_score=100, attempts_allowed=3, validity_months=12)
		browser = self.browser(self.user_a)
		path = f"/partner/training/{quote(module.name)}"
		listing = browser.get("/partner/training")
		self.assertEqual(listing.status_code, 200)
		self.assertIn(module.title, listing.text)
		page = browser.get(path)
		self.assertEqual(page.status_code, 200)
		self.assertIn("The sky is <b>blue</b>", page.text)  # the lesson's rich text
		self.assertIn("Which are prime?", page.text)
		self.assertIn('name="q1"', page.text)
		self.assertIn('name="q2_3"', page.text)

		failed = browser.submit(path, quiz_form({1: [2], 2: [1]}))
		self.assertEqual(failed.status_code, 303, failed.text[:500])
		result = browser.get(failed.headers["Location"])
		self.assertIn('data-status="Failed"', result.text)
		self.assertIn("50%", result.text)
		self.assertIn("What to revisit", result.text)
		self.assertIn("Lesson 2: Primes", result.text)
		self.assertFalse(
			frappe.db.exists("Partner Certification", {"user": self.user_a, "module": module.name})
		)

		passed = browser.submit(path, quiz_form({1: [2], 2: [1, 3]}))
		self.assertEqual(passed.status_code, 303)
		result = browser.get(passed.headers["Location"])
		self.assertIn('data-status="Passed"', result.text)
		cert = frappe.db.get_value(
			"Partner Certification",
			{"user": self.user_a, "module": module.name},
			["name", "status", "expires_on"],
		)
		self.assertEqual(cert[1], "Active")
		self.assertIn(f"/partner/training/certificate/{cert[0]}", result.text)
		printable = browser.get(f"/partner/training/certificate/{cert[0]}")
		self.assertEqual(printable.status_code, 200)
		self.assertIn("prm-certificate", printable.text)
		self.assertIn(frappe.utils.formatdate(cert[2]), printable.text)
		# the person's colleague (the partner admin) may print it; another partner may not
		self.assertEqual(
			self.browser(self.admin_a).get(f"/partner/training/certificate/{cert[0]}").status_code, 200
		)
		self.assertEqual(
			self.browser(self.admin_b).get(f"/partner/training/certificate/{cert[0]}").status_code, 403
		)
		# the attempts, progress and the certificate are listed
		listing = browser.get("/partner/training").text
		self.assertIn(cert[0], listing)
		self.assertIn("Passed", listing)
		attempts = frappe.get_all(
			"Training Attempt", filters={"user": self.user_a, "module": module.name}, pluck="status"
		)
		self.assertEqual(sorted(attempts), ["Failed", "Passed"])

	def test_attempts_beyond_the_limit_are_refused_on_the_page(self):
		module = self.new_module(attempts_allowed=1)
		browser = self.browser(self.admin_b)
		path = f"/partner/training/{quote(module.name)}"
		self.assertEqual(browser.submit(path, quiz_form({1: [1], 2: [2]})).status_code, 303)
		page = browser.get(path)
		self.assertNotIn("prm-quiz-form", page.text)
		self.assertIn("used every attempt", page.text)
		again = browser.submit(path, quiz_form({1: [2], 2: [1, 3]}))
		self.assertEqual(again.status_code, 417)
		self.assertIn("used all 1 attempts", again.text)
		api = browser.call(
			"prm_app.api.training.submit_quiz", module=module.name, answers={"1": [2], "2": [1, 3]}
		)
		self.assertEqual(api.status_code, 417)
		self.assertEqual(frappe.db.count("Training Attempt", {"module": module.name}), 1)

	def test_modules_not_meant_for_the_person_are_not_shown_nor_taken(self):
		admins_only = self.new_module(for_partner_users=0)
		hidden = self.new_module(published=0)
		basics = self.new_module()
		advanced = self.new_module(prerequisites=[{"module": basics.name}])
		browser = self.browser(self.user_a)  # a Partner User
		listing = browser.get("/partner/training").text
		self.assertNotIn(admins_only.title, listing)
		self.assertNotIn(hidden.title, listing)
		self.assertIn(advanced.title, listing)
		self.assertIn(f"Pass {basics.title} first.", listing)
		for module in (admins_only, hidden):
			self.assertEqual(browser.get(f"/partner/training/{quote(module.name)}").status_code, 403)
			response = browser.call(
				"prm_app.api.training.submit_quiz", module=module.name, answers={"1": [2]}
			)
			self.assertEqual(response.status_code, 403)
		page = browser.get(f"/partner/training/{quote(advanced.name)}")
		self.assertEqual(page.status_code, 200)
		self.assertNotIn("prm-quiz-form", page.text)
		response = browser.submit(f"/partner/training/{quote(advanced.name)}", quiz_form({1: [2], 2: [1, 3]}))
		self.assertEqual(response.status_code, 417)
		self.assertEqual(
			frappe.db.count(
				"Training Attempt", {"module": ("in", [m.name for m in (admins_only, hidden, advanced)])}
			),
			0,
		)

	def test_a_partner_admin_sees_the_team_and_a_user_only_their_own(self):
		cert = make_certification(
			self.partner_a, self.user_a, self.module.name, expires_on=add_days(today(), 200)
		)
		frappe.db.commit()  # nosemgrep
		admin_page = self.browser(self.admin_a).get("/partner/training").text
		self.assertIn("prm-team-certificates", admin_page)
		self.assertIn(cert.name, admin_page)
		user_page = self.browser(self.user_a).get("/partner/training").text
		self.assertNotIn("prm-team-certificates", user_page)
		self.assertIn(cert.name, user_page)
		self.assertNotIn(cert.name, self.browser(self.admin_b).get("/partner/training").text)

	def test_dashboard_counts_certified_people_and_warns_of_lapses(self):
		make_certification(self.partner_a, self.user_a, self.module.name, expires_on=add_days(today(), 10))
		frappe.db.commit()  # nosemgrep
		data = self.browser(self.admin_a).call("prm_app.api.dashboard.get_dashboard", "GET").json()["message"]
		self.assertEqual(data["metrics"]["certified_people"], 1)
		needs = {row["criterion"]: row for row in data["criteria"]}
		self.assertEqual(
			(needs["min_certified_people"]["actual"], needs["min_certified_people"]["missing"]), (1, 1)
		)
		self.assertIn("1 certification expires within 30 days", data["lapse_warning"])
		page = self.browser(self.admin_a).get("/partner").text
		self.assertIn("prm-lapse-warning", page)
		self.assertIn("Certified people: 1", page)


class TestAnswerKey(TrainingPortalCase):
	"""The answer key (which options are correct) never reaches a partner user, on any path."""

	KEY_MARKERS = ("is_correct", '"correct"', "data-correct")

	def assert_no_key(self, response, where):
		for marker in self.KEY_MARKERS:
			self.assertNotIn(marker, response.text, where)

	def test_the_page_before_submission_has_no_key(self):
		page = self.browser(self.user_a).get(f"/partner/training/{quote(self.module.name)}")
		self.assertEqual(page.status_code, 200)
		self.assert_no_key(page, "page")
		# every option of a question is printed the same way: nothing marks the right one
		inputs = re.findall(r'<input class="form-check-input"[^>]*>', page.text)
		self.assertEqual(len(inputs), 6)
		shapes = {re.sub(r'(id|name|value)="[^"]*"', "", i) for i in inputs}
		self.assertEqual(len(shapes), 2, shapes)  # radio and checkbox, nothing else differs
		for method, args in (
			("prm_app.api.training.get_module", {"name": self.module.name}),
			("prm_app.api.training.get_training", {}),
		):
			self.assert_no_key(self.browser(self.user_a).call(method, "GET", **args), method)

	def test_no_desk_or_rest_path_gives_the_module_or_its_tables(self):
		browser = self.browser(self.admin_a)
		name = self.module.name
		parent = {"parent": "Training Module"}
		responses = {
			"resource list": browser.request("GET", "/api/resource/Training Module"),
			"resource get": browser.request("GET", f"/api/resource/Training Module/{quote(name)}"),
			"v2 get": browser.request("GET", f"/api/v2/document/Training Module/{quote(name)}"),
			"v2 list": browser.request("GET", "/api/v2/document/Training Module"),
			"options rest": browser.request("GET", "/api/resource/Training Question Option", params=parent),
			"options v2": browser.request("GET", "/api/v2/document/Training Question Option", params=parent),
			"options get_list": browser.call(
				"frappe.client.get_list",
				doctype="Training Question Option",
				parent="Training Module",
				fields=["*"],
			),
			"options get_value": browser.call(
				"frappe.client.get_value",
				doctype="Training Question Option",
				filters={"parent": name},
				fieldname="is_correct",
				parent="Training Module",
			),
			"questions get_list": browser.call(
				"frappe.client.get_list", doctype="Training Question", parent="Training Module", fields=["*"]
			),
			"client get": browser.call("frappe.client.get", doctype="Training Module", name=name),
			"getdoc": browser.call(
				"frappe.desk.form.load.getdoc", "GET", doctype="Training Module", name=name
			),
			"search": browser.call(
				"frappe.desk.search.search_link", "GET", doctype="Training Module", txt=""
			),
			"report": browser.call(
				"frappe.desk.reportview.get", doctype="Training Question Option", fields=json.dumps(["*"])
			),
			"print": browser.get(f"/printview?doctype=Training%20Module&name={quote(name)}"),
			"attempt answers": browser.call(
				"frappe.client.get_list",
				doctype="Training Attempt Answer",
				parent="Training Attempt",
				fields=["*"],
			),
		}
		for where, response in responses.items():
			self.assertIn(response.status_code, (403, 404), f"{where}: {response.text[:300]}")
			self.assertNotIn("Blue", response.text, where)
			self.assert_no_key(response, where)
		versions = browser.request(
			"GET",
			"/api/resource/Version",
			params={
				"filters": json.dumps([["ref_doctype", "=", "Training Module"]]),
				"fields": json.dumps(["data"]),
			},
		)
		self.assertNotIn("is_correct", versions.text)
		self.assertFalse(versions.json().get("data") if versions.status_code == 200 else None)

	def test_a_result_reveals_what_was_missed_not_the_right_options(self):
		browser = self.browser(self.admin_b)
		path = f"/partner/training/{quote(self.module.name)}"
		response = browser.submit(path, quiz_form({1: [1], 2: [2]}))
		result = browser.get(response.headers["Location"])
		self.assertIn("Question 1", result.text)
		data = browser.call(
			"prm_app.api.training.get_attempt", "GET", name=response.headers["Location"].split("attempt=")[1]
		)
		message = data.json()["message"]
		self.assertEqual({row["number"] for row in message["missed"]}, {1, 2})
		self.assert_no_key(data, "attempt")
		self.assertNotIn("Blue", data.text)  # the right option of question 1
