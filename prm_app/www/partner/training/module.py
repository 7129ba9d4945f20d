"""/partner/training/<module>: the lessons, then the quiz (a plain form, graded on the server),
and the result of an attempt with what to revisit."""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import now_datetime

from prm_app.api import training
from prm_app.portal import pages, render
from prm_app.portal.training import answers_from_form

no_cache = 1
sitemap = 0


def breadcrumbs() -> list[dict]:
	return [
		{"route": "partner", "title": _("Partner Portal")},
		{"route": "partner/training", "title": _("Training")},
	]


def get_context(context):
	name = frappe.form_dict.get("name")
	pages.prepare(context, _("Training"), parents=breadcrumbs())
	module = training.get_module(name)  # before any form runs: a module meant for the caller
	context.module = frappe._dict(module)
	context.started_on = str(now_datetime())
	pages.handle_post(context, {"quiz": lambda form: submit(name, form, module["questions"])})
	attempt = frappe.form_dict.get("attempt")
	context.result = frappe._dict(training.get_attempt(attempt)) if attempt and not pages.is_post() else None
	pages.set_title(context, module["title"])
	render.render_page(context, "training_module.html")


def submit(name: str, form, questions: list[dict]) -> str:
	result = training.submit_quiz(name, answers_from_form(form, questions), form.get("started_on"))
	return f"/partner/training/{quote(name)}?attempt={result['name']}"
