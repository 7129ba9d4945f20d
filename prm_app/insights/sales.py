"""Partner sales by company and month (``Partner Sales Month``), and the sales of any period.

Reports over a year of a large channel (a million invoices) must not read every invoice: whole
months are read from the monthly sums, only the partial months at a period's edges from the
invoices themselves (through the covering index of ``prm_app.insights.setup``).

The sums are kept:

- as invoices are submitted and cancelled (``doc_events``: one upsert of the invoice's company,
  partner and month, adding or taking away its net total, gross profit and count);
- by ``rebuild`` of the months whose invoices changed otherwise (the daily job, from the invoices
  modified since its last run) or of every month (install / migrate until done, and
  ``refresh(full=True)``): those months' rows are recomputed from the invoices in one grouped
  query and written in bulk.
"""

import hashlib
from collections import defaultdict
from datetime import date, timedelta

import frappe
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import flt, get_first_day, get_last_day, getdate, now_datetime
from pypika.enums import DatePart
from pypika.functions import Extract
from pypika.terms import NullValue

SALES_MONTH = "Partner Sales Month"
BUILT = "prm_sales_months_built"
LAST_REFRESH = "prm_sales_months_refreshed"
CHUNK = 2000
COLUMNS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"partner",
	"company",
	"month",
	"revenue",
	"gross_profit",
	"invoices",
)


def key(company: str, partner: str, month: date) -> str:
	"""The row of one company, partner and month (its name, so that an upsert finds it)."""
	return hashlib.sha1(f"{company}\0{partner}\0{month}".encode()).hexdigest()[:20]


# -- kept as invoices come and go ---------------------------------------------------------------


def add(doc, sign: int) -> None:
	if not doc.get("prm_partner"):
		return
	table = frappe.qb.DocType(SALES_MONTH)
	month = get_first_day(doc.posting_date)
	stamp = now_datetime()
	revenue = sign * flt(doc.base_net_total)
	margin = sign * flt(doc.get("prm_gross_profit"))
	(
		frappe.qb.into(table)
		.columns(*COLUMNS)
		.insert(
			key(doc.company, doc.prm_partner, month),
			stamp,
			stamp,
			"Administrator",
			"Administrator",
			0,
			doc.prm_partner,
			doc.company,
			month,
			revenue,
			margin,
			sign,
		)
		.on_duplicate_key_update(table.revenue, table.revenue + revenue)
		.on_duplicate_key_update(table.gross_profit, table.gross_profit + margin)
		.on_duplicate_key_update(table.invoices, table.invoices + sign)
		.on_duplicate_key_update(table.modified, stamp)
	).run()


def on_submit(doc, method=None) -> None:
	add(doc, 1)


def on_cancel(doc, method=None) -> None:
	add(doc, -1)


# -- rebuilt from the invoices ------------------------------------------------------------------


def rebuild(months: list[date] | None = None) -> int:
	"""Recompute the rows of ``months`` (first days; None: every month) from the invoices;
	returns how many rows were written."""
	table = frappe.qb.DocType(SALES_MONTH)
	invoice = frappe.qb.DocType("Sales Invoice")
	condition = (invoice.docstatus == 1) & invoice.prm_partner.isnotnull()
	if months is not None:
		months = sorted({get_first_day(m) for m in months})
		if not months:
			return 0
		frappe.qb.from_(table).delete().where(table.month.isin(months)).run()
		within = None
		for month in months:
			term = (invoice.posting_date >= month) & (invoice.posting_date <= get_last_day(month))
			within = term if within is None else within | term
		condition &= within
	else:
		frappe.qb.from_(table).delete().run()
	year, month_of = (
		Extract(DatePart.year, invoice.posting_date),
		Extract(DatePart.month, invoice.posting_date),
	)
	sums = {}
	for company, partner, y, m, revenue, margin, count in (
		frappe.qb.from_(invoice)
		.select(
			invoice.company,
			invoice.prm_partner,
			year,
			month_of,
			Sum(invoice.base_net_total),
			Sum(invoice.prm_gross_profit),
			Count("*"),
		)
		.where(condition)
		.groupby(invoice.company, invoice.prm_partner, year, month_of)
		.orderby(NullValue())
	).run():
		sums[(company, partner, date(int(y), int(m), 1))] = (flt(revenue), flt(margin), int(count))
	stamp = now_datetime()
	rows = [
		(
			key(company, partner, month),
			stamp,
			stamp,
			"Administrator",
			"Administrator",
			0,
			partner,
			company,
			month,
			*figures,
		)
		for (company, partner, month), figures in sums.items()
	]
	for start in range(0, len(rows), CHUNK):
		frappe.db.bulk_insert(SALES_MONTH, COLUMNS, rows[start : start + CHUNK])
	return len(rows)


def ensure_built() -> None:
	"""Install / migrate: build every month once."""
	if not frappe.db.get_default(BUILT):
		rebuild()
		frappe.db.set_default(BUILT, "1")
		frappe.db.set_default(LAST_REFRESH, str(now_datetime()))


def refresh(full: bool = False) -> int:
	"""Daily: rebuild the months of the invoices changed since the last run (an invoice edited in
	the database, a partner set afterwards); everything with ``full``."""
	if full:
		written = rebuild()
	else:
		since = frappe.db.get_default(LAST_REFRESH) or "1900-01-01"
		invoice = frappe.qb.DocType("Sales Invoice")
		days = (
			frappe.qb.from_(invoice).select(invoice.posting_date).distinct().where(invoice.modified >= since)
		).run(pluck=True)
		written = rebuild([getdate(day) for day in days if day])
	frappe.db.set_default(LAST_REFRESH, str(now_datetime()))
	return written


# -- read for a period --------------------------------------------------------------------------


def invoiced(company: str, start: date, end: date) -> dict[str, list]:
	"""{partner: [revenue, gross profit, invoices]} of the company's submitted partner invoices
	posted from ``start`` to ``end``."""
	return invoiced_periods(company, [(start, end)])[0]


def split(start: date, end: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
	"""A period as (its whole months: first and last month's first day, or None; its partial
	edges: date ranges)."""
	first_whole = (
		start if start == get_first_day(start) else get_first_day(get_last_day(start) + timedelta(days=1))
	)
	last_whole = (
		get_first_day(end)
		if end == get_last_day(end)
		else get_first_day(get_first_day(end) - timedelta(days=1))
	)
	if first_whole > last_whole:
		return None, [(start, end)]
	edges = []
	if start < first_whole:
		edges.append((start, first_whole - timedelta(days=1)))
	if end > get_last_day(last_whole):
		edges.append((get_last_day(last_whole) + timedelta(days=1), end))
	return (first_whole, last_whole), edges


def invoiced_periods(company: str, periods: list[tuple[date, date]]) -> list[dict[str, list]]:
	"""``invoiced`` of several periods at once: one grouped query over the monthly sums and one over
	the invoices of the periods' partial months, each summing every period in its own columns."""
	periods = [(getdate(a), getdate(b)) for a, b in periods]
	results = [defaultdict(lambda: [0.0, 0.0, 0]) for _ in periods]
	months, edges = [], []
	for index, (start, end) in enumerate(periods):
		if start > end:
			continue
		whole, partial = split(start, end)
		if whole:
			months.append((index, whole))
		edges += [(index, edge) for edge in partial]
	table = frappe.qb.DocType(SALES_MONTH)
	invoice = frappe.qb.DocType("Sales Invoice")
	for source, field, condition, spans, sums in (
		(
			table,
			table.month,
			table.company == company,
			months,
			(table.revenue, table.gross_profit, table.invoices),
		),
		(
			invoice,
			invoice.posting_date,
			(invoice.company == company) & (invoice.docstatus == 1) & invoice.prm_partner.isnotnull(),
			edges,
			(invoice.base_net_total, invoice.prm_gross_profit, 1),
		),
	):
		if not spans:
			continue
		partner = table.partner if source is table else invoice.prm_partner
		columns, within = [], None
		for index, (low, high) in spans:
			inside = (field >= low) & (field <= high)
			within = inside if within is None else within | inside
			columns += [(index, Sum(Case().when(inside, value).else_(0))) for value in sums]
		for row in (
			frappe.qb.from_(source)
			.select(partner, *(column for _index, column in columns))
			.where(condition & within)
			.groupby(partner)
			.orderby(NullValue())
		).run():
			name, values = row[0], row[1:]
			for position in range(0, len(values), 3):
				index = columns[position][0]
				add_to(results[index][name], *values[position : position + 3])
	return results


def add_to(row: list, revenue, margin, count) -> None:
	row[0] += flt(revenue)
	row[1] += flt(margin)
	row[2] += int(count or 0)
