"""A partner's own scorecard on the portal: its row of the Partner Scorecard (the last twelve
months, the default company, ranked among the Active partners), never another partner's.

The scorecard of all partners is computed once for a few minutes (``cached_row``); only the
caller's row leaves this module, without internal fields (the at-risk flag, the rank, other
partners' figures)."""

import frappe
from frappe import _

from prm_app.insights import scorecard
from prm_app.insights.scope import scope_from

# measures shown on the portal, in this order (those of capabilities not installed drop out)
SHOWN = (
	"revenue",
	"revenue_previous",
	"revenue_growth",
	"pipeline_value",
	"open_registrations",
	"open_opportunities",
	"registrations_submitted",
	"registrations_approved",
	"registrations_won",
	"win_rate",
	"decision_days",
	"leads_offered",
	"lead_acceptance",
	"lead_conversion",
	"certified_people",
	"mdf_spent",
	"mdf_roi",
	"engagement_score",
)
FILTERS = {"status": "Active"}


def own_scorecard(partner: str) -> frappe._dict:
	"""The caller's partner's scorecard; ``partner`` comes from ``current_partner()``."""
	scope = scope_from(FILTERS)
	row, _count = scorecard.cached_row(FILTERS, partner)
	row = row or frappe._dict()
	weights = scorecard.weights([m for m in SHOWN if m in row])
	return frappe._dict(
		score=row.get("score", 0.0),
		from_date=scope.from_date,
		to_date=scope.to_date,
		currency=scope.currency,
		measures=[
			frappe._dict(
				measure=measure,
				label=scorecard.measure_label(measure),
				fieldtype=scorecard.MEASURES[measure][1],
				value=row.get(measure),
				weight=weights.get(measure),
			)
			for measure in SHOWN
			if measure in row
		],
		weights=[
			frappe._dict(label=scorecard.measure_label(measure), weight=weight)
			for measure, weight in weights.items()
		],
		explanation=_(
			"Each weighted measure places you among the programme's active partners from 0 to 100; your score is the weighted mean of those places."
		),
	)


def own_score(partner: str) -> float | None:
	"""The caller's partner's score for the dashboard; None where no scorecard can be made (a site
	without a default company)."""
	from prm_app.exceptions import InsightsFilterError

	try:
		row, _count = scorecard.cached_row(FILTERS, partner)
	except InsightsFilterError:
		frappe.clear_messages()
		return None
	return (row or {}).get("score", 0.0)
