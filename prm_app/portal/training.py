"""What the training pages show and how a quiz form is read: views built from the stored module
that never carry the answer key, and the answers a posted form gives."""

import frappe
from frappe import _
from frappe.utils import cint, sanitize_html

from prm_app.engine import training as rules
from prm_app.portal.text import text


def lesson_view(module) -> list[dict]:
	return [
		{
			"number": number,
			"title": text(row.title),
			# the channel team's rich text, sanitised again before it reaches a page
			"content": sanitize_html(row.content or ""),
			"video_url": row.video_url if (row.video_url or "").startswith(("https://", "http://")) else None,
			"attachment": row.attachment if (row.attachment or "").startswith("/files/") else None,
		}
		for number, row in enumerate(module.lessons, start=1)
	]


def quiz_view(module) -> list[dict]:
	"""The questions and their options as a partner sees them: text and numbers, never which
	options are correct."""
	questions = []
	for number, row in enumerate(module.questions, start=1):
		questions.append(
			{
				"number": number,
				"question": text(row.question),
				"multiple": row.question_type == rules.MULTIPLE,
				"points": row.points,
				"options": [
					{"number": i, "text": text(option.option)}
					for i, option in enumerate(module.options_of(number), start=1)
				],
			}
		)
	return questions


def answers_from_form(form, questions: list[dict]) -> dict[int, list[int]]:
	"""A posted quiz: ``q<n>`` = option number (single choice), ``q<n>_<o>`` = 1 (multiple)."""
	answers = {}
	for q in questions:
		n = q["number"]
		if q["multiple"]:
			answers[n] = [o["number"] for o in q["options"] if form.get(f"q{n}_{o['number']}")]
		else:
			answers[n] = [cint(form.get(f"q{n}"))] if form.get(f"q{n}") else []
	return answers


def parse_answers(value) -> dict[int, list[int]]:
	"""Answers sent to the API: {"1": [2], "2": [1, 3]} (a dict or JSON); anything else is refused."""
	from prm_app.portal.forms import raise_input_error

	value = frappe.parse_json(value) if isinstance(value, str) else value
	if value is None:
		return {}
	if not isinstance(value, dict):
		raise_input_error({"answers": _("Send the answers as question number: option numbers.")})
	answers = {}
	for key, chosen in value.items():
		chosen = chosen if isinstance(chosen, list) else [chosen]
		try:
			answers[int(key)] = [int(c) for c in chosen if c not in (None, "")]
		except (TypeError, ValueError):
			raise_input_error({"answers": _("Question and option numbers are whole numbers.")})
	return answers
