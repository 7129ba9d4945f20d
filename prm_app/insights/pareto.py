"""The 80/20 view: partners ranked by revenue or gross profit, with the cut where 80% is reached.

Both measures are read in one grouped query over the company's submitted Sales Invoices tagged
with a partner, in the company's currency:

- revenue: ``base_net_total`` (credit notes are negative and net themselves out);
- gross profit: each invoice line's ``base_net_amount`` less its cost, ``stock_qty`` times the
  cost ERPNext records for it: the line's ``incoming_rate`` (the valuation ERPNext sets on the line
  of a stock item when the invoice is validated, as its Gross Profit report reads it) for stock
  items, the Item's ``last_purchase_rate`` for non-stock items (ERPNext's Gross Profit report
  uses the last purchase rate for them too), 0 when neither is known (a pure service).
"""

import frappe
from frappe.query_builder import Case
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import flt

from prm_app.engine import insights as rules
from prm_app.insights.scope import Scope, partners, scope_from

REVENUE = "Revenue"
GROSS_PROFIT = "Gross Profit"
MEASURES = (REVENUE, GROSS_PROFIT)


def revenue(scope: Scope) -> dict[str, float]:
	invoice = frappe.qb.DocType("Sales Invoice")
	rows = (
		frappe.qb.from_(invoice)
		.select(invoice.prm_partner, Sum(invoice.base_net_total))
		.where(
			(invoice.company == scope.company)
			& (invoice.docstatus == 1)
			& (invoice.posting_date >= scope.from_date)
			& (invoice.posting_date <= scope.to_date)
			& invoice.prm_partner.isnotnull()
		)
		.groupby(invoice.prm_partner)
	).run()
	return {partner: flt(value) for partner, value in rows}


def gross_profit(scope: Scope) -> dict[str, float]:
	invoice = frappe.qb.DocType("Sales Invoice")
	line = frappe.qb.DocType("Sales Invoice Item")
	item = frappe.qb.DocType("Item")
	unit_cost = (
		Case().when(item.is_stock_item == 1, line.incoming_rate).else_(Coalesce(item.last_purchase_rate, 0))
	)
	rows = (
		frappe.qb.from_(invoice)
		.join(line)
		.on((line.parent == invoice.name) & (line.parenttype == "Sales Invoice"))
		.left_join(item)
		.on(item.name == line.item_code)
		.select(invoice.prm_partner, Sum(line.base_net_amount - Coalesce(unit_cost, 0) * line.stock_qty))
		.where(
			(invoice.company == scope.company)
			& (invoice.docstatus == 1)
			& (invoice.posting_date >= scope.from_date)
			& (invoice.posting_date <= scope.to_date)
			& invoice.prm_partner.isnotnull()
		)
		.groupby(invoice.prm_partner)
	).run()
	return {partner: flt(value) for partner, value in rows}


def build(filters: dict | None = None, measure: str = REVENUE) -> frappe._dict:
	"""The filtered partners (those without any invoice included, at 0) ranked by ``measure``."""
	scope = scope_from(filters)
	selected = {p.name: p for p in partners(filters)}
	values = (gross_profit if measure == GROSS_PROFIT else revenue)(scope)
	result = rules.pareto({name: values.get(name, 0.0) for name in selected})
	return frappe._dict(scope=scope, partners=selected, pareto=result, measure=measure)
