"""Who may see the channel team's measures of all partners."""

import frappe
from frappe import _

from prm_app.constants import PARTNER
from prm_app.permissions import is_partner_scoped


def can_see_all_partners(user: str | None = None) -> bool:
	"""Internal users who may report on Partner (the insight reports' own reference doctype);
	never a partner's user, whatever roles an admin gave it."""
	user = user or frappe.session.user
	if not user or user == "Guest" or is_partner_scoped(user):
		return False
	return bool(frappe.has_permission(PARTNER, "report", user=user))


def require_channel_team() -> None:
	if not can_see_all_partners():
		frappe.throw(_("Only the channel team can see the measures of all partners."), frappe.PermissionError)
