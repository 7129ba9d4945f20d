"""/partner/deals/<name>: one registration, its history, and what the workflow lets the partner do."""

import frappe
from frappe import _

from prm_app.api import deals
from prm_app.portal import pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	name = frappe.form_dict.get("name")
	pages.prepare(context, _("Deal Registration"), parents=pages.deals_breadcrumbs())
	doc = deals.get_own_registration(name)  # before any form runs: only the caller's own registration
	context.registration_name = name
	pages.handle_post(
		context,
		{
			"workflow": lambda form: act(name, form),
			"extension": lambda form: extend(name, form),
		},
	)
	# a form that ran and failed left the registration as it was (its changes were rolled back)
	context.deal = frappe._dict(deals.registration_view(doc))
	pages.set_title(context, _("{0}: {1}").format(context.deal.name, context.deal.company_name))
	render.render_page(context, "deal.html")


def act(name: str, form) -> str:
	deals.apply_action(name, form.get("workflow_action"))
	return f"/partner/deals/{name}?done=action"


def extend(name: str, form) -> str:
	deals.request_extension(name, days=form.get("days"), reason=form.get("reason"))
	return f"/partner/deals/{name}?done=extension"
