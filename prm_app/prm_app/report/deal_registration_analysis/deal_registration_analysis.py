# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt
"""Deal Registration Analysis: volumes, approval rate, conflict rate by source, median time to
decision, expiries and extensions of the registrations submitted in the period.
See ``prm_app.insights.registrations``."""

import frappe
from frappe import _

from prm_app.constants import REGISTRATION_STATUSES
from prm_app.exceptions import InsightsFilterError
from prm_app.insights import registrations
from prm_app.insights.access import require_channel_team
from prm_app.insights.columns import link

SOURCE_LABELS = {
	"registration": "Conflict: Registrations %",
	"customer": "Conflict: Customers %",
	"lead": "Conflict: Leads %",
	"opportunity": "Conflict: Opportunities %",
	"quotation": "Conflict: Quotations %",
	"order": "Conflict: Sales Orders %",
}


def execute(filters=None):
	require_channel_team()
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or ""
	if group_by and group_by not in registrations.GROUPS:
		frappe.throw(
			_("Group by one of: {0}.").format(", ".join(_(g) for g in registrations.GROUPS)),
			InsightsFilterError,
			title=_("Invalid Filters"),
		)
	result = registrations.analyse(filters, group_by or None)
	rows = [flatten(row) for row in result.rows]
	return columns(group_by), rows, None, chart(result), summary(result)


def status_field(status: str) -> str:
	return "status_" + frappe.scrub(status)


def flatten(row) -> dict:
	out = {key: value for key, value in row.items() if key not in REGISTRATION_STATUSES}
	for status in REGISTRATION_STATUSES:
		out[status_field(status)] = row[status]
	return out


def columns(group_by: str) -> list[dict]:
	links = {
		"Partner": "Partner",
		"Territory": "Territory",
		"Tier": "Program Tier",
		"Partner Type": "Sales Partner Type",
	}
	if group_by in links:
		first = link("group", _(group_by), links[group_by], 170)
	else:
		first = {
			"fieldname": "group",
			"label": _(group_by or "Registrations"),
			"fieldtype": "Data",
			"width": 170,
		}
	cols = [
		first,
		{"fieldname": "submitted", "label": _("Submitted"), "fieldtype": "Int", "width": 90},
		{"fieldname": "approved", "label": _("Approved"), "fieldtype": "Int", "width": 90},
		{"fieldname": "rejected", "label": _("Rejected"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "approval_rate",
			"label": _("Approval Rate %"),
			"fieldtype": "Percent",
			"precision": 1,
			"width": 110,
		},
		{
			"fieldname": "decision_days",
			"label": _("Median Days to Decision"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 120,
		},
		{
			"fieldname": "conflict_rate",
			"label": _("Conflict Rate %"),
			"fieldtype": "Percent",
			"precision": 1,
			"width": 110,
		},
	]
	cols += [
		{
			"fieldname": f"rate_{source}",
			"label": _(label),
			"fieldtype": "Percent",
			"precision": 1,
			"width": 120,
		}
		for source, label in SOURCE_LABELS.items()
	]
	cols += [
		{
			"fieldname": status_field(status),
			"label": _("Now {0}").format(_(status)),
			"fieldtype": "Int",
			"width": 100,
		}
		for status in REGISTRATION_STATUSES
		if status != "Draft"
	]
	cols += [
		{
			"fieldname": "extensions_requested",
			"label": _("Extensions Requested"),
			"fieldtype": "Int",
			"width": 110,
		},
		{
			"fieldname": "extensions_approved",
			"label": _("Extensions Approved"),
			"fieldtype": "Int",
			"width": 110,
		},
		{"fieldname": "drafts", "label": _("Drafts Not Submitted"), "fieldtype": "Int", "width": 110},
	]
	return cols


def chart(result) -> dict | None:
	months, counts = registrations.monthly_by_status(result.cohort)
	if not months:
		return None
	return {
		"data": {
			"labels": months,
			"datasets": [{"name": _(status), "values": values} for status, values in counts.items()],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}


def summary(result) -> list[dict]:
	submitted = len(result.cohort)
	decided = [row for row in result.cohort if row.decided_on]
	approved = sum(1 for row in decided if row.status != "Rejected")
	return [
		{"value": submitted, "label": _("Submitted"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": round(100.0 * approved / len(decided), 1) if decided else 0,
			"label": _("Approval Rate %"),
			"datatype": "Percent",
			"indicator": "Green",
		},
		{
			"value": sum(1 for row in result.cohort if row.status == "Won"),
			"label": _("Won"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": sum(1 for row in result.cohort if row.status == "Expired"),
			"label": _("Expired"),
			"datatype": "Int",
			"indicator": "Orange",
		},
	]
