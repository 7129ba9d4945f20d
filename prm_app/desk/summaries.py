"""What the channel team sees at a glance in the desk: a partner's summary header, a registration's
conflict evidence and a conflict case's records side by side.

Staff only: every method refuses partner users (who have no desk) and checks read permission on
the document it summarises. The figures come from the same functions the partner's dashboard uses
(``prm_app.portal.metrics``), so both always agree.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum

from prm_app.constants import CHANNEL_CONFLICT_DOCTYPE, DEAL_REGISTRATION, OPEN_STATUSES, PARTNER
from prm_app.permissions import is_partner_scoped
from prm_app.portal import metrics


def staff_document(doctype: str, name):
	if is_partner_scoped(frappe.session.user):
		frappe.throw(_("This is for the channel team."), frappe.PermissionError)
	if not isinstance(name, str) or not frappe.db.exists(doctype, name):
		frappe.throw(_("{0} {1} does not exist.").format(_(doctype), name), frappe.DoesNotExistError)
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("read")
	return doc


def open_pipeline(partner: str) -> list[frappe._dict]:
	"""Expected value of the partner's open registrations, per currency."""
	table = frappe.qb.DocType(DEAL_REGISTRATION)
	rows = (
		frappe.qb.from_(table)
		.select(table.currency, Sum(table.expected_value))
		.where((table.partner == partner) & table.status.isin(OPEN_STATUSES))
		.groupby(table.currency)
	).run()
	return metrics.by_currency(rows)


@frappe.whitelist()
def partner_summary(partner) -> dict:
	"""Tier and what the next one still needs, invoiced revenue over 12 months, open pipeline and
	won value this year: the Partner form's header."""
	doc = staff_document(PARTNER, partner)
	revenue = metrics.trailing_revenue_by_currency(doc.name)
	figures = metrics.partner_metrics(doc.name, revenue)
	progress = metrics.tier_progress(doc.name, doc.program_tier, figures)
	return {
		"tier": doc.program_tier,
		"next_tier": progress.next.name if progress.next else None,
		"next_tier_met": progress.met,
		"gaps": [
			{"label": c.label, "missing": c.missing, "is_money": c.is_money, "tracked": c.tracked}
			for c in progress.criteria
			if c.missing
		],
		"revenue": revenue,
		"pipeline": open_pipeline(doc.name),
		"won_value_this_year": metrics.won_value_this_year(doc.name),
		"won_deals": figures.won_deals,
		"open_by_status": metrics.open_by_status(doc.name),
		"currency": metrics.default_currency(),
	}


@frappe.whitelist()
def conflict_comparison(name) -> dict:
	"""A conflict case's registrations and matched records, side by side: who registered what,
	when, with which priority and value, and the evidence of each match."""
	case = staff_document(CHANNEL_CONFLICT_DOCTYPE, name)
	registrations = [row.deal_registration for row in case.records if row.deal_registration]
	details = {
		row.name: row
		for row in frappe.get_all(
			DEAL_REGISTRATION,
			filters={"name": ("in", registrations or [""])},
			fields=[
				"name",
				"partner",
				"company_name",
				"website",
				"contact_email",
				"territory",
				"expected_value",
				"currency",
				"expected_close_date",
				"registered_on",
				"priority_sequence",
				"status",
				"workflow_state",
			],
		)
	}
	columns = []
	for row in case.records:
		detail = details.get(row.deal_registration) if row.deal_registration else None
		columns.append(
			{
				"doctype": row.matched_doctype,
				"name": row.matched_record,
				"title": row.matched_name,
				"partner": row.partner,
				"score": row.score,
				"reasons": [r for r in (row.reasons or "").split("\n") if r],
				"registration": detail,
			}
		)
	first = min(
		(
			c
			for c in columns
			if c["registration"] and c["registration"].status in ("Pending Review", "Approved")
		),
		key=lambda c: (c["registration"].priority_sequence or 10**12, str(c["registration"].registered_on)),
		default=None,
	)
	return {
		"status": case.status,
		"resolution": case.resolution,
		"columns": columns,
		"first": first["name"] if first else None,
		"resolutions": ["Award to First", "Award to Other", "Split", "Reject", "Sell Direct"],
	}
