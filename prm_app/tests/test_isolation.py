"""A partner's users see only their own partner's records, through every path.

The matrix covers every partner-owned doctype (``prm_app.permissions.PARTNER_OWNED``); it fails
when a doctype of this app links to Partner without being registered there, in hooks.py, and in
``RECORD_FACTORIES`` below.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import random_string
from frappe.utils.password import update_password
from werkzeug.test import Client

from prm_app import hooks
from prm_app.permissions import PARTNER_OWNED
from prm_app.tests.utils import make_partner, make_registration, make_tier, make_user

PASSWORD = "Prm-Isolation-" + random_string(12)


def _partner_record(partner):
	return "Partner", partner.name


def _deal_registration(partner):
	return "Deal Registration", make_registration(partner.name, expected_value=4242).name


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


def http_client(user: str) -> Client:
	from frappe.app import application
	from frappe.tests.test_api import make_request

	client = Client(application)
	response = make_request(
		target=client.post, args=("/api/method/login",), kwargs={"data": {"usr": user, "pwd": PASSWORD}}
	)
	assert response.status_code == 200, response.get_data(as_text=True)
	return client


def http(client: Client, method: str, path: str, **kwargs):
	from frappe.tests.test_api import make_request

	return make_request(target=getattr(client, method), args=(path,), kwargs=kwargs)


class TestIsolation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.created_tier = None
		if not frappe.db.exists("Program Tier", {"is_default": 1}):
			cls.created_tier = make_tier(tier_name="Registered Test Tier").name
		cls.user_a = make_user().name
		cls.user_b = make_user().name
		frappe.db.set_single_value("PRM Settings", "create_customer_on_activation", 0)
		frappe.db.set_single_value("PRM Settings", "create_supplier_on_activation", 0)
		cls.partner_a = make_partner(users=[(cls.user_a, "Partner Admin")], status="Active")
		cls.partner_b = make_partner(users=[(cls.user_b, "Partner Admin")], status="Active")
		for user in (cls.user_a, cls.user_b):
			update_password(user, PASSWORD)
		cls.records = {}
		for doctype in PARTNER_OWNED:
			factory = RECORD_FACTORIES[doctype]
			cls.records[doctype] = (factory(cls.partner_a), factory(cls.partner_b))
		# The REST checks go through the WSGI app in another thread and connection.
		frappe.db.commit()  # nosemgrep: test set-up

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		sales_partners = [
			frappe.db.get_value("Partner", p.name, "sales_partner") for p in (cls.partner_a, cls.partner_b)
		]
		for doctype in reversed(list(PARTNER_OWNED)):
			for record_doctype, name in cls.records.get(doctype, ()):
				frappe.delete_doc(record_doctype, name, force=True, ignore_permissions=True)
		for sales_partner in filter(None, sales_partners):
			frappe.delete_doc("Sales Partner", sales_partner, force=True, ignore_permissions=True)
		for user in (cls.user_a, cls.user_b):
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		if cls.created_tier:
			frappe.db.delete("Program Tier", cls.created_tier)
		frappe.db.commit()  # nosemgrep: test tear-down
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_every_partner_owned_doctype_is_covered(self):
		linked = partner_linked_doctypes()
		self.assertLessEqual(
			linked, set(PARTNER_OWNED), "register new partner-owned doctypes in permissions.py"
		)
		for doctype in PARTNER_OWNED:
			self.assertIn(doctype, hooks.permission_query_conditions, doctype)
			self.assertIn(doctype, hooks.has_permission, doctype)
			self.assertIn(doctype, RECORD_FACTORIES, f"add a record factory for {doctype}")

	def test_get_list_and_reportview(self):
		from frappe.desk.reportview import get as reportview_get

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
		client = http_client(self.user_a)
		for doctype, ((_, own), (other_doctype, other)) in self.records.items():
			listing = http(client, "get", f"/api/resource/{doctype}", query_string={"limit_page_length": 0})
			self.assertEqual(listing.status_code, 200, listing.get_data(as_text=True))
			names = {row["name"] for row in listing.json["data"]}
			self.assertIn(own, names, doctype)
			self.assertNotIn(other, names, doctype)

			self.assertEqual(http(client, "get", f"/api/resource/{doctype}/{own}").status_code, 200)
			for method, kwargs in (
				("get", {}),
				("put", {"json": {"description": "hijacked"}}),
				("delete", {}),
			):
				response = http(client, method, f"/api/resource/{other_doctype}/{other}", **kwargs)
				self.assertEqual(
					response.status_code, 403, f"{method} {doctype}: {response.get_data(as_text=True)}"
				)
			self.assertTrue(frappe.db.exists(other_doctype, other))
			self.assertNotEqual(frappe.db.get_value(other_doctype, other, "modified_by"), self.user_a)

	def test_internal_users_see_everything(self):
		manager = make_user(website_user=False, roles=("Partner Manager",)).name
		frappe.set_user(manager)
		for doctype, ((_, own), (_, other)) in self.records.items():
			names = frappe.get_list(doctype, pluck="name", limit_page_length=0)
			self.assertIn(own, names)
			self.assertIn(other, names)

	def test_user_without_partner_sees_nothing(self):
		loner = make_user(roles=("Partner",)).name
		frappe.set_user(loner)
		for doctype in PARTNER_OWNED:
			self.assertEqual(frappe.get_list(doctype, limit_page_length=0), [], doctype)
