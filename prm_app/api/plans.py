"""The joint business plan on the portal (``/partner/plan``): read it with targets against actuals,
start it, edit it where the workflow lets the partner edit, take the workflow's actions, bring
initiatives up to date, add review notes.

Every method starts from the caller's own partner; changes need its Partner Admin
(``require_partner_admin``) and go through the plan's own permissions and rules; the actions are
what the admin's workflow grants the caller's roles (``prm_app.workflows``), never named here.
"""

import json

import frappe
from frappe import _
from frappe.query_builder import Order
from frappe.utils import flt, getdate, today

from prm_app import workflows
from prm_app.constants import BUSINESS_PLAN, PLAN_DRAFT, PLAN_STATUSES, QUARTERS
from prm_app.engine.plans import METRICS
from prm_app.exceptions import BusinessPlanError
from prm_app.integrations.plan_actuals import target_vs_actual
from prm_app.permissions import current_partner, is_partner_admin, require_partner_admin
from prm_app.portal import forms
from prm_app.portal.text import text, who
from prm_app.queries import param, prepared

TEXT_LIMIT = 5000
DATA_LIMIT = 140
MAX_INITIATIVES = 50
INITIATIVE_STATUSES = ("Not Started", "In Progress", "Done", "Blocked")
TRANSITION_ARGS = {"statuses": PLAN_STATUSES}
INTEGER_METRICS = ("new_customers", "registrations", "certified_people")


@prepared
def open_fiscal_years():
	year = frappe.qb.DocType("Fiscal Year")
	return (
		frappe.qb.from_(year)
		.select(year.name)
		.where(year.disabled == 0)
		.orderby(year.year_start_date, order=Order.desc)
	)


@prepared
def fiscal_years_on():
	year = frappe.qb.DocType("Fiscal Year")
	return (
		frappe.qb.from_(year)
		.select(year.name)
		.where(
			(year.disabled == 0)
			& (year.year_start_date <= param("day"))
			& (year.year_end_date >= param("day"))
		)
		.limit(1)
	)


def fiscal_years() -> list[str]:
	return [row[0] for row in open_fiscal_years(as_list=True)]


def current_fiscal_year() -> str | None:
	rows = fiscal_years_on(day=getdate(today()), as_list=True)
	return rows[0][0] if rows else (fiscal_years() or [None])[0]


def get_own_plan(name, ptype: str = "read", for_update: bool = False):
	partner = current_partner()
	denied = _("This business plan does not exist or belongs to another partner.")
	if not isinstance(name, str) or not name or not frappe.db.exists(BUSINESS_PLAN, name):
		frappe.throw(denied, frappe.PermissionError)
	doc = frappe.get_doc(BUSINESS_PLAN, name, for_update=for_update)
	if doc.partner != partner or not doc.has_permission(ptype):
		frappe.throw(denied, frappe.PermissionError)
	return doc


def plan_of(partner: str, fiscal_year: str) -> str | None:
	return frappe.db.get_value(BUSINESS_PLAN, {"partner": partner, "fiscal_year": fiscal_year}, "name")


def actions_of(doc) -> list[dict]:
	if not doc.has_permission("write"):
		return []
	return [dict(t) for t in workflows.transitions(doc, **TRANSITION_ARGS) if doc.may_take(t)]


def versions_of(doc, team: set) -> list[dict]:
	result = []
	for row in sorted(doc.versions, key=lambda r: r.version or 0, reverse=True):
		try:
			snapshot = json.loads(row.snapshot or "{}")
		except ValueError:
			snapshot = {}
		result.append(
			{
				"version": row.version,
				"agreed_on": row.agreed_on,
				"agreed_by": who(row.agreed_by, team),
				"objectives": text(snapshot.get("objectives")),
				"targets": snapshot.get("targets") or [],
			}
		)
	return result


@frappe.whitelist()
def get_plan(fiscal_year=None) -> dict:
	"""The caller's plan for a fiscal year (the current one by default), or what is needed to
	start it."""
	partner = current_partner()
	years = fiscal_years()
	fiscal_year = fiscal_year if fiscal_year in years else current_fiscal_year()
	name = plan_of(partner, fiscal_year) if fiscal_year else None
	admin = is_partner_admin(partner)
	base = {"fiscal_year": fiscal_year, "fiscal_years": years, "is_admin": admin}
	if not name:
		return {**base, "plan": None, "can_create": admin and bool(fiscal_year)}
	doc = get_own_plan(name)
	from prm_app.constants import PARTNER_USER

	team = set(frappe.get_all(PARTNER_USER, filters={"parent": partner}, pluck="user"))
	plan = {
		"name": doc.name,
		"status": doc.status,
		"workflow_state": doc.workflow_state,
		"state_style": workflows.state_style(doc.workflow_state),
		"version": doc.version,
		"currency": doc.currency,
		"objectives": text(doc.objectives),
		"risks": text(doc.risks),
		"support_requested": text(doc.support_requested),
		"submitted_side": doc.submitted_side,
		"targets": [{"quarter": row.quarter, **{m: flt(row.get(m)) for m in METRICS}} for row in doc.targets],
		"initiatives": [
			{
				"name": row.name,
				"initiative": text(row.initiative),
				"initiative_owner": text(row.initiative_owner),
				"due_date": row.due_date,
				"status": row.status,
			}
			for row in doc.initiatives
		],
		"reviews": [
			{
				"quarter": row.quarter,
				"note": text(row.note),
				"author": who(row.author, team),
				"side": row.side,
				"written_on": row.written_on,
			}
			for row in sorted(doc.reviews, key=lambda r: str(r.written_on or ""))
		],
		"versions": versions_of(doc, team),
		"figures": target_vs_actual(doc),
	}
	writable = admin and doc.has_permission("write")
	plan["can_edit"] = writable and doc.status == PLAN_DRAFT and workflows.can_edit(doc)
	plan["can_update"] = writable
	plan["actions"] = actions_of(doc) if admin else []
	return {**base, "plan": plan, "can_create": False}


@frappe.whitelist(methods=["POST"])
def create_plan(fiscal_year=None) -> dict:
	partner = require_partner_admin()
	if not isinstance(fiscal_year, str) or fiscal_year not in fiscal_years():
		forms.raise_input_error({"fiscal_year": _("Choose one of the listed fiscal years.")})
	if plan_of(partner, fiscal_year):
		frappe.throw(_("Your plan for {0} exists already.").format(fiscal_year), BusinessPlanError)
	if not frappe.has_permission(BUSINESS_PLAN, "create"):
		frappe.throw(_("You cannot start a business plan."), frappe.PermissionError)
	doc = frappe.new_doc(BUSINESS_PLAN)
	doc.partner = partner
	doc.fiscal_year = fiscal_year
	doc.insert()
	return {"name": doc.name, "fiscal_year": fiscal_year}


def number(value, integer: bool):
	if value in (None, ""):
		return 0, None
	try:
		result = int(str(value).strip()) if integer else float(str(value).replace(",", "").strip())
	except ValueError:
		return None, _("Enter a whole number.") if integer else _("Enter a number, such as 25000.")
	if result < 0 or result > 1e13:
		return None, _("Enter a number between 0 and {0}.").format(int(1e13))
	return result, None


def parse_text(data: dict, field: str, errors: dict, limit: int = TEXT_LIMIT):
	value = data.get(field)
	value = value.strip() if isinstance(value, str) else ""
	if len(value) > limit:
		errors[field] = _("Keep this under {0} characters.").format(limit)
	return value or None


def parse_initiatives(rows, errors: dict) -> list[dict]:
	if rows in (None, ""):
		return []
	if isinstance(rows, str):
		rows = frappe.parse_json(rows)
	if not isinstance(rows, list) or len(rows) > MAX_INITIATIVES:
		errors["initiatives"] = _("The initiatives could not be read.")
		return []
	result = []
	for n, row in enumerate(rows, start=1):
		if not isinstance(row, dict):
			errors["initiatives"] = _("The initiatives could not be read.")
			return []
		title = str(row.get("initiative") or "").strip()
		owner = str(row.get("initiative_owner") or "").strip()
		due = str(row.get("due_date") or "").strip()
		status = str(row.get("status") or "Not Started").strip()
		if not (title or owner or due):
			continue
		if not title or len(title) > DATA_LIMIT or len(owner) > DATA_LIMIT:
			errors["initiatives"] = _("Row {0}: name the initiative (under {1} characters).").format(
				n, DATA_LIMIT
			)
			continue
		if status not in INITIATIVE_STATUSES:
			errors["initiatives"] = _("Row {0}: choose one of the listed statuses.").format(n)
			continue
		try:
			due_date = getdate(due) if due else None
		except Exception:
			errors["initiatives"] = _("Row {0}: enter the due date as YYYY-MM-DD.").format(n)
			continue
		result.append(
			{"initiative": title, "initiative_owner": owner or None, "due_date": due_date, "status": status}
		)
	return result


@frappe.whitelist(methods=["POST"])
def update_plan(name, data=None, action=None) -> dict:
	"""Change an own plan where the workflow lets the partner edit it (Draft as shipped): objectives,
	quarterly targets, initiatives, risks, the support asked for; then optionally take an action."""
	require_partner_admin()
	doc = get_own_plan(name, "write", for_update=True)
	if not (doc.status == PLAN_DRAFT and workflows.can_edit(doc)):
		frappe.throw(
			_("This plan can no longer be edited: ask for changes, or revise it."), frappe.PermissionError
		)
	data = frappe.parse_json(data) if data else {}
	data = data if isinstance(data, dict) else {}
	errors = {}
	targets = data.get("targets") or {}
	targets = targets if isinstance(targets, dict) else {}
	for row in doc.targets:
		values = targets.get(row.quarter) or {}
		values = values if isinstance(values, dict) else {}
		for metric in METRICS:
			value, error = number(values.get(metric), metric in INTEGER_METRICS)
			if error:
				errors[f"{row.quarter}_{metric}"] = error
			else:
				row.set(metric, value)
	doc.objectives = parse_text(data, "objectives", errors)
	doc.risks = parse_text(data, "risks", errors)
	doc.support_requested = parse_text(data, "support_requested", errors)
	initiatives = parse_initiatives(data.get("initiatives"), errors)
	if errors:
		forms.raise_input_error(errors)
	doc.set("initiatives", initiatives)
	doc.save()
	if isinstance(action, str) and action:
		doc = take(doc, action)
	return {"name": doc.name, "status": doc.status, "workflow_state": doc.workflow_state}


def take(doc, action: str):
	if action not in {t["action"] for t in actions_of(doc)}:
		frappe.throw(_("This action is not available."), frappe.PermissionError)
	return workflows.take(doc, action, **TRANSITION_ARGS)


@frappe.whitelist(methods=["POST"])
def plan_action(name, action=None) -> dict:
	"""Take a workflow action on an own plan (the ones ``get_plan`` lists)."""
	require_partner_admin()
	doc = get_own_plan(name, "write")
	if not isinstance(action, str) or not action:
		frappe.throw(_("This action is not available."), frappe.PermissionError)
	doc = take(doc, action)
	return {
		"name": doc.name,
		"status": doc.status,
		"workflow_state": doc.workflow_state,
		"version": doc.version,
	}


@frappe.whitelist(methods=["POST"])
def update_progress(name, statuses=None, risks=None, support_requested=None) -> dict:
	"""Bring an own plan up to date in any state: each initiative's status, the risks and the
	support asked for (objectives and targets stay as submitted or agreed)."""
	require_partner_admin()
	doc = get_own_plan(name, "write", for_update=True)
	statuses = frappe.parse_json(statuses) if isinstance(statuses, str) and statuses else statuses or {}
	errors = {}
	if not isinstance(statuses, dict):
		statuses = {}
	rows = {row.name: row for row in doc.initiatives}
	for row_name, status in statuses.items():
		if row_name not in rows or status not in INITIATIVE_STATUSES:
			errors["initiatives"] = _("Choose one of the listed statuses for each initiative.")
			continue
		rows[row_name].status = status
	data = {"risks": risks, "support_requested": support_requested}
	doc.risks = parse_text(data, "risks", errors)
	doc.support_requested = parse_text(data, "support_requested", errors)
	if errors:
		forms.raise_input_error(errors)
	doc.save()
	return {"name": doc.name}


@frappe.whitelist(methods=["POST"])
def add_review_note(name, quarter=None, note=None) -> dict:
	"""Add a review note to an own plan, for a quarter (in any state; notes are never changed)."""
	require_partner_admin()
	doc = get_own_plan(name, "write", for_update=True)
	note = note.strip() if isinstance(note, str) else ""
	errors = {}
	if quarter not in QUARTERS:
		errors["quarter"] = _("Choose a quarter.")
	if not note:
		errors["note"] = _("Write the note.")
	elif len(note) > TEXT_LIMIT:
		errors["note"] = _("Keep this under {0} characters.").format(TEXT_LIMIT)
	if errors:
		forms.raise_input_error(errors, {"quarter": _("Quarter"), "note": _("Note")})
	doc.add_review_note(quarter, note)
	return {"name": doc.name}
