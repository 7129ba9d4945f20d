"""The ERPNext accounting documents MDF payouts and rebates post: Purchase Invoices, Journal Entries
and credit notes, made and submitted (and cancelled) for the channel team's decisions.

Each company's accounts come from PRM Settings ("Accounts per Company"). The documents are made
with ``ignore_permissions``: the channel team approves claims and settles rebates; it need not hold
rights on ERPNext's accounting doctypes. They are never made on a partner's request: the
controllers refuse a partner's approval before anything here runs.

Every document is in the company's currency, without taxes or rounding adjustments, so its
grand total is the amount decided, to the cent; ERPNext posts its balanced GL entries and cancelling
it reverses them.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, getdate

from prm_app.exceptions import MDFAccountingError

SETTINGS = "PRM Settings"
ACCOUNT_FIELDS = {
	"mdf_expense_account": ("Expense", "MDF Expense Account"),
	"rebate_expense_account": ("Expense", "Rebate Expense Account"),
	"rebate_liability_account": ("Liability", "Accrued Rebate Liability Account"),
}


# -- settings ------------------------------------------------------------------------------------


def configured_companies() -> list[str]:
	rows = frappe.get_all(
		"PRM Company Accounts",
		filters={"parenttype": SETTINGS, "parent": SETTINGS},
		pluck="company",
		order_by="idx asc",
	)
	return [row for row in rows if row]


def default_company() -> str | None:
	return frappe.db.get_single_value("Global Defaults", "default_company") or frappe.db.get_value(
		"Company", {}, "name"
	)


def mdf_companies() -> list[str]:
	"""The companies MDF budgets are made for: those with accounts in PRM Settings, else the
	default company."""
	return configured_companies() or [c for c in [default_company()] if c]


def company_accounts(company: str, *fields: str) -> frappe._dict:
	"""The accounts PRM Settings sets for ``company``; MDFAccountingError naming what is missing."""
	row = frappe.db.get_value(
		"PRM Company Accounts",
		{"parenttype": SETTINGS, "parent": SETTINGS, "company": company},
		["company", "cost_center", *ACCOUNT_FIELDS],
		as_dict=True,
	)
	missing = [f for f in fields if not (row and row.get(f))]
	if missing:
		frappe.throw(
			_("Set the {0} for {1} in PRM Settings, under Accounts per Company.").format(
				", ".join(_(ACCOUNT_FIELDS[f][1]) for f in missing), frappe.bold(company)
			),
			MDFAccountingError,
			title=_("Accounts Missing"),
		)
	row.cost_center = row.cost_center or frappe.get_cached_value("Company", company, "cost_center")
	if not row.cost_center:
		frappe.throw(
			_("Set a cost center for {0} in PRM Settings, under Accounts per Company.").format(
				frappe.bold(company)
			),
			MDFAccountingError,
			title=_("Cost Center Missing"),
		)
	return row


def validate_company_accounts(settings) -> None:
	"""PRM Settings' accounts: one row per company; each account a ledger (not a group) of that
	company with the right root type; the cost center the company's."""
	seen = set()
	for row in settings.get("company_accounts") or []:
		if row.company in seen:
			frappe.throw(
				_("Row {0}: {1} has accounts in an earlier row already.").format(row.idx, row.company),
				MDFAccountingError,
				title=_("Duplicate Company"),
			)
		seen.add(row.company)
		for fieldname, (root_type, label) in ACCOUNT_FIELDS.items():
			label = _(label)
			account = row.get(fieldname)
			if not account:
				continue
			values = frappe.db.get_value(
				"Account", account, ["company", "is_group", "root_type", "disabled"], as_dict=True
			)
			if not values or values.company != row.company or values.is_group or values.disabled:
				frappe.throw(
					_("Row {0}: {1} must be an enabled ledger account (not a group) of {2}.").format(
						row.idx, label, row.company
					),
					MDFAccountingError,
					title=_("Invalid Account"),
				)
			if values.root_type != root_type:
				frappe.throw(
					_("Row {0}: {1} must be an account of type {2}, not {3}.").format(
						row.idx, label, _(root_type), _(values.root_type)
					),
					MDFAccountingError,
					title=_("Invalid Account"),
				)
		if row.cost_center:
			values = frappe.db.get_value(
				"Cost Center", row.cost_center, ["company", "is_group"], as_dict=True
			)
			if not values or values.company != row.company or values.is_group:
				frappe.throw(
					_("Row {0}: the cost center must be a cost center (not a group) of {1}.").format(
						row.idx, row.company
					),
					MDFAccountingError,
					title=_("Invalid Cost Center"),
				)


def company_currency(company: str) -> str:
	return frappe.get_cached_value("Company", company, "default_currency")


def fiscal_year_start(day, company: str | None = None):
	"""The first day of the fiscal year in which ``day`` falls."""
	from erpnext.accounts.utils import FiscalYearError, get_fiscal_year

	try:
		fiscal_year = get_fiscal_year(getdate(day), company=company, as_dict=True)
	except FiscalYearError:
		frappe.clear_last_message()
		fiscal_year = None
	if not fiscal_year:
		frappe.throw(
			_("No fiscal year covers {0}{1}: add one in the Fiscal Year list.").format(
				frappe.format(getdate(day), "Date"), _(" for {0}").format(company) if company else ""
			),
			MDFAccountingError,
			title=_("Fiscal Year Missing"),
		)
	return getdate(fiscal_year.year_start_date)


# -- the partner's parties -----------------------------------------------------------------------


def partner_party(partner: str, party_type: str) -> str:
	"""The partner's ERPNext Supplier or Customer: the one linked to it, else made and linked now
	(by the channel team's decision, as activation would have)."""
	from prm_app.integrations.erpnext_parties import ensure_customer, ensure_supplier

	field = "supplier" if party_type == "Supplier" else "customer"
	doc = frappe.get_doc("Partner", partner)
	current = doc.get(field)
	if current and frappe.db.exists(party_type, current):
		return current
	settings = frappe.get_cached_doc(SETTINGS)
	name = ensure_supplier(doc, settings) if party_type == "Supplier" else ensure_customer(doc, settings)
	doc.db_set(field, name, update_modified=False)
	return name


# -- documents -----------------------------------------------------------------------------------


def _submit(doc, amount) -> str:
	doc.flags.ignore_permissions = True
	doc.insert()
	if abs(abs(flt(doc.grand_total)) - abs(flt(amount))) >= 0.005:
		frappe.throw(
			_(
				"{0} would come to {1} instead of {2} (taxes or charges were added to it). Check the "
				"default taxes of {3}."
			).format(_(doc.doctype), doc.grand_total, amount, doc.company),
			MDFAccountingError,
			title=_("Amount Changed"),
		)
	doc.submit()
	return doc.name


def purchase_invoice(
	company: str,
	supplier: str,
	amount,
	account: str,
	cost_center: str,
	description: str,
	posting_date=None,
	bill_no: str | None = None,
	remarks: str | None = None,
) -> str:
	"""A submitted Purchase Invoice of one line: Dr ``account``, Cr the supplier's payable."""
	doc = frappe.get_doc(
		{
			"doctype": "Purchase Invoice",
			"company": company,
			"supplier": supplier,
			"currency": company_currency(company),
			"conversion_rate": 1,
			"posting_date": getdate(posting_date) if posting_date else getdate(),
			"set_posting_time": 1,
			"bill_no": bill_no,
			"remarks": remarks,
			"disable_rounded_total": 1,
			"taxes_and_charges": None,
			"apply_tds": 0,
			"update_stock": 0,
			"items": [
				{
					"item_name": description[:140],
					"description": description,
					"qty": 1,
					"rate": flt(amount),
					"uom": _stock_uom(),
					"conversion_factor": 1,
					"expense_account": account,
					"cost_center": cost_center,
				}
			],
		}
	)
	doc.set("taxes", [])
	return _submit(doc, amount)


def credit_note(
	company: str, customer: str, amount, account: str, cost_center: str, description: str, posting_date=None
) -> str:
	"""A submitted credit note (Sales Invoice return) of one line: Dr ``account``, Cr the
	customer's receivable. It carries no partner, so it never counts as the partner's revenue."""
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": company,
			"customer": customer,
			"is_return": 1,
			"currency": company_currency(company),
			"conversion_rate": 1,
			"posting_date": getdate(posting_date) if posting_date else getdate(),
			"set_posting_time": 1,
			"disable_rounded_total": 1,
			"taxes_and_charges": None,
			"update_stock": 0,
			"remarks": description,
			"items": [
				{
					"item_name": description[:140],
					"description": description,
					"qty": -1,
					"rate": flt(amount),
					"uom": _stock_uom(),
					"conversion_factor": 1,
					"income_account": account,
					"cost_center": cost_center,
				}
			],
		}
	)
	doc.set("taxes", [])
	return _submit(doc, amount)


def journal_entry(company: str, rows: list[dict], remark: str, posting_date=None) -> str:
	"""A submitted Journal Entry; ``rows``: account, debit, credit, optional party_type, party,
	cost_center."""
	doc = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": company,
			"posting_date": getdate(posting_date) if posting_date else getdate(),
			"user_remark": remark,
			"accounts": [
				{
					"account": row["account"],
					"party_type": row.get("party_type"),
					"party": row.get("party"),
					"cost_center": row.get("cost_center"),
					"debit_in_account_currency": flt(row.get("debit")),
					"credit_in_account_currency": flt(row.get("credit")),
				}
				for row in rows
				if flt(row.get("debit")) or flt(row.get("credit"))
			],
		}
	)
	doc.flags.ignore_permissions = True
	doc.insert()
	doc.submit()
	return doc.name


def party_account(party_type: str, party: str, company: str) -> str:
	from erpnext.accounts.party import get_party_account

	return get_party_account(party_type, party, company)


def cancel(doctype: str | None, name: str | None) -> None:
	"""Cancel a payout or accrual document this app submitted (nothing if it is not submitted)."""
	if not doctype or not name or not frappe.db.exists(doctype, name):
		return
	doc = frappe.get_doc(doctype, name)
	if doc.docstatus != 1:
		return
	doc.flags.ignore_permissions = True
	doc.cancel()


def _stock_uom() -> str:
	return frappe.db.get_single_value("Stock Settings", "stock_uom") or "Nos"


# -- what was paid -------------------------------------------------------------------------------


def paid_amounts(vouchers: list[str]) -> dict[str, float]:
	"""How much of each payable voucher (Purchase Invoice or Journal Entry crediting a supplier) is
	paid, from ERPNext's payment ledger: payments and reconciliations against it, net of their
	cancellations. One query for all of them."""
	vouchers = [v for v in vouchers if v]
	if not vouchers:
		return {}
	ledger = frappe.qb.DocType("Payment Ledger Entry")
	rows = (
		frappe.qb.from_(ledger)
		.select(ledger.against_voucher_no, Sum(ledger.amount_in_account_currency))
		.where(
			ledger.against_voucher_no.isin(vouchers)
			& (ledger.voucher_no != ledger.against_voucher_no)
			& (ledger.delinked == 0)
		)
		.groupby(ledger.against_voucher_no)
	).run()
	return {name: -flt(amount) for name, amount in rows}
