// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Partner Certification", {
	refresh(frm) {
		if (!frm.is_new() && frm.doc.status === "Active" && frm.perm[0] && frm.perm[0].write) {
			frm.add_custom_button(__("Revoke"), () => {
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					({ reason }) => frm.call("revoke", { reason }).then(() => frm.reload_doc()),
					__("Revoke Certification"),
					__("Revoke")
				);
			});
		}
	},
});
