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
		// the daily health check's flag (level-1 fields: the channel team only)
		if (frm.doc.at_risk && frm.doc.at_risk_reasons) {
			frm.dashboard.set_headline_alert(
				`<b>${__("At risk")}:</b> ${frappe.utils.escape_html(frm.doc.at_risk_reasons).replace(/\n/g, "; ")}`,
				"red"
			);
		}
		if (!frm.is_new()) {
			frm.add_custom_button(
				__("Partner Scorecard"),
				() => frappe.set_route("query-report", "Partner Scorecard", { partner: frm.doc.name }),
				__("View")
			);
		}
		if (!frm.is_new()) {
			frm.add_custom_button(__("Tier Changes"), () => frappe.set_route("List", "Partner Tier Change", { partner: frm.doc.name }), __("View"));
			frm.add_custom_button(__("Certifications"), () => frappe.set_route("List", "Partner Certification", { partner: frm.doc.name }), __("View"));
		}
		if (!frm.is_new() && frm.doc.status === "Active" && frm.perm[0] && frm.perm[0].write) {
			frm.add_custom_button(__("Evaluate Tier Now"), () => {
				frm.call("evaluate_tier_now").then((r) => {
					const m = r.message || {};
					let text;
					if (m.tier !== m.previous_tier) {
						text = __("Tier changed from {0} to {1}.", [m.previous_tier || "-", m.tier]);
					} else if (m.below_tier_since) {
						text = __("Tier stays {0}: below its criteria since {1} (demotion after the grace).", [m.tier, frappe.datetime.str_to_user(m.below_tier_since)]);
					} else {
						text = __("Tier stays {0}.", [m.tier || "-"]);
					}
					frappe.show_alert({ message: text, indicator: "green" }, 7);
					frm.reload_doc();
				});
			});
		}
		render_onboarding(frm);
		if (!frm.is_new()) prm_partner_summary(frm);
	},
});

function render_onboarding(frm) {
	const field = frm.get_field("onboarding_progress");
	if (!field) return;
	const rows = (frm.doc.__onload && frm.doc.__onload.onboarding_training) || [];
	if (!rows.length) {
		field.$wrapper.html(`<p class="text-muted small">${__("No mandatory onboarding modules apply to this partner's users.")}</p>`);
		return;
	}
	const done = rows.filter((r) => !r.missing.length).length;
	const lines = rows
		.map((r) => {
			const ok = !r.missing.length;
			const what = ok ? __("all passed") : __("missing: {0}", [r.missing.map(frappe.utils.escape_html).join(", ")]);
			return `<li><span class="indicator-pill ${ok ? "green" : "orange"}">${frappe.utils.escape_html(r.full_name)}</span> ${what}</li>`;
		})
		.join("");
	field.$wrapper.html(
		`<div class="prm-onboarding"><p>${__("Onboarding training: {0} of {1} users done.", [done, rows.length])}</p><ul class="list-unstyled">${lines}</ul></div>`
	);
}

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
