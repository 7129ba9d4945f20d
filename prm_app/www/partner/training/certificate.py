"""/partner/training/certificate/<name>: a certificate of the caller's partner, to print."""

import frappe
from frappe import _

from prm_app.api import training
from prm_app.portal import pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(
		context,
		_("Certificate"),
		parents=[
			{"route": "partner", "title": _("Partner Portal")},
			{"route": "partner/training", "title": _("Training")},
		],
	)
	context.certificate = frappe._dict(training.get_certificate(frappe.form_dict.get("name")))
	pages.set_title(context, _("Certificate: {0}").format(context.certificate.certification_name))
	render.render_page(context, "training_certificate.html")
