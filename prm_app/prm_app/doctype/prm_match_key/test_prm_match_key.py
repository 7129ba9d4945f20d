# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from unittest import mock

import frappe
from frappe.utils import random_string

from prm_app.conflict import check, keys
from prm_app.tests.utils import TEST_IGNORE, PRMTestCase, make_customer, make_registration, unique

test_ignore = TEST_IGNORE


class Interrupted(Exception):
	pass


class TestPRMMatchKey(PRMTestCase):
	def tearDown(self):
		super().tearDown()
		settings = frappe.get_single("PRM Settings")
		if settings.name_abbreviations:
			settings.name_abbreviations = []
			with mock.patch("frappe.enqueue"):
				settings.save()

	def matches(self, company_name):
		doc = make_registration(self.partner_a.name, company_name)
		return check.find_matches(doc)

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
		self.assertEqual(keys.progress_state()["status"], "done")

	def test_backfill_resumes_after_an_interruption(self):
		for _ in range(3):
			make_customer(unique("Resumable Widgets"))
		total = frappe.db.count("Customer")
		calls = []

		def stop_after_the_first_batch(doctype, done, total):
			calls.append(done)
			raise Interrupted

		with self.assertRaises(Interrupted):
			keys.backfill(["Customer"], batch_size=2, progress=stop_after_the_first_batch, commit=False)
		state = keys.progress_state()
		self.assertEqual(state["status"], "running")
		self.assertEqual(state["doctypes"]["Customer"]["done"], 2)
		first_two = frappe.get_all("Customer", order_by="name asc", limit=2, pluck="name")
		self.assertEqual(state["doctypes"]["Customer"]["last"], first_two[-1])

		seen = []
		keys.backfill(["Customer"], batch_size=2, progress=lambda *a: seen.append(a[1]), commit=False)
		self.assertEqual(seen[0], 4, "continues after the last batch done")
		self.assertEqual(seen[-1], total)
		# a restart starts over
		seen.clear()
		keys.backfill(["Customer"], batch_size=2, progress=lambda *a: seen.append(a[1]), commit=False)
		self.assertEqual(seen[0], 2)

	def test_shipped_abbreviations_in_the_evidence(self):
		tail = random_string(10)
		customer = make_customer(f"Saint Gobain Glass {tail}")
		found = {m["name"]: m for m in self.matches(f"St. Gobain Glass {tail}")}
		self.assertIn(customer.name, found)
		self.assertIn("abbreviation St → Saint", found[customer.name]["reasons"])
		self.assertIn("same normalized name", found[customer.name]["reasons"])

	def test_joined_words_and_two_typos(self):
		tail = random_string(10)
		customer = make_customer(f"Blue Ridge Outfitters {tail}")
		found = {m["name"]: m for m in self.matches(f"BlueRidge Outfitters {tail}")}
		self.assertEqual(found[customer.name]["reasons"][0], "joined words")
		customer = make_customer(f"Marriott International {tail}")
		found = {m["name"]: m for m in self.matches(f"Marriot Intenrational {tail}")}
		self.assertEqual(found[customer.name]["reasons"][0], "two-typo variant in a long name")

	def test_site_abbreviations_rekey_in_the_background(self):
		tail = random_string(10)
		typed = make_customer(f"Globex Rkts {tail}")  # keyed with the shipped table only
		spelled = make_customer(f"Globex Rockets {tail}")
		self.assertFalse(any(m["name"] == typed.name for m in self.matches(f"Globex Rockets {tail}")))

		with mock.patch("frappe.enqueue") as enqueue:
			settings = frappe.get_single("PRM Settings")
			settings.append("name_abbreviations", {"abbreviation": "Rkts", "expansion": "Rockets"})
			settings.save()
		enqueue.assert_called_once()
		self.assertEqual(enqueue.call_args.args[0], "prm_app.conflict.keys.backfill_job")
		self.assertEqual(keys.stored_tables(), [[], [["rkts", "rockets"]]])
		self.assertEqual(keys.progress_state()["status"], "pending")
		self.assertIn("queued", keys.describe_state())

		# until the rebuild: what was found is still found (old keys are probed too) ...
		found = {m["name"]: m for m in self.matches(f"Globex Rkts {tail}")}
		self.assertIn(typed.name, found)
		self.assertIn(spelled.name, found)
		self.assertIn("abbreviation Rkts → Rockets", found[spelled.name]["reasons"])
		# ... and the record keyed with the old table is found the new way once re-keyed
		self.assertNotIn(typed.name, {m["name"] for m in self.matches(f"Globex Rockets {tail}")})
		keys.backfill(["Customer"], commit=False)
		self.assertIn(typed.name, {m["name"] for m in self.matches(f"Globex Rockets {tail}")})
		self.assertEqual(len(keys.stored_tables()), 2, "a partial backfill keeps probing both tables")
		keys.backfill(commit=False)
		self.assertEqual(keys.stored_tables(), [[["rkts", "rockets"]]])

	def test_invalid_abbreviations_are_refused(self):
		settings = frappe.get_single("PRM Settings")
		for rows in (
			[("Inc", "Incorporated")],
			[("Two words", "Acme")],
			[("Acmw", "Acme"), ("acmw", "Apex")],
		):
			settings.name_abbreviations = []
			for variant, canonical in rows:
				settings.append("name_abbreviations", {"abbreviation": variant, "expansion": canonical})
			with self.assertRaises(frappe.ValidationError), mock.patch("frappe.enqueue"):
				settings.save()
		settings.reload()
