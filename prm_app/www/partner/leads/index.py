"""/partner/leads: the leads the channel team offered the partner, by view (offered, accepted,
closed), with pages."""

import frappe
from frappe import _

from prm_app.api import leads
from prm_app.exceptions import PortalInputError
from prm_app.portal import pages, render
from prm_app.portal.text import plain

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(context, _("Leads"))
	view = frappe.form_dict.get("view")
	context.views = [("offered", _("Waiting for you")), ("accepted", _("Accepted")), ("closed", _("Closed"))]
	try:
		context.result = leads.get_leads(view=view or None, page=frappe.form_dict.get("page") or 1)
	except PortalInputError as e:
		frappe.clear_messages()
		context.form_error = plain(e)
		context.http_status_code = 417
		context.result = leads.get_leads()
	context.view = context.result["view"] or ""
	context.base_query = f"view={context.view}&" if context.view else ""
	render.render_page(context, "leads.html")
