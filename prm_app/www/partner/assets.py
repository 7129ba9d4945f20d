"""/partner/assets: the asset library: what is published for the partner, by category and search;
a download is counted for the partner, then the file (or link) opens."""

from urllib.parse import urlencode

import frappe
from frappe import _

from prm_app.api import assets
from prm_app.exceptions import PortalInputError
from prm_app.portal import pages, render
from prm_app.portal.text import plain

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(context, _("Assets"))
	pages.handle_post(context, {"download": download})
	args = frappe.form_dict
	try:
		context.result = assets.get_assets(
			category=args.get("category") or None, search=args.get("q"), page=args.get("page") or 1
		)
	except PortalInputError as e:
		frappe.clear_messages()
		context.field_errors = e.errors
		context.form_error = plain(e)
		context.http_status_code = 417
		context.result = assets.get_assets()
	context.category = context.result["category"] or ""
	context.search = context.result["search"]
	query = {k: v for k, v in (("category", context.category), ("q", context.search)) if v}
	context.base_query = urlencode(query) + "&" if query else ""
	render.render_page(context, "assets.html")


def download(form) -> str:
	return assets.download_asset(name=form.get("asset"))["url"]
