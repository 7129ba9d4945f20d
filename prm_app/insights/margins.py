"""The gross profit of a partner's Sales Invoice, kept on the invoice (``prm_gross_profit``) when it
is submitted, so that the 80/20 view by gross profit reads invoices alone (one grouped query over
the covering index), never their lines.

Gross profit = the lines' ``base_net_amount`` less their cost, ``stock_qty`` times:

- for a stock item, the line's ``incoming_rate``: the valuation rate ERPNext sets on the line when
  the invoice is validated (what its Gross Profit report reads);
- for a non-stock item, the Item's ``last_purchase_rate`` at the time (what ERPNext's Gross Profit
  report uses for them); 0 when the item was never bought (a pure service).

It is the margin as ERPNext knew the costs when the invoice was submitted. Invoices submitted
before the app was installed get it from ``backfill`` (run on install and migrate until done).
"""

import frappe
from frappe.query_builder import Case
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import flt

FIELD = "prm_gross_profit"
BACKFILLED = "prm_gross_profit_backfilled"
CHUNK = 1000


def custom_fields() -> dict:
	return {
		"Sales Invoice": [
			{
				"fieldname": FIELD,
				"label": "Partner Gross Profit",
				"fieldtype": "Currency",
				"options": "Company:company:default_currency",
				"insert_after": "prm_partner",
				"read_only": 1,
				"no_copy": 1,
				"print_hide": 1,
				"description": "Net amount less the cost ERPNext records for the lines when the invoice is submitted (the Partner Pareto by gross profit sums it).",
				"module": "PRM App",
			}
		]
	}


def line_cost(row, stock_items: set, purchase_rates: dict) -> float:
	rate = flt(row.incoming_rate) if row.item_code in stock_items else flt(purchase_rates.get(row.item_code))
	return rate * flt(row.stock_qty)


def gross_profit(doc) -> float:
	codes = list({row.item_code for row in doc.items if row.item_code})
	items = frappe.get_all(
		"Item",
		filters={"name": ("in", codes or [""])},
		fields=["name", "is_stock_item", "last_purchase_rate"],
	)
	stock = {item.name for item in items if item.is_stock_item}
	rates = {item.name: item.last_purchase_rate for item in items}
	return sum(flt(row.base_net_amount) - line_cost(row, stock, rates) for row in doc.items)


def before_submit(doc, method=None) -> None:
	"""``doc_events`` of Sales Invoice: keep the gross profit of a partner's invoice."""
	if doc.get("prm_partner") and doc.meta.has_field(FIELD):
		doc.set(FIELD, gross_profit(doc))


def backfill(force: bool = False, commit: bool = True) -> int:
	"""Set the gross profit of submitted partner invoices that predate the field: one grouped query
	over their lines per chunk of invoices, then one bulk UPDATE per chunk. Returns how many."""
	if not force and frappe.db.get_default(BACKFILLED):
		return 0
	invoice = frappe.qb.DocType("Sales Invoice")
	line = frappe.qb.DocType("Sales Invoice Item")
	item = frappe.qb.DocType("Item")
	unit_cost = (
		Case().when(item.is_stock_item == 1, line.incoming_rate).else_(Coalesce(item.last_purchase_rate, 0))
	)
	done, last = 0, ""
	while True:
		names = (
			frappe.qb.from_(invoice)
			.select(invoice.name)
			.where((invoice.docstatus == 1) & invoice.prm_partner.isnotnull() & (invoice.name > last))
			.orderby(invoice.name)
			.limit(CHUNK)
		).run(pluck=True)
		if not names:
			break
		margins = dict(
			(
				frappe.qb.from_(line)
				.left_join(item)
				.on(item.name == line.item_code)
				.select(line.parent, Sum(line.base_net_amount - Coalesce(unit_cost, 0) * line.stock_qty))
				.where(line.parent.isin(names) & (line.parenttype == "Sales Invoice"))
				.groupby(line.parent)
			).run()
		)
		case = Case()
		for name in names:
			case = case.when(invoice.name == name, flt(margins.get(name)))
		frappe.qb.update(invoice).set(invoice[FIELD], case).where(invoice.name.isin(names)).run()
		done += len(names)
		last = names[-1]
		if commit:
			frappe.db.commit()  # nosemgrep: install / migrate step, commits per chunk
	frappe.db.set_default(BACKFILLED, "1")
	return done
