"""Concurrent spending of one MDF budget, with two real database connections: the second approval
(or claim) waits on the budget's row lock until the first commits, then sees it and is refused.
Never an overspend, and deterministic: the second connection is observed waiting on the lock
before the first is let go."""

import threading
import time

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import today

from prm_app.exceptions import MDFAmountError, OverBudgetError
from prm_app.integrations import mdf_budget
from prm_app.tests.mdf_setup import delete_mdf_records
from prm_app.tests.utils import (
	MDF_TEST_IGNORE,
	approve_mdf_request,
	ensure_fiscal_year,
	make_active_partner,
	make_mdf_budget,
	make_mdf_claim,
	make_mdf_request,
	make_tier,
	mute_emails,
	workflow,
)

test_ignore = MDF_TEST_IGNORE


class TestConcurrentSpending(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		mute_emails()
		frappe.set_user("Administrator")
		cls.tier = None
		if not frappe.db.exists("Program Tier", {"is_default": 1}):
			cls.tier = make_tier(tier_name="Registered Test Tier").name
		ensure_fiscal_year(today())
		cls.partner = make_active_partner().name
		cls.budget = make_mdf_budget(cls.partner, 1000).name
		frappe.db.commit()  # nosemgrep: the other connections must see it

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		delete_mdf_records([cls.partner])
		frappe.delete_doc("Partner", cls.partner, force=True, ignore_permissions=True)
		if cls.tier:
			frappe.db.delete("Program Tier", cls.tier)
		frappe.db.commit()  # nosemgrep: test tear-down
		super().tearDownClass()

	def race(self, first, second):
		"""Run ``first`` in connection A (held open after it ran) and ``second`` in connection B;
		B must be seen waiting on the budget's lock before A commits. Returns B's error."""
		site = frappe.local.site
		a_done, b_started, release_a = threading.Event(), threading.Event(), threading.Event()
		b_connection, errors, b_error = [], [], []

		def connect():
			frappe.init(site=site)
			frappe.connect()
			frappe.set_user("Administrator")
			mute_emails()

		def run_a():
			connect()
			try:
				first()
				a_done.set()
				release_a.wait(timeout=60)
				frappe.db.commit()  # nosemgrep: each thread is its own request
			except Exception as e:
				errors.append(e)
				a_done.set()
			finally:
				frappe.destroy()

		def run_b():
			connect()
			try:
				a_done.wait(timeout=60)
				b_connection.append(frappe.db.sql("select connection_id()")[0][0])
				b_started.set()
				second()
				frappe.db.commit()  # nosemgrep: each thread is its own request
			except Exception as e:
				b_error.append(e)
				frappe.db.rollback()
				b_started.set()
			finally:
				frappe.destroy()

		threads = [threading.Thread(target=run_a), threading.Thread(target=run_b)]
		try:
			for thread in threads:
				thread.start()
			self.assertTrue(b_started.wait(timeout=60))
			self.assertTrue(self.waits_on_budget(b_connection[0]), "B never waited for the budget's lock")
			release_a.set()
			for thread in threads:
				thread.join(timeout=120)
		finally:
			release_a.set()
			for thread in threads:
				thread.join(timeout=120)
		self.assertEqual(errors, [])
		frappe.db.rollback()  # a fresh snapshot: see what both committed
		return b_error[0] if b_error else None

	def waits_on_budget(self, connection_id, seconds=30) -> bool:
		processes = frappe.qb.Table("PROCESSLIST", schema="information_schema")
		deadline = time.monotonic() + seconds
		while time.monotonic() < deadline:
			waiting = (
				frappe.qb.from_(processes)
				.select(processes.ID)
				.where(
					(processes.ID == connection_id)
					& processes.INFO.like("%tabMDF Budget%")
					& processes.INFO.like("%for update%")
				)
				.run()
			)
			if waiting:
				return True
			time.sleep(0.05)
		return False

	def test_two_approvals_never_exceed_the_budget(self):
		first = make_mdf_request(self.partner, self.budget, 600, 2000)
		second = make_mdf_request(self.partner, self.budget, 600, 2000)
		workflow(first, "Submit for Review")
		workflow(second, "Submit for Review")  # 1000 available for each at submission
		frappe.db.commit()  # nosemgrep: the other connections must see them

		error = self.race(
			lambda: workflow(frappe.get_doc("MDF Request", first.name), "Approve"),
			lambda: workflow(frappe.get_doc("MDF Request", second.name), "Approve"),
		)
		self.assertIsInstance(error, OverBudgetError)
		self.assertEqual(frappe.db.get_value("MDF Request", first.name, "status"), "Approved")
		self.assertEqual(frappe.db.get_value("MDF Request", second.name, "status"), "Submitted")
		figures = mdf_budget.figures([self.budget])[self.budget]
		self.assertEqual((float(figures.reserved), float(figures.available)), (600, 400))
		frappe.get_doc("MDF Request", first.name).close_request()
		frappe.db.commit()  # nosemgrep

	def test_two_claims_never_take_more_than_the_request(self):
		request = approve_mdf_request(make_mdf_request(self.partner, self.budget, 1000, 4000).name)
		one = make_mdf_claim(request.name, claimed=600, actual_cost=2000)
		two = make_mdf_claim(request.name, claimed=600, actual_cost=2000)
		frappe.db.commit()  # nosemgrep: the other connections must see them

		error = self.race(
			lambda: workflow(frappe.get_doc("MDF Claim", one.name), "Submit for Review"),
			lambda: workflow(frappe.get_doc("MDF Claim", two.name), "Submit for Review"),
		)
		self.assertIsInstance(error, MDFAmountError)
		self.assertEqual(frappe.db.get_value("MDF Claim", one.name, "status"), "Submitted")
		self.assertEqual(frappe.db.get_value("MDF Claim", two.name, "status"), "Draft")
		book = mdf_budget.books([self.budget])[self.budget]
		self.assertEqual(float(book.used_of(request.name)), 600)
		frappe.get_doc("MDF Request", request.name).close_request()
		frappe.db.commit()  # nosemgrep
