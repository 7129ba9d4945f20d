"""Shipped notifications that reach partners or applicants use the programme's branded layout and
escape what people typed."""

import json
import re
from pathlib import Path

DEFAULTS = Path(__file__).resolve().parents[1] / "prm_app" / "defaults"
# recipients that are the channel team (the desk's own plain e-mails suit them)
INTERNAL_FIELDS = {"partner_manager", "reviewer", "notify_user"}
LAYOUT = '{% extends "templates/emails/prm_partner_email.html" %}'


def shipped_notifications() -> list[dict]:
	found = []
	for path in sorted(DEFAULTS.glob("*.json")):
		found += [d for d in json.loads(path.read_text()) if d.get("doctype") == "Notification"]
	return found


def reaches_partners(notification: dict) -> bool:
	fields = {r.get("receiver_by_document_field") for r in notification.get("recipients", [])}
	return bool(fields - INTERNAL_FIELDS - {None})


def test_partner_facing_notifications_use_the_programmes_layout():
	facing = [n for n in shipped_notifications() if reaches_partners(n)]
	assert len(facing) >= 5, [n["name"] for n in facing]
	for n in facing:
		assert n["message"].lstrip().startswith(LAYOUT), n["name"]
		assert "{% block content %}" in n["message"] and "{% endblock %}" in n["message"], n["name"]


def test_partner_facing_notifications_escape_their_text():
	"""Every ``{{ ... }}`` that prints document values ends in ``| e`` (a company or contact name
	typed on the public application form must not become markup in an e-mail)."""
	for n in filter(reaches_partners, shipped_notifications()):
		for expression in re.findall(r"\{\{(.*?)\}\}", n["message"], flags=re.S):
			if "doc." in expression and "get_url" not in expression:
				assert expression.rstrip().endswith("| e"), (n["name"], expression)
