"""The channel team's desk at a glance: the Partner form's header and Connections, a conflict
case's records side by side; the figures match the records, partner users get none of it."""

import frappe
from frappe.utils import today

from prm_app.desk import summaries
from prm_app.tests.utils import PRMTestCase, leaf, make_active_partner, make_registration, unique, workflow


class TestDeskSummaries(PRMTestCase):
	def test_partner_summary_matches_the_records(self):
		partner = make_active_partner(program_tier=self.tier.name).name
		open_one = make_registration(partner, expected_value=1500)
		pending = self.submit(make_registration(partner, expected_value=2500))
		workflow(make_registration(partner, expected_value=99), "Withdraw")  # not open: not counted
		invoice = frappe.qb.DocType("Sales Invoice")
		company = frappe.db.get_value("Company", {}, ["name", "default_currency"], as_dict=True)
		frappe.qb.into(invoice).columns(
			invoice.name,
			invoice.company,
			invoice.docstatus,
			invoice.base_net_total,
			invoice.posting_date,
			invoice.prm_partner,
			invoice.customer,
		).insert(unique("SINV"), company.name, 1, 4200, today(), partner, leaf("Customer Group")).run()
		s = summaries.partner_summary(partner)
		self.assertEqual(s["tier"], self.tier.name)
		self.assertEqual({r.currency: r.amount for r in s["revenue"]}, {company.default_currency: 4200})
		pipeline = sum(r.amount for r in s["pipeline"])
		self.assertEqual(pipeline, 1500 + 2500)
		self.assertEqual(s["open_by_status"]["Draft"], 1)
		self.assertEqual(s["open_by_status"]["Pending Review"], 1)
		self.assertTrue(open_one.name and pending.name)

	def test_connections_count_the_partners_records(self):
		from frappe.desk.notifications import get_open_count

		partner = make_active_partner().name
		mine = {make_registration(partner).name for _n in range(3)}
		make_registration(self.partner_b.name)
		counts = get_open_count("Partner", partner)["count"]
		found = {c["doctype"]: c["count"] for c in counts["external_links_found"]}
		self.assertEqual(found.get("Deal Registration"), len(mine))

	def test_connections_list_every_record_that_names_the_partner(self):
		"""A doctype a later capability adds with a partner link shows on the Partner form too."""
		from prm_app.permissions import PARTNER_OWNED
		from prm_app.prm_app.doctype.partner.partner_dashboard import get_data

		listed = {item for group in get_data()["transactions"] for item in group["items"]}
		named = {doctype for doctype, field in PARTNER_OWNED.items() if field == "partner"}
		self.assertEqual(named - listed, set())
		for doctype in listed:  # each one really links the partner by the dashboard's field
			field = get_data()["non_standard_fieldnames"].get(doctype, "partner")
			self.assertTrue(frappe.get_meta(doctype).get_field(field), (doctype, field))

	def test_conflict_side_by_side(self):
		name = unique("Side By Side Corp")
		first = self.submit(make_registration(self.partner_a.name, name, expected_value=700), self.user_a)
		second = self.submit(make_registration(self.partner_b.name, name, expected_value=900), self.user_b)
		c = summaries.conflict_comparison(second.channel_conflict)
		columns = {col["name"]: col for col in c["columns"]}
		self.assertEqual(set(columns), {first.name, second.name})
		self.assertEqual(c["first"], first.name)
		self.assertEqual(columns[first.name]["registration"].expected_value, 700)
		self.assertEqual(columns[second.name]["partner"], self.partner_b.name)
		self.assertTrue(columns[first.name]["reasons"])
		self.assertIn("Award to First", c["resolutions"])

	def test_partner_users_get_none_of_it(self):
		name = unique("Hidden Case Corp")
		self.submit(make_registration(self.partner_a.name, name), self.user_a)
		second = self.submit(make_registration(self.partner_b.name, name), self.user_b)
		frappe.set_user(self.user_b)
		with self.assertRaises(frappe.PermissionError):
			summaries.partner_summary(self.partner_b.name)
		with self.assertRaises(frappe.PermissionError):
			summaries.conflict_comparison(
				frappe.db.get_value("Deal Registration", second.name, "channel_conflict")
			)
