// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("MDF Request", {
	refresh(frm) {
		if (frm.doc.status === "Approved") {
			frm.add_custom_button(__("Close Request"), () => {
				frappe.prompt(
					[{ fieldname: "reason", fieldtype: "Small Text", label: __("Note to the Partner") }],
					(values) => frm.call("close_request", values).then(() => frm.reload_doc()),
					__("Close Request"),
					__("Close")
				);
			});
		}
	},
});
