"""The partner's dashboard (``/partner``)."""

import frappe
from frappe import _

from prm_app.api import incentives, mdf
from prm_app.constants import PARTNER
from prm_app.integrations import training
from prm_app.permissions import current_partner
from prm_app.portal import metrics
from prm_app.portal.leads import leads_summary
from prm_app.portal.scorecard import own_score


@frappe.whitelist()
def get_dashboard() -> dict:
	"""The caller's partner at a glance: tier and what the next one needs, revenue and won value
	per company currency, open registrations by status, protection ending soon.

	Everything but the score is kept per partner (``metrics.cached``) until a write changes it: a
	registration, invoice, order or certification, a lead offer, an MDF budget, request or claim
	(and the payments that settle one), a rebate accrual or settlement (``metrics.SOURCES``). The
	score ranks the partner among all the others, so it comes from the programme's shared scorecard
	(kept a few minutes), one partner's row read from it."""
	partner = current_partner()  # the caller's own partner: its record is theirs to read
	if not frappe.has_permission(PARTNER, "read"):
		frappe.throw(_("You cannot see your partner's record."), frappe.PermissionError)
	figures = dict(
		metrics.cached(partner, "dashboard", lambda: {**dashboard_of(partner), **activity_of(partner)})
	)
	figures["lapse_warning"] = training.lapse_message(figures.pop("lapse"))
	return {**figures, "score": own_score(partner)}


def dashboard_of(partner: str) -> dict:
	doc = frappe.db.get_value(PARTNER, partner, ["name", "status", "program_tier"], as_dict=True)
	revenue = metrics.trailing_revenue_by_currency(partner)
	figures = metrics.partner_metrics(partner, revenue)
	progress = metrics.tier_progress(partner, doc.program_tier, figures)
	return {
		"partner": {"name": doc.name, "status": doc.status, "tier": doc.program_tier},
		"currency": metrics.default_currency(),
		"revenue": revenue,
		"won_value_this_year": metrics.won_value_this_year(partner),
		"metrics": {
			"trailing_revenue": figures.trailing_revenue,
			"won_deals": figures.won_deals,
			"certified_people": figures.certified_people,
		},
		# training: certifications about to lapse, and what that costs the partner's tier (put in
		# words per request, in the reader's language)
		"lapse": training.lapse_forecast(partner, doc.program_tier),
		"has_tiers": progress.has_tiers,
		"tier": progress.current.name if progress.current else doc.program_tier,
		"next_tier": progress.next.name if progress.next else None,
		"next_tier_met": progress.met,
		"criteria": progress.criteria,
		"open_by_status": metrics.open_by_status(partner),
		"expiring": metrics.expiring(partner),
	}


def activity_of(partner: str) -> dict:
	"""The capabilities' sections: leads offered and worked, MDF, rebates."""
	return {
		"leads": leads_summary(partner),
		"mdf": mdf.summary(partner),
		"rebates": incentives.periods_of(partner)[1],
	}
