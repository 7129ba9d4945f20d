"""Child tables read directly (``frappe.client.get_list(child, parent=...)``) stay isolated, and
a partner's own save never returns the conflict evidence."""

import json

import frappe
from frappe.client import get_list as client_get_list
from frappe.client import save as client_save

from prm_app import hooks
from prm_app.overrides import db_query
from prm_app.permissions import HIDDEN_FROM_PARTNERS, PARTNER_OWNED, PARTNER_OWNED_CHILDREN
from prm_app.tests.utils import PRMTestCase, make_registration, unique, workflow


class TestChildTables(PRMTestCase):
	def test_every_child_table_of_a_partner_owned_doctype_is_covered(self):
		for parent in PARTNER_OWNED:
			for df in frappe.get_meta(parent).get_table_fields():
				covered = (
					PARTNER_OWNED_CHILDREN.get(df.options) == parent or df.options in HIDDEN_FROM_PARTNERS
				)
				self.assertTrue(covered, f"{df.options} (table of {parent}) is not covered in permissions.py")
				self.assertIn(df.options, hooks.permission_query_conditions)

	def test_direct_child_queries(self):
		name = unique("Child Table Corp")
		a = self.submit(make_registration(self.partner_a.name, name, items=[(self.item, 1, 10)]), self.user_a)
		b = self.submit(make_registration(self.partner_b.name, name, items=[(self.item, 2, 20)]), self.user_b)
		workflow(a, "Approve")  # re-check: a's evidence now names b
		self.assertTrue(frappe.get_all("Deal Registration Conflict", filters={"parent": a.name}))

		frappe.set_user(self.user_b)
		items = client_get_list(
			"Deal Registration Item", fields=["parent"], parent="Deal Registration", limit_page_length=0
		)
		self.assertIn(b.name, {r["parent"] for r in items})
		self.assertNotIn(a.name, {r["parent"] for r in items})
		evidence = client_get_list(
			"Deal Registration Conflict", fields=["parent", "matched_record"], parent="Deal Registration"
		)
		# Frappe 15: no rows (the child table's own condition); Frappe 16 checks child rows against
		# the parent's permissions only and drops the fields (HTTP refuses the table outright:
		# prm_app.tests.test_isolation.TestTrustBoundaries)
		self.assertFalse([row for row in evidence if row.get("matched_record") or row.get("parent")])
		if db_query.needed():
			self.assertEqual(evidence, [])
		users = client_get_list(
			"Partner User", fields=["user", "parent"], parent="Partner", limit_page_length=0
		)
		self.assertEqual({r["parent"] for r in users}, {self.partner_b.name})

	def test_evidence_fields_through_the_parent_query(self):
		"""Child fields asked for through the parent's list API are dropped for partners."""
		from frappe.desk.reportview import get as reportview_get

		name = unique("Joined Fields Corp")
		self.submit(make_registration(self.partner_a.name, name))
		mine = self.submit(make_registration(self.partner_b.name, name), self.user_b)
		self.assertTrue(mine.conflicts)
		frappe.set_user(self.user_b)
		for fields in (
			["name", "`tabDeal Registration Conflict`.`matched_record`"],
			["name", "conflicts.matched_record", "conflicts.reasons", "has_priority", "channel_conflict"],
		):
			rows = frappe.get_list("Deal Registration", fields=fields, filters={"name": mine.name})
			self.assertEqual(rows, [{"name": mine.name}], fields)
			frappe.local.form_dict = frappe._dict(doctype="Deal Registration", fields=json.dumps(fields))
			self.assertEqual(reportview_get()["keys"], ["name"])

	def test_no_filtering_on_hidden_fields(self):
		name = unique("Filter Oracle Corp")
		first = self.submit(make_registration(self.partner_a.name, name))
		mine = self.submit(make_registration(self.partner_b.name, name), self.user_b)
		frappe.set_user(self.user_b)
		for filters in (
			[["Deal Registration Conflict", "matched_record", "=", first.name]],
			[["Deal Registration Conflict", "reasons", "like", "%same%"]],
			[["Deal Registration", "has_priority", "=", 0]],
			[["Deal Registration", "channel_conflict", "is", "set"]],
			[["Deal Registration", "conflict_status", "=", "Conflict"]],
			[["Deal Registration", "priority_sequence", ">", 0]],
		):
			with self.assertRaises(frappe.PermissionError, msg=str(filters)):
				frappe.get_list("Deal Registration", filters=filters)
		# filters on what the partner can read still work
		self.assertEqual(
			frappe.get_list(
				"Deal Registration", filters={"status": "Pending Review", "name": mine.name}, pluck="name"
			),
			[mine.name],
		)

	def test_partner_save_returns_no_evidence(self):
		name = unique("Saved Response Corp")
		first = self.submit(make_registration(self.partner_a.name, name))
		frappe.set_user(self.user_b)
		second = make_registration(self.partner_b.name, name)
		returned = workflow(second, "Submit for Review")
		self.assertEqual(returned.get("conflicts"), [])
		self.assertFalse(returned.get("channel_conflict"))
		self.assertNotIn(first.name, frappe.as_json(returned.as_dict()))
		saved = client_save(frappe.as_json(frappe.get_doc("Deal Registration", second.name).as_dict()))
		self.assertNotIn(first.name, frappe.as_json(saved))
		self.assertNotIn(self.partner_a.name, frappe.as_json(saved))
		frappe.set_user("Administrator")
		self.assertTrue(frappe.get_doc("Deal Registration", second.name).conflicts, "evidence stays stored")
