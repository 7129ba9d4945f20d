"""The list-query fixes (``prm_app.overrides.db_query``) where Frappe needs them, and the guarantees
they give on every supported version.

Frappe 15 runs ``frappe.get_list`` on ``frappe.model.db_query.DatabaseQuery``, which the app
patches; Frappe 16 runs it on a new query engine that checks field permissions itself, so nothing
is patched there. The first test pins that: it fails if Frappe renames what is patched, or moves
``get_list`` to another engine without the app noticing. The others check the behaviour itself,
on both versions, as a partner user.
"""

import frappe

from prm_app.overrides import db_query
from prm_app.tests.utils import PRMTestCase, make_registration, unique


class TestListQueryFix(PRMTestCase):
	def test_the_fix_is_installed_exactly_where_frappe_needs_it(self):
		major = int(frappe.__version__.split(".")[0])
		self.assertEqual(db_query.needed(), major < 16)
		if db_query.needed():
			from frappe.model.db_query import DatabaseQuery

			for name in db_query.PATCHED:
				self.assertTrue(hasattr(DatabaseQuery, name), f"Frappe renamed DatabaseQuery.{name}")
			db_query.apply()
			self.assertTrue(db_query.installed())
			import inspect

			self.assertIn("DatabaseQuery", inspect.getsource(frappe.get_list))
		else:
			import inspect

			self.assertIn("qb_query", inspect.getsource(frappe.get_list))
			db_query.apply()
			self.assertFalse(db_query.installed(), "nothing is patched where Frappe checks by itself")

	def registration_pair(self):
		name = unique("Hidden Columns Corp")
		self.submit(make_registration(self.partner_a.name, name))
		mine = self.submit(make_registration(self.partner_b.name, name), self.user_b)
		self.assertTrue(frappe.db.get_value("Deal Registration", mine.name, "channel_conflict"))
		return mine

	def test_no_hidden_field_slips_through_after_a_removed_one(self):
		mine = self.registration_pair()
		frappe.set_user(self.user_b)
		for fields in (
			["name", "has_priority", "channel_conflict"],
			["name", "conflict_status", "priority_sequence", "reviewer", "status"],
		):
			rows = frappe.get_list("Deal Registration", fields=fields, filters={"name": mine.name})
			self.assertEqual(len(rows), 1)
			for hidden in (
				"has_priority",
				"channel_conflict",
				"conflict_status",
				"priority_sequence",
				"reviewer",
			):
				self.assertFalse(rows[0].get(hidden), (fields, hidden))

	def test_filters_sorts_and_groups_on_hidden_fields_are_refused(self):
		self.registration_pair()
		frappe.set_user(self.user_b)
		for kwargs in (
			{"filters": {"has_priority": 1}},
			{"filters": [["Deal Registration Conflict", "matched_record", "is", "set"]]},
			{"order_by": "has_priority desc"},
			{"order_by": "conflict_status asc"},
			{"group_by": "priority_sequence", "fields": ["name"]},
		):
			with self.assertRaises((frappe.PermissionError, frappe.ValidationError), msg=str(kwargs)):
				frappe.get_list("Deal Registration", **kwargs)
		# what the partner can read still sorts and groups
		frappe.get_list("Deal Registration", order_by="modified desc", group_by="status", fields=["status"])
