"""/partner/mdf: the partner's MDF budgets (allocated, reserved, claimed, paid, available), its
requests and claims."""

import frappe
from frappe import _

from prm_app.api import mdf
from prm_app.portal import mdf_forms, pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(context, _("Market Development Funds"))
	context.notice = mdf_forms.notices().get(frappe.form_dict.get("done")) or context.notice
	context.mdf = frappe._dict(mdf.get_mdf())
	render.render_page(context, "mdf.html")
