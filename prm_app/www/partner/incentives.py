"""/partner/incentives: the partner's rebates, accrued, settled and pending, by period."""

import frappe
from frappe import _

from prm_app.api import incentives
from prm_app.portal import pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(context, _("Incentives"))
	context.incentives = frappe._dict(incentives.get_incentives())
	render.render_page(context, "incentives.html")
