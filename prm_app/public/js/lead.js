// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

// The channel team hands a lead to a partner: by hand, or by the Lead Distribution Rules
// (the dialogs are in lead_actions.js, loaded before this file).

frappe.ui.form.on("Lead", {
	refresh(frm) {
		if (frm.is_new() || !frappe.user.has_role(["Partner Manager", "System Manager"])) return;
		frappe.db
			.get_list("Lead Offer", {
				filters: { lead: frm.doc.name, status: ["in", ["Offered", "Accepted"]] },
				fields: ["name", "partner", "status", "respond_by"],
				limit: 1,
			})
			.then((offers) => {
				const offer = offers[0];
				if (offer) {
					frm.dashboard.set_headline_alert(
						offer.status === "Offered"
							? __("Offered to {0} until {1}.", [offer.partner, frappe.datetime.str_to_user(offer.respond_by)])
							: __("Accepted by {0}.", [offer.partner]),
						offer.status === "Offered" ? "orange" : "green"
					);
					frm.add_custom_button(
						__("Withdraw Offer"),
						() =>
							frappe.prompt(
								{ fieldname: "note", fieldtype: "Small Text", label: __("Why (for the history)") },
								(values) =>
									frappe
										.call("run_doc_method", {
											docs: { doctype: "Lead Offer", name: offer.name },
											method: "withdraw_offer",
											args: { note: values.note },
										})
										.then(() => frm.reload_doc()),
								__("Withdraw the Offer"),
								__("Withdraw")
							),
						__("Partner")
					);
					return;
				}
				frm.add_custom_button(__("Offer to Partner"), () => prm_lead_actions.offer_to_partner([frm.doc.name], () => frm.reload_doc()), __("Partner"));
				frm.add_custom_button(__("Distribute by Rules"), () => prm_lead_actions.distribute([frm.doc.name], () => frm.reload_doc()), __("Partner"));
			});
	},
});
