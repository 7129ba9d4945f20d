# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt
"""Monthly partner sales: kept as invoices are submitted and cancelled, rebuilt from the invoices,
and a period's sales read from whole months plus the invoices at its edges."""

from datetime import date

import frappe
from frappe.utils import add_days, get_first_day, get_last_day, getdate

from prm_app.insights import sales
from prm_app.tests.utils import TEST_IGNORE, PRMTestCase, company, make_active_partner, make_invoice

test_ignore = TEST_IGNORE


def rows(partner):
	return frappe.get_all(
		"Partner Sales Month",
		filters={"partner": partner},
		fields=["month", "revenue", "gross_profit", "invoices"],
		order_by="month",
	)


class TestPartnerSalesMonth(PRMTestCase):
	def setUp(self):
		super().setUp()
		frappe.db.savepoint("prm_sales_test")
		self.partner = make_active_partner().name
		self.this_month = get_first_day(getdate())
		self.last_month = get_first_day(add_days(self.this_month, -1))

	def tearDown(self):
		frappe.db.rollback(save_point="prm_sales_test")
		super().tearDown()

	def test_submit_and_cancel_keep_the_month(self):
		first = make_invoice(self.partner, self.item, 300, posting_date=self.this_month)
		make_invoice(self.partner, self.item, 200, posting_date=self.this_month)
		make_invoice(self.partner, self.item, 50, posting_date=self.last_month)
		make_invoice(self.partner, self.item, 999, posting_date=self.this_month, submit=False)
		got = {r.month: (r.revenue, r.gross_profit, r.invoices) for r in rows(self.partner)}
		self.assertEqual(got, {self.last_month: (50, 50, 1), self.this_month: (500, 500, 2)})
		first.reload()
		first.cancel()
		got = {r.month: (r.revenue, r.invoices) for r in rows(self.partner)}
		self.assertEqual(got[self.this_month], (200, 1))
		# a credit note nets out
		make_invoice(self.partner, self.item, -80, posting_date=self.this_month, qty=-1, is_return=1)
		self.assertEqual({r.month: r.revenue for r in rows(self.partner)}[self.this_month], 120)

	def test_rebuild_recomputes_from_the_invoices(self):
		make_invoice(self.partner, self.item, 300, posting_date=self.this_month)
		make_invoice(self.partner, self.item, 50, posting_date=self.last_month)
		table = frappe.qb.DocType("Partner Sales Month")
		frappe.qb.update(table).set(table.revenue, 1).where(table.partner == self.partner).run()
		self.assertGreaterEqual(sales.rebuild([self.this_month]), 1)
		got = {r.month: r.revenue for r in rows(self.partner)}
		self.assertEqual(got, {self.last_month: 1, self.this_month: 300})  # only the month asked for
		sales.rebuild()
		self.assertEqual(
			{r.month: r.revenue for r in rows(self.partner)}, {self.last_month: 50, self.this_month: 300}
		)
		# the daily refresh rebuilds the months of invoices changed since its last run
		frappe.qb.update(table).set(table.revenue, 7).where(table.partner == self.partner).run()
		frappe.db.set_default(sales.LAST_REFRESH, str(add_days(getdate(), -1)))
		sales.refresh()
		self.assertEqual(
			{r.month: r.revenue for r in rows(self.partner)}, {self.last_month: 50, self.this_month: 300}
		)

	def test_a_period_reads_whole_months_and_its_edges(self):
		# a month before last, fully inside, with two invoices at its first and last days
		month = get_first_day(add_days(self.last_month, -1))
		end_of_month = get_last_day(month)
		make_invoice(self.partner, self.item, 10, posting_date=month)
		make_invoice(self.partner, self.item, 20, posting_date=end_of_month)
		make_invoice(self.partner, self.item, 40, posting_date=add_days(month, -1))  # the month before
		make_invoice(self.partner, self.item, 80, posting_date=add_days(end_of_month, 1))  # the month after
		# the sums would be wrong if whole months were read from the invoices: mark them
		table = frappe.qb.DocType("Partner Sales Month")
		frappe.qb.update(table).set(table.revenue, table.revenue + 1000).where(
			(table.partner == self.partner) & (table.month == month)
		).run()
		co = company()
		cases = (
			(month, end_of_month, 1030),  # one whole month: from the monthly sums
			(add_days(month, 1), end_of_month, 20),  # a partial month: the invoices
			(add_days(month, -1), add_days(end_of_month, 1), 40 + 1030 + 80),  # edges and a whole month
			(add_days(month, 1), add_days(month, 2), 0),
		)
		for start, end, expected in cases:
			got = sales.invoiced(co, start, end).get(self.partner, [0, 0, 0])[0]
			self.assertEqual(got, expected, (start, end))
		self.assertEqual(sales.invoiced(co, end_of_month, month), {})

	def test_key_is_stable_and_distinct(self):
		a = sales.key("C", "P", date(2026, 1, 1))
		self.assertEqual(a, sales.key("C", "P", date(2026, 1, 1)))
		self.assertNotEqual(a, sales.key("C", "P", date(2026, 2, 1)))
		self.assertNotEqual(a, sales.key("C", "Q", date(2026, 1, 1)))
