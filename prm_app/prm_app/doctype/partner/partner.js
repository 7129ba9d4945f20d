// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Partner", {
	setup(frm) {
		frm.set_query("partner_manager", () => ({ filters: { user_type: "System User", enabled: 1 } }));
		frm.set_query("user", "users", () => ({ filters: { enabled: 1 } }));
	},
	refresh(frm) {
		for (const [field, doctype] of [
			["sales_partner", "Sales Partner"],
			["customer", "Customer"],
			["supplier", "Supplier"],
		]) {
			if (frm.doc[field]) {
				frm.add_custom_button(__(doctype), () => frappe.set_route("Form", doctype, frm.doc[field]), __("View"));
			}
		}
	},
});
