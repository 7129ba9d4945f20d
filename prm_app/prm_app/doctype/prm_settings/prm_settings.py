# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class PRMSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		application_duplicate_threshold: DF.Int
		application_rate_limit: DF.Int
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
		lead_accept_hours: DF.Int
		lead_fields_shown: DF.SmallText | None
		lookback_days: DF.Int
		programme_logo: DF.AttachImage | None
		programme_name: DF.Data | None
		protect_converted_leads: DF.Check
		registration_rate_limit: DF.Int
		review_days: DF.Int
		scope_rule: DF.Literal[
			"None", "Same Territory", "Overlapping Products", "Same Territory and Overlapping Products"
		]
		show_frappe_portal_menu: DF.Check
		supplier_group: DF.Link | None
	# end: auto-generated types
	pass
