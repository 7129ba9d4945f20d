// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.listview_settings["Deal Registration"] = {
	add_fields: ["status", "conflict_status", "protection_until"],
	get_indicator(doc) {
		const colors = {
			Draft: "gray",
			"Pending Review": "orange",
			Approved: "green",
			Rejected: "red",
			Won: "blue",
			Lost: "darkgrey",
			Expired: "darkgrey",
			Withdrawn: "darkgrey",
		};
		if (doc.status === "Pending Review" && doc.conflict_status === "Conflict") {
			return [__("Conflict"), "red", "conflict_status,=,Conflict"];
		}
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
