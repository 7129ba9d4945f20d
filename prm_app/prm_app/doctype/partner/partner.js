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
