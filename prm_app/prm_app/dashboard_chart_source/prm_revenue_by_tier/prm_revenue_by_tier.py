# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt
"""Dashboard Chart Source "PRM Revenue by Tier": the company's invoiced revenue of the last twelve
months through partners, by the partner's current tier (highest tier first)."""

import frappe

from prm_app.insights.access import require_channel_team
from prm_app.insights.charts import revenue_by_tier


@frappe.whitelist()
def get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
):
	require_channel_team()
	filters = frappe.parse_json(filters) or {}
	if (
		not filters
		and chart_name
		and isinstance(chart_name, str)
		and frappe.db.exists("Dashboard Chart", chart_name)
	):
		filters = frappe.parse_json(frappe.db.get_value("Dashboard Chart", chart_name, "filters_json")) or {}
	return revenue_by_tier(filters)
