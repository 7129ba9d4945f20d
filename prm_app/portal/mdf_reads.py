"""What the portal's MDF pages list: the partner's budgets, requests and claims, and a request's
claims, newest first (reads built once per worker, ``prm_app.queries``). The caller has
established the partner."""

import frappe
from frappe.query_builder import Order

from prm_app.constants import MDF_BUDGET, MDF_CLAIM, MDF_REQUEST
from prm_app.queries import param, prepared


@prepared
def budgets_of():
	budget = frappe.qb.DocType(MDF_BUDGET)
	return (
		frappe.qb.from_(budget)
		.select(
			budget.name,
			budget.company,
			budget.currency,
			budget.period_type,
			budget.period_start,
			budget.period_end,
			budget.status,
		)
		.where(budget.partner == param("partner"))
		.orderby(budget.period_start, order=Order.desc)
		.limit(8)
	)


@prepared
def requests_of():
	request = frappe.qb.DocType(MDF_REQUEST)
	return (
		frappe.qb.from_(request)
		.select(
			request.name,
			request.title,
			request.activity_type,
			request.start_date,
			request.end_date,
			request.requested_amount,
			request.approved_amount,
			request.remaining_amount,
			request.status,
			request.workflow_state,
			request.currency,
		)
		.where(request.partner == param("partner"))
		.orderby(request.creation, order=Order.desc)
		.limit(100)
	)


@prepared
def claims_of():
	claim = frappe.qb.DocType(MDF_CLAIM)
	return (
		frappe.qb.from_(claim)
		.select(
			claim.name,
			claim.mdf_request,
			claim.claimed_amount,
			claim.approved_amount,
			claim.paid_amount,
			claim.payment_status,
			claim.status,
			claim.workflow_state,
			claim.currency,
			claim.docstatus,
		)
		.where(claim.partner == param("partner"))
		.orderby(claim.creation, order=Order.desc)
		.limit(100)
	)


@prepared
def request_claims():
	claim = frappe.qb.DocType(MDF_CLAIM)
	return (
		frappe.qb.from_(claim)
		.select(
			claim.name,
			claim.claimed_amount,
			claim.approved_amount,
			claim.paid_amount,
			claim.status,
			claim.workflow_state,
			claim.currency,
		)
		.where((claim.mdf_request == param("request")) & (claim.partner == param("partner")))
		.orderby(claim.creation, order=Order.desc)
	)
