// Copyright (c) 2026, prm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Channel Conflict", {
	setup(frm) {
		frm.set_query("awarded_registration", () => ({
			filters: {
				name: ["in", (frm.doc.records || []).map((r) => r.deal_registration).filter(Boolean)],
			},
		}));
	},
	refresh(frm) {
		frm.set_df_property("resolution", "read_only", frm.doc.status === "Resolved");
		frm.set_df_property("awarded_registration", "read_only", frm.doc.status === "Resolved");
		if (frm.doc.status === "Open") {
			frm.set_intro(
				__("Compare the records below and choose a resolution: the registrations involved are approved or rejected accordingly.")
			);
		}
		if (!frm.is_new()) render_comparison(frm);
	},
});

const ROWS = [
	["partner", __("Partner")],
	["company_name", __("End customer")],
	["website", __("Website")],
	["territory", __("Territory")],
	["expected_value", __("Expected value")],
	["expected_close_date", __("Expected close")],
	["registered_on", __("Submitted on")],
	["priority_sequence", __("Priority number")],
	["workflow_state", __("State")],
];

// The registrations and records of the case side by side, and the resolutions as buttons.
function render_comparison(frm) {
	frappe.call("prm_app.desk.summaries.conflict_comparison", { name: frm.doc.name }).then(({ message: c }) => {
		if (!c) return;
		const esc = frappe.utils.escape_html;
		const value = (col, key) => {
			const r = col.registration;
			if (key === "partner") return esc(col.partner || "");
			if (!r) return key === "company_name" ? esc(col.title || "") : "";
			if (key === "expected_value") return format_currency(r.expected_value, r.currency);
			if (key === "expected_close_date") return esc(frappe.datetime.str_to_user(r.expected_close_date) || "");
			if (key === "registered_on") return esc(frappe.datetime.str_to_user(r.registered_on) || "");
			return esc(r[key] == null ? "" : String(r[key]));
		};
		const open = c.status === "Open";
		const header = c.columns
			.map(
				(col) => `<th style="min-width:200px">
					<div class="text-muted small">${esc(__(col.doctype))}${col.name === c.first ? ` · <span class="indicator-pill green">${esc(__("first"))}</span>` : ""}</div>
					<a href="${esc(frappe.utils.get_form_link(col.doctype, col.name))}">${esc(col.name)}</a>
					${open && col.registration && ["Pending Review", "Approved"].includes(col.registration.status)
						? `<div><button class="btn btn-xs btn-default prm-award" data-registration="${esc(col.name)}">${esc(__("Award to this one"))}</button></div>`
						: ""}
				</th>`
			)
			.join("");
		const body = [
			...ROWS.map(([key, label]) => `<tr><td class="text-muted">${esc(label)}</td>${c.columns.map((col) => `<td>${value(col, key)}</td>`).join("")}</tr>`),
			`<tr><td class="text-muted">${esc(__("Score"))}</td>${c.columns.map((col) => `<td>${esc(String(col.score))}</td>`).join("")}</tr>`,
			`<tr><td class="text-muted">${esc(__("Why"))}</td>${c.columns.map((col) => `<td><ul style="padding-left:1rem;margin:0">${col.reasons.map((r) => `<li>${esc(r)}</li>`).join("")}</ul></td>`).join("")}</tr>`,
		].join("");
		const buttons = open
			? ["Award to First", "Split", "Reject", "Sell Direct"]
					.map((r) => `<button class="btn btn-sm ${r === "Award to First" ? "btn-primary" : "btn-default"} prm-resolve" data-resolution="${esc(r)}">${esc(__(r))}</button>`)
					.join(" ")
			: `<span class="indicator-pill blue">${esc(__(c.resolution || ""))}</span>`;
		const wrapper = frm.fields_dict.comparison_html.$wrapper;
		wrapper.html(`
			<div style="overflow-x:auto"><table class="table table-bordered table-sm"><thead><tr><th></th>${header}</tr></thead><tbody>${body}</tbody></table></div>
			<div class="prm-resolutions" style="display:flex;gap:8px;flex-wrap:wrap">${buttons}</div>`);
		const resolve = (resolution, awarded) =>
			frappe.confirm(__("Resolve this conflict: {0}? The registrations are approved or rejected accordingly.", [__(resolution)]), () => {
				frm.set_value("resolution", resolution);
				frm.set_value("awarded_registration", awarded || null);
				frm.save();
			});
		wrapper.find(".prm-resolve").on("click", (e) => resolve($(e.currentTarget).data("resolution")));
		wrapper.find(".prm-award").on("click", (e) => resolve("Award to Other", $(e.currentTarget).data("registration")));
	});
}
