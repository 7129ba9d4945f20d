"""Benchmark of the Partner Scorecard and Partner Pareto over N partners and M invoices (a bench
command: ``bench --site SITE prm-benchmark-insights``).

Synthetic partners, submitted Sales Invoices with one line each, deal registrations and engagement
events are written straight into their tables with multi-row INSERTs (only the columns the reports
read, and those a row needs), named with ``PREFIX`` so that exactly they are removed afterwards.
Revenue follows a Zipf distribution over the partners, dates spread over two years (this period
and the previous one). Each report runs through ``frappe.desk.query_report.run`` as Administrator,
as the desk runs it; the command prints p50 / p95 / max seconds per report and the rows it returned.
"""

import random
import time
from datetime import datetime, timedelta

import frappe
from frappe.utils import getdate, now_datetime

from prm_app.constants import DEAL_REGISTRATION, EVENT_SIGN_IN, PARTNER, PARTNER_ENGAGEMENT_EVENT
from prm_app.engine import insights as rules

PREFIX = "PRMBENCH-"
CHUNK = 5_000
ITEMS = (
	(f"{PREFIX}ITEM-HW", 1, 70.0, 0.0),
	(f"{PREFIX}ITEM-SW", 0, 0.0, 25.0),
)  # code, stock, valuation, purchase
STATUSES = ("Approved", "Won", "Lost", "Rejected", "Pending Review", "Expired", "Withdrawn")


def percentile(values: list[float], q: float) -> float:
	ordered = sorted(values)
	return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def delete_like(doctype: str, field: str = "name") -> int:
	"""Delete this benchmark's rows of ``doctype`` in chunks (small transactions); returns how many."""
	table = frappe.qb.DocType(doctype)
	removed = 0
	while True:
		frappe.qb.from_(table).delete().where(table[field].like(f"{PREFIX}%")).limit(50_000).run()
		count = frappe.db._cursor.rowcount
		frappe.db.commit()  # nosemgrep: bench command
		removed += max(count, 0)
		if count <= 0:
			return removed


def cleanup(echo=print) -> None:
	for doctype, field in (
		("Partner Sales Month", "partner"),
		("Sales Invoice Item", "name"),
		("Sales Invoice", "name"),
		(DEAL_REGISTRATION, "name"),
		(PARTNER_ENGAGEMENT_EVENT, "name"),
		(PARTNER, "name"),
	):
		removed = delete_like(doctype, field)
		if removed:
			echo(f"  removed {removed:,} rows of {doctype}")
	for code, *_rest in ITEMS:
		if frappe.db.exists("Item", code):
			frappe.delete_doc("Item", code, force=True, ignore_permissions=True, delete_permanently=True)
	frappe.db.commit()  # nosemgrep: bench command


def bulk(doctype: str, fields: list[str], rows) -> int:
	"""Multi-row INSERTs of ``rows`` (an iterable of tuples), CHUNK rows each, committed as it goes."""
	batch, written = [], 0
	for row in rows:
		batch.append(row)
		if len(batch) >= CHUNK:
			frappe.db.bulk_insert(doctype, fields, batch, chunk_size=CHUNK)
			frappe.db.commit()  # nosemgrep: bench command
			written += len(batch)
			batch = []
	if batch:
		frappe.db.bulk_insert(doctype, fields, batch, chunk_size=CHUNK)
		frappe.db.commit()  # nosemgrep: bench command
		written += len(batch)
	return written


def fill(partners: int, invoices: int, registrations: int, events: int, echo) -> dict:
	rng = random.Random(11)
	company = frappe.defaults.get_user_default("Company") or frappe.db.get_single_value(
		"Global Defaults", "default_company"
	)
	currency = frappe.get_cached_value("Company", company, "default_currency")
	tiers = frappe.get_all("Program Tier", pluck="name") or [None]
	stamp = now_datetime()
	today = getdate()
	for code, stock, valuation, purchase in ITEMS:
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": stock,
				"valuation_rate": valuation,
				"last_purchase_rate": purchase,
			}
		).insert(ignore_permissions=True)
	names = [f"{PREFIX}{i:06d}" for i in range(partners)]
	base = ["name", "creation", "modified", "owner", "modified_by", "docstatus"]
	written = bulk(
		PARTNER,
		[*base, "partner_name", "status", "program_tier", "joined_on"],
		(
			(
				name,
				stamp,
				stamp,
				"Administrator",
				"Administrator",
				0,
				name,
				"Active" if i % 10 else "Onboarding",
				tiers[i % len(tiers)],
				today - timedelta(days=800),
			)
			for i, name in enumerate(names)
		),
	)
	echo(f"  {written:,} partners")
	weights = rules.zipf_weights(partners)
	cumulative, total = [], 0.0
	for weight in weights:
		total += weight
		cumulative.append(total)
	order = names[:]
	rng.shuffle(order)

	def pick() -> str:
		from bisect import bisect_left

		return order[min(bisect_left(cumulative, rng.random()), partners - 1)]

	def invoice_rows():
		for i in range(invoices):
			day = today - timedelta(days=rng.randint(0, 729))
			amount = round(rng.uniform(200, 20_000), 2)
			yield (
				f"{PREFIX}SI-{i:08d}",
				stamp,
				stamp,
				"Administrator",
				"Administrator",
				1,
				company,
				day,
				pick(),
				amount,
				amount,
				amount,
				amount,
				currency,
				1,
				round(amount * 0.3, 2),
			)

	started = time.monotonic()
	written = bulk(
		"Sales Invoice",
		[
			*base,
			"company",
			"posting_date",
			"prm_partner",
			"base_net_total",
			"net_total",
			"base_grand_total",
			"grand_total",
			"currency",
			"conversion_rate",
			"prm_gross_profit",
		],
		invoice_rows(),
	)
	echo(f"  {written:,} sales invoices in {time.monotonic() - started:.0f} s")

	def line_rows():
		for i in range(invoices):
			code, _stock, valuation, _purchase = ITEMS[i % 2]
			amount = round(rng.uniform(200, 20_000), 2)
			yield (
				f"{PREFIX}SII-{i:08d}",
				stamp,
				stamp,
				"Administrator",
				"Administrator",
				1,
				f"{PREFIX}SI-{i:08d}",
				"Sales Invoice",
				"items",
				code,
				1,
				1,
				amount,
				amount,
				valuation,
			)

	started = time.monotonic()
	written = bulk(
		"Sales Invoice Item",
		[
			*base,
			"parent",
			"parenttype",
			"parentfield",
			"item_code",
			"qty",
			"stock_qty",
			"base_net_amount",
			"net_amount",
			"incoming_rate",
		],
		line_rows(),
	)
	echo(f"  {written:,} invoice lines in {time.monotonic() - started:.0f} s")

	def registration_rows():
		for i in range(registrations):
			registered = datetime.combine(today - timedelta(days=rng.randint(0, 729)), datetime.min.time())
			status = STATUSES[i % len(STATUSES)]
			decided = (
				registered + timedelta(hours=rng.randint(2, 200)) if status != "Pending Review" else None
			)
			yield (
				f"{PREFIX}DR-{i:08d}",
				stamp,
				stamp,
				"Administrator",
				"Administrator",
				0,
				pick(),
				status,
				f"Bench Customer {i}",
				registered,
				decided,
				round(rng.uniform(1_000, 90_000), 2),
				currency,
			)

	written = bulk(
		DEAL_REGISTRATION,
		[
			*base,
			"partner",
			"status",
			"company_name",
			"registered_on",
			"decided_on",
			"expected_value",
			"currency",
		],
		registration_rows(),
	)
	echo(f"  {written:,} deal registrations")

	def event_rows():
		for i in range(events):
			when = datetime.combine(today - timedelta(days=rng.randint(0, 729)), datetime.min.time())
			yield (
				f"{PREFIX}EV-{i:09d}",
				stamp,
				stamp,
				"Administrator",
				"Administrator",
				0,
				pick(),
				EVENT_SIGN_IN,
				when + timedelta(minutes=rng.randint(0, 1439)),
			)

	written = bulk(PARTNER_ENGAGEMENT_EVENT, [*base, "partner", "event_type", "timestamp"], event_rows())
	echo(f"  {written:,} engagement events")
	from prm_app.insights import sales

	started = time.monotonic()
	months = sales.rebuild()  # what install / migrate does for invoices made before the app
	frappe.db.commit()  # nosemgrep: bench command
	rebuild_s = time.monotonic() - started
	echo(f"  {months:,} partner sales months built from the invoices in {rebuild_s:.1f} s")
	for table in (
		"Sales Invoice",
		"Sales Invoice Item",
		PARTNER,
		DEAL_REGISTRATION,
		PARTNER_ENGAGEMENT_EVENT,
		"Partner Sales Month",
	):
		frappe.db.sql(f"ANALYZE TABLE `tab{table}`")  # nosemgrep: refresh index statistics
	return {"company": company, "rebuild_s": round(rebuild_s, 1), "sales_months": months}


def timed(runs: int, call) -> tuple[list[float], object]:
	seconds, result = [], None
	for _ in range(runs):
		frappe.clear_cache(doctype="PRM Settings")
		started = time.perf_counter()
		result = call()
		seconds.append(time.perf_counter() - started)
	return seconds, result


def run(
	partners: int = 10_000,
	invoices: int = 1_000_000,
	runs: int = 5,
	keep: bool = False,
	echo=print,
	registrations: int | None = None,
	events: int | None = None,
) -> dict:
	from frappe.desk.query_report import run as run_report

	from prm_app.insights.health import assess

	frappe.set_user("Administrator")
	registrations = invoices // 10 if registrations is None else registrations
	events = invoices // 2 if events is None else events
	cleanup(echo)
	echo(
		f"filling: {partners:,} partners, {invoices:,} invoices, {registrations:,} registrations, {events:,} events ..."
	)
	started = time.monotonic()
	context = fill(partners, invoices, registrations, events, echo)
	fill_s = time.monotonic() - started
	echo(f"filled in {fill_s:.0f} s")
	filters = {"company": context["company"], "status": "All"}
	cases = (
		(
			"Partner Scorecard",
			lambda: run_report("Partner Scorecard", filters=filters, ignore_prepared_report=True),
		),
		(
			"Partner Pareto (revenue)",
			lambda: run_report(
				"Partner Pareto", filters={**filters, "based_on": "Revenue"}, ignore_prepared_report=True
			),
		),
		(
			"Partner Pareto (gross profit)",
			lambda: run_report(
				"Partner Pareto", filters={**filters, "based_on": "Gross Profit"}, ignore_prepared_report=True
			),
		),
		("Daily health check (assess)", lambda: {"result": assess()}),
	)
	result = {
		"rebuild_s": context["rebuild_s"],
		"sales_months": context["sales_months"],
		"partners": partners,
		"invoices": invoices,
		"registrations": registrations,
		"events": events,
		"fill_s": round(fill_s, 1),
		"runs": runs,
		"reports": {},
	}
	try:
		for name, call in cases:
			seconds, output = timed(runs, call)
			rows = len(output["result"])
			figures = {
				"p50_s": round(percentile(seconds, 0.5), 3),
				"p95_s": round(percentile(seconds, 0.95), 3),
				"max_s": round(max(seconds), 3),
				"rows": rows,
			}
			result["reports"][name] = figures
			echo(
				f"{name}: p50 {figures['p50_s']} s, p95 {figures['p95_s']} s, max {figures['max_s']} s over {runs} runs ({rows:,} rows)"
			)
	finally:
		if not keep:
			echo("removing the synthetic rows ...")
			cleanup(echo)
	return result
