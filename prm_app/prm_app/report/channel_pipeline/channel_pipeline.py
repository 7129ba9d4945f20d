# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt
"""Channel Pipeline: open deal registrations and their Opportunities, and open partner
Opportunities, by partner, stage, expected close month or territory, in the company's currency.
See ``prm_app.insights.pipeline``."""

import frappe
from frappe import _
from frappe.utils import flt

from prm_app.exceptions import InsightsFilterError
from prm_app.insights import pipeline
from prm_app.insights.access import require_channel_team
from prm_app.insights.columns import link


def execute(filters=None):
	require_channel_team()
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or ""
	if group_by and group_by not in pipeline.GROUPS:
		frappe.throw(
			_("Group by one of: {0}.").format(", ".join(_(g) for g in pipeline.GROUPS)),
			InsightsFilterError,
			title=_("Invalid Filters"),
		)
	result = pipeline.rows(filters)
	if group_by:
		rows = pipeline.grouped(result.rows, group_by)
		for row in rows:
			row.currency = result.scope.currency
		cols = group_columns(group_by)
	else:
		rows, cols = result.rows, detail_columns()
	return cols, rows, message(result), chart(result, group_by), summary(result)


def detail_columns() -> list[dict]:
	return [
		link("partner", _("Partner"), "Partner", 170),
		link("program_tier", _("Tier"), "Program Tier", 100),
		link("registration", _("Deal Registration"), "Deal Registration", 150),
		{"fieldname": "company_name", "label": _("End Customer"), "fieldtype": "Data", "width": 170},
		link("opportunity", _("Opportunity"), "Opportunity", 150),
		{"fieldname": "stage", "label": _("Stage"), "fieldtype": "Data", "width": 120},
		{"fieldname": "expected_close", "label": _("Expected Close"), "fieldtype": "Date", "width": 110},
		{"fieldname": "close_month", "label": _("Close Month"), "fieldtype": "Data", "width": 90},
		link("territory", _("Territory"), "Territory", 110),
		{
			"fieldname": "value",
			"label": _("Value"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 130,
		},
		link("currency", _("Currency"), "Currency", hidden=1),
	]


def group_columns(group_by: str) -> list[dict]:
	if group_by in ("Partner", "Territory"):
		first = link("group", _(group_by), group_by, 200)
	else:
		first = {"fieldname": "group", "label": _(group_by), "fieldtype": "Data", "width": 200}
	return [
		first,
		{"fieldname": "count", "label": _("Deals"), "fieldtype": "Int", "width": 80},
		{"fieldname": "registrations", "label": _("With a Registration"), "fieldtype": "Int", "width": 140},
		{
			"fieldname": "value",
			"label": _("Value"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 140,
		},
		link("currency", _("Currency"), "Currency", hidden=1),
	]


def message(result) -> str:
	if not result.unconverted:
		return ""
	return frappe.utils.escape_html(
		_("Registrations in {0} have no value here: there is no Currency Exchange rate to {1}.").format(
			", ".join(result.unconverted), result.scope.currency
		)
	)


def chart(result, group_by: str) -> dict | None:
	rows = pipeline.grouped(result.rows, group_by or "Expected Close Month")[:30]
	if not rows:
		return None
	return {
		"data": {
			"labels": [row.group or _("Not set") for row in rows],
			"datasets": [{"name": _("Value"), "values": [round(flt(row.value), 2) for row in rows]}],
		},
		"type": "bar",
		"fieldtype": "Currency",
		"options": result.scope.currency,
	}


def summary(result) -> list[dict]:
	return [
		{"value": len(result.rows), "label": _("Open Deals"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": sum(1 for r in result.rows if r.get("registration")),
			"label": _("Registrations"),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{
			"value": sum(flt(r.value) for r in result.rows),
			"label": _("Pipeline Value"),
			"datatype": "Currency",
			"currency": result.scope.currency,
			"indicator": "Green",
		},
	]
