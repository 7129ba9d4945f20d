# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe

from prm_app.conflict import keys
from prm_app.tests.utils import TEST_IGNORE, PRMTestCase, make_customer, unique

test_ignore = TEST_IGNORE


class TestPRMMatchKey(PRMTestCase):
	def test_keys_follow_rename_and_delete(self):
		customer = make_customer(unique("Soylent Foods"))
		self.assertTrue(
			frappe.db.exists("PRM Match Key", {"ref_doctype": "Customer", "ref_name": customer.name})
		)
		new_name = unique("Soylent Renamed")
		frappe.rename_doc("Customer", customer.name, new_name)
		self.assertFalse(
			frappe.db.exists("PRM Match Key", {"ref_doctype": "Customer", "ref_name": customer.name})
		)
		self.assertTrue(frappe.db.exists("PRM Match Key", {"ref_doctype": "Customer", "ref_name": new_name}))
		frappe.delete_doc("Customer", new_name)
		self.assertFalse(frappe.db.exists("PRM Match Key", {"ref_doctype": "Customer", "ref_name": new_name}))

	def test_backfill(self):
		customer = make_customer(unique("Massive Dynamic"))
		keys.remove("Customer", customer.name)
		seen = []
		counts = keys.backfill(["Customer"], batch_size=50, progress=lambda *a: seen.append(a), commit=False)
		self.assertTrue(
			frappe.db.exists("PRM Match Key", {"ref_doctype": "Customer", "ref_name": customer.name})
		)
		self.assertGreaterEqual(counts["Customer"], 1)
		self.assertEqual(seen[-1][0], "Customer")
		self.assertEqual(seen[-1][1], seen[-1][2], "progress reaches the total")
