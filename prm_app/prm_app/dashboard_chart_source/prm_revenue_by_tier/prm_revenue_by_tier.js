frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["PRM Revenue by Tier"] = {
	method: "prm_app.prm_app.dashboard_chart_source.prm_revenue_by_tier.prm_revenue_by_tier.get",
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
			reqd: 1,
		},
	],
};
