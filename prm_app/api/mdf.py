"""Market development funds on the portal (``/partner/mdf``): the partner's budgets, requests and
claims; requesting funds, filing claims with proof of performance.

Every method starts from the caller's own partner (``current_partner``) and reaches documents
through their own permissions. A partner's users all see its MDF; who acts (requests, claims,
uploads) is its Partner Admins, or every user when PRM Settings allows it (the documents enforce
it on every path). What may be done with a request or claim is what the admin's workflow grants
(``prm_app.workflows``): no action is named here.
"""

import frappe
from frappe import _

from prm_app import workflows
from prm_app.constants import (
	APPROVED,
	BUDGET_OPEN,
	DRAFT,
	MDF_BUDGET,
	MDF_CLAIM,
	MDF_CLAIM_STATUSES,
	MDF_ENDED_STATUSES,
	MDF_REQUEST,
	MDF_REQUEST_STATUSES,
	MDF_SUBMITTED,
	PARTNER_USER,
)
from prm_app.integrations import mdf_budget, proof_files
from prm_app.permissions import current_partner
from prm_app.portal import forms, mdf_forms, mdf_reads
from prm_app.portal import history as portal_history
from prm_app.portal.text import as_text, plain, text, who
from prm_app.prm_app.mdf_lifecycle import may_act

REQUEST_ARGS = {"closing_statuses": MDF_ENDED_STATUSES, "statuses": MDF_REQUEST_STATUSES}
CLAIM_ARGS = {"closing_statuses": MDF_ENDED_STATUSES, "statuses": MDF_CLAIM_STATUSES}
REQUEST_DETAIL = (
	"name", "title", "activity_type", "start_date", "end_date", "description", "expected_leads",
	"expected_pipeline", "planned_cost", "co_op_percent", "max_fundable", "requested_amount",
	"approved_amount", "claimed_amount", "remaining_amount", "status", "workflow_state", "currency",
	"budget", "decision_reason", "decided_on", "campaign",
)  # fmt: skip
CLAIM_DETAIL = (
	"name", "mdf_request", "actual_cost", "co_op_percent", "claimed_amount", "approved_amount",
	"partial_reason", "decision_reason", "description", "status", "workflow_state", "currency",
	"paid_amount", "payment_status", "decided_on", "docstatus", "amended_from",
)  # fmt: skip


def get_own(doctype: str, name, ptype: str = "read"):
	"""The caller's own request or claim; one PermissionError, whether another partner's or absent."""
	partner = current_partner()
	denied = _("This document does not exist or belongs to another partner.")
	if not isinstance(name, str) or not name or not frappe.db.exists(doctype, name):
		frappe.throw(denied, frappe.PermissionError)
	doc = frappe.get_doc(doctype, name)
	if doc.partner != partner or not frappe.has_website_permission(doc) or not doc.has_permission(ptype):
		frappe.throw(denied, frappe.PermissionError)
	return doc


def require_may_act(partner: str):
	if not may_act(partner):
		frappe.throw(_("Only your Partner Admins can request MDF and file claims."), frappe.PermissionError)


def budget_rows(partner: str) -> list[dict]:
	rows = mdf_reads.budgets_of(partner=partner)
	figures = mdf_budget.figures([row.name for row in rows])
	for row in rows:
		f = figures.get(row.name)
		row.update(
			{k: float(getattr(f, k)) for k in ("allocated", "reserved", "claimed", "paid", "available")}
		)
	return rows


def with_state(row) -> dict:
	row.state_style = workflows.state_style(row.workflow_state)
	return as_text(row)


@frappe.whitelist()
def get_mdf() -> dict:
	"""The caller's budgets (with their balance), requests and claims, newest first."""
	partner = current_partner()
	requests = mdf_reads.requests_of(partner=partner)
	claims = mdf_reads.claims_of(partner=partner)
	return {
		"budgets": budget_rows(partner),
		"requests": [with_state(row) for row in requests],
		"claims": [with_state(row) for row in claims],
		"can_act": may_act(partner),
		"can_request": may_act(partner) and bool(mdf_forms.own_open_budgets(partner)),
	}


def history(doc) -> list[dict]:
	team = portal_history.team_of(doc.partner)
	comments = portal_history.comments_of(doc)
	lines = [{"when": doc.creation, "what": _("Created"), "who": who(doc.owner, team)}]
	for comment in comments:
		line = plain(comment.content)
		if comment.comment_type == "Workflow":
			line = _("Moved to {0}").format(_(line))
		lines.append({"when": comment.creation, "what": line, "who": who(comment.owner, team)})
	return lines


def actions_of(doc, args) -> list[dict]:
	if not may_act(doc.partner) or not doc.has_permission("write"):
		return []
	return [dict(t) for t in workflows.transitions(doc, **args)]


def can_edit(doc) -> bool:
	return (
		may_act(doc.partner)
		and doc.docstatus == 0
		and doc.has_permission("write")
		and doc.partner_may_edit(doc)
	)


@frappe.whitelist()
def get_request(name) -> dict:
	doc = get_own(MDF_REQUEST, name)
	view = {field: text(doc.get(field)) for field in REQUEST_DETAIL}
	view["state_style"] = workflows.state_style(doc.workflow_state)
	view["campaign"] = (
		text(frappe.db.get_value("Campaign", doc.campaign, "campaign_name")) if doc.campaign else None
	)
	view["claims"] = [
		with_state(row) for row in mdf_reads.request_claims(request=doc.name, partner=doc.partner)
	]
	view["actions"] = actions_of(doc, REQUEST_ARGS)
	view["can_edit"] = can_edit(doc)
	view["can_claim"] = (
		doc.status == APPROVED and may_act(doc.partner) and float(doc.remaining_amount or 0) > 0
	)
	view["history"] = history(doc)
	return view


def save_with_action(doc, action, error_fields, insert=False):
	"""Insert or save ``doc``, then take ``action`` (if any); its own errors as field errors."""
	try:
		doc.insert() if insert else doc.save()
		if action:
			if not isinstance(action, str):
				frappe.throw(_("This action is not available."), frappe.PermissionError)
			doc = workflows.take(doc, action, **(REQUEST_ARGS if doc.doctype == MDF_REQUEST else CLAIM_ARGS))
	except tuple(cls for cls, _field in error_fields) as e:
		forms.raise_input_error({mdf_forms.field_of(e, error_fields): plain(e)})
	return doc


@frappe.whitelist(methods=["POST"])
def save_request(data=None, name=None, action=None) -> dict:
	"""Make a request (or change a draft one) from the request form's fields; ``action``: a
	workflow action to take at once (one the workflow grants, such as submitting it)."""
	partner = current_partner()
	require_may_act(partner)
	doc = get_own(MDF_REQUEST, name, "write") if name else frappe.new_doc(MDF_REQUEST)
	if name and not can_edit(doc):
		frappe.throw(_("This request can no longer be edited."), frappe.PermissionError)
	budgets = [b.name for b in mdf_forms.own_open_budgets(partner)]
	if doc.budget and doc.budget not in budgets:
		budgets.append(doc.budget)
	fields = mdf_forms.request_fields(budgets, mdf_forms.activity_types())
	values, errors = mdf_forms.parse(fields, frappe.parse_json(data) if data else {})
	if errors:
		forms.raise_input_error(errors, {f.fieldname: f.label for f in fields})
	doc.update(values)
	doc.partner = partner
	doc = save_with_action(doc, action, mdf_forms.REQUEST_ERROR_FIELDS, insert=not name)
	return {"name": doc.name, "status": doc.status, "workflow_state": doc.workflow_state}


@frappe.whitelist(methods=["POST"])
def request_action(name, action) -> dict:
	"""Take a workflow action on an own request (those ``get_request`` lists)."""
	doc = get_own(MDF_REQUEST, name, "write")
	require_may_act(doc.partner)
	if not isinstance(action, str) or not action:
		frappe.throw(_("This action is not available."), frappe.PermissionError)
	doc = workflows.take(doc, action, **REQUEST_ARGS)
	return {"name": doc.name, "status": doc.status, "workflow_state": doc.workflow_state}


def proof_of(doc) -> list[dict]:
	return [
		{"name": f.name, "file_name": text(f.file_name), "file_url": f.file_url, "file_size": f.file_size}
		for f in frappe.get_all(
			"File",
			filters={"attached_to_doctype": MDF_CLAIM, "attached_to_name": doc.name, "is_folder": 0},
			fields=["name", "file_name", "file_url", "file_size"],
			order_by="creation asc",
		)
		if (f.file_url or "").startswith("/private/files/")
	]


@frappe.whitelist()
def get_claim(name) -> dict:
	doc = get_own(MDF_CLAIM, name)
	view = {field: text(doc.get(field)) for field in CLAIM_DETAIL}
	view["state_style"] = workflows.state_style(doc.workflow_state)
	view["request_title"] = text(frappe.db.get_value(MDF_REQUEST, doc.mdf_request, "title"))
	view["leads"] = [{k: text(row.get(k)) for k in (*mdf_forms.LEAD_FIELDS, "lead")} for row in doc.leads]
	view["proof"] = proof_of(doc)
	view["actions"] = actions_of(doc, CLAIM_ARGS)
	view["can_edit"] = can_edit(doc)
	view["can_upload"] = view["can_edit"] and doc.status == DRAFT
	view["limits"] = {"types": proof_files.accepted_types(), "mb": proof_files.max_bytes() // (1024 * 1024)}
	view["history"] = history(doc)
	return view


@frappe.whitelist(methods=["POST"])
def save_claim(data=None, name=None, action=None) -> dict:
	"""File a claim against an own approved request (or change a draft one): the claim form's
	fields and lead rows, proof files posted with it (``proof``, multipart), then ``action``."""
	partner = current_partner()
	require_may_act(partner)
	data = frappe.parse_json(data) if data else {}
	if not isinstance(data, dict):
		data = {}
	if name:
		doc = get_own(MDF_CLAIM, name, "write")
		if not can_edit(doc):
			frappe.throw(_("This claim can no longer be edited."), frappe.PermissionError)
	else:
		request = get_own(MDF_REQUEST, data.get("mdf_request"))
		doc = frappe.new_doc(MDF_CLAIM)
		doc.mdf_request = request.name
	fields = mdf_forms.claim_fields()
	values, errors = mdf_forms.parse(fields, data)
	leads, problem = mdf_forms.parse_leads(data.get("leads"))
	if problem:
		errors["leads"] = problem
	files = mdf_forms.uploaded_files()
	for filename, content in files:
		problem = proof_files.problem_with(filename, content)
		if problem:
			errors["proof"] = problem
	if errors:
		forms.raise_input_error(errors, {f.fieldname: f.label for f in fields})
	doc.update(values)
	doc.set("leads", [])
	for row in leads:
		doc.append("leads", row)
	doc = save_with_action(doc, None, mdf_forms.CLAIM_ERROR_FIELDS, insert=not name)
	for filename, content in files:
		attach_proof(doc, filename, content)
	if action:
		doc = save_with_action(frappe.get_doc(MDF_CLAIM, doc.name), action, mdf_forms.CLAIM_ERROR_FIELDS)
	return {"name": doc.name, "status": doc.status, "workflow_state": doc.workflow_state}


def attach_proof(doc, filename, content):
	try:
		return proof_files.attach(doc, filename, content)
	except frappe.ValidationError as e:
		forms.raise_input_error({"proof": plain(e)})


@frappe.whitelist(methods=["POST"])
def claim_action(name, action) -> dict:
	"""Take a workflow action on an own claim (those ``get_claim`` lists)."""
	doc = get_own(MDF_CLAIM, name, "write")
	require_may_act(doc.partner)
	if not isinstance(action, str) or not action:
		frappe.throw(_("This action is not available."), frappe.PermissionError)
	try:
		doc = workflows.take(doc, action, **CLAIM_ARGS)
	except tuple(cls for cls, _field in mdf_forms.CLAIM_ERROR_FIELDS) as e:
		forms.raise_input_error({mdf_forms.field_of(e, mdf_forms.CLAIM_ERROR_FIELDS): plain(e)})
	return {"name": doc.name, "status": doc.status, "workflow_state": doc.workflow_state}


@frappe.whitelist(methods=["POST"])
def upload_proof(name) -> dict:
	"""Attach proof of performance (``proof``, multipart: one or more files) to an own draft claim."""
	doc = get_own(MDF_CLAIM, name, "write")
	require_may_act(doc.partner)
	files = mdf_forms.uploaded_files()
	if not files:
		forms.raise_input_error({"proof": _("Choose a file.")})
	for filename, content in files:
		attach_proof(doc, filename, content)
	return {"name": doc.name, "proof": proof_of(doc)}


@frappe.whitelist(methods=["POST"])
def remove_proof(name, file) -> dict:
	"""Remove a proof file from an own draft claim."""
	doc = get_own(MDF_CLAIM, name, "write")
	require_may_act(doc.partner)
	if not isinstance(file, str) or not frappe.db.exists(
		"File", {"name": file, "attached_to_doctype": MDF_CLAIM, "attached_to_name": doc.name}
	):
		frappe.throw(_("This file is not attached to the claim."), frappe.PermissionError)
	frappe.delete_doc("File", file)  # the File rules: own draft claims only
	return {"name": doc.name, "proof": proof_of(doc)}


def summary(partner: str) -> dict:
	"""The dashboard's MDF figures for ``partner`` (already established by the caller): what its
	open budgets have available, per currency, and its requests and claims waiting for a decision."""
	available: dict[str, float] = {}
	for row in budget_rows(partner):
		if row.status == BUDGET_OPEN:
			available[row.currency] = round(available.get(row.currency, 0) + row.available, 2)
	waiting = frappe.db.count(MDF_REQUEST, {"partner": partner, "status": MDF_SUBMITTED}) + frappe.db.count(
		MDF_CLAIM, {"partner": partner, "status": MDF_SUBMITTED, "docstatus": 0}
	)
	return {"available": [{"currency": c, "amount": a} for c, a in available.items()], "waiting": waiting}
