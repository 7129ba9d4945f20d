"""/partner/profile: the partner's public details; a Partner Admin edits them."""

import frappe
from frappe import _

from prm_app.api import profile
from prm_app.portal import forms, pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(context, _("Company Profile"))
	context.countries = forms.link_choices("Country") or []
	pages.handle_post(context, {"profile": save})
	context.profile = frappe._dict(profile.get_profile())
	context.website_url = safe_url(context.profile.website)
	render.render_page(context, "profile.html")


def save(form) -> str:
	values = {key: form.get(key) for key in (*profile.PROFILE_FIELDS, *profile.ADDRESS_FIELDS, "remove_logo")}
	profile.update_profile(**values)
	return "/partner/profile?done=profile"


def safe_url(url: str | None) -> str | None:
	"""A website to link to: http(s) only, never a script URL."""
	return url if url and url.lower().startswith(("https://", "http://")) else None
