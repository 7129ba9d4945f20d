"""The MDF forms of the portal: which fields a request and a claim take from a partner, checking
what was posted field by field, and the uploaded proof files.

Only the fields named here are ever taken from a request (never the partner, a status, an amount
the channel team decides, or a payout); the documents' own rules (``MDF Request``, ``MDF Claim``)
run afterwards and their errors come back next to the field they are about.
"""

import frappe
from frappe import _
from frappe.utils import validate_email_address

from prm_app.constants import MDF_ACTIVITY_TYPE, MDF_BUDGET
from prm_app.exceptions import MDFAmountError, MDFCurrencyError, OverBudgetError, ProofOfPerformanceError
from prm_app.portal import forms
from prm_app.prm_app.doctype.mdf_request.mdf_request import TEXT_LIMIT

MAX_LEAD_ROWS = 10
LEAD_FIELDS = ("lead_name", "company_name", "email_id", "phone")


def field(fieldname, fieldtype, label, reqd=False, **kw) -> frappe._dict:
	return frappe._dict(
		fieldname=fieldname, fieldtype=fieldtype, label=label, reqd=reqd, max_length=140, **kw
	)


def request_fields(budgets: list, activity_types: list) -> list[frappe._dict]:
	"""The request form, in order (``budgets``: (name, label) pairs)."""
	return [
		field("budget", "Select", _("MDF budget"), True, choices=budgets),
		field("activity_type", "Select", _("Activity type"), True, choices=activity_types),
		field("title", "Data", _("Activity name"), True),
		field("start_date", "Date", _("Starts on"), True),
		field("end_date", "Date", _("Ends on"), True),
		field("description", "Small Text", _("Description")),
		field("planned_cost", "Currency", _("Planned total cost"), True),
		field("requested_amount", "Currency", _("Requested amount"), True),
		field("expected_leads", "Int", _("Expected leads")),
		field("expected_pipeline", "Currency", _("Expected pipeline")),
	]


def claim_fields() -> list[frappe._dict]:
	return [
		field("actual_cost", "Currency", _("Actual total cost"), True),
		field("claimed_amount", "Currency", _("Claimed amount"), True),
		field("description", "Small Text", _("What was done")),
	]


def activity_types() -> list[str]:
	return frappe.get_all(MDF_ACTIVITY_TYPE, filters={"disabled": 0}, pluck="name", order_by="name asc")


def parse(fields: list, data: dict) -> tuple[dict, dict]:
	"""(clean values, errors) for the posted ``data``."""
	values, errors = {}, {}
	for f in fields:
		raw = data.get(f.fieldname)
		if f.fieldtype == "Select":
			choices = [c[0] if isinstance(c, list | tuple) else c for c in f.choices or []]
			text = raw.strip() if isinstance(raw, str) else ""
			if not text:
				if f.reqd:
					errors[f.fieldname] = _("This field is required.")
				continue
			if text not in choices:
				errors[f.fieldname] = _("Choose one of the listed values.")
				continue
			values[f.fieldname] = text
			continue
		value, error = forms.parse_value(f, raw)
		if error:
			errors[f.fieldname] = error
		elif f.fieldtype in ("Small Text",) and value and len(value) > TEXT_LIMIT:
			errors[f.fieldname] = _("Keep this under {0} characters.").format(TEXT_LIMIT)
		else:
			values[f.fieldname] = value
	if "start_date" in values and "end_date" in values and values["end_date"] < values["start_date"]:
		errors["end_date"] = _("The activity cannot end before it starts.")
	return values, errors


def parse_leads(rows) -> tuple[list[dict], str | None]:
	"""Lead rows posted as a list of dicts; empty rows are skipped."""
	if rows in (None, ""):
		return [], None
	if isinstance(rows, str):
		try:
			rows = frappe.parse_json(rows)
		except ValueError:
			return [], _("The leads could not be read.")
	if not isinstance(rows, list) or len(rows) > 500:
		return [], _("The leads could not be read.")
	leads, problems = [], []
	for number, row in enumerate(rows, start=1):
		if not isinstance(row, dict):
			return [], _("The leads could not be read.")
		clean = {k: (str(row.get(k) or "").strip())[:140] for k in LEAD_FIELDS}
		if not any(clean.values()):
			continue
		if not clean["lead_name"]:
			problems.append(_("Row {0}: enter the person's name.").format(number))
		if clean["email_id"] and validate_email_address(clean["email_id"]) != clean["email_id"]:
			problems.append(
				_("Row {0}: {1} is not a valid e-mail address.").format(number, clean["email_id"])
			)
		leads.append({k: v or None for k, v in clean.items()})
	return leads, (" ".join(problems) or None)


def posted_leads(form: dict) -> list[dict]:
	"""Lead rows from an HTML form's ``lead_name_<n>``, ``company_name_<n>``, ... fields."""
	rows = []
	for n in range(MAX_LEAD_ROWS):
		row = {k: form.get(f"{k}_{n}") or "" for k in LEAD_FIELDS}
		if any(row.values()):
			rows.append(row)
	return rows


def uploaded_files(name: str = "proof") -> list[tuple[str, bytes]]:
	"""(file name, content) of each file posted as ``name`` (multipart)."""
	from prm_app.integrations.proof_files import max_bytes

	files = getattr(frappe.request, "files", None) if frappe.request else None
	found = []
	for upload in files.getlist(name) if files else []:
		if not upload or not upload.filename:
			continue
		found.append((upload.filename, upload.stream.read(max_bytes() + 1)))
	return found


# The documents' errors, shown next to the field they are about.
REQUEST_ERROR_FIELDS = ((OverBudgetError, "requested_amount"), (MDFAmountError, "requested_amount"))
CLAIM_ERROR_FIELDS = (
	(MDFAmountError, "claimed_amount"),
	(ProofOfPerformanceError, "proof"),
	(MDFCurrencyError, "claimed_amount"),
)


def field_of(e, pairs) -> str | None:
	return next((fieldname for cls, fieldname in pairs if isinstance(e, cls)), None)


def budget_label(row, figures, money) -> str:
	"""A budget as the request form's choice shows it."""
	available = money(figures.available, row.currency) if figures else ""
	return _("{0} {1} to {2}: {3} available").format(
		_(row.period_type),
		frappe.format(row.period_start, "Date"),
		frappe.format(row.period_end, "Date"),
		available,
	)


def own_open_budgets(partner: str) -> list[frappe._dict]:
	from prm_app.integrations.mdf_budget import open_budgets

	return open_budgets(partner)


def notices() -> dict[str, str]:
	"""Messages shown after a successful MDF form, by the code in ``?done=``."""
	return {
		"request_saved": _("The request is saved as a draft."),
		"request_action": _("The request is updated."),
		"claim_saved": _("The claim is saved as a draft."),
		"claim_action": _("The claim is updated."),
		"proof_added": _("The proof is attached."),
		"proof_removed": _("The file is removed."),
	}


def breadcrumbs() -> list[dict]:
	return [
		{"route": "partner", "title": _("Partner Portal")},
		{"route": "partner/mdf", "title": _("Market Development Funds")},
	]
