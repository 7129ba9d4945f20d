# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class PRMSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		check_customers: DF.Check
		check_leads: DF.Check
		check_opportunities: DF.Check
		check_quotations: DF.Check
		check_registrations: DF.Check
		check_sales_orders: DF.Check
		conflict_rules_method: DF.Data | None
		conflict_threshold: DF.Int
		create_customer_on_activation: DF.Check
		create_customer_on_approval: DF.Check
		create_opportunity_on_approval: DF.Check
		create_supplier_on_activation: DF.Check
		customer_group: DF.Link | None
		default_program_tier: DF.Link | None
		default_protection_days: DF.Int
		erpnext_match_status: DF.Literal["Possible Conflict", "Conflict"]
		lookback_days: DF.Int
		registration_rate_limit: DF.Int
		scope_rule: DF.Literal[
			"None", "Same Territory", "Overlapping Products", "Same Territory and Overlapping Products"
		]
		supplier_group: DF.Link | None
	# end: auto-generated types

	def validate(self):
		from prm_app.integrations.accounting import validate_company_accounts

		validate_company_accounts(self)
