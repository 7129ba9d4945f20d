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
		// the daily health check's flag (level-1 fields: the channel team only)
		if (frm.doc.at_risk && frm.doc.at_risk_reasons) {
			frm.dashboard.set_headline_alert(
				`<b>${__("At risk")}:</b> ${frappe.utils.escape_html(frm.doc.at_risk_reasons).replace(/\n/g, "; ")}`,
				"red"
			);
		}
		if (!frm.is_new()) {
			frm.add_custom_button(
				__("Partner Scorecard"),
				() => frappe.set_route("query-report", "Partner Scorecard", { partner: frm.doc.name }),
				__("View")
			);
		}
	},
});
