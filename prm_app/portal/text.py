"""Values as the partner typed them, and server messages as plain words for a page."""

import html
import re

import frappe
from frappe.utils import strip_html_tags


def text(value):
	"""A stored value as the text the user typed. Frappe keeps text fields HTML-sanitised
	(``<`` becomes ``&lt;``); the portal escapes on output, so it works with the plain text."""
	return html.unescape(value) if isinstance(value, str) else value


def as_text(row: dict) -> dict:
	for key, value in row.items():
		if isinstance(value, str):
			row[key] = text(value)
	return row


def plain(message) -> str:
	"""A server message as plain words (no markup), for showing on a page."""
	return re.sub(r"\s+", " ", text(strip_html_tags(str(message or "")))).strip()


def who(user: str, team: set) -> str:
	"""A person as a partner may see them: its own colleagues by name, anyone else as the team."""
	if user in team:
		return text(frappe.utils.get_fullname(user))
	return frappe._("Channel team")
