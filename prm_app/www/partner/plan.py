"""/partner/plan: the joint business plan of a fiscal year: targets against actuals per quarter,
objectives, initiatives, risks and support, review notes and agreed versions; the Partner Admin
starts it, edits it where the workflow allows, and takes the workflow's actions."""

from urllib.parse import urlencode

import frappe
from frappe import _

from prm_app.api import plans
from prm_app.constants import QUARTERS
from prm_app.engine.plans import METRICS
from prm_app.portal import pages, render

no_cache = 1
sitemap = 0
BLANK_INITIATIVES = 3


def metric_labels() -> dict[str, str]:
	return {
		"revenue": _("Revenue"),
		"new_customers": _("New customers"),
		"registrations": _("Deal registrations"),
		"certified_people": _("Certified people"),
		"mdf_planned": _("MDF planned"),
	}


def get_context(context):
	pages.prepare(context, _("Business Plan"))
	year = frappe.form_dict.get("year")
	pages.handle_post(
		context,
		{
			"create": lambda form: create(form),
			"update": lambda form: update(form),
			"workflow": lambda form: act(form),
			"progress": lambda form: progress(form),
			"note": lambda form: note(form),
		},
	)
	context.data = frappe._dict(plans.get_plan(year))
	context.quarters = QUARTERS
	context.metrics = METRICS
	context.metric_labels = metric_labels()
	context.money_metrics = ("revenue", "mdf_planned")
	context.initiative_statuses = plans.INITIATIVE_STATUSES
	context.num = plain_number
	plan = context.data.plan
	if plan:
		context.figures = {(line["metric"], line["quarter"]): line for line in plan["figures"]["lines"]}
		context.blank_rows = BLANK_INITIATIVES
		pages.set_title(context, _("Business Plan {0}").format(context.data.fiscal_year))
	else:
		pages.set_title(context, _("Business Plan {0}").format(context.data.fiscal_year or ""))
	render.render_page(context, "plan.html")


def plain_number(value) -> str:
	"""A figure as typed: 1500000 rather than 1.5e+06, 2.5 rather than 2.50."""
	return (f"{float(value or 0):.2f}").rstrip("0").rstrip(".")


def back(year, done: str) -> str:
	return "/partner/plan?" + urlencode({"year": year or "", "done": done})


def create(form) -> str:
	result = plans.create_plan(fiscal_year=form.get("fiscal_year"))
	return back(result["fiscal_year"], "plan_created")


def year_of(name) -> str | None:
	return (
		frappe.db.get_value("Partner Business Plan", name, "fiscal_year") if isinstance(name, str) else None
	)


def posted_plan(form) -> dict:
	targets = {
		quarter: {metric: form.get(f"t_{quarter}_{metric}") for metric in METRICS} for quarter in QUARTERS
	}
	initiatives = []
	for n in range(plans.MAX_INITIATIVES):
		if f"i_{n}_initiative" not in form:
			continue
		initiatives.append(
			{
				"initiative": form.get(f"i_{n}_initiative") or "",
				"initiative_owner": form.get(f"i_{n}_owner") or "",
				"due_date": form.get(f"i_{n}_due") or "",
				"status": form.get(f"i_{n}_status") or "Not Started",
			}
		)
	return {
		"objectives": form.get("objectives"),
		"risks": form.get("risks"),
		"support_requested": form.get("support_requested"),
		"targets": targets,
		"initiatives": initiatives,
	}


def update(form) -> str:
	name = form.get("plan")
	plans.update_plan(name, data=posted_plan(form), action=form.get("workflow_action") or None)
	return back(year_of(name), "plan_saved")


def act(form) -> str:
	name = form.get("plan")
	plans.plan_action(name, action=form.get("workflow_action"))
	return back(year_of(name), "plan_action")


def progress(form) -> str:
	name = form.get("plan")
	statuses = {key[2:]: value for key, value in form.items() if key.startswith("s_")}
	plans.update_progress(
		name, statuses=statuses, risks=form.get("risks"), support_requested=form.get("support_requested")
	)
	return back(year_of(name), "plan_saved")


def note(form) -> str:
	name = form.get("plan")
	plans.add_review_note(name, quarter=form.get("quarter"), note=form.get("note"))
	return back(year_of(name), "plan_note")
