"""/partner/scorecard: the partner's own scorecard."""

from frappe import _

from prm_app.api import scorecard
from prm_app.portal import pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(context, _("Scorecard"))
	context.scorecard = scorecard.get_scorecard()
	render.render_page(context, "scorecard.html")
