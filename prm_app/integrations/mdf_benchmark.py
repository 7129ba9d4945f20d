"""Benchmark of the MDF and rebate reads that grow with the programme (a bench command).

Synthetic partners (``PRMBENCH-...``) in a tier with a rebate and an MDF percentage, each with a
budget for the current quarter, approved requests, claims, and invoices in the last rebate period,
are written straight into the tables. Then it times, with the same functions the jobs and the
portal use:

- the allocation's revenue read (one grouped query for every partner);
- the balance of every budget (``mdf_budget.figures``: one query per kind of record);
- the rebate batch's computation for the whole period (``rebates.compute``), without posting;
- a partner's budget balance as the portal reads it, one partner at a time (p50/p95/p99).

It prints the figures (and JSON with ``--json``) and deletes its rows unless asked to keep them.
"""

import random
import time

import frappe
from frappe.utils import add_days, getdate, now, today

from prm_app.integrations import accounting, mdf_budget, rebates

PREFIX = "PRMBENCH-"
CHUNK = 5_000
TABLES = (
	("Sales Invoice Item", "parent"),
	("Sales Invoice", "name"),
	("MDF Claim", "name"),
	("MDF Request", "name"),
	("MDF Budget", "name"),
	("Partner", "name"),
	("Program Tier", "name"),
)


def percentile(values: list[float], q: float) -> float:
	ordered = sorted(values)
	return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def cleanup() -> None:
	for doctype, field in TABLES:
		table = frappe.qb.DocType(doctype)
		frappe.qb.from_(table).delete().where(table[field].like(f"{PREFIX}%")).run()
	frappe.db.commit()  # nosemgrep: bench command


def insert(doctype: str, rows: list[dict]) -> None:
	if not rows:
		return
	stamp = now()
	base = {"creation": stamp, "modified": stamp, "owner": "Administrator", "modified_by": "Administrator"}
	fields = list({**base, **rows[0]})
	for start in range(0, len(rows), CHUNK):
		values = [[{**base, **row}.get(f) for f in fields] for row in rows[start : start + CHUNK]]
		frappe.db.bulk_insert(doctype, fields, values)
	frappe.db.commit()  # nosemgrep: bench command


def fill(partners: int, invoices: int, requests: int, company: str) -> dict:
	rng = random.Random(7)
	currency = accounting.company_currency(company)
	quarter = mdf_budget.period_of(today(), "Quarter", company)
	period = rebates.period_of(today(), company).previous()
	tier = f"{PREFIX}Tier"
	insert(
		"Program Tier",
		[
			{
				"name": tier,
				"tier_name": tier,
				"rank": 10_000_000 + rng.randint(0, 1_000_000),
				"rebate_percent": 2.5,
				"mdf_allocation_type": "Percent of Trailing Revenue",
				"mdf_allocation_percent": 3,
				"mdf_period": "Quarter",
			}
		],
	)
	names = [f"{PREFIX}P{i:07d}" for i in range(partners)]
	insert(
		"Partner",
		[{"name": n, "partner_name": n, "status": "Active", "program_tier": tier} for n in names],
	)
	days = (getdate(period.end) - getdate(period.start)).days
	invoice_rows, item_rows = [], []
	for p, partner in enumerate(names):
		for i in range(invoices):
			name = f"{PREFIX}SI{p:07d}-{i:03d}"
			amount = round(rng.uniform(100, 20_000), 2)
			invoice_rows.append(
				{
					"name": name,
					"docstatus": 1,
					"company": company,
					"customer": f"{PREFIX}Customer",
					"prm_partner": partner,
					"posting_date": add_days(period.start, rng.randint(0, days)),
					"base_net_total": amount,
					"net_total": amount,
					"currency": currency,
					"is_return": 0,
				}
			)
			item_rows.append(
				{
					"name": f"{name}-1",
					"parent": name,
					"parenttype": "Sales Invoice",
					"parentfield": "items",
					"item_code": f"{PREFIX}Item",
					"item_name": f"{PREFIX}Item",
					"qty": 1,
					"base_net_amount": amount,
					"docstatus": 1,
				}
			)
	insert("Sales Invoice", invoice_rows)
	insert("Sales Invoice Item", item_rows)
	budgets, request_rows, claim_rows = [], [], []
	for p, partner in enumerate(names):
		budget = f"{PREFIX}B{p:07d}"
		budgets.append(
			{
				"name": budget,
				"partner": partner,
				"company": company,
				"currency": currency,
				"period_type": "Quarter",
				"period_start": quarter.start,
				"period_end": quarter.end,
				"status": "Open",
				"allocated_amount": 10_000,
				"budget_key": f"{PREFIX}{budget}",
			}
		)
		for r in range(requests):
			request = f"{PREFIX}R{p:07d}-{r:02d}"
			request_rows.append(
				{
					"name": request,
					"partner": partner,
					"budget": budget,
					"company": company,
					"currency": currency,
					"status": "Approved",
					"activity_type": "Webinar",
					"title": request,
					"planned_cost": 4000,
					"requested_amount": 2000,
					"approved_amount": 2000,
				}
			)
			claim_rows.append(
				{
					"name": f"{PREFIX}C{p:07d}-{r:02d}",
					"partner": partner,
					"budget": budget,
					"mdf_request": request,
					"company": company,
					"currency": currency,
					"status": "Submitted",
					"docstatus": 0,
					"actual_cost": 2000,
					"claimed_amount": 800,
				}
			)
	insert("MDF Budget", budgets)
	insert("MDF Request", request_rows)
	insert("MDF Claim", claim_rows)
	return {"partners": names, "budgets": [b["name"] for b in budgets], "period": period, "quarter": quarter}


def timed(fn):
	started = time.perf_counter()
	result = fn()
	return result, time.perf_counter() - started


def run(
	partners: int = 2000,
	invoices: int = 10,
	requests: int = 3,
	queries: int = 300,
	keep: bool = False,
	echo=print,
) -> dict:
	company = accounting.default_company()
	cleanup()
	echo(
		f"writing {partners:,} partners, {partners * invoices:,} invoices, {partners * requests:,} requests and claims ..."
	)
	data, fill_seconds = timed(lambda: fill(partners, invoices, requests, company))
	echo(f"  written in {fill_seconds:.1f} s")
	try:
		previous = data["quarter"].previous()
		revenue, revenue_s = timed(
			lambda: mdf_budget.invoiced_revenue(data["partners"], company, previous.start, previous.end)
		)
		figures, figures_s = timed(lambda: mdf_budget.figures(data["budgets"]))
		assert len(figures) == len(data["budgets"])
		computed, compute_s = timed(lambda: rebates.compute(company, data["period"], data["partners"]))
		lines = sum(len(rows) for rows in computed.values())
		latencies = []
		rng = random.Random(11)
		for _ in range(queries):
			budget = rng.choice(data["budgets"])
			_result, seconds = timed(lambda budget=budget: mdf_budget.figures([budget]))
			latencies.append(seconds * 1000)
		result = {
			"partners": partners,
			"invoices": partners * invoices,
			"requests": partners * requests,
			"allocation_revenue_read_s": round(revenue_s, 3),
			"budget_balances_s": round(figures_s, 3),
			"budgets_per_s": round(len(figures) / figures_s) if figures_s else None,
			"rebate_batch_compute_s": round(compute_s, 3),
			"invoices_per_s": round(lines / compute_s) if compute_s else None,
			"rebate_lines": lines,
			"partner_balance_ms_p50": round(percentile(latencies, 0.5), 2),
			"partner_balance_ms_p95": round(percentile(latencies, 0.95), 2),
			"partner_balance_ms_p99": round(percentile(latencies, 0.99), 2),
			"revenue_rows": len(revenue),
		}
		for key, value in result.items():
			echo(f"{key}: {value}")
		return result
	finally:
		if not keep:
			cleanup()
			echo("synthetic rows removed")
