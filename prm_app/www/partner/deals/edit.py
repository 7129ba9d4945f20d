"""/partner/deals/<name>/edit: change an own registration where the workflow lets the partner edit
it (a draft as shipped; a state an admin adds for answering the channel team's questions)."""

import frappe
from frappe import _

from prm_app.api import deals
from prm_app.portal import forms, pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	name = frappe.form_dict.get("name")
	pages.prepare(context, _("Edit Registration"), parents=pages.deals_breadcrumbs())
	doc = deals.get_own_registration(name)  # before any form runs: only the caller's own registration
	if not deals.partner_may_edit(doc):
		frappe.throw(_("This registration can no longer be edited."), frappe.PermissionError)
	context.registration_name = name
	fields = forms.registration_fields()
	for field in fields:
		if field.fieldtype == "Table":
			field.rows_shown = max(field.rows_shown, len(doc.get(field.fieldname) or []) + 1)
	context.sections = forms.sections(fields)
	context.actions = deals.registration_actions(doc)
	pages.handle_post(context, {"update": lambda form: update(name, form)})
	if not context.form_action:
		context.values = forms.values_of(doc, fields)
	pages.set_title(context, _("Edit {0}").format(doc.name))
	render.render_page(context, "edit.html")


def update(name: str, form) -> str:
	deals.update_registration(
		name, data=forms.posted_registration(form), action=form.get("workflow_action") or None
	)
	return f"/partner/deals/{name}?done=saved"
