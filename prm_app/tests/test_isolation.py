"""A partner's users see only their own partner's records, through every path.

One matrix, for every partner-owned doctype (``prm_app.permissions.PARTNER_OWNED``): a user of
partner A, against partner B's record, through ``frappe.get_list``, report views (rows, counts and
group-by counts), ``frappe.get_doc`` / ``frappe.client.get``, link search, REST ``/api/resource``
(list, GET, PUT, DELETE), the desk's form loader and print view, Frappe's web list, the portal
pages and portal methods by name, the download of B's private attachments, and Frappe's Web Form
endpoint. Every one is denied or comes back without B's record.

It fails when a doctype of this app links to Partner without being registered in permissions.py,
in hooks.py, in ``RECORD_FACTORIES`` and in ``PORTAL_PROBES`` below.

The HTTP checks go to a real server (``prm_app.tests.portal_http``) signed in with Frappe's own
login, so the records are committed here and deleted in ``tearDownClass``.
"""

import json
from urllib.parse import quote

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, random_string, today
from frappe.utils.password import update_password

from prm_app import hooks
from prm_app.permissions import PARTNER_OWNED
from prm_app.tests.portal_http import PortalServer, delete_everything_of
from prm_app.tests.utils import make_partner, make_registration, make_tier, make_user

PASSWORD = "Prm-Isolation-" + random_string(12)


def _partner_record(partner):
	return "Partner", partner.name


def _deal_registration(partner):
	company = f"Isolated Customer {random_string(8)}"
	return "Deal Registration", make_registration(partner.name, company, expected_value=4242).name


# doctype -> function(partner) -> (doctype, name) of a record owned by that partner
RECORD_FACTORIES = {
	"Partner": _partner_record,
	"Deal Registration": _deal_registration,
}


def partner_linked_doctypes() -> set[str]:
	"""Every non-child doctype of this app that is, or links to, Partner."""
	found = {"Partner"}
	for doctype in frappe.get_all("DocType", filters={"module": "PRM App", "istable": 0}, pluck="name"):
		meta = frappe.get_meta(doctype)
		if any(df.fieldtype == "Link" and df.options == "Partner" for df in meta.fields):
			found.add(doctype)
	return found


def label_of(doctype: str, name: str) -> str:
	"""A text of the record that a page showing it would contain."""
	if doctype == "Deal Registration":
		return frappe.db.get_value(doctype, name, "company_name")
	return name


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
		("withdraw", {"name": other}),
		("request_extension", {"name": other, "days": 30, "reason": "mine now"}),
	):
		response = browser.call(f"prm_app.api.portal.{method}", **args)
		test.assertEqual(response.status_code, 403, method)
		test.assertFalse(other_company in response.text, method)
	test.assertEqual(frappe.db.get_value("Deal Registration", other, ["status", "modified"]), before)
	listing = browser.get(f"/partner/deals?q={quote(other_company)}")
	test.assertFalse(other in listing.text)
	found = browser.call("prm_app.api.portal.get_registrations", "GET", search=other_company)
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
	profile = browser.call("prm_app.api.portal.get_profile", "GET", name=other).json()["message"]
	test.assertEqual(profile["name"], own)
	before = frappe.db.get_value("Partner", other, ["website", "description", "modified"])
	for method, args in (
		("set_member_role", {"user": other_users[0], "role": "Partner User"}),
		("deactivate_member", {"user": other_users[0]}),
	):
		test.assertEqual(browser.call(f"prm_app.api.portal.{method}", **args).status_code, 403, method)
	# the profile a caller edits is always its own partner's, whatever the request names
	response = browser.call("prm_app.api.portal.update_profile", name=other, website="a-own.example.com")
	test.assertEqual(response.status_code, 200)
	test.assertEqual(frappe.db.get_value("Partner", own, "website"), "https://a-own.example.com")
	test.assertEqual(frappe.db.get_value("Partner", other, ["website", "description", "modified"]), before)
	test.assertEqual(frappe.db.get_value("User", other_users[0], "enabled"), 1)


PORTAL_PROBES = {
	"Partner": _probe_partner,
	"Deal Registration": _probe_deal_registration,
}


class TestIsolation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.started = frappe.utils.now_datetime()
		cls.made = []
		if not frappe.db.exists("Program Tier", {"is_default": 1}):
			cls.made.append(("Program Tier", make_tier(tier_name="Registered Test Tier").name))
		cls.user_a = make_user().name
		cls.user_b = make_user().name
		cls.more_users = []
		cls.settings = {
			key: frappe.db.get_single_value("PRM Settings", key)
			for key in ("create_customer_on_activation", "create_supplier_on_activation")
		}
		frappe.db.set_single_value("PRM Settings", "create_customer_on_activation", 0)
		frappe.db.set_single_value("PRM Settings", "create_supplier_on_activation", 0)
		cls.partner_a = make_partner(users=[(cls.user_a, "Partner Admin")], status="Active")
		cls.partner_b = make_partner(users=[(cls.user_b, "Partner Admin")], status="Active")
		for user in (cls.user_a, cls.user_b):
			update_password(user, PASSWORD)
		cls.records = {}
		cls.files = {}
		for doctype in PARTNER_OWNED:
			factory = RECORD_FACTORIES[doctype]
			cls.records[doctype] = (factory(cls.partner_a), factory(cls.partner_b))
			cls.files[doctype] = tuple(cls.attach_private_file(*record) for record in cls.records[doctype])
		frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only
		cls.server = PortalServer().start()

	@classmethod
	def attach_private_file(cls, doctype, name):
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"isolation-{random_string(8)}.txt",
				"attached_to_doctype": doctype,
				"attached_to_name": name,
				"is_private": 1,
				"content": f"private to {name}",
			}
		).insert(ignore_permissions=True)
		cls.made.append(("File", file.name))
		return file.file_url

	@classmethod
	def tearDownClass(cls):
		cls.server.stop()
		frappe.set_user("Administrator")
		delete_everything_of(
			users=[cls.user_a, cls.user_b, *cls.more_users],
			partners=[cls.partner_a.name, cls.partner_b.name],
			extra_docs=cls.made,
			since=cls.started,
		)
		for key, value in cls.settings.items():
			frappe.db.set_single_value("PRM Settings", key, value)
		frappe.db.commit()  # nosemgrep: test tear-down
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def browser(self, user=None):
		return self.server.browser(user or self.user_a, PASSWORD)

	def test_every_partner_owned_doctype_is_covered(self):
		linked = partner_linked_doctypes()
		self.assertLessEqual(
			linked, set(PARTNER_OWNED), "register new partner-owned doctypes in permissions.py"
		)
		for doctype in PARTNER_OWNED:
			self.assertIn(doctype, hooks.permission_query_conditions, doctype)
			self.assertIn(doctype, hooks.has_permission, doctype)
			self.assertIn(doctype, RECORD_FACTORIES, f"add a record factory for {doctype}")
			self.assertIn(doctype, PORTAL_PROBES, f"add a portal probe for {doctype}")

	def test_get_list_and_reportview(self):
		from frappe.desk.listview import get_group_by_count
		from frappe.desk.reportview import get as reportview_get
		from frappe.desk.reportview import get_count

		frappe.set_user(self.user_a)
		for doctype, ((_, own), (_, other)) in self.records.items():
			names = frappe.get_list(doctype, pluck="name", limit_page_length=0)
			self.assertIn(own, names, doctype)
			self.assertNotIn(other, names, doctype)
			frappe.local.form_dict = frappe._dict(
				doctype=doctype, fields=json.dumps(["name"]), limit_page_length=0
			)
			rows = reportview_get()
			flat = (
				{r[0] for r in rows.get("values", [])} if isinstance(rows, dict) else {r.name for r in rows}
			)
			self.assertNotIn(other, flat, doctype)
			# asking for it by name gives nothing
			self.assertEqual(frappe.get_list(doctype, filters={"name": other}), [], doctype)
			frappe.local.form_dict = frappe._dict(doctype=doctype, filters=json.dumps({"name": other}))
			self.assertEqual(get_count(), 0, doctype)
			groups = get_group_by_count(doctype, "[]", "name")
			self.assertNotIn(other, {g.get("name") for g in groups}, doctype)

	def test_get_doc_is_denied(self):
		from frappe.client import get as client_get

		frappe.set_user(self.user_a)
		for doctype, ((_, own), (other_doctype, other)) in self.records.items():
			self.assertTrue(frappe.get_doc(doctype, own).has_permission("read"), doctype)
			doc = frappe.get_doc(other_doctype, other)
			self.assertFalse(doc.has_permission("read"), doctype)
			self.assertFalse(doc.has_permission("write"), doctype)
			with self.assertRaises(frappe.PermissionError):
				doc.check_permission("read")
			with self.assertRaises(frappe.PermissionError):
				client_get(other_doctype, other)

	def test_link_search(self):
		from frappe.desk.search import search_link

		frappe.set_user(self.user_a)
		for doctype, ((_, own), (_, other)) in self.records.items():
			results = search_link(doctype, "", page_length=1000) or frappe.response.get("results") or []
			values = {r.get("value") for r in results}
			self.assertIn(own, values, doctype)
			self.assertNotIn(other, values, doctype)
			# searching by the other record's own name finds nothing either
			results = search_link(doctype, other, page_length=1000) or []
			self.assertNotIn(other, {r.get("value") for r in results}, doctype)

	def test_rest_api(self):
		browser = self.browser()
		for doctype, ((_, own), (other_doctype, other)) in self.records.items():
			listing = browser.request("GET", f"/api/resource/{doctype}", params={"limit_page_length": 0})
			self.assertEqual(listing.status_code, 200, listing.text[:500])
			names = {row["name"] for row in listing.json()["data"]}
			self.assertIn(own, names, doctype)
			self.assertNotIn(other, names, doctype)

			self.assertEqual(browser.request("GET", f"/api/resource/{doctype}/{quote(own)}").status_code, 200)
			before = frappe.db.get_value(other_doctype, other, "modified")
			for method, kwargs in (
				("GET", {}),
				("PUT", {"json": {"description": "hijacked"}}),
				("DELETE", {}),
			):
				response = browser.request(method, f"/api/resource/{other_doctype}/{quote(other)}", **kwargs)
				self.assertEqual(response.status_code, 403, f"{method} {doctype}: {response.text[:500]}")
			self.assertTrue(frappe.db.exists(other_doctype, other))
			self.assertEqual(frappe.db.get_value(other_doctype, other, "modified"), before)

	def test_desk_form_print_and_web_list(self):
		browser = self.browser()
		for doctype, ((_, own), (_, other)) in self.records.items():
			label = label_of(doctype, other)
			getdoc = browser.call("frappe.desk.form.load.getdoc", "GET", doctype=doctype, name=other)
			self.assertEqual(getdoc.status_code, 403, doctype)
			self.assertFalse('"docs"' in getdoc.text, doctype)
			printed = browser.get(f"/printview?doctype={quote(doctype)}&name={quote(other)}")
			self.assertEqual(printed.status_code, 403, doctype)
			self.assertFalse(label in printed.text, doctype)
			html = browser.call("frappe.www.printview.get_html_and_style", "GET", doc=doctype, name=other)
			self.assertEqual(html.status_code, 403, doctype)
			web_list = browser.call("frappe.www.list.get", "GET", doctype=doctype)
			self.assertEqual(web_list.status_code, 200, doctype)
			rows = json.loads(web_list.json()["message"]["raw_result"])
			self.assertIn(own, {row["name"] for row in rows}, doctype)
			self.assertNotIn(other, {row["name"] for row in rows}, doctype)

	def test_portal_pages_and_methods_by_name(self):
		browser = self.browser()
		for doctype, ((_, own), (_, other)) in self.records.items():
			PORTAL_PROBES[doctype](self, browser, own, other)

	def test_private_attachments(self):
		browser = self.browser()
		for doctype, (own_url, other_url) in self.files.items():
			own = browser.get(own_url)
			self.assertEqual(own.status_code, 200, doctype)
			self.assertIn("private to", own.text)
			other = browser.get(other_url)
			self.assertEqual(other.status_code, 403, doctype)
			self.assertFalse("private to" in other.text, doctype)
			other_name = frappe.db.get_value("File", {"file_url": other_url}, "name")
			self.assertEqual(browser.get(f"{other_url}?fid={other_name}").status_code, 403, doctype)
			files = browser.request("GET", "/api/resource/File", params={"limit_page_length": 0})
			self.assertFalse(other_url in files.text, doctype)

	def test_website_users_have_no_desk(self):
		browser = self.server.browser()
		login = browser.login(self.user_a, PASSWORD)
		self.assertEqual(login.json()["message"], "No App")
		self.assertEqual(login.json()["home_page"], "/partner")
		for path in ("/app", "/app/partner", "/app/deal-registration", "/app/partner/view/list"):
			page = browser.get(path)
			self.assertEqual(page.status_code, 403, path)
			self.assertFalse(self.partner_b.name in page.text, path)
			self.assertFalse('"desk_settings"' in page.text, path)  # no desk boot
		self.assertEqual(frappe.db.get_value("User", self.user_a, "user_type"), "Website User")

	def test_web_form_endpoint_cannot_register_for_another_partner(self):
		"""Frappe's Web Form endpoint inserts without permission checks; the registration form is
		never a way to write another partner's (or any) registration through it."""
		browser = self.browser()
		theirs = frappe.db.count("Deal Registration", {"partner": self.partner_b.name})
		data = {
			"doctype": "Deal Registration",
			"company_name": "Web Form Bypass " + random_string(6),
			"partner": self.partner_b.name,
			"expected_close_date": add_days(today(), 30),
		}
		response = browser.call(
			"frappe.website.doctype.web_form.web_form.accept",
			web_form="deal-registration",
			data=json.dumps(data),
		)
		# The form has no partner field: at most the caller's own partner gets a draft, as with REST.
		made = frappe.get_all(
			"Deal Registration", filters={"company_name": data["company_name"]}, pluck="partner"
		)
		self.assertLessEqual(set(made), {self.partner_a.name}, response.text[:500])
		self.assertEqual(frappe.db.count("Deal Registration", {"partner": self.partner_b.name}), theirs)
		(_, other) = self.records["Deal Registration"][1]
		edit = browser.call(
			"frappe.website.doctype.web_form.web_form.accept",
			web_form="deal-registration",
			data=json.dumps({**data, "name": other, "company_name": "Renamed"}),
		)
		self.assertNotEqual(edit.status_code, 200)
		self.assertNotEqual(frappe.db.get_value("Deal Registration", other, "company_name"), "Renamed")

	def test_internal_users_see_everything(self):
		manager = make_user(website_user=False, roles=("Partner Manager",)).name
		self.more_users.append(manager)
		frappe.set_user(manager)
		for doctype, ((_, own), (_, other)) in self.records.items():
			names = frappe.get_list(doctype, pluck="name", limit_page_length=0)
			self.assertIn(own, names)
			self.assertIn(other, names)

	def test_user_without_partner_sees_nothing(self):
		loner = make_user(roles=("Partner",)).name
		self.more_users.append(loner)
		update_password(loner, PASSWORD)
		frappe.set_user(loner)
		for doctype in PARTNER_OWNED:
			self.assertEqual(frappe.get_list(doctype, limit_page_length=0), [], doctype)
		frappe.set_user("Administrator")
		browser = self.server.browser(loner, PASSWORD)
		self.assertEqual(browser.get("/partner").status_code, 403)
		for doctype in PARTNER_OWNED:
			listing = browser.request("GET", f"/api/resource/{doctype}", params={"limit_page_length": 0})
			self.assertEqual(listing.json().get("data"), [], doctype)
