"""/partner/mdf/claims/new?request=<name> and /partner/mdf/claims/<name>/edit: claim against an
approved request: the actual cost, the amount claimed, the leads generated and the proof of
performance (uploaded with the form); save it as a draft or take an action the workflow grants."""

import frappe
from frappe import _

from prm_app import workflows
from prm_app.api import mdf
from prm_app.constants import APPROVED, MDF_CLAIM, MDF_REQUEST
from prm_app.exceptions import MDFStateError
from prm_app.integrations import proof_files
from prm_app.portal import mdf_forms, pages, render

no_cache = 1
sitemap = 0


def get_context(context):
	name = frappe.form_dict.get("name")
	partner = pages.prepare(context, _("File a Claim"), parents=mdf_forms.breadcrumbs())
	mdf.require_may_act(partner)
	if name:
		doc = mdf.get_own(MDF_CLAIM, name, "write")
		if not mdf.can_edit(doc):
			frappe.throw(_("This claim can no longer be edited."), frappe.PermissionError)
		request = mdf.get_own(MDF_REQUEST, doc.mdf_request)
		pages.set_title(context, _("Edit {0}").format(doc.name))
	else:
		doc = None
		request = mdf.get_own(MDF_REQUEST, frappe.form_dict.get("request"))
		if request.status != APPROVED:
			frappe.throw(_("Claims are made against approved requests only."), MDFStateError)
	context.doc_name = name
	context.request_doc = request
	context.fields = mdf_forms.claim_fields()
	context.lead_rows = range(mdf_forms.MAX_LEAD_ROWS)
	context.limits = {
		"types": ", ".join(proof_files.accepted_types()),
		"mb": proof_files.max_bytes() // (1024 * 1024),
	}
	if not doc:
		doc = frappe.new_doc(MDF_CLAIM)
		doc.partner, doc.mdf_request = partner, request.name
	context.actions = [dict(t) for t in workflows.transitions(doc, **mdf.CLAIM_ARGS)]
	context.form_values = stored_values(doc, context.fields) if name else frappe._dict()
	pages.handle_post(context, {"save": lambda form: save(name, request.name, form)})
	render.render_page(context, "mdf_claim_form.html")


def stored_values(doc, fields) -> frappe._dict:
	values = frappe._dict({f.fieldname: doc.get(f.fieldname) for f in fields})
	for n, row in enumerate(doc.leads):
		for key in mdf_forms.LEAD_FIELDS:
			values[f"{key}_{n}"] = row.get(key)
	return values


def save(name, request, form) -> str:
	data = {key: form.get(key) for key in ("actual_cost", "claimed_amount", "description")}
	data["mdf_request"] = request
	data["leads"] = mdf_forms.posted_leads(form)
	result = mdf.save_claim(data=data, name=name, action=form.get("workflow_action") or None)
	done = "claim_action" if form.get("workflow_action") else "claim_saved"
	return f"/partner/mdf/claims/{result['name']}?done={done}"
