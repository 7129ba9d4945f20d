// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

// Handing leads to partners from the Lead form and the Lead list: one partner by hand, or the
// partners the Lead Distribution Rules choose.
var PRM_LEADS = "prm_app.integrations.lead_distribution";

function prm_offer_to_partner(leads, done) {
	const dialog = new frappe.ui.Dialog({
		title: __("Offer to a Partner"),
		fields: [
			{
				fieldname: "partner",
				fieldtype: "Link",
				options: "Partner",
				label: __("Partner"),
				reqd: 1,
				get_query: () => ({ filters: { status: "Active" } }),
			},
			{
				fieldname: "hours",
				fieldtype: "Int",
				label: __("Accept Within (Hours)"),
				description: __("Empty: PRM Settings' default."),
			},
		],
		primary_action_label: __("Offer"),
		primary_action(values) {
			frappe
				.call({
					method: `${PRM_LEADS}.offer_to_partner`,
					args: { leads, partner: values.partner, hours: values.hours },
				})
				.then((r) => {
					dialog.hide();
					prm_show_result(r.message);
					done && done();
				});
		},
	});
	dialog.show();
}

function prm_distribute(leads, done) {
	frappe.call({ method: `${PRM_LEADS}.distribute_by_rules`, args: { leads } }).then((r) => {
		prm_show_result(r.message);
		done && done();
	});
}

function prm_show_result(result) {
	if (!result) return;
	if (result.queued) {
		frappe.show_alert({ message: __("{0} leads are being handed over in the background.", [result.queued]), indicator: "blue" });
		return;
	}
	const lines = [];
	for (const [lead, partner] of result.offered || []) lines.push(__("{0}: offered to {1}", [lead, partner]));
	for (const lead of result.already_offered || []) lines.push(__("{0}: already offered", [lead]));
	for (const lead of result.nobody || []) lines.push(__("{0}: no partner of its rule can take it", [lead]));
	for (const lead of result.no_rule || []) lines.push(__("{0}: no enabled rule takes it", [lead]));
	for (const [lead, error] of result.errors || []) lines.push(`${lead}: ${error}`);
	frappe.msgprint(lines.map((l) => frappe.utils.escape_html(l)).join("<br>") || __("Nothing to do."), __("Leads"));
}

window.prm_lead_actions = { offer_to_partner: prm_offer_to_partner, distribute: prm_distribute };
