# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt
"""Partner Scorecard: every selected partner's measures for the period and its composite score
(weights: PRM Settings), best first. See ``prm_app.insights.scorecard``."""

import frappe
from frappe import _
from frappe.utils import flt

from prm_app.insights import scorecard
from prm_app.insights.access import require_channel_team
from prm_app.insights.columns import link

CHART_PARTNERS = 20


def execute(filters=None):
	require_channel_team()
	result = scorecard.build(filters)
	return columns(result), data(result), message(result), chart(result), summary(result)


def columns(result) -> list[dict]:
	cols = [
		{"fieldname": "rank", "label": _("Rank"), "fieldtype": "Int", "width": 60},
		link("partner", _("Partner"), "Partner", 180),
		link("program_tier", _("Tier"), "Program Tier", 100),
		{"fieldname": "score", "label": _("Score"), "fieldtype": "Float", "precision": 1, "width": 80},
		{"fieldname": "at_risk", "label": _("At Risk"), "fieldtype": "Check", "width": 70},
	]
	for measure in result.measures:
		label, fieldtype, _weight = scorecard.MEASURES[measure]
		column = {"fieldname": measure, "label": _(label), "fieldtype": fieldtype, "width": 120}
		if fieldtype == "Currency":
			column["options"] = "currency"
		if fieldtype in ("Float", "Percent"):
			column["precision"] = 1
		cols.append(column)
	cols += [
		link("partner_type", _("Partner Type"), "Sales Partner Type", 110),
		link("territory", _("Territory"), "Territory", 110),
		link("partner_manager", _("Partner Manager"), "User", 150),
		link("currency", _("Currency"), "Currency", hidden=1),
	]
	return cols


def data(result) -> list[dict]:
	for row in result.rows:
		row.currency = result.currency
		row.pop("unconverted", None)
	return result.rows


def message(result) -> str:
	weights = ", ".join(
		f"{scorecard.measure_label(m)} {frappe.format(w, 'Float')}" for m, w in result.weights.items()
	)
	lines = [
		_(
			"{0}. Each weighted measure ranks these partners 0 to 100; the score is the weighted mean of the ranks (PRM Settings: {1})."
		).format(scorecard.scope_label(result.scope), weights or _("no weights"))
	]
	unconverted = sorted({c for row in result.rows for c in row.get("unconverted") or ()})
	if unconverted:
		lines.append(
			_(
				"Registrations in {0} are left out of pipeline values: there is no Currency Exchange rate to {1}."
			).format(", ".join(unconverted), result.currency)
		)
	if result.skipped:
		lines.append(_("Left out, fields missing: {0}").format("; ".join(result.skipped)))
	return "<br>".join(frappe.utils.escape_html(line) for line in lines)


def chart(result) -> dict | None:
	top = result.rows[:CHART_PARTNERS]
	if not top:
		return None
	return {
		"data": {
			"labels": [row.partner_name or row.partner for row in top],
			"datasets": [{"name": _("Score"), "values": [row.score for row in top]}],
		},
		"type": "bar",
		"colors": ["#5e64ff"],
		"fieldtype": "Float",
	}


def summary(result) -> list[dict]:
	rows = result.rows
	return [
		{"value": len(rows), "label": _("Partners"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": round(sum(r.score for r in rows) / len(rows), 1) if rows else 0,
			"label": _("Average Score"),
			"datatype": "Float",
			"indicator": "Blue",
		},
		{
			"value": sum(flt(r.get("revenue")) for r in rows),
			"label": _("Revenue"),
			"datatype": "Currency",
			"currency": result.currency,
			"indicator": "Green",
		},
		{
			"value": sum(1 for r in rows if r.get("at_risk")),
			"label": _("At Risk"),
			"datatype": "Int",
			"indicator": "Red",
		},
	]
