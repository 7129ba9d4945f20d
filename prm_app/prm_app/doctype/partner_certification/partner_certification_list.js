// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.listview_settings["Partner Certification"] = {
	add_fields: ["status", "expires_on"],
	get_indicator(doc) {
		const colour = { Active: "green", Expired: "orange", Revoked: "red" }[doc.status] || "gray";
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
};
