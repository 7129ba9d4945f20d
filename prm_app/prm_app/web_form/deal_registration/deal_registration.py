"""The fields of the portal's deal registration form.

The partner portal renders this Web Form itself, on the server, at ``/partner/deals/new``
(``prm_app.portal.forms``), and submits it through ``prm_app.api.deals.register_deal``, which sets
the partner, checks permissions and every value, and rate-limits per user. The Web Form stays
unpublished, so Frappe's own page and its ``accept`` endpoint are not how partners register deals.
"""

import frappe


def get_context(context):
	# Not published: should someone publish it, send them to the portal's form.
	frappe.local.flags.redirect_location = "/partner/deals/new"
	raise frappe.Redirect(302)
