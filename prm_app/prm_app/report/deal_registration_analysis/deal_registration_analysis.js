// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.query_reports["Deal Registration Analysis"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("Submitted From"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.add_months(frappe.datetime.get_today(), -12), 1),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("Submitted To"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["", "Partner", "Month", "Territory", "Tier", "Partner Type"],
			default: "Partner",
		},
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
	],
};
