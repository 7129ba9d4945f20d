"""Indexes the insight reports need on ERPNext's tables, made on install and every migrate."""

import frappe

# The Partner Scorecard, Pareto and the health check sum a company's invoices of a period per
# partner: with this covering index MariaDB reads them from the index alone (a range over the
# period), never the wide Sales Invoice rows.
INDEXES = {
	"Sales Invoice": {
		"prm_partner_revenue": ["company", "docstatus", "posting_date", "prm_partner", "base_net_total"],
	},
}


def ensure_indexes() -> None:
	for doctype, indexes in INDEXES.items():
		meta = frappe.get_meta(doctype)
		for name, fields in indexes.items():
			if all(f in ("docstatus", "name") or meta.has_field(f) for f in fields):
				frappe.db.add_index(doctype, fields, index_name=name)
