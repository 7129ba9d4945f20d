# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt
"""Partner Pareto (80/20): partners ranked by revenue or gross profit with their cumulative share,
the cut where 80% is reached and how many partners bring it. See ``prm_app.insights.pareto``."""

import frappe
from frappe import _

from prm_app.exceptions import InsightsFilterError
from prm_app.insights import pareto
from prm_app.insights.access import require_channel_team
from prm_app.insights.columns import link

CHART_PARTNERS = 50


def execute(filters=None):
	require_channel_team()
	filters = frappe._dict(filters or {})
	measure = filters.get("based_on") or pareto.REVENUE
	if measure not in pareto.MEASURES:
		frappe.throw(
			_("Rank partners by Revenue or Gross Profit."), InsightsFilterError, title=_("Invalid Filters")
		)
	result = pareto.build(filters, measure)
	return columns(result), data(result), message(result), chart(result), summary(result)


def columns(result) -> list[dict]:
	label = _(result.measure)
	return [
		{"fieldname": "rank", "label": _("Rank"), "fieldtype": "Int", "width": 60},
		link("partner", _("Partner"), "Partner", 200),
		link("program_tier", _("Tier"), "Program Tier", 110),
		{"fieldname": "value", "label": label, "fieldtype": "Currency", "options": "currency", "width": 140},
		{"fieldname": "share", "label": _("Share %"), "fieldtype": "Percent", "precision": 2, "width": 90},
		{
			"fieldname": "cumulative",
			"label": _("Cumulative %"),
			"fieldtype": "Percent",
			"precision": 2,
			"width": 110,
		},
		{"fieldname": "in_head", "label": _("Within the 80%"), "fieldtype": "Check", "width": 110},
		link("partner_type", _("Partner Type"), "Sales Partner Type", 110),
		link("territory", _("Territory"), "Territory", 110),
		link("currency", _("Currency"), "Currency", hidden=1),
	]


def data(result) -> list[dict]:
	rows = []
	for row in result.pareto.rows:
		partner = result.partners[row.key]
		rows.append(
			{
				"rank": row.rank,
				"partner": row.key,
				"program_tier": partner.program_tier,
				"value": row.value,
				"share": round(row.share, 4),
				"cumulative": round(row.cumulative, 4),
				"in_head": int(row.in_head),
				"partner_type": partner.partner_type,
				"territory": partner.territory,
				"currency": result.scope.currency,
			}
		)
	return rows


def headline(result) -> str:
	p = result.pareto
	if not p.cut_rank:
		return _("No partner has a positive {0} in this period.").format(_(result.measure).lower())
	return _("{0} of {1} partners ({2}%) bring {3}% of {4}.").format(
		p.head_count,
		p.count,
		frappe.format(round(p.head_partner_share, 1), "Float"),
		frappe.format(p.share, "Float"),
		_(result.measure).lower(),
	)


def message(result) -> str:
	lines = [headline(result)]
	if result.measure == pareto.GROSS_PROFIT:
		lines.append(
			_(
				"Gross profit: each invoice's net amount less the cost of its lines as ERPNext knew it when the invoice was submitted (a stock item's valuation rate on the line, else the item's last purchase rate)."
			)
		)
	if result.pareto.count > CHART_PARTNERS:
		lines.append(_("The chart shows the first {0} partners.").format(CHART_PARTNERS))
	return "<br>".join(frappe.utils.escape_html(line) for line in lines)


def chart(result) -> dict | None:
	rows = result.pareto.rows[:CHART_PARTNERS]
	if not rows or not result.pareto.total:
		return None
	names = {key: p.partner_name or key for key, p in result.partners.items()}
	return {
		"data": {
			"labels": [names[row.key] for row in rows],
			"datasets": [
				{"name": _("Share %"), "chartType": "bar", "values": [round(row.share, 2) for row in rows]},
				{
					"name": _("Cumulative %"),
					"chartType": "line",
					"values": [round(row.cumulative, 2) for row in rows],
				},
			],
			"yMarkers": [{"label": "80%", "value": result.pareto.share}],
		},
		"type": "axis-mixed",
		"colors": ["#5e64ff", "#ff5858"],
		"fieldtype": "Percent",
	}


def summary(result) -> list[dict]:
	p = result.pareto
	return [
		{
			"value": p.total,
			"label": _("Total {0}").format(_(result.measure)),
			"datatype": "Currency",
			"currency": result.scope.currency,
			"indicator": "Blue",
		},
		{"value": p.count, "label": _("Partners"), "datatype": "Int", "indicator": "Blue"},
		{"value": p.head_count, "label": _("Partners Bringing 80%"), "datatype": "Int", "indicator": "Green"},
		{
			"value": round(p.head_partner_share, 1),
			"label": _("Share of Partners %"),
			"datatype": "Percent",
			"indicator": "Green",
		},
	]
