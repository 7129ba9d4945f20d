"""Recruitment, the partner agreement, leads, business plans and assets over real HTTP, as guests,
partner users and the channel team meet them: the public application form and its abuse cases,
the agreement gate on every path, the lead pages, the plan page, the asset library and its private
files, and a new partner's first day from application to download.

Everything the requests see is committed; what the classes and the requests made is deleted at
the end (``GrowthCase.tearDownClass``).
"""

import re
from html import unescape

import frappe
from frappe.utils import add_days, random_string, today
from frappe.utils.password import update_password

from prm_app import agreements
from prm_app.portal.ratelimit import reset_ip_rate_limit
from prm_app.tests.portal_http import delete_everything_of
from prm_app.tests.test_portal import PASSWORD, SCRIPT, PortalTestCase, field_errors, input_value
from prm_app.tests.utils import (
	accept_agreement,
	attach_asset_file,
	current_fiscal_year,
	ensure_partner_type,
	make_agreement,
	make_asset,
	make_item,
	make_lead,
	make_lead_offer,
	make_tier,
	make_user,
	workflow,
)

test_ignore = ["User", "Item", "Country", "Currency", "Territory", "Customer", "Sales Partner", "Lead"]

GROWTH_DOCTYPES = (
	"Lead Assignment Log",
	"Lead Offer",
	"Partner Asset Download",
	"Partner Agreement Acceptance",
	"Partner Application",
	"Partner Business Plan",
)


def delete_growth_records(leads=(), agreements=(), applications=(), assets=(), rules=(), since=None):
	"""What the growth tests committed that no partner owns (the partner-owned rest goes with
	``delete_everything_of``): leads and their history, agreement versions and their acceptances,
	applications (and the partners and users their approval made), assets and their files, rules,
	and the e-mails queued about any of them."""
	frappe.set_user("Administrator")
	leads = [name for name in leads if name]
	for lead in leads:
		for offer in frappe.get_all("Lead Offer", filters={"lead": lead}, pluck="name"):
			frappe.db.delete("Lead Assignment Log", {"lead_offer": offer})
			frappe.delete_doc(
				"Lead Offer", offer, force=True, ignore_permissions=True, delete_permanently=True
			)
		frappe.db.delete("Lead Assignment Log", {"lead": lead})
		opportunities = frappe.get_all("Opportunity", filters={"party_name": lead}, pluck="name")
		for name in opportunities:
			frappe.delete_doc(
				"Opportunity", name, force=True, ignore_permissions=True, delete_permanently=True
			)
		if frappe.db.exists("Lead", lead):
			frappe.delete_doc("Lead", lead, force=True, ignore_permissions=True, delete_permanently=True)
	partners, users = [], []
	for name in applications:
		row = frappe.db.get_value(
			"Partner Application", name, ["partner", "user", "contact_email"], as_dict=True
		)
		if row:
			partners.append(row.partner)
			users += [row.user, row.contact_email]
		frappe.db.delete("Partner Application Match", {"parent": name})
		frappe.db.delete("Partner Agreement Acceptance", {"application": name})
		if frappe.db.exists("Partner Application", name):
			frappe.delete_doc(
				"Partner Application", name, force=True, ignore_permissions=True, delete_permanently=True
			)
	if partners or users:
		delete_everything_of(users=[u for u in users if u], partners=[p for p in partners if p], since=since)
	for name in agreements:
		frappe.db.delete("Partner Agreement Acceptance", {"agreement": name})
		frappe.db.delete("Partner Agreement", {"name": name})  # its controller keeps published versions
	for name in assets:
		frappe.db.delete("Partner Asset Download", {"asset": name})
		for file in frappe.get_all(
			"File", filters={"attached_to_doctype": "Partner Asset", "attached_to_name": name}, pluck="name"
		):
			frappe.delete_doc("File", file, force=True, ignore_permissions=True, delete_permanently=True)
		if frappe.db.exists("Partner Asset", name):
			frappe.delete_doc(
				"Partner Asset", name, force=True, ignore_permissions=True, delete_permanently=True
			)
	for name in rules:
		if frappe.db.exists("Lead Distribution Rule", name):
			frappe.delete_doc("Lead Distribution Rule", name, force=True, ignore_permissions=True)
	if since:
		queued = frappe.get_all(
			"Email Queue",
			filters={"creation": (">=", since), "reference_doctype": ("in", (*GROWTH_DOCTYPES, "Lead"))},
			pluck="name",
		)
		for name in queued:
			frappe.db.delete("Email Queue Recipient", {"parent": name})
			frappe.db.delete("Email Queue", {"name": name})
	frappe.db.commit()  # nosemgrep: test tear-down


class GrowthCase(PortalTestCase):
	"""PortalTestCase (two active partners, A with an admin and a user, B with an admin) and the
	lists of what the growth tests commit."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.leads, cls.agreements, cls.applications, cls.assets, cls.rules = [], [], [], [], []
		cls.settings_before = {
			key: frappe.db.get_single_value("PRM Settings", key)
			for key in ("application_rate_limit", "protect_converted_leads", "lead_fields_shown")
		}

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		# every application made over HTTP, whatever the test noted
		cls.applications += frappe.get_all(
			"Partner Application", filters={"creation": (">=", cls.started)}, pluck="name"
		)
		delete_growth_records(
			leads=cls.leads,
			agreements=cls.agreements,
			applications=cls.applications,
			assets=cls.assets,
			rules=cls.rules,
			since=cls.started,
		)
		for key, value in cls.settings_before.items():
			frappe.db.set_single_value("PRM Settings", key, value)
		frappe.db.commit()  # nosemgrep: test tear-down
		super().tearDownClass()

	def commit(self):
		frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only

	def publish(self, **kw):
		doc = make_agreement(**kw)
		self.agreements.append(doc.name)
		self.commit()
		return doc

	def accept_for_all(self, agreement: str):
		for user, partner in (
			(self.admin_a, self.partner_a),
			(self.user_a, self.partner_a),
			(self.admin_b, self.partner_b),
		):
			accept_agreement(user, agreement, partner)
		self.commit()

	def lead(self, **kw) -> str:
		name = make_lead(**kw).name
		self.leads.append(name)
		return name


class TestApplyPage(GrowthCase):
	def setUp(self):
		super().setUp()
		reset_ip_rate_limit("partner-apply", "127.0.0.1")
		frappe.db.set_single_value("PRM Settings", "application_rate_limit", 50)
		self.commit()

	def application(self, **values):
		data = {
			"action": "apply",
			"company_name": "Applying Widgets " + random_string(6),
			"website": f"aw-{random_string(6).lower()}.example.com",
			"country": frappe.db.get_value("Country", {}, "name"),
			"contact_name": "Casey Applicant",
			"contact_email": f"{random_string(8).lower()}@apply-test.example.com",
			"expected_annual_revenue": "250000",
			"currency": frappe.db.get_default("currency"),
			"specialisations": "Solar installations",
		}
		current = agreements.current_agreement()
		if current:  # an earlier test of the class published one
			data.update(agreement=current.name, accept_agreement="1")
		data.update(values)
		return data

	def test_a_guest_applies_and_is_told_so(self):
		agreement = self.publish()
		self.accept_for_all(agreement.name)
		guest = self.server.browser()
		page = guest.get("/partner/apply")
		self.assertEqual(page.status_code, 200)
		self.assertIn("The partner keeps its promises.", page.text)
		self.assertIn(f'name="agreement" value="{agreement.name}"', page.text)
		data = self.application(agreement=agreement.name, accept_agreement="1")
		response = guest.send("POST", "/partner/apply", data=data)  # a guest has no token to send
		self.assertEqual(response.status_code, 303, response.text[-1500:])
		self.assertTrue(response.headers["Location"].endswith("/partner/apply?done=applied"))
		thanks = guest.get("/partner/apply?done=applied")
		self.assertIn("your application is received", thanks.text)
		app = frappe.get_doc("Partner Application", {"contact_email": data["contact_email"]})
		self.assertEqual(
			(app.status, app.agreement, app.ip_address), ("Pending Review", agreement.name, "127.0.0.1")
		)
		acceptance = frappe.get_all(
			"Partner Agreement Acceptance",
			filters={"application": app.name},
			fields=["email", "agreement", "ip_address", "user"],
		)
		self.assertEqual(
			acceptance,
			[
				{
					"email": data["contact_email"],
					"agreement": agreement.name,
					"ip_address": "127.0.0.1",
					"user": None,
				}
			],
		)
		# the reviewer sees likely duplicates (the job queued on arrival, run here)
		from prm_app.prm_app.doctype.partner_application.partner_application import check_one

		twin = self.application(
			company_name=app.company_name + " Ltd", agreement=agreement.name, accept_agreement="1"
		)
		self.assertEqual(guest.send("POST", "/partner/apply", data=twin).status_code, 303)
		second = frappe.db.get_value("Partner Application", {"contact_email": twin["contact_email"]}, "name")
		check_one(second)
		self.commit()
		self.assertIn(
			app.name,
			frappe.get_all("Partner Application Match", filters={"parent": second}, pluck="matched_name"),
		)

	def test_every_error_is_shown_and_nothing_is_saved(self):
		agreement = self.publish()
		self.accept_for_all(agreement.name)
		guest = self.server.browser()
		before = frappe.db.count("Partner Application")
		company = f"{SCRIPT} Typing Co"
		response = guest.send(
			"POST",
			"/partner/apply",
			data=self.application(
				company_name=company,
				contact_email="not-mail",
				country="Atlantis",
				website="not a site",
				agreement=agreement.name,
				accept_agreement="",
			),
		)
		self.assertEqual(response.status_code, 417)
		errors = field_errors(response.text)
		self.assertEqual(
			set(errors), {"company_name", "contact_email", "country", "website", "accept_agreement"}
		)
		self.assertEqual(input_value(response.text, "company_name"), company)  # kept, escaped
		self.assertNotIn(SCRIPT, response.text)
		missing = guest.send(
			"POST", "/partner/apply", data=self.application(company_name="", contact_name="")
		)
		self.assertEqual(missing.status_code, 417)
		self.assertTrue({"company_name", "contact_name"} <= set(field_errors(missing.text)))
		# an agreement changed while the form was open
		stale = guest.send(
			"POST", "/partner/apply", data=self.application(agreement="an-old-version", accept_agreement="1")
		)
		self.assertIn("changed since you opened", field_errors(stale.text).get("accept_agreement", ""))
		too_long = guest.send("POST", "/partner/apply", data=self.application(company_name="x" * 300))
		self.assertIn("under 140", field_errors(too_long.text).get("company_name", ""))
		huge = guest.send("POST", "/partner/apply", data=self.application(specialisations="y" * 70000))
		self.assertEqual(huge.status_code, 417)
		self.assertIn("too large", huge.text)
		self.assertEqual(frappe.db.count("Partner Application"), before)

	def test_a_bot_filling_the_honeypot_is_answered_and_dropped(self):
		guest = self.server.browser()
		before = frappe.db.count("Partner Application")
		data = self.application(company_fax="+1 555 0100")
		response = guest.send("POST", "/partner/apply", data=data)
		self.assertEqual(response.status_code, 303)
		self.assertEqual(frappe.db.count("Partner Application"), before)
		api = guest.send(
			"POST", "/api/method/prm_app.api.applications.submit_application", json={"data": data}
		)
		self.assertEqual(api.json()["message"], {"received": True})
		self.assertEqual(frappe.db.count("Partner Application"), before)

	def test_applications_are_limited_per_address(self):
		frappe.db.set_single_value("PRM Settings", "application_rate_limit", 3)
		self.commit()
		guest = self.server.browser()
		try:
			first = guest.send("POST", "/partner/apply", data=self.application())
			self.assertEqual(first.status_code, 303)
			for _n in range(2):  # tries with errors count too
				self.assertEqual(
					guest.send(
						"POST", "/partner/apply", data=self.application(contact_email="x")
					).status_code,
					417,
				)
			blocked = guest.send("POST", "/partner/apply", data=self.application())
			self.assertEqual(blocked.status_code, 429)
			self.assertIn("Too many applications", unescape(blocked.text))
			api = guest.send(
				"POST",
				"/api/method/prm_app.api.applications.submit_application",
				json={"data": self.application()},
				headers={"Accept": "application/json"},
			)
			self.assertEqual(api.status_code, 429)
			self.assertEqual(api.json()["exc_type"], "ApplicationRateLimitError")
			# the key expires: the window always ends
			key = frappe.cache.make_key("prm-rate-ip:partner-apply:127.0.0.1")
			self.assertTrue(0 < frappe.cache.ttl(key) <= 3600)
		finally:
			reset_ip_rate_limit("partner-apply", "127.0.0.1")

	def test_the_api_path_has_the_same_rules(self):
		guest = self.server.browser()
		data = self.application()
		ok = guest.send(
			"POST", "/api/method/prm_app.api.applications.submit_application", json={"data": data}
		)
		self.assertEqual(ok.status_code, 200, ok.text[:500])
		again = guest.send(
			"POST",
			"/api/method/prm_app.api.applications.submit_application",
			json={"data": data},
			headers={"Accept": "application/json"},
		)
		self.assertEqual(again.status_code, 417)
		self.assertIn("already being reviewed", again.json()["field_errors"]["contact_email"])
		# a GET is refused, and a guest never reaches the desk's copy of an application
		self.assertIn(
			guest.get("/api/method/prm_app.api.applications.submit_application").status_code, (403, 405)
		)
		name = frappe.db.get_value("Partner Application", {"contact_email": data["contact_email"]}, "name")
		self.assertEqual(guest.get(f"/api/resource/Partner Application/{name}").status_code, 403)

	def test_a_signed_in_users_post_needs_the_pages_token(self):
		browser = self.browser(self.user_a)
		self.assertEqual(browser.get("/partner/apply").status_code, 200)  # the session has a token now
		# Frappe 16 does not store a session's token while tests run (``frappe.in_test``), so a
		# forged post can be seen refused on Frappe 15 only; the honest one below works on both
		if not getattr(frappe, "in_test", False):
			forged = browser.send("POST", "/partner/apply", data=self.application())
			self.assertEqual(forged.status_code, 400)
		honest = browser.submit("/partner/apply", self.application())
		self.assertEqual(honest.status_code, 303)


class TestAgreementGate(GrowthCase):
	def test_nothing_but_the_agreement_until_it_is_accepted(self):
		agreement = self.publish(summary_of_changes="Clause 4 is new.")
		registration = frappe.get_all(
			"Deal Registration", filters={"partner": self.partner_a}, pluck="name", limit=1
		)
		browser = self.server.browser(self.user_a, PASSWORD)
		for path in (
			"/partner",
			"/partner/deals",
			"/partner/leads",
			"/partner/plan",
			"/partner/assets",
			"/partner/profile",
		):
			page = browser.get(path)
			self.assertEqual(page.status_code, 302, path)
			self.assertTrue(page.headers["Location"].endswith("/partner/agreement"), path)
		page = browser.get("/partner/agreement")
		self.assertEqual(page.status_code, 200)
		self.assertIn("Clause 4 is new.", page.text)
		self.assertIn("The partner keeps its promises.", page.text)
		self.assertNotIn('href="/partner/deals"', page.text)  # no menu either
		for method in (
			"prm_app.api.deals.get_registrations",
			"prm_app.api.dashboard.get_dashboard",
			"prm_app.api.leads.get_leads",
			"prm_app.api.plans.get_plan",
			"prm_app.api.assets.get_assets",
		):
			self.assertEqual(browser.call(method, "GET").status_code, 403, method)
		for path in (
			"/api/resource/Deal Registration",
			"/api/resource/Partner",
			"/api/v2/document/Deal Registration",
			f"/api/resource/Partner/{self.partner_a}",
		):
			self.assertEqual(browser.request("GET", path).status_code, 403, path)
		forged = browser.request(
			"POST",
			"/api/method/run_doc_method",
			json={
				"docs": frappe.as_json({"doctype": "Partner", "name": self.partner_a}),
				"method": "onload",
				"args": "{}",
			},
		)
		self.assertEqual(forged.status_code, 403)
		legacy = browser.request("POST", "/", data={"cmd": "prm_app.api.deals.get_registrations"})
		self.assertEqual(legacy.status_code, 403)
		if registration:
			file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"gate-{random_string(6)}.txt",
					"attached_to_doctype": "Deal Registration",
					"attached_to_name": registration[0],
					"is_private": 1,
					"content": "own but gated",
				}
			).insert(ignore_permissions=True)
			self.commit()
			self.assertEqual(browser.get(file.file_url).status_code, 403)
			frappe.delete_doc("File", file.name, force=True, ignore_permissions=True)
			self.commit()
		# a stale version cannot be accepted
		stale = browser.submit("/partner/agreement", {"action": "accept", "agreement": "an-old-version"})
		self.assertEqual(stale.status_code, 417)
		self.assertFalse(frappe.db.exists("Partner Agreement Acceptance", {"user": self.user_a}))
		accepted = browser.submit("/partner/agreement", {"action": "accept", "agreement": agreement.name})
		self.assertEqual(accepted.status_code, 303)
		self.assertTrue(accepted.headers["Location"].endswith("/partner?done=agreement"))
		log = frappe.get_all(
			"Partner Agreement Acceptance",
			filters={"user": self.user_a, "agreement": agreement.name},
			fields=["partner", "ip_address"],
		)
		self.assertEqual(log, [{"partner": self.partner_a, "ip_address": "127.0.0.1"}])
		self.assertEqual(browser.get("/partner").status_code, 200)
		self.assertEqual(browser.call("prm_app.api.deals.get_registrations", "GET").status_code, 200)
		self.assertIn("You accepted this version", browser.get("/partner/agreement").text)
		# the admin of the same partner is asked for itself; signing out always works
		admin = self.server.browser(self.admin_a, PASSWORD)
		self.assertEqual(admin.get("/partner").status_code, 302)
		self.assertEqual(admin.request("POST", "/api/method/logout").status_code, 200)
		# a new version: asked again
		self.publish()
		self.assertEqual(browser.get("/partner").status_code, 302)

	def test_the_channel_team_is_never_asked(self):
		self.publish()
		manager = make_user(website_user=False, roles=("Partner Manager",)).name
		self.extra_users.append(manager)
		update_password(manager, PASSWORD)
		self.commit()
		staff = self.server.browser(manager, PASSWORD)
		self.assertEqual(staff.request("GET", "/api/resource/Deal Registration").status_code, 200)


class TestLeadPages(GrowthCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		agreement = make_agreement()
		cls.agreements.append(agreement.name)
		for user, partner in (
			(cls.admin_a, cls.partner_a),
			(cls.user_a, cls.partner_a),
			(cls.admin_b, cls.partner_b),
		):
			accept_agreement(user, agreement.name, partner)
		frappe.db.commit()  # nosemgrep

	def offer(self, partner=None, **lead):
		name = self.lead(**lead)
		offer = make_lead_offer(partner or self.partner_a, name, hours=24)
		self.commit()
		return offer

	def test_accept_see_the_lead_report_progress(self):
		offer = self.offer(company_name="Harbour Logistics", mobile_no="+1 555 0101")
		frappe.db.set_value("Lead", offer.lead, "annual_revenue", 987654)  # not a shown field
		self.commit()
		browser = self.browser(self.user_a)
		listing = browser.get("/partner/leads?view=offered")
		self.assertIn(f'data-name="{offer.name}"', listing.text)
		page = browser.get(f"/partner/leads/{offer.name}")
		self.assertIn("Harbour Logistics", page.text)
		self.assertIn("+1 555 0101", page.text)
		self.assertNotIn("987654", page.text)
		self.assertNotIn("987,654", page.text)
		# the admin chooses what partners see
		frappe.db.set_single_value(
			"PRM Settings", "lead_fields_shown", "company_name\nannual_revenue\nlead_owner"
		)
		self.commit()
		page = browser.get(f"/partner/leads/{offer.name}")
		self.assertNotIn("+1 555 0101", page.text)
		self.assertIn('data-field="annual_revenue"', page.text)
		self.assertNotIn('data-field="lead_owner"', page.text)  # never, whatever the setting
		frappe.db.set_single_value("PRM Settings", "lead_fields_shown", None)
		self.commit()
		accepted = browser.submit(f"/partner/leads/{offer.name}", {"action": "accept"})
		self.assertEqual(accepted.status_code, 303)
		self.assertEqual(frappe.db.get_value("Lead Offer", offer.name, "status"), "Accepted")
		self.assertEqual(frappe.db.get_value("Lead", offer.lead, "prm_partner"), self.partner_a)
		bad = browser.submit(
			f"/partner/leads/{offer.name}", {"action": "progress", "progress": "Lost", "note": ""}
		)
		self.assertEqual(bad.status_code, 417)
		self.assertIn("note", field_errors(bad.text))
		good = browser.submit(
			f"/partner/leads/{offer.name}",
			{"action": "progress", "progress": "Qualified", "note": "Budget approved"},
		)
		self.assertEqual(good.status_code, 303)
		self.assertEqual(
			frappe.db.get_value("Lead Offer", offer.name, ["progress", "progress_note"]),
			("Qualified", "Budget approved"),
		)
		self.assertEqual(frappe.db.get_value("Partner", self.partner_a, "leads_accepted") >= 1, True)

	def test_decline_needs_a_reason_and_hides_the_lead(self):
		offer = self.offer(company_name="Decline Me Ltd", email_id="decline-me@example.com")
		browser = self.browser(self.admin_a)
		missing = browser.submit(f"/partner/leads/{offer.name}", {"action": "decline", "reason": " "})
		self.assertEqual(missing.status_code, 417)
		self.assertIn("reason", field_errors(missing.text))
		self.assertEqual(frappe.db.get_value("Lead Offer", offer.name, "status"), "Offered")
		declined = browser.submit(
			f"/partner/leads/{offer.name}", {"action": "decline", "reason": "Outside our region"}
		)
		self.assertEqual(declined.status_code, 303)
		page = browser.get(f"/partner/leads/{offer.name}")
		self.assertNotIn("decline-me@example.com", page.text)
		self.assertIn("Outside our region", page.text)
		again = browser.submit(f"/partner/leads/{offer.name}", {"action": "accept"})
		self.assertEqual(again.status_code, 417)

	def test_a_lead_is_never_seen_by_another_partner_before_during_or_after(self):
		offer = self.offer(company_name="Only For A " + random_string(5), email_id="only-a@example.com")
		other = self.browser(self.admin_b)

		def nothing_for_b():
			for path in (f"/partner/leads/{offer.name}", f"/partner/leads/{offer.name}/convert"):
				page = other.get(path)
				self.assertEqual(page.status_code, 403)
				self.assertNotIn("only-a@example.com", page.text)
			self.assertNotIn(offer.name, other.get("/partner/leads").text)
			self.assertEqual(
				other.call("prm_app.api.leads.get_lead", "GET", name=offer.name).status_code, 403
			)

		nothing_for_b()  # during the offer
		self.browser(self.admin_a).submit(
			f"/partner/leads/{offer.name}", {"action": "decline", "reason": "no"}
		)
		nothing_for_b()  # after it
		# B gets the lead next: A no longer sees its details, and B never sees A's offer
		second = make_lead_offer(self.partner_b, offer.lead, hours=24)
		self.commit()
		a_page = self.browser(self.admin_a).get(f"/partner/leads/{offer.name}")
		self.assertNotIn("only-a@example.com", a_page.text)
		self.assertEqual(self.browser(self.admin_a).get(f"/partner/leads/{second.name}").status_code, 403)
		self.assertIn("only-a@example.com", other.get(f"/partner/leads/{second.name}").text)

	def test_convert_into_a_protected_registration(self):
		item = make_item().name
		self.made.append(("Item", item))
		frappe.db.set_single_value("PRM Settings", "protect_converted_leads", 1)
		offer = self.offer(
			company_name="Convert Me " + random_string(5), email_id="buyer@convert-me.example.com"
		)
		sales_partner = frappe.db.get_value("Partner", self.partner_a, "sales_partner")
		masters = frappe.db.get_value("Sales Partner", sales_partner, "modified") if sales_partner else None
		browser = self.browser(self.user_a)
		browser.submit(f"/partner/leads/{offer.name}", {"action": "accept"})
		form = browser.get(f"/partner/leads/{offer.name}/convert")
		self.assertEqual(form.status_code, 200)
		self.assertEqual(input_value(form.text, "contact_email"), "buyer@convert-me.example.com")
		data = {
			"action": "convert",
			"company_name": frappe.db.get_value("Lead", offer.lead, "company_name"),
			"contact_email": "buyer@convert-me.example.com",
			"expected_value": "42000",
			"currency": frappe.db.get_default("currency"),
			"expected_close_date": add_days(today(), 30),
			"item_code_0": item,
			"qty_0": "1",
			"amount_0": "42000",
		}
		bad = browser.submit(
			f"/partner/leads/{offer.name}/convert", {**data, "expected_close_date": "2001-01-01"}
		)
		self.assertEqual(bad.status_code, 417)
		self.assertFalse(frappe.db.get_value("Lead Offer", offer.name, "deal_registration"))
		response = browser.submit(f"/partner/leads/{offer.name}/convert", data)
		self.assertEqual(response.status_code, 303, response.text[-1500:])
		registration = frappe.db.get_value("Lead Offer", offer.name, "deal_registration")
		self.assertIn(f"/partner/deals/{registration}", response.headers["Location"])
		doc = frappe.get_doc("Deal Registration", registration)
		self.assertEqual((doc.partner, doc.status), (self.partner_a, "Approved"))
		self.assertTrue(doc.protection_until)
		self.assertEqual(doc.approver, offer.offered_by)
		self.assertEqual(frappe.db.get_value("Lead Offer", offer.name, "progress"), "Converted")
		self.assertEqual(
			frappe.get_all(
				"Lead Assignment Log", filters={"lead": offer.lead}, pluck="event", order_by="creation asc"
			),
			["Offered", "Accepted", "Converted"],
		)
		# converted once
		self.assertEqual(browser.get(f"/partner/leads/{offer.name}/convert").status_code, 417)
		# the partner's answers and conversion leave its ERPNext parties alone
		if sales_partner:
			self.assertEqual(frappe.db.get_value("Sales Partner", sales_partner, "modified"), masters)

	def test_without_the_setting_a_conversion_waits_for_review(self):
		item = make_item().name
		self.made.append(("Item", item))
		frappe.db.set_single_value("PRM Settings", "protect_converted_leads", 0)
		offer = self.offer(company_name="Review Me " + random_string(5))
		browser = self.browser(self.admin_a)
		browser.submit(f"/partner/leads/{offer.name}", {"action": "accept"})
		result = browser.call(
			"prm_app.api.leads.convert_lead",
			name=offer.name,
			data={
				"company_name": "Review Me Corp " + random_string(4),
				"expected_close_date": add_days(today(), 20),
				"expected_value": 5000,
				"items": [{"item_code": item, "qty": 1, "amount": 5000}],
			},
		)
		self.assertEqual(result.status_code, 200, result.text[:800])
		self.assertEqual(
			(result.json()["message"]["status"], result.json()["message"]["protected"]),
			("Pending Review", False),
		)


class TestPlanPage(GrowthCase):
	def test_the_partner_admin_writes_the_plan_and_the_channel_team_agrees(self):
		year = current_fiscal_year()
		admin = self.browser(self.admin_a)
		page = admin.get("/partner/plan")
		self.assertIn("Start the", page.text)
		created = admin.submit("/partner/plan", {"action": "create", "fiscal_year": year})
		self.assertEqual(created.status_code, 303)
		name = frappe.db.get_value(
			"Partner Business Plan", {"partner": self.partner_a, "fiscal_year": year}, "name"
		)
		self.assertTrue(name)
		form = {
			"action": "update",
			"plan": name,
			"objectives": "Win 10 utilities",
			"t_Q1_revenue": "10000",
			"t_Q2_revenue": "-5",
			"i_0_initiative": "Joint webinar",
			"i_0_owner": "Ana",
			"i_0_due": add_days(today(), 20),
			"i_0_status": "In Progress",
		}
		bad = admin.submit("/partner/plan", form)
		self.assertEqual(bad.status_code, 417)
		self.assertIn("Q2_revenue", field_errors(bad.text))
		self.assertEqual(input_value(bad.text, "t_Q1_revenue"), "10000")
		saved = admin.submit(
			"/partner/plan", {**form, "t_Q2_revenue": "20000", "workflow_action": "Submit for Review"}
		)
		self.assertEqual(saved.status_code, 303, saved.text[-1500:])
		plan = frappe.get_doc("Partner Business Plan", name)
		self.assertEqual((plan.status, plan.submitted_side), ("Submitted", "Partner"))
		self.assertEqual([row.revenue for row in plan.targets][:2], [10000, 20000])
		self.assertEqual(plan.initiatives[0].initiative, "Joint webinar")
		# the partner does not agree to its own submission: the page does not even offer it
		page = admin.get("/partner/plan")
		self.assertNotIn('data-next-state="Agreed"', page.text)
		own = admin.call("prm_app.api.plans.plan_action", name=name, action="Agree")
		self.assertEqual(own.status_code, 403)
		# a partner user reads it, changes nothing
		user = self.browser(self.user_a)
		self.assertIn("Win 10 utilities", user.get("/partner/plan").text)
		self.assertEqual(
			user.submit(
				"/partner/plan", {"action": "note", "plan": name, "quarter": "Q1", "note": "x"}
			).status_code,
			403,
		)
		# the channel team agrees in the desk
		workflow(plan, "Agree")
		self.commit()
		page = admin.get("/partner/plan")
		self.assertIn('data-version="1"', page.text)
		# agreed targets stay agreed, on the page and through REST
		frozen = admin.request(
			"PUT",
			f"/api/resource/Partner Business Plan/{name}",
			json={"objectives": "Changed quietly", "targets": [{"quarter": "Q1", "revenue": 1}]},
		)
		self.assertGreaterEqual(frozen.status_code, 400)
		self.assertEqual(frappe.db.get_value("Partner Business Plan", name, "objectives"), "Win 10 utilities")
		self.assertEqual(admin.submit("/partner/plan", {**form, "t_Q2_revenue": "1"}).status_code, 403)
		# progress and notes go on all year
		row = plan.initiatives[0].name
		progress = admin.submit(
			"/partner/plan",
			{"action": "progress", "plan": name, f"s_{row}": "Done", "risks": "Budget freeze"},
		)
		self.assertEqual(progress.status_code, 303)
		self.assertEqual(frappe.db.get_value("Partner Business Plan Initiative", row, "status"), "Done")
		note = admin.submit(
			"/partner/plan", {"action": "note", "plan": name, "quarter": "Q1", "note": "Q1 review done"}
		)
		self.assertEqual(note.status_code, 303)
		self.assertIn("Q1 review done", admin.get("/partner/plan").text)
		# revising starts version 2; the agreed version 1 stays
		revise = next(
			a for a in admin.call("prm_app.api.plans.get_plan", "GET").json()["message"]["plan"]["actions"]
		)
		self.assertEqual(
			admin.call("prm_app.api.plans.plan_action", name=name, action=revise["action"]).status_code, 200
		)
		self.assertEqual(
			frappe.db.get_value("Partner Business Plan", name, ["status", "version"]), ("Draft", 2)
		)
		self.assertEqual(frappe.db.count("Partner Business Plan Version", {"parent": name}), 1)


class TestAssetLibrary(GrowthCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		agreement = make_agreement()
		cls.agreements.append(agreement.name)
		for user, partner in (
			(cls.admin_a, cls.partner_a),
			(cls.user_a, cls.partner_a),
			(cls.admin_b, cls.partner_b),
		):
			accept_agreement(user, agreement.name, partner)
		# A is in cls.tier; B in the default tier, ranked lower
		cls.top = make_tier()
		cls.made.append(("Program Tier", cls.top.name))
		cls.type = ensure_partner_type("Reseller")
		frappe.db.set_value("Partner", cls.partner_a, "partner_type", cls.type)
		cls.everyone = make_asset(title="Brand Book " + random_string(4), category="Brand")
		cls.for_a = make_asset(
			title="Price List " + random_string(4), lowest_tier=cls.tier.name, partner_types=[cls.type]
		)
		cls.for_top = make_asset(title="Roadmap " + random_string(4), lowest_tier=cls.top.name)
		cls.assets += [cls.everyone.name, cls.for_a.name, cls.for_top.name]
		cls.file_a = attach_asset_file(cls.for_a.name, "tier price list")
		cls.file_top = attach_asset_file(cls.for_top.name, "secret roadmap")
		frappe.db.commit()  # nosemgrep

	def test_the_library_shows_what_the_partner_qualifies_for(self):
		a = self.browser(self.admin_a).get("/partner/assets").text
		b = self.browser(self.admin_b).get("/partner/assets").text
		self.assertIn(f'data-name="{self.everyone.name}"', a)
		self.assertIn(f'data-name="{self.for_a.name}"', a)
		self.assertNotIn(f'data-name="{self.for_top.name}"', a)
		self.assertIn(f'data-name="{self.everyone.name}"', b)
		self.assertNotIn(f'data-name="{self.for_a.name}"', b)
		brand = self.browser(self.admin_a).get("/partner/assets?category=Brand").text
		self.assertIn(self.everyone.name, brand)
		self.assertNotIn(self.for_a.name, brand)
		found = self.browser(self.admin_a).get("/partner/assets?q=Price+List").text
		self.assertIn(self.for_a.name, found)
		self.assertNotIn(self.everyone.name, found)
		rest = self.browser(self.admin_b).request(
			"GET", "/api/resource/Partner Asset", params={"limit_page_length": 0}
		)
		self.assertEqual(
			{row["name"] for row in rest.json()["data"]} & set(self.assets), {self.everyone.name}
		)
		self.assertEqual(
			self.browser(self.admin_b)
			.request("GET", f"/api/resource/Partner Asset/{self.for_a.name}")
			.status_code,
			403,
		)

	def test_download_counts_and_private_files_follow_the_audience(self):
		a = self.browser(self.admin_a)
		before = frappe.db.count(
			"Partner Asset Download", {"asset": self.for_a.name, "partner": self.partner_a}
		)
		response = a.submit("/partner/assets", {"action": "download", "asset": self.for_a.name})
		self.assertEqual(response.status_code, 303)
		self.assertTrue(response.headers["Location"].endswith(self.file_a.file_url))
		self.assertEqual(a.get(self.file_a.file_url).text, "tier price list")
		self.assertEqual(
			frappe.db.count("Partner Asset Download", {"asset": self.for_a.name, "partner": self.partner_a}),
			before + 1,
		)
		# the lower-tier partner and a guest get nothing, by the page or the file's own address
		b = self.browser(self.admin_b)
		self.assertEqual(
			b.submit("/partner/assets", {"action": "download", "asset": self.for_a.name}).status_code, 403
		)
		for browser in (b, self.server.browser()):
			for file in (self.file_a, self.file_top):
				denied = browser.get(file.file_url)
				self.assertEqual(denied.status_code, 403, file.file_url)
				self.assertNotIn("price list", denied.text)
				self.assertNotIn("roadmap", denied.text)
			fid = browser.get(f"{self.file_a.file_url}?fid={self.file_a.name}")
			self.assertEqual(fid.status_code, 403)
		self.assertEqual(a.get(self.file_top.file_url).status_code, 403)
		self.assertEqual(
			frappe.db.count("Partner Asset Download", {"asset": self.for_a.name, "partner": self.partner_b}),
			0,
		)
		# nor through the audience rows of assets it does not see
		rows = b.call(
			"frappe.client.get_list",
			doctype="Partner Asset Audience",
			parent="Partner Asset",
			fields=["parent"],
		)
		self.assertFalse(
			{row["parent"] for row in rows.json().get("message") or []} & {self.for_a.name, self.for_top.name}
		)


class TestNewPartnersFirstDay(GrowthCase):
	def test_from_application_to_download(self):
		"""Apply as a guest, approved in the desk, sign in as the new partner admin, accept the new
		agreement version, receive and accept a lead, convert it, write the plan, download an asset."""
		first = self.publish()
		guest = self.server.browser()
		email = f"{random_string(8).lower()}@first-day.example.com"
		company = "First Day Solar " + random_string(5)
		applied = guest.send(
			"POST",
			"/partner/apply",
			data={
				"action": "apply",
				"company_name": company,
				"website": f"fds-{random_string(5).lower()}.example.com",
				"country": frappe.db.get_value("Country", {}, "name"),
				"contact_name": "Dana First",
				"contact_email": email,
				"agreement": first.name,
				"accept_agreement": "1",
			},
		)
		self.assertEqual(applied.status_code, 303, applied.text[-1500:])
		application = frappe.get_doc("Partner Application", {"contact_email": email})
		self.applications.append(application.name)
		# the channel team approves in the desk
		workflow(application, "Approve")
		self.commit()
		application.reload()
		partner = application.partner
		self.assertEqual(frappe.db.get_value("Partner", partner, "status"), "Onboarding")
		update_password(email, PASSWORD)
		# a new version is published before the first sign-in
		second = self.publish()
		browser = self.server.browser(email, PASSWORD)
		self.assertTrue(browser.get("/partner").headers["Location"].endswith("/partner/agreement"))
		browser.get("/partner/agreement")
		self.assertEqual(
			browser.submit("/partner/agreement", {"action": "accept", "agreement": second.name}).status_code,
			303,
		)
		self.assertEqual(browser.get("/partner").status_code, 200)
		# activated, the partner receives a lead, accepts and converts it
		doc = frappe.get_doc("Partner", partner)
		doc.status = "Active"
		doc.save()
		item = make_item().name
		self.made.append(("Item", item))
		offer = make_lead_offer(partner, self.lead(company_name="First Lead " + random_string(4)), hours=24)
		self.commit()
		self.assertIn(offer.name, browser.get("/partner/leads").text)
		self.assertEqual(
			browser.submit(f"/partner/leads/{offer.name}", {"action": "accept"}).status_code, 303
		)
		converted = browser.submit(
			f"/partner/leads/{offer.name}/convert",
			{
				"action": "convert",
				"company_name": frappe.db.get_value("Lead", offer.lead, "company_name"),
				"expected_value": "9000",
				"expected_close_date": add_days(today(), 40),
				"item_code_0": item,
				"qty_0": "1",
				"amount_0": "9000",
			},
		)
		self.assertEqual(converted.status_code, 303, converted.text[-1500:])
		self.assertTrue(frappe.db.get_value("Lead Offer", offer.name, "deal_registration"))
		# the plan
		self.assertEqual(
			browser.submit(
				"/partner/plan", {"action": "create", "fiscal_year": current_fiscal_year()}
			).status_code,
			303,
		)
		plan = frappe.db.get_value("Partner Business Plan", {"partner": partner}, "name")
		saved = browser.submit(
			"/partner/plan",
			{"action": "update", "plan": plan, "objectives": "Our first year", "t_Q4_revenue": "5000"},
		)
		self.assertEqual(saved.status_code, 303)
		# an asset
		asset = make_asset(title="Welcome Kit " + random_string(4))
		self.assets.append(asset.name)
		file = attach_asset_file(asset.name, "welcome aboard")
		self.commit()
		download = browser.submit("/partner/assets", {"action": "download", "asset": asset.name})
		self.assertEqual(download.status_code, 303)
		self.assertEqual(browser.get(file.file_url).text, "welcome aboard")
		self.assertEqual(frappe.db.count("Partner Asset Download", {"partner": partner}), 1)
