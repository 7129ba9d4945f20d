"""The admin's workflow, read for the app: which transitions a user has, and what each state means.

Admins shape workflows in the desk (states, actions, roles, conditions); the app never names an
action. What the app needs from a workflow is read here, for every partner-facing doctype:

- ``transitions(doc)``: the transitions the workflow grants the session user on ``doc`` in its
  current state (roles, conditions and self-approval as Frappe's own ``apply_workflow`` checks
  them), each with its style and whether it ends the document's life (the portal asks for a
  confirmation then);
- ``lifecycle_of(doctype, state)``: the app's own lifecycle status a workflow state stands for,
  from the state's "Update Field" / "Update Value" (or a state named like a status); an admin's
  intermediate state ("Needs Information") has none and leaves the lifecycle as it is;
- ``state_for(doctype, status)``: the workflow state that stands for a lifecycle status, for
  changes the system makes by itself (Won, Expired, conflict resolutions);
- ``can_edit(doc)``: whether the state lets the session user edit the document ("Only Allow Edit
  For").
"""

import frappe
from frappe.model.workflow import (
	apply_workflow,
	get_workflow_name,
	has_approval_access,
	is_transition_condition_satisfied,
)

from prm_app.permissions import per_request, request_memo

LIFECYCLE_FIELD = "status"
STATE_FIELD = "workflow_state"


def get_workflow(doctype: str):
	memo = request_memo()  # a page asks for the workflow many times
	if memo is not None and ("workflow", doctype) in memo:
		return memo["workflow", doctype]
	name = get_workflow_name(doctype)
	workflow = frappe.get_cached_doc("Workflow", name) if name else None
	if memo is not None:
		memo["workflow", doctype] = workflow
	return workflow


def state_field(doctype: str) -> str | None:
	workflow = get_workflow(doctype)
	return workflow.workflow_state_field if workflow else None


def current_state(doc) -> str | None:
	workflow = get_workflow(doc.doctype)
	if not workflow:
		return None
	return doc.get(workflow.workflow_state_field) or (workflow.states[0].state if workflow.states else None)


def state_row(workflow, state: str):
	return next((row for row in workflow.states if row.state == state), None)


def lifecycle_of(doctype: str, state: str | None, statuses=(), field: str = LIFECYCLE_FIELD) -> str | None:
	"""The lifecycle status (``field``) that ``state`` sets, or None when it leaves it alone."""
	workflow = get_workflow(doctype)
	row = state_row(workflow, state) if workflow and state else None
	if not row:
		return None
	if row.update_field == field and row.update_value:
		return row.update_value
	if not row.update_field and state in statuses:
		return state
	return None


def state_for(doctype: str, status: str, field: str = LIFECYCLE_FIELD) -> str | None:
	"""The workflow state that stands for lifecycle ``status`` (the first one, in workflow order)."""
	workflow = get_workflow(doctype)
	if not workflow:
		return None
	for row in workflow.states:
		if row.update_field == field and row.update_value == status:
			return row.state
	return next((row.state for row in workflow.states if row.state == status and not row.update_field), None)


def state_style(state: str | None) -> str:
	"""The Workflow State's style (Primary, Success, Danger, ...) for colouring it on a page."""
	if not state:
		return ""
	return per_request(
		("workflow_state_style", state),
		lambda: frappe.get_cached_value("Workflow State", state, "style") or "",
	)


def transitions(doc, closing_statuses=(), statuses=(), field: str = LIFECYCLE_FIELD) -> list[frappe._dict]:
	"""What the session user may do with ``doc`` now, as its workflow says."""
	workflow = get_workflow(doc.doctype)
	if not workflow:
		return []
	state = current_state(doc)
	roles = set(frappe.get_roles())
	user = frappe.session.user
	result, seen = [], set()
	for transition in workflow.transitions:
		if transition.state != state or transition.allowed not in roles or transition.action in seen:
			continue
		if not is_transition_condition_satisfied(transition, doc):
			continue
		if not has_approval_access(user, doc, transition):
			continue
		seen.add(transition.action)
		status = lifecycle_of(doc.doctype, transition.next_state, statuses, field)
		result.append(
			frappe._dict(
				action=transition.action,
				next_state=transition.next_state,
				style=state_style(transition.next_state),
				ends=bool(status and status in closing_statuses),
			)
		)
	return result


def action_into(doc, status: str, statuses=(), field: str = LIFECYCLE_FIELD) -> str | None:
	"""The action the workflow grants the session user now that leads ``doc`` into the lifecycle
	``status`` (code asks for where to go, never for an action by name); None when there is none."""
	for transition in transitions(doc, statuses=statuses, field=field):
		if lifecycle_of(doc.doctype, transition.next_state, statuses, field) == status:
			return transition.action
	return None


def take(doc, action: str, **kwargs):
	"""Apply ``action`` if the workflow grants it to the session user now; PermissionError else."""
	if action not in {t.action for t in transitions(doc, **kwargs)}:
		frappe.throw(frappe._("This action is not available."), frappe.PermissionError)
	return apply_workflow(doc, action)


def can_edit(doc) -> bool:
	"""Whether the workflow state of ``doc`` lets the session user edit it."""
	workflow = get_workflow(doc.doctype)
	if not workflow:
		return True
	# a state may be listed once per role that edits it (as Frappe's desk reads it)
	state = current_state(doc)
	roles = set(frappe.get_roles())
	return any(row.state == state and row.allow_edit in roles for row in workflow.states)
