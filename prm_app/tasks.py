"""Scheduled jobs."""

import frappe
from frappe import _
from frappe.utils import getdate, today

from prm_app.constants import APPROVED, DEAL_REGISTRATION, EXPIRED

BATCH = 200
SAVEPOINT = "prm_expire_one"


def expire_registrations(commit: bool = True) -> int:
	"""Approved registrations whose protection has ended become Expired (daily).

	One registration that cannot be expired (a broken link, a failing hook of another app) is
	logged and skipped; the others are still expired. Commits after each batch; tests pass
	``commit=False`` to keep their transaction."""
	expired, last = 0, ""
	while True:
		names = frappe.get_all(
			DEAL_REGISTRATION,
			filters={"status": APPROVED, "protection_until": ("<", getdate(today())), "name": (">", last)},
			pluck="name",
			order_by="name asc",
			limit_page_length=BATCH,
		)
		if not names:
			break
		for name in names:
			expired += expire_one(name)
		last = names[-1]
		if commit:
			frappe.db.commit()  # nosemgrep: scheduled job, commits per batch
	return expired


def expire_one(name: str) -> int:
	frappe.db.savepoint(SAVEPOINT)
	try:
		doc = frappe.get_doc(DEAL_REGISTRATION, name)
		doc.set_status_by_system(
			EXPIRED, _("Protection ended on {0}.").format(frappe.format(doc.protection_until, "Date"))
		)
	except Exception:
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.log_error(title=_("Deal registration {0} could not be expired").format(name))
		return 0
	return 1


def expire_certifications() -> int:
	"""Active certifications past their expiry become Expired; then every Active certification's
	lapse warning (what the coming lapses cost, and to whom it is sent) is brought up to date (daily)."""
	from prm_app.prm_app.doctype.partner_certification.partner_certification import (
		expire_lapsed,
		refresh_lapse_impact,
	)

	expired = expire_lapsed()
	frappe.db.commit()  # nosemgrep: scheduled job
	if expired:  # written set-based, around the documents' events: the cached figures follow
		from prm_app.portal import metrics

		metrics.invalidate(metrics.ALL_PARTNERS)
	refresh_lapse_impact()
	frappe.db.commit()  # nosemgrep: scheduled job
	return expired


def evaluate_tiers() -> dict | None:
	"""Every Active partner's tier, by the programme's criteria (daily; PRM Settings can turn it off)."""
	from prm_app.integrations.tier_engine import evaluate_tiers as run

	return run(commit=True)
