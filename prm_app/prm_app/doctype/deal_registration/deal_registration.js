// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Deal Registration", {
	setup(frm) {
		frm.set_query("item_code", "items", () => ({ filters: { is_sales_item: 1, disabled: 0 } }));
		frm.set_query("partner", () => ({ filters: { status: "Active" } }));
	},

	refresh(frm) {
		if (frm.is_new()) return;
		const pending = (frm.doc.extensions || []).find((row) => row.decision === "Pending");

		if (frm.doc.status === "Approved" && !pending && frm.perm[0].write) {
			frm.add_custom_button(__("Request Extension"), () => request_extension(frm));
		}
		if (pending && frappe.user.has_role(["Partner Manager", "System Manager"])) {
			for (const decision of ["Approved", "Rejected"]) {
				frm.add_custom_button(
					__(decision === "Approved" ? "Approve Extension" : "Reject Extension"),
					() =>
						frm
							.call("decide_extension", { row_name: pending.name, decision })
							.then(() => frm.reload_doc()),
					__("Extension")
				);
			}
		}
		if (frm.doc.channel_conflict) {
			frm.add_custom_button(__("Channel Conflict"), () =>
				frappe.set_route("Form", "Channel Conflict", frm.doc.channel_conflict)
			);
		}
		const colors = { Clear: "green", "Possible Conflict": "orange", Conflict: "red" };
		if (frm.doc.conflict_status) {
			frm.dashboard.add_indicator(
				__("Conflict check: {0}", [__(frm.doc.conflict_status)]),
				colors[frm.doc.conflict_status]
			);
		}
	},
});

function request_extension(frm) {
	frappe.prompt(
		[
			{ fieldname: "days", fieldtype: "Int", label: __("Days"), reqd: 1, default: 30 },
			{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
		],
		(values) => frm.call("request_extension", values).then(() => frm.reload_doc()),
		__("Request Extension"),
		__("Request")
	);
}
