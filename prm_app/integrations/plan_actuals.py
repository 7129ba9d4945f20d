"""A business plan's actuals, computed from the partner's records (never typed):

- **revenue**: net amount of its submitted Sales Invoices (``prm_partner``), in the plan's currency
  (invoices of companies keeping their books in another currency are left out, never converted);
- **new customers**: customers whose first submitted invoice through the partner falls in the
  quarter;
- **registrations**: deal registrations it submitted for review in the quarter;
- **certified people**: its users holding an Active "Partner Certification" at the quarter's end
  (read only when that doctype exists: another capability brings it);
- MDF has a planned figure and no actual here.

Each figure is one set-based query for the partner and the fiscal year; the rules of quarters and
sums are ``prm_app.engine.plans``.
"""

import frappe
from frappe.query_builder.functions import Min, Sum
from frappe.utils import getdate, today

from prm_app.constants import DEAL_REGISTRATION, PARTNER_CERTIFICATION
from prm_app.engine import plans


def fiscal_quarters(fiscal_year: str) -> list[plans.Quarter]:
	start, end = frappe.db.get_value("Fiscal Year", fiscal_year, ["year_start_date", "year_end_date"])
	return plans.quarters(getdate(start), getdate(end))


def revenue(partner: str, periods: list[plans.Quarter], currency: str) -> dict:
	invoice = frappe.qb.DocType("Sales Invoice")
	company = frappe.qb.DocType("Company")
	rows = (
		frappe.qb.from_(invoice)
		.join(company)
		.on(company.name == invoice.company)
		.select(invoice.posting_date, Sum(invoice.base_net_total))
		.where(
			(invoice.docstatus == 1)
			& (invoice.prm_partner == partner)
			& (company.default_currency == currency)
			& (invoice.posting_date >= periods[0].start)
			& (invoice.posting_date <= periods[-1].end)
		)
		.groupby(invoice.posting_date)
	).run()
	return plans.bucket(((getdate(day), amount) for day, amount in rows), periods)


def new_customers(partner: str, periods: list[plans.Quarter]) -> dict:
	invoice = frappe.qb.DocType("Sales Invoice")
	first = Min(invoice.posting_date)
	rows = (
		frappe.qb.from_(invoice)
		.select(invoice.customer, first)
		.where((invoice.docstatus == 1) & (invoice.prm_partner == partner))
		.groupby(invoice.customer)
		.having((first >= periods[0].start) & (first <= periods[-1].end))
	).run()
	return plans.bucket(((getdate(day), 1) for _customer, day in rows), periods)


def registrations(partner: str, periods: list[plans.Quarter]) -> dict:
	registration = frappe.qb.DocType(DEAL_REGISTRATION)
	rows = (
		frappe.qb.from_(registration)
		.select(registration.registered_on)
		.where(
			(registration.partner == partner)
			& registration.registered_on.isnotnull()
			& (registration.registered_on >= periods[0].start)
			& (registration.registered_on < frappe.utils.add_days(periods[-1].end, 1))
		)
	).run()
	return plans.bucket(((getdate(at), 1) for (at,) in rows), periods)


def certified_people(partner: str, periods: list[plans.Quarter]) -> dict | None:
	if not frappe.db.exists("DocType", PARTNER_CERTIFICATION):
		return None
	meta = frappe.get_meta(PARTNER_CERTIFICATION)
	if not all(meta.has_field(field) for field in ("partner", "user", "status")):
		return None
	certification = frappe.qb.DocType(PARTNER_CERTIFICATION)
	rows = (
		frappe.qb.from_(certification)
		.select(certification.user, Min(certification.creation))
		.where((certification.partner == partner) & (certification.status == "Active"))
		.groupby(certification.user)
	).run()
	return plans.running((getdate(at) for _user, at in rows), periods, getdate(today()))


def actuals(partner: str, fiscal_year: str, currency: str) -> dict[str, dict]:
	"""metric -> quarter -> actual (None for a quarter that has not started, or not tracked)."""
	periods = fiscal_quarters(fiscal_year)
	now = getdate(today())
	started = {q.label for q in periods if q.start <= now}

	def only_started(values: dict | None) -> dict:
		return {
			q.label: (values[q.label] if values is not None and q.label in started else None) for q in periods
		}

	return {
		"revenue": only_started(revenue(partner, periods, currency)),
		"new_customers": only_started(new_customers(partner, periods)),
		"registrations": only_started(registrations(partner, periods)),
		"certified_people": only_started(certified_people(partner, periods)),
	}


def target_vs_actual(plan) -> dict:
	"""The plan's targets against its actuals, per metric and quarter and for the year."""
	targets = {
		row.quarter: {metric: row.get(metric) for metric in plans.METRICS}
		for row in plan.get("targets") or []
	}
	values = actuals(plan.partner, plan.fiscal_year, plan.currency or frappe.db.get_default("currency"))
	lines = plans.compare(targets, values)
	periods = fiscal_quarters(plan.fiscal_year)
	return {
		"quarters": [{"label": q.label, "start": str(q.start), "end": str(q.end)} for q in periods],
		"lines": [
			{
				"metric": line.metric,
				"quarter": line.quarter,
				"target": line.target,
				"actual": line.actual,
				"percent": line.percent,
			}
			for line in lines
		],
		"certifications_tracked": bool(frappe.db.exists("DocType", PARTNER_CERTIFICATION)),
	}
