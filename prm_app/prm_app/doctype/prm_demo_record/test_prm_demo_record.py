# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt
"""The demo programme (``bench --site SITE prm-demo``): built, looked at, removed without a trace."""

import frappe
from frappe.tests.utils import FrappeTestCase

from prm_app import demo
from prm_app.constants import REGISTRATION_STATUSES
from prm_app.exceptions import DemoError
from prm_app.tests.utils import TEST_IGNORE, ensure_outbox, mute_emails, run_report

test_ignore = TEST_IGNORE

# counters and caches, not records: naming series move on, as they do for any deleted document
NOT_RECORDS = {"tabSeries", "__global_search"}


def table_counts() -> dict[str, int]:
	tables = [row[0] for row in frappe.db.sql("show tables")]
	return {table: frappe.db.sql(f"select count(*) from `{table}`")[0][0] for table in tables}  # nosemgrep


class TestDemoProgramme(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		mute_emails()
		frappe.set_user("Administrator")
		ensure_outbox()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		super().tearDownClass()

	def test_build_then_remove_leaves_nothing(self):
		before = table_counts()
		lines = []
		built = demo.build(size="small", commit=False, echo=lines.append, password="Demo-Password-2026")
		self.assertTrue(demo.is_built())
		partners = [p.name for p in built.partners]
		self.assertEqual(len(partners), demo.SIZES["small"]["partners"])

		# the programme
		self.assertLessEqual(
			{"Registered", "Silver", "Gold", "Platinum"}, set(frappe.get_all("Program Tier", pluck="name"))
		)
		statuses = frappe.get_all("Partner", filters={"name": ("in", partners)}, pluck="status")
		self.assertLessEqual({"Active", "Onboarding", "Suspended"}, set(statuses))
		for partner in partners:
			self.assertTrue(
				frappe.db.exists("Partner User", {"parent": partner, "role": "Partner Admin"}), partner
			)
		user = demo.sign_in_hint()
		self.assertEqual(frappe.db.get_value("User", user, ["user_type", "enabled"]), ("Website User", 1))
		self.assertFalse(frappe.db.count("User", {"name": ("in", self.made("User")), "enabled": 0}))
		from frappe.utils.password import check_password

		self.assertEqual(check_password(user, "Demo-Password-2026"), user)  # the printed password signs in
		# sales through the partners, a year of it, Pareto-like
		invoices = frappe.get_all(
			"Sales Invoice",
			filters={"prm_partner": ("in", partners), "docstatus": 1},
			fields=["prm_partner", "base_net_total", "posting_date"],
		)
		self.assertTrue(invoices)
		self.assertTrue(frappe.db.count("Sales Order", {"prm_partner": ("in", partners), "docstatus": 1}))
		revenue = {}
		for row in invoices:
			revenue[row.prm_partner] = revenue.get(row.prm_partner, 0) + row.base_net_total
		ranked = sorted(revenue.values(), reverse=True)
		self.assertGreater(ranked[0], sum(ranked) * 0.5)  # the top partner carries the channel
		# registrations in every state, conflicts open and resolved, extensions
		states = set(
			frappe.get_all("Deal Registration", filters={"partner": ("in", partners)}, pluck="status")
		)
		self.assertEqual(states, set(REGISTRATION_STATUSES))
		cases = frappe.get_all(
			"Channel Conflict", fields=["status"], filters={"name": ("in", self.made("Channel Conflict"))}
		)
		self.assertEqual({case.status for case in cases}, {"Open", "Resolved"})
		self.assertTrue(
			frappe.db.exists(
				"Deal Registration Extension", {"parent": ("in", self.made("Deal Registration"))}
			)
		)
		# the capabilities: training and certified people, leads answered, MDF requests decided
		self.assertEqual(len(self.made("Training Module")), 3)
		certified = frappe.get_all(
			"Partner Certification",
			filters={"name": ("in", self.made("Partner Certification"))},
			pluck="status",
		)
		self.assertLessEqual({"Active", "Expired", "Revoked"}, set(certified))
		offers = frappe.get_all(
			"Lead Offer", filters={"name": ("in", self.made("Lead Offer"))}, pluck="status"
		)
		self.assertLessEqual({"Offered", "Accepted", "Declined"}, set(offers))
		requests = frappe.get_all(
			"MDF Request", filters={"name": ("in", self.made("MDF Request"))}, pluck="status"
		)
		self.assertLessEqual({"Draft", "Submitted", "Approved"}, set(requests))
		# engagement, the health check, the reports have something to show
		self.assertTrue(frappe.db.count("Partner Engagement Event", {"partner": ("in", partners)}))
		self.assertTrue(frappe.db.count("Partner", {"name": ("in", partners), "at_risk": 1}))
		rows = run_report("Partner Scorecard", status="Active")["result"]
		self.assertLessEqual(
			set(revenue) - {p for p in partners if frappe.db.get_value("Partner", p, "status") != "Active"},
			{r["partner"] for r in rows},
		)
		self.assertTrue(any("sales orders" in line for line in lines))

		with self.assertRaises(DemoError):
			demo.build(size="small", commit=False, echo=lines.append)
		frappe.clear_messages()

		counts = demo.remove(commit=False, echo=lines.append)
		self.assertEqual(counts["Partner"], len(partners))
		self.assertFalse(demo.is_built())
		after = table_counts()
		changed = {
			table: (before.get(table), count)
			for table, count in after.items()
			if before.get(table) != count and table not in NOT_RECORDS
		}
		self.assertEqual(changed, {})

	def made(self, doctype):
		return frappe.get_all(
			"PRM Demo Record", filters={"reference_doctype": doctype}, pluck="reference_name"
		) or [""]
