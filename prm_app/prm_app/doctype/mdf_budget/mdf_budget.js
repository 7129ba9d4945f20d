// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("MDF Budget", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Adjust Allocation"), () => {
			frappe.prompt(
				[
					{
						fieldname: "amount",
						fieldtype: "Currency",
						label: __("New Allocation"),
						options: frm.doc.currency,
						default: frm.doc.allocated_amount,
						reqd: 1,
					},
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
				],
				(values) =>
					frm
						.call("adjust_allocation", values)
						.then(() => frm.reload_doc()),
				__("Adjust Allocation"),
				__("Adjust")
			);
		});
		frm.add_custom_button(__("Refresh Balance"), () =>
			frm.call("refresh_balance").then(() => frm.reload_doc())
		);
	},
});
