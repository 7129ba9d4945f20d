"""The tier engine: gather every partner's metrics with a few grouped queries, decide with the
plain rules (``prm_app.engine.tiers.evaluate``), write only what changed.

Metrics, per partner, over the trailing 12 months:
- invoiced revenue: submitted Sales Invoices tagged ``prm_partner``, net of credit notes (their
  totals are negative), in company currency, counted for companies whose currency is the site's
  default currency (tier thresholds are amounts in that currency; no sum across currencies);
- won deals: Deal Registrations that are Won, dated by their Sales Order (else their last change);
- certified people: distinct people with an Active, unexpired Partner Certification.

A tier change updates the Partner (``program_tier``), keeps its Sales Partner's commission on
the new tier's rate, and is logged as a Partner Tier Change (which the shipped "Partner Tier
Changed" notification announces). Other apps react to tier changes by hooking that doctype.
"""

import time
from collections import defaultdict
from datetime import date

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Count, Sum
from frappe.utils import add_days, cint, flt, getdate, now_datetime, today

from prm_app.constants import DEAL_REGISTRATION, PARTNER, PARTNER_TIER_CHANGE, PROGRAM_TIER, WON
from prm_app.engine import partner_status
from prm_app.engine import tiers as rules
from prm_app.integrations import erpnext_parties
from prm_app.integrations.training import certified_people_by_partner, partner_admin_emails

TRAILING_DAYS = 365
CHUNK = 1000
EVALUATED_STATUSES = (partner_status.ACTIVE,)


def default_currency() -> str:
	return frappe.db.get_default("currency")


def window(on: date) -> tuple[date, date]:
	"""The trailing 12 months ending on ``on`` (both included, as the dashboard shows them)."""
	return getdate(add_days(on, -TRAILING_DAYS + 1)), on


def revenue_by_partner(on: date, partners: list[str] | None = None) -> dict[str, float]:
	invoice = frappe.qb.DocType("Sales Invoice")
	company = frappe.qb.DocType("Company")
	start, end = window(on)
	query = (
		frappe.qb.from_(invoice)
		.join(company)
		.on(company.name == invoice.company)
		.select(invoice.prm_partner, Sum(invoice.base_net_total))
		.where(
			(invoice.docstatus == 1)
			& invoice.prm_partner.isnotnull()
			& (invoice.posting_date >= start)
			& (invoice.posting_date <= end)
			& (company.default_currency == default_currency())
		)
		.groupby(invoice.prm_partner)
	)
	if partners is not None:
		query = query.where(invoice.prm_partner.isin(partners or [""]))
	return {partner: flt(amount) for partner, amount in query.run() if partner}


def won_deals_by_partner(on: date, partners: list[str] | None = None) -> dict[str, int]:
	registration = frappe.qb.DocType(DEAL_REGISTRATION)
	order = frappe.qb.DocType("Sales Order")
	start, end = window(on)
	won_on = Coalesce(order.transaction_date, registration.modified)
	query = (
		frappe.qb.from_(registration)
		.left_join(order)
		.on(order.name == registration.sales_order)
		.select(registration.partner, Count(registration.name))
		.where((registration.status == WON) & (won_on >= start) & (won_on < add_days(end, 1)))
		.groupby(registration.partner)
	)
	if partners is not None:
		query = query.where(registration.partner.isin(partners or [""]))
	return {partner: int(count) for partner, count in query.run()}


def gather(on: date | None = None, partners: list[str] | None = None) -> dict[str, rules.Metrics]:
	"""partner -> Metrics, for ``partners`` (None: every partner), with three grouped queries."""
	on = getdate(on or today())
	revenue = revenue_by_partner(on, partners)
	won = won_deals_by_partner(on, partners)
	certified = certified_people_by_partner(partners)
	names = set(partners) if partners is not None else set(revenue) | set(won) | set(certified)
	return {
		name: rules.Metrics(revenue.get(name, 0.0), won.get(name, 0), certified.get(name, 0))
		for name in names
	}


def program_tiers() -> list[rules.Tier]:
	rows = frappe.get_all(
		PROGRAM_TIER,
		fields=[
			"name",
			"rank",
			"min_trailing_revenue",
			"min_won_deals",
			"min_certified_people",
			"demotion_grace_days",
		],
	)
	return [
		rules.Tier(
			name=row.name,
			rank=cint(row.rank),
			min_trailing_revenue=flt(row.min_trailing_revenue),
			min_won_deals=cint(row.min_won_deals),
			min_certified_people=cint(row.min_certified_people),
			demotion_grace_days=cint(row.demotion_grace_days),
		)
		for row in rows
	]


def standings(partners: list[str] | None = None) -> dict[str, frappe._dict]:
	table = frappe.qb.DocType(PARTNER)
	query = (
		frappe.qb.from_(table)
		.select(
			table.name,
			table.program_tier,
			table.below_tier_since,
			table.tier_locked_until,
			table.sales_partner,
		)
		.where(table.status.isin(EVALUATED_STATUSES))
	)
	if partners is not None:
		query = query.where(table.name.isin(partners or [""]))
	return {row.name: row for row in query.run(as_dict=True)}


def decide(on: date | None = None, partners: list[str] | None = None) -> tuple[dict, dict, dict, dict, list]:
	"""(decisions, metrics, standings, timings, tiers) for the evaluated partners."""
	on = getdate(on or today())
	started = time.monotonic()
	rows = standings(partners)
	metrics = gather(on, list(rows) if partners is not None else None)
	tiers = program_tiers()
	gathered = time.monotonic()
	decisions = {}
	for name, row in rows.items():
		standing = rules.Standing(
			row.program_tier,
			getdate(row.below_tier_since) if row.below_tier_since else None,
			getdate(row.tier_locked_until) if row.tier_locked_until else None,
		)
		decisions[name] = rules.evaluate(tiers, standing, metrics.get(name, rules.Metrics()), on)
	timings = {"gather": gathered - started, "evaluate": time.monotonic() - gathered}
	return decisions, metrics, rows, timings, tiers


def evaluate_all(on: date | None = None, partners: list[str] | None = None, commit: bool = False) -> dict:
	"""Evaluate ``partners`` (None: every Active partner) on ``on``; returns the counts and timings.

	``commit``: commit after each chunk of writes (the daily job); request paths leave it off."""
	on = getdate(on or today())
	decisions, metrics, rows, timings, tiers = decide(on, partners)
	tiers_by_name = {tier.name: tier for tier in tiers}
	started = time.monotonic()
	changes = {name: d for name, d in decisions.items() if d.changed}
	# the grace clock: set where it starts, cleared where it ends (one UPDATE per value and chunk)
	moved = defaultdict(list)
	for name, decision in decisions.items():
		if not decision.changed and rows[name].below_tier_since != decision.below_since:
			moved[decision.below_since].append(name)
	table = frappe.qb.DocType(PARTNER)
	for since, names in moved.items():
		for i in range(0, len(names), CHUNK):
			frappe.qb.update(table).set(table.below_tier_since, since).where(
				table.name.isin(names[i : i + CHUNK])
			).run()
	if commit:
		frappe.db.commit()  # nosemgrep: scheduled job
	for i, (name, decision) in enumerate(sorted(changes.items()), start=1):
		apply_change(rows[name], decision, metrics.get(name, rules.Metrics()), on, tiers_by_name)
		if commit and i % 200 == 0:
			frappe.db.commit()  # nosemgrep: scheduled job, per batch of changes
	if commit:
		frappe.db.commit()  # nosemgrep: scheduled job
	timings["write"] = time.monotonic() - started
	counts = defaultdict(int)
	for decision in changes.values():
		counts[decision.change] += 1
	return {
		"evaluated": len(decisions),
		"promoted": counts[rules.PROMOTED],
		"demoted": counts[rules.DEMOTED],
		"assigned": counts[rules.ASSIGNED],
		"grace_started": len(moved.get(on, [])),
		"grace_changed": sum(len(v) for v in moved.values()),
		"timings": timings,
	}


def reason_text(decision: rules.Decision, tiers: dict[str, rules.Tier], from_tier: str | None) -> str:
	if decision.change == rules.PROMOTED:
		return _("Meets every criterion of {0}.").format(decision.tier)
	if decision.change == rules.DEMOTED:
		grace = tiers[from_tier].demotion_grace_days if from_tier in tiers else 0
		return _("Below the criteria of {0} for longer than its demotion grace of {1} days.").format(
			from_tier, grace
		)
	return _("The partner had no tier of the programme; it qualifies for {0}.").format(decision.tier)


def apply_change(row, decision: rules.Decision, metrics: rules.Metrics, on: date, tiers: dict) -> str:
	"""Move one partner to its new tier: the Partner, its Sales Partner's commission, the log."""
	table = frappe.qb.DocType(PARTNER)
	frappe.qb.update(table).set(table.program_tier, decision.tier).set(table.below_tier_since, None).set(
		table.modified, now_datetime()
	).where(table.name == row.name).run()
	if row.sales_partner:
		erpnext_parties.update_commission(
			frappe._dict(sales_partner=row.sales_partner, program_tier=decision.tier)
		)
	return log_change(
		row.name,
		row.program_tier,
		decision.tier,
		decision.change,
		reason_text(decision, tiers, row.program_tier),
		metrics,
		on,
	)


def log_change(partner, from_tier, to_tier, change, reason, metrics: rules.Metrics | None, on=None) -> str:
	"""A Partner Tier Change record (its insert triggers the shipped notification)."""
	if metrics is None:
		metrics = gather(on, [partner]).get(partner, rules.Metrics())
	doc = frappe.get_doc(
		{
			"doctype": PARTNER_TIER_CHANGE,
			"partner": partner,
			"from_tier": from_tier if from_tier and frappe.db.exists(PROGRAM_TIER, from_tier) else None,
			"to_tier": to_tier,
			"change": change,
			"effective_on": getdate(on or today()),
			"reason": reason,
			"trailing_revenue": metrics.trailing_revenue,
			"currency": default_currency(),
			"won_deals": metrics.won_deals,
			"certified_people": metrics.certified_people,
			"partner_admins": partner_admin_emails(partner),
		}
	)
	doc.insert(ignore_permissions=True)  # the engine's log: written by the system, read by the channel team
	return doc.name


def evaluate_tiers(commit: bool = True) -> dict | None:
	"""The daily job (``scheduler_events``), unless PRM Settings turns it off."""
	if not frappe.db.get_single_value("PRM Settings", "evaluate_tiers_daily"):
		return None
	return evaluate_all(commit=commit)
