// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.listview_settings["MDF Budget"] = {
	onload(listview) {
		listview.page.add_inner_button(__("Allocate MDF"), () => {
			frappe.prompt(
				[
					{
						fieldname: "period_type",
						fieldtype: "Select",
						label: __("Period"),
						options: ["", "Quarter", "Half-year", "Year"],
						description: __("Empty: every kind of period the tiers use."),
					},
					{
						fieldname: "date",
						fieldtype: "Date",
						label: __("Any Day of the Period"),
						default: frappe.datetime.get_today(),
						reqd: 1,
					},
				],
				(values) =>
					frappe
						.call({
							method: "prm_app.integrations.mdf_budget.allocate_mdf",
							args: values,
						})
						.then((r) => {
							const result = r.message || {};
							frappe.msgprint(
								result.queued
									? __("Allocating for {0} partners in the background.", [result.partners])
									: __("{0} budgets made.", [(result.made || []).length])
							);
							listview.refresh();
						}),
				__("Allocate MDF"),
				__("Allocate")
			);
		});
	},
};
