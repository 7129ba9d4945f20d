"""/partner/agreement: the partner agreement in force; a partner user who has not accepted it is
sent here from every other portal page, and accepts it here."""

import frappe
from frappe import _

from prm_app.api import agreement
from prm_app.portal import pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(context, _("Partner Agreement"), agreement_page=True)
	pages.handle_post(context, {"accept": accept})
	context.data = frappe._dict(agreement.get_agreement())
	# nothing else of the portal is reachable until the agreement is accepted: no menu either
	context.show_sidebar = not context.data.pending
	render.render_page(context, "agreement.html")


def accept(form) -> str:
	agreement.accept_agreement(version=form.get("agreement"))
	return "/partner?done=agreement"
