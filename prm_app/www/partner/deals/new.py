"""/partner/deals/new: register a deal with the fields of the ``deal-registration`` Web Form, and
take at once any action the workflow grants on a new registration (submit it for review, as shipped)."""

import frappe
from frappe import _

from prm_app.api import deals
from prm_app.constants import DEAL_REGISTRATION, PENDING
from prm_app.portal import forms, pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	partner = pages.prepare(context, _("Register a Deal"), parents=pages.deals_breadcrumbs())
	web_form = frappe.get_cached_doc("Web Form", forms.REGISTRATION_WEB_FORM)
	context.introduction = web_form.introduction_text
	new = frappe.new_doc(DEAL_REGISTRATION)  # the user's defaults, then what the workflow offers
	context.sections = forms.sections(forms.with_defaults(forms.registration_fields(), new))
	context.actions = deals.new_registration_actions(partner, new)
	pages.handle_post(context, {"register": register})
	render.render_page(context, "new.html")


def register(form) -> str:
	data = forms.posted_registration(form)
	result = deals.register_deal(data=data, action=form.get("workflow_action") or None)
	done = "submitted" if result["status"] == PENDING else "registered"
	return f"/partner/deals/{result['name']}?done={done}"
