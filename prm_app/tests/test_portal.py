"""The partner portal over real HTTP: partner users sign in with Frappe's own login and use the
``/partner`` pages and the ``prm_app.api`` methods as a browser would.

Everything the requests see is committed (the server thread has its own database connection), so
the class commits its set-up and deletes all of it, and whatever the requests made, at the end.
"""

import re
from html import unescape

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, random_string, today
from frappe.utils.password import update_password
from markupsafe import escape

from prm_app.api import deals
from prm_app.api.profile import partner_address
from prm_app.permissions import member_role
from prm_app.portal.text import text
from prm_app.tests.portal_http import PortalServer, delete_everything_of
from prm_app.tests.utils import (
	SETTINGS,
	make_item,
	make_partner,
	make_registration,
	make_tier,
	make_user,
	mute_emails,
	workflow,
)

test_ignore = ["User", "Item", "Country", "Currency", "Territory", "Customer", "Sales Partner"]

PASSWORD = "Prm-Portal-" + random_string(12)
SCRIPT = "<script>alert('prm')</script>"
# a 1x1 PNG
PNG = bytes.fromhex(
	"89504e470d0a1a0a0000000d4948445200000001000000010806000000"
	"1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
)


def field_errors(html: str) -> dict[str, str]:
	"""Messages shown next to fields: {fieldname: message}."""
	found = re.findall(r'data-field="([^"]+)">\s*(.*?)\s*</div>', html, re.S)
	return {field: unescape(message) for field, message in found}


def input_value(html: str, name: str) -> str | None:
	found = re.search(rf'name="{re.escape(name)}"[^>]*?\svalue="([^"]*)"', html)
	return unescape(found.group(1)) if found else None


class PortalTestCase(FrappeTestCase):
	"""Two active partners: A with an admin and a user, B with an admin; a sellable item; the
	portal served over HTTP."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		mute_emails()
		frappe.set_user("Administrator")
		cls.started = frappe.utils.now_datetime()
		cls.made = []
		if not frappe.db.exists("Program Tier", {"is_default": 1}):
			cls.made.append(("Program Tier", make_tier(tier_name="Registered Test Tier").name))
		cls.tier = make_tier(deal_protection_days=120)
		cls.next_tier = make_tier(min_trailing_revenue=500000, min_won_deals=4, min_certified_people=2)
		cls.made += [("Program Tier", cls.tier.name), ("Program Tier", cls.next_tier.name)]
		cls.item = make_item().name
		cls.made.append(("Item", cls.item))
		cls.settings = frappe.get_single("PRM Settings").as_dict()
		settings = frappe.get_single("PRM Settings")
		settings.update({**SETTINGS, "create_customer_on_activation": 0, "create_supplier_on_activation": 0})
		settings.create_opportunity_on_approval = 0
		settings.registration_rate_limit = 30
		settings.save()
		if not frappe.db.get_value("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
			account = frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": "PRM Portal Test " + random_string(5),
					"email_id": f"portal-{random_string(6).lower()}@example.com",
					"enable_outgoing": 1,
					"default_outgoing": 1,
					"smtp_server": "localhost",
					"no_smtp_authentication": 1,
				}
			).insert(ignore_permissions=True)
			cls.made.append(("Email Account", account.name))

		cls.extra_users = []
		cls.admin_a = make_user().name
		cls.user_a = make_user().name
		cls.admin_b = make_user().name
		cls.partner_a = make_partner(
			users=[(cls.admin_a, "Partner Admin"), (cls.user_a, "Partner User")],
			status="Active",
			program_tier=cls.tier.name,
		).name
		cls.partner_b = make_partner(users=[(cls.admin_b, "Partner Admin")], status="Active").name
		for user in (cls.admin_a, cls.user_a, cls.admin_b):
			update_password(user, PASSWORD)
		frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only
		cls.server = PortalServer().start()

	@classmethod
	def tearDownClass(cls):
		cls.server.stop()
		frappe.set_user("Administrator")
		invited = frappe.get_all(
			"User", filters={"email": ("like", "%@portal-invite.example.com")}, pluck="name"
		)
		delete_everything_of(
			users=[cls.admin_a, cls.user_a, cls.admin_b, *invited, *cls.extra_users],
			partners=[cls.partner_a, cls.partner_b],
			extra_docs=cls.made,
			since=cls.started,
		)
		settings = frappe.get_single("PRM Settings")
		for key in (
			"registration_rate_limit",
			"create_customer_on_activation",
			"create_supplier_on_activation",
		):
			settings.set(key, cls.settings.get(key))
		settings.update({k: cls.settings.get(k) for k in SETTINGS})
		settings.save()
		frappe.db.commit()  # nosemgrep: test tear-down
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def browser(self, user):
		return self.server.browser(user, PASSWORD)

	def registrations(self, partner):
		return set(frappe.get_all("Deal Registration", filters={"partner": partner}, pluck="name"))

	def form(self, **values):
		data = {
			"action": "register",
			"workflow_action": "Submit for Review",
			"company_name": "Portal Customer " + random_string(6),
			"website": f"pc-{random_string(6).lower()}.example.com",
			"contact_name": "Pat Buyer",
			"contact_email": "pat@example.com",
			"expected_value": "25000",
			"currency": frappe.db.get_default("currency"),
			"expected_close_date": add_days(today(), 45),
			"item_code_0": self.item,
			"qty_0": "2",
			"amount_0": "25000",
		}
		data.update(values)
		return data

	def committed(self, doc_name, action):
		"""Run a channel-team workflow action and commit it, for the server thread to see."""
		workflow(frappe.get_doc("Deal Registration", doc_name), action)
		frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only


class TestPortalPages(PortalTestCase):
	def test_login_lands_on_the_dashboard(self):
		browser = self.server.browser()
		response = browser.login(self.admin_a, PASSWORD)
		self.assertEqual(response.json()["home_page"], "/partner")
		page = browser.get("/partner")
		self.assertEqual(page.status_code, 200)
		self.assertIn(self.tier.name, page.text)
		self.assertIn(self.next_tier.name, page.text)
		self.assertIn('data-criterion="min_trailing_revenue"', page.text)
		# all three criteria are measured (certified people come from Partner Certification)
		self.assertIn('data-criterion="min_certified_people"', page.text)
		self.assertNotIn("Not tracked yet", page.text)
		# the sign-in page sends a signed-in partner to the dashboard
		login = browser.get("/login")
		self.assertIn(login.status_code, (301, 302))
		self.assertTrue(login.headers["Location"].rstrip("/").endswith("partner"))

	def test_guest_is_sent_to_login(self):
		for path in ("/partner", "/partner/deals", "/partner/deals/new", "/partner/team", "/partner/profile"):
			response = self.server.browser().get(path)
			self.assertEqual(response.status_code, 302, path)
			self.assertIn("/login?redirect-to=", response.headers["Location"], path)

	def test_menu_by_role(self):
		admin_page = self.browser(self.admin_a).get("/partner").text
		user_page = self.browser(self.user_a).get("/partner").text
		for route in ("/partner/deals", "/partner/profile"):
			self.assertIn(f'href="{route}"', admin_page)
			self.assertIn(f'href="{route}"', user_page)
		self.assertIn('href="/partner/team"', admin_page)
		self.assertNotIn('href="/partner/team"', user_page)

	def test_staff_and_strangers_do_not_use_the_portal(self):
		loner = make_user(roles=("Partner",)).name
		update_password(loner, PASSWORD)
		frappe.db.commit()  # nosemgrep
		try:
			self.assertEqual(self.server.browser(loner, PASSWORD).get("/partner").status_code, 403)
		finally:
			delete_everything_of(users=[loner], since=self.started)

	def test_dashboard_figures(self):
		draft = make_registration(self.partner_a)
		pending = make_registration(self.partner_a)
		workflow(pending, "Submit for Review")
		expiring = make_registration(self.partner_a, company_name="Expiring Soon " + random_string(5))
		workflow(expiring, "Submit for Review")
		workflow(expiring, "Approve")
		frappe.db.set_value("Deal Registration", expiring.name, "protection_until", add_days(today(), 5))
		frappe.db.commit()  # nosemgrep
		data = self.browser(self.admin_a).call("prm_app.api.dashboard.get_dashboard", "GET").json()["message"]
		counts = data["open_by_status"]
		self.assertGreaterEqual(counts["Draft"], 1)
		self.assertGreaterEqual(counts["Pending Review"], 1)
		self.assertGreaterEqual(counts["Approved"], 1)
		self.assertIn(expiring.name, [row["name"] for row in data["expiring"]])
		self.assertNotIn(draft.name, [row["name"] for row in data["expiring"]])
		self.assertEqual(data["tier"], self.tier.name)
		self.assertEqual(data["next_tier"], self.next_tier.name)
		needs = {row["criterion"]: row for row in data["criteria"]}
		self.assertEqual(needs["min_won_deals"]["required"], 4)
		self.assertTrue(needs["min_certified_people"]["tracked"])
		self.assertEqual(needs["min_certified_people"]["actual"], 0)
		self.assertEqual(data["metrics"]["certified_people"], 0)
		page = self.browser(self.admin_a).get("/partner").text
		self.assertIn(expiring.name, page)


class TestDealRegistrationPages(PortalTestCase):
	def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(self):
		browser = self.browser(self.admin_a)
		before = self.registrations(self.partner_a)
		company = f"{SCRIPT} Keeps Typing GmbH"
		response = browser.submit(
			"/partner/deals/new",
			self.form(
				company_name=company,
				website="not a website",
				contact_email="pat@",
				expected_value="lots",
				expected_close_date="2001-01-01",
				qty_0="-3",
			),
		)
		self.assertEqual(response.status_code, 417)
		errors = field_errors(response.text)
		self.assertEqual(
			set(errors), {"website", "contact_email", "expected_value", "expected_close_date", "items"}
		)
		self.assertIn("past", errors["expected_close_date"])
		self.assertIn("Row 1", errors["items"])
		# what was typed is still there, escaped
		self.assertEqual(input_value(response.text, "company_name"), company)
		self.assertEqual(input_value(response.text, "contact_name"), "Pat Buyer")
		self.assertEqual(input_value(response.text, "qty_0"), "-3")
		self.assertNotIn(SCRIPT, response.text)
		self.assertEqual(self.registrations(self.partner_a), before)

		missing = browser.submit("/partner/deals/new", self.form(company_name="  ", expected_close_date=""))
		self.assertEqual(missing.status_code, 417)
		self.assertEqual(set(field_errors(missing.text)), {"company_name", "expected_close_date"})
		self.assertEqual(self.registrations(self.partner_a), before)

	def test_server_errors_are_shown_in_plain_words(self):
		partner = frappe.get_doc("Partner", self.partner_b)
		partner.status = "Suspended"
		partner.save()
		frappe.db.commit()  # nosemgrep
		try:
			before = self.registrations(self.partner_b)
			response = self.browser(self.admin_b).submit("/partner/deals/new", self.form())
			self.assertEqual(response.status_code, 417)
			message = re.search(r'prm-form-error" role="alert">(.*?)</div>', response.text).group(1)
			self.assertIn("only Active partners can register deals", unescape(message))
			self.assertNotIn("<strong>", unescape(message))
			self.assertEqual(input_value(response.text, "contact_name"), "Pat Buyer")
			self.assertEqual(self.registrations(self.partner_b), before)
		finally:
			partner.reload()
			partner.status = "Active"
			partner.save()
			frappe.db.commit()  # nosemgrep

	def test_register_detail_list_and_withdraw(self):
		browser = self.browser(self.user_a)
		company = f"{SCRIPT} Portal Widgets " + random_string(5)
		response = browser.submit("/partner/deals/new", self.form(company_name=company))
		self.assertEqual(response.status_code, 303, response.text[-2000:])
		location = response.headers["Location"]
		name = re.search(r"/partner/deals/([^?]+)\?done=submitted", location).group(1)
		doc = frappe.get_doc("Deal Registration", name)
		self.assertEqual(doc.partner, self.partner_a)
		self.assertEqual(doc.status, "Pending Review")
		self.assertEqual([(r.item_code, r.qty) for r in doc.items], [(self.item, 2)])

		detail = browser.get(location)
		self.assertEqual(detail.status_code, 200)
		self.assertIn("The deal is registered and submitted for review.", detail.text)
		self.assertIn('data-status="Pending Review"', detail.text)
		self.assertIn("Moved to Pending Review", detail.text)
		# as stored (Frappe 16 strips script tags from text fields, Frappe 15 keeps them as text)
		self.assertIn(str(escape(text(doc.company_name))), detail.text)
		self.assertIn("Portal Widgets", detail.text)
		self.assertNotIn(SCRIPT, detail.text)

		listing = browser.get("/partner/deals?q=Portal+Widgets")
		self.assertIn(f'data-name="{name}"', listing.text)
		self.assertNotIn(SCRIPT, listing.text)
		self.assertNotIn(f'data-name="{name}"', browser.get("/partner/deals?status=Draft").text)
		self.assertIn(f'data-name="{name}"', browser.get("/partner/deals?status=Pending+Review").text)

		withdrawn = browser.submit(
			f"/partner/deals/{name}", {"action": "workflow", "workflow_action": "Withdraw"}
		)
		self.assertEqual(withdrawn.status_code, 303)
		self.assertEqual(frappe.db.get_value("Deal Registration", name, "status"), "Withdrawn")
		# no more actions on a withdrawn registration
		self.assertNotIn('name="workflow_action"', browser.get(f"/partner/deals/{name}").text)
		again = browser.submit(
			f"/partner/deals/{name}", {"action": "workflow", "workflow_action": "Withdraw"}
		)
		self.assertEqual(again.status_code, 403)

	def test_save_as_draft_then_submit(self):
		browser = self.browser(self.admin_a)
		response = browser.submit("/partner/deals/new", self.form(workflow_action=""))
		self.assertEqual(response.status_code, 303)
		name = re.search(r"/partner/deals/([^?]+)", response.headers["Location"]).group(1)
		self.assertEqual(frappe.db.get_value("Deal Registration", name, "status"), "Draft")
		page = browser.get(f"/partner/deals/{name}").text
		self.assertIn('value="Submit for Review"', page)
		response = browser.submit(
			f"/partner/deals/{name}", {"action": "workflow", "workflow_action": "Submit for Review"}
		)
		self.assertEqual(response.status_code, 303)
		self.assertEqual(frappe.db.get_value("Deal Registration", name, "status"), "Pending Review")
		# actions the channel team takes are not available on the portal
		refused = browser.submit(
			f"/partner/deals/{name}", {"action": "workflow", "workflow_action": "Approve"}
		)
		self.assertEqual(refused.status_code, 403)
		self.assertEqual(frappe.db.get_value("Deal Registration", name, "status"), "Pending Review")

	def test_pagination(self):
		for _n in range(deals.PAGE_LENGTH + 2):
			make_registration(self.partner_b, company_name="Paged Customer " + random_string(6))
		frappe.db.commit()  # nosemgrep
		browser = self.browser(self.admin_b)
		first = browser.call("prm_app.api.deals.get_registrations", "GET", page=1).json()["message"]
		second = browser.call("prm_app.api.deals.get_registrations", "GET", page=2).json()["message"]
		self.assertEqual(len(first["rows"]), deals.PAGE_LENGTH)
		self.assertGreaterEqual(first["pages"], 2)
		self.assertFalse({r["name"] for r in first["rows"]} & {r["name"] for r in second["rows"]})
		page = browser.get("/partner/deals?page=2")
		self.assertEqual(page.status_code, 200)
		self.assertIn("Page 2 of", page.text)

	def test_register_through_the_api(self):
		browser = self.browser(self.admin_a)
		data = {
			"company_name": "API Customer " + random_string(5),
			"expected_close_date": add_days(today(), 30),
			"expected_value": 1200,
			"partner": self.partner_b,  # ignored: the partner is always the caller's
			"status": "Approved",  # ignored: not a field of the form
			"items": [{"item_code": self.item, "qty": 1, "amount": 1200}],
		}
		response = browser.call("prm_app.api.deals.register_deal", data=data, submit=0)
		self.assertEqual(response.status_code, 200, response.text)
		name = response.json()["message"]["name"]
		self.assertEqual(
			frappe.db.get_value("Deal Registration", name, ["partner", "status"]), (self.partner_a, "Draft")
		)
		bad = browser.call(
			"prm_app.api.deals.register_deal", data={**data, "expected_value": -5, "company_name": ""}
		)
		self.assertEqual(bad.status_code, 417)
		self.assertEqual(bad.json()["exc_type"], "PortalInputError")
		self.assertEqual(set(bad.json()["field_errors"]), {"expected_value", "company_name"})
		detail = browser.call("prm_app.api.deals.get_registration", "GET", name=name).json()["message"]
		self.assertEqual(detail["name"], name)
		for hidden in ("conflicts", "channel_conflict", "has_priority", "conflict_status", "partner"):
			self.assertNotIn(hidden, detail)

	def test_extension_request(self):
		doc = make_registration(self.partner_a)
		workflow(doc, "Submit for Review")
		self.committed(doc.name, "Approve")
		browser = self.browser(self.admin_a)
		page = browser.get(f"/partner/deals/{doc.name}").text
		self.assertIn("prm-extension-form", page)

		bad = browser.submit(
			f"/partner/deals/{doc.name}", {"action": "extension", "days": "900", "reason": ""}
		)
		self.assertEqual(bad.status_code, 417)
		self.assertEqual(set(field_errors(bad.text)), {"days", "reason"})
		self.assertEqual(input_value(bad.text, "days"), "900")
		self.assertEqual(frappe.get_all("Deal Registration Extension", filters={"parent": doc.name}), [])

		good = browser.submit(
			f"/partner/deals/{doc.name}", {"action": "extension", "days": "30", "reason": "Board meets in Q2"}
		)
		self.assertEqual(good.status_code, 303)
		rows = frappe.get_all(
			"Deal Registration Extension", filters={"parent": doc.name}, fields=["days", "decision"]
		)
		self.assertEqual([(r.days, r.decision) for r in rows], [(30, "Pending")])
		page = browser.get(good.headers["Location"]).text
		self.assertIn("Board meets in Q2", page)
		self.assertNotIn("prm-extension-form", page)
		twice = browser.call("prm_app.api.deals.request_extension", name=doc.name, days=10, reason="again")
		self.assertEqual(twice.status_code, 417)
		self.assertIn("already waiting", twice.text)

	def test_under_review_wording_only(self):
		company = "Contested Industries " + random_string(6)
		first = make_registration(self.partner_b, company_name=company, website="contested-ind.example.com")
		workflow(first, "Submit for Review")
		frappe.db.commit()  # nosemgrep
		browser = self.browser(self.admin_a)
		response = browser.submit(
			"/partner/deals/new", self.form(company_name=company, website="contested-ind.example.com")
		)
		self.assertEqual(response.status_code, 303)
		name = re.search(r"/partner/deals/([^?]+)", response.headers["Location"]).group(1)
		self.assertIn(
			frappe.db.get_value("Deal Registration", name, "conflict_status"),
			("Conflict", "Possible Conflict"),
		)
		page = browser.get(f"/partner/deals/{name}").text
		self.assertIn("Under review", page)
		for secret in (self.partner_b, first.name, "Conflict Evidence", "Possible Conflict", "CC-"):
			self.assertNotIn(secret, page)
		listing = browser.get("/partner/deals?q=Contested").text
		self.assertIn("prm-under-review", listing)
		self.assertNotIn(first.name, listing)

	def test_registration_is_rate_limited_per_user(self):
		frappe.db.set_single_value("PRM Settings", "registration_rate_limit", 2)
		frappe.db.commit()  # nosemgrep
		browser = self.browser(self.user_a)
		self.reset_rate_limit()
		try:
			for _n in range(2):
				response = browser.submit("/partner/deals/new", self.form(workflow_action=""))
				self.assertEqual(response.status_code, 303)
			# the count and its expiry are set together: the window always ends
			key = frappe.cache.make_key(f"prm-rate:register-deal:{self.user_a}")
			self.assertTrue(0 < frappe.cache.ttl(key) <= 3600)
			before = self.registrations(self.partner_a)
			blocked = browser.submit("/partner/deals/new", self.form(company_name="One Too Many"))
			self.assertEqual(blocked.status_code, 429)
			self.assertIn("at most 2 deals an hour", blocked.text)
			self.assertEqual(input_value(blocked.text, "company_name"), "One Too Many")
			self.assertEqual(self.registrations(self.partner_a), before)
			api = browser.call(
				"prm_app.api.deals.register_deal",
				data={"company_name": "x", "expected_close_date": add_days(today(), 9)},
			)
			self.assertEqual(api.status_code, 429)
			self.assertEqual(api.json()["exc_type"], "RegistrationRateLimitError")
			# nor around the portal: the limit holds for REST too
			rest = browser.request(
				"POST",
				"/api/resource/Deal Registration",
				json={
					"partner": self.partner_a,
					"company_name": "Via REST",
					"expected_close_date": add_days(today(), 9),
				},
			)
			self.assertEqual(rest.status_code, 429, rest.text[:500])
			self.assertIn("RegistrationRateLimitError", rest.text)
			# another user of the same partner is not affected
			other = self.browser(self.admin_a).submit("/partner/deals/new", self.form(workflow_action=""))
			self.assertEqual(other.status_code, 303)
		finally:
			frappe.db.set_single_value("PRM Settings", "registration_rate_limit", 30)
			frappe.db.commit()  # nosemgrep
			self.reset_rate_limit()

	def test_no_registration_limit_when_the_setting_is_zero(self):
		frappe.db.set_single_value("PRM Settings", "registration_rate_limit", 0)
		frappe.db.commit()  # nosemgrep
		browser = self.browser(self.user_a)
		self.reset_rate_limit()
		try:
			key = frappe.cache.make_key(f"prm-rate:register-deal:{self.user_a}")
			frappe.cache.set(key, 10_000)  # far beyond any limit
			response = browser.submit("/partner/deals/new", self.form(workflow_action=""))
			self.assertEqual(response.status_code, 303)
		finally:
			frappe.db.set_single_value("PRM Settings", "registration_rate_limit", 30)
			frappe.db.commit()  # nosemgrep
			self.reset_rate_limit()

	def reset_rate_limit(self):
		for user in (self.user_a, self.admin_a):
			frappe.cache.delete(frappe.cache.make_key(f"prm-rate:register-deal:{user}"))


class TestTeamAndProfilePages(PortalTestCase):
	def invite(self, browser, **values):
		data = {
			"action": "invite",
			"email": f"{random_string(8).lower()}@portal-invite.example.com",
			"first_name": "Ivy",
			"last_name": "Invited",
			"role": "Partner User",
		}
		data.update(values)
		return data, browser.submit("/partner/team", data)

	def test_admin_invites_a_colleague(self):
		browser = self.browser(self.admin_a)
		data, response = self.invite(browser)
		self.assertEqual(response.status_code, 303, response.text[-2000:])
		email = data["email"]
		user = frappe.get_doc("User", email)
		self.assertEqual(user.user_type, "Website User")
		self.assertIn("Partner", frappe.get_roles(email))
		self.assertNotIn("Partner Admin", frappe.get_roles(email))
		self.assertEqual(member_role(self.partner_a, email), "Partner User")
		contact = frappe.db.get_value("Contact", {"user": email})
		self.assertTrue(contact)
		self.assertTrue(
			frappe.db.exists(
				"Dynamic Link", {"parent": contact, "link_doctype": "Partner", "link_name": self.partner_a}
			)
		)
		self.assertTrue(frappe.db.exists("Email Queue Recipient", {"recipient": email}))
		self.assertIn(f'data-user="{email}"', browser.get("/partner/team").text)

	def test_invite_errors_keep_the_input(self):
		browser = self.browser(self.admin_a)
		users_before = frappe.db.count("User")
		_data, response = self.invite(browser, email="not-an-email", first_name="", role="Administrator")
		self.assertEqual(response.status_code, 417)
		self.assertEqual(set(field_errors(response.text)), {"email", "first_name", "role"})
		self.assertEqual(input_value(response.text, "email"), "not-an-email")
		self.assertEqual(input_value(response.text, "last_name"), "Invited")
		_data, member = self.invite(browser, email=self.user_a)
		self.assertEqual(member.status_code, 417)
		self.assertIn("already in your team", field_errors(member.text)["email"])
		self.assertEqual(frappe.db.count("User"), users_before)

	def test_an_invitation_does_not_reveal_whether_an_account_exists(self):
		"""An address with an account (here another partner's admin) gets the same answer, the same
		page and the same team row as a new address; the account is not attached by the partner."""
		browser = self.browser(self.admin_a)
		new_data, new = self.invite(browser, first_name="Nora")
		_old_data, old = self.invite(browser, email=self.admin_b, first_name="Olga")
		self.assertEqual(
			(new.status_code, new.headers["Location"]), (old.status_code, old.headers["Location"])
		)
		api_new = browser.call(
			"prm_app.api.team.invite_member",
			email=f"{random_string(8).lower()}@portal-invite.example.com",
			first_name="Api",
		).json()["message"]
		loner = make_user().name
		frappe.db.commit()  # nosemgrep
		api_old = browser.call("prm_app.api.team.invite_member", email=loner, first_name="Api").json()[
			"message"
		]
		self.assertEqual(set(api_new), set(api_old))
		self.assertEqual((api_new["invited"], api_new["role"]), (api_old["invited"], api_old["role"]))

		team = browser.get("/partner/team").text
		rows = {
			email: re.search(rf'<tr data-user="{re.escape(email)}"(.*?)</tr>', team, re.S).group(1)
			for email in (new_data["email"], self.admin_b)
		}
		for row in rows.values():
			self.assertIn("prm-invited", row)
			self.assertNotIn('name="action"', row)  # nothing to change before they sign in
		self.assertIn("Nora", rows[new_data["email"]])
		self.assertIn("Olga", rows[self.admin_b])
		# the name shown is the one the partner typed, never the account's
		self.assertIn(">Olga Invited</td>", rows[self.admin_b])
		self.assertIsNone(member_role(self.partner_a, self.admin_b))
		self.assertEqual(member_role(self.partner_b, self.admin_b), "Partner Admin")
		invitation = frappe.get_doc("Partner Invitation", {"partner": self.partner_a, "email": self.admin_b})
		self.assertEqual(invitation.status, "Needs Review")
		# partners have no access to invitations through the desk API either
		self.assertEqual(
			browser.request("GET", f"/api/resource/Partner Invitation/{invitation.name}").status_code, 403
		)

		# the channel team decides: another partner's user cannot join; a free website user can
		with self.assertRaises(frappe.ValidationError):
			invitation.add_existing_account()
		free = frappe.get_doc("Partner Invitation", {"partner": self.partner_a, "email": loner})
		free.add_existing_account()
		self.assertEqual(member_role(self.partner_a, loner), "Partner User")
		self.assertEqual(frappe.db.get_value("Partner Invitation", free.name, "status"), "Accepted")
		frappe.db.commit()  # nosemgrep
		self.extra_users.append(loner)

	def test_partner_user_cannot_manage_the_team(self):
		browser = self.browser(self.user_a)
		self.assertEqual(browser.get("/partner/team").status_code, 403)
		users_before = frappe.db.count("User")
		_data, response = self.invite(browser)
		self.assertEqual(response.status_code, 403)
		api = browser.call(
			"prm_app.api.team.invite_member", email="sneaky@portal-invite.example.com", first_name="S"
		)
		self.assertEqual(api.status_code, 403)
		for method, args in (
			("set_member_role", {"user": self.admin_a, "role": "Partner User"}),
			("deactivate_member", {"user": self.admin_a}),
		):
			self.assertEqual(browser.call(f"prm_app.api.team.{method}", **args).status_code, 403, method)
		self.assertEqual(frappe.db.count("User"), users_before)
		self.assertEqual(member_role(self.partner_a, self.admin_a), "Partner Admin")
		self.assertEqual(frappe.db.get_value("User", self.admin_a, "enabled"), 1)

	def test_change_role_deactivate_and_reactivate(self):
		browser = self.browser(self.admin_a)
		data, response = self.invite(browser)
		self.assertEqual(response.status_code, 303)
		colleague = data["email"]
		update_password(colleague, PASSWORD)
		frappe.db.commit()  # nosemgrep

		response = browser.submit(
			"/partner/team", {"action": "role", "user": colleague, "role": "Partner Admin"}
		)
		self.assertEqual(response.status_code, 303)
		self.assertEqual(member_role(self.partner_a, colleague), "Partner Admin")
		self.assertIn("Partner Admin", frappe.get_roles(colleague))
		self.assertEqual(self.browser(colleague).get("/partner/team").status_code, 200)

		response = browser.submit("/partner/team", {"action": "deactivate", "user": colleague})
		self.assertEqual(response.status_code, 303)
		self.assertEqual(frappe.db.get_value("User", colleague, "enabled"), 0)
		login = self.server.browser().send(
			"POST", "/api/method/login", data={"usr": colleague, "pwd": PASSWORD}
		)
		self.assertNotEqual(login.status_code, 200)

		response = browser.submit("/partner/team", {"action": "reactivate", "user": colleague})
		self.assertEqual(response.status_code, 303)
		self.assertEqual(frappe.db.get_value("User", colleague, "enabled"), 1)

		# not oneself, not another partner's user, not an unknown role
		own = browser.submit("/partner/team", {"action": "deactivate", "user": self.admin_a})
		self.assertEqual(own.status_code, 417)
		other = browser.submit("/partner/team", {"action": "deactivate", "user": self.admin_b})
		self.assertEqual(other.status_code, 403)
		role = browser.submit(
			"/partner/team", {"action": "role", "user": colleague, "role": "System Manager"}
		)
		self.assertEqual(role.status_code, 417)
		self.assertEqual(frappe.db.get_value("User", self.admin_a, "enabled"), 1)
		self.assertEqual(frappe.db.get_value("User", self.admin_b, "enabled"), 1)
		self.assertNotIn("System Manager", frappe.get_roles(colleague))

	def test_admin_edits_the_profile(self):
		browser = self.browser(self.admin_a)
		values = {
			"action": "profile",
			"website": "www.partner-a-portal.example.com",
			"description": f"We resell {SCRIPT} everything.",
			"address_line1": "1 Portal Street",
			"city": "Springfield",
			"country": "United States",
		}
		response = browser.submit("/partner/profile", values, files={"logo": ("logo.png", PNG, "image/png")})
		self.assertEqual(response.status_code, 303, response.text[-2000:])
		partner = frappe.get_doc("Partner", self.partner_a)
		self.assertEqual(partner.website, "https://www.partner-a-portal.example.com")
		self.assertTrue(partner.logo.startswith("/files/"))
		self.assertEqual(text(partner.description), f"We resell {SCRIPT} everything.")
		address = partner_address(self.partner_a)
		self.assertEqual(frappe.db.get_value("Address", address, "city"), "Springfield")
		page = browser.get("/partner/profile").text
		self.assertNotIn(SCRIPT, page)
		self.assertIn(partner.logo, page)

		bad = browser.submit(
			"/partner/profile",
			{**values, "website": "javascript://x.com/%0aalert(1)", "city": "", "description": "kept"},
			files={"logo": ("logo.png", b"<svg onload=alert(1)>", "image/png")},
		)
		self.assertEqual(bad.status_code, 417)
		self.assertEqual(set(field_errors(bad.text)), {"website", "city", "logo"})
		self.assertIn(">kept</textarea>", bad.text)
		self.assertEqual(frappe.db.get_value("Partner", self.partner_a, "website"), partner.website)
		self.assertEqual(frappe.db.get_value("Partner", self.partner_a, "logo"), partner.logo)

	def test_partner_user_sees_the_profile_read_only(self):
		browser = self.browser(self.user_a)
		page = browser.get("/partner/profile")
		self.assertEqual(page.status_code, 200)
		self.assertNotIn('name="action" value="profile"', page.text)
		before = frappe.db.get_value("Partner", self.partner_a, ["website", "description"])
		response = browser.submit("/partner/profile", {"action": "profile", "website": "evil.example.com"})
		self.assertEqual(response.status_code, 403)
		api = browser.call("prm_app.api.profile.update_profile", website="evil.example.com")
		self.assertEqual(api.status_code, 403)
		self.assertEqual(frappe.db.get_value("Partner", self.partner_a, ["website", "description"]), before)


class TestPortalChrome(PortalTestCase):
	"""What surrounds the partner's pages: the menu, the footer, the tier card."""

	def test_frappes_own_menu_and_newsletter_are_not_shown_unless_an_admin_wants_them(self):
		# a menu item that names no role, as Frappe's own "Addresses" and "Newsletter" were
		settings = frappe.get_doc("Portal Settings")
		settings.append("custom_menu", {"title": "Role-less Link", "route": "/prm-roleless", "enabled": 1})
		settings.save()
		frappe.cache.delete_key("portal_menu_items")
		frappe.db.commit()  # nosemgrep
		browser = self.browser(self.admin_a)
		try:
			page = browser.get("/partner").text
			for route in ("/partner/deals", "/partner/profile", "/partner/team"):
				self.assertIn(f'href="{route}"', page)
			for route in ("/prm-roleless", "/addresses", "/newsletters"):
				self.assertNotIn(f'href="{route}"', page)
			self.assertNotIn("footer-subscribe", page)
			frappe.db.set_single_value("PRM Settings", "show_frappe_portal_menu", 1)
			frappe.db.commit()  # nosemgrep
			self.assertIn('href="/prm-roleless"', browser.get("/partner").text)
		finally:
			frappe.db.set_single_value("PRM Settings", "show_frappe_portal_menu", 0)
			settings.reload()
			settings.set("custom_menu", [row for row in settings.custom_menu if row.route != "/prm-roleless"])
			settings.save()
			frappe.cache.delete_key("portal_menu_items")
			frappe.db.commit()  # nosemgrep

	def test_a_programme_without_tiers_says_so_once(self):
		from frappe.utils import set_request
		from frappe.website.serve import get_response_content

		frappe.db.savepoint("no_tiers")
		try:
			frappe.db.set_value("Partner", self.partner_a, "program_tier", None)
			frappe.db.delete("Program Tier")
			frappe.set_user(self.admin_a)
			set_request(method="GET", path="/partner")
			page = get_response_content("/partner")
			self.assertIn("The programme has no tiers yet.", page)
			self.assertNotIn("highest tier", page)
			self.assertNotIn("No tier yet", page)
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback(save_point="no_tiers")
