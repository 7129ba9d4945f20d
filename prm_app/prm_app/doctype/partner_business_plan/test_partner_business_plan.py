# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import json

import frappe
from frappe.utils import getdate, today

from prm_app.exceptions import BusinessPlanError
from prm_app.integrations.plan_actuals import fiscal_quarters, target_vs_actual
from prm_app.tests.utils import (
	GROWTH_TEST_IGNORE,
	PRMTestCase,
	make_active_partner,
	make_customer,
	make_plan,
	make_plan_invoice,
	make_registration,
	make_user,
	workflow,
)

test_ignore = GROWTH_TEST_IGNORE


def as_user(user, doc, action):
	frappe.set_user(user)
	try:
		return workflow(doc, action)
	finally:
		frappe.set_user("Administrator")


class TestPartnerBusinessPlan(PRMTestCase):
	def setUp(self):
		super().setUp()
		# each test plans for a partner of its own (one plan per partner and fiscal year)
		self.admin = make_user().name
		self.partner = make_active_partner(users=[(self.admin, "Partner Admin")]).name

	def test_a_plan_has_one_row_per_quarter_and_one_plan_per_year(self):
		plan = make_plan(self.partner)
		self.assertEqual([row.quarter for row in plan.targets], ["Q1", "Q2", "Q3", "Q4"])
		self.assertEqual((plan.status, plan.version, plan.workflow_state), ("Draft", 1, "Draft"))
		with self.assertRaises(BusinessPlanError):
			make_plan(self.partner)
		plan.targets[0].revenue = -1
		with self.assertRaises(BusinessPlanError):
			plan.save()

	def test_the_other_side_agrees_and_agreed_versions_are_kept(self):
		plan = make_plan(self.partner, objectives="Grow in the north")
		plan.targets[0].revenue = 50000
		plan.save()
		# the partner's admin submits; it cannot agree to its own submission
		as_user(self.admin, plan, "Submit for Review")
		plan.reload()
		self.assertEqual(
			(plan.status, plan.submitted_side, plan.submitted_by), ("Submitted", "Partner", self.admin)
		)
		with self.assertRaises(BusinessPlanError):
			as_user(self.admin, plan, "Agree")
		# frozen while submitted
		plan.targets[0].revenue = 1
		with self.assertRaises(BusinessPlanError):
			plan.save()
		plan.reload()
		workflow(plan, "Agree")  # the channel team
		plan.reload()
		self.assertEqual((plan.status, plan.agreed_by, len(plan.versions)), ("Agreed", "Administrator", 1))
		snapshot = json.loads(plan.versions[0].snapshot)
		self.assertEqual(snapshot["targets"][0]["revenue"], 50000)
		self.assertEqual(snapshot["objectives"], "Grow in the north")
		# revise: the next version; the agreed one stays as it was agreed
		as_user(self.admin, plan, "Revise")
		plan.reload()
		self.assertEqual((plan.status, plan.version), ("Draft", 2))
		plan.targets[0].revenue = 70000
		plan.save()
		workflow(plan, "Submit for Review")  # the channel team submits this time
		as_user(self.admin, frappe.get_doc("Partner Business Plan", plan.name), "Agree")
		plan.reload()
		self.assertEqual([row.version for row in plan.versions], [1, 2])
		self.assertEqual(json.loads(plan.versions[0].snapshot)["targets"][0]["revenue"], 50000)

	def test_partner_writes_keep_the_systems_fields(self):
		plan = make_plan(self.partner)
		frappe.set_user(self.admin)
		doc = frappe.get_doc("Partner Business Plan", plan.name)
		doc.version = 99
		doc.agreed_by = self.admin
		doc.objectives = "Ours"
		doc.save()
		frappe.set_user("Administrator")
		doc.reload()
		self.assertEqual((doc.version, doc.agreed_by, doc.objectives), (1, None, "Ours"))
		# another partner's user may not touch it, nor plan for another partner
		frappe.set_user(self.user_b)
		self.assertFalse(frappe.get_doc("Partner Business Plan", plan.name).has_permission("read"))
		with self.assertRaises(frappe.PermissionError):
			make_plan(self.partner, fiscal_year=plan.fiscal_year)

	def test_review_notes_are_added_never_changed(self):
		plan = make_plan(self.partner)
		plan.append("reviews", {"quarter": "Q1", "note": "Good start"})
		plan.save()
		self.assertEqual((plan.reviews[0].author, plan.reviews[0].side), ("Administrator", "Channel Team"))
		plan.reviews[0].note = "Rewritten"
		with self.assertRaises(BusinessPlanError):
			plan.save()
		plan.reload()
		plan.set("reviews", [])
		with self.assertRaises(BusinessPlanError):
			plan.save()

	def test_actuals_are_computed_from_invoices_and_registrations(self):
		plan = make_plan(self.partner)
		quarters = fiscal_quarters(plan.fiscal_year)
		now = getdate(today())
		current = next(q for q in quarters if q.start <= now <= q.end)
		customer = make_customer().name
		make_plan_invoice(customer, self.item, self.partner, rate=1200)
		make_plan_invoice(customer, self.item, self.partner, rate=300)
		make_plan_invoice(make_customer().name, self.item, self.partner_b.name, rate=999)  # not ours
		make_plan_invoice(customer, self.item, self.partner, rate=5000, submit=False)  # a draft
		registration = make_registration(self.partner)
		self.submit(registration)
		figures = {(line["metric"], line["quarter"]): line for line in target_vs_actual(plan)["lines"]}
		self.assertEqual(figures[("revenue", current.label)]["actual"], 1500)
		self.assertEqual(figures[("new_customers", current.label)]["actual"], 1)
		self.assertEqual(figures[("registrations", current.label)]["actual"], 1)
		self.assertIsNone(figures[("mdf_planned", current.label)]["actual"])
		later = [q for q in quarters if q.start > now]
		for q in later:
			self.assertIsNone(figures[("revenue", q.label)]["actual"])
		self.assertEqual(figures[("revenue", "Year")]["actual"], 1500)
		# the desk shows the same figures
		doc = frappe.get_doc("Partner Business Plan", plan.name)
		doc.run_method("onload")
		self.assertEqual(doc.get_onload("target_vs_actual")["lines"], target_vs_actual(plan)["lines"])
