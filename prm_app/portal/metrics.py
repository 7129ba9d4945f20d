"""The figures on a partner's dashboard, read for one partner the caller has been checked against.

Revenue and won value come from submitted ERPNext documents a partner user has no rights on, so
they are summed here with ``frappe.qb`` for that one partner only; the tier rules themselves are
``prm_app.engine.tiers`` (plain Python).

Money is summed per company currency (each document's ``base_`` amount is in its company's
currency) and never across currencies. Tier thresholds are amounts in the site's default
currency, so a tier is measured against the revenue in that currency.
"""

import html

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Max, Sum
from frappe.utils import add_days, flt, getdate, today

from prm_app.constants import (
	APPROVED,
	DEAL_REGISTRATION,
	LEAD_OFFER,
	MDF_BUDGET,
	MDF_CLAIM,
	MDF_REQUEST,
	OPEN_STATUSES,
	PARTNER,
	REBATE_ACCRUAL,
	REBATE_SETTLEMENT,
)
from prm_app.engine.tiers import CRITERIA, Metrics, Tier, next_tier_gap
from prm_app.integrations.figures_cache import ALL_PARTNERS, CACHE_KEY, invalidate, token_key
from prm_app.queries import param, prepared

EXPIRING_WITHIN_DAYS = 14
TRAILING_DAYS = 365


def default_currency() -> str:
	return frappe.db.get_default("currency")


def by_currency(rows) -> list[frappe._dict]:
	"""[(currency, amount)] summed per currency, the default currency first."""
	totals: dict[str, float] = {}
	for currency, amount in rows:
		totals[currency or default_currency()] = totals.get(currency or default_currency(), 0.0) + flt(amount)
	first = default_currency()
	return [
		frappe._dict(currency=currency, amount=amount)
		for currency, amount in sorted(totals.items(), key=lambda kv: (kv[0] != first, kv[0]))
	]


def trailing_revenue_by_currency(partner: str) -> list[frappe._dict]:
	"""Submitted Sales Invoices of the partner over the last 365 days, net (credit notes subtract
	themselves), per company currency."""
	invoice = frappe.qb.DocType("Sales Invoice")
	company = frappe.qb.DocType("Company")
	rows = (
		frappe.qb.from_(invoice)
		.join(company)
		.on(company.name == invoice.company)
		.select(company.default_currency, Sum(invoice.base_net_total))
		.where(
			(invoice.docstatus == 1)
			& (invoice.prm_partner == partner)
			& (invoice.posting_date > add_days(today(), -TRAILING_DAYS))
			& (invoice.posting_date <= today())
		)
		.groupby(company.default_currency)
	).run()
	return by_currency(rows)


def in_default_currency(amounts: list[frappe._dict]) -> float:
	return next((row.amount for row in amounts if row.currency == default_currency()), 0.0)


def won_value_this_year(partner: str) -> list[frappe._dict]:
	"""Net value of the submitted Sales Orders that won the partner's registrations this year, per
	company currency."""
	registration = frappe.qb.DocType(DEAL_REGISTRATION)
	order = frappe.qb.DocType("Sales Order")
	company = frappe.qb.DocType("Company")
	rows = (
		frappe.qb.from_(registration)
		.join(order)
		.on(order.name == registration.sales_order)
		.join(company)
		.on(company.name == order.company)
		.select(company.default_currency, Sum(order.base_net_total))
		.where(
			(registration.partner == partner)
			& (registration.status == "Won")
			& (order.docstatus == 1)
			& (order.transaction_date >= getdate(today()).replace(month=1, day=1))
		)
		.groupby(company.default_currency)
	).run()
	return by_currency(rows)


def partner_metrics(partner: str, revenue: list[frappe._dict] | None = None) -> Metrics:
	"""The three tier criteria as the tier engine measures them (``integrations.tier_engine``)."""
	from prm_app.integrations.tier_engine import gather

	return gather(partners=[partner]).get(partner, Metrics())


def program_tiers() -> list[Tier]:
	rows = frappe.get_all(
		"Program Tier",
		fields=["name", "rank", "min_trailing_revenue", "min_won_deals", "min_certified_people"],
	)
	return [
		Tier(
			name=row.name,
			rank=row.rank,
			min_trailing_revenue=flt(row.min_trailing_revenue),
			min_won_deals=int(row.min_won_deals or 0),
			min_certified_people=int(row.min_certified_people or 0),
		)
		for row in rows
	]


def open_by_status(partner: str) -> dict[str, int]:
	registration = frappe.qb.DocType(DEAL_REGISTRATION)
	rows = (
		frappe.qb.from_(registration)
		.select(registration.status, Count(registration.name))
		.where((registration.partner == partner) & registration.status.isin(OPEN_STATUSES))
		.groupby(registration.status)
	).run()
	counts = dict(rows)
	return {status: int(counts.get(status, 0)) for status in OPEN_STATUSES}


def expiring(partner: str) -> list[frappe._dict]:
	"""Approved registrations whose protection ends within the next 14 days, soonest first."""
	rows = frappe.get_all(
		DEAL_REGISTRATION,
		filters={
			"partner": partner,
			"status": APPROVED,
			"protection_until": ("between", [today(), add_days(today(), EXPIRING_WITHIN_DAYS)]),
		},
		fields=["name", "company_name", "protection_until", "expected_value", "currency"],
		order_by="protection_until asc",
	)
	for row in rows:
		row.days_left = (getdate(row.protection_until) - getdate(today())).days
		row.company_name = html.unescape(row.company_name or "")
	return rows


def criteria_labels() -> dict[str, str]:
	return {
		"min_trailing_revenue": _("Invoiced revenue, last 12 months"),
		"min_won_deals": _("Won deal registrations"),
		"min_certified_people": _("Certified people"),
	}


def tier_progress(partner: str, current_tier: str | None, metrics: Metrics) -> frappe._dict:
	"""The current tier, the next one, and each criterion of the next one with the figures."""
	tiers = program_tiers()
	current = next((t for t in tiers if t.name == current_tier), None)
	gap = next_tier_gap(tiers, current.rank if current else None, metrics)
	result = frappe._dict(current=current, next=None, criteria=[], met=False, has_tiers=bool(tiers))
	if not gap:
		return result
	missing = {criterion: amount for criterion, _required, _actual, amount in gap.needs}
	actuals = {criterion: getattr(metrics, metric) for criterion, metric in CRITERIA}
	for criterion, label in criteria_labels().items():
		required = getattr(gap.tier, criterion) or 0
		if not required:
			continue
		result.criteria.append(
			frappe._dict(
				criterion=criterion,
				label=label,
				required=required,
				actual=actuals[criterion],
				missing=missing.get(criterion, 0),
				tracked=True,
				is_money=criterion == "min_trailing_revenue",
			)
		)
	result.next = gap.tier
	result.met = gap.met
	return result


# -- the partner's figures, cached ---------------------------------------------------------------
#
# A partner's dashboard figures change only when one of its records changes: they are kept in
# Redis per partner and section, and every write that changes them calls ``invalidate(partner)``
# (the ``"*"`` document events below do it for the doctypes in ``SOURCES``; another capability
# adds its doctype there, or calls ``invalidate`` itself). An invalidation gives the partner a new
# token, at the write and again after its commit (or rollback); a change to what every partner's
# figures depend on (``GLOBAL_SOURCES``: the tiers) gives all of them one. An entry is used only
# under the tokens it was computed under, on the day it was computed (the windows move with the
# date), and with the same ``fingerprint``: one indexed look-up, in the request's own snapshot, of
# the partner's record, its newest registration change and the tiers, so that a write around the
# documents' events (``frappe.db.set_value``, a patch) is seen too, and figures read before a
# commit are never kept as those after it.

CACHE_SECONDS = 3600  # a bound on what a write made outside the documents' events could leave
# what a kept entry holds: raise it when a section's contents change shape, so that entries kept by
# the code before (a deployment without a migrate, which would clear them) are never served
SHAPE = 2

# doctype -> the field naming the partner whose figures it changes ("name": the Partner itself)
SOURCES: dict[str, str] = {
	"Partner": "name",
	DEAL_REGISTRATION: "partner",
	"Sales Invoice": "prm_partner",
	"Sales Order": "prm_partner",
	"Partner Certification": "partner",  # training: certified people
	# the dashboard's activity sections (a lead offer's answer and progress are written with
	# ``db_set``, which runs ``on_change`` too); MDF payments change budgets through
	# ``integrations.mdf_budget.refresh``, which invalidates the budgets' partners itself
	LEAD_OFFER: "partner",
	MDF_BUDGET: "partner",
	MDF_REQUEST: "partner",
	MDF_CLAIM: "partner",
	REBATE_ACCRUAL: "partner",
	REBATE_SETTLEMENT: "partner",
}
# doctypes every partner's figures depend on
GLOBAL_SOURCES: set[str] = {"Program Tier", "PRM Settings"}  # the tiers; the lapse warning's days


def entry_key(partner: str, section: str) -> str:
	return f"{CACHE_KEY}|{section}|{partner}"


@prepared
def fingerprint_row():
	record, registration, tier = (
		frappe.qb.DocType(PARTNER),
		frappe.qb.DocType(DEAL_REGISTRATION),
		frappe.qb.DocType("Program Tier"),
	)
	return (
		frappe.qb.from_(record)
		.select(
			record.modified,
			frappe.qb.from_(registration)
			.select(Max(registration.modified))
			.where(registration.partner == param("partner")),
			frappe.qb.from_(tier).select(Max(tier.modified)),
		)
		.where(record.name == param("partner"))
	)


def fingerprint(partner: str) -> str:
	"""What the figures are computed from, read in the same snapshot as they are, in one indexed
	look-up: the partner's record, its most recently changed registration, the tiers. A write that
	goes around the documents' events (``frappe.db.set_value``, a patch) still changes it."""
	rows = fingerprint_row(partner=partner, as_list=True)
	return "|".join(str(value) for value in rows[0]) if rows else "-"


def current_token(partner: str) -> str:
	tokens = [frappe.cache.get_value(token_key(p)) or "0" for p in (ALL_PARTNERS, partner)]
	return ".".join([*tokens, fingerprint(partner)])


def cached(partner: str, section: str, compute):
	"""``compute()`` for ``partner``, from Redis while no write has changed the partner's figures
	(nor the tiers, nor the date): one of the partner's dashboard sections."""
	token = current_token(partner)
	day = today()
	entry = frappe.cache.get_value(entry_key(partner, section), expires=True)
	if entry and entry.get("token") == token and entry.get("day") == day and entry.get("shape") == SHAPE:
		return entry["value"]
	value = compute()
	frappe.cache.set_value(
		entry_key(partner, section),
		{"token": token, "day": day, "shape": SHAPE, "value": value},
		expires_in_sec=CACHE_SECONDS,
	)
	return value


def on_document_change(doc, method=None) -> None:
	"""``doc_events["*"]``: a document of one of the ``SOURCES`` doctypes changed or was deleted."""
	if doc.doctype in GLOBAL_SOURCES:
		invalidate(ALL_PARTNERS)
		return
	field = SOURCES.get(doc.doctype)
	if not field:
		return
	invalidate(doc.get(field))
	before = doc.get_doc_before_save() if method == "on_change" else None
	if before and field != "name" and before.get(field) != doc.get(field):
		invalidate(before.get(field))  # a record moved to another partner: both change


def lapse_forecast(partner: str):
	"""What the partner's certifications lapsing soon cost its tier (``integrations.training``),
	kept with its other figures (certifications, the partner's tier and the tiers are sources)."""
	from prm_app.integrations import training

	return cached(
		partner,
		"lapse",
		lambda: training.lapse_forecast(partner, frappe.db.get_value(PARTNER, partner, "program_tier")),
	)


def registration_counts(partner: str) -> dict[str, int]:
	"""The partner's registrations per lifecycle status: one grouped count on the (partner,
	status) index."""
	registration = frappe.qb.DocType(DEAL_REGISTRATION)
	rows = (
		frappe.qb.from_(registration)
		.select(registration.status, Count("*"))
		.where(registration.partner == partner)
		.groupby(registration.status)
	).run()
	return {status: int(count) for status, count in rows}


def cached_registration_counts(partner: str) -> dict[str, int]:
	return cached(partner, "registration_counts", lambda: registration_counts(partner))
