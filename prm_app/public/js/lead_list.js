// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

// Bulk hand-over of leads from the Lead list (the dialogs are in lead_actions.js, loaded first).
(() => {
	const settings = (frappe.listview_settings["Lead"] = frappe.listview_settings["Lead"] || {});
	const onload = settings.onload;
	settings.onload = function (listview) {
		if (onload) onload.apply(this, arguments);
		if (!frappe.user.has_role(["Partner Manager", "System Manager"])) return;
		const run = (action) => {
			const leads = listview.get_checked_items(true);
			if (!leads.length) {
				frappe.msgprint(__("Select the leads first."));
				return;
			}
			action(leads, () => listview.refresh());
		};
		listview.page.add_actions_menu_item(__("Offer to Partner"), () => run(prm_lead_actions.offer_to_partner), false);
		listview.page.add_actions_menu_item(__("Distribute by Rules"), () => run(prm_lead_actions.distribute), false);
	};
})();
