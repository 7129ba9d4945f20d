# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""Paying accrued rebates: a Purchase Invoice, a credit note or a Journal Entry debiting the accrued
liability by exactly what the settled accruals credited; cancel gives the accruals back."""

import frappe
from frappe.utils import add_days, flt, today

from prm_app.exceptions import RebateError
from prm_app.prm_app.doctype.rebate_accrual.test_rebate_accrual import RebateTestCase
from prm_app.tests.utils import MDF_TEST_IGNORE, gl_sums

test_ignore = MDF_TEST_IGNORE


class TestRebateSettlement(RebateTestCase):
	def settle(self, how=None, up_to=None):
		return frappe.get_doc(
			{
				"doctype": "Rebate Settlement",
				"partner": self.partner_a.name,
				"company": self.company,
				"up_to": up_to or today(),
				"settlement_document": how,
			}
		).insert()

	def accrued(self):
		self.invoice(1000)
		self.invoice(1000.40, day=add_days(self.last.start, 40))
		accrual = self.accrue(self.last.start)
		self.assertEqual(flt(accrual.total_rebate), 50.01)  # 25.00 + 25.01
		return accrual

	def test_purchase_invoice_pays_the_liability_and_cancel_gives_it_back(self):
		accrual = self.accrued()
		settlement = self.settle()
		self.assertEqual(settlement.settlement_document, "Purchase Invoice")  # PRM Settings' choice
		self.assertEqual([r.rebate_accrual for r in settlement.accruals], [accrual.name])
		settlement.submit()
		settlement.reload()
		self.assertEqual(settlement.payout_doctype, "Purchase Invoice")
		invoice = frappe.get_doc("Purchase Invoice", settlement.payout_name)
		self.assertEqual(invoice.supplier, frappe.db.get_value("Partner", self.partner_a.name, "supplier"))
		self.assertEqual(gl_sums(invoice.name, self.accounts.rebate_liability_account).debit, 50.01)
		self.assertEqual(gl_sums(invoice.name, invoice.credit_to).credit, 50.01)
		self.assertEqual(frappe.db.get_value("Rebate Accrual", accrual.name, "settlement"), settlement.name)
		with self.assertRaises(RebateError):  # nothing left to pay
			self.settle()
		with self.assertRaises(RebateError):  # a settled accrual stays until its settlement goes
			frappe.get_doc("Rebate Accrual", accrual.name).cancel()
		settlement.cancel()
		self.assertEqual(gl_sums(invoice.name), frappe._dict(debit=0, credit=0))
		self.assertFalse(frappe.db.get_value("Rebate Accrual", accrual.name, "settlement"))

	def test_credit_note_against_the_customer(self):
		self.accrued()
		settlement = self.settle("Credit Note")
		settlement.submit()
		settlement.reload()
		note = frappe.get_doc("Sales Invoice", settlement.payout_name)
		self.assertEqual(
			(note.is_return, note.customer),
			(1, frappe.db.get_value("Partner", self.partner_a.name, "customer")),
		)
		self.assertFalse(note.prm_partner)  # never the partner's revenue
		self.assertEqual(gl_sums(note.name, self.accounts.rebate_liability_account).debit, 50.01)
		self.assertEqual(gl_sums(note.name, note.debit_to).credit, 50.01)

	def test_journal_entry_against_the_customer(self):
		self.accrued()
		frappe.db.set_single_value("PRM Settings", "rebate_settlement_document", "Journal Entry")
		settlement = self.settle()
		settlement.submit()
		settlement.reload()
		self.assertEqual(settlement.payout_doctype, "Journal Entry")
		self.assertEqual(gl_sums(settlement.payout_name, self.accounts.rebate_liability_account).debit, 50.01)
		entry = gl_sums(settlement.payout_name)
		self.assertEqual((entry.debit, entry.credit), (50.01, 50.01))

	def test_periods_not_ended_by_the_date_wait(self):
		self.accrued()
		with self.assertRaises(RebateError):
			self.settle(up_to=add_days(self.last.end, -1))
