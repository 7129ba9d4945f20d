"""/partner/deals: the partner's deal registrations, with a status filter, search and pages."""

from urllib.parse import urlencode

import frappe
from frappe import _

from prm_app.api import deals
from prm_app.constants import REGISTRATION_STATUSES
from prm_app.exceptions import PortalInputError
from prm_app.portal import pages, render
from prm_app.portal.text import plain

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(context, _("Deal Registrations"))
	args = frappe.form_dict
	context.statuses = REGISTRATION_STATUSES
	try:
		context.result = deals.get_registrations(
			status=args.get("status") or None, search=args.get("q"), page=args.get("page") or 1
		)
	except PortalInputError as e:
		frappe.clear_messages()
		context.field_errors = e.errors
		context.form_error = plain(e)
		context.http_status_code = 417
		context.result = deals.get_registrations()
	context.status = args.get("status") if args.get("status") in REGISTRATION_STATUSES else ""
	context.search = args.get("q") if isinstance(args.get("q"), str) else ""
	query = {k: v for k, v in (("status", context.status), ("q", context.search)) if v}
	context.base_query = urlencode(query) + "&" if query else ""
	render.render_page(context, "deals.html")
