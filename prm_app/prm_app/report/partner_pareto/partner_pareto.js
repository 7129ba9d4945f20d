// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.query_reports["Partner Pareto"] = {
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
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.add_months(frappe.datetime.get_today(), -12), 1),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "based_on",
			label: __("Based On"),
			fieldtype: "Select",
			options: ["Revenue", "Gross Profit"],
			default: "Revenue",
			reqd: 1,
		},
		{
			fieldname: "status",
			label: __("Partner Status"),
			fieldtype: "Select",
			options: ["All", "Prospect", "Onboarding", "Active", "Suspended", "Terminated"],
			default: "Active",
		},
		{ fieldname: "program_tier", label: __("Tier"), fieldtype: "Link", options: "Program Tier" },
		{ fieldname: "partner_type", label: __("Partner Type"), fieldtype: "Link", options: "Sales Partner Type" },
		{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory" },
		{
			fieldname: "partner_manager",
			label: __("Partner Manager"),
			fieldtype: "Link",
			options: "User",
		},
	],
};
