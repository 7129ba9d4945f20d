"""/partner/leads/<name>/convert: register a deal from an accepted lead, the registration form
prefilled from the lead; submitted for review (and protected at once when PRM Settings says so)."""

import frappe
from frappe import _

from prm_app.api import leads
from prm_app.portal import forms, pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	name = frappe.form_dict.get("name")
	parents = [
		{"route": "partner", "title": _("Partner Portal")},
		{"route": "partner/leads", "title": _("Leads")},
		{"route": f"partner/leads/{name}", "title": _("Lead")},
	]
	pages.prepare(context, _("Register a Deal from a Lead"), parents=parents)
	conversion = leads.get_conversion(name)  # before any form runs: only an own, accepted lead
	context.lead_name = name
	context.lead_title = conversion["lead_title"]
	fields = forms.with_defaults(forms.registration_fields())
	context.sections = forms.sections(fields)
	pages.handle_post(context, {"convert": lambda form: convert(name, form)})
	if not context.form_action:
		defaults = {f.fieldname: f.default for f in forms.value_fields(fields) if f.get("default")}
		context.values = frappe._dict({**defaults, **conversion["values"]})
	render.render_page(context, "lead_convert.html")


def convert(name: str, form) -> str:
	result = leads.convert_lead(name, data=forms.posted_registration(form))
	return f"/partner/deals/{result['deal_registration']}?done=submitted"
