"""/partner/training: the modules the user may take, progress, attempts left, certificates (and the
team's, for a Partner Admin)."""

from frappe import _

from prm_app.api import training
from prm_app.portal import pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(context, _("Training"))
	context.training = training.get_training()
	render.render_page(context, "training.html")
