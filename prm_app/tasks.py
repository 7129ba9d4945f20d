"""Scheduled jobs."""

import frappe
from frappe import _
from frappe.utils import getdate, today

BATCH = 200


def expire_registrations(commit: bool = True) -> int:
	"""Approved registrations whose protection has ended become Expired (daily).

	Commits after each batch; tests pass ``commit=False`` to keep their transaction."""
	expired = 0
	while True:
		names = frappe.get_all(
			"Deal Registration",
			filters={"status": "Approved", "protection_until": ("<", getdate(today()))},
			pluck="name",
			limit_page_length=BATCH,
		)
		if not names:
			break
		for name in names:
			doc = frappe.get_doc("Deal Registration", name)
			doc.set_status_by_system(
				"Expired", _("Protection ended on {0}.").format(frappe.format(doc.protection_until, "Date"))
			)
			expired += 1
		if commit:
			frappe.db.commit()  # nosemgrep: scheduled job, commits per batch
	return expired
