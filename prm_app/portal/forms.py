"""Portal forms: which fields a form shows, and turning what was posted into clean values.

The deal registration form is the standard Web Form ``deal-registration``: its fields, labels,
order, sections and which ones are mandatory. Custom fields an admin adds to Deal Registration
with Customize Form at permission level 0 (the level partners can write anyway) are shown after
them, so the form grows without code; a custom field meant for the channel team only belongs at
level 1 and stays off the portal.

The pages render the form on the server, so it works without JavaScript, and every posted value
is checked here, field by field, before the document's own validation runs. Fields the form does
not show are never taken from a request.
"""

import functools
import html
import math
from datetime import date

import frappe
from frappe import _
from frappe.translate import get_all_translations
from frappe.utils import cint
from markupsafe import Markup, escape

from prm_app.constants import DEAL_REGISTRATION
from prm_app.exceptions import PortalInputError
from prm_app.prm_app.doctype.deal_registration.deal_registration import (
	CONTENT_FIELDS,
	TEXT_LIMIT,
	field_errors,
	sellable_item_filters,
)

REGISTRATION_WEB_FORM = "deal-registration"
ITEMS_FIELD = "items"

LAYOUT_TYPES = ("Section Break", "Column Break")
TEXT_TYPES = ("Small Text", "Text", "Long Text")
NUMBER_TYPES = ("Currency", "Float", "Int")
VALUE_TYPES = ("Data", "Select", "Link", "Date", "Check", *TEXT_TYPES, *NUMBER_TYPES)

# Master data a partner may pick from a list without holding read rights on it.
PUBLIC_MASTERS = frozenset({"Country", "Currency", "Territory", "Industry Type", "Market Segment"})
MAX_CHOICES = 500
MAX_ITEM_ROWS = 50
ITEM_ROWS_SHOWN = 5
DATA_LIMIT = 140
NUMBER_LIMIT = 1e15


# -- which fields


def portal_writable(df) -> bool:
	"""A Deal Registration field a partner may fill in on the portal."""
	if df.permlevel or df.read_only or df.hidden:
		return False
	if df.fieldname == ITEMS_FIELD:
		return True
	if df.fieldtype not in VALUE_TYPES:
		return False
	return df.fieldname in CONTENT_FIELDS or bool(df.get("is_custom_field"))


def registration_fields(choices: bool = True) -> list[frappe._dict]:
	"""The registration form, in order: layout breaks and value fields (without the lists to pick
	from when ``choices`` is false: a page that shows values, not the form)."""
	meta = frappe.get_meta(DEAL_REGISTRATION)
	web_form = frappe.get_cached_doc("Web Form", REGISTRATION_WEB_FORM)
	fields, seen = [], set()
	for row in web_form.web_form_fields:
		if row.fieldtype in LAYOUT_TYPES:
			fields.append(frappe._dict(fieldtype=row.fieldtype, label=row.label, fieldname=row.fieldname))
			continue
		df = meta.get_field(row.fieldname)
		if not df or row.hidden or row.read_only or not portal_writable(df) or df.fieldname in seen:
			continue
		fields.append(make_field(df, row, choices))
		seen.add(df.fieldname)

	extra = [df for df in meta.fields if df.get("is_custom_field") and df.fieldname not in seen]
	extra = [df for df in extra if portal_writable(df)]
	if extra:
		fields.append(frappe._dict(fieldtype="Section Break", label=_("Additional Details")))
		fields.extend(make_field(df, choices=choices) for df in extra)
	return fields


def with_defaults(fields: list, new=None) -> list[frappe._dict]:
	"""The fields with the values a new registration starts with (the user's defaults), read from
	``new`` (a new Deal Registration; one is made when none is given)."""
	new = new or frappe.new_doc(DEAL_REGISTRATION)
	for field in value_fields(fields):
		if field.fieldtype != "Table" and new.get(field.fieldname) not in (None, ""):
			field.default = new.get(field.fieldname)
	return fields


def value_fields(fields: list) -> list[frappe._dict]:
	return [f for f in fields if f.fieldtype not in LAYOUT_TYPES]


def make_field(df, row=None, choices: bool = True) -> frappe._dict:
	field = frappe._dict(
		fieldname=df.fieldname,
		fieldtype=df.fieldtype,
		label=_((row and row.label) or df.label),
		reqd=bool((row and row.reqd) or df.reqd),
		description=_((row and row.description) or df.description or ""),
		default=(row and row.default) or df.default,
		options=df.options,
		max_length=cint(row and row.max_length) or cint(df.length) or DATA_LIMIT,
		input_type="text",
	)
	if df.fieldtype == "Select":
		options = (row and row.options) or df.options or ""
		field.choices = [o for o in options.split("\n") if o]
	elif df.fieldtype == "Link":
		field.choices = link_choices(df.options) if choices else None
		if field.choices is not None:  # labelled when the form is shown, not when a post is read
			field.option_tags = functools.partial(labelled_option_tags, field.choices)
	elif df.fieldtype == "Table":
		field.item_choices = item_choices() if choices else None
		field.rows_shown = ITEM_ROWS_SHOWN

	if df.fieldtype == "Data" and df.options in ("Email", "Phone"):
		field.input_type = {"Email": "email", "Phone": "tel"}[df.options]
	elif df.fieldtype == "Date":
		field.input_type = "date"
	elif df.fieldtype in NUMBER_TYPES:
		field.input_type = "number"
	if df.fieldname == "currency" and not field.default:
		field.default = frappe.db.get_default("currency")
	return field


CHOICES_KEY = "prm_link_choices|"
CHOICES_SECONDS = 3600


def public_choices(doctype: str, filters: dict) -> list[str] | None:
	table = frappe.qb.DocType(doctype)
	query = frappe.qb.from_(table).select(table.name).orderby(table.name).limit(MAX_CHOICES + 1)
	for field, value in filters.items():
		query = query.where(table[field] == value)
	names = query.run(pluck=True)
	return names if len(names) <= MAX_CHOICES else None


def forget_choices(doc, method=None, *args) -> None:
	"""``doc_events["*"]``: a record of a list the forms offer changed, was renamed or deleted (the
	list is dropped now, and again after the commit, so that a read racing the write is not kept)."""
	if doc.doctype == "Item":
		key = ITEMS_KEY
	elif doc.doctype in PUBLIC_MASTERS:
		key = CHOICES_KEY + doc.doctype
	else:
		return
	frappe.cache.delete_value(key)
	frappe.db.after_commit.add(lambda: frappe.cache.delete_value(key))


def link_choices(doctype: str) -> list[str] | None:
	"""Names to pick from for a Link field, or None to type the value (long or private lists)."""
	public = doctype in PUBLIC_MASTERS
	if not public and not frappe.has_permission(doctype, "read"):
		return None
	meta = frappe.get_meta(doctype)
	filters = {}
	if meta.has_field("enabled"):
		filters["enabled"] = 1
	elif meta.has_field("disabled"):
		filters["disabled"] = 0
	if public:  # the same list for everyone: kept in Redis until one of its records changes
		kept = frappe.cache.get_value(CHOICES_KEY + doctype, expires=True)
		if kept is None:
			kept = {"names": public_choices(doctype, filters)}
			frappe.cache.set_value(CHOICES_KEY + doctype, kept, expires_in_sec=CHOICES_SECONDS)
		return kept["names"]
	else:
		names = frappe.get_list(
			doctype, filters=filters, pluck="name", order_by="name asc", limit_page_length=MAX_CHOICES + 1
		)
	return names if len(names) <= MAX_CHOICES else None


def labelled(names: list[str] | None) -> list[tuple[str, str]] | None:
	"""``names`` to pick from with their labels in the request's language (one look-up of the
	language's translations for the whole list, not one ``_()`` per name)."""
	if names is None:
		return None
	translations = get_all_translations(getattr(frappe.local, "lang", None) or "en")
	return [(name, translations.get(name) or name) for name in names]


def option_tags(pairs: list[tuple[str, str]], value) -> Markup:
	"""The ``<option>`` tags of a long list (a country, a currency), ``value`` selected: written
	here because a template's loop over hundreds of names cost more than the rest of the form."""
	selected = str(value or "")
	return Markup(
		"".join(
			f'<option value="{escape(name)}"{" selected" if name == selected else ""}>{escape(label)}</option>'
			for name, label in pairs
		)
	)


def labelled_option_tags(names: list[str], value) -> Markup:
	return option_tags(labelled(names), value)


ITEMS_KEY = "prm_item_choices"


def item_choices() -> list[frappe._dict] | None:
	"""The products a partner can register (code and name), or None when there are too many; the
	same for everyone, so kept in Redis until an Item changes."""
	kept = frappe.cache.get_value(ITEMS_KEY, expires=True)
	if kept is None:
		kept = {"items": sellable_items()}
		frappe.cache.set_value(ITEMS_KEY, kept, expires_in_sec=CHOICES_SECONDS)
	return kept["items"]


def sellable_items() -> list[frappe._dict] | None:
	item = frappe.qb.DocType("Item")
	query = (
		frappe.qb.from_(item).select(item.name, item.item_name).orderby(item.item_name).limit(MAX_CHOICES + 1)
	)
	for field, value in sellable_item_filters().items():
		query = query.where(item[field] == value)
	items = query.run(as_dict=True)
	return items if len(items) <= MAX_CHOICES else None


# -- checking what was posted


def raise_input_error(errors: dict, labels: dict | None = None):
	"""Stop with one message per field; API callers also get them as ``field_errors``."""
	labels = labels or {}
	message = _("Some fields need your attention.")
	if getattr(frappe.local, "response", None) is not None:
		frappe.local.response["field_errors"] = errors
	details = "; ".join(f"{labels.get(k, k)}: {v}" for k, v in errors.items())
	frappe.msgprint(f"{message} {details}", title=_("Check the Form"), indicator="red")
	raise PortalInputError(message, errors)


def parse_value(field, raw):
	"""(clean value, None) or (None, message) for one posted value."""
	if isinstance(raw, bool):
		raw = "1" if raw else ""
	elif isinstance(raw, int | float):
		raw = str(raw)
	elif raw is None:
		raw = ""
	if not isinstance(raw, str):
		return None, _("This value is not valid.")
	text = raw.strip()
	fieldtype = field.fieldtype

	if fieldtype == "Check":
		return (1 if text.lower() in ("1", "on", "yes", "true") else 0), None
	if not text:
		return None, (_("This field is required.") if field.reqd else None)
	if "\x00" in text:
		return None, _("This value is not valid.")

	if fieldtype in NUMBER_TYPES:
		return parse_number(text, fieldtype)
	if fieldtype == "Date":
		try:
			return date.fromisoformat(text), None
		except ValueError:
			return None, _("Enter a date as YYYY-MM-DD.")
	if fieldtype == "Select":
		if text not in (field.choices or []):
			return None, _("Choose one of the listed values.")
		return text, None
	if fieldtype == "Link":
		if field.choices is not None and text not in field.choices:
			return None, _("Choose one of the listed values.")
		if not frappe.db.exists(field.options, text):
			return None, _("{0} is not a known value.").format(text)
		return text, None
	if fieldtype in TEXT_TYPES:
		if len(text) > TEXT_LIMIT:
			return None, _("Keep this under {0} characters.").format(TEXT_LIMIT)
		return text, None

	# Data (what a valid e-mail, phone or website is, the registration's own rules say)
	if len(text) > field.max_length:
		return None, _("Keep this under {0} characters.").format(field.max_length)
	return text, None


def parse_number(text: str, fieldtype: str):
	try:
		number = int(text) if fieldtype == "Int" else float(text.replace(",", ""))
	except ValueError:
		if fieldtype == "Int":
			return None, _("Enter a whole number.")
		return None, _("Enter a number, such as 25000.")
	if not math.isfinite(number):
		return None, _("Enter a number, such as 25000.")
	if number < 0:
		return None, _("This cannot be negative.")
	if number > NUMBER_LIMIT:
		return None, _("This number is too large.")
	return number, None


def parse_items(rows) -> tuple[list[dict], str | None]:
	"""Products posted as a list of {item_code, qty, amount}; empty rows are skipped."""
	if rows in (None, ""):
		return [], None
	if isinstance(rows, str):
		try:
			rows = frappe.parse_json(rows)
		except ValueError:
			return [], _("The products could not be read.")
	if not isinstance(rows, list) or len(rows) > MAX_ITEM_ROWS:
		return [], _("The products could not be read.")
	items, problems = [], []
	for number, row in enumerate(rows, start=1):
		if not isinstance(row, dict):
			return [], _("The products could not be read.")
		code = str(row.get("item_code") or "").strip()
		qty_text = str(row.get("qty") or "").strip()
		amount_text = str(row.get("amount") or "").strip()
		if not (code or qty_text or amount_text):
			continue
		if not code:
			problems.append(_("Row {0}: choose a product we sell.").format(number))
			continue
		qty, error = parse_number(qty_text or "1", "Float")
		if error or not qty:
			problems.append(_("Row {0}: the quantity must be a number above 0.").format(number))
			continue
		amount, error = parse_number(amount_text, "Currency") if amount_text else (0, None)
		if error:
			problems.append(_("Row {0}: the amount must be a number, 0 or more.").format(number))
			continue
		items.append({"item_code": code, "qty": qty, "amount": amount})
	return items, (" ".join(problems) or None)


def parse_registration(data: dict, doc=None) -> tuple[dict, list[dict]]:
	"""Clean values and product rows for a registration (``doc``: the one being edited, else a new
	one); PortalInputError when any is wrong. Values are parsed here by type; whether they are
	acceptable is the registration's own rules (``field_errors``), which REST and the desk get too."""
	if not isinstance(data, dict):
		data = {}
	fields = value_fields(registration_fields())
	values, items, errors = {}, [], {}
	for field in fields:
		if field.fieldtype == "Table":
			items, error = parse_items(data.get(field.fieldname))
			if not error and field.reqd and not items:
				error = _("Add at least one product.")
		else:
			value, error = parse_value(field, data.get(field.fieldname))
			if not error:
				# a field left empty stays empty (no user default slipped in behind the form)
				values[field.fieldname] = None if value == "" else value
		if error:
			errors[field.fieldname] = error

	candidate = frappe.copy_doc(doc) if doc else frappe.new_doc(DEAL_REGISTRATION)
	if doc:
		candidate._doc_before_save = doc  # a close date left as it was is not checked again
		candidate.status = doc.status
	candidate.update(values)
	candidate.set("items", [])
	for row in items:
		candidate.append("items", row)
	candidate.set_amounts()
	for fieldname, _exc, message in field_errors(candidate):
		if fieldname not in errors:
			errors[fieldname] = message
	if errors:
		raise_input_error(errors, {f.fieldname: f.label for f in fields})
	return values, items


def posted_items(form: dict, rows: int = MAX_ITEM_ROWS) -> list[dict]:
	"""Product rows from an HTML form's ``item_code_<n>``, ``qty_<n>``, ``amount_<n>`` fields."""
	items = []
	for n in range(rows):
		if f"item_code_{n}" not in form and f"qty_{n}" not in form:
			continue
		items.append(
			{
				"item_code": form.get(f"item_code_{n}") or "",
				"qty": form.get(f"qty_{n}") or "",
				"amount": form.get(f"amount_{n}") or "",
			}
		)
	return items


def posted_registration(form: dict) -> dict:
	"""The registration's values from a posted HTML form (the products from their row fields)."""
	skip = ("action", "workflow_action", "submit", "cmd", "csrf_token")
	data = {key: value for key, value in form.items() if key not in skip and not key.startswith(ROW_FIELDS)}
	data[ITEMS_FIELD] = posted_items(form)
	return data


ROW_FIELDS = ("item_code_", "qty_", "amount_")


def values_of(doc, fields: list) -> frappe._dict:
	"""A registration's values as the form shows them (for editing one)."""
	values = frappe._dict()
	for field in value_fields(fields):
		if field.fieldtype == "Table":
			continue
		value = doc.get(field.fieldname)
		values[field.fieldname] = html.unescape(value) if isinstance(value, str) else value
	for n, row in enumerate(doc.get(ITEMS_FIELD) or []):
		values[f"item_code_{n}"] = row.item_code
		values[f"qty_{n}"] = row.qty
		values[f"amount_{n}"] = row.amount
	return values


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
