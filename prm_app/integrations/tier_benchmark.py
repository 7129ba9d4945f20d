"""Benchmark of the tier engine's full re-evaluation (a bench command, on a scratch site).

Writes synthetic partners (``PRMBENCH-P-...``), four benchmark tiers ranked above the site's own,
submitted Sales Invoices tagged with those partners (about 1 in 25 a credit note, 1 in 50 a draft,
1 in 100 older than the trailing year), won deal registrations and Active certifications, all with
multi-row INSERTs. Each partner's figures sit in the middle of one tier's band; its current tier is
that one, except for a share (``--changes``) placed a tier too low (promoted at once) or a tier too
high (half of those already past the grace: demoted; the rest start their grace).

Then it runs the same ``evaluate_all`` the daily job runs, prints the time to gather the metrics,
to evaluate and to write, checks the outcome against what the data was built to give, and deletes
exactly what it made (names starting PRMBENCH-) unless ``--keep``.
"""

import random
import time

import frappe
from frappe.query_builder.functions import Max
from frappe.utils import add_days, getdate, now, today

from prm_app.constants import (
	DEAL_REGISTRATION,
	PARTNER,
	PARTNER_CERTIFICATION,
	PARTNER_TIER_CHANGE,
	PROGRAM_TIER,
	WON,
)
from prm_app.integrations import tier_engine

PREFIX = "PRMBENCH-"
CHUNK = 10_000
# (revenue, won deals, certified people) a tier requires; a partner of a band gets about its middle
BANDS = ((0, 0, 0), (50_000, 2, 1), (250_000, 5, 2), (1_000_000, 10, 4))
MIDDLE = ((20_000, 1, 0), (120_000, 3, 1), (500_000, 7, 3), (2_000_000, 14, 6))
GRACE_DAYS = 30


def tier_names() -> list[str]:
	return [f"{PREFIX}Tier {i + 1}" for i in range(len(BANDS))]


def cleanup() -> None:
	for doctype, field in (
		("Sales Invoice", "name"),
		(DEAL_REGISTRATION, "name"),
		(PARTNER_CERTIFICATION, "name"),
		(PARTNER_TIER_CHANGE, "partner"),
		(PARTNER, "name"),
		(PROGRAM_TIER, "name"),
	):
		table = frappe.qb.DocType(doctype)
		frappe.qb.from_(table).delete().where(table[field].like(f"{PREFIX}%")).run()
	frappe.db.commit()  # nosemgrep: bench command


def company_in_default_currency() -> str:
	name = frappe.db.get_value("Company", {"default_currency": frappe.db.get_default("currency")}, "name")
	if not name:
		frappe.throw("The benchmark needs a company whose currency is the site's default currency.")
	return name


def make_tiers(stamp: str) -> None:
	table = frappe.qb.DocType(PROGRAM_TIER)
	base = int(frappe.qb.from_(table).select(Max(table.rank)).run()[0][0] or 0)
	rows = [
		(
			name,
			stamp,
			stamp,
			"Administrator",
			"Administrator",
			name,
			base + i + 1,
			revenue,
			won,
			certified,
			GRACE_DAYS,
			0,
		)
		for i, (name, (revenue, won, certified)) in enumerate(zip(tier_names(), BANDS, strict=True))
	]
	frappe.db.bulk_insert(
		PROGRAM_TIER,
		(
			"name",
			"creation",
			"modified",
			"modified_by",
			"owner",
			"tier_name",
			"rank",
			"min_trailing_revenue",
			"min_won_deals",
			"min_certified_people",
			"demotion_grace_days",
			"is_default",
		),
		rows,
	)


def plan(partners: int, changes: float, rng: random.Random) -> list[tuple[int, int, bool]]:
	"""(band, current tier index, past grace) per partner."""
	top = len(BANDS) - 1
	planned = []
	for _ in range(partners):
		band = rng.choices(range(len(BANDS)), weights=(50, 30, 15, 5))[0]
		current, past_grace = band, False
		if rng.random() < changes:
			if band < top and (band == 0 or rng.random() < 0.5):
				current = band + 1  # too high: grace, or demotion when past it
				past_grace = rng.random() < 0.5
			else:
				current = band - 1  # too low: promotion
		planned.append((band, current, past_grace))
	return planned


def fill(partners: int, invoices: int, changes: float, echo) -> dict:
	rng = random.Random(11)
	stamp = now()
	day = getdate(today())
	company = company_in_default_currency()
	customer = frappe.db.get_value("Customer", {}, "name") or "PRMBENCH Customer"
	make_tiers(stamp)
	names = tier_names()
	planned = plan(partners, changes, rng)
	partner_names = [f"{PREFIX}P-{i:06d}" for i in range(partners)]
	started = time.monotonic()
	frappe.db.bulk_insert(
		PARTNER,
		(
			"name",
			"creation",
			"modified",
			"modified_by",
			"owner",
			"partner_name",
			"status",
			"program_tier",
			"below_tier_since",
		),
		[
			(
				name,
				stamp,
				stamp,
				"Administrator",
				"Administrator",
				name,
				"Active",
				names[current],
				add_days(day, -GRACE_DAYS - 5) if past_grace else None,
			)
			for name, (_band, current, past_grace) in zip(partner_names, planned, strict=True)
		],
		chunk_size=CHUNK,
	)
	frappe.db.commit()  # nosemgrep: bench command
	echo(f"  {partners:,} partners in {time.monotonic() - started:.1f} s")

	started = time.monotonic()
	per_partner = max(invoices // partners, 1)
	columns = (
		"name",
		"creation",
		"modified",
		"modified_by",
		"owner",
		"docstatus",
		"company",
		"customer",
		"posting_date",
		"currency",
		"is_return",
		"prm_partner",
		"net_total",
		"base_net_total",
		"grand_total",
		"base_grand_total",
	)
	batch, written = [], 0
	for p, (name, (band, _current, _past)) in enumerate(zip(partner_names, planned, strict=True)):
		revenue = MIDDLE[band][0]
		each = revenue / per_partner
		for k in range(per_partner):
			if written >= invoices:
				break
			roll = rng.random()
			docstatus, is_return, amount, posted = 1, 0, each, add_days(day, -rng.randrange(0, 330))
			if roll < 0.04:  # a credit note (and the invoice it refunds, so the net stays in the band)
				is_return, amount = 1, -each * 0.5
			elif roll < 0.05:
				docstatus = 0  # a draft: never counted
			elif roll < 0.06:
				posted = add_days(day, -400)  # before the trailing year
			elif roll < 0.10:
				amount = each * 1.5  # makes up for a credit note elsewhere
			batch.append(
				(
					f"{PREFIX}SI-{p:06d}-{k:04d}",
					stamp,
					stamp,
					"Administrator",
					"Administrator",
					docstatus,
					company,
					customer,
					posted,
					frappe.db.get_default("currency"),
					is_return,
					name,
					amount,
					amount,
					amount,
					amount,
				)
			)
			written += 1
		if len(batch) >= CHUNK:
			frappe.db.bulk_insert("Sales Invoice", columns, batch, chunk_size=CHUNK)
			frappe.db.commit()  # nosemgrep: bench command
			batch = []
			if written % 200_000 < CHUNK:
				echo(f"  {written:,} invoices")
	if batch:
		frappe.db.bulk_insert("Sales Invoice", columns, batch, chunk_size=CHUNK)
	frappe.db.commit()  # nosemgrep: bench command
	echo(f"  {written:,} invoices in {time.monotonic() - started:.1f} s")

	started = time.monotonic()
	deals, certs = [], []
	for p, (name, (band, _current, _past)) in enumerate(zip(partner_names, planned, strict=True)):
		_revenue, won, certified = MIDDLE[band]
		deals += [
			(
				f"{PREFIX}DR-{p:06d}-{k:02d}",
				stamp,
				stamp,
				"Administrator",
				"Administrator",
				name,
				WON,
				f"Bench {p}",
				add_days(day, -rng.randrange(0, 300)),
			)
			for k in range(won)
		]
		certs += [
			(
				f"{PREFIX}CERT-{p:06d}-{k:02d}",
				stamp,
				stamp,
				"Administrator",
				"Administrator",
				name,
				f"prmbench-{p}-{k}@example.invalid",
				f"{PREFIX}Module",
				"Active",
				day,
				add_days(day, 200),
			)
			for k in range(certified)
		]
	frappe.db.bulk_insert(
		DEAL_REGISTRATION,
		(
			"name",
			"creation",
			"modified",
			"modified_by",
			"owner",
			"partner",
			"status",
			"company_name",
			"expected_close_date",
		),
		deals,
		chunk_size=CHUNK,
	)
	frappe.db.bulk_insert(
		PARTNER_CERTIFICATION,
		(
			"name",
			"creation",
			"modified",
			"modified_by",
			"owner",
			"partner",
			"user",
			"module",
			"status",
			"certified_on",
			"expires_on",
		),
		certs,
		chunk_size=CHUNK,
	)
	frappe.db.commit()  # nosemgrep: bench command
	echo(f"  {len(deals):,} won deals, {len(certs):,} certifications in {time.monotonic() - started:.1f} s")
	for doctype in ("Sales Invoice", DEAL_REGISTRATION, PARTNER_CERTIFICATION, PARTNER):
		frappe.db.sql(f"ANALYZE TABLE `tab{doctype}`")  # nosemgrep: refresh index statistics
	expected = {"promoted": 0, "demoted": 0, "grace_started": 0}
	for band, current, past_grace in planned:
		if current < band:
			expected["promoted"] += 1
		elif current > band:
			expected["demoted" if past_grace else "grace_started"] += 1
	return {"invoices": written, "deals": len(deals), "certifications": len(certs), "expected": expected}


def run(
	partners: int = 10_000, invoices: int = 1_000_000, changes: float = 0.02, keep: bool = False, echo=print
) -> dict:
	cleanup()
	echo(f"filling {partners:,} partners and {invoices:,} invoices ...")
	started = time.monotonic()
	made = fill(partners, invoices, changes, echo)
	echo(f"filled in {time.monotonic() - started:.1f} s")
	try:
		frappe.flags.mute_emails = True  # the tier change notifications of synthetic partners
		started = time.monotonic()
		result = tier_engine.evaluate_all(commit=True)
		total = time.monotonic() - started
	finally:
		frappe.flags.mute_emails = False
		if not keep:
			cleanup()
	timings = result.pop("timings")
	figures = {
		"partners": partners,
		"invoices": made["invoices"],
		"won_deals": made["deals"],
		"certifications": made["certifications"],
		"evaluated": result["evaluated"],
		"promoted": result["promoted"],
		"demoted": result["demoted"],
		"grace_started": result["grace_started"],
		"expected": made["expected"],
		"gather_s": round(timings["gather"], 2),
		"evaluate_s": round(timings["evaluate"], 2),
		"write_s": round(timings["write"], 2),
		"total_s": round(total, 2),
		"partners_per_s": round(result["evaluated"] / total) if total else None,
	}
	echo(
		f"gather {figures['gather_s']} s, evaluate {figures['evaluate_s']} s, write {figures['write_s']} s "
		f"({result['promoted']} promoted, {result['demoted']} demoted, {result['grace_started']} grace started): "
		f"total {figures['total_s']} s for {result['evaluated']:,} partners ({figures['partners_per_s']:,} partners/s)"
	)
	echo(f"expected from the data: {made['expected']}")
	return figures
