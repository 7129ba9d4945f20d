"""The partner's own scorecard (``/partner/scorecard`` and the dashboard)."""

import frappe

from prm_app.constants import PARTNER
from prm_app.permissions import current_partner
from prm_app.portal.scorecard import own_scorecard


@frappe.whitelist()
def get_scorecard() -> dict:
	"""The caller's partner's scorecard for the last twelve months: its score and measures. Any
	argument naming another partner is ignored: the caller's own partner is the only one."""
	partner = current_partner()
	frappe.get_doc(PARTNER, partner).check_permission("read")
	return own_scorecard(partner)
