// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Partner Application", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.status === "Pending Review" && frm.perm[0].write) {
			frm.add_custom_button(__("Check Duplicates"), () =>
				frm.call("check_duplicates").then(() => frm.reload_doc())
			);
		}
		if (frm.doc.duplicate_score) {
			frm.dashboard.add_indicator(
				__("Likely duplicate: score {0}", [frm.doc.duplicate_score]),
				frm.doc.duplicate_score >= 90 ? "red" : "orange"
			);
		} else if (frm.doc.duplicates_checked_on) {
			frm.dashboard.add_indicator(__("No likely duplicate"), "green");
		}
		if (frm.doc.partner) {
			frm.add_custom_button(__("Partner"), () => frappe.set_route("Form", "Partner", frm.doc.partner));
		}
	},
});
