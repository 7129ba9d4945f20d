"""Synthetic records of the capabilities for ``prm-benchmark-portal``, so that their pages are
measured with rows behind them: per partner, lead offers (with their ERPNext Leads) in every
answer, an MDF budget for the quarter with requests in every state, rebate accruals, and its
Partner Admin's certifications; for the programme, published training modules and assets.

Written like ``perf.data``: multi-row INSERTs as the documents' code would leave the rows, no
controllers run. Every record is marked ``PRMPERF`` in its name (``PRMPERF-LO-...`` offers,
``PRMPERF-LEAD-...`` Leads, ``PRMPERF-MDFB-...`` budgets, ``PRMPERF-MDFR-...`` requests,
``PRMPERF-RA-...`` accruals, ``PRMPERF-CERT-...`` certifications, ``PRMPERF-ASSET-...`` assets,
``PRMPERF Module ...`` modules, ``PRMPERF Webinar`` activity type); ``remove()`` deletes exactly
those.
"""

import random
import time
from datetime import timedelta

import frappe
from frappe.utils import add_days, add_months, get_first_day, getdate, now_datetime, today

from prm_app.constants import (
	LEAD_OFFER,
	MDF_BUDGET,
	MDF_REQUEST,
	PARTNER_CERTIFICATION,
	REBATE_ACCRUAL,
	TRAINING_MODULE,
)
from prm_app.perf.data import CHUNK, MARK, STD, delete_in_chunks, insert_rows, std

LEAD_PREFIX = f"{MARK}-LEAD-"
OFFER_PREFIX = f"{MARK}-LO-"
BUDGET_PREFIX = f"{MARK}-MDFB-"
REQUEST_PREFIX = f"{MARK}-MDFR-"
ACCRUAL_PREFIX = f"{MARK}-RA-"
CERTIFICATE_PREFIX = f"{MARK}-CERT-"
ASSET_PREFIX = f"{MARK}-ASSET-"
MODULE_PREFIX = f"{MARK} Module "
ACTIVITY_TYPE = f"{MARK} Webinar"
MODULES = 8
ASSETS = 60
ACCRUALS = 8  # quarters of rebates per partner

# (status, weight): how offers were answered, and how the requests of a budget stand
OFFER_WEIGHTS = (("Offered", 2), ("Accepted", 5), ("Declined", 2), ("Timed Out", 1))
PROGRESS = (None, "Contacted", "Qualified", "Converted", "Lost")
REQUEST_WEIGHTS = (("Draft", 1), ("Submitted", 2), ("Approved", 5), ("Rejected", 1), ("Closed", 1))


def weighted(weights) -> list[str]:
	return [status for status, weight in weights for _ in range(weight)]


def make(programme: dict, leads: int, requests: int, seed: int = 17, echo=print) -> dict[str, int]:
	"""The capabilities' records for every partner of ``programme`` (``perf.data.make``'s):
	``leads`` offers and ``requests`` MDF requests each; returns the rows written per doctype."""
	started = time.monotonic()
	rng = random.Random(seed)
	partners = programme["partners"]
	company = frappe.db.get_single_value("Global Defaults", "default_company") or frappe.db.get_value(
		"Company", {}, "name"
	)
	currency = frappe.db.get_value("Company", company, "default_currency") if company else None
	currency = currency or frappe.db.get_default("currency")
	counts = {
		TRAINING_MODULE: make_modules(),
		"Partner Asset": make_assets(),
		LEAD_OFFER: make_offers(partners, leads, company, rng),
	}
	if company:  # budgets and accruals belong to a company
		counts[MDF_BUDGET], counts[MDF_REQUEST] = make_mdf(partners, requests, company, currency, rng)
		counts[REBATE_ACCRUAL] = make_accruals(partners, company, currency, rng)
	counts[PARTNER_CERTIFICATION] = make_certifications(partners)
	frappe.db.commit()  # nosemgrep: bench command, outside any request
	for table in ("tabLead", f"tab{LEAD_OFFER}", f"tab{MDF_REQUEST}"):
		frappe.db.sql(f"ANALYZE TABLE `{table}`")  # nosemgrep: refresh index statistics
	echo(
		"  capabilities: "
		+ ", ".join(f"{count:,} {doctype}" for doctype, count in counts.items())
		+ f" in {time.monotonic() - started:.1f} s"
	)
	return counts


def make_modules() -> int:
	now = now_datetime()
	columns = (
		"name",
		*STD,
		"title",
		"summary",
		"published",
		"passing_score",
		"attempts_allowed",
		"certification_name",
		"validity_months",
		"for_partner_users",
		"for_partner_admins",
	)
	rows = [
		(
			f"{MODULE_PREFIX}{k}",
			*std(now),
			f"{MODULE_PREFIX}{k}",
			"What a partner's sellers need to know about the product line.",
			1,
			70,
			3,
			f"{MARK} Certified {k}",
			12,
			1,
			1,
		)
		for k in range(1, MODULES + 1)
	]
	insert_rows(f"tab{TRAINING_MODULE}", columns, rows)
	return len(rows)


def make_assets() -> int:
	now = now_datetime()
	categories = ("Sales", "Marketing", "Technical", "Training", "Brand")
	columns = ("name", *STD, "naming_series", "title", "category", "published_from", "link", "description")
	rows = [
		(
			f"{ASSET_PREFIX}{k:05d}",
			*std(now - timedelta(days=k)),
			"PA-.YYYY.-",
			f"{MARK} Datasheet {k}",
			categories[k % len(categories)],
			add_days(today(), -k),
			f"https://assets.example.com/{MARK.lower()}/{k}.pdf",
			"A datasheet for partners.",
		)
		for k in range(1, ASSETS + 1)
	]
	insert_rows("tabPartner Asset", columns, rows)
	return len(rows)


def make_offers(partners: list[dict], per_partner: int, company: str | None, rng: random.Random) -> int:
	"""``per_partner`` ERPNext Leads offered to each partner, answered as ``OFFER_WEIGHTS`` says."""
	if per_partner <= 0:
		return 0
	now = now_datetime()
	statuses = weighted(OFFER_WEIGHTS)
	lead_columns = (
		"name",
		*STD,
		"naming_series",
		"first_name",
		"lead_name",
		"company_name",
		"email_id",
		"status",
	)
	offer_columns = (
		"name",
		*STD,
		"naming_series",
		"lead",
		"lead_title",
		"partner",
		"status",
		"offered_by",
		"offered_on",
		"respond_by",
		"responded_on",
		"responded_by",
		"progress",
		"followed_up",
	)
	leads, offers, sequence, written = [], [], 0, 0
	for entry in partners:
		for k in range(per_partner):
			sequence += 1
			offered = now - timedelta(hours=(per_partner - k) * 6 + rng.random())
			status = rng.choice(statuses)
			name = f"{LEAD_PREFIX}{sequence:08d}"
			buyer = f"Buyer {sequence}"
			firm = f"{MARK} Prospect {sequence} Ltd"
			leads.append(
				(
					name,
					*std(offered),
					"CRM-LEAD-.YYYY.-",
					buyer,
					buyer,
					firm,
					f"lead{sequence}@prospect.example.com",
					"Open",
				)
			)
			answered = status != "Offered"
			offers.append(
				(
					f"{OFFER_PREFIX}{sequence:08d}",
					*std(offered),
					"LO-.YYYY.-",
					name,
					f"{buyer} ({firm})",
					entry["partner"],
					status,
					"Administrator",
					offered,
					offered + timedelta(hours=48),
					offered + timedelta(hours=rng.randrange(1, 40)) if answered else None,
					entry["admin"] if status in ("Accepted", "Declined") else None,
					rng.choice(PROGRESS) if status == "Accepted" else None,
					1 if answered else 0,
				)
			)
			if len(offers) >= CHUNK:
				written += flush_offers(lead_columns, leads, offer_columns, offers)
	written += flush_offers(lead_columns, leads, offer_columns, offers)
	return written


def flush_offers(lead_columns, leads: list, offer_columns, offers: list) -> int:
	count = len(offers)
	insert_rows("tabLead", lead_columns, leads)
	insert_rows(f"tab{LEAD_OFFER}", offer_columns, offers)
	frappe.db.commit()  # nosemgrep: bench command, outside any request
	leads.clear()
	offers.clear()
	return count


def make_mdf(partners: list[dict], per_partner: int, company: str, currency: str, rng) -> tuple[int, int]:
	"""An open budget of the current quarter per partner, and ``per_partner`` requests on it in the
	states of ``REQUEST_WEIGHTS`` (approved ones reserving their amount)."""
	now = now_datetime()
	if not frappe.db.exists("MDF Activity Type", ACTIVITY_TYPE):
		insert_rows(
			"tabMDF Activity Type",
			("name", *STD, "activity_type"),
			[(ACTIVITY_TYPE, *std(now), ACTIVITY_TYPE)],
		)
	start = get_first_day(add_months(getdate(today()), -((getdate(today()).month - 1) % 3)))
	end = add_days(add_months(start, 3), -1)
	statuses = weighted(REQUEST_WEIGHTS)
	budget_columns = (
		"name",
		*STD,
		"naming_series",
		"partner",
		"company",
		"currency",
		"period_type",
		"period_start",
		"period_end",
		"status",
		"computed_amount",
		"allocated_amount",
		"available_amount",
		"budget_key",
	)
	request_columns = (
		"name",
		*STD,
		"naming_series",
		"partner",
		"budget",
		"company",
		"currency",
		"status",
		"workflow_state",
		"activity_type",
		"title",
		"start_date",
		"end_date",
		"expected_leads",
		"planned_cost",
		"co_op_percent",
		"max_fundable",
		"requested_amount",
		"approved_amount",
		"claimed_amount",
		"remaining_amount",
	)
	budgets, requests, sequence = [], [], 0
	allocated = 50_000.0
	for i, entry in enumerate(partners, start=1):
		budget = f"{BUDGET_PREFIX}{i:06d}"
		budget_key = f"{entry['partner']}|{company}|Quarter|{start.isoformat()}"
		reserved = 0.0
		for k in range(per_partner):
			sequence += 1
			status = rng.choice(statuses)
			amount = float(rng.randrange(2, 20) * 100)
			approved = amount if status == "Approved" else 0.0
			reserved += approved
			day = add_days(start, k % 80)
			requests.append(
				(
					f"{REQUEST_PREFIX}{sequence:08d}",
					*std(now - timedelta(hours=per_partner - k)),
					"MDF-REQ-.YYYY.-",
					entry["partner"],
					budget,
					company,
					currency,
					status,
					status,  # the shipped workflow's states are named like the statuses
					ACTIVITY_TYPE,
					f"{MARK} webinar {sequence}",
					day,
					add_days(day, 1),
					20,
					amount * 2,
					50,
					amount,
					amount,
					approved,
					0.0,
					approved,
				)
			)
		budgets.append(
			(
				budget,
				*std(now),
				"MDF-BUD-.YYYY.-",
				entry["partner"],
				company,
				currency,
				"Quarter",
				start,
				end,
				"Open",
				allocated,
				allocated,
				allocated - reserved,
				budget_key,
			)
		)
	insert_rows(f"tab{MDF_BUDGET}", budget_columns, budgets)
	insert_rows(f"tab{MDF_REQUEST}", request_columns, requests)
	frappe.db.commit()  # nosemgrep: bench command, outside any request
	return len(budgets), len(requests)


def make_accruals(partners: list[dict], company: str, currency: str, rng) -> int:
	"""``ACCRUALS`` submitted quarterly accruals per partner (no journal entries: nothing reads them
	on the portal)."""
	now = now_datetime()
	columns = (
		"name",
		*STD,
		"naming_series",
		"partner",
		"company",
		"currency",
		"period_start",
		"period_end",
		"posting_date",
		"rebate_percent",
		"revenue",
		"tier_rebate_amount",
		"total_rebate",
	)
	rows, sequence = [], 0
	first = get_first_day(add_months(getdate(today()), -3 * ACCRUALS))
	for entry in partners:
		for q in range(ACCRUALS):
			sequence += 1
			start = add_months(first, 3 * q)
			end = add_days(add_months(start, 3), -1)
			revenue = float(rng.randrange(10, 500) * 1000)
			rows.append(
				(
					f"{ACCRUAL_PREFIX}{sequence:08d}",
					*std(now, docstatus=1),  # submitted
					"RA-.YYYY.-",
					entry["partner"],
					company,
					currency,
					start,
					end,
					add_days(end, 1),
					2.5,
					revenue,
					revenue * 0.025,
					revenue * 0.025,
				)
			)
	insert_rows(f"tab{REBATE_ACCRUAL}", columns, rows)
	return len(rows)


def make_certifications(partners: list[dict]) -> int:
	"""Each Partner Admin certified in the first two modules."""
	now = now_datetime()
	day = getdate(today())
	columns = (
		"name",
		*STD,
		"user",
		"full_name",
		"partner",
		"module",
		"certification_name",
		"status",
		"score",
		"certified_on",
		"expires_on",
	)
	rows, sequence = [], 0
	for entry in partners:
		for k in (1, 2):
			sequence += 1
			rows.append(
				(
					f"{CERTIFICATE_PREFIX}{sequence:08d}",
					*std(now),
					entry["admin"],
					entry["admin"],
					entry["partner"],
					f"{MODULE_PREFIX}{k}",
					f"{MARK} Certified {k}",
					"Active",
					90,
					add_days(day, -30 * k),
					add_months(day, 12 - k),
				)
			)
	insert_rows(f"tab{PARTNER_CERTIFICATION}", columns, rows)
	return len(rows)


def remove() -> dict[str, int]:
	"""Delete every capability record marked as the benchmark's; returns the rows deleted per table."""
	counts = {}
	for table, column, pattern in (
		(f"tab{LEAD_OFFER}", "name", f"{OFFER_PREFIX}%"),
		("tabLead Assignment Log", "lead", f"{LEAD_PREFIX}%"),
		("tabLead", "name", f"{LEAD_PREFIX}%"),
		(f"tab{MDF_REQUEST}", "name", f"{REQUEST_PREFIX}%"),
		(f"tab{MDF_BUDGET}", "name", f"{BUDGET_PREFIX}%"),
		("tabMDF Activity Type", "name", ACTIVITY_TYPE),
		(f"tab{REBATE_ACCRUAL}", "name", f"{ACCRUAL_PREFIX}%"),
		(f"tab{PARTNER_CERTIFICATION}", "name", f"{CERTIFICATE_PREFIX}%"),
		("tabPartner Asset Download", "asset", f"{ASSET_PREFIX}%"),
		("tabPartner Asset", "name", f"{ASSET_PREFIX}%"),
		(f"tab{TRAINING_MODULE}", "name", f"{MODULE_PREFIX}%"),
	):
		if frappe.db.table_exists(table[3:]):
			counts[table] = delete_in_chunks(table, column, pattern)
	return counts
