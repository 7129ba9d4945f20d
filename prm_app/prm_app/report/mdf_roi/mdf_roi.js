// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.query_reports["MDF ROI"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			reqd: 1,
			default: frappe.defaults.get_user_default("Company"),
		},
		{ fieldname: "partner", label: __("Partner"), fieldtype: "Link", options: "Partner" },
		{ fieldname: "activity_type", label: __("Activity Type"), fieldtype: "Link", options: "MDF Activity Type" },
		{ fieldname: "from_date", label: __("Activities From"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("Activities Up To"), fieldtype: "Date" },
	],
};
