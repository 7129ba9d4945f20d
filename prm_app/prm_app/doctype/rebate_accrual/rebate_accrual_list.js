// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.listview_settings["Rebate Accrual"] = {
	onload(listview) {
		listview.page.add_inner_button(__("Accrue Rebates"), () => {
			frappe.prompt(
				[
					{
						fieldname: "date",
						fieldtype: "Date",
						label: __("Any Day of the Period"),
						description: __("Empty: the last period that ended."),
					},
				],
				(values) =>
					frappe
						.call({ method: "prm_app.integrations.rebates.accrue_rebates", args: values })
						.then(() => frappe.msgprint(__("The rebates are being accrued in the background."))),
				__("Accrue Rebates"),
				__("Accrue")
			);
		});
	},
};
