"""Per-partner figures of each capability, for the Partner Scorecard.

A provider reads one capability's figures for every partner at once (one grouped query, a second
only where a median needs the rows) and runs only when its doctype exists on the site and has
the fields it reads: the scorecard grows as capabilities are installed (training, lead
distribution, MDF) without changing here. ``active()`` lists those that can run, ``collect()``
merges their figures: ``{partner: {measure: value}}``.

Each provider names the fields it reads (Partner Certification: partner, user, status,
certified_on, expires_on; Lead Offer: partner, lead, status, offered_on, progress; MDF Claim:
partner, status, company, approved_amount, decided_on). A doctype that lacks one is reported as
skipped, never guessed.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

import frappe
from frappe.query_builder import Case, CustomFunction
from frappe.query_builder.functions import Coalesce, Count, Max, NullIf, Sum
from frappe.utils import flt
from pypika.terms import LiteralValue, NullValue

from prm_app.constants import (
	APPROVED,
	DEAL_REGISTRATION,
	EXPIRED,
	LOST,
	PARTNER,
	PARTNER_ENGAGEMENT_EVENT,
	PARTNER_ENGAGEMENT_EVENT_TYPE,
	PENDING,
	REJECTED,
	WON,
)
from prm_app.engine import insights as rules
from prm_app.insights.currency import Converter
from prm_app.insights.scope import Scope

OPEN_OPPORTUNITY_STATUSES = ("Open", "Replied", "Quotation")
# a Lead that became an Opportunity, a Quotation or a Customer
CONVERTED_LEAD_STATUSES = ("Opportunity", "Quotation", "Lost Quotation", "Converted")


def unordered(query):
	"""A grouped query without MariaDB's implicit sort of the groups (``ORDER BY NULL``): the
	callers key the rows by partner, and the sort is a filesort of every group."""
	return query.orderby(NullValue())


def start_of(day) -> datetime:
	return datetime.combine(day, time.min)


def end_of(day) -> datetime:
	return datetime.combine(day, time.max)


@dataclass(frozen=True, slots=True)
class Provider:
	name: str
	doctype: str
	fields: tuple[str, ...]  # the fields it reads (checked on the site's doctype)
	measures: tuple[str, ...]  # what it fills in
	run: Callable[[Scope], dict]


def figures() -> dict:
	return defaultdict(dict)


# -- invoices: revenue this period and the one before -------------------------------------------


def invoices(scope: Scope) -> dict:
	"""Net invoiced revenue (submitted Sales Invoices tagged with the partner, credit notes net
	themselves out) in the company's currency, this period and the previous one of equal length
	(``prm_app.insights.sales``: whole months from the monthly sums)."""
	from prm_app.insights import sales

	current, previous = sales.invoiced_periods(
		scope.company, [(scope.from_date, scope.to_date), (scope.previous_from, scope.previous_to)]
	)
	result = figures()
	for partner in set(current) | set(previous):
		revenue = current[partner][0] if partner in current else 0.0
		before = previous[partner][0] if partner in previous else 0.0
		result[partner].update(
			revenue=revenue,
			revenue_previous=before,
			revenue_growth=rules.growth(revenue, before),
			invoices=current[partner][2] if partner in current else 0,
		)
	return result


# -- deal registrations: the period's submissions, the open pipeline ----------------------------


def registrations(scope: Scope) -> dict:
	"""Registrations submitted in the period (by ``registered_on``) and what became of them;
	registrations open now (Pending Review, Approved) and the value of those with no Opportunity
	yet (an Opportunity's value is counted by ``opportunities``)."""
	table = frappe.qb.DocType(DEAL_REGISTRATION)
	in_period = (table.registered_on >= start_of(scope.from_date)) & (
		table.registered_on <= end_of(scope.to_date)
	)
	decided = table.decided_on.isnotnull()

	def count_when(condition):
		return Sum(Case().when(condition, 1).else_(0))

	cohort = unordered(
		frappe.qb.from_(table)
		.select(
			table.partner,
			Count(table.name),
			count_when(decided & (table.status != REJECTED)),
			count_when(table.status == WON),
			count_when(table.status == WON) + count_when(decided & table.status.isin((LOST, EXPIRED))),
			count_when(table.status == REJECTED),
		)
		.where(in_period)
		.groupby(table.partner)
	).run()
	result = figures()
	for partner, submitted, approved, won, closed, rejected in cohort:
		result[partner].update(
			registrations_submitted=int(submitted),
			registrations_approved=int(approved),
			registrations_won=int(won),
			registrations_rejected=int(rejected),
			win_rate=rules.ratio(int(won), int(closed)),
		)

	for partner, days in decision_days(scope).items():
		result[partner]["decision_days"] = round(days, 1)

	convert = Converter(scope.currency, scope.to_date)
	no_opportunity = table.opportunity.isnull() | (table.opportunity == "")
	for partner, currency, count, value in unordered(
		frappe.qb.from_(table)
		.select(
			table.partner,
			table.currency,
			Count(table.name),
			Sum(Case().when(no_opportunity, table.expected_value).else_(0)),
		)
		.where(table.status.isin((PENDING, APPROVED)))
		.groupby(table.partner, table.currency)
	).run():
		row = result[partner]
		row["open_registrations"] = row.get("open_registrations", 0) + int(count)
		converted = convert(value, currency)
		row["pipeline_value"] = row.get("pipeline_value", 0.0) + (converted or 0.0)
		if converted is None and flt(value):
			row["unconverted_currencies"] = sorted({*row.get("unconverted_currencies", ()), currency})
	return result


def open_opportunity(opportunity, registration):
	"""An Opportunity still open, and not one whose registration has closed (a registration won by
	a Sales Order leaves its Opportunity open in ERPNext)."""
	return opportunity.status.isin(OPEN_OPPORTUNITY_STATUSES) & (
		registration.name.isnull() | registration.status.isin((PENDING, APPROVED))
	)


def decision_days(scope: Scope) -> dict[str, float]:
	"""The median days from submission to decision of each partner's registrations submitted in the
	period: the durations read in seconds (on MariaDB, computed by the database: one integer a row),
	the medians taken here."""
	table = frappe.qb.DocType(DEAL_REGISTRATION)
	condition = (
		(table.registered_on >= start_of(scope.from_date))
		& (table.registered_on <= end_of(scope.to_date))
		& table.decided_on.isnotnull()
	)
	durations = defaultdict(list)
	if frappe.db.db_type == "mariadb":
		seconds = CustomFunction("TIMESTAMPDIFF", ["unit", "start", "end"])
		query = frappe.qb.from_(table).select(
			table.partner, seconds(LiteralValue("SECOND"), table.registered_on, table.decided_on)
		)
		for partner, value in query.where(condition).run():
			durations[partner].append(flt(value) / 86400.0)
	else:
		query = frappe.qb.from_(table).select(table.partner, table.registered_on, table.decided_on)
		for partner, registered_on, decided_on in query.where(condition).run():
			durations[partner].append((decided_on - registered_on).total_seconds() / 86400.0)
	return {partner: rules.median(days) for partner, days in durations.items()}


def opportunity_value(opportunity):
	"""An Opportunity's amount in the company's currency: ``base_opportunity_amount`` when set (the
	desk form sets it), else ``opportunity_amount`` at the Opportunity's conversion rate (what a
	server-made Opportunity has), else the total of its items."""
	return (
		Case()
		.when(opportunity.base_opportunity_amount > 0, opportunity.base_opportunity_amount)
		.when(
			opportunity.opportunity_amount > 0,
			opportunity.opportunity_amount * Coalesce(NullIf(opportunity.conversion_rate, 0), 1),
		)
		.else_(Coalesce(opportunity.base_total, 0))
	)


def opportunities(scope: Scope) -> dict:
	"""Open Opportunities of the company tagged with the partner, counted and valued."""
	opportunity = frappe.qb.DocType("Opportunity")
	registration = frappe.qb.DocType(DEAL_REGISTRATION)
	rows = unordered(
		frappe.qb.from_(opportunity)
		.left_join(registration)
		.on(registration.name == opportunity.prm_deal_registration)
		.select(opportunity.prm_partner, Count(opportunity.name), Sum(opportunity_value(opportunity)))
		.where(
			(opportunity.company == scope.company)
			& open_opportunity(opportunity, registration)
			& opportunity.prm_partner.isnotnull()
		)
		.groupby(opportunity.prm_partner)
	).run()
	result = figures()
	for partner, count, value in rows:
		result[partner].update(open_opportunities=int(count), pipeline_value=flt(value))
	return result


# -- engagement ---------------------------------------------------------------------------------


def engagement_target(days: int) -> float:
	"""The points that make a full score over ``days`` (the settings' target over its window)."""
	settings = frappe.get_cached_doc("PRM Settings")
	window = max(int(settings.engagement_window_days or 30), 1)
	return flt(settings.engagement_full_score_points or 20) * days / window


def engagement_points(since: datetime, until: datetime) -> list[tuple]:
	"""(partner, events, points, last event) of the events between ``since`` and ``until``: one
	grouped read of the (timestamp, partner, event type) index, the points of each type applied
	here (a handful of types, never a join per event)."""
	event = frappe.qb.DocType(PARTNER_ENGAGEMENT_EVENT)
	kind = frappe.qb.DocType(PARTNER_ENGAGEMENT_EVENT_TYPE)
	points = dict(frappe.qb.from_(kind).select(kind.name, kind.points).run())
	totals: dict[str, list] = {}
	for partner, event_type, count, last in unordered(
		frappe.qb.from_(event)
		.select(event.partner, event.event_type, Count("*"), Max(event.timestamp))
		.where((event.timestamp >= since) & (event.timestamp <= until))
		.groupby(event.partner, event.event_type)
	).run():
		total = totals.setdefault(partner, [0, 0.0, last])
		total[0] += int(count)
		total[1] += int(count) * flt(points.get(event_type, 0))
		total[2] = max(total[2], last)
	return [(partner, count, value, last) for partner, (count, value, last) in totals.items()]


def engagement(scope: Scope) -> dict:
	"""Each partner's engagement score as the daily health check last set it (the points of its
	events over the engagement window, ``prm_app.insights.health``): a scorecard reads one column
	of Partner, never the events themselves."""
	partner = frappe.qb.DocType(PARTNER)
	result = figures()
	for name, score in frappe.qb.from_(partner).select(partner.name, partner.engagement_score).run():
		result[name]["engagement_score"] = int(score or 0)
	return result


# -- capabilities built elsewhere ---------------------------------------------------------------


def lead_offers(scope: Scope) -> dict:
	"""Leads offered to the partner in the period (withdrawn offers do not count), accepted, and
	converted: the partner reported it converted, or the Lead became an Opportunity, a Quotation or
	a Customer. Acceptance is accepted / offered, conversion converted / accepted."""
	offer = frappe.qb.DocType("Lead Offer")
	lead = frappe.qb.DocType("Lead")

	def count_when(condition):
		return Sum(Case().when(condition, 1).else_(0))

	accepted = offer.status == "Accepted"
	converted = accepted & ((offer.progress == "Converted") | lead.status.isin(CONVERTED_LEAD_STATUSES))
	rows = unordered(
		frappe.qb.from_(offer)
		.left_join(lead)
		.on(lead.name == offer.lead)
		.select(
			offer.partner,
			count_when(offer.status != "Withdrawn"),
			count_when(accepted),
			count_when(converted),
		)
		.where((offer.offered_on >= start_of(scope.from_date)) & (offer.offered_on <= end_of(scope.to_date)))
		.groupby(offer.partner)
	).run()
	result = figures()
	for partner, offered, taken, won in rows:
		offered, taken, won = int(offered or 0), int(taken or 0), int(won or 0)
		result[partner].update(
			leads_offered=offered,
			leads_accepted=taken,
			leads_converted=won,
			lead_acceptance=rules.ratio(taken, offered),
			lead_conversion=rules.ratio(won, taken),
		)
	return result


def certifications(scope: Scope) -> dict:
	"""People certified at the end of the period: certified by then and not expired by then (a
	certification that has since expired still counts for a past period); never a revoked one."""
	certification = frappe.qb.DocType("Partner Certification")
	rows = unordered(
		frappe.qb.from_(certification)
		.select(certification.partner, Count(certification.user).distinct())
		.where(
			certification.status.isin(("Active", "Expired"))
			& (certification.certified_on <= scope.to_date)
			& (certification.expires_on.isnull() | (certification.expires_on >= scope.to_date))
		)
		.groupby(certification.partner)
	).run()
	result = figures()
	for partner, people in rows:
		result[partner]["certified_people"] = int(people or 0)
	return result


def mdf_claims(scope: Scope) -> dict:
	"""MDF spent in the period: the approved amounts of the company's claims approved in it
	(submitted, status Approved; the payout is posted at approval). A cancelled claim's payout is
	reversed, so it no longer counts."""
	claim = frappe.qb.DocType("MDF Claim")
	rows = unordered(
		frappe.qb.from_(claim)
		.select(claim.partner, Sum(claim.approved_amount))
		.where(
			(claim.docstatus == 1)
			& (claim.status == APPROVED)
			& (claim.company == scope.company)
			& (claim.decided_on >= start_of(scope.from_date))
			& (claim.decided_on <= end_of(scope.to_date))
		)
		.groupby(claim.partner)
	).run()
	result = figures()
	for partner, spent in rows:
		result[partner]["mdf_spent"] = flt(spent)
	return result


PROVIDERS: tuple[Provider, ...] = (
	Provider(
		"invoices",
		"Sales Invoice",
		("prm_partner", "base_net_total", "posting_date", "company"),
		("revenue", "revenue_previous", "revenue_growth"),
		invoices,
	),
	Provider(
		"registrations",
		DEAL_REGISTRATION,
		("partner", "status", "registered_on", "decided_on", "expected_value", "currency", "opportunity"),
		(
			"registrations_submitted",
			"registrations_approved",
			"registrations_won",
			"win_rate",
			"decision_days",
			"open_registrations",
			"pipeline_value",
		),
		registrations,
	),
	Provider(
		"opportunities",
		"Opportunity",
		(
			"prm_partner",
			"prm_deal_registration",
			"status",
			"company",
			"base_opportunity_amount",
			"opportunity_amount",
		),
		("open_opportunities", "pipeline_value"),
		opportunities,
	),
	Provider(
		"engagement",
		PARTNER_ENGAGEMENT_EVENT,
		("partner", "event_type", "timestamp"),
		("engagement_score",),
		engagement,
	),
	Provider(
		"leads",
		"Lead Offer",
		("partner", "lead", "status", "offered_on", "progress"),
		("leads_offered", "leads_accepted", "lead_acceptance", "leads_converted", "lead_conversion"),
		lead_offers,
	),
	Provider(
		"certifications",
		"Partner Certification",
		("partner", "user", "status", "certified_on", "expires_on"),
		("certified_people",),
		certifications,
	),
	Provider(
		"mdf",
		"MDF Claim",
		("partner", "status", "company", "approved_amount", "decided_on"),
		("mdf_spent", "mdf_roi"),
		mdf_claims,
	),
)


def missing_fields(provider: Provider) -> list[str]:
	meta = frappe.get_meta(provider.doctype)
	missing = [f for f in provider.fields if not meta.has_field(f)]
	return missing


def active() -> tuple[list[Provider], list[str]]:
	"""The providers that can run here, and a note for each installed one that cannot."""
	running, skipped = [], []
	for provider in PROVIDERS:
		if not frappe.db.exists("DocType", provider.doctype):
			continue
		missing = missing_fields(provider)
		if missing:
			skipped.append(f"{provider.doctype}: {', '.join(missing)}")
			continue
		running.append(provider)
	return running, skipped


def collect(scope: Scope, providers: list[Provider]) -> dict:
	"""Every provider's figures, merged per partner (pipeline values add up)."""
	merged = defaultdict(dict)
	for provider in providers:
		for partner, values in provider.run(scope).items():
			row = merged[partner]
			for measure, value in values.items():
				if measure == "pipeline_value" and measure in row:
					row[measure] += value
				else:
					row[measure] = value
	for row in merged.values():
		if "mdf_spent" in row:
			row["mdf_roi"] = (row.get("revenue", 0.0) / row["mdf_spent"]) if row["mdf_spent"] else None
	return merged
