# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""Rebate Ledger: every posted rebate accrual (credit to the accrued rebate liability) and
settlement (debit to it), per partner, with its running balance, next to what the General Ledger
holds on the company's accrued rebate liability account for the same voucher. The "GL" and
"Difference" columns reconcile the two; the summary compares the totals."""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, getdate

from prm_app.constants import REBATE_ACCRUAL, REBATE_SETTLEMENT
from prm_app.insights.access import require_channel_team
from prm_app.integrations import accounting


def execute(filters=None):
	require_channel_team()
	filters = frappe._dict(filters or {})
	if not filters.company:
		frappe.throw(_("Choose the company."), title=_("Company"))
	account = accounting.company_accounts(
		filters.company, "rebate_liability_account"
	).rebate_liability_account
	rows = data(filters, account)
	return columns(), rows, None, None, summary(rows, account, filters)


def columns() -> list[dict]:
	money = {"fieldtype": "Currency", "options": "currency", "width": 120}
	return [
		{"fieldname": "posting_date", "label": _("Posting Date"), "fieldtype": "Date", "width": 100},
		{"fieldname": "partner", "label": _("Partner"), "fieldtype": "Link", "options": "Partner", "width": 170},
		{"fieldname": "voucher_type", "label": _("Type"), "fieldtype": "Data", "width": 130},
		{"fieldname": "voucher", "label": _("Document"), "fieldtype": "Dynamic Link", "options": "voucher_type", "width": 150},
		{"fieldname": "gl_voucher_type", "label": _("Posted As"), "fieldtype": "Data", "width": 120},
		{"fieldname": "gl_voucher", "label": _("Voucher"), "fieldtype": "Dynamic Link", "options": "gl_voucher_type", "width": 160},
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 180},
		{"fieldname": "accrued", "label": _("Accrued (Credit)"), **money},
		{"fieldname": "settled", "label": _("Settled (Debit)"), **money},
		{"fieldname": "balance", "label": _("Balance"), **money},
		{"fieldname": "gl_amount", "label": _("GL (Credit - Debit)"), **money},
		{"fieldname": "difference", "label": _("Difference"), **money},
		{"fieldname": "currency", "label": _("Currency"), "fieldtype": "Link", "options": "Currency", "hidden": 1},
	]  # fmt: skip


def documents(doctype: str, filters, fields: list[str]) -> list[frappe._dict]:
	conditions = {"company": filters.company, "docstatus": 1}
	if filters.partner:
		conditions["partner"] = filters.partner
	if filters.from_date and filters.to_date:
		conditions["posting_date"] = ("between", [getdate(filters.from_date), getdate(filters.to_date)])
	elif filters.from_date:
		conditions["posting_date"] = (">=", getdate(filters.from_date))
	elif filters.to_date:
		conditions["posting_date"] = ("<=", getdate(filters.to_date))
	return frappe.get_all(
		doctype,
		filters=conditions,
		fields=["name", "partner", "posting_date", "creation", "currency", *fields],
	)


def gl_by_voucher(vouchers: list[str], account: str, company: str) -> dict[str, float]:
	"""Credit - debit on the liability account per voucher (cancelled entries left out)."""
	gle = frappe.qb.DocType("GL Entry")
	rows = (
		frappe.qb.from_(gle)
		.select(gle.voucher_no, Sum(gle.credit) - Sum(gle.debit))
		.where(
			gle.voucher_no.isin(vouchers or [""])
			& (gle.account == account)
			& (gle.company == company)
			& (gle.is_cancelled == 0)
		)
		.groupby(gle.voucher_no)
	).run()
	return {voucher: flt(amount) for voucher, amount in rows}


def data(filters, account: str) -> list[dict]:
	accruals = documents(
		REBATE_ACCRUAL, filters, ["journal_entry", "total_rebate", "period_start", "period_end"]
	)
	settlements = documents(
		REBATE_SETTLEMENT, filters, ["payout_doctype", "payout_name", "total_amount", "up_to"]
	)
	entries = [
		frappe._dict(
			posting_date=a.posting_date,
			partner=a.partner,
			voucher_type=REBATE_ACCRUAL,
			voucher=a.name,
			gl_voucher_type="Journal Entry" if a.journal_entry else None,
			gl_voucher=a.journal_entry,
			period=f"{frappe.format(a.period_start, 'Date')} - {frappe.format(a.period_end, 'Date')}",
			accrued=flt(a.total_rebate, 2),
			settled=0.0,
			currency=a.currency,
			creation=a.creation,
		)
		for a in accruals
	] + [
		frappe._dict(
			posting_date=s.posting_date,
			partner=s.partner,
			voucher_type=REBATE_SETTLEMENT,
			voucher=s.name,
			gl_voucher_type=s.payout_doctype,
			gl_voucher=s.payout_name,
			period=_("up to {0}").format(frappe.format(s.up_to, "Date")),
			accrued=0.0,
			settled=flt(s.total_amount, 2),
			currency=s.currency,
			creation=s.creation,
		)
		for s in settlements
	]
	gl = gl_by_voucher([e.gl_voucher for e in entries if e.gl_voucher], account, filters.company)
	entries.sort(key=lambda e: (e.partner, getdate(e.posting_date), e.creation))
	balances = {}
	for entry in entries:
		balances[entry.partner] = flt(balances.get(entry.partner, 0) + entry.accrued - entry.settled, 2)
		entry.balance = balances[entry.partner]
		entry.gl_amount = flt(gl.get(entry.gl_voucher, 0), 2)
		entry.difference = flt(entry.accrued - entry.settled - entry.gl_amount, 2)
		entry.pop("creation", None)
	return entries


def summary(rows: list[dict], account: str, filters) -> list[dict]:
	ledger = flt(sum(r.accrued - r.settled for r in rows), 2)
	gl = flt(sum(r.gl_amount for r in rows), 2)
	currency = accounting.company_currency(filters.company)
	return [
		{"label": _("Pending (Ledger)"), "value": ledger, "datatype": "Currency", "currency": currency},
		{
			"label": _("On {0} (GL)").format(account),
			"value": gl,
			"datatype": "Currency",
			"currency": currency,
		},
		{
			"label": _("Difference"),
			"value": flt(ledger - gl, 2),
			"datatype": "Currency",
			"currency": currency,
			"indicator": "Green" if abs(ledger - gl) < 0.005 else "Red",
		},
	]
