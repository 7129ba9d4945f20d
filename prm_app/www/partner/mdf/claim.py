"""/partner/mdf/claims/<name>: one MDF claim, its proof of performance, leads and history; upload
or remove proof while it is a draft, and what the workflow lets the partner do with it."""

import frappe
from frappe import _

from prm_app.api import mdf
from prm_app.constants import MDF_CLAIM
from prm_app.portal import mdf_forms, pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	name = frappe.form_dict.get("name")
	pages.prepare(context, _("MDF Claim"), parents=mdf_forms.breadcrumbs())
	context.notice = mdf_forms.notices().get(frappe.form_dict.get("done")) or context.notice
	mdf.get_own(MDF_CLAIM, name)  # before any form runs: only the caller's own claim
	pages.handle_post(
		context,
		{
			"workflow": lambda form: act(name, form),
			"upload": lambda form: upload(name),
			"remove": lambda form: remove(name, form),
		},
	)
	context.claim = frappe._dict(mdf.get_claim(name))
	pages.set_title(context, _("{0}: {1}").format(context.claim.name, context.claim.request_title))
	render.render_page(context, "mdf_claim.html")


def act(name: str, form) -> str:
	mdf.claim_action(name, form.get("workflow_action"))
	return f"/partner/mdf/claims/{name}?done=claim_action"


def upload(name: str) -> str:
	mdf.upload_proof(name)
	return f"/partner/mdf/claims/{name}?done=proof_added"


def remove(name: str, form) -> str:
	mdf.remove_proof(name, form.get("file"))
	return f"/partner/mdf/claims/{name}?done=proof_removed"
