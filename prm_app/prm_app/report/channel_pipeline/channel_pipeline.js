// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.query_reports["Channel Pipeline"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
			reqd: 1,
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["", "Partner", "Stage", "Expected Close Month", "Territory"],
			default: "",
		},
		{ fieldname: "close_from", label: __("Close From"), fieldtype: "Date" },
		{ fieldname: "close_to", label: __("Close To"), fieldtype: "Date" },
		{
			fieldname: "status",
			label: __("Partner Status"),
			fieldtype: "Select",
			options: ["All", "Prospect", "Onboarding", "Active", "Suspended", "Terminated"],
			default: "All",
		},
		{ fieldname: "partner", label: __("Partner"), fieldtype: "Link", options: "Partner" },
		{ fieldname: "program_tier", label: __("Tier"), fieldtype: "Link", options: "Program Tier" },
		{ fieldname: "partner_type", label: __("Partner Type"), fieldtype: "Link", options: "Sales Partner Type" },
		{ fieldname: "territory", label: __("Partner Territory"), fieldtype: "Link", options: "Territory" },
		{
			fieldname: "partner_manager",
			label: __("Partner Manager"),
			fieldtype: "Link",
			options: "User",
		},
	],
};
