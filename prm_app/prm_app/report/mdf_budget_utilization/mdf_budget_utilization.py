# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""MDF Budget Utilization: each budget's allocation and what its requests and claims hold of it
(reserved, claimed, paid, available), computed from the documents (``prm_app.engine.mdf``)."""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from prm_app.constants import MDF_BUDGET
from prm_app.insights.access import require_channel_team
from prm_app.integrations import mdf_budget


def execute(filters=None):
	require_channel_team()
	filters = frappe._dict(filters or {})
	return columns(), data(filters)


def columns() -> list[dict]:
	money = {"fieldtype": "Currency", "options": "currency", "width": 120}
	return [
		{
			"fieldname": "budget",
			"label": _("MDF Budget"),
			"fieldtype": "Link",
			"options": MDF_BUDGET,
			"width": 150,
		},
		{
			"fieldname": "partner",
			"label": _("Partner"),
			"fieldtype": "Link",
			"options": "Partner",
			"width": 180,
		},
		{"fieldname": "period_type", "label": _("Period"), "fieldtype": "Data", "width": 90},
		{"fieldname": "period_start", "label": _("Starts"), "fieldtype": "Date", "width": 100},
		{"fieldname": "period_end", "label": _("Ends"), "fieldtype": "Date", "width": 100},
		{"fieldname": "allocated", "label": _("Allocated"), **money},
		{"fieldname": "reserved", "label": _("Reserved"), **money},
		{"fieldname": "claimed", "label": _("Claimed (Not Yet Paid)"), **money},
		{"fieldname": "paid", "label": _("Paid"), **money},
		{"fieldname": "available", "label": _("Available"), **money},
		{"fieldname": "utilization", "label": _("Utilization (%)"), "fieldtype": "Percent", "width": 110},
		{
			"fieldname": "currency",
			"label": _("Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


def data(filters) -> list[dict]:
	"""One row per budget; utilization is what was claimed or paid of the allocation."""
	conditions = {}
	if filters.company:
		conditions["company"] = filters.company
	if filters.partner:
		conditions["partner"] = filters.partner
	if filters.status:
		conditions["status"] = filters.status
	if filters.from_date:
		conditions["period_end"] = (">=", getdate(filters.from_date))
	if filters.to_date:
		conditions["period_start"] = ("<=", getdate(filters.to_date))
	budgets = frappe.get_all(
		MDF_BUDGET,
		filters=conditions,
		fields=["name", "partner", "period_type", "period_start", "period_end", "currency"],
		order_by="period_start desc, partner asc",
	)
	figures = mdf_budget.figures([b.name for b in budgets])
	rows = []
	for budget in budgets:
		f = figures[budget.name]
		allocated = flt(f.allocated)
		rows.append(
			{
				"budget": budget.name,
				"partner": budget.partner,
				"period_type": _(budget.period_type),
				"period_start": budget.period_start,
				"period_end": budget.period_end,
				"allocated": allocated,
				"reserved": flt(f.reserved),
				"claimed": flt(f.claimed),
				"paid": flt(f.paid),
				"available": flt(f.available),
				"utilization": flt((flt(f.claimed) + flt(f.paid)) * 100 / allocated, 2) if allocated else 0,
				"currency": budget.currency,
			}
		)
	return rows
