"""Deal registrations on the portal (``/partner/deals``): list, read, register, edit, act, extend.

Every method starts from the caller's own partner (``current_partner``) and reaches registrations
through the document's own permissions; what a partner may do with a registration is what the
admin's workflow grants its roles in the registration's state (``prm_app.workflows``): no action
is named here.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import cint
from pypika.analytics import Count as AnalyticCount
from pypika.terms import Star

from prm_app import workflows
from prm_app.constants import (
	APPROVED,
	CLOSED_STATUSES,
	DEAL_REGISTRATION,
	PARTNER,
	PARTNER_USER,
	PENDING,
	REGISTRATION_STATUSES,
	UNDER_REVIEW,
)
from prm_app.exceptions import InvalidCloseDateError, ItemNotSellableError
from prm_app.permissions import current_partner, stored_owner
from prm_app.portal import forms, metrics
from prm_app.portal import history as portal_history
from prm_app.portal.history import team_of
from prm_app.portal.text import as_text, plain, text, who
from prm_app.prm_app.doctype.deal_registration.deal_registration import CONTENT_FIELDS, TEXT_LIMIT
from prm_app.queries import param, prepared

PAGE_LENGTH = 20
MAX_PAGE_LENGTH = 100
SEARCH_FIELDS = ("name", "company_name", "contact_name", "domain")
LIST_FIELDS = (
	"name",
	"company_name",
	"status",
	"workflow_state",
	"conflict_status",
	"expected_value",
	"currency",
	"expected_close_date",
	"registered_on",
	"protection_until",
	"modified",
)
DETAIL_FIELDS = (
	"name",
	"status",
	"workflow_state",
	*CONTENT_FIELDS,
	"registered_on",
	"protection_until",
	"decision_reason",
	"creation",
)
# Named errors of the document's own validation, shown next to the field they are about.
FIELD_OF_ERROR = (
	(InvalidCloseDateError, "expected_close_date"),
	(ItemNotSellableError, "items"),
)
TRANSITION_ARGS = {"closing_statuses": CLOSED_STATUSES, "statuses": REGISTRATION_STATUSES}


def get_own_registration(name, ptype: str = "read", for_update: bool = False):
	"""The caller's own registration; one PermissionError, whether it is another partner's or absent."""
	partner = current_partner()
	denied = _("This deal registration does not exist or belongs to another partner.")
	# one question answers both "does it exist" and "whose is it" (the permission hooks reuse it)
	if not isinstance(name, str) or not name or stored_owner(DEAL_REGISTRATION, name, "partner") != partner:
		frappe.throw(denied, frappe.PermissionError)
	doc = frappe.get_doc(DEAL_REGISTRATION, name, for_update=for_update)
	if doc.partner != partner or not frappe.has_website_permission(doc) or not doc.has_permission(ptype):
		frappe.throw(denied, frappe.PermissionError)
	return doc


def is_under_review(row) -> bool:
	"""A submitted registration whose conflict check found something: the partner learns only that
	the channel team is looking at it, never what was found or whose it is."""
	return row.get("status") == PENDING and row.get("conflict_status") in UNDER_REVIEW


def list_page(condition, limit, offset, counted: bool = False):
	"""A page of the list: its names from the (partner[, status], modified) index alone, then only
	their rows (a later page skips index entries, not whole rows). ``counted``: each row also
	carries ``total``, the number of rows matching ``condition`` (counted in the same scan)."""
	table = frappe.qb.DocType(DEAL_REGISTRATION)
	names = [table.name, AnalyticCount(Star()).over().as_("total")] if counted else [table.name]
	page_names = (
		frappe.qb.from_(table)
		.select(*names)
		.where(condition)
		.orderby(table.modified, order=frappe.qb.desc)
		.orderby(table.name, order=frappe.qb.desc)
		.limit(limit)
		.offset(offset)
	).as_("page_names")
	return (
		frappe.qb.from_(table)
		.join(page_names)
		.on(table.name == page_names["name"])
		.select(*(table[field] for field in LIST_FIELDS), *([page_names.total] if counted else []))
		.orderby(table.modified, order=frappe.qb.desc)
		.orderby(table.name, order=frappe.qb.desc)
	)


@prepared
def partner_page():
	table = frappe.qb.DocType(DEAL_REGISTRATION)
	return list_page(table.partner == param("partner"), param("limit"), param("offset"))


@prepared
def status_page():
	table = frappe.qb.DocType(DEAL_REGISTRATION)
	return list_page(
		(table.partner == param("partner")) & (table.status == param("status")),
		param("limit"),
		param("offset"),
	)


@frappe.whitelist()
def get_registrations(status=None, search=None, page=1, page_length=PAGE_LENGTH) -> dict:
	"""The caller's registrations, newest first, with an optional status filter and search."""
	partner = current_partner()
	errors = {}
	if status and status not in REGISTRATION_STATUSES:
		errors["status"] = _("Choose one of the listed statuses.")
	search = (search or "").strip() if isinstance(search, str) else ""
	if len(search) > 140:
		errors["search"] = _("Keep the search under 140 characters.")
	if errors:
		forms.raise_input_error(errors)
	page = max(cint(page), 1)
	page_length = min(max(cint(page_length), 1), MAX_PAGE_LENGTH)

	table = frappe.qb.DocType(DEAL_REGISTRATION)
	condition = table.partner == partner  # the caller's own partner, established above
	if status:
		condition &= table.status == status
	if search:
		like = f"%{search}%"
		matches = [table[field].like(like) for field in SEARCH_FIELDS]
		either = matches[0]
		for match in matches[1:]:
			either |= match
		condition &= either
	else:
		# the partner's counts per status, kept until one of its registrations changes
		counts = metrics.cached_registration_counts(partner)
		total = counts.get(status, 0) if status else sum(counts.values())
	window = {"limit": page_length, "offset": (page - 1) * page_length}
	if search:
		# the matches are read once: the page's rows carry their count (a search's cost is its
		# partner's rows, read by one scan instead of two)
		rows = list_page(condition, window["limit"], window["offset"], counted=True).run(as_dict=True)
		if rows:
			total = rows[0].pop("total")
			for row in rows[1:]:
				row.pop("total")
		elif window["offset"]:  # past the last page: nothing to count with
			total = frappe.qb.from_(table).select(Count(table.name)).where(condition).run()[0][0]
		else:
			total = 0
	elif status:
		rows = status_page(partner=partner, status=status, **window)
	else:
		rows = partner_page(partner=partner, **window)
	for row in rows:
		row.under_review = is_under_review(row)
		row.pop("conflict_status", None)
		row.state_style = workflows.state_style(row.workflow_state)
		as_text(row)
	return {
		"rows": rows,
		"total": total,
		"page": page,
		"page_length": page_length,
		"pages": max((total + page_length - 1) // page_length, 1),
		"status": status or None,
		"search": search,
	}


def registration_history(doc, team: set[str] | None = None) -> list[dict]:
	"""What happened to the registration: workflow steps and system notes, oldest first."""
	team = team_of(doc.partner) if team is None else team
	comments = portal_history.comments_of(doc)
	history = [{"when": doc.creation, "what": _("Registration created"), "who": who(doc.owner, team)}]
	for comment in comments:
		line = plain(comment.content)
		if doc.channel_conflict:
			line = line.replace(doc.channel_conflict, "").replace("  ", " ")
		if comment.comment_type == "Workflow":
			line = _("Moved to {0}").format(_(line))
		history.append({"when": comment.creation, "what": line, "who": who(comment.owner, team)})
	return history


def partner_may_edit(doc) -> bool:
	return doc.has_permission("write") and doc.partner_may_edit(doc)


@frappe.whitelist()
def get_registration(name) -> dict:
	"""One registration as the partner may see it: never conflict evidence or internal fields."""
	return registration_view(get_own_registration(name))


def registration_actions(doc) -> list[dict]:
	"""What the workflow lets the caller do with its own registration ``doc`` now."""
	return (
		[dict(t) for t in workflows.transitions(doc, **TRANSITION_ARGS)]
		if doc.has_permission("write")
		else []
	)


def registration_view(doc) -> dict:
	"""``get_registration`` of a registration ``get_own_registration`` has loaded."""
	view = {field: text(doc.get(field)) for field in DETAIL_FIELDS}
	view["state_style"] = workflows.state_style(doc.workflow_state)
	view["under_review"] = is_under_review(doc)
	view["items"] = [
		{"item_code": row.item_code, "item_name": text(row.item_name), "qty": row.qty, "amount": row.amount}
		for row in doc.items
	]
	team = team_of(doc.partner)
	view["extensions"] = [
		{
			"requested_on": row.requested_on,
			"requested_by": who(row.requested_by, team),
			"days": row.days,
			"reason": text(row.reason),
			"decision": row.decision,
			"decided_on": row.decided_on,
		}
		for row in doc.extensions
	]
	shown = {"name", "status", *DETAIL_FIELDS}
	view["extra"] = [
		{"label": field.label, "value": text(doc.get(field.fieldname))}
		for field in forms.value_fields(forms.registration_fields(choices=False))
		if field.fieldname not in shown and field.fieldtype != "Table" and doc.get(field.fieldname)
	]
	view["history"] = registration_history(doc, team)
	view["actions"] = registration_actions(doc)
	may_write = doc.has_permission("write")
	view["can_edit"] = may_write and doc.partner_may_edit(doc)
	view["can_request_extension"] = (
		doc.status == APPROVED and may_write and not any(row.decision == "Pending" for row in doc.extensions)
	)
	return view


def new_registration_actions(partner: str, doc=None) -> list[dict]:
	"""What the workflow lets the caller do with a registration it is about to create (the portal
	offers these beside "Save as draft"); ``doc``: the new registration, when the caller made one."""
	doc = doc or frappe.new_doc(DEAL_REGISTRATION)
	doc.partner = partner
	return [dict(t) for t in workflows.transitions(doc, **TRANSITION_ARGS)]


def field_error_of(e) -> str | None:
	return next((field for cls, field in FIELD_OF_ERROR if isinstance(e, cls)), None)


def save_with_action(doc, action: str | None, insert: bool = False):
	"""Insert or save ``doc``, then take ``action`` (if any); errors of its own fields come back as
	field errors."""
	try:
		doc.insert() if insert else doc.save()
		if action:
			doc = workflows.take(doc, action, **TRANSITION_ARGS)
	except tuple(cls for cls, _field in FIELD_OF_ERROR) as e:
		forms.raise_input_error({field_error_of(e): plain(e)})
	return doc


def submit_action(doc) -> str | None:
	"""The transition that submits ``doc`` for review (the one leading to Pending Review), for
	callers that ask to "register and submit" without naming an action."""
	action = workflows.action_into(doc, PENDING, statuses=REGISTRATION_STATUSES)
	if action:
		return action
	frappe.throw(_("The workflow does not let you submit this registration."), frappe.PermissionError)


@frappe.whitelist(methods=["POST"])
def register_deal(data=None, action=None, submit=0) -> dict:
	"""Register a deal for the caller's partner from the registration form's fields.

	``data``: the form's values (a dict or JSON); ``action``: a workflow action to take at once
	(one the workflow grants on a new registration); ``submit=1``: the action that submits it.
	The partner is always the caller's own; fields the form does not show are ignored.
	"""
	partner = current_partner()
	if not frappe.has_permission(DEAL_REGISTRATION, "create"):
		frappe.throw(_("You cannot register deals."), frappe.PermissionError)
	# the per-user rate limit is checked when the registration is inserted (limit_registrations)
	values, items = forms.parse_registration(frappe.parse_json(data) if data else {})
	doc = frappe.new_doc(DEAL_REGISTRATION)
	doc.update(values)
	doc.partner = partner
	for row in items:
		doc.append("items", row)
	if action and not isinstance(action, str):
		frappe.throw(_("This action is not available."), frappe.PermissionError)
	doc = save_with_action(doc, None, insert=True)
	if cint(submit) and not action:
		action = submit_action(doc)
	if action:
		doc = save_with_action(doc, action)
	return {"name": doc.name, "status": doc.status, "workflow_state": doc.workflow_state}


@frappe.whitelist(methods=["POST"])
def update_registration(name, data=None, action=None) -> dict:
	"""Change an own registration where the workflow lets the partner edit it (a draft; a state an
	admin adds for answering the channel team's questions), then optionally take an action."""
	doc = get_own_registration(name, "write", for_update=True)
	if not partner_may_edit(doc):
		frappe.throw(_("This registration can no longer be edited."), frappe.PermissionError)
	values, items = forms.parse_registration(frappe.parse_json(data) if data else {}, doc)
	doc.update(values)
	doc.set("items", [])
	for row in items:
		doc.append("items", row)
	doc = save_with_action(doc, action if isinstance(action, str) and action else None)
	return {"name": doc.name, "status": doc.status, "workflow_state": doc.workflow_state}


@frappe.whitelist(methods=["POST"])
def apply_action(name, action) -> dict:
	"""Take a workflow action on an own registration: one the workflow grants now (the portal lists
	them with ``get_registration``)."""
	doc = get_own_registration(name, "write")
	if not isinstance(action, str) or not action:
		frappe.throw(_("This action is not available."), frappe.PermissionError)
	doc = workflows.take(doc, action, **TRANSITION_ARGS)
	return {"name": doc.name, "status": doc.status, "workflow_state": doc.workflow_state}


@frappe.whitelist(methods=["POST"])
def request_extension(name, days=None, reason=None) -> dict:
	"""Ask for a longer protection of an own, approved registration."""
	doc = get_own_registration(name, "write")
	errors = {}
	try:
		number = int(str(days).strip())
	except ValueError:
		number = 0
	if not 1 <= number <= 365:
		errors["days"] = _("Ask for between 1 and 365 days.")
	reason = reason.strip() if isinstance(reason, str) else ""
	if not reason:
		errors["reason"] = _("Give a reason for the extension.")
	elif len(reason) > TEXT_LIMIT:
		errors["reason"] = _("Keep this under {0} characters.").format(TEXT_LIMIT)
	if errors:
		forms.raise_input_error(errors, {"days": _("Days"), "reason": _("Reason")})
	doc.request_extension(number, reason)
	return {"name": doc.name}
