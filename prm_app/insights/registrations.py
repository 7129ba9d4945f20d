"""Deal Registration Analysis: what became of the registrations submitted in a period.

The cohort is the registrations submitted for review (``registered_on``) in the period, of the
partners the filters select. Three queries (the cohort, its conflict evidence by source, its
extension requests) and one for the drafts never submitted; grouping is done on those rows.

- approved: decided (``decided_on``) and not Rejected; approval rate = approved / decided;
- conflict rate: the share under conflict review (Possible Conflict or Conflict); by source:
  the share whose conflict evidence names a record of that source;
- time to decision: the median of ``decided_on - registered_on`` in days;
- expiries: registrations now Expired; extensions: requests and their decisions.
"""

from collections import defaultdict

import frappe
from frappe import _

from prm_app.constants import DEAL_REGISTRATION, PARTNER, REGISTRATION_STATUSES, REJECTED, UNDER_REVIEW
from prm_app.engine import insights as rules
from prm_app.insights.providers import end_of, start_of
from prm_app.insights.scope import partner_condition, scope_from

# conflict evidence's record type -> the source's column
SOURCES = {
	"Deal Registration": "registration",
	"Customer": "customer",
	"Lead": "lead",
	"Opportunity": "opportunity",
	"Quotation": "quotation",
	"Sales Order": "order",
}
GROUPS = ("Partner", "Month", "Territory", "Tier", "Partner Type")
ALL = "All"


def key_of(row, group_by: str | None, when=None) -> str:
	if group_by == "Partner":
		return row.partner
	if group_by == "Month":
		return (when or row.registered_on).strftime("%Y-%m")
	if group_by == "Territory":
		return row.territory or ""
	if group_by == "Tier":
		return row.program_tier or ""
	if group_by == "Partner Type":
		return row.partner_type or ""
	return _(ALL)


def analyse(filters: dict | None, group_by: str | None = None) -> frappe._dict:
	filters = frappe._dict(filters or {})
	scope = scope_from(filters)
	registration = frappe.qb.DocType(DEAL_REGISTRATION)
	partner = frappe.qb.DocType(PARTNER)
	in_period = (registration.registered_on >= start_of(scope.from_date)) & (
		registration.registered_on <= end_of(scope.to_date)
	)
	chosen = partner_condition(filters, partner)

	def cohort_query(*fields):
		return (
			frappe.qb.from_(registration)
			.join(partner)
			.on(partner.name == registration.partner)
			.select(*fields)
			.where(in_period & chosen)
		)

	cohort = cohort_query(
		registration.name,
		registration.partner,
		registration.territory,
		registration.status,
		registration.conflict_status,
		registration.registered_on,
		registration.decided_on,
		partner.program_tier,
		partner.partner_type,
	).run(as_dict=True)
	by_name = {row.name: row for row in cohort}

	evidence = frappe.qb.DocType("Deal Registration Conflict")
	sources = defaultdict(set)
	for parent, source in (
		frappe.qb.from_(evidence)
		.join(registration)
		.on((registration.name == evidence.parent) & (evidence.parenttype == DEAL_REGISTRATION))
		.join(partner)
		.on(partner.name == registration.partner)
		.select(evidence.parent, evidence.matched_doctype)
		.where(in_period & chosen)
		.distinct()
	).run():
		sources[parent].add(source)

	extension = frappe.qb.DocType("Deal Registration Extension")
	extensions = (
		frappe.qb.from_(extension)
		.join(registration)
		.on((registration.name == extension.parent) & (extension.parenttype == DEAL_REGISTRATION))
		.join(partner)
		.on(partner.name == registration.partner)
		.select(extension.parent, extension.decision)
		.where(in_period & chosen)
	).run()

	drafts = (
		frappe.qb.from_(registration)
		.join(partner)
		.on(partner.name == registration.partner)
		.select(
			registration.partner,
			registration.territory,
			registration.creation,
			partner.program_tier,
			partner.partner_type,
		)
		.where(
			registration.registered_on.isnull()
			& (registration.creation >= start_of(scope.from_date))
			& (registration.creation <= end_of(scope.to_date))
			& chosen
		)
	).run(as_dict=True)

	groups: dict[str, frappe._dict] = {}

	def group(key):
		return groups.setdefault(
			key,
			frappe._dict(
				group=key,
				submitted=0,
				drafts=0,
				durations=[],
				extensions_requested=0,
				extensions_approved=0,
				extensions_rejected=0,
				under_review=0,
				**{status: 0 for status in REGISTRATION_STATUSES},
				**{f"source_{source}": 0 for source in SOURCES.values()},
				approved_decisions=0,
			),
		)

	for row in cohort:
		g = group(key_of(row, group_by))
		g.submitted += 1
		g[row.status] += 1
		if row.decided_on:
			g.durations.append((row.decided_on - row.registered_on).total_seconds() / 86400.0)
			if row.status != REJECTED:
				g.approved_decisions += 1
		if row.conflict_status in UNDER_REVIEW:
			g.under_review += 1
		for source in sources.get(row.name, ()):
			if source in SOURCES:
				g[f"source_{SOURCES[source]}"] += 1
	for parent, decision in extensions:
		g = group(key_of(by_name[parent], group_by)) if parent in by_name else None
		if g is None:
			continue
		g.extensions_requested += 1
		if decision == "Approved":
			g.extensions_approved += 1
		elif decision == "Rejected":
			g.extensions_rejected += 1
	for row in drafts:
		group(key_of(row, group_by, when=row.creation)).drafts += 1

	result = []
	for g in groups.values():
		decided = g.approved_decisions + g[REJECTED]
		g.approved = g.approved_decisions
		g.rejected = g[REJECTED]
		g.approval_rate = rules.ratio(g.approved, decided)
		g.conflict_rate = rules.ratio(g.under_review, g.submitted)
		for source in SOURCES.values():
			g[f"rate_{source}"] = rules.ratio(g[f"source_{source}"], g.submitted)
		days = rules.median(g.durations)
		g.decision_days = round(days, 1) if days is not None else None
		g.pop("durations")
		result.append(g)
	result.sort(key=lambda g: g.group if group_by == "Month" else (-g.submitted, g.group))
	return frappe._dict(scope=scope, rows=result, cohort=cohort)


def monthly_by_status(cohort) -> tuple[list[str], dict[str, list[int]]]:
	"""Submissions per month, by the registration's status now (the report's chart)."""
	months = sorted({row.registered_on.strftime("%Y-%m") for row in cohort})
	counts = {status: [0] * len(months) for status in REGISTRATION_STATUSES}
	index = {month: i for i, month in enumerate(months)}
	for row in cohort:
		counts[row.status][index[row.registered_on.strftime("%Y-%m")]] += 1
	return months, {status: values for status, values in counts.items() if any(values)}
