"""/partner: the partner's dashboard."""

from frappe import _

from prm_app.api import dashboard
from prm_app.portal import pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(context, _("Partner Dashboard"), parents=[])
	context.dashboard = dashboard.get_dashboard()
	render.render_page(context, "dashboard.html")
