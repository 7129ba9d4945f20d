"""An approved MDF claim's payout, and what ERPNext says about its payment.

Approving a claim (the channel team's decision; the claim's ``on_submit``) posts, per PRM Settings'
"Pay MDF Claims With":

- a **Purchase Invoice** to the partner's Supplier: one line for the approved amount against the
  company's MDF expense account and cost center; it is paid with ERPNext's own Payment Entry;
- or a **Journal Entry**: Dr the MDF expense account, Cr the Supplier's payable account (paid the
  same way).

Cancelling the claim cancels its payout (ERPNext reverses the GL entries); an amended claim posts
a new one when it is approved. What has been paid is read from ERPNext's payment ledger, set-based,
whenever a Payment Entry or Journal Entry is submitted or cancelled, and daily.
"""

import frappe
from frappe import _
from frappe.utils import flt

from prm_app.constants import MDF_CLAIM
from prm_app.integrations import accounting

PURCHASE_INVOICE = "Purchase Invoice"
JOURNAL_ENTRY = "Journal Entry"


def payout_document() -> str:
	return frappe.db.get_single_value("PRM Settings", "mdf_payout_document") or PURCHASE_INVOICE


def post(claim) -> tuple[str, str]:
	"""Post the payout of an approved ``claim``; (doctype, name)."""
	accounts = accounting.company_accounts(claim.company, "mdf_expense_account")
	supplier = accounting.partner_party(claim.partner, "Supplier")
	amount = flt(claim.approved_amount)
	description = _("MDF claim {0} ({1})").format(claim.name, claim.mdf_request)
	if payout_document() == JOURNAL_ENTRY:
		name = accounting.journal_entry(
			claim.company,
			[
				{
					"account": accounts.mdf_expense_account,
					"cost_center": accounts.cost_center,
					"debit": amount,
				},
				{
					"account": accounting.party_account("Supplier", supplier, claim.company),
					"party_type": "Supplier",
					"party": supplier,
					"credit": amount,
				},
			],
			description,
		)
		return JOURNAL_ENTRY, name
	name = accounting.purchase_invoice(
		claim.company,
		supplier,
		amount,
		accounts.mdf_expense_account,
		accounts.cost_center,
		description,
		bill_no=claim.name,
		remarks=description,
	)
	return PURCHASE_INVOICE, name


def cancel(claim) -> None:
	accounting.cancel(claim.payout_doctype, claim.payout_name)


def payment_status(approved: float, paid: float) -> str:
	if paid <= 0.005:
		return "Unpaid"
	return "Paid" if paid >= flt(approved) - 0.005 else "Partly Paid"


def refresh_paid(claims: list[str] | None = None, payouts: list[str] | None = None) -> list[str]:
	"""Store what ERPNext's payment ledger says is paid on approved claims (by claim or by payout
	name); the budgets they belong to. Set-based."""
	filters = {"docstatus": 1}
	if claims is not None:
		filters["name"] = ("in", claims or [""])
	if payouts is not None:
		filters["payout_name"] = ("in", payouts or [""])
	rows = frappe.get_all(
		MDF_CLAIM,
		filters=filters,
		fields=["name", "budget", "approved_amount", "payout_name", "paid_amount", "payment_status"],
	)
	paid = accounting.paid_amounts([row.payout_name for row in rows])
	updates = {}
	for row in rows:
		amount = min(max(flt(paid.get(row.payout_name)), 0), flt(row.approved_amount))
		status = payment_status(row.approved_amount, amount)
		if abs(amount - flt(row.paid_amount)) >= 0.005 or status != row.payment_status:
			updates[row.name] = (row.budget, {"paid_amount": amount, "payment_status": status})
	from prm_app.integrations import mdf_budget

	budgets = sorted({budget for budget, _values in updates.values() if budget})
	for budget in budgets:
		mdf_budget.lock(budget)  # budgets first, then claims: the one lock order
	for name, (_budget, values) in updates.items():
		frappe.db.set_value(MDF_CLAIM, name, values, update_modified=False)
	return budgets


def referenced_payouts(doc) -> list[str]:
	"""The vouchers a Payment Entry or Journal Entry pays (its references / against-vouchers)."""
	names = []
	for row in doc.get("references") or []:
		if row.get("reference_doctype") in (PURCHASE_INVOICE, JOURNAL_ENTRY):
			names.append(row.reference_name)
	for row in doc.get("accounts") or []:
		if row.get("reference_type") in (PURCHASE_INVOICE, JOURNAL_ENTRY):
			names.append(row.reference_name)
	return [n for n in names if n]


def on_payment(doc, method=None) -> None:
	"""``doc_events`` of Payment Entry and Journal Entry (submit, cancel): claims paid by it."""
	from prm_app.integrations import mdf_budget

	payouts = referenced_payouts(doc)
	if not payouts or not frappe.db.exists(MDF_CLAIM, {"payout_name": ("in", payouts)}):
		return
	budgets = refresh_paid(payouts=payouts)
	if budgets:
		mdf_budget.refresh(budgets)


def refresh_all_paid(commit: bool = True) -> None:
	"""Daily: payments made any other way (reconciliation, unlinking) are seen within a day."""
	from prm_app.integrations import mdf_budget

	claims = frappe.get_all(
		MDF_CLAIM, filters={"docstatus": 1, "payment_status": ("!=", "Paid")}, pluck="name"
	)
	for start in range(0, len(claims), 500):
		budgets = refresh_paid(claims=claims[start : start + 500])
		if budgets:
			mdf_budget.refresh(budgets)
		if commit:
			frappe.db.commit()  # nosemgrep: scheduled job, commits per batch
