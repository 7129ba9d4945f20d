// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Channel Conflict", {
	setup(frm) {
		frm.set_query("awarded_registration", () => ({
			filters: {
				name: ["in", (frm.doc.records || []).map((r) => r.deal_registration).filter(Boolean)],
			},
		}));
	},
	refresh(frm) {
		frm.set_df_property("resolution", "read_only", frm.doc.status === "Resolved");
		frm.set_df_property("awarded_registration", "read_only", frm.doc.status === "Resolved");
		if (frm.doc.status === "Open") {
			frm.set_intro(
				__("Choose a resolution and save: the registrations involved are approved or rejected accordingly.")
			);
		}
	},
});
