// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Program Tier", {
	refresh(frm) {
		if (!frm.is_new() && !frm.doc.is_default && frm.perm[0].write) {
			frm.add_custom_button(__("Set as Default"), () => {
				frm.call("set_as_default").then(() => frm.reload_doc());
			});
		}
	},
});
