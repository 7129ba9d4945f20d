"""What the insights add to ERPNext's tables, made on install and every migrate (idempotent): the
gross profit kept on partner invoices (``prm_app.insights.margins``) and the indexes the reports
read through."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

# The Partner Scorecard, Pareto and the health check sum a company's invoices of a period per
# partner: with this covering index MariaDB reads them from the index alone (a range over the
# period), never the wide Sales Invoice rows.
INDEXES = {
	"Sales Invoice": {
		"prm_partner_sales": [
			"company",
			"docstatus",
			"posting_date",
			"prm_partner",
			"base_net_total",
			"prm_gross_profit",
		],
	},
	# the registrations submitted in a period and what became of them; those open now
	"Deal Registration": {
		"prm_registration_cohort": ["registered_on", "partner", "status", "decided_on"],
		"prm_open_registrations": ["status", "partner"],
	},
}


def ensure_indexes() -> None:
	for doctype, indexes in INDEXES.items():
		meta = frappe.get_meta(doctype)
		for name, fields in indexes.items():
			if all(f in ("docstatus", "name") or meta.has_field(f) for f in fields):
				frappe.db.add_index(doctype, fields, index_name=name)


def ensure_setup() -> None:
	from prm_app.insights import margins, sales

	create_custom_fields(margins.custom_fields(), update=True)
	ensure_indexes()
	margins.backfill()
	sales.ensure_built()
