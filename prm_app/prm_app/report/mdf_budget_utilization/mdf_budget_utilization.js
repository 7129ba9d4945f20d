// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.query_reports["MDF Budget Utilization"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{ fieldname: "partner", label: __("Partner"), fieldtype: "Link", options: "Partner" },
		{ fieldname: "from_date", label: __("Periods Ending From"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("Periods Starting Up To"), fieldtype: "Date" },
		{ fieldname: "status", label: __("Status"), fieldtype: "Select", options: "\nOpen\nClosed" },
	],
};
