"""/partner/mdf/requests/<name>: one MDF request, its claims and history, and what the workflow
lets the partner do with it."""

import frappe
from frappe import _

from prm_app.api import mdf
from prm_app.constants import MDF_REQUEST
from prm_app.portal import mdf_forms, pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	name = frappe.form_dict.get("name")
	pages.prepare(context, _("MDF Request"), parents=mdf_forms.breadcrumbs())
	context.notice = mdf_forms.notices().get(frappe.form_dict.get("done")) or context.notice
	mdf.get_own(MDF_REQUEST, name)  # before any form runs: only the caller's own request
	pages.handle_post(context, {"workflow": lambda form: act(name, form)})
	context.request_doc = frappe._dict(mdf.get_request(name))
	pages.set_title(context, _("{0}: {1}").format(context.request_doc.name, context.request_doc.title))
	render.render_page(context, "mdf_request.html")


def act(name: str, form) -> str:
	mdf.request_action(name, form.get("workflow_action"))
	return f"/partner/mdf/requests/{name}?done=request_action"
