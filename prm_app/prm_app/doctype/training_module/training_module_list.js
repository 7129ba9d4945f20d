// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.listview_settings["Training Module"] = {
	add_fields: ["published", "mandatory_for_onboarding"],
	get_indicator(doc) {
		return doc.published ? [__("Published"), "green", "published,=,1"] : [__("Draft"), "gray", "published,=,0"];
	},
};
