"""/partner/mdf/requests/new and /partner/mdf/requests/<name>/edit: request funds for an activity,
save it as a draft, or take at once an action the workflow grants (submit it, as shipped)."""

import frappe
from frappe import _

from prm_app import workflows
from prm_app.api import mdf
from prm_app.constants import MDF_REQUEST
from prm_app.integrations import mdf_budget
from prm_app.portal import mdf_forms, pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	name = frappe.form_dict.get("name")
	partner = pages.prepare(context, _("Request Funds"), parents=mdf_forms.breadcrumbs())
	mdf.require_may_act(partner)
	doc = None
	if name:
		doc = mdf.get_own(MDF_REQUEST, name, "write")
		if not mdf.can_edit(doc):
			frappe.throw(_("This request can no longer be edited."), frappe.PermissionError)
		pages.set_title(context, _("Edit {0}").format(doc.name))
	context.doc_name = name
	budgets = mdf_forms.own_open_budgets(partner)
	figures = mdf_budget.figures([b.name for b in budgets])
	choices = [(b.name, mdf_forms.budget_label(b, figures.get(b.name), pages.money)) for b in budgets]
	if doc and doc.budget not in {b.name for b in budgets}:
		choices.append((doc.budget, doc.budget))
	context.fields = mdf_forms.request_fields(choices, mdf_forms.activity_types())
	context.actions = [
		dict(t) for t in workflows.transitions(doc or new_request(partner), **mdf.REQUEST_ARGS)
	]
	context.form_values = (
		frappe._dict({f.fieldname: doc.get(f.fieldname) for f in context.fields}) if doc else frappe._dict()
	)
	pages.handle_post(context, {"save": lambda form: save(name, form)})
	render.render_page(context, "mdf_request_form.html")


def new_request(partner):
	doc = frappe.new_doc(MDF_REQUEST)
	doc.partner = partner
	return doc


def save(name, form) -> str:
	data = {
		key: value
		for key, value in form.items()
		if key not in ("action", "workflow_action", "csrf_token", "cmd")
	}
	result = mdf.save_request(data=data, name=name, action=form.get("workflow_action") or None)
	done = "request_action" if form.get("workflow_action") else "request_saved"
	return f"/partner/mdf/requests/{result['name']}?done={done}"
