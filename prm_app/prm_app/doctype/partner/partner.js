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
		if (!frm.is_new()) prm_partner_summary(frm);
	},
});

// A header like ERPNext's Customer: tier and the next tier's gap, revenue, pipeline, won value.
function prm_partner_summary(frm) {
	frappe
		.call("prm_app.desk.summaries.partner_summary", { partner: frm.doc.name })
		.then(({ message: s }) => {
			if (!s) return;
			const money = (rows) =>
				(rows.length ? rows : [{ amount: 0, currency: s.currency }])
					.map((r) => format_currency(r.amount, r.currency))
					.join(" + ");
			frm.dashboard.add_indicator(__("Tier: {0}", [s.tier || __("none")]), "blue");
			if (s.next_tier) {
				const gap = s.gaps
					.map((g) => `${g.label}: ${g.is_money ? format_currency(g.missing, s.currency) : g.missing}`)
					.join(", ");
				frm.dashboard.add_indicator(
					s.next_tier_met ? __("Meets {0}", [s.next_tier]) : __("{0} needs {1}", [s.next_tier, gap]),
					s.next_tier_met ? "green" : "orange"
				);
			}
			frm.dashboard.add_indicator(__("Invoiced, 12 months: {0}", [money(s.revenue)]), "green");
			frm.dashboard.add_indicator(__("Open pipeline: {0}", [money(s.pipeline)]), "orange");
			frm.dashboard.add_indicator(__("Won this year: {0} ({1} deals)", [money(s.won_value_this_year), s.won_deals]), "blue");
		});
}
