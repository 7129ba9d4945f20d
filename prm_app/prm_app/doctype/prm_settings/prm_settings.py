# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from prm_app.conflict import keys as match_keys
from prm_app.engine import abbreviations


class PRMSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from prm_app.prm_app.doctype.prm_name_abbreviation.prm_name_abbreviation import PRMNameAbbreviation

		application_duplicate_threshold: DF.Int
		application_rate_limit: DF.Int
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
		lead_accept_hours: DF.Int
		lead_fields_shown: DF.SmallText | None
		lookback_days: DF.Int
		match_key_status: DF.SmallText | None
		name_abbreviations: DF.Table[PRMNameAbbreviation]
		programme_logo: DF.AttachImage | None
		programme_name: DF.Data | None
		protect_converted_leads: DF.Check
		registration_rate_limit: DF.Int
		review_days: DF.Int
		scope_rule: DF.Literal[
			"None", "Same Territory", "Overlapping Products", "Same Territory and Overlapping Products"
		]
		show_frappe_portal_menu: DF.Check
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

	def onload(self):
		self.match_key_status = match_keys.describe_state()

	def validate(self):
		from prm_app.integrations.accounting import validate_company_accounts

		self.validate_name_abbreviations()
		validate_company_accounts(self)
		self.match_key_status = match_keys.describe_state()

	def on_update(self):
		match_keys.on_settings_change(self)

	def validate_name_abbreviations(self):
		"""One word each way, not a legal form or stop word, and one reading per word."""
		seen = {}
		for row in self.name_abbreviations:
			variant = abbreviations.normalise_word(row.abbreviation)
			canonical = abbreviations.normalise_word(row.expansion)
			problem = abbreviations.check_entry(variant, canonical)
			if problem:
				frappe.throw(
					_("Name Abbreviations, row {0}: {1}.").format(row.idx, _(problem)),
					title=_("Invalid abbreviation"),
				)
			if seen.setdefault(variant, canonical) != canonical:
				frappe.throw(
					_("Name Abbreviations, row {0}: {1} is already read as {2}.").format(
						row.idx, row.abbreviation, seen[variant]
					),
					title=_("Invalid abbreviation"),
				)
