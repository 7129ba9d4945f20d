"""/partner/deals/new: register a deal with the fields of the ``deal-registration`` Web Form."""

import frappe
from frappe import _

from prm_app.api import portal
from prm_app.portal import forms, pages

no_cache = 1
sitemap = 0


def get_context(context):
	pages.prepare(
		context,
		_("Register a Deal"),
		parents=pages.deals_breadcrumbs(),
	)
	web_form = frappe.get_cached_doc("Web Form", forms.REGISTRATION_WEB_FORM)
	context.introduction = web_form.introduction_text
	context.sections = sections(forms.with_defaults(forms.registration_fields()))
	pages.handle_post(context, {"register": register})


def register(form) -> str:
	data = {key: value for key, value in form.items() if key not in ("action", "submit", "cmd")}
	data[forms.ITEMS_FIELD] = forms.posted_items(form)
	result = portal.register_deal(data=data, submit=form.get("submit"))
	done = "submitted" if result["status"] == "Pending Review" else "registered"
	return f"/partner/deals/{result['name']}?done={done}"


def sections(fields: list) -> list[dict]:
	"""Group the form's fields into sections of columns, as the Web Form lays them out."""
	result = [{"label": None, "columns": [[]]}]
	for field in fields:
		if field.fieldtype == "Section Break":
			result.append({"label": field.label, "columns": [[]]})
		elif field.fieldtype == "Column Break":
			result[-1]["columns"].append([])
		else:
			result[-1]["columns"][-1].append(field)
	for section in result:
		section["columns"] = [column for column in section["columns"] if column]
	return [section for section in result if section["columns"]]
