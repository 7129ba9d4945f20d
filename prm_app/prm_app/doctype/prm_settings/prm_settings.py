# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class PRMSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		at_risk_digest_fallback: DF.Link | None
		at_risk_digest_template: DF.Link | None
		at_risk_inactive_days: DF.Int
		at_risk_onboarding_days: DF.Int
		at_risk_revenue_drop_percent: DF.Percent
		at_risk_revenue_period_days: DF.Int
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
		engagement_full_score_points: DF.Float
		engagement_window_days: DF.Int
		erpnext_match_status: DF.Literal["Possible Conflict", "Conflict"]
		lookback_days: DF.Int
		registration_rate_limit: DF.Int
		scope_rule: DF.Literal[
			"None", "Same Territory", "Overlapping Products", "Same Territory and Overlapping Products"
		]
		send_at_risk_digest: DF.Check
		supplier_group: DF.Link | None
		weight_certified_people: DF.Float
		weight_engagement: DF.Float
		weight_lead_acceptance: DF.Float
		weight_lead_conversion: DF.Float
		weight_mdf_roi: DF.Float
		weight_pipeline: DF.Float
		weight_revenue: DF.Float
		weight_revenue_growth: DF.Float
		weight_win_rate: DF.Float
		weight_won_deals: DF.Float
	# end: auto-generated types
	pass
