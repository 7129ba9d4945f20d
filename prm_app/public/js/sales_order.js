// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

// A registration that only resembles this order's customer is a suggestion: a sales user confirms
// it before the partner is attributed (and earns a commission).
frappe.ui.form.on("Sales Order", {
	refresh(frm) {
		if (frm.doc.docstatus !== 0 || frm.doc.prm_deal_registration || !frm.doc.prm_suggested_registration) {
			return;
		}
		frm.dashboard.set_headline_alert(
			__("This order resembles deal registration {0}. Attribute it if it is the same deal.", [
				frm.doc.prm_suggested_registration,
			]),
			"orange"
		);
		frm.add_custom_button(
			__("Attribute to Registration"),
			() => {
				frm.set_value("prm_deal_registration", frm.doc.prm_suggested_registration);
				frm.save();
			},
			__("Partner")
		);
	},
});
