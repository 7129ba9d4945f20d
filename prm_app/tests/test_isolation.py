"""A partner's users see only their own partner's records, through every path.

One matrix, for every partner-owned doctype (``prm_app.permissions.PARTNER_OWNED``): a user of
partner A, against partner B's record, through ``frappe.get_list``, report views (rows, counts and
group-by counts), ``frappe.get_doc`` / ``frappe.client.get``, link search, REST ``/api/resource``
(list, GET, PUT, DELETE), the desk's form loader and print view, Frappe's web list, the portal
pages and portal methods by name, the download of B's private attachments, and Frappe's Web Form
endpoint. Every one is denied or comes back without B's record.

It fails when a doctype of this app links to Partner without being registered in permissions.py,
in hooks.py, in ``FACTORIES`` and in ``PROBES`` below.

The HTTP checks go to a real server (``prm_app.tests.portal_http``) signed in with Frappe's own
login, so the records are committed here and deleted in ``tearDownClass``.
"""

import json
from urllib.parse import quote, urlparse

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, random_string, today
from frappe.utils.password import update_password

from prm_app import hooks
from prm_app.permissions import PARTNER_OWNED
from prm_app.tests.isolation import CLEANUPS, DESK_INVISIBLE, FACTORIES, PROBES
from prm_app.tests.isolation.core import label_of
from prm_app.tests.portal_http import PortalServer, delete_everything_of
from prm_app.tests.utils import (
	ensure_outbox,
	make_partner,
	make_registration,
	make_tier,
	make_user,
	mute_emails,
)

PASSWORD = "Prm-Isolation-" + random_string(12)


def partner_linked_doctypes() -> set[str]:
	"""Every non-child doctype of this app that is, or links to, Partner."""
	found = {"Partner"}
	for doctype in frappe.get_all("DocType", filters={"module": "PRM App", "istable": 0}, pluck="name"):
		meta = frappe.get_meta(doctype)
		if any(df.fieldtype == "Link" and df.options == "Partner" for df in meta.fields):
			found.add(doctype)
	return found


class IsolationCase(FrappeTestCase):
	"""Two active partners with a Partner Admin each, a record of each partner-owned doctype for
	each (with a private attachment), and the site served over HTTP."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		mute_emails()
		frappe.set_user("Administrator")
		cls.started = frappe.utils.now_datetime()
		cls.made = []
		if not frappe.db.get_value("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
			ensure_outbox()
			cls.made.append(("Email Account", "PRM Test Outbox"))
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
			factory = FACTORIES[doctype]
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
		for cleanup in CLEANUPS:
			cleanup()
		for key, value in cls.settings.items():
			frappe.db.set_single_value("PRM Settings", key, value)
		frappe.db.commit()  # nosemgrep: test tear-down
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def listed(self, query):
		"""What a list query gives; a doctype the user may not list at all gives nothing."""
		try:
			return query()
		except frappe.PermissionError:
			frappe.clear_messages()
			return []

	def assert_own_visible(self, doctype, own, names):
		if doctype in DESK_INVISIBLE:
			self.assertNotIn(own, names, f"{doctype}: partners do not read it through the desk's paths")
		else:
			self.assertIn(own, names, doctype)

	def browser(self, user=None):
		return self.server.browser(user or self.user_a, PASSWORD)


class TestIsolation(IsolationCase):
	def test_every_partner_owned_doctype_is_covered(self):
		linked = partner_linked_doctypes()
		self.assertLessEqual(
			linked, set(PARTNER_OWNED), "register new partner-owned doctypes in permissions.py"
		)
		for doctype in PARTNER_OWNED:
			self.assertIn(doctype, hooks.permission_query_conditions, doctype)
			self.assertIn(doctype, hooks.has_permission, doctype)
			self.assertIn(doctype, FACTORIES, f"add a record factory for {doctype}")
			self.assertIn(doctype, PROBES, f"add a portal probe for {doctype}")

	def test_get_list_and_reportview(self):
		from frappe.desk.listview import get_group_by_count
		from frappe.desk.reportview import get as reportview_get
		from frappe.desk.reportview import get_count

		frappe.set_user(self.user_a)
		for doctype, ((_, own), (_, other)) in self.records.items():
			names = self.listed(lambda: frappe.get_list(doctype, pluck="name", limit_page_length=0))
			self.assert_own_visible(doctype, own, names)
			self.assertNotIn(other, names, doctype)
			frappe.local.form_dict = frappe._dict(
				doctype=doctype, fields=json.dumps(["name"]), limit_page_length=0
			)
			rows = self.listed(reportview_get)
			flat = (
				{r[0] for r in rows.get("values", [])} if isinstance(rows, dict) else {r.name for r in rows}
			)
			self.assertNotIn(other, flat, doctype)
			# asking for it by name gives nothing
			self.assertEqual(
				self.listed(lambda: frappe.get_list(doctype, filters={"name": other})), [], doctype
			)
			frappe.local.form_dict = frappe._dict(doctype=doctype, filters=json.dumps({"name": other}))
			self.assertEqual(self.listed(get_count) or 0, 0, doctype)
			groups = self.listed(lambda: get_group_by_count(doctype, "[]", "name"))
			self.assertNotIn(other, {g.get("name") for g in groups}, doctype)

	def test_get_doc_is_denied(self):
		from frappe.client import get as client_get

		frappe.set_user(self.user_a)
		for doctype, ((_, own), (other_doctype, other)) in self.records.items():
			self.assertEqual(
				frappe.get_doc(doctype, own).has_permission("read"), doctype not in DESK_INVISIBLE, doctype
			)
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
			results = self.listed(lambda: search_link(doctype, "", page_length=1000)) or []
			values = {r.get("value") for r in results}
			self.assert_own_visible(doctype, own, values)
			self.assertNotIn(other, values, doctype)
			# searching by the other record's own name finds nothing either
			results = self.listed(lambda: search_link(doctype, other, page_length=1000)) or []
			self.assertNotIn(other, {r.get("value") for r in results}, doctype)

	def test_rest_api(self):
		browser = self.browser()
		for doctype, ((_, own), (other_doctype, other)) in self.records.items():
			listing = browser.request("GET", f"/api/resource/{doctype}", params={"limit_page_length": 0})
			names = {row["name"] for row in listing.json().get("data") or []}
			self.assert_own_visible(doctype, own, names)
			self.assertNotIn(other, names, doctype)
			self.assertEqual(
				listing.status_code, 403 if doctype in DESK_INVISIBLE else 200, listing.text[:500]
			)

			own_status = browser.request("GET", f"/api/resource/{doctype}/{quote(own)}").status_code
			self.assertEqual(own_status, 403 if doctype in DESK_INVISIBLE else 200, doctype)
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
			# Frappe's web list (Frappe 16 serves none for doctypes without a web view)
			web_list = browser.call("frappe.www.list.get", "GET", doctype=doctype)
			message = web_list.json().get("message") if web_list.status_code == 200 else None
			rows = json.loads(message["raw_result"]) if message else []
			if rows or doctype in DESK_INVISIBLE:
				self.assert_own_visible(doctype, own, {row["name"] for row in rows})
			self.assertNotIn(other, {row["name"] for row in rows}, doctype)

	def test_portal_pages_and_methods_by_name(self):
		browser = self.browser()
		for doctype, ((_, own), (_, other)) in self.records.items():
			PROBES[doctype](self, browser, own, other)

	def test_private_attachments(self):
		browser = self.browser()
		for doctype, (own_url, other_url) in self.files.items():
			own = browser.get(own_url)
			if doctype in DESK_INVISIBLE:
				self.assertEqual(own.status_code, 403, doctype)
			else:
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
		for path in (
			"/app",
			"/app/partner",
			"/app/deal-registration",
			"/app/partner/view/list",
			"/desk",
			"/desk/partner",
			"/desk/deal-registration",
		):
			page = browser.get(path)
			for _hop in range(2):  # Frappe 16 moved the desk from /app to /desk; 15 sends /desk to /app
				if page.status_code not in (301, 302):
					break
				page = browser.get(urlparse(page.headers["Location"]).path)
			self.assertIn(page.status_code, (403, 404), path)
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
			self.assertEqual(self.listed(lambda: frappe.get_list(doctype, limit_page_length=0)), [], doctype)
		frappe.set_user("Administrator")
		browser = self.server.browser(loner, PASSWORD)
		self.assertEqual(browser.get("/partner").status_code, 403)
		for doctype in PARTNER_OWNED:
			listing = browser.request("GET", f"/api/resource/{doctype}", params={"limit_page_length": 0})
			self.assertFalse(listing.json().get("data"), doctype)


def whitelisted_doc_methods(doctype: str) -> list[str]:
	"""The controller methods of ``doctype`` that ``run_doc_method`` can reach."""
	from frappe.model.base_document import get_controller

	controller = get_controller(doctype)
	names = []
	for name in dir(controller):
		attr = getattr(controller, name, None)
		fn = getattr(attr, "__func__", attr)
		if callable(fn) and fn in frappe.whitelisted and getattr(fn, "__module__", "").startswith("prm_app."):
			names.append(name)
	return sorted(names)


def forged_args(doctype: str, method: str, target: str) -> dict:
	"""Plausible arguments for ``method``: what an attacker would send."""
	from inspect import signature

	from frappe.model.base_document import get_controller

	pending = frappe.db.get_value(
		"Deal Registration Extension", {"parent": target, "decision": "Pending"}, "name"
	)
	plausible = {
		"days": 30,
		"reason": "forged",
		"row_name": pending or "x",
		"decision": "Approved",
		"note": "x",
	}
	params = [p for p in signature(getattr(get_controller(doctype), method)).parameters if p != "self"]
	return {p: plausible.get(p, "x") for p in params}


def footprint(doctype: str, name: str) -> tuple:
	"""Everything a method could change on a record: its row, its child rows, its timeline."""
	meta = frappe.get_meta(doctype)
	children = tuple(
		frappe.db.count(df.options, {"parent": name, "parenttype": doctype}) for df in meta.get_table_fields()
	)
	return (
		frappe.db.get_value(doctype, name, "modified"),
		frappe.as_json(frappe.db.get_value(doctype, name, "*", as_dict=True)),
		children,
		frappe.db.count("Comment", {"reference_doctype": doctype, "reference_name": name}),
		frappe.db.count("ToDo", {"reference_type": doctype, "reference_name": name}),
	)


class TestTrustBoundaries(IsolationCase):
	"""The paths an attacker tries beyond the matrix: forged request bodies for controller methods,
	the desk's collaboration endpoints, the permissions partner roles hold, sorting and grouping."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from prm_app.tests.utils import make_item, workflow

		frappe.set_user("Administrator")
		cls.item = make_item().name
		cls.made.append(("Item", cls.item))
		# B's approved registration, with a pending extension: what a forged body would aim at
		target = make_registration(
			cls.partner_b.name, "Forgery Target " + random_string(6), expected_value=5150
		)
		workflow(target, "Submit for Review")
		workflow(frappe.get_doc("Deal Registration", target.name), "Approve")
		frappe.get_doc("Deal Registration", target.name).request_extension(20, "B's own request")
		cls.target = target.name
		# A's own registration, with the channel team's comment naming B
		own = make_registration(cls.partner_a.name, "Own Deal " + random_string(6))
		cls.own = own.name
		cls.secret = f"{cls.partner_b.name} registered first: keep it quiet"
		frappe.get_doc("Deal Registration", own.name).add_comment("Comment", cls.secret)
		frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only

	def forged_bodies(self, doctype: str, target: str) -> list[dict]:
		field = PARTNER_OWNED.get(doctype)
		real = frappe.db.get_value(doctype, target, "modified") if frappe.db.exists(doctype, target) else None
		base = {"doctype": doctype, "name": target, "status": "Approved", "docstatus": 0}
		if field and field != "name":
			base[field] = self.partner_a.name
		return [
			{**base, "__islocal": 1},
			{**base, "modified": str(real) if real else None},
			{
				**base,
				"modified": str(real) if real else None,
				**({field: self.partner_b.name} if field and field != "name" else {}),
			},
		]

	def test_forged_bodies_never_reach_another_partners_record(self):
		"""``run_doc_method`` (v1 and v2) builds ``self`` from the request: every whitelisted method
		of every doctype of the app must act on the stored record, after checking permission on it."""
		browser = self.browser()
		doctypes = frappe.get_all(
			"DocType", filters={"module": "PRM App", "istable": 0, "issingle": 0}, pluck="name"
		)
		checked = []
		for doctype in doctypes:
			for method in whitelisted_doc_methods(doctype):
				if doctype == "Deal Registration":
					target = self.target
				elif doctype in FACTORIES:
					target = self.records[doctype][1][1]
				else:
					target = frappe.db.get_value(doctype, {}, "name") or "does-not-exist"
				exists = frappe.db.exists(doctype, target)
				before = footprint(doctype, target) if exists else None
				args = forged_args(doctype, method, target)
				for body in self.forged_bodies(doctype, target):
					v1 = browser.request(
						"POST",
						"/api/method/run_doc_method",
						json={"docs": json.dumps(body), "method": method, "args": json.dumps(args)},
					)
					self.assertGreaterEqual(v1.status_code, 400, f"{doctype}.{method} v1: {v1.text[:300]}")
					v2 = browser.request(
						"POST",
						"/api/v2/method/run_doc_method",
						json={"document": body, "method": method, "kwargs": args},
					)
					self.assertGreaterEqual(v2.status_code, 400, f"{doctype}.{method} v2: {v2.text[:300]}")
					self.assertNotIn("forged", v1.text + v2.text)
				if exists:
					self.assertEqual(
						footprint(doctype, target), before, f"{doctype}.{method} changed {target}"
					)
				checked.append(f"{doctype}.{method}")
		self.assertIn("Deal Registration.request_extension", checked)
		self.assertIn("Partner Invitation.add_existing_account", checked)

	def test_desk_endpoints_give_partners_nothing(self):
		"""getdoc, docinfo, assignments, shares, report views, exports, link search, e-mail and print:
		refused to a partner user on its own registration, whatever way the method is called."""
		browser = self.browser()
		doctype, name = "Deal Registration", self.own
		calls = [
			("frappe.desk.form.load.getdoc", {"doctype": doctype, "name": name}),
			("frappe.desk.form.load.get_docinfo", {"doctype": doctype, "name": name}),
			("frappe.desk.form.load.get_comments", {"doctype": doctype, "name": name}),
			("frappe.desk.form.assign_to.get", {"args": json.dumps({"doctype": doctype, "name": name})}),
			("frappe.share.get_users", {"doctype": doctype, "name": name}),
			("frappe.desk.reportview.get", {"doctype": doctype, "fields": json.dumps(["name"])}),
			("frappe.desk.reportview.export_query", {"doctype": doctype, "file_format_type": "CSV"}),
			(
				"frappe.desk.listview.get_group_by_count",
				{"doctype": doctype, "current_filters": "[]", "field": "owner"},
			),
			("frappe.desk.search.search_link", {"doctype": doctype, "txt": ""}),
			("frappe.desk.form.utils.get_next", {"doctype": doctype, "value": name, "prev": 0}),
			("frappe.utils.print_format.download_pdf", {"doctype": doctype, "name": name}),
			("frappe.www.printview.get_html_and_style", {"doc": doctype, "name": name}),
		]
		emails_before = frappe.db.count("Email Queue")
		for method, args in calls:
			for response in (
				browser.call(method, "GET", **args),
				browser.request("GET", f"/api/v2/method/{method}", params=args),
			):
				self.assertEqual(response.status_code, 403, f"{method}: {response.text[:300]}")
				self.assertNotIn(self.secret, response.text, method)
		legacy = browser.request(
			"POST", "/", data={"cmd": "frappe.desk.form.load.getdoc", "doctype": doctype, "name": name}
		)
		self.assertEqual(legacy.status_code, 403)
		self.assertNotIn(self.secret, legacy.text)
		mail = browser.call(
			"frappe.core.doctype.communication.email.make",
			doctype=doctype,
			name=name,
			recipients="someone@outside.example.com",
			subject="From the company's account",
			content="forged",
			send_email=1,
		)
		self.assertEqual(mail.status_code, 403)
		self.assertEqual(frappe.db.count("Email Queue"), emails_before)
		self.assertFalse(frappe.db.exists("Communication", {"subject": "From the company's account"}))
		printed = browser.get(f"/printview?doctype={quote(doctype)}&name={quote(name)}")
		self.assertEqual(printed.status_code, 403)
		# the channel team still has its desk
		manager = make_user(website_user=False, roles=("Partner Manager",)).name
		self.more_users.append(manager)
		update_password(manager, PASSWORD)
		frappe.db.commit()  # nosemgrep
		staff = self.server.browser(manager, PASSWORD).call(
			"frappe.desk.form.load.getdoc", "GET", doctype=doctype, name=name
		)
		self.assertEqual(staff.status_code, 200)
		self.assertIn(self.secret, staff.text)

	def test_uploads_reach_only_own_records_and_never_copy_stored_files(self):
		"""Frappe's ``upload_file`` over HTTP, for every partner-owned doctype: no new File on B's
		records, no File made from the path of B's private file (whose owner could then download
		it), nor from a path outside the files folder; A's own upload still works, for A alone."""
		browser = self.browser()
		files_before = frappe.db.count("File")

		def upload(**data):
			content = data.pop("content", None)
			files = {"file": ("note.txt", content.encode(), "text/plain")} if content else None
			return browser.request("POST", "/api/method/upload_file", data=data, files=files)

		for doctype in PARTNER_OWNED:
			own, other = (record[1] for record in self.records[doctype])
			theirs = self.files[doctype][1]
			attempts = {
				"content on B's record": upload(doctype=doctype, docname=other, content="x", is_private=1),
				"B's path on A's record": upload(doctype=doctype, docname=own, file_url=theirs, is_private=1),
				"B's path, unattached": upload(file_url=theirs, is_private=1),
			}
			for what, response in attempts.items():
				self.assertEqual(response.status_code, 403, f"{doctype}, {what}: {response.text[:300]}")
			self.assertEqual(browser.get(theirs).status_code, 403, f"{doctype}: B's file")
		outside = upload(file_url="/private/files/../../site_config.json", is_private=1)
		self.assertEqual(outside.status_code, 403, outside.text[:300])
		self.assertNotIn("db_password", outside.text)
		self.assertEqual(frappe.db.count("File"), files_before)

		own = upload(doctype="Deal Registration", docname=self.own, content="A's note", is_private=1)
		self.assertEqual(own.status_code, 200, own.text[:300])
		url = own.json()["message"]["file_url"]
		self.assertEqual(browser.get(url).text, "A's note")
		self.assertEqual(self.browser(self.user_b).get(url).status_code, 403)

	def test_hidden_child_tables_have_no_path(self):
		"""The tables partners never read (conflict evidence, a training module's tables with its
		answer key, an attempt's answers), queried directly, by any API, even for own records."""
		from prm_app.permissions import HIDDEN_FROM_PARTNERS

		browser = self.browser()
		tables = []
		for doctype in sorted(HIDDEN_FROM_PARTNERS):
			parents = frappe.get_all(
				"DocField",
				filters={"options": doctype, "fieldtype": ("in", ("Table", "Table MultiSelect"))},
				pluck="parent",
			)
			tables += [(doctype, parent) for parent in parents]
		self.assertIn(("Deal Registration Conflict", "Deal Registration"), tables)
		self.assertIn(("Training Question Option", "Training Module"), tables)
		for doctype, parent in tables:
			for response in (
				browser.call("frappe.client.get_list", doctype=doctype, parent=parent, fields=["name"]),
				browser.call("frappe.client.get_count", doctype=doctype, parent=parent),
				browser.request("GET", f"/api/resource/{doctype}", params={"parent": parent}),
				browser.request("GET", f"/api/v2/document/{doctype}", params={"parent": parent}),
			):
				self.assertEqual(response.status_code, 403, f"{doctype}: {response.text[:200]}")

	def test_partner_roles_hold_only_what_the_portal_uses(self):
		"""Partner and Partner Admin: read and write their registrations (create them), read their
		Partner; nothing else on any doctype: no e-mail, print, export, report, share, delete."""
		allowed = {
			("Deal Registration", "read"),
			("Deal Registration", "write"),
			("Deal Registration", "create"),
			("Partner", "read"),
			# /partner/plan: the plan goes through the admin's workflow, which checks the document's
			# permissions (Partner Admin: create and write; both roles read; scoped by the hooks)
			("Partner Business Plan", "read"),
			("Partner Business Plan", "write"),
			("Partner Business Plan", "create"),
			# /partner/assets and Frappe's private file download, which asks the asset's permission
			# (read only, and only the assets the partner's tier and type qualify for)
			("Partner Asset", "read"),
			# MDF: the portal's request and claim forms save through the documents' own permissions
			# (and their private proof files are served to those who may read the claim). Who acts is
			# narrowed further by the documents (Partner Admins, or every user per PRM Settings).
			("MDF Request", "read"),
			("MDF Request", "write"),
			("MDF Request", "create"),
			("MDF Claim", "read"),
			("MDF Claim", "write"),
			("MDF Claim", "create"),
		}
		ptypes = (
			"read",
			"write",
			"create",
			"delete",
			"submit",
			"cancel",
			"amend",
			"report",
			"export",
			"import",
			"share",
			"print",
			"email",
			"select",
			"set_user_permissions",
		)
		ptypes = [p for p in ptypes if frappe.get_meta("DocPerm").has_field(p)]
		held = set()
		for perm_doctype in ("DocPerm", "Custom DocPerm"):
			for row in frappe.get_all(
				perm_doctype,
				filters={"role": ("in", ("Partner", "Partner Admin"))},
				fields=["parent", *ptypes],
			):
				held |= {(row.parent, ptype) for ptype in ptypes if row.get(ptype)}
		self.assertLessEqual(held, allowed, sorted(held - allowed))
		# and each refusal, as a partner meets it
		browser = self.browser()
		doctype, name = "Deal Registration", self.own
		self.assertEqual(browser.request("DELETE", f"/api/resource/{doctype}/{quote(name)}").status_code, 403)
		self.assertTrue(frappe.db.exists(doctype, name))
		frappe.set_user(self.user_a)
		doc = frappe.get_doc(doctype, name)
		for ptype in ("print", "email", "share", "export", "report", "delete"):
			self.assertFalse(frappe.has_permission(doctype, ptype, doc), ptype)
		self.assertFalse(frappe.has_permission("Program Tier", "read"))
		self.assertFalse(frappe.has_permission("Channel Conflict", "read"))
		frappe.set_user("Administrator")

	def test_no_sorting_or_grouping_by_what_a_partner_cannot_read(self):
		from prm_app.tests.utils import workflow

		browser = self.browser()
		doctype = "Deal Registration"
		submitted = make_registration(self.partner_a.name, "Hidden Figures " + random_string(5))
		workflow(submitted, "Submit for Review")
		frappe.db.commit()  # nosemgrep
		stored = frappe.db.get_value(
			doctype, submitted.name, ["has_priority", "priority_sequence", "conflict_status"]
		)
		self.assertTrue(all(stored), stored)
		own = browser.request("GET", f"/api/resource/{doctype}/{quote(submitted.name)}").json()["data"]
		for hidden in (
			"conflict_status",
			"has_priority",
			"priority_sequence",
			"channel_conflict",
			"conflicts",
			"reviewer",
			"conflict_checked_on",
		):
			self.assertFalse(own.get(hidden), hidden)
		listing = browser.request(
			"GET",
			f"/api/resource/{doctype}",
			params={"fields": json.dumps(["name", "conflict_status", "has_priority"])},
		)
		for row in listing.json().get("data") or []:
			self.assertFalse(row.get("conflict_status") or row.get("has_priority"), row)
		for order_by in (
			"has_priority desc",
			"priority_sequence asc",
			"`tabDeal Registration`.`conflict_status`",
			"conflict_status",
		):
			response = browser.request("GET", f"/api/resource/{doctype}", params={"order_by": order_by})
			self.assertEqual(response.status_code, 403, f"order by {order_by}: {response.text[:200]}")
			response = browser.call("frappe.client.get_list", doctype=doctype, order_by=order_by)
			self.assertEqual(response.status_code, 403, f"order by {order_by}: {response.text[:200]}")
		for group_by in ("has_priority", "conflict_status"):
			response = browser.call(
				"frappe.client.get_list", doctype=doctype, fields=["name"], group_by=group_by
			)
			self.assertEqual(response.status_code, 403, f"group by {group_by}: {response.text[:200]}")
		fine = browser.call(
			"frappe.client.get_list", doctype=doctype, order_by="modified desc", group_by="status"
		)
		self.assertEqual(fine.status_code, 200, fine.text[:300])
