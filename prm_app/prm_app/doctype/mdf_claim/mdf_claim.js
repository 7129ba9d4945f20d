// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("MDF Claim", {
	refresh(frm) {
		if (frm.doc.docstatus === 1 && frm.doc.payout_name) {
			frm.add_custom_button(__("Refresh Payment"), () =>
				frm.call("refresh_payment").then(() => frm.reload_doc())
			);
		}
	},
});
