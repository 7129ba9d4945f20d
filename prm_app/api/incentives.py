"""Rebates on the portal (``/partner/incentives``): what the partner has accrued, what has been
settled and what is pending, by period and company currency.

Partners never read Rebate Accruals or Settlements through the desk's paths; the figures are
summed here for the caller's own partner only (``current_partner``), one query each.
"""

import frappe
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum

from prm_app.constants import REBATE_ACCRUAL, REBATE_SETTLEMENT
from prm_app.permissions import current_partner
from prm_app.queries import param, prepared


@frappe.whitelist()
def get_incentives() -> dict:
	"""The caller's rebates: one row per period and currency (accrued, settled, pending, invoices
	covered), the totals per currency, and the settlements paid."""
	partner = current_partner()
	rows, totals = periods_of(partner)
	accrual = frappe.qb.DocType(REBATE_ACCRUAL)
	settlement = frappe.qb.DocType(REBATE_SETTLEMENT)
	settlements = (
		frappe.qb.from_(settlement)
		.select(
			settlement.name,
			settlement.posting_date,
			settlement.up_to,
			settlement.total_amount,
			settlement.currency,
		)
		.where((settlement.partner == partner) & (settlement.docstatus == 1))
		.orderby(settlement.posting_date, order=frappe.qb.desc)
		.limit(50)
	).run(as_dict=True)
	accruals = (
		frappe.qb.from_(accrual)
		.select(Count(accrual.name))
		.where((accrual.partner == partner) & (accrual.docstatus == 1))
	).run()[0][0]
	return {
		"periods": rows,
		"totals": totals,
		"settlements": settlements,
		"accruals": accruals,
	}


@prepared
def rebates_per_period():
	accrual = frappe.qb.DocType(REBATE_ACCRUAL)
	settlement = frappe.qb.DocType(REBATE_SETTLEMENT)
	return (
		frappe.qb.from_(accrual)
		.left_join(settlement)
		.on((settlement.name == accrual.settlement) & (settlement.docstatus == 1))
		.select(
			accrual.period_start,
			accrual.period_end,
			accrual.currency,
			Sum(accrual.revenue).as_("revenue"),
			Sum(accrual.total_rebate).as_("accrued"),
			Sum(Case().when(settlement.name.isnotnull(), accrual.total_rebate).else_(0)).as_("settled"),
		)
		.where((accrual.partner == param("partner")) & (accrual.docstatus == 1))
		.groupby(accrual.period_start, accrual.period_end, accrual.currency)
		.orderby(accrual.period_start, order=frappe.qb.desc)
	)


def periods_of(partner: str) -> tuple[list[dict], list[dict]]:
	"""The rebates of ``partner`` (established by the caller) per period and currency, and their
	totals per currency (what the dashboard shows)."""
	rows = rebates_per_period(partner=partner)
	totals: dict[str, dict] = {}
	for row in rows:
		row.accrued, row.settled, row.revenue = (
			float(row.accrued or 0),
			float(row.settled or 0),
			float(row.revenue or 0),
		)
		row.pending = round(row.accrued - row.settled, 2)
		total = totals.setdefault(
			row.currency, {"currency": row.currency, "accrued": 0.0, "settled": 0.0, "pending": 0.0}
		)
		for key in ("accrued", "settled", "pending"):
			total[key] = round(total[key] + row[key], 2)
	return rows, list(totals.values())
