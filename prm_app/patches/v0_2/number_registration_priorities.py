"""Priority numbers for registrations submitted before they existed, in submission order, and the
counter after them; the match keys of active registrations carry the number from now on."""

import frappe

from prm_app.conflict import keys
from prm_app.conflict.check import LOCK_NAME, ensure_priority_counter

DOCTYPE = "Deal Registration"


def execute():
	ensure_priority_counter()
	table = frappe.qb.DocType(DOCTYPE)
	rows = (
		frappe.qb.from_(table)
		.select(table.name)
		.where(
			table.registered_on.isnotnull()
			& ((table.priority_sequence == 0) | table.priority_sequence.isnull())
		)
		.orderby(table.registered_on)
		.orderby(table.name)
	).run(pluck=True)
	series = frappe.qb.DocType("Series")
	current = (
		frappe.qb.from_(series).select(series.current).where(series.name == LOCK_NAME).for_update().run()
	)
	number = int(current[0][0] or 0) if current else 0
	for name in rows:
		number += 1
		frappe.db.set_value(DOCTYPE, name, "priority_sequence", number, update_modified=False)
	frappe.qb.update(series).set(series.current, number).where(series.name == LOCK_NAME).run()
	for name in rows:
		keys.sync_doc(frappe.get_doc(DOCTYPE, name))
