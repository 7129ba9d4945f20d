"""/partner/leads/<name>: one lead offered to the partner: accept or decline it, report progress,
convert it into a deal registration."""

import frappe
from frappe import _

from prm_app.api import leads
from prm_app.portal import pages, render

no_cache = 1
sitemap = 0


def breadcrumbs() -> list[dict]:
	return [
		{"route": "partner", "title": _("Partner Portal")},
		{"route": "partner/leads", "title": _("Leads")},
	]


def get_context(context):
	name = frappe.form_dict.get("name")
	pages.prepare(context, _("Lead"), parents=breadcrumbs())
	leads.get_own_offer(name)  # before any form runs: only the caller's own offer
	pages.handle_post(
		context,
		{
			"accept": lambda form: respond(name, "accept", form),
			"decline": lambda form: respond(name, "decline", form),
			"progress": lambda form: progress(name, form),
		},
	)
	context.lead = frappe._dict(leads.get_lead(name))
	pages.set_title(context, context.lead.lead_title or context.lead.name)
	render.render_page(context, "lead.html")


def respond(name: str, answer: str, form) -> str:
	if answer == "accept":
		leads.accept_lead(name)
		return f"/partner/leads/{name}?done=lead_accepted"
	leads.decline_lead(name, reason=form.get("reason"))
	return f"/partner/leads/{name}?done=lead_declined"


def progress(name: str, form) -> str:
	leads.update_lead(name, progress=form.get("progress"), note=form.get("note"))
	return f"/partner/leads/{name}?done=lead_updated"
