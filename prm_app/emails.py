"""Partner-facing e-mails: one branded layout with the programme's name and logo (PRM Settings),
and texts admins edit as Email Templates and Notifications.

The layout is ``templates/emails/prm_partner_email.html``; an Email Template or a Notification uses
it with ``{% extends "templates/emails/prm_partner_email.html" %}`` and a ``content`` block, and
reads the programme with ``prm_programme()`` (a Jinja method, hooks ``jinja``).
"""

import frappe
from frappe import _
from frappe.utils import get_url

DEFAULT_PROGRAMME_NAME = "Partner Programme"


def prm_programme() -> dict:
	"""The programme as e-mails show it: name, logo (an absolute URL) and the portal's address."""
	settings = frappe.get_cached_doc("PRM Settings")
	logo = settings.get("programme_logo")
	return {
		"name": settings.get("programme_name") or _(DEFAULT_PROGRAMME_NAME),
		"logo_url": get_url(logo) if logo else None,
		"portal_url": get_url("/partner"),
	}


def has_outgoing_account() -> bool:
	return bool(frappe.db.exists("Email Account", {"enable_outgoing": 1}))


def send_template(template: str, recipients: list[str], context: dict, reference=None) -> None:
	"""Queue the Email Template ``template`` (an admin edits its subject and text) rendered with
	``context`` to ``recipients``."""
	email = frappe.get_doc("Email Template", template).get_formatted_email(
		{**context, "programme": prm_programme()}
	)
	frappe.sendmail(
		recipients=recipients,
		subject=email["subject"],
		message=email["message"],
		reference_doctype=reference.doctype if reference else None,
		reference_name=reference.name if reference else None,
		delayed=True,
	)
