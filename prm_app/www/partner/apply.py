"""/partner/apply: the public application form of the partner programme (guests welcome)."""

import frappe
from frappe import _

from prm_app.api import applications
from prm_app.portal import pages

no_cache = 1
sitemap = 0


def get_context(context):
	context.no_cache = 1
	context.show_sidebar = False
	pages.set_title(context, _("Become a Partner"))
	signed_in = frappe.session.user != "Guest"
	# a signed-in user's post carries the page's token (Frappe checks it); a guest has no session
	context.csrf_token = frappe.sessions.get_csrf_token() if signed_in else ""
	context.field_errors = {}
	context.values = frappe._dict()
	context.form_action = None
	context.form_error = None
	context.applied = frappe.form_dict.get("done") == "applied"
	context.notice = (
		_("Thank you: your application is received. The channel team reviews it and writes to you.")
		if context.applied
		else None
	)
	context.honeypot = applications.HONEYPOT
	pages.handle_post(context, {"apply": apply})
	context.form = frappe._dict(applications.get_application_form())
	if not context.form_action:
		context.values = frappe._dict(currency=context.form.default_currency)


def apply(form) -> str:
	skip = ("action", "csrf_token", "cmd")
	applications.submit_application(data={key: value for key, value in form.items() if key not in skip})
	return "/partner/apply?done=applied"
