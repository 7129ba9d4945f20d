"""Figures for the Partners workspace's charts (Dashboard Chart Source "PRM Revenue by Tier")."""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt

from prm_app.constants import PARTNER
from prm_app.insights.scope import scope_from


def revenue_by_tier(filters: dict | None) -> dict:
	"""The company's invoiced revenue of the period (default: the last twelve months) per the
	partner's current tier, tiers by rank, highest first (one grouped query)."""
	scope = scope_from({key: (filters or {}).get(key) for key in ("company", "from_date", "to_date")})
	invoice = frappe.qb.DocType("Sales Invoice")
	partner = frappe.qb.DocType(PARTNER)
	tier = frappe.qb.DocType("Program Tier")
	rows = (
		frappe.qb.from_(invoice)
		.join(partner)
		.on(partner.name == invoice.prm_partner)
		.left_join(tier)
		.on(tier.name == partner.program_tier)
		.select(partner.program_tier, Sum(invoice.base_net_total))
		.where(
			(invoice.company == scope.company)
			& (invoice.docstatus == 1)
			& (invoice.posting_date >= scope.from_date)
			& (invoice.posting_date <= scope.to_date)
		)
		.groupby(partner.program_tier, tier.rank)
		.orderby(tier.rank, order=frappe.qb.desc)
	).run()
	return {
		"labels": [name or _("No Tier") for name, _value in rows],
		"datasets": [{"name": _("Revenue"), "values": [round(flt(value), 2) for _name, value in rows]}],
	}
