"""The MDF and incentives pages over real HTTP, signed in as partner users: the budget card, a request
from form to approval, a claim with proof of performance uploaded with it, the limits on files,
errors next to their fields with nothing saved, and who may act."""

import re
from html import unescape

import frappe
from frappe.utils import add_days, today

from prm_app.tests.mdf_setup import delete_mdf_records
from prm_app.tests.test_portal import PortalTestCase, field_errors
from prm_app.tests.utils import PDF_PROOF, ensure_fiscal_year, make_mdf_budget, workflow

test_ignore = ["User", "Item", "Country", "Currency", "Territory", "Customer", "Sales Partner", "Campaign"]


def request_form(**values):
	data = {
		"action": "save",
		"workflow_action": "",
		"activity_type": "Webinar",
		"title": "Spring webinar",
		"start_date": add_days(today(), 10),
		"end_date": add_days(today(), 10),
		"description": "Two sessions <b>live</b>",
		"planned_cost": "4000",
		"requested_amount": "1500",
		"expected_leads": "30",
		"expected_pipeline": "90000",
	}
	data.update(values)
	return data


class TestMDFPortal(PortalTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_fiscal_year(today())
		cls.budget_a = make_mdf_budget(cls.partner_a, 10000).name
		cls.budget_b = make_mdf_budget(cls.partner_b, 2000).name
		frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		delete_mdf_records([cls.partner_a, cls.partner_b])
		super().tearDownClass()

	def new_request(self, browser, **values):
		response = browser.submit("/partner/mdf/requests/new", request_form(budget=self.budget_a, **values))
		self.assertEqual(response.status_code, 303, response.text[-2000:])
		return re.search(r"/partner/mdf/requests/([^?]+)", response.headers["Location"]).group(1)

	def test_budget_card_and_who_may_act(self):
		admin = self.browser(self.admin_a)
		page = admin.get("/partner/mdf")
		self.assertEqual(page.status_code, 200)
		self.assertIn('data-figure="allocated"', page.text)
		self.assertIn("10,000.00", page.text)
		self.assertIn('href="/partner/mdf/requests/new"', page.text)
		self.assertIn('href="/partner/mdf"', page.text)  # the portal menu
		dashboard = admin.get("/partner")
		self.assertIn("MDF available", dashboard.text)
		self.assertIn("10,000.00", dashboard.text)
		# the reports are the channel team's: refused to partners over HTTP
		report = admin.call(
			"frappe.desk.query_report.run", report_name="MDF Budget Utilization", filters="{}"
		)
		self.assertEqual(report.status_code, 403)
		# a Partner User sees, and does not act (unless PRM Settings says so)
		user = self.browser(self.user_a)
		page = user.get("/partner/mdf")
		self.assertEqual(page.status_code, 200)
		self.assertIn("10,000.00", page.text)
		self.assertNotIn('href="/partner/mdf/requests/new"', page.text)
		self.assertEqual(user.get("/partner/mdf/requests/new").status_code, 403)
		response = user.call("prm_app.api.mdf.save_request", data=request_form(budget=self.budget_a))
		self.assertEqual(response.status_code, 403)
		self.assertEqual(frappe.db.count("MDF Request", {"partner": self.partner_a, "owner": self.user_a}), 0)
		self.assertEqual(self.server.browser().get("/partner/mdf").status_code, 302)  # guests sign in first

	def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(self):
		browser = self.browser(self.admin_a)
		before = frappe.db.count("MDF Request")
		for values, field, words in (
			({"requested_amount": "2500"}, "requested_amount", "co-op share"),  # half of 4,000
			({"requested_amount": "-5"}, "requested_amount", "negative"),
			({"requested_amount": "lots"}, "requested_amount", "number"),
			({"title": ""}, "title", "required"),
			({"end_date": add_days(today(), 2)}, "end_date", "before it starts"),
			({"budget": self.budget_b}, "budget", "listed"),  # another partner's budget
		):
			response = browser.submit(
				"/partner/mdf/requests/new", request_form(budget=self.budget_a) | values
			)
			self.assertEqual(response.status_code, 417, values)
			errors = field_errors(response.text)
			self.assertIn(field, errors, (values, response.text[-1500:]))
			self.assertIn(words, errors[field].lower() if words.islower() else errors[field])
			self.assertIn(
				'value="Spring webinar"' if values.get("title") != "" else 'name="title"', response.text
			)
		self.assertEqual(frappe.db.count("MDF Request"), before)

	def test_request_approval_claim_with_proof_and_private_files(self):
		admin = self.browser(self.admin_a)
		name = self.new_request(admin, workflow_action="Submit for Review")
		page = admin.get(f"/partner/mdf/requests/{name}")
		self.assertEqual(page.status_code, 200)
		self.assertIn("Spring webinar", page.text)
		self.assertIn("Two sessions &lt;b&gt;live&lt;/b&gt;", page.text)  # escaped
		self.assertEqual(frappe.db.get_value("MDF Request", name, "status"), "Submitted")
		self.assertNotIn('value="Approve"', page.text)  # never the partner's action
		# the channel team approves in the desk
		workflow(frappe.get_doc("MDF Request", name), "Approve")
		frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only
		page = admin.get(f"/partner/mdf/requests/{name}")
		self.assertIn(f'href="/partner/mdf/claims/new?request={name}"', page.text)

		form = {
			"action": "save",
			"workflow_action": "Submit for Review",
			"actual_cost": "2400",
			"claimed_amount": "1200",
			"description": "Done: 41 attendees.",
			"lead_name_0": "Ada Buyer",
			"company_name_0": "Buyer Co",
			"email_id_0": "ada-portal@example.com",
		}
		# without proof, the claim cannot be submitted: the error sits at the file field, nothing kept
		response = admin.submit(f"/partner/mdf/claims/new?request={name}", form)
		self.assertEqual(response.status_code, 417, response.text[-1500:])
		self.assertIn("proof", field_errors(response.text))
		self.assertEqual(frappe.db.count("MDF Claim", {"mdf_request": name}), 0)
		# a file of the wrong kind
		response = admin.submit(
			f"/partner/mdf/claims/new?request={name}", form, files={"proof": ("report.pdf", b"MZ not a pdf")}
		)
		self.assertEqual(response.status_code, 417)
		self.assertIn("not a valid .pdf", field_errors(response.text)["proof"])
		self.assertEqual(frappe.db.count("MDF Claim", {"mdf_request": name}), 0)
		response = admin.submit(
			f"/partner/mdf/claims/new?request={name}", form, files={"proof": ("invoice.pdf", PDF_PROOF)}
		)
		self.assertEqual(response.status_code, 303, response.text[-1500:])
		claim = re.search(r"/partner/mdf/claims/([^?]+)", response.headers["Location"]).group(1)
		doc = frappe.get_doc("MDF Claim", claim)
		self.assertEqual((doc.status, doc.partner, len(doc.leads)), ("Submitted", self.partner_a, 1))
		self.assertFalse(
			frappe.db.exists("Lead", {"email_id": "ada-portal@example.com"})
		)  # not before approval
		url = frappe.db.get_value(
			"File", {"attached_to_doctype": "MDF Claim", "attached_to_name": claim}, "file_url"
		)
		self.assertTrue(url.startswith("/private/files/"))
		page = admin.get(f"/partner/mdf/claims/{claim}")
		self.assertEqual(page.status_code, 200)
		self.assertIn(url, page.text)
		# the partner's own users download it; another partner and a guest do not
		self.assertEqual(self.browser(self.user_a).get(url).status_code, 200)
		self.assertEqual(self.browser(self.admin_b).get(url).status_code, 403)
		self.assertEqual(self.server.browser().get(url).status_code, 403)
		# once submitted, the proof stays as it is
		file = frappe.db.get_value("File", {"file_url": url}, "name")
		response = admin.submit(f"/partner/mdf/claims/{claim}", {"action": "remove", "file": file})
		self.assertNotEqual(response.status_code, 303)
		self.assertTrue(frappe.db.exists("File", file))
		response = admin.request("DELETE", f"/api/resource/File/{file}")
		self.assertGreaterEqual(response.status_code, 400)
		self.assertTrue(frappe.db.exists("File", file))

	def test_upload_limits_and_frappes_generic_upload(self):
		admin = self.browser(self.admin_a)
		name = self.new_request(admin, workflow_action="Submit for Review")
		workflow(frappe.get_doc("MDF Request", name), "Approve")
		frappe.db.commit()  # nosemgrep
		response = admin.submit(
			f"/partner/mdf/claims/new?request={name}",
			{"action": "save", "workflow_action": "", "actual_cost": "1000", "claimed_amount": "400"},
		)
		self.assertEqual(response.status_code, 303, response.text[-1500:])
		claim = re.search(r"/partner/mdf/claims/([^?]+)", response.headers["Location"]).group(1)
		frappe.db.set_single_value("PRM Settings", "mdf_max_file_mb", 1)
		frappe.db.commit()  # nosemgrep
		for filename, content, words in (
			("big.pdf", b"%PDF-" + b"0" * (1024 * 1024), "larger than 1 MB"),
			("tool.exe", b"MZ", "only these file types"),
			("photo.png", PDF_PROOF, "not a valid .png"),
		):
			response = admin.submit(
				f"/partner/mdf/claims/{claim}", {"action": "upload"}, files={"proof": (filename, content)}
			)
			self.assertEqual(response.status_code, 417, filename)
			self.assertIn(words, unescape(field_errors(response.text).get("proof", "")), filename)
		frappe.db.set_single_value("PRM Settings", "mdf_max_file_mb", 10)
		frappe.db.commit()  # nosemgrep
		self.assertEqual(frappe.db.count("File", {"attached_to_name": claim}), 0)
		# Frappe's own upload endpoint is no way around the rules
		response = admin.request(
			"POST",
			"/api/method/upload_file",
			data={"doctype": "MDF Claim", "docname": claim, "is_private": 0},
			files={"file": ("x.html", b"<script>alert(1)</script>")},
		)
		self.assertGreaterEqual(response.status_code, 400)
		self.assertEqual(frappe.db.count("File", {"attached_to_name": claim}), 0)
		response = admin.submit(
			f"/partner/mdf/claims/{claim}",
			{"action": "upload"},
			files={"proof": ("photo.png", bytes.fromhex("89504e470d0a1a0a") + b"0" * 20)},
		)
		self.assertEqual(response.status_code, 303)
		self.assertEqual(frappe.db.count("File", {"attached_to_name": claim, "is_private": 1}), 1)

	def test_incentives_page(self):
		page = self.browser(self.admin_b).get("/partner/incentives")
		self.assertEqual(page.status_code, 200)
		self.assertIn("No rebates yet", page.text)
		self.assertIn('data-figure="pending"', page.text)
		response = self.browser(self.user_a).call("prm_app.api.incentives.get_incentives", "GET")
		self.assertEqual(response.json()["message"]["periods"], [])
