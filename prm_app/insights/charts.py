"""Figures for the Partners workspace's charts (Dashboard Chart Source "PRM Revenue by Tier")."""

import frappe
from frappe import _
from frappe.utils import flt

from prm_app.constants import PARTNER
from prm_app.insights import sales
from prm_app.insights.scope import scope_from


def revenue_by_tier(filters: dict | None) -> dict:
	"""The company's invoiced revenue of the period (default: the last twelve months) per the
	partner's current tier, tiers by rank, highest first (``prm_app.insights.sales``)."""
	scope = scope_from({key: (filters or {}).get(key) for key in ("company", "from_date", "to_date")})
	revenue = sales.invoiced(scope.company, scope.from_date, scope.to_date)
	partner = frappe.qb.DocType(PARTNER)
	tier = frappe.qb.DocType("Program Tier")
	tier_of = dict(frappe.qb.from_(partner).select(partner.name, partner.program_tier).run())
	ranks = dict(frappe.qb.from_(tier).select(tier.name, tier.rank).run())
	totals: dict[str | None, float] = {}
	for name, (amount, _margin, _count) in revenue.items():
		key = tier_of.get(name)
		totals[key] = totals.get(key, 0.0) + flt(amount)
	ordered = sorted(totals.items(), key=lambda kv: (-(ranks.get(kv[0]) or 0), kv[0] or ""))
	return {
		"labels": [name or _("No Tier") for name, _value in ordered],
		"datasets": [{"name": _("Revenue"), "values": [round(value, 2) for _name, value in ordered]}],
	}
