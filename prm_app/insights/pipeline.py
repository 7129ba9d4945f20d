"""The channel pipeline: open deal registrations with their Opportunities, and open Opportunities
tagged with a partner, valued in the company's currency.

One query for the registrations (with their partner and Opportunity), one for the partner
Opportunities; grouping is done on those rows. A registration whose Opportunity is closed or
lost, or belongs to another company, is not pipeline; one without an Opportunity is valued at its
expected value converted to the company's currency (``prm_app.insights.currency``).
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import flt, getdate

from prm_app.constants import APPROVED, DEAL_REGISTRATION, PARTNER, PENDING
from prm_app.insights.currency import Converter
from prm_app.insights.providers import OPEN_OPPORTUNITY_STATUSES, open_opportunity, opportunity_value
from prm_app.insights.scope import invalid, parse_date, partner_condition, scope_from

# the report's "Group By" choices -> the row field they group on
GROUPS = {
	"Partner": "partner",
	"Stage": "stage",
	"Expected Close Month": "close_month",
	"Territory": "territory",
}


def close_window(filters) -> tuple[date | None, date | None]:
	start = parse_date(filters.close_from, _("Close From")) if filters.get("close_from") else None
	end = parse_date(filters.close_to, _("Close To")) if filters.get("close_to") else None
	if start and end and start > end:
		invalid(_("Close From must be on or before Close To."))
	return start, end


def rows(filters: dict | None) -> frappe._dict:
	"""The pipeline rows the filters select, and the currencies that could not be converted."""
	filters = frappe._dict(filters or {})
	scope = scope_from({"company": filters.get("company")})
	start, end = close_window(filters)
	convert = Converter(scope.currency, getdate())
	registration = frappe.qb.DocType(DEAL_REGISTRATION)
	partner = frappe.qb.DocType(PARTNER)
	opportunity = frappe.qb.DocType("Opportunity")
	found = (
		frappe.qb.from_(registration)
		.join(partner)
		.on(partner.name == registration.partner)
		.left_join(opportunity)
		.on(opportunity.name == registration.opportunity)
		.select(
			registration.name.as_("registration"),
			registration.partner,
			registration.company_name,
			registration.status.as_("registration_status"),
			registration.territory,
			registration.expected_value,
			registration.currency.as_("registration_currency"),
			registration.expected_close_date,
			partner.program_tier,
			partner.territory.as_("partner_territory"),
			opportunity.name.as_("opportunity"),
			opportunity.status.as_("opportunity_status"),
			opportunity.sales_stage,
			opportunity.expected_closing,
			opportunity_value(opportunity).as_("opportunity_value"),
			opportunity.company.as_("opportunity_company"),
			opportunity.territory.as_("opportunity_territory"),
		)
		.where(registration.status.isin((PENDING, APPROVED)) & partner_condition(filters, partner))
	).run(as_dict=True)
	result, seen = [], set()
	for row in found:
		if row.opportunity:
			if (
				row.opportunity_status not in OPEN_OPPORTUNITY_STATUSES
				or row.opportunity_company != scope.company
			):
				continue
			seen.add(row.opportunity)
			value = flt(row.opportunity_value) or convert(row.expected_value, row.registration_currency)
		else:
			value = convert(row.expected_value, row.registration_currency)
		row.stage = row.sales_stage or _(row.registration_status)
		row.territory = row.territory or row.opportunity_territory or row.partner_territory
		row.expected_close = row.expected_closing or row.expected_close_date
		row.value = value
		result.append(row)

	other = frappe.qb.DocType(DEAL_REGISTRATION)
	for row in (
		frappe.qb.from_(opportunity)
		.join(partner)
		.on(partner.name == opportunity.prm_partner)
		.left_join(other)
		.on(other.name == opportunity.prm_deal_registration)
		.select(
			opportunity.name.as_("opportunity"),
			opportunity.prm_partner.as_("partner"),
			opportunity.customer_name.as_("company_name"),
			opportunity.status.as_("opportunity_status"),
			opportunity.sales_stage,
			opportunity.expected_closing.as_("expected_close"),
			opportunity_value(opportunity).as_("value"),
			opportunity.territory,
			partner.program_tier,
			partner.territory.as_("partner_territory"),
		)
		.where(
			(opportunity.company == scope.company)
			& open_opportunity(opportunity, other)
			& partner_condition(filters, partner)
		)
	).run(as_dict=True):
		if row.opportunity in seen:
			continue
		row.stage = row.sales_stage or _(row.opportunity_status)
		row.territory = row.territory or row.partner_territory
		row.value = flt(row.value)
		result.append(row)

	kept = []
	for row in result:
		close = getdate(row.expected_close) if row.expected_close else None
		if (start and (not close or close < start)) or (end and (not close or close > end)):
			continue
		row.close_month = close.strftime("%Y-%m") if close else ""
		row.currency = scope.currency
		kept.append(row)
	kept.sort(
		key=lambda r: (r.close_month or "9999", r.partner, r.get("registration") or "", r.opportunity or "")
	)
	return frappe._dict(scope=scope, rows=kept, unconverted=sorted(convert.missing))


def grouped(rows: list, group_by: str) -> list[frappe._dict]:
	"""Rows summed by the chosen field: count, value (of the converted ones), registrations."""
	field = GROUPS[group_by]
	totals: dict[str, frappe._dict] = {}
	for row in rows:
		key = row.get(field) or ""
		total = totals.setdefault(key, frappe._dict(group=key, count=0, registrations=0, value=0.0))
		total.count += 1
		total.registrations += 1 if row.get("registration") else 0
		total.value += flt(row.value)
	ordered = sorted(
		totals.values(),
		key=lambda t: (t.group == "", t.group) if field == "close_month" else (-t.value, t.group),
	)
	return ordered
